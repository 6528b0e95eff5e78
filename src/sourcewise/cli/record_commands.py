"""``sourcewise audit``, ``survey``, ``meeting``, ``actions``, ``pilot``: regular audits,
stakeholder surveys, joint steering committees and milestone reviews, and a pilot before
scaling."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sourcewise.cli.app import DbOption, OutputFormat, app, fail, fail_message, store_or_fail

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from sourcewise.services.governance_store import UowFactory

audit_app = typer.Typer(
    help="Regular audits of an engagement: findings, severity, actions and due dates.",
    no_args_is_help=True,
)
survey_app = typer.Typer(
    help="Stakeholder surveys (Likert and NPS) with confidence intervals and trends.",
    no_args_is_help=True,
)
meeting_app = typer.Typer(
    help="Joint steering committees and milestone reviews, with decisions and actions.",
    no_args_is_help=True,
)
pilot_app = typer.Typer(
    help="Start with a pilot before scaling: acceptance criteria and a go / extend / stop call.",
    no_args_is_help=True,
)
app.add_typer(audit_app, name="audit")
app.add_typer(survey_app, name="survey")
app.add_typer(meeting_app, name="meeting")
app.add_typer(pilot_app, name="pilot")

FileArgument = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="YAML file.")
]
EngagementOption = Annotated[str, typer.Option("--engagement", "-e", help="Engagement name.")]
TodayOption = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Date that decides what is overdue; default today.")
]  # fmt: skip
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]
ConfidenceOption = Annotated[
    float, typer.Option(min=0.5, max=0.999, help="Confidence level of the intervals.")
]


def _add(file: Path, db: str | None, kind: str) -> None:
    from sourcewise.domain.problems import InputError
    from sourcewise.services.governance_records import add_records

    make_uow = store_or_fail(db, source=str(file))
    try:
        outcome = add_records(make_uow, file, expected=kind)
    except InputError as error:
        fail(list(error.problems), f"{file}: nothing added")
    for what in outcome.added:
        typer.echo(f"added {what}")
    for what in outcome.unchanged:
        typer.echo(f"unchanged {what} (already stored)")
    typer.echo(f"{len(outcome.added)} added, {len(outcome.unchanged)} unchanged", err=True)


def _report(db: str | None, build: Callable[[UowFactory], Any]) -> Any:
    """The report ``build`` makes from the store; a missing engagement or pilot exits 1."""
    from sourcewise.services.governance_records import RecordError
    from sourcewise.services.governance_store import NotFoundError

    make_uow = store_or_fail(db)
    try:
        return build(make_uow)
    except (NotFoundError, RecordError) as error:
        fail_message(str(error.args[0]))


def _show(report: Any, fmt: OutputFormat, render: Callable[[Console, Any], None]) -> None:
    if fmt is OutputFormat.json:
        import json

        from sourcewise.services.governance_store import as_json

        typer.echo(json.dumps(as_json(report), indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        render(Console(highlight=False), report)


def _day(today: datetime | None) -> date:
    return today.date() if today is not None else date.today()


@audit_app.command("add")
def audit_add(file: FileArgument, db: DbOption = None) -> None:
    """Add the audits in FILE (``audits:`` list or one ``audit:``); repeating is harmless."""
    _add(file, db, "audit")


@audit_app.command("list")
def audit_list(
    engagement: EngagementOption,
    today: TodayOption = None,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The engagement's audits and findings, with open and overdue actions."""
    from sourcewise.cli.record_views import render_audits
    from sourcewise.services.governance_records import audit_report

    _show(_report(db, lambda u: audit_report(u, engagement, _day(today))), fmt, render_audits)


@survey_app.command("add")
def survey_add(file: FileArgument, db: DbOption = None) -> None:
    """Add the stakeholder surveys in FILE; repeating is harmless."""
    _add(file, db, "survey")


@survey_app.command("report")
def survey_report(
    engagement: EngagementOption,
    confidence: ConfidenceOption = 0.95,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Per question: Likert mean and top-2-box or NPS, with intervals, and the trend."""
    from sourcewise.cli.record_views import render_surveys
    from sourcewise.services.governance_records import survey_report as build

    _show(_report(db, lambda u: build(u, engagement, confidence)), fmt, render_surveys)


@meeting_app.command("add")
def meeting_add(file: FileArgument, db: DbOption = None) -> None:
    """Add the steering committee meetings and milestone reviews in FILE."""
    _add(file, db, "meeting")


@meeting_app.command("list")
def meeting_list(
    engagement: EngagementOption,
    today: TodayOption = None,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Meetings with their decisions and actions, and each milestone's latest status."""
    from sourcewise.cli.record_views import render_meetings
    from sourcewise.services.governance_records import meeting_report

    _show(_report(db, lambda u: meeting_report(u, engagement, _day(today))), fmt, render_meetings)


@app.command("actions")
def actions(
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="One engagement; default all.")
    ] = None,
    today: TodayOption = None,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Open actions from audits, steering committees and milestone reviews, by due date."""
    from sourcewise.cli.record_views import render_actions
    from sourcewise.services.governance_records import open_actions

    _show(_report(db, lambda u: open_actions(u, _day(today), engagement)), fmt, render_actions)


@pilot_app.command("add")
def pilot_add(file: FileArgument, db: DbOption = None) -> None:
    """Add the pilots in FILE with their acceptance criteria."""
    _add(file, db, "pilot")


@pilot_app.command("evaluate")
def pilot_evaluate(
    engagement: EngagementOption,
    pilot: Annotated[
        str | None, typer.Option("--pilot", help="Pilot name; default the latest-starting one.")
    ] = None,
    confidence: ConfidenceOption = 0.95,
    fmt: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Evaluate a pilot on its data: each criterion, and go / extend / stop with reasons."""
    from sourcewise.cli.record_views import render_pilot
    from sourcewise.services.governance_records import evaluate_pilot_record

    report = _report(db, lambda u: evaluate_pilot_record(u, engagement, pilot, confidence))
    _show(report, fmt, render_pilot)
