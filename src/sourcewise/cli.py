"""The ``sourcewise`` command line: a thin skin over the services.

Heavy modules (numpy, pydantic, the services) are imported inside each command, so
``sourcewise --help`` starts without loading them.

Exit codes: 0 success, 1 invalid input (every problem printed), 2 usage error, 3 no portfolio
meets the constraints (optimise).
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from sourcewise.decision.matrix import Ranking
    from sourcewise.domain.problems import Problem
    from sourcewise.domain.scenario import Scenario
    from sourcewise.services.locations import LocationData, LocationQuery
    from sourcewise.services.simulate import Simulation

app = typer.Typer(
    name="sourcewise",
    help=(
        "Decide whether, where and with whom to outsource or offshore a business function: "
        "who does the work (own staff or a third party) and where (home or abroad)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INVALID = 1
EXIT_INFEASIBLE = 3
"""optimise: the constraints cannot all hold (the reason is printed)."""


class EmployerChoice(enum.StrEnum):
    own = "own"
    third_party = "third-party"


DrawsOption = Annotated[int, typer.Option(min=1, max=2_000_000, help="Monte Carlo draws.")]
SeedOption = Annotated[int, typer.Option(help="Random seed; the same seed gives the same result.")]


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    html = "html"


def _fail(problems: list[Problem], label: str) -> NoReturn:
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    count = len(problems)
    console.print(
        f"[bold red]{label}: {count} problem{'s' if count != 1 else ''}[/]", soft_wrap=True
    )
    for problem in problems:
        console.print(str(problem), markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_INVALID)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
) -> None:
    """Check a scenario file and report every problem at once, each with its line."""
    from sourcewise.services.scenarios import check_scenario

    problems = check_scenario(file)
    if problems:
        _fail(problems, f"{file} is not valid")
    typer.echo(f"{file}: valid")


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from sourcewise.adapters.scenario_schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


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
    from sourcewise.adapters.country_table import load_countries
    from sourcewise.domain.arrangement import Employer
    from sourcewise.domain.problems import InputError
    from sourcewise.services.classification import classify_arrangement

    def to_employer(choice: EmployerChoice) -> Employer:
        return Employer.OWN if choice is EmployerChoice.own else Employer.THIRD_PARTY

    try:
        result = classify_arrangement(
            load_countries(),
            home,
            work_country,
            to_employer(employer),
            facility_owner=to_employer(facility_owner) if facility_owner else None,
            transfer_month=transfer_month,
        )
    except InputError as error:
        _fail(list(error.problems), "cannot classify")
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
        OutputFormat, typer.Option("--format", "-f", help="table, json or html.")
    ] = OutputFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            min=0, max=2_000_000, help="Monte Carlo draws for the cost under uncertainty; 0: none."
        ),
    ] = 10_000,
    seed: SeedOption = 20261125,
) -> None:
    """Compare every option of every function: arrangement, cost, savings, fit, recommendation."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.decide import decide as run_decide
    from sourcewise.services.scenarios import load_scenario

    try:
        scenario = load_scenario(file)
    except InputError as error:
        _fail(list(error.problems), f"{file} is not valid")
    simulation = _simulate_with_progress(scenario, draws, seed) if draws else None
    decision = run_decide(scenario, simulation=simulation, seed=seed)
    if output_format is OutputFormat.table:
        from sourcewise.reports.decision_terminal import render_decision

        if out is None:
            render_decision(decision)
            return
        import io

        from rich.console import Console

        buffer = io.StringIO()
        render_decision(decision, Console(file=buffer, width=120, no_color=True))
        text = buffer.getvalue()
    elif output_format is OutputFormat.json:
        from sourcewise.reports.decision_json import decision_to_dict

        text = json.dumps(decision_to_dict(decision), indent=2, ensure_ascii=False)
    else:
        from sourcewise.reports.decision_html import render_html

        text = render_html(decision)
    _write(text, out)


