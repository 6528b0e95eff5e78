"""``sourcewise engagement calendar``: what falls due under the contracts between two days, as
tables, JSON or an iCalendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import (
    DbOption,
    OutputFormat,
    fail_message,
    store_or_fail,
    write_bytes,
)
from sourcewise.cli.governance_commands import FormatOption, _emit, engagement_app


@engagement_app.command("calendar")
def engagement_calendar(
    first: Annotated[
        datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First day; default a month ago."),
    ] = None,
    last: Annotated[
        datetime | None,
        typer.Option("--to", formats=["%Y-%m-%d"], help="Last day; default a year ahead."),
    ] = None,
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="One engagement only.")
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Judge overdue and due soon as of this day."),
    ] = None,
    lead_days: Annotated[
        int, typer.Option(min=0, max=3660, help="Days ahead that a date is due soon.")
    ] = 90,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Also write the dates as an iCalendar file.")
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Notice deadlines, renewals, contract ends, price reviews, benchmarking and the end of
    termination assistance from --from to --to, for every engagement (or one), by month.
    Notice deadlines come from each contract's end and notice period; automatically renewing
    contracts roll their end forward by whole renewal terms."""
    from sourcewise.reports.contract_calendar_json import calendar_json
    from sourcewise.reports.contract_calendar_terminal import print_calendar
    from sourcewise.reports.icalendar import calendar_ics
    from sourcewise.services.contract_calendar import (
        CalendarError,
        contract_calendar,
        default_window,
    )

    now = datetime.now(UTC)
    today: date = now.date() if as_of is None else as_of.date()
    start, end = default_window(today)
    make_uow = store_or_fail(db)
    try:
        calendar = contract_calendar(
            make_uow,
            start if first is None else first.date(),
            end if last is None else last.date(),
            today,
            engagement=engagement,
            lead_days=lead_days,
        )
    except (CalendarError, LookupError) as error:
        fail_message(str(error))
    if ics is not None:
        write_bytes(calendar_ics(calendar, now).encode(), ics)
    _emit(output, lambda: calendar_json(calendar), lambda c: print_calendar(c, calendar))
