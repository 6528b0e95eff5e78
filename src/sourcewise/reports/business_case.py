"""The business case for a board: one self-contained, offline HTML page.

No scripts, fonts, stylesheets or images are fetched: the CSS is inline and every chart is an
inline SVG drawn by ``svg_charts``. The same decision gives the same bytes.

Money figures under uncertainty (the executive summary, the fan chart) come from the
simulation; the waterfall, the five dimensions and the fit rules from the deterministic model
at every input's mean, as in ``sourcewise decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sourcewise import __version__
from sourcewise.domain.articles import DIMENSIONS_ARTICLE, PLAYBOOK_ARTICLE, Article
from sourcewise.domain.cost import PRICE_COMPONENTS
from sourcewise.domain.dimensions import DIMENSIONS
from sourcewise.domain.fit import quoted_articles
from sourcewise.domain.provenance import ScenarioSources
from sourcewise.domain.recommendation import OptionAssessment
from sourcewise.reports import svg_charts as svg
from sourcewise.reports.business_case_inputs import assumptions, input_name
from sourcewise.reports.business_case_plans import key_risks, pilot_plan
from sourcewise.reports.concepts import add_report_links, appendix
from sourcewise.reports.formats import FILTERS
from sourcewise.reports.information_words import findings
from sourcewise.reports.location_json import location_to_dict
from sourcewise.reports.numbers import compact
from sourcewise.services.decide import Decision, FunctionDecision
from sourcewise.services.simulate import FunctionSimulation, OptionSimulation
from sourcewise.services.value_of_information import ValueOfInformation

SECTIONS = (
    ("summary", "Executive summary"),
    ("dimensions", "The options on five dimensions"),
    ("grid", "Who does the work, and where"),
    ("hidden-costs", "Hidden costs: from price to total cost of ownership"),
    ("over-time", "Cost over time, under uncertainty"),
    ("drivers", "What drives the saving"),
    ("locations", "Location comparison"),
    ("ranking", "Multi-criteria ranking"),
    ("risks", "Key risks and their playbook"),
    ("learn", "What to learn before deciding"),
    ("pilot", "Pilot plan"),
    ("assumptions", "Assumptions and sources"),
    ("concepts", "Concepts"),
)

DIMENSION_TITLES = {
    "geography": "Geography",
    "focus": "Focus",
    "cost_structure": "Cost structure",
    "control_and_oversight": "Control and oversight",
    "risk_factors": "Risk factors",
}

TORNADO_ROWS = 10


@dataclass(frozen=True, slots=True)
class Figure:
    """A number shown in the summary with the raw value kept for checking."""

    key: str
    text: str
    value: float | None


def words(name: str) -> str:
    return name.replace("_", " ").capitalize()


def featured(decision: FunctionDecision, simulated: FunctionSimulation) -> OptionAssessment:
    """The option the case is about: the recommendation, or when that is to stay in-house, the
    alternative with the best median saving (what the board would be turning down)."""
    by_name = {a.name: a for a in decision.assessments}
    chosen = by_name[decision.recommendation.option]
    if not chosen.is_status_quo:
        return chosen
    best = max(simulated.options, key=lambda o: o.savings.p50)
    return by_name[best.name]


def _break_even(sim: OptionSimulation, horizon_months: int) -> str:
    even = sim.break_even
    if even.p50 is None:
        return f"not within the {horizon_months}-month horizon"
    low = f"{even.p10:.0f}" if even.p10 is not None else "?"
    high = f"{even.p90:.0f}" if even.p90 is not None else "?"
    text = f"month {even.p50:.0f} (P10–P90: month {low}–{high})"
    if even.share_never > 0:
        text += f"; never within the horizon in {even.share_never:.0%} of draws"
    return text


def _summary(sim: OptionSimulation, currency: str, months: int) -> list[Figure]:
    saving = sim.savings
    return [
        Figure("savings_p50", compact(saving.p50, currency), saving.p50),
        Figure(
            "savings_range",
            f"{compact(saving.p10, currency)} to {compact(saving.p90, currency)}",
            None,
        ),
        Figure("savings_p10", compact(saving.p10, currency), saving.p10),
        Figure("savings_p90", compact(saving.p90, currency), saving.p90),
        Figure("p_beats", f"{sim.p_beats_status_quo:.0%}", sim.p_beats_status_quo),
        Figure("break_even", _break_even(sim, months), sim.break_even.p50),
    ]


def waterfall_steps(option: OptionAssessment, status_quo_npv: float) -> list[svg.WaterfallStep]:
    """Status quo, the price at full rate, then every other cost (and the price's own timing,
    as work moves over) added in turn, ending at the option's total cost of ownership."""
    projection = option.projection
    price = projection.price_npv
    paid = sum(projection.component_npv(n) for n in PRICE_COMPONENTS if n in projection.components)
    steps = [
        svg.WaterfallStep("Status quo (today's cost)", status_quo_npv, "reference"),
        svg.WaterfallStep("Price (rate card or quote)", price, "price"),
    ]
    if round(paid - price, 2) != 0:
        steps.append(
            svg.WaterfallStep(
                "Price not due until work moves", paid - price, "component", "price_timing"
            )
        )
    others = [
        (name, projection.component_npv(name))
        for name in projection.components
        if name not in PRICE_COMPONENTS and round(projection.component_npv(name), 2) != 0
    ]
    for name, value in sorted(others, key=lambda kv: -abs(kv[1])):
        steps.append(svg.WaterfallStep(words(name), value, "component", name))
    steps.append(svg.WaterfallStep("Total cost of ownership", projection.npv, "total"))
    return steps


