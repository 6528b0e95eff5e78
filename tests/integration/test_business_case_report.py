"""``sourcewise report``: the business case as a self-contained, offline HTML page."""

import re
import sys
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.adapters import scenario_file
from sourcewise.adapters.yaml_source import SourceDocument, read_yaml
from sourcewise.cli import app
from sourcewise.reports.business_case import render_business_case
from sourcewise.services import scenarios
from sourcewise.services.decide import Decision, decide_scenario
from sourcewise.services.scenarios import load_scenario, sources_of

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/us-customer-service.yaml"
DRAWS, SEED = 500, 7
runner = CliRunner()

SECTIONS = [
    "Executive summary",
    "The options on five dimensions",
    "Who does the work, and where",
    "Hidden costs: from price to total cost of ownership",
    "Cost over time, under uncertainty",
    "What drives the saving",
    "Location comparison",
    "Multi-criteria ranking",
    "Key risks and their playbook",
    "What to learn before deciding",
    "Pilot plan",
    "Assumptions and sources",
    "Concepts",
]
CHARTS = [
    "chart-grid-1",
    "chart-waterfall-1",
    "chart-fan-1",
    "chart-tornado-1",
    "mcda-ranks-1",
    "chart-smaa-1",
]


class Page(HTMLParser):
    """What the tests look at: headings, charts, their data attributes and every reference."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.h2: list[str] = []
        self.charts: list[str] = []
        self.styles: list[str] = []
        self.figures: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag in ("h2", "style"):
            self._in = tag
            if tag == "h2":
                self.h2.append("")
        if (tag == "svg" and found.get("class") == "chart") or found.get("id", "").startswith(
            "mcda-ranks"
        ):
            self.charts.append(found["id"])
        if "data-key" in found and found["data-key"] not in self.figures:
            self.figures[found["data-key"]] = found.get("data-value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h2":
            self.h2[-1] += data
        elif self._in == "style":
            self.styles.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            found
            for name, found in self.tags
            if name == tag and all(found.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def decision() -> Decision:
    return decide_scenario(load_scenario(EXAMPLE), draws=DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    args = ["report", str(EXAMPLE), "--out", str(out), "--draws", str(DRAWS), "--seed", str(SEED)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    parsed = Page()
    parsed.feed(html)
    return parsed


def test_sections_and_charts_in_order(page: Page) -> None:
    assert [h.strip() for h in page.h2] == SECTIONS
    assert page.charts == CHARTS


def test_nothing_is_fetched_from_the_network(page: Page, html: str) -> None:
    assert not page.find("script")
    remote = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "data", "poster"):
            assert not remote.match(attrs.get(name, "")), (tag, attrs)
        assert tag not in ("iframe", "object", "embed"), tag
    css = "".join(page.styles)
    assert "url(" not in css
    assert "@import" not in css
    # The only URL in the page is the SVG namespace, which is an identifier, not a request.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls == {"http://www.w3.org/2000/svg"}


def test_executive_summary_equals_the_decision(page: Page, decision: Decision) -> None:
    function = decision.functions[0]
    chosen = decision.simulated(0, function.recommendation.option)
    assert chosen is not None
    figures = page.figures
    assert float(figures["savings_p50"]) == pytest.approx(chosen.savings.p50, abs=0.01)
    assert float(figures["savings_p10"]) == pytest.approx(chosen.savings.p10, abs=0.01)
    assert float(figures["savings_p90"]) == pytest.approx(chosen.savings.p90, abs=0.01)
    assert float(figures["p_beats"]) == pytest.approx(chosen.p_beats_status_quo, abs=1e-4)
    assert chosen.break_even.p50 is not None
    assert float(figures["break_even"]) == pytest.approx(chosen.break_even.p50, abs=0.05)


def test_one_answer_and_its_cross_check(html: str, decision: Decision) -> None:
    function = decision.functions[0]
    check = function.recommendation.cross_check
    assert check is not None
    assert escape(f"Recommendation: {function.recommendation.option}") in html
    verdict = "agrees" if check.agrees else f"prefers {check.option}"
    assert escape(f"Cross-check ({check.method}): {verdict}.") in html
    assert escape(check.reason) in html


def test_every_chart_has_its_data(page: Page, decision: Decision) -> None:
    function = decision.functions[0]
    options = [a for a in function.assessments if not a.is_status_quo]
    # Fan chart: one band per option.
    assert [b["data-option"] for b in page.find("path", **{"class": "band"})] == [
        o.name for o in options
    ]
    # Waterfall of the recommendation: one bar per cost component with its sign.
    chosen = next(a for a in options if a.name == function.recommendation.option)
    steps = page.find("g", **{"class": "step"})
    components = {
        s["data-name"]: float(s["data-value"]) for s in steps if s["data-kind"] == "component"
    }
    projection = chosen.projection
    price_parts = ("labour", "vendor_fees", "goods_price")
    hidden = {
        name: round(projection.component_npv(name), 2)
        for name in projection.components
        if name not in price_parts and round(projection.component_npv(name), 2)
    }
    paid = sum(projection.component_npv(n) for n in price_parts if n in projection.components)
    hidden["price_timing"] = round(paid - projection.price_npv, 2)
    assert components == pytest.approx(hidden, abs=0.01)
    assert components["price_timing"] < 0  # the price is not paid before the work moves
    assert all(v > 0 for k, v in components.items() if k != "price_timing")
    total = next(float(s["data-value"]) for s in steps if s["data-kind"] == "total")
    assert total == pytest.approx(chosen.projection.npv, abs=0.01)
    price = next(float(s["data-value"]) for s in steps if s["data-kind"] == "price")
    assert price + sum(components.values()) == pytest.approx(total, abs=0.05)
    # Tornado: bars, each moving the saving.
    bars = page.find("g", **{"class": "bar"})
    assert bars
    assert all(b["data-low"] != b["data-high"] for b in bars)
    # SMAA: a stacked bar per option summing to 1, rank 1 as in the decision.
    ranking = function.ranking
    assert ranking is not None
    stacks = page.find("g", **{"class": "option"})
    assert [s["data-option"] for s in stacks] == list(ranking.options)
    ranks = page.find("rect", **{"class": "rank"})
    firsts = {}
    for name in ranking.options:
        firsts[name] = 0.0
    position = 0
    shares_by_option: list[list[tuple[int, float]]] = [[] for _ in ranking.options]
    for rect in ranks:
        rank = int(rect["data-rank"])
        if shares_by_option[position] and rank <= shares_by_option[position][-1][0]:
            position += 1
        shares_by_option[position].append((rank, float(rect["data-share"])))
    for name, shares, first in zip(
        ranking.options, shares_by_option, ranking.first_rank_acceptability, strict=True
    ):
        assert sum(s for _, s in shares) == pytest.approx(1.0, abs=1e-3), name
        got = next((s for r, s in shares if r == 1), 0.0)
        assert got == pytest.approx(first, abs=1e-4), name
    # 2×2: every site of every option placed once.
    entries = page.find("g", **{"class": "entry"})
    assert len(entries) == sum(len(a.sites) for a in function.assessments)


def test_risks_pilot_and_assumptions(page: Page, html: str, decision: Decision) -> None:
    risks = [r["data-category"] for r in page.find("div", **{"class": "risk"})]
    assert "data_security" in risks  # personal data goes to a provider abroad
    assert "vendor_failure" in risks
    assert "Run the incident response procedure with the provider" in html
    assert "Defect rate" in html
    assert re.search(r"[\d,]+ work items \(calls, tickets, transactions\)", html)
    # Every uncertain input is listed with its source.
    rows = page.find("table", id="assumptions-uncertain")
    assert rows
    scenario = decision.scenario
    assert html.count("<code>triangular(") + html.count("<code>uniform(") + html.count(
        "<code>pert("
    ) == len(scenario.uncertain)
    assert "assumption: RFP spread around the 33 USD above" in html
    assert "Overby" in html
    # The hand-over's default carries its published range (every option gives its severance,
    # so the layoffs default is not used), and the parallel-running default is listed.
    text = unescape(html)
    assert "Tool default: transition 2–3%, mode 2.5% of the first year's fees" in text
    assert "100% of the home team of each slice in hand-over" in text


def test_quotes_name_their_articles_never_a_file_number(html: str) -> None:
    text = re.sub(r"<a [^>]*>|</a>", "", unescape(html))  # the names link to the sources
    playbook = "(BusinessVert, “Outsourcing vs offshoring”)"
    assert f"keeps your plan on track” {playbook}" in text
    assert f"validate assumptions before scaling” {playbook}" in text
    explainer = "an untitled web explainer on outsourcing vs offshoring and when to choose which"
    assert f"(the comparison table in {explainer})" in text
    assert f"Risk factors in {explainer}" in text
    # The cautioning rules behind a risk quote their passage with its article.
    assert re.search(r"” \((BusinessVert|an untitled web explainer)[^)]*\)</span>", text)
    assert "Sara Schmidt, “What is the Difference Between Outsourcing and Offshoring?”" in text
    assert "Remote Talent" not in text  # no rule or section quotes it
    assert not re.search(r"seed (article|passage|00\d)", text, re.IGNORECASE)


def test_same_input_gives_the_same_bytes(decision: Decision) -> None:
    sources = sources_of(EXAMPLE, decision.scenario)
    first = render_business_case(decision, sources)
    assert first == render_business_case(decision, sources)


def test_the_scenario_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []

    def counted(path: Path) -> SourceDocument:
        reads.append(path)
        return read_yaml(path)

    monkeypatch.setattr(scenario_file, "read_yaml", counted)
    monkeypatch.setattr(scenarios, "read_yaml", counted)
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(EXAMPLE), "-o", str(out), "--draws", "100"])
    assert result.exit_code == 0, result.output
    assert reads == [EXAMPLE]


def test_without_a_planned_pilot_the_case_says_who_advises_one(tmp_path: Path) -> None:
    scenario = tmp_path / "no-pilot.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    scenario.write_text(text.replace("pilot_planned: true", "pilot_planned: false"), "utf-8")
    out = tmp_path / "case.html"
    result = runner.invoke(app, ["report", str(scenario), "-o", str(out), "--draws", "200"])
    assert result.exit_code == 0, result.output
    assert "The scenario plans no pilot yet; BusinessVert advises one." in out.read_text("utf-8")


def test_what_to_learn_says_what_knowing_more_is_worth(html: str) -> None:
    text = unescape(html)
    assert "Knowing everything before deciding would lower the expected cost by about" in text
    assert 'id="learn-inputs-1"' in html
    assert "Everything (EVPI)" in text


def test_a_pilot_worth_running_shows_its_curve_and_best_size() -> None:
    from sourcewise.services.value_of_information import value_of_information

    wide = EXAMPLE.read_text(encoding="utf-8").replace(
        "        transition_months: 6\n        # Same as the onshore vendor",
        "        coordination_loss: {dist: uniform, low: 0.0, high: 0.8}\n"
        "        transition_months: 6\n        # Same as the onshore vendor",
    )
    scenario = scenarios.parse_scenario_text(wide, "wide.yaml")
    case = render_business_case(
        decide_scenario(scenario, draws=2_000, seed=3),
        information=value_of_information(scenario, draws=2_000, seed=3),
    )
    pilot = unescape(case[case.index("month pilot at") :])
    assert "month pilot at Captive Manila (night shift) measuring coordination loss" in pilot
    assert "(best)" in pilot
    assert "is worth about" in unescape(case)
    without = render_business_case(decide_scenario(scenario, draws=200, seed=3, information=None))
    assert 'id="learn"' not in without
    assert "What to learn before deciding" not in without


def test_other_examples_render(tmp_path: Path) -> None:
    for name in ("windows-offshore-plant.yaml", "de-software-development.yaml"):
        out = tmp_path / f"{name}.html"
        args = ["report", str(ROOT / "examples" / name), "-o", str(out), "--draws", "200"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        parsed = Page()
        parsed.feed(out.read_text(encoding="utf-8"))
        assert [h.strip() for h in parsed.h2] == SECTIONS


def test_pdf_without_weasyprint_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    out, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    args = ["report", str(EXAMPLE), "-o", str(out), "--pdf", str(pdf), "--draws", "10"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "pip install weasyprint" in result.output
    assert "libpango" in result.output
    assert not out.exists()
    assert not pdf.exists()


def test_invalid_scenario_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: {}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1


def test_terms_link_to_the_concepts_appendix_and_every_link_lands(html: str) -> None:
    """The report is read offline: its terms link to its own Concepts section."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets <= ids, f"links without a target: {sorted(targets - ids)}"
    for term in (
        "who-and-where-the-four-arrangements",
        "tco-vs-price",
        "p10p90",
        "pbeats-the-status-quo",
        "fit-points",
        "smaa",
        "the-pilot-verdict",
    ):
        assert f'href="#{term}"' in html
    assert 'href="#source-businessvert"' in html  # the playbook quote's article
    assert '<li id="rule-pilot">' in html  # the passage a rule rests on
    assert "http" not in re.sub(r"https?://www\.w3\.org[^\"]*", "", html.split("<footer>")[0])
