"""Tables and JSON for ``sourcewise risk``: imported only when a command runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sourcewise.governance.risks import IMPACT_LABELS, LIKELIHOOD_LABELS, rating_for
from sourcewise.governance.triggers import trigger_to_dict
from sourcewise.services.governance_store import as_json
from sourcewise.services.risk_register import risk_json

if TYPE_CHECKING:
    from sourcewise.governance.risks import Assessment, Risk
    from sourcewise.services.risk_register import Escalation, Evaluation, Register, RiskHistory
    from sourcewise.storage.repositories import PlaybookRecord


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


_COLOURS = {"low": "green", "medium": "yellow", "high": "dark_orange", "critical": "red"}


def _rated(assessment: Assessment) -> str:
    rating = str(assessment.rating)
    axes = f"L{assessment.likelihood} × I{assessment.impact}"
    return f"{assessment.score} [{_COLOURS[rating]}]{rating}[/]\n[dim]{axes}[/]"


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "likelihood": assessment.likelihood,
        "impact": assessment.impact,
        "score": assessment.score,
        "rating": str(assessment.rating),
    }


def _playbook_json(run: PlaybookRecord) -> dict[str, Any]:
    return {
        "risk": run.risk,
        "trigger": run.trigger,
        "reason": run.reason,
        "opened_at": run.opened_at.isoformat(),
        "resolved_at": None if run.resolved_at is None else run.resolved_at.isoformat(),
        "actions": [
            {"action": a, "owner_role": o, "due_at": as_json(due), "done_at": as_json(done)}
            for a, o, due, done in run.actions
        ],
    }


def register_json(register: Register) -> dict[str, Any]:
    def cells(grid: dict[tuple[int, int], tuple[str, ...]]) -> list[dict[str, Any]]:
        return [
            {"likelihood": likelihood, "impact": impact, "risks": list(codes)}
            for (likelihood, impact), codes in grid.items()
        ]

    return {
        "risks": [
            {
                **risk_json(risk),
                "inherent": _assessment_json(risk.inherent),
                "residual": _assessment_json(risk.residual),
                "open_playbooks": register.open_playbooks.get(risk.code, 0),
            }
            for risk in register.risks
        ],
        "heat_map": {
            "residual": cells(register.heat_map),
            "inherent": cells(register.inherent_heat_map),
        },
        "summary": {str(rating): count for rating, count in register.summary.items()},
    }


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


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "as_of": evaluation.as_of.isoformat(),
        "risks": [
            {
                "code": item.risk.code,
                "title": item.risk.title,
                "engagement": item.risk.engagement,
                "triggers": [
                    {
                        "trigger": outcome.firing.trigger.description,
                        "definition": trigger_to_dict(outcome.firing.trigger),
                        "status": str(outcome.firing.status),
                        "reason": outcome.firing.reason,
                        "playbook": outcome.playbook,
                    }
                    for outcome in item.outcomes
                ],
            }
            for item in evaluation.risks
        ],
        "opened": [_playbook_json(run) for run in evaluation.opened],
    }


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
        steps.add_column("Due (UTC)", no_wrap=True)
        for action, owner, due, _ in run.actions:
            steps.add_row(escape(action), escape(owner), _stamp(due))
        console.print(steps)
    count = len(evaluation.opened)
    console.print(f"{count} playbook{'s' if count != 1 else ''} opened")


def escalations_json(found: tuple[Escalation, ...]) -> list[dict[str, Any]]:
    return [
        {
            "risk": item.risk.code,
            "title": item.risk.title,
            "engagement": item.risk.engagement,
            "trigger": item.playbook.trigger,
            "opened_at": item.playbook.opened_at.isoformat(),
            "level": item.state.level,
            "level_name": item.state.name,
            "owner_role": item.state.owner_role,
            "level_started_at": item.state.level_started_at.isoformat(),
            "expires_at": item.state.expires_at.isoformat(),
            "overdue": item.state.overdue,
            "next_action": None
            if item.next_action is None
            else {
                "action": item.next_action[0],
                "owner_role": item.next_action[1],
                "due_at": item.next_action[2].isoformat(),
            },
        }
        for item in found
    ]


def render_escalations(found: tuple[Escalation, ...], now: datetime, console: Console) -> None:
    table = Table(title=f"Open playbooks at {_stamp(now)} UTC", title_justify="left")
    table.add_column("Risk", no_wrap=True)
    table.add_column("Trigger", min_width=14, overflow="fold")
    table.add_column("Opened", min_width=10)
    table.add_column("Level", min_width=14, overflow="fold")
    table.add_column("Expires", min_width=10)
    table.add_column("Next action", min_width=14, overflow="fold")
    for item in found:
        state = item.state
        expires = _stamp(state.expires_at) + ("\n[bold red]OVERDUE[/]" if state.overdue else "")
        pending = ""
        if item.next_action is not None:
            action, _, due = item.next_action
            when = f"(due {_stamp(due)})"
            pending = f"{escape(action)} " + (f"[red]{when}[/]" if due < now else when)
        table.add_row(
            item.risk.code,
            escape(item.playbook.trigger),
            _stamp(item.playbook.opened_at),
            f"{state.level}: {escape(state.name)}\n[dim]{escape(state.owner_role)}[/]",
            expires,
            pending,
        )
    console.print(table)
    if not found:
        console.print("No open playbooks.")


def history_json(history: RiskHistory) -> dict[str, Any]:
    return {
        "risk": risk_json(history.risk),
        "changes": [
            {
                "at": change.at.isoformat(),
                "actor": change.actor,
                "field": change.field,
                "before": change.before,
                "after": change.after,
            }
            for change in history.changes
        ],
        "playbooks": [_playbook_json(run) for run in history.playbooks],
    }


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
            _stamp(change.at),
            escape(change.actor),
            change.field,
            escape(change.before or "—"),
            escape(change.after or "—"),
        )
    console.print(table if history.changes else "No changes since it was added.")
    for run in history.playbooks:
        state = "open" if run.resolved_at is None else f"resolved {_stamp(run.resolved_at)}"
        console.print(f"Playbook {_stamp(run.opened_at)} ({state}): {escape(run.trigger)}")
