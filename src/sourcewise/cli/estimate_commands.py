"""``sourcewise estimate`` (a first cost estimate with its sources) and ``sourcewise scenario
new`` (a complete scenario file from a few answers, prompted for on a terminal)."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sourcewise.cli.app import DbOption, OutputFormat, app, fail, fail_message, store_or_fail, write
from sourcewise.cli.scenario_group import scenario_app

if TYPE_CHECKING:
    from sourcewise.domain.scenario import FunctionKind


class KindChoice(enum.StrEnum):
    customer_service = "customer-service"
    it_support = "it-support"
    software_development = "software-development"
    content = "content"
    finance_and_accounting = "finance-and-accounting"
    hr = "hr"
    logistics = "logistics"
    other = "other"


class ArrangementOption(enum.StrEnum):
    domestic_outsourcing = "domestic-outsourcing"
    captive_offshoring = "captive-offshoring"
    offshore_outsourcing = "offshore-outsourcing"


class SensitivityChoice(enum.StrEnum):
    none = "none"
    personal = "personal"
    special_category = "special-category"
    regulated = "regulated"


CountryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--country",
        "-c",
        help="Candidate country abroad, ISO alpha-2; repeat it (--country PH --country IN).",
    ),
]
RoleOption = Annotated[
    str | None,
    typer.Option(
        help="The staff's occupation: a SOC code or title of the BLS OEWS table (find one with "
        "sourcewise estimate --search WORDS); default: the kind's usual role."
    ),
]
KindOption = Annotated[
    KindChoice | None,
    typer.Option("--kind", help="Kind of function (default: from the role).", show_default=False),
]
CurrencyOption = Annotated[
    str | None, typer.Option(help="US$ (USD) or the home currency (default: the home currency).")
]
GivenOption = Annotated[
    list[str] | None,
    typer.Option(
        "--given",
        help="A number that replaces an estimate, COUNTRY.KEY=VALUE (e.g. PH.hourly_rate=11, "
        "US.benefits_load=1.35, current_annual_cost=7570891); repeat it.",
    ),
]


def _kind(choice: KindChoice | None) -> FunctionKind | None:
    from sourcewise.domain.scenario import FunctionKind

    return None if choice is None else FunctionKind(choice.value.replace("-", "_"))


def _given(pairs: list[str] | None) -> dict[str, float]:
    given: dict[str, float] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        try:
            if not sep:
                raise ValueError
            given[key.strip()] = float(value.replace(",", "").replace("_", ""))
        except ValueError:
            fail_message(f"--given {pair!r}: write COUNTRY.KEY=NUMBER, e.g. PH.hourly_rate=11")
    return given


@app.command("estimate")
def estimate(
    home: Annotated[
        str | None, typer.Option("--home", help="Home country, ISO alpha-2 (e.g. US).")
    ] = None,
    role: RoleOption = None,
    country: CountryOption = None,
    fte: Annotated[float, typer.Option(min=0.001, max=1_000_000, help="FTE today.")] = 1.0,
    kind: KindOption = None,
    currency: CurrencyOption = None,
    year: Annotated[
        int, typer.Option(min=2010, max=2100, help="Price year: pay data up to this year.")
    ] = 2023,
    given: GivenOption = None,
    search: Annotated[
        str | None,
        typer.Option(help="List the occupations whose code or title matches, and stop."),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")] = (
        OutputFormat.table
    ),
    out: Annotated[Path | None, typer.Option(help="Write to this file instead.")] = None,
) -> None:
    """A first estimate of what the function costs at home and in each candidate country, as
    own staff and through a vendor, every number with the source that says how it was made:
    BLS OEWS May 2023 pay for US roles, ILO earnings converted at PPP and the official rate
    elsewhere, and named assumptions (loads, seat cost, mark-up) with their citations."""
    import json

    from sourcewise.cli.app import print_or_write

    if search is not None:
        from sourcewise.reports.estimate_terminal import render_roles
        from sourcewise.services.cost_estimates import find_roles

        found = find_roles(search, limit=25)
        if output is OutputFormat.json:
            rows = [
                {
                    "soc_code": o.soc_code,
                    "title": o.title,
                    "group": o.group,
                    "mean": o.annual_wages()[0].mean,
                }
                for o in found
            ]
            write(json.dumps(rows, indent=2), out)
            return
        print_or_write(lambda console: render_roles(found, search, console), out)
        return
    if home is None:
        fail_message("--home is needed (or --search WORDS to find a role)")
    from sourcewise.reports.estimate_document import estimate_document
    from sourcewise.reports.estimate_terminal import render_estimate
    from sourcewise.services.cost_estimates import EstimateError, EstimateRequest, estimate_costs

    try:
        result = estimate_costs(
            EstimateRequest(
                home=home,
                countries=tuple(country or ()),
                fte=fte,
                kind=_kind(kind),
                role=role,
                currency=currency,
                price_year=year,
                given=_given(given),
            )
        )
    except EstimateError as error:
        fail_message(str(error))
    if output is OutputFormat.json:
        write(estimate_document(result).model_dump_json(indent=2), out)
        return
    print_or_write(lambda console: render_estimate(result, console), out)


def _interactive() -> bool:
    """Answers missing from the flags are asked for only when a person is at the terminal."""
    return sys.stdin.isatty()


def _ask(value: Any, prompt: str, interactive: bool, flag: str, **kwargs: Any) -> Any:
    """The flag's value, else a prompt on a terminal, else a clear refusal naming the flag."""
    if value is not None:
        return value
    if not interactive:
        fail_message(f"{flag} is needed (or run on a terminal to be asked)")
    return typer.prompt(prompt, **kwargs)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@scenario_app.command("new")
