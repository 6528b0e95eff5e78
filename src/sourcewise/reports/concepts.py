"""The concepts a reader of a decision meets, explained once for a finance reader.

One text, several places: ``docs/concepts.md`` (written by ``make docs``), the web app's
``/concepts`` page, and the appendix of the HTML business case and of ``decide -f html``
(``templates/_concepts.html``); the pages and reports link their terms to it.
Each concept's ``anchor`` is the slug GitHub gives its heading, so ``docs/concepts.md#p10p90``
works on GitHub as ``/concepts#p10p90`` does in the app.

The sources section names the articles as a reader would cite them and lists, with an anchor
each, the passages the fit rules quote: a rule's citation links to its passage.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jinja2 import Environment

from sourcewise.domain.articles import ARTICLES, PLAYBOOK_ARTICLE, Article
from sourcewise.domain.fit import RULES
from sourcewise.domain.recommendation import FIT_POINT_VALUE

SCHMIDT = ARTICLES["002"]
BUSINESSVERT = ARTICLES["003"]


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    article: Article


@dataclass(frozen=True, slots=True)
class Concept:
    term: str
    paragraphs: tuple[str, ...]
    quotes: tuple[Quote, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    """Rows of a small table, the first the header."""

    @property
    def anchor(self) -> str:
        return slug(self.term)


def slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    kept = re.sub(r"[^\w\- ]", "", heading.lower())
    return kept.replace(" ", "-")


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "Who and where: the four arrangements",
        (
            "Two questions sort every sourcing arrangement. Who employs the people doing the "
            "work: your company or a third party? Where do they work: at home or abroad? The "
            "answers give four arrangements; the status quo is in-house.",
            "A hybrid splits one function over several cells (tier 1 abroad, escalations at "
            "home). Build-operate-transfer starts as offshore outsourcing and becomes captive "
            "offshoring when the provider hands the centre and its staff over. Nearshore is "
            "abroad but next door or within a few time zones.",
        ),
        (
            Quote(
                "When offshoring occurs, a business moves all or some of its activities to "
                "another country. Outsourcing, on the other hand, is the process of utilizing "
                "third party workers for traditionally in-house business tasks; this may take "
                "place either inside or outside the company's home country.",
                SCHMIDT,
            ),
            Quote(
                "Offshoring, by contrast, is a geographic choice: moving work to a distant "
                "location, often abroad, while possibly maintaining control within a single "
                "organization or contract.",
                BUSINESSVERT,
            ),
        ),
        (
            ("", "At home", "Abroad"),
            ("Own staff", "In-house (the status quo)", "Captive offshoring"),
            ("A third party", "Domestic outsourcing", "Offshore outsourcing"),
        ),
    ),
    Concept(
        "TCO vs price",
        (
            "The price is what a rate card or a quote shows: salaries, vendor fees, the unit "
            "price of goods. The total cost of ownership (TCO) adds what moving and running the "
            "work costs around that price: governance and contract management, coordination "
            "loss and rework across distance, travel, selecting the vendor, setup, severance, "
            "the old team running in parallel during the handover, the new team's learning "
            "curve, freight, duty and inventory for goods, a buy-out fee or an exit.",
            "Every cost is a net present value over the scenario's horizon at the company's "
            "discount rate. The saving on price minus the saving on TCO is the hidden cost: "
            "an offshore quote a third below today's cost can save far less once it is "
            "counted. The decision compares options on TCO.",
        ),
        (Quote("Cost is a factor, but not the only one.", BUSINESSVERT),),
    ),
    Concept(
        "P10–P90",
        (
            "Inputs nobody knows exactly (a rate quoted as a range, pay growth abroad, the "
            "exchange rate) are given as ranges, and the costs are computed again for "
            "thousands of draws from them (a Monte Carlo simulation). P50 is the median "
            "result; P10 is the value one draw in ten falls below, P90 the value one draw in "
            "ten exceeds. Eight draws in ten lie between P10 and P90.",
            "For a cost, P90 is the bad case to hold a reserve for; for a saving, P10 is. The "
            "range is only as wide as the ranges put in: a risk nobody listed is not in it.",
        ),
    ),
    Concept(
        "P(beats the status quo)",
        (
            "The share of draws in which the option costs less than keeping the work as it "
            "is, both costed with the same draw. 100 % means it was cheaper in every draw; "
            "60 % means a saving is likely but far from safe. It says how sure the saving is, "
            "not how large: read it next to the P10–P90 range of the saving.",
        ),
    ),
    Concept(
        "Fit points",
        (
            "Money is not all a sourcing decision weighs. Rules taken from the articles in "
            "the sources below score each option's strategic fit: a commoditized function "
            "suits a provider, a strategic one own staff; personal data leaving the EEA needs "
            "safeguards; a language the site does not speak is a caution. Each rule that fires "
            "adds points (it supports the option) or takes them away (it cautions), and is "
            "shown with its reason and the passage it rests on.",
            f"To weigh fit and money on one scale, one fit point counts as "
            f"{FIT_POINT_VALUE:.0%} of the status quo's cost in present value: a supporting "
            f"rule of weight 2 is worth a {2 * FIT_POINT_VALUE:.0%} saving. The recommendation "
            f"is the option with the best saving plus fit. A runner-up '2.8 fit-point "
            f"equivalents behind' would need {2.8 * FIT_POINT_VALUE:.1%} more saving to draw "
            f"level.",
        ),
    ),
    Concept(
        "SMAA",
        (
            "The recommendation is cross-checked by ranking the options on several criteria "
            "at once (median and P90 cost, P(beats the status quo), location score, fit, "
            "control, country risk) with four methods: weighted sum, TOPSIS, VIKOR and "
            "PROMETHEE II. The criteria's weights are a judgement, so Stochastic "
            "Multicriteria Acceptability Analysis (SMAA) draws them thousands of times, each "
            "between 0 and twice its preset value, and counts how often each option ranks "
            "first.",
            "An option first in 67 % of the weight draws wins under most reasonable "
            "weightings; one first in 30 % wins only under some, and the weights then "
            "deserve a discussion of their own.",
        ),
    ),
    Concept(
        "The pilot verdict",
        (
            "A pilot runs a slice of the work in the new arrangement, measured against "
            "criteria set beforehand (first-contact resolution at least 70 %, say) and "
            "against today's team. Each criterion is tested at a confidence level (95 % by "
            "default), so that a good month by chance does not decide.",
            "Go: every criterion passes at that confidence; scale up. Stop: one criterion "
            "fails at it; the evidence says the arrangement misses the target. Extend: the "
            "data cannot tell yet; the verdict says how many more observations would settle "
            "it.",
        ),
        (
            Quote(
                "Start with a pilot project to validate assumptions before scaling.",
                PLAYBOOK_ARTICLE,
            ),
        ),
    ),
)
"""Every concept, in reading order."""

SOURCES_ANCHOR = "sources"
WIDTH = 100


def concept(anchor: str) -> Concept:
    """The concept with this anchor; a KeyError names the anchors that exist."""
    for c in CONCEPTS:
        if c.anchor == anchor:
            return c
    raise KeyError(f"no concept {anchor!r} (known: {', '.join(c.anchor for c in CONCEPTS)})")


def article_anchor(article: Article) -> str:
    """The anchor of an article in the sources section: its author or publisher, slugged."""
    return "source-" + slug(article.short)


def passage_anchor(rule_id: str) -> str:
    """The anchor of the passage a fit rule quotes."""
    return f"rule-{rule_id}"


@dataclass(frozen=True, slots=True)
class Passage:
    rule_id: str
    title: str
    text: str


def passages(article: Article) -> tuple[Passage, ...]:
    """The passages of ``article`` the fit rules quote, in rule order."""
    return tuple(
        Passage(r.id, r.title, r.citation.passage)
        for r in RULES
        if r.citation.article.number == article.number
    )


def _source_heading(article: Article) -> str:
    if article.untitled:
        return f"{article.short}: {article.title}"
    return f"{article.by}: {article.title}" if article.by else article.title


def concepts_markdown() -> str:
    """``docs/concepts.md``."""
    lines = [
        "# Concepts",
        "",
        "Generated from `src/sourcewise/reports/concepts.py` by `make docs`; the web app shows the",
        "same text at `/concepts` and the HTML business case in its appendix, and both link",
        "their terms here. Written for the reader of a business case, not its author.",
        "",
    ]
    for c in CONCEPTS:
        lines += [f"## {c.term}", ""]
        for paragraph in c.paragraphs:
            lines += [textwrap.fill(paragraph, WIDTH, break_on_hyphens=False), ""]
        if c.table:
            header, *rows = c.table
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            lines.append("")
        for q in c.quotes:
            said = f"“{q.text}” ({q.article.cited})"
            lines += [
                textwrap.fill(
                    said,
                    WIDTH,
                    initial_indent="> ",
                    subsequent_indent="> ",
                    break_on_hyphens=False,
                ),
                "",
            ]
    lines += [
        "## Sources",
        "",
        *textwrap.wrap(
            "The fit rules, the dimensions, the risks and the pilot quote four articles on "
            "outsourcing and offshoring; none gives a date. Under each, the passages the fit "
            "rules rest on.",
            WIDTH,
            break_on_hyphens=False,
        ),
        "",
    ]
    for article in ARTICLES.values():
        lines += [f'<a id="{article_anchor(article)}"></a>', ""]
        lines += [f"### {_source_heading(article)}", ""]
        kind = "" if article.untitled else f"; {article.kind}"
        quoted = passages(article)
        lines.append(f"{article.cited}{kind}." + ("" if quoted else " No fit rule quotes it."))
        lines.append("")
        for p in quoted:
            anchor = f'<a id="{passage_anchor(p.rule_id)}"></a>'
            lines.append(f"- {anchor}**{p.title}** (rule `{p.rule_id}`): “{p.text}”")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def anchors() -> frozenset[str]:
    """Every anchor the concepts page has: concepts, sources, articles and passages."""
    return frozenset(
        {c.anchor for c in CONCEPTS}
        | {SOURCES_ANCHOR}
        | {article_anchor(a) for a in ARTICLES.values()}
        | {passage_anchor(r.id) for r in RULES}
    )


def linker(page: str) -> Callable[..., str]:
    """``href(anchor)`` for templates: ``page`` + ``#`` + the anchor, refusing an anchor the
    page does not have (a renamed concept fails the render, not the reader's click)."""
    known = anchors()

    def href(anchor: str, fallback: str | None = None) -> str:
        """``fallback`` instead of a missing anchor: a rule's passage in a result stored
        before the rule was renamed links to the sources."""
        if anchor not in known and fallback is not None:
            anchor = fallback
        if anchor not in known:
            raise KeyError(f"the concepts page has no anchor {anchor!r}")
        return f"{page}#{anchor}"

    return href


def appendix(quoted: Iterable[Article]) -> dict[str, object]:
    """What ``reports/templates/_concepts.html`` needs: the concepts, and the ``quoted``
    articles with the passages the fit rules take from each."""
    return {
        "concepts": CONCEPTS,
        "sources": [(a, article_anchor(a), passages(a)) for a in quoted],
        "sources_anchor": SOURCES_ANCHOR,
        "passage_anchor": passage_anchor,
    }


def add_report_links(env: Environment) -> None:
    """A standalone report links its terms to its own appendix: ``concept_href(anchor)`` and
    ``source_href(article)`` become ``#anchor``."""
    href = linker("")
    env.globals["concept_href"] = href
    env.globals["source_href"] = lambda article: href(article_anchor(article))
