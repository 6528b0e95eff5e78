"""Terminal tables for ``sourcewise risk``: the register and its heat map, trigger evaluations,
escalations and a risk's history (their JSON is in ``risk_json``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sourcewise.governance.risks import IMPACT_LABELS, LIKELIHOOD_LABELS, rating_for
from sourcewise.reports.numbers import day, moment

if TYPE_CHECKING:
    from sourcewise.governance.risks import Assessment, Risk
    from sourcewise.services.risk_register import Escalation, Evaluation, Register, RiskHistory


_COLOURS = {"low": "green", "medium": "yellow", "high": "dark_orange", "critical": "red"}


def _rated(assessment: Assessment) -> str:
    rating = str(assessment.rating)
    axes = f"L{assessment.likelihood} × I{assessment.impact}"
    return f"{assessment.score} [{_COLOURS[rating]}]{rating}[/]\n[dim]{axes}[/]"


def render_register(register: Register, console: Console) -> None:
    engagements = {risk.engagement for risk in register.risks}
    shared = next(iter(engagements)) if len(engagements) == 1 else None
    title = "Risk register" + (f": {escape(shared)}" if shared else "")
    table = Table(title=f"{title} (worst residual first)", title_justify="left")
    table.add_column("Code", no_wrap=True)
    table.add_column("Title", min_width=16, overflow="fold")
    table.add_column("Category", overflow="fold")
    table.add_column("Owner", overflow="fold")
    table.add_column("Inherent", no_wrap=True)
    table.add_column("Residual", no_wrap=True)
    table.add_column("Status", overflow="fold")
    for risk in register.risks:
        runs = register.open_playbooks.get(risk.code, 0)
        status = str(risk.status) + (f"\n{runs} playbook{'s' if runs > 1 else ''}" if runs else "")
        where = f"\n[dim]{escape(risk.engagement)}[/]" if risk.engagement and not shared else ""
        table.add_row(
            risk.code,
            escape(risk.title) + where,
            str(risk.category).replace("_", " "),
            escape(risk.owner),
            _rated(risk.inherent),
            _rated(risk.residual),
            status,
        )
    console.print(table)
    if not register.risks:
        return
    grid = Table(title="Residual heat map (open risks)", title_justify="left", show_lines=True)
    grid.add_column("Likelihood \\ impact")
    for impact in range(1, 6):
        grid.add_column(f"{impact} {IMPACT_LABELS[impact]}", overflow="fold")
    for likelihood in range(5, 0, -1):
        row = [f"{likelihood} {LIKELIHOOD_LABELS[likelihood]}"]
        for impact in range(1, 6):
            codes = register.heat_map.get((likelihood, impact), ())
            band = _COLOURS[str(rating_for(likelihood * impact))]
            row.append(f"[{band}]{', '.join(codes)}[/]" if codes else "")
        grid.add_row(*row)
    console.print(grid)
    summary = ", ".join(f"{count} {rating}" for rating, count in register.summary.items())
    console.print(f"Residual ratings of open risks: {summary}")


def render_evaluation(evaluation: Evaluation, console: Console) -> None:
    marks = {
        "fired": "[red]fired[/]",
        "not_fired": "[green]quiet[/]",
        "missing_data": "[dim]no data[/]",
    }
    table = Table(
        title=f"Risk triggers as of {evaluation.as_of}", title_justify="left", expand=True
    )
    table.add_column("Risk", no_wrap=True)
    table.add_column("Trigger", ratio=2, overflow="fold")
    table.add_column("Status", no_wrap=True)
    table.add_column("Why", ratio=3, overflow="fold")
    table.add_column("Playbook", overflow="fold")
    for item in evaluation.risks:
        for outcome in item.outcomes or ():
            firing = outcome.firing
            table.add_row(
                item.risk.code,
                escape(firing.trigger.description),
                marks[str(firing.status)],
                escape(firing.reason),
                outcome.playbook or "",
            )
    console.print(table)
    for run in evaluation.opened:
        steps = Table(
            title=f"Playbook opened for {run.risk}: {escape(run.trigger)}", title_justify="left"
        )
        steps.add_column("Action", ratio=3, overflow="fold")
        steps.add_column("Owner", ratio=1, overflow="fold")
        steps.add_column("Due", no_wrap=True)
        for action, owner, due, _ in run.actions:
            # Steps fall due on a day (``due_days`` after the opening): no minutes.
            steps.add_row(escape(action), escape(owner), day(due))
        console.print(steps)
    count = len(evaluation.opened)
    console.print(f"{count} playbook{'s' if count != 1 else ''} opened")


def render_escalations(found: tuple[Escalation, ...], now: datetime, console: Console) -> None:
    table = Table(title=f"Open playbooks at {moment(now)}", title_justify="left")
    table.add_column("Risk", no_wrap=True)
    table.add_column("Trigger", min_width=14, overflow="fold")
    table.add_column("Opened", min_width=10)
    table.add_column("Level", min_width=14, overflow="fold")
    table.add_column("Expires", min_width=10)
    table.add_column("Next action", min_width=14, overflow="fold")
    for item in found:
        state = item.state
        expires = day(state.expires_at) + ("\n[bold red]OVERDUE[/]" if state.overdue else "")
        pending = ""
        if item.next_action is not None:
            action, _, due = item.next_action
            when = f"(due {day(due)})"
            pending = f"{escape(action)} " + (f"[red]{when}[/]" if due < now else when)
        table.add_row(
            item.risk.code,
            escape(item.playbook.trigger),
            moment(item.playbook.opened_at),
            f"{state.level}: {escape(state.name)}\n[dim]{escape(state.owner_role)}[/]",
            expires,
            pending,
        )
    console.print(table)
    if not found:
        console.print("No open playbooks.")


def render_history(history: RiskHistory, console: Console) -> None:
    risk: Risk = history.risk
    console.print(f"[bold]{risk.code}[/] {escape(risk.title)} ({risk.category}, {risk.status})")
    console.print(f"Owner: {escape(risk.owner)}; engagement: {escape(risk.engagement or '—')}")
    console.print(f"Inherent {risk.inherent.describe()}; residual {risk.residual.describe()}")
    table = Table(title="Changes", title_justify="left")
    for name in ("At", "Actor", "Field", "Before", "After"):
        table.add_column(name, overflow="fold")
    for change in history.changes:
        table.add_row(
            moment(change.at),
            escape(change.actor),
            change.field,
            escape(change.before or "—"),
            escape(change.after or "—"),
        )
    console.print(table if history.changes else "No changes since it was added.")
    for run in history.playbooks:
        state = "open" if run.resolved_at is None else f"resolved {moment(run.resolved_at)}"
        console.print(f"Playbook {moment(run.opened_at)} ({state}): {escape(run.trigger)}")
