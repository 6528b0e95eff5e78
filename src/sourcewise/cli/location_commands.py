"""``sourcewise locations``: rank countries and show one country's facts."""

from __future__ import annotations

import enum
import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sourcewise.cli.app import OutputFormat, app, fail, write

if TYPE_CHECKING:
    from collections.abc import Callable

    from sourcewise.services.locations import LocationData, LocationQuery


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
        fail(list(error.problems), label)
    if output_format is OutputFormat.json:
        write(json.dumps(to_json(result), indent=2), None)
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
