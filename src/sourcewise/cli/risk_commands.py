"""``sourcewise risk``: the risk register, its triggers, playbooks and escalation path."""

from __future__ import annotations

import enum
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from sourcewise.cli.app import DbOption, app, fail, fail_message, store_or_fail, write

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

risk_app = typer.Typer(
    help="The risk register: risks with triggers on data, playbooks and the escalation path.",
    no_args_is_help=True,
)
app.add_typer(risk_app, name="risk")


class Format(enum.StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
EngagementOption = Annotated[
    str | None, typer.Option("--engagement", "-e", help="Only this engagement's risks.")
]


def _as_of(text: str | None) -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"expected YYYY-MM-DD, not {text!r}", param_hint="--as-of"
        ) from None


def _now(text: str | None) -> datetime:
    """An ISO date or date-time; a time without an offset is UTC, a bare date is its midnight."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"expected YYYY-MM-DD or YYYY-MM-DDTHH:MM, not {text!r}", param_hint="--now"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


T = TypeVar("T")


def _run(compute: Callable[[], T], label: str) -> T:
    """Run a service; invalid input or an unknown engagement or code exits 1 with the reason."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.governance_store import NotFoundError

    try:
        return compute()
    except InputError as error:
        fail(list(error.problems), label)
    except NotFoundError as error:
        fail_message(str(error))


def _show(data: Any, render: Callable[[Console], None], output_format: Format) -> None:
    if output_format is Format.json:
        write(json.dumps(data, indent=2, ensure_ascii=False), None)
        return
    from rich.console import Console

    render(Console(highlight=False))


@risk_app.command("add")
def risk_add(
    file: Annotated[Path, typer.Argument(help="Risks YAML file (see examples/governance).")],
    db: DbOption = None,
) -> None:
    """Add the risks of FILE, or update them by code (changes go to the history)."""
    from sourcewise.services.risk_register import add_risks

    make_uow = store_or_fail(db, source=str(file))
    outcome = _run(lambda: add_risks(make_uow, file), f"{file} is not valid")
    for verb, codes in (
        ("added", outcome.added),
        ("updated", outcome.updated),
        ("unchanged", outcome.unchanged),
    ):
        listed = f": {', '.join(codes)}" if codes else ""
        typer.echo(f"{len(codes)} risk{'s' if len(codes) != 1 else ''} {verb}{listed}")
    for setting in outcome.settings:
        typer.echo(f"{setting} updated")


@risk_app.command("list")
def risk_list(
    engagement: EngagementOption = None,
    output_format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """The risk register ranked by residual score, with a heat map."""
    from sourcewise.reports import risk_json, risk_terminal
    from sourcewise.services.risk_register import risk_register

    make_uow = store_or_fail(db)
    register = _run(lambda: risk_register(make_uow, engagement), "cannot list")
    _show(
        risk_json.register_json(register),
        lambda c: risk_terminal.render_register(register, c),
        output_format,
    )


@risk_app.command("evaluate")
def risk_evaluate(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluate on the data up to YYYY-MM-DD [today].")
    ] = None,
    engagement: EngagementOption = None,
    output_format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Evaluate every open risk's triggers and open a playbook for each that fired (once)."""
    from sourcewise.reports import risk_json, risk_terminal
    from sourcewise.services.risk_register import evaluate_risks

    day = _as_of(as_of)
    make_uow = store_or_fail(db)
    evaluation = _run(lambda: evaluate_risks(make_uow, day, engagement), "cannot evaluate")
    _show(
        risk_json.evaluation_json(evaluation),
        lambda c: risk_terminal.render_evaluation(evaluation, c),
        output_format,
    )


@risk_app.command("escalations")
def risk_escalations(
    now: Annotated[
        str | None,
        typer.Option(help="The moment to judge at, YYYY-MM-DD[THH:MM] (UTC) [now]."),
    ] = None,
    output_format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Where each open playbook stands on the escalation path: level, owner, time left."""
    from sourcewise.reports import risk_json, risk_terminal
    from sourcewise.services.risk_register import escalations

    moment = _now(now)
    make_uow = store_or_fail(db)
    found = _run(lambda: escalations(make_uow, moment), "cannot list escalations")
    _show(
        risk_json.escalations_json(found),
        lambda c: risk_terminal.render_escalations(found, moment, c),
        output_format,
    )


@risk_app.command("history")
def risk_history_command(
    code: Annotated[str, typer.Argument(help="Risk code, e.g. R-001.")],
    output_format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """A risk, every change made to it (who, when, before, after) and its playbooks."""
    from sourcewise.reports import risk_json, risk_terminal
    from sourcewise.services.risk_register import risk_history

    make_uow = store_or_fail(db)
    history = _run(lambda: risk_history(make_uow, code), "cannot show")
    _show(
        risk_json.history_json(history),
        lambda c: risk_terminal.render_history(history, c),
        output_format,
    )