def _simulate_with_progress(scenario: Scenario, draws: int, seed: int) -> Simulation:
    """Run the simulation with a progress bar on stderr when it is a terminal."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from sourcewise.services.simulate import simulate

    total = draws * len(scenario.functions)
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} draws"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("simulate", total=total)
        return simulate(scenario, draws, seed, progress=lambda n: bar.advance(task, n))


@app.command("simulate")
def simulate_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 20261125,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Total cost of ownership under uncertainty: NPV percentiles, probability of beating the
    status quo, break-even, hidden costs and what drives the saving, for every option."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.scenarios import load_scenario

    try:
        scenario = load_scenario(file)
    except InputError as error:
        _fail(list(error.problems), f"{file} is not valid")
    result = _simulate_with_progress(scenario, draws, seed)
    if output_format is OutputFormat.json:
        from sourcewise.reports.simulation_json import simulation_to_dict

        _write(json.dumps(simulation_to_dict(result), indent=2), out)
        return
    import io

    from rich.console import Console

    from sourcewise.reports.simulation_terminal import render_simulation

    if out is None:
        render_simulation(result)
        return
    buffer = io.StringIO()
    render_simulation(result, Console(file=buffer, width=120, no_color=True))
    _write(buffer.getvalue(), out)


@app.command("optimise")
def optimise_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    draws: DrawsOption = 10_000,
    seed: SeedOption = 20261125,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
) -> None:
    """Choose one option per function together, minimising risk-adjusted cost under the
    scenario's portfolio constraints (HiGHS MILP); compare with one arrangement for all."""
    from sourcewise.domain.problems import InputError
    from sourcewise.reports.portfolio_report import plan_to_dict, render_plan
    from sourcewise.services.decide import decide as run_decide
    from sourcewise.services.optimise import plan_portfolio
    from sourcewise.services.scenarios import load_scenario

    try:
        scenario = load_scenario(file)
    except InputError as error:
        _fail(list(error.problems), f"{file} is not valid")
    simulation = _simulate_with_progress(scenario, draws, seed)
    plan = plan_portfolio(run_decide(scenario, simulation=simulation), simulation)
    currency = scenario.company.currency
    if output_format is OutputFormat.json:
        _write(json.dumps(plan_to_dict(plan, currency), indent=2), None)
    else:
        render_plan(plan, currency)
    if not plan.result.feasible:
        raise typer.Exit(EXIT_INFEASIBLE)


class RankMethod(enum.StrEnum):
    wsm = "wsm"
    wpm = "wpm"
    topsis = "topsis"
    vikor = "vikor"
    promethee = "promethee"
    electre = "electre"


