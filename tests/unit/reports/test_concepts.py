"""The concepts page: one text for the docs, the web app and the business case, whose links
must all land on an anchor it has."""

import re
from pathlib import Path

import pytest

from sourcewise.domain.articles import ARTICLES
from sourcewise.domain.fit import RULES
from sourcewise.reports.concepts import (
    CONCEPTS,
    anchors,
    article_anchor,
    concept,
    concepts_markdown,
    linker,
    passage_anchor,
    slug,
)

SRC = Path(__file__).resolve().parents[3] / "src" / "sourcewise"
TEMPLATES = [*SRC.glob("web/templates/**/*.html"), *SRC.glob("reports/templates/*.html")]
LINK = re.compile(r"concept_href\('([^']+)'\)")
TERMS = {
    "who-and-where-the-four-arrangements",
    "tco-vs-price",
    "p10p90",
    "pbeats-the-status-quo",
    "fit-points",
    "smaa",
    "the-pilot-verdict",
}


def test_the_page_covers_the_terms_a_cfo_meets() -> None:
    assert {c.anchor for c in CONCEPTS} == TERMS
    assert concept("smaa").term == "SMAA"
    with pytest.raises(KeyError, match="known: who-and-where"):
        concept("npv")


def test_anchors_are_githubs_heading_slugs() -> None:
    """docs/concepts.md#p10p90 on GitHub is /concepts#p10p90 in the app."""
    assert slug("P10–P90") == "p10p90"
    assert slug("P(beats the status quo)") == "pbeats-the-status-quo"
    headings = re.findall(r"^## (.+)$", concepts_markdown(), re.M)
    assert [slug(h) for h in headings] == [*(c.anchor for c in CONCEPTS), "sources"]


def test_every_rule_passage_and_article_has_an_anchor() -> None:
    markdown = concepts_markdown()
    for r in RULES:
        assert f'<a id="{passage_anchor(r.id)}"></a>' in markdown
        assert r.citation.passage in markdown
    for a in ARTICLES.values():
        assert f'<a id="{article_anchor(a)}"></a>' in markdown
        assert a.cited in markdown
    assert len(anchors()) == len(CONCEPTS) + 1 + len(ARTICLES) + len(RULES)


def test_sources_are_named_by_title_never_by_file_number() -> None:
    markdown = concepts_markdown()
    assert "Sara Schmidt, “What is the Difference Between Outsourcing and Offshoring?”" in markdown
    assert not re.search(r"seed|\b00[0-3]\b", markdown, re.IGNORECASE)


def test_every_link_in_the_templates_lands_on_an_anchor() -> None:
    linked = {anchor for path in TEMPLATES for anchor in LINK.findall(path.read_text("utf-8"))}
    assert linked >= TERMS, "every concept is linked from some page or the report"
    assert linked <= anchors()


def test_the_linker_refuses_an_unknown_anchor_unless_it_has_a_fallback() -> None:
    href = linker("/concepts")
    assert href("smaa") == "/concepts#smaa"
    assert href("rule-renamed-since", "sources") == "/concepts#sources"
    with pytest.raises(KeyError, match="no anchor 'npv'"):
        href("npv")