def _fan(index: int, fsim: FunctionSimulation, recommended: str, currency: str) -> Any:
    def series(name: str, yearly: Any, highlight: bool = False) -> svg.FanSeries:
        return svg.FanSeries(
            name,
            tuple(y.p10 for y in yearly),
            tuple(y.p50 for y in yearly),
            tuple(y.p90 for y in yearly),
            highlight,
        )

    return svg.fan_chart(
        f"chart-fan-{index}",
        series("Status quo", fsim.status_quo_yearly),
        [series(o.name, o.yearly, o.name == recommended) for o in fsim.options],
        currency,
        "Yearly cost per option: median and P10–P90 band against the status quo",
    )


def _tornado(
    index: int, decision: Decision, fdec: FunctionDecision, option: OptionAssessment
) -> tuple[Any, str]:
    """The tornado of the featured option, or of the option with the largest swings when no
    uncertain input moves the featured one (with a caption saying so)."""
    sims = [s for s in (decision.simulated(index - 1, a.name) for a in fdec.assessments) if s]
    mine = next(s for s in sims if s.name == option.name)

    def bars(s: OptionSimulation) -> list[Any]:
        return [b for b in s.tornado if b.swing > 0][:TORNADO_ROWS]

    shown, note = mine, ""
    if not bars(mine):
        widest = max(sims, key=lambda s: sum(b.swing for b in s.tornado))
        if bars(widest):
            note = (
                f"No uncertain input in the scenario moves the saving of {option.name}; "
                f"shown instead: {widest.name}."
            )
            shown = widest
        else:
            return None, "No uncertain input in the scenario moves any option's saving."
    base = next(a for a in fdec.assessments if a.name == shown.name)
    saving = base.savings.npv_savings if base.savings else 0.0
    scenario = decision.scenario
    rows = [
        svg.TornadoRow(
            input_name(b.input, scenario).removeprefix(f"{shown.name}: ").capitalize(),
            f"{b.low_value:.4g}",
            f"{b.high_value:.4g}",
            b.savings_at_low,
            b.savings_at_high,
        )
        for b in bars(shown)
    ]
    chart = svg.tornado(
        f"chart-tornado-{index}",
        saving,
        rows,
        scenario.company.currency,
        f"{shown.name}: saving with each uncertain input at its P10 and P90",
    )
    return chart, note


def _acceptability(index: int, full: dict[str, Any] | None) -> Any:
    if full is None:
        return None
    return svg.acceptability(
        f"chart-smaa-{index}",
        full["options"],
        full["acceptability"],
        "Rank acceptability (SMAA-2): share of weight draws giving each option each rank",
    )


def _grid(index: int, fdec: FunctionDecision) -> Any:
    entries = []
    for a in fdec.assessments:
        split = len(a.sites) > 1
        for p in a.sites:
            row, column = p.classification.arrangement.cell
            label = a.name + (f" ({p.site.share:.0%})" if split else "")
            label += f" · {p.relation.work.name}" if p.relation.abroad else ""
            recommended = a.name == fdec.recommendation.option
            entries.append(svg.GridEntry(label, row, column, recommended, a.is_status_quo))
    return svg.who_where(
        f"chart-grid-{index}", entries, "Who does the work × where: the options placed"
    )


def _location_rows(fdec: FunctionDecision) -> list[dict[str, Any]]:
    users: dict[str, list[str]] = {}
    for a in fdec.assessments:
        for p in a.sites:
            users.setdefault(p.site.country, []).append(a.name)
    rows = []
    for code, found in fdec.locations.items():
        facts = location_to_dict(found)
        facts["options"] = list(dict.fromkeys(users.get(code, [])))
        facts["component_scores"] = {c["name"]: c for c in facts["components"]}
        rows.append(facts)
    return rows


