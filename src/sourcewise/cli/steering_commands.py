"""``sourcewise cap``: the corrective-action plans breaches opened (list, close), and
``sourcewise remedies``: the contract remedies repeated breaches call for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from sourcewise.cli.app import DbOption, OutputFormat, app, fail_message, store_or_fail
from sourcewise.cli.governance_commands import FormatOption, _emit, _month

cap_app = typer.Typer(
    help="Corrective-action plans opened by service-level breaches (monitor run opens them).",
    no_args_is_help=True,
)
app.add_typer(cap_app, name="cap")


@cap_app.command("list")
def cap_list(
    engagement: Annotated[
        str | None, typer.Option("--engagement", "-e", help="One engagement only.")
    ] = None,
    closed: Annotated[bool, typer.Option("--closed", help="Closed plans too.")] = False,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """The open corrective-action plans (with --closed, every plan), with owner and due date."""
    from sourcewise.reports.steering_json import plan_json
    from sourcewise.reports.steering_terminal import render_plans
    from sourcewise.services.corrective_actions import plans_of

    try:
        plans = plans_of(store_or_fail(db), engagement, include_closed=closed)
    except LookupError as error:
        fail_message(str(error))
    today = datetime.now(UTC).date()
    _emit(
        output,
        lambda: [plan_json(p) for p in plans],
        lambda console: render_plans(plans, today, console),
    )


@cap_app.command("close")
def cap_close(
    plan: Annotated[int, typer.Argument(help="The plan's number (cap list).")],
    note: Annotated[str, typer.Option(help="What was done, or why the plan is closed.")],
    db: DbOption = None,
) -> None:
    """Close a corrective-action plan as $SOURCEWISE_ACTOR (else the login name), with a note;
    the closing is in the audit log."""
    from sourcewise.services.corrective_actions import close_plan
    from sourcewise.services.governance_store import current_actor

    try:
        closed = close_plan(store_or_fail(db), plan, current_actor(), note)
    except (LookupError, ValueError) as error:
        fail_message(str(error))
    typer.echo(
        f"Corrective-action plan #{closed.id} ({closed.engagement}: {closed.service_level}) "
        f"closed by {closed.closed_by}."
    )


@app.command("remedies")
def remedies(
    engagement: Annotated[str, typer.Option("--engagement", "-e", help="Engagement name.")],
    month: Annotated[
        str | None, typer.Option(help="Judge the breaches up to this month (YYYY-MM).")
    ] = None,
    output: FormatOption = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Contract remedies that repeated breaches call for, with their clauses.

    The remedies are the engagement file's remedies: list; each service level's months of
    breach are counted as each remedy says."""
    from sourcewise.reports.steering_json import remedies_json
    from sourcewise.reports.steering_terminal import render_remedies
    from sourcewise.services.remedies import remedy_report

    asked = _month(month) if month else datetime.now(UTC).date()
    try:
        report = remedy_report(store_or_fail(db), engagement, asked)
    except (LookupError, ValueError) as error:
        fail_message(str(error))
    _emit(
        output,
        lambda: remedies_json(report),
        lambda console: render_remedies(report, console),
    )
