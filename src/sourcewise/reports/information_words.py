"""Value of information in plain words: the findings the terminal, the business case, the decide
JSON and the web share."""

from __future__ import annotations

from sourcewise.domain.scenario import Scenario
from sourcewise.reports.business_case_inputs import input_name
from sourcewise.reports.numbers import compact, percent
from sourcewise.services.value_of_information import FunctionInformation, PilotValue


def recommended_words(f: FunctionInformation, currency: str) -> str | None:
    """How the recommended option stands to the cheapest one the values take as today's
    choice; None when the recommendation was not given."""
    r = f.recommended
    if r is None:
        return None
    if r.is_cheapest:
        return (
            f"The recommended option, {r.option}, is also the cheapest by expected cost, so "
            "every value below is measured against it."
        )
    return (
        f"The recommended option, {r.option}, is not the cheapest by expected cost: "
        f"{f.best_today} is, by about {compact(r.cost_gap, currency)} over the horizon. That "
        "gap is what the recommendation pays for strategic fit and the other criteria; no "
        "study or pilot recovers it. The values below take the cheapest option as today's "
        f"choice. Against committing to {r.option}, deciding once everything is known would "
        f"save about {compact(r.value, currency)}: the {compact(r.cost_gap, currency)} gap "
        f"plus {compact(f.perfect, currency)} from resolving the uncertainty."
    )


def pilot_words(p: PilotValue, scenario: Scenario, currency: str) -> str:
    """One pilot in a sentence: its best size, cost and worth, or why none pays."""
    best = p.best
    where = f"a {p.months}-month pilot at {p.option} measuring {p.measures}"
    if p.worth_running:
        return (
            f"{where[0].upper()}{where[1:]} with {best.people} people, costing about "
            f"{compact(best.cost, currency)}, is worth about {compact(best.value, currency)}: "
            f"{compact(best.net, currency)} more than it costs, the best of any size."
        )
    return (
        f"No size of {where} pays for itself: learning "
        f"{input_name(p.label, scenario).split(': ')[-1]} exactly is worth at most "
        f"{compact(p.perfect, currency)}, and one person for {p.months} months costs "
        f"{compact(p.fixed_cost + p.cost_per_person_month * p.months, currency)}."
    )


def findings(f: FunctionInformation, scenario: Scenario) -> list[str]:
    """The function's value of information in plain words, most important first."""
    currency = scenario.company.currency
    against = recommended_words(f, currency)
    lines = [] if against is None else [against]
    lines += [
        f"Deciding today on cost alone, {f.best_today} has the lowest expected cost. "
        "Knowing everything "
        f"before deciding would lower the expected cost by about {compact(f.perfect, currency)} "
        f"(± {compact(f.perfect_se, currency)}): the most any study or pilot is worth for this "
        "choice"
        + (
            ", and within the simulation's noise of nothing: the choice is settled on what "
            "is known."
            if f.perfect <= 2 * f.perfect_se
            else "."
        )
    ]
    top = f.inputs[0] if f.inputs else None
    if top is not None and top.value > 0.005 * f.perfect:
        lines.append(
            f"Learning {input_name(top.label, scenario)} before deciding is worth about "
            f"{compact(top.value, currency)} ({percent(top.value / f.perfect)} of that)."
        )
    elif f.inputs:
        lines.append(
            "No single input, learnt alone, is likely to change the choice: each is worth "
            f"less than {percent(0.005, 1)} of it."
        )
    every = next((g for g in f.groups if g.name == "Every uncertain input"), None)
    if every is not None and f.perfect > 0:
        lines.append(
            f"All the uncertain inputs and exchange rates together explain "
            f"{compact(every.value, currency)} of it; the rest comes from joint effects of three "
            "or more of them and from how the exchange rates move within the horizon (each is "
            "learnt as its discounted mean).",
        )
    if f.pilots:
        lines.append(pilot_words(f.pilots[0], scenario, currency))
    return lines