@app.command("rank")
def rank_command(
    matrix_file: Annotated[
        Path, typer.Argument(help="CSV or XLSX: alternatives in rows, criteria in columns.")
    ],
    method: Annotated[RankMethod, typer.Option(help="Ranking method.")] = RankMethod.topsis,
    weights: Annotated[
        str,
        typer.Option(
            help="Comma-separated weights in column order (scaled to sum to 1), or entropy, "
            "critic or merec to derive them from the matrix."
        ),
    ] = "entropy",
    directions: Annotated[
        str,
        typer.Option(help="Comma-separated +1 (more is better) or -1 (less is better) per column."),
    ] = "",
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table or json.")
    ] = OutputFormat.table,
) -> None:
    """Rank alternatives of your own decision matrix with a multi-criteria method."""
    import numpy as np

    from sourcewise.adapters.matrix_file import read_matrix
    from sourcewise.decision import ranking
    from sourcewise.decision import weights as derive
    from sourcewise.domain.problems import Problem

    matrix, problems = read_matrix(matrix_file)
    if matrix is None:
        _fail(problems, f"{matrix_file} is not a valid matrix")
    n = len(matrix.criteria)

    def numbers(text: str, option: str) -> list[float]:
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError:
            _fail(
                [Problem("<command line>", None, option, f"'{text}' is not a list of numbers")],
                "bad option",
            )
        if len(values) != n:
            _fail(
                [
                    Problem(
                        "<command line>",
                        None,
                        option,
                        f"gives {len(values)} values for {n} criteria "
                        f"({', '.join(matrix.criteria)})",
                    )
                ],
                "bad option",
            )
        return values

    d = np.array(numbers(directions, "--directions") if directions else [1.0] * n)
    try:
        derivers = {
            "entropy": derive.entropy_weights,
            "critic": derive.critic_weights,
            "merec": derive.merec_weights,
        }
        if weights in derivers:
            w = derivers[weights](matrix.values, d)
        else:
            raw = np.array(numbers(weights, "--weights"))
            w = raw / raw.sum()
        methods: dict[RankMethod, Callable[..., Ranking]] = {
            RankMethod.wsm: ranking.wsm,
            RankMethod.wpm: ranking.wpm,
            RankMethod.topsis: ranking.topsis,
            RankMethod.vikor: ranking.vikor,
            RankMethod.promethee: ranking.promethee_ii,
            RankMethod.electre: ranking.electre_i,
        }
        result = methods[method](matrix.values, w, d)
    except ValueError as error:
        _fail([Problem(str(matrix_file), None, "", str(error))], "cannot rank")
    rows = sorted(
        zip(matrix.alternatives, result.scores.tolist(), result.ranks.tolist(), strict=True),
        key=lambda row: row[2],
    )
    if output_format is OutputFormat.json:
        payload = {
            "method": result.method,
            "criteria": list(matrix.criteria),
            "weights": [round(float(v), 6) for v in w],
            "directions": [int(v) for v in d],
            "higher_score_is_better": result.higher_is_better,
            "alternatives": [
                {"name": name, "score": score, "rank": rank} for name, score, rank in rows
            ],
        }
        _write(json.dumps(payload, indent=2), None)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result.method}: {matrix_file.name}", title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Alternative")
    table.add_column("Score", justify="right")
    for name, score, rank in rows:
        table.add_row(str(rank), name, f"{score:.4f}")
    shown = ", ".join(
        f"{c} {v:.1%}{' (-)' if s < 0 else ''}"
        for c, v, s in zip(matrix.criteria, w, d, strict=True)
    )
    table.caption = f"Weights: {shown}." + (
        "" if result.higher_is_better else " Lower score is better."
    )
    table.caption_justify = "left"
    Console().print(table)


