"""Commands on scenario files: validate, schema, classify, decide, simulate, optimise."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from sourcewise.cli.app import (
    EXIT_INFEASIBLE,
    DrawsOption,
    ExecutorOption,
    OutputFormat,
    SeedOption,
    app,
    executor_or_fail,
    fail,
    load_or_fail,
    print_or_write,
    progress_bar,
    write,
)
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS

if TYPE_CHECKING:
    from sourcewise.domain.scenario import Scenario
    from sourcewise.services.decide import Decision


class DecideFormat(enum.StrEnum):
    """decide's formats: OutputFormat's and a workbook. Kept apart from OutputFormat so the
    commands without a workbook view reject xlsx as a usage error instead of ignoring it."""

    table = "table"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class EmployerChoice(enum.StrEnum):
    own = "own"
    third_party = "third-party"


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
) -> None:
    """Check a scenario file and report every problem at once, each with its line."""
    from sourcewise.services.scenarios import check_scenario

    problems = check_scenario(file)
    if problems:
        fail(problems, f"{file} is not valid")
    typer.echo(f"{file}: valid")


@app.command()
def schema(
    decision: Annotated[
        bool, typer.Option("--decision", help="The JSON that decide prints instead.")
    ] = False,
    simulation: Annotated[
        bool, typer.Option("--simulation", help="The JSON that simulate prints instead.")
    ] = False,
    plan: Annotated[
        bool, typer.Option("--plan", help="The JSON that optimise prints instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of scenario files, or of a command's JSON output (its
    schema_version and the policy on changing it: docs/decide-json.md)."""
    if decision + simulation + plan > 1:
        raise typer.BadParameter("give at most one of --decision, --simulation and --plan")
    if not (decision or simulation or plan):
        from sourcewise.services.scenarios import scenario_schema

        typer.echo(json.dumps(scenario_schema(), indent=2, ensure_ascii=False))
        return
    from sourcewise.reports.decision_document import DecisionDocument
    from sourcewise.reports.document import json_schema as document_schema
    from sourcewise.reports.plan_document import PlanDocument
    from sourcewise.reports.simulation_document import SimulationDocument

    document = DecisionDocument if decision else SimulationDocument if simulation else PlanDocument
    typer.echo(json.dumps(document_schema(document), indent=2, ensure_ascii=False))