def scenario_new(
    out: Annotated[Path, typer.Option(help="The scenario file to write.")] = Path("scenario.yaml"),
    company: Annotated[str | None, typer.Option(help="Company name.")] = None,
    home: Annotated[str | None, typer.Option("--home", help="Home country, ISO alpha-2.")] = None,
    currency: CurrencyOption = None,
    function_name: Annotated[
        str | None,
        typer.Option("--function", help="Name of the function (default: from its kind)."),
    ] = None,
    kind: Annotated[
        KindChoice | None, typer.Option("--kind", help="Kind of function.", show_default=False)
    ] = None,
    role: RoleOption = None,
    fte: Annotated[float | None, typer.Option(min=0.001, max=1_000_000, help="FTE today.")] = None,
    country: CountryOption = None,
    arrangement: Annotated[
        list[ArrangementOption] | None,
        typer.Option(
            "--arrangement",
            "-a",
            help="Arrangement to consider besides in-house; repeat it (default: all three).",
        ),
    ] = None,
    data_sensitivity: Annotated[
        SensitivityChoice, typer.Option(help="The most sensitive data the function handles.")
    ] = SensitivityChoice.none,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language", "-l", help="Language the work needs, ISO 639-1 (default: en); repeat it."
        ),
    ] = None,
    overlap: Annotated[
        float,
        typer.Option(min=0, max=8, help="Hours of the working day that must overlap with home's."),
    ] = 4.0,
    strategic: Annotated[
        bool, typer.Option("--strategic/--commoditized", help="How the company sees the function.")
    ] = False,
    pilot: Annotated[bool, typer.Option("--pilot/--no-pilot", help="A pilot is planned.")] = False,
    change_management: Annotated[
        bool,
        typer.Option(
            "--change-management/--no-change-management",
            help="Training and communication for the move are planned.",
        ),
    ] = False,
    horizon: Annotated[int, typer.Option(min=1, max=30, help="Years compared.")] = 5,
    discount_rate: Annotated[
        float, typer.Option(min=0, max=0.99, help="Yearly discount rate.")
    ] = 0.08,
    current_cost: Annotated[
        float | None,
        typer.Option(help="Today's yearly cost when known (otherwise it is estimated)."),
    ] = None,
    given: GivenOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
    save: Annotated[
        bool,
        typer.Option("--save", help="Also save it in the workspace, named after OUT's file name."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Write a complete, valid scenario from a few answers: estimated costs for every option
    (a vendor at home, an own centre and a vendor in each candidate country, as chosen), each
    with its source, and the hidden costs (transition, governance) left to the tool's cited
    defaults. Answers not given as flags are asked for on a terminal."""
    from pydantic import ValidationError

    from sourcewise.domain.problems import Problem
    from sourcewise.services.scenario_builder import (
        ARRANGEMENTS,
        BuildError,
        ScenarioAnswers,
        build_scenario,
    )

    if out.exists() and not force:
        fail_message(f"{out} exists; use --force to overwrite it")
    interactive = _interactive()
    company = _ask(company, "Company name", interactive, "--company")
    home = _ask(home, "Home country (ISO alpha-2, e.g. US)", interactive, "--home")
    fte = _ask(fte, "Full-time equivalents today", interactive, "--fte", type=float)
    chosen = [a.value.replace("-", "_") for a in arrangement or []] or list(ARRANGEMENTS)
    countries = _split(country)
    if not countries and chosen != ["domestic_outsourcing"]:
        countries = _split(
            [_ask(None, "Candidate countries abroad (e.g. PH,IN,MX)", interactive, "--country")]
        )
    try:
        answers = ScenarioAnswers(
            company=company,
            home_country=home,
            currency=currency,
            function_name=function_name,
            kind=_kind(kind) or _kind(KindChoice.customer_service),
            role=role,
            fte=fte,
            countries=countries,
            arrangements=chosen,
            data_sensitivity=data_sensitivity.value.replace("-", "_"),
            languages=_split(language) or ["en"],
            overlap_hours_needed=overlap,
            positioning="strategic" if strategic else "commoditized",
            pilot_planned=pilot,
            change_management_planned=change_management,
            horizon_years=horizon,
            discount_rate=discount_rate,
            current_annual_cost=current_cost,
            given=_given(given),
        )
    except ValidationError as error:
        fail(
            [
                Problem("answers", None, ".".join(str(p) for p in e["loc"]), e["msg"])
                for e in error.errors()
            ],
            "the answers are not valid; nothing written",
        )
    try:
        built = build_scenario(answers)
    except BuildError as error:
        fail_message(f"{error}; nothing written")
    write(built.text, out)
    typer.echo(
        f"{len(built.options)} options: " + "; ".join(built.options) + f". Next: sourcewise "
        f"decide {out}",
        err=True,
    )
    if save:
        from sourcewise.cli.workspace_commands import workspace_errors
        from sourcewise.services.scenario_library import save_scenario

        with workspace_errors(f"{out} is not valid; nothing saved"):
            saved = save_scenario(
                store_or_fail(db), built.text, out.stem, "written by scenario new", source=str(out)
            )
        typer.echo(f"saved {saved.version.label}", err=True)