def _function_view(
    index: int,
    decision: Decision,
    fdec: FunctionDecision,
    fsim: FunctionSimulation,
    acceptability: dict[str, Any] | None,
) -> dict[str, Any]:
    company = decision.scenario.company
    currency = company.currency
    option = featured(fdec, fsim)
    sim = decision.simulated(index - 1, option.name)
    assert sim is not None  # every option is simulated
    status_quo = fdec.assessments[0]
    tornado_chart, tornado_note = _tornado(index, decision, fdec, option)
    ranking = fdec.ranking
    return {
        "index": index,
        "name": fdec.profile.name,
        "kind": words(str(fdec.profile.kind)),
        "positioning": str(fdec.profile.positioning),
        "recommendation": fdec.recommendation,
        "stays": option.name != fdec.recommendation.option,
        "featured": option,
        "status_quo": status_quo,
        "status_quo_p50": fsim.status_quo.p50,
        "figures": {x.key: x for x in _summary(sim, currency, 12 * company.horizon_years)},
        "assessments": fdec.assessments,
        "simulated": {o.name: o for o in fsim.options},
        "grid_chart": _grid(index, fdec),
        "waterfall": svg.waterfall(
            f"chart-waterfall-{index}",
            waterfall_steps(option, status_quo.projection.npv),
            currency,
            f"{option.name}: from price to total cost of ownership (present values)",
        ),
        "fan": _fan(index, fsim, fdec.recommendation.option, currency),
        "tornado": tornado_chart,
        "tornado_note": tornado_note,
        "locations": _location_rows(fdec),
        "ranking": ranking,
        "ranks": None
        if ranking is None
        else [
            (
                name,
                [ranks[i] for ranks in ranking.method_ranks.values()],
                ranking.consensus[i],
                ranking.first_rank_acceptability[i],
            )
            for i, name in enumerate(ranking.options)
        ],
        "smaa": _acceptability(index, acceptability),
        "risks": key_risks(option),
        "pilot": pilot_plan(option.name, fdec.profile),
    }


def _quoted_articles() -> list[Article]:
    """The articles the case quotes: the fit rules', the dimensions' and the playbook's."""
    quoted = {*quoted_articles(), DIMENSIONS_ARTICLE, PLAYBOOK_ARTICLE}
    return sorted(quoted, key=lambda a: a.number)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sourcewise.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.filters["words"] = words
    env.filters["input_name"] = input_name
    env.globals["zip"] = zip
    # The report is one file read offline: its terms link to its own concepts appendix.
    add_report_links(env)
    return env


def render_business_case(
    decision: Decision,
    sources: ScenarioSources | None = None,
    provenance: str | None = None,
    information: ValueOfInformation | None = None,
) -> str:
    """The business case page. ``decision`` must carry its simulation; ``sources`` say where
    the scenario file gives each input (``services.scenarios.sources_of``), to cite them;
    ``provenance`` is said under the title (which stored run the case is, and whether it was
    reproduced exactly); ``information``, the value of information of the same draws
    (``services.value_of_information``; the decision's own by default), adds "What to learn
    before deciding"."""
    from sourcewise.reports.decision_charts import rank_acceptability

    information = information or decision.information
    simulation = decision.simulation
    if simulation is None:
        raise ValueError("the business case needs a decision with its simulation")
    full = rank_acceptability(decision)
    functions = [
        _function_view(i + 1, decision, f, simulation.functions[i], full[i])
        for i, f in enumerate(decision.functions)
    ]
    company = decision.scenario.company
    return (
        _environment()
        .get_template("business_case.html")
        .render(
            company=company,
            currency=company.currency,
            scenario=decision.scenario,
            functions=functions,
            sections={
                key: title for key, title in SECTIONS if key != "learn" or information is not None
            },
            information=None
            if information is None
            else [
                {"name": f.name, "findings": findings(f, decision.scenario), "result": f}
                for f in information.functions
            ],
            dimensions=[(d, DIMENSION_TITLES[d]) for d in DIMENSIONS],
            simulation=simulation,
            assumptions=assumptions(decision.scenario, sources),
            version=__version__,
            provenance=provenance,
            articles=_quoted_articles(),
            dimensions_article=DIMENSIONS_ARTICLE,
            playbook_article=PLAYBOOK_ARTICLE,
            **appendix(_quoted_articles()),
        )
    )
