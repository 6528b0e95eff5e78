"""Value of information as Rich tables, and the plain-words findings the reports share."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sourcewise.domain.scenario import Scenario
from sourcewise.reports.business_case_inputs import input_name
from sourcewise.reports.business_case_plans import pilot_plan
from sourcewise.reports.numbers import compact, percent
from sourcewise.services.value_of_information import (
    FunctionInformation,
    PilotValue,
    ValueOfInformation,
)

TOP_INPUTS = 10


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
        f"{compact(p.cost_per_person_month * p.months, currency)}."
    )


def findings(f: FunctionInformation, scenario: Scenario) -> list[str]:
    """The function's value of information in plain words, most important first."""
    currency = scenario.company.currency
    lines = [
        f"Deciding today, {f.best_today} has the lowest expected cost. Knowing everything "
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
            f"All the uncertain inputs together explain {compact(every.value, currency)} of it; "
            "the rest comes from uncertainty they do not carry (exchange-rate paths) and from "
            "joint effects of three or more inputs."
        )
    if f.pilots:
        lines.append(pilot_words(f.pilots[0], scenario, currency))
    return lines


def _inputs_table(f: FunctionInformation, scenario: Scenario, currency: str) -> Table:
    table = Table(title="What learning one input first is worth (EVPPI)", title_justify="left")
    table.add_column("Input", ratio=1, min_width=16)
    table.add_column("Worth", justify="right", no_wrap=True)
    table.add_column("Of EVPI", justify="right", no_wrap=True)
    for i in f.inputs[:TOP_INPUTS]:
        share = i.value / f.perfect if f.perfect > 0 else 0.0
        table.add_row(input_name(i.label, scenario), compact(i.value, currency), percent(share))
    for g in f.groups:
        table.add_row(f"[italic]{g.name}[/]", compact(g.value, currency), "")
    hidden = len(f.inputs) - TOP_INPUTS
    table.caption = (
        "Expected saving from learning the input before choosing, by regression on the draws "
        "(Strong, Oakley & Brennan 2014)"
        + (f"; {hidden} more inputs below." if hidden > 0 else ".")
    )
    table.caption_justify = "left"
    return table


def _confirming(f: FunctionInformation, scenario: Scenario, index: int) -> str:
    """The business case's pilot plan in a sentence: the samples that confirm its targets."""
    plan = pilot_plan(f.best_today, scenario.functions[index].profile)
    needs = "; ".join(
        f"{c.name.lower()} {c.target}: {c.needed:,} {c.unit}"
        for c in plan.criteria
        if c.needed is not None
    )
    return (
        f"To confirm its targets at {percent(plan.confidence)} (the pilot plan), a pilot needs "
        f"{needs}. That is what it takes to scale safely; the table above is what the pilot's "
        "result is worth to the choice."
    )


def _pilot_table(p: PilotValue, currency: str) -> Table:
    table = Table(
        title=f"A {p.months}-month pilot at {p.option}: {p.measures}", title_justify="left"
    )
    for header in ("People", "Worth (EVSI)", "Cost", "Net"):
        table.add_column(header, justify="right", no_wrap=True)
    for point in p.curve:
        mark = " ◀" if p.worth_running and point.people == p.best.people else ""
        table.add_row(
            f"{point.people}{mark}",
            compact(point.value, currency),
            compact(point.cost, currency),
            compact(point.net, currency),
        )
    table.caption = (
        f"Cost: people × {p.months} months × {compact(p.cost_per_person_month, currency)} a "
        f"person-month. Today's knowledge is worth {p.prior_sample_size:,.0f} {p.sample_unit} "
        f"of pilot data; learning the input exactly is worth {compact(p.perfect, currency)}."
    )
    table.caption_justify = "left"
    return table


def render_information(result: ValueOfInformation, console: Console | None = None) -> None:
    console = console or Console()
    scenario = result.scenario
    currency = scenario.company.currency
    console.print(
        f"[bold]{scenario.company.name}[/] · {result.draws:,} draws · seed {result.seed} · "
        f"amounts in {currency}"
    )
    for index, f in enumerate(result.functions):
        console.rule(f"[bold]{f.name}[/] · EVPI {compact(f.perfect, currency)}")
        for line in findings(f, scenario):
            console.print(line, soft_wrap=False)
        console.print(_inputs_table(f, scenario, currency))
        if f.pilots:
            console.print(_pilot_table(f.pilots[0], currency))
            console.print(_confirming(f, scenario, index))
