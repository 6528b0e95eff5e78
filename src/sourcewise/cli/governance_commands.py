"""``sourcewise db``, ``engagement``, ``kpi``, ``costs``, ``sla``, ``monitor``, ``scorecard``,
``benefits``, ``log``: the governance store and the engagements' service levels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sourcewise.cli.app import (
    DbOption,
    OutputFormat,
    app,
    fail,
    fail_message,
    print_or_write,
    store_or_fail,
    write,
)

if TYPE_CHECKING:
    from rich.console import Console

db_app = typer.Typer(help="Create or migrate the governance database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create the governance database or migrate it to the latest schema (safe to repeat)."""
    from sourcewise.services.governance_store import upgrade_store

    url, current = upgrade_store(db, revision)
    typer.echo(f"{url} is at revision {current}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base' empties it).")],
    db: DbOption = None,
) -> None:
    """Migrate the governance database down to REVISION (``base`` drops every table)."""
    from sourcewise.services.governance_store import StoreError, downgrade_store

    try:
        url, current = downgrade_store(db, revision)
    except StoreError as error:
        fail_message(str(error))
    typer.echo(f"{url} is at revision {current or 'base'}")


FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table (terminal) or json.")
]
EngagementOption = Annotated[str, typer.Option("--engagement", "-e", help="Engagement name.")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file.")]


def _json(data: object, out: Path | None) -> None:
    import json

    write(json.dumps(data, indent=2, ensure_ascii=False), out)


def _emit(
    output: OutputFormat,
    to_json: Callable[[], object],
    render: Callable[[Console], None],
    out: Path | None = None,
) -> None:
    """JSON or Rich tables, to the terminal or ``out``."""
    if output is OutputFormat.json:
        _json(to_json(), out)
    else:
        print_or_write(render, out)


engagement_app = typer.Typer(
    help="Engagements: provider, contracts, service levels, business case.", no_args_is_help=True
)
app.add_typer(engagement_app, name="engagement")


@engagement_app.command("add")
def engagement_add(
    file: Annotated[Path, typer.Argument(help="Engagement YAML file.")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Update an engagement of the same name.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Register an engagement from FILE (the same file twice changes nothing)."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.engagements import add_engagement

    make_uow = store_or_fail(db)
    try:
        added = add_engagement(make_uow, file, replace=replace)
    except InputError as error:
        fail(list(error.problems), f"{file} is not valid")
    typer.echo(
        f"{added.name}: {added.outcome} ({added.planned_months} planned months, "
        f"{added.kpis} user-defined KPIs)"
    )


@engagement_app.command("list")
def engagement_list(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """The registered engagements, with the next contract end, the next notice deadline and
    the fees spent against the contracts' value."""
    from datetime import UTC, datetime

    from sourcewise.reports.contract_calendar_json import outlook_json
    from sourcewise.services.contract_calendar import contract_outlook
    from sourcewise.services.views import engagements_with_counts

    make_uow = store_or_fail(db)
    today = datetime.now(UTC).date()
    rows = [
        (e, count, contract_outlook(make_uow, e, today))
        for e, count in engagements_with_counts(make_uow)
    ]
    if output is OutputFormat.json:
        _json(
            [
                {
                    "name": e.name,
                    "function": e.function,
                    "arrangement": e.arrangement,
                    "provider": e.provider,
                    "country": e.country,
                    "start": e.start.isoformat(),
                    "currency": e.currency,
                    "service_levels": len(e.service_levels),
                    "measurements": count,
                    **outlook_json(outlook),
                }
                for e, count, outlook in rows
            ],
            None,
        )
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from sourcewise.reports.numbers import compact, percent

    table = Table(box=box.SIMPLE_HEAD)
    headers = ("Engagement", "Arrangement", "Provider", "Country", "Start", "SLs", "Rows")
    for header in (*headers, "Contract end", "Notice by", "Spent of value"):
        table.add_column(header)
    for e, count, outlook in rows:
        spend = outlook.spend
        notice = outlook.notice
        table.add_row(
            e.name,
            e.arrangement,
            e.provider,
            e.country,
            f"{e.start:%Y-%m}",
            str(len(e.service_levels)),
            f"{count:,}",
            "–" if outlook.end is None else f"{outlook.end.on:%Y-%m-%d}",
            "–"
            if notice is None
            else f"{notice.on:%Y-%m-%d}" + (" OVERDUE" if notice.overdue else ""),
            f"{compact(float(spend.spent), e.currency)}"
            + (
                ""
                if spend.value is None
                else f" of {compact(float(spend.value))} ({percent(spend.share)})"
            ),
        )
    Console().print(table if rows else "No engagements yet: `sourcewise engagement add`.")


kpi_app = typer.Typer(help="KPI definitions and measurements.", no_args_is_help=True)
app.add_typer(kpi_app, name="kpi")


@kpi_app.command("ingest")
def kpi_ingest(
    file: Annotated[Path, typer.Argument(help="Measurements: .csv, .xlsx, .json or .jsonl.")],
    engagement: Annotated[
        str | None,
        typer.Option("--engagement", "-e", help="Engagement of rows without one."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Correct stored values that differ.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Load KPI measurements from FILE, all or nothing: any rejected row rolls the whole file
    back, and every rejected row is listed. Loading the same file again changes nothing."""
    from sourcewise.services.kpi_ingest import ingest_measurements

    make_uow = store_or_fail(db, source=file.name)
    report = ingest_measurements(make_uow, file, engagement, replace)
    if not report.written:
        fail(
            report.problems,
            f"{file}: nothing loaded; {report.rejected:,} of {report.rows:,} rows rejected",
        )
    typer.echo(
        f"{file}: {report.rows:,} rows: {report.inserted:,} new, {report.unchanged:,} already "
        f"stored, {report.replaced:,} corrected"
    )


@kpi_app.command("list")
def kpi_list(output: FormatOption = OutputFormat.table, db: DbOption = None) -> None:
    """The KPI catalogue: built-in definitions and user-defined ones."""
    from sourcewise.services.views import kpi_catalogue

    rows = [(entry.kpi, entry.origin) for entry in kpi_catalogue(store_or_fail(db))]
    if output is OutputFormat.json:
        _json(
            [
                {
                    "code": k.code,
                    "name": k.name,
                    "unit": k.unit.value,
                    "direction": k.direction.value,
                    "kind": k.kind.value,
                    "domain": k.domain.value,
                    "origin": origin,
                    "description": k.description,
                }
                for k, origin in rows
            ],
            None,
        )
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    for header in ("Code", "Unit", "Better", "Kind", "Domain", "Origin"):
        table.add_column(header)
    for k, origin in rows:
        better = "higher" if k.direction.value == "higher_is_better" else "lower"
        table.add_row(k.code, k.unit.value, better, k.kind.value, k.domain.value, origin)
    Console().print(table)


costs_app = typer.Typer(help="What each month actually cost.", no_args_is_help=True)
app.add_typer(costs_app, name="costs")


@costs_app.command("add")
def costs_add(
    file: Annotated[Path, typer.Argument(help="CSV: engagement, month, fees, ...")],
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="Engagement of every row.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Record monthly invoiced fees, internal and one-off costs (corrections overwrite)."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.costs import add_costs

    make_uow = store_or_fail(db)
    try:
        added = add_costs(make_uow, file, engagement)
    except InputError as error:
        fail(list(error.problems), f"{file} is not valid")
    typer.echo(
        f"{file}: {added.added} months added, {added.updated} corrected, "
        f"{added.unchanged} unchanged"
    )


def _month(text: str) -> date:
    try:
        year, month = text.split("-")[:2]
        return date(int(year), int(month), 1)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a month (YYYY-MM)") from None


sla_app = typer.Typer(help="Service levels and service credits.", no_args_is_help=True)
app.add_typer(sla_app, name="sla")


@sla_app.command("report")
def sla_report_command(
    engagement: EngagementOption,
    month: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
    output: FormatOption = OutputFormat.table,
    out: OutOption = None,
    db: DbOption = None,
) -> None:
    """Every service level of ENGAGEMENT in MONTH (met, early warnings at 50 % and 75 % of the
    allowed shortfall, breaches) and the service credits due, with caps and earn-back."""
    from sourcewise.services.sla import sla_report

    make_uow = store_or_fail(db)
    try:
        report = sla_report(make_uow, engagement, _month(month))
    except (LookupError, ValueError) as error:
        fail_message(str(error))
    from sourcewise.reports import governance_json, governance_terminal

    _emit(
        output,
        lambda: governance_json.sla_report_json(report),
        lambda console: governance_terminal.render_sla(report, console),
        out,
    )


@app.command("scorecard")
def scorecard(
    provider: Annotated[str, typer.Option(help="Provider name.")],
    month: Annotated[str, typer.Option(help="Last month, YYYY-MM.")],
    months: Annotated[int, typer.Option(min=1, max=120, help="Months of history.")] = 12,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The provider's scorecard month by month: domain scores, grade (A–F) and trend.

    Quality, delivery, cost, relationship, risk and SLA compliance (the breaches of the last
    months, critical service levels weighing most) are weighted into an overall score; the
    weights come from the engagement files (scorecard:)."""
    from sourcewise.services.monitoring import scorecards

    make_uow = store_or_fail(db)
    try:
        cards = scorecards(make_uow, provider, _month(month), months)
    except LookupError as error:
        fail_message(str(error))
    from sourcewise.reports import governance_json, governance_terminal

    _emit(
        output,
        lambda: governance_json.scorecards_json(cards),
        lambda console: governance_terminal.render_scorecards(cards, console),
    )


@app.command("benefits")
def benefits_command(
    engagement: EngagementOption,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Benefit realisation: the business case's planned savings against actual fees, service
    credits and internal costs; cumulative variance and forecast break-even. Names the approved
    case the plan comes from when the engagement is linked to one (`engagement link`)."""
    from sourcewise.services.benefits import benefits, planned_case
    from sourcewise.services.engagements import engagement_or_error

    make_uow = store_or_fail(db)
    try:
        found = engagement_or_error(make_uow, engagement)
        report = benefits(make_uow, engagement)
    except LookupError as error:
        fail_message(str(error))
    case = planned_case(make_uow, found.name)
    from sourcewise.reports import governance_json, governance_terminal

    _emit(
        output,
        lambda: governance_json.benefits_json(found.name, report, case),
        lambda console: governance_terminal.render_benefits(
            found.name, report, found.currency, case, console
        ),
    )


@app.command("log")
def audit_log(
    entity: Annotated[str | None, typer.Option(help="Only this kind of record.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The audit log: every change, who made it, when, before and after (newest first)."""
    from sourcewise.services.views import audit_log as audit_log_entries

    entries = audit_log_entries(store_or_fail(db), entity=entity, limit=limit)
    if output is OutputFormat.json:
        _json(
            [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor,
                    "entity": e.entity,
                    "key": e.key,
                    "action": e.action.value,
                    "before": e.before,
                    "after": e.after,
                }
                for e in entries
            ],
            None,
        )
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    for header in ("When (UTC)", "Who", "What", "Key", "Change"):
        table.add_column(header, overflow="fold")
    for e in entries:
        table.add_row(f"{e.at:%Y-%m-%d %H:%M}", e.actor, e.entity, e.key, e.action.value)
    Console().print(table)
