"""Value of information as Rich tables, after its findings in plain words."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sourcewise.domain.scenario import Scenario
from sourcewise.reports.business_case_inputs import input_name
from sourcewise.reports.business_case_plans import pilot_plan
from sourcewise.reports.information_words import findings
from sourcewise.reports.numbers import compact, percent
from sourcewise.services.value_of_information import (
    FunctionInformation,
    PilotValue,
    ValueOfInformation,
)

TOP_INPUTS = 10


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
        "Cost: "
        + (f"{compact(p.fixed_cost, currency)} + " if p.fixed_cost else "")
        + f"people × {p.months} months × {compact(p.cost_per_person_month, currency)} a "
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