def _write(text: str, out: Path | None) -> None:
    """Write ``text`` to ``out`` atomically (a temporary file renamed into place), or stdout."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    import os
    import tempfile

    target = out.resolve()
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, target)
    except OSError as error:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)
        from sourcewise.domain.problems import Problem

        _fail([Problem(str(out), None, "", f"cannot write: {error.strerror or error}")], "output")
    typer.echo(f"wrote {out}", err=True)


data_app = typer.Typer(help="Rebuild the packaged reference data.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("build")
def data_build(
    raw: Annotated[
        Path | None,
        typer.Option(
            help="Raw data folder (default: $SOURCEWISE_RAW_DATA, else the repository data/raw)."
        ),
    ] = None,
) -> None:
    """Rebuild the country-indicator snapshot (indicators, sources, monthly FX) from the raw
    open-data files; names that cannot be mapped to a country are listed on stderr."""
    from sourcewise.data.build_snapshot import run

    try:
        run(raw)
    except (OSError, ValueError, KeyError) as error:
        typer.echo(f"data build failed: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from error


locations_app = typer.Typer(
    help="Country facts for offshoring: time zones, language, governance, inflation, currency, "
    "data-transfer regime, with a score per kind of function.",
    no_args_is_help=True,
)
app.add_typer(locations_app, name="locations")


class FunctionChoice(enum.StrEnum):
    customer_service = "customer-service"
    it_support = "it-support"
    software_development = "software-development"
    content = "content"
    finance_and_accounting = "finance-and-accounting"
    hr = "hr"
    manufacturing = "manufacturing"
    logistics = "logistics"
    other = "other"


HomeOption = Annotated[str, typer.Option("--home", help="Home country, ISO alpha-2 (e.g. US).")]
ForOption = Annotated[
    FunctionChoice, typer.Option("--for", help="Kind of function; sets the score's weights.")
]
LanguagesOption = Annotated[
    str, typer.Option(help="Languages the work needs, ISO 639-1, comma-separated (e.g. en,es).")
]
OverlapOption = Annotated[
    float, typer.Option(min=0, max=24, help="Working hours a day that must overlap with home.")
]
SensitiveOption = Annotated[
    bool, typer.Option("--sensitive-data", help="The work handles personal or regulated data.")
]
ShiftOption = Annotated[
    bool,
    typer.Option(
        "--follows-home-hours", help="The site works home business hours (e.g. a night shift)."
    ),
]
YearOption = Annotated[
    int | None, typer.Option(min=2000, max=2100, help="Year for overlap and holidays [now].")
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]


def _location_query(
    home: str,
    kind: FunctionChoice,
    languages: str,
    overlap: float,
    sensitive: bool,
    year: int | None,
    follows_home_hours: bool,
) -> LocationQuery:
    from datetime import date

    from sourcewise.domain.scenario import FunctionKind
    from sourcewise.services.locations import LocationQuery

    return LocationQuery(
        home=home.upper(),
        kind=FunctionKind(kind.value.replace("-", "_")),
        sensitive_data=sensitive,
        languages=tuple(code.strip().lower() for code in languages.split(",") if code.strip()),
        overlap_hours_needed=overlap,
        year=year or date.today().year,
        follows_home_clock=follows_home_hours,
    )


def _locations(
    label: str,
    query: LocationQuery,
    compute: Callable[[LocationData, LocationQuery], Any],
    to_json: Callable[[Any], Any],
    render: Callable[[Any], None],
    output_format: OutputFormat,
) -> None:
    """Run a location service on the packaged data and print its result as table or JSON."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.locations import LocationData

    try:
        result = compute(LocationData.packaged(), query)
    except InputError as error:
        _fail(list(error.problems), label)
    if output_format is OutputFormat.json:
        _write(json.dumps(to_json(result), indent=2), None)
    else:
        render(result)


@locations_app.command("rank")
def locations_rank(
    home: HomeOption,
    kind: ForOption = FunctionChoice.other,
    top: Annotated[int | None, typer.Option(min=1, help="Show only the best N.")] = None,
    languages: LanguagesOption = "",
    overlap_hours: OverlapOption = 2.0,
    sensitive_data: SensitiveOption = False,
    follows_home_hours: ShiftOption = False,
    year: YearOption = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Rank every country as a place to do the work from, best first."""
    from sourcewise.reports.location_json import location_to_dict
    from sourcewise.reports.location_terminal import render_ranking
    from sourcewise.services.locations import rank

    query = _location_query(
        home, kind, languages, overlap_hours, sensitive_data, year, follows_home_hours
    )
    _locations(
        "cannot rank",
        query,
        lambda data, q: rank(data, q, top),
        lambda ranked: [location_to_dict(a) for a in ranked],
        render_ranking,
        output_format,
    )


@locations_app.command("show")
def locations_show(
    country: Annotated[str, typer.Argument(help="Country, ISO alpha-2 (e.g. IN).")],
    home: HomeOption,
    kind: ForOption = FunctionChoice.other,
    languages: LanguagesOption = "",
    overlap_hours: OverlapOption = 2.0,
    sensitive_data: SensitiveOption = False,
    follows_home_hours: ShiftOption = False,
    year: YearOption = None,
    output_format: FormatOption = OutputFormat.table,
) -> None:
    """Every fact about one country against home: score and why, overlap, holidays, data."""
    from sourcewise.reports.location_json import location_to_dict
    from sourcewise.reports.location_terminal import render_location
    from sourcewise.services.locations import assess

    query = _location_query(
        home, kind, languages, overlap_hours, sensitive_data, year, follows_home_hours
    )
    _locations(
        "cannot show",
        query,
        lambda data, q: assess(data, country, q),
        location_to_dict,
        render_location,
        output_format,
    )


def main() -> None:
    app()