@app.command()
def classify(
    home: Annotated[str, typer.Option(help="Home country, ISO alpha-2 (e.g. US).")],
    work_country: Annotated[str, typer.Option(help="Country where the work is done.")],
    employer: Annotated[EmployerChoice, typer.Option(help="Legal employer of the workers.")],
    facility_owner: Annotated[
        EmployerChoice | None, typer.Option(help="Who owns the facility, if not the employer.")
    ] = None,
    transfer_month: Annotated[
        int | None,
        typer.Option(min=1, help="Build-operate-transfer: month the centre becomes yours."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Classify one arrangement: in-house, domestic outsourcing, captive offshoring or
    offshore outsourcing, with nearshore flagged and the reason."""
    from sourcewise.domain.arrangement import Employer
    from sourcewise.domain.problems import InputError
    from sourcewise.services.classification import classify_arrangement

    def to_employer(choice: EmployerChoice) -> Employer:
        return Employer.OWN if choice is EmployerChoice.own else Employer.THIRD_PARTY

    try:
        result = classify_arrangement(
            home,
            work_country,
            to_employer(employer),
            facility_owner=to_employer(facility_owner) if facility_owner else None,
            transfer_month=transfer_month,
        )
    except InputError as error:
        fail(list(error.problems), "cannot classify")
    if as_json:
        payload = {
            "arrangement": str(result.arrangement),
            "label": result.label,
            "nearshore": result.nearshore,
            "build_operate_transfer": result.build_operate_transfer,
            "becomes": None if result.becomes is None else str(result.becomes),
            "reason": result.reason,
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    typer.echo(result.label)
    typer.echo(result.reason)


@app.command()
def decide(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output_format: Annotated[
        DecideFormat,
        typer.Option("--format", "-f", help="table, json, html or xlsx (a workbook; needs --out)."),
    ] = DecideFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            min=0, max=MAX_DRAWS, help="Monte Carlo draws for the cost under uncertainty; 0: none."
        ),
    ] = DEFAULT_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    executor: ExecutorOption = "local",
) -> None:
    """Compare every option of every function: arrangement, cost, savings, fit, recommendation."""
    if output_format is DecideFormat.xlsx and out is None:
        raise typer.BadParameter("xlsx writes a binary workbook: give --out FILE.xlsx")
    decision = decide_with_progress(load_or_fail(file), draws, seed, executor)
    if output_format is DecideFormat.table:
        from sourcewise.reports.decision_terminal import render_decision

        print_or_write(lambda console: render_decision(decision, console), out)
        return
    if output_format is DecideFormat.xlsx and out is not None:
        from sourcewise.cli.app import write_bytes
        from sourcewise.reports.decision_workbook import decision_workbook_bytes

        write_bytes(decision_workbook_bytes(decision), out)
        return
    if output_format is DecideFormat.json:
        from sourcewise.reports.decision_json import decision_to_dict

        text = json.dumps(decision_to_dict(decision), indent=2, ensure_ascii=False)
    else:
        from sourcewise.reports.decision_html import render_html

        text = render_html(decision)
    write(text, out)


def decide_with_progress(
    scenario: Scenario,
    draws: int,
    seed: int,
    executor: str = "local",
    cross_check: bool = True,
    information: Literal["none", "summary", "groups"] = "summary",
) -> Decision:
    """``decide_scenario`` on the ``executor`` named (``executor_or_fail``: an unusable one fails
    with exit code 1, even without draws), with a progress bar on stderr when it is a terminal.
    ``information``: whether to value what could be learnt before deciding, and with it groups
    of inputs learnt together."""
    from sourcewise.services.decide import decide_scenario, progress_total
    from sourcewise.services.value_of_information import InformationScope

    with (
        executor_or_fail(executor) as runner,
        progress_bar(f"deciding ({runner.name})", progress_total(scenario, draws)) as advance,
    ):
        return decide_scenario(
            scenario,
            draws=draws,
            seed=seed,
            executor=runner,
            progress=advance,
            cross_check=cross_check,
            information=None
            if information == "none"
            else InformationScope(groups=information == "groups"),
        )


@app.command("simulate")
def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    executor: ExecutorOption = "local",
) -> None:
    """Total cost of ownership under uncertainty: NPV percentiles, probability of beating the
    status quo, break-even, hidden costs and what drives the saving, for every option."""
    from sourcewise.services.simulate import simulate

    scenario = load_or_fail(file)
    with (
        executor_or_fail(executor) as runner,
        progress_bar(f"simulating ({runner.name})", draws * len(scenario.functions)) as advance,
    ):
        result = simulate(scenario, draws, seed, progress=advance, executor=runner)
    if output_format is OutputFormat.json:
        from sourcewise.reports.simulation_json import simulation_to_dict

        write(json.dumps(simulation_to_dict(result), indent=2), out)
        return
    from sourcewise.reports.simulation_terminal import render_simulation

    print_or_write(lambda console: render_simulation(result, console), out)


@app.command("optimise")
def optimise_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
    executor: ExecutorOption = "local",
) -> None:
    """Choose one option per function together, minimising risk-adjusted cost under the
    scenario's portfolio constraints (HiGHS MILP); compare with one arrangement for all."""
    from sourcewise.reports.portfolio_report import plan_to_dict, render_plan
    from sourcewise.services.optimise import plan_portfolio

    scenario = load_or_fail(file)
    # The plan needs the options' costs and sites, not the multi-criteria ranking.
    decision = decide_with_progress(
        scenario, draws, seed, executor, cross_check=False, information="none"
    )
    plan = plan_portfolio(decision)
    currency = scenario.company.currency
    if output_format is OutputFormat.json:
        write(json.dumps(plan_to_dict(plan, decision), indent=2), None)
    else:
        render_plan(plan, currency)
    if not plan.result.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)
