"""Terminal tables for audits, surveys, meetings, open actions and pilots (100 columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console

    from sourcewise.governance.pilot import CriterionResult
    from sourcewise.services.governance_records import (
        AuditReport,
        MeetingReport,
        OpenActions,
        PilotReport,
        SurveyReport,
    )


def _status(closed: date | None, due: date | None, today: date) -> str:
    if closed is not None:
        return f"done {closed}"
    if due is not None and today > due:
        return f"[red]overdue {(today - due).days} d[/]"
    return "open"


def render_audits(console: Console, report: AuditReport) -> None:
    console.print(
        f"[bold]{report.engagement}[/]: {len(report.audits)} audits, {report.open} open "
        f"findings, {report.overdue} overdue (as of {report.today})"
    )
    for summary in report.audits:
        a = summary.audit
        table = Table(title=f"{a.title} ({a.held_on}, {a.auditor})", title_justify="left")
        table.add_column("Ref", max_width=12, overflow="fold")
        table.add_column("Severity", no_wrap=True)
        table.add_column("Action (owner)", min_width=30, overflow="fold")
        table.add_column("Due", no_wrap=True)
        table.add_column("Status", no_wrap=True)
        for f in a.findings:
            status = _status(f.closed_on, f.due_on, report.today)
            action = f"{f.action}\n[dim]{f.owner}[/]"
            table.add_row(f.reference, f.severity.value, action, str(f.due_on), status)
        if not a.findings:
            table.add_row("", "", "no findings", "", "")
        console.print(table)
    counts = ", ".join(f"{n} {s}" for s, n in report.open_by_severity.items() if n)
    console.print(f"Open findings by severity: {counts or 'none'}")


def _iv(low: float, high: float, digits: int) -> str:
    return f"{low:.{digits}f} to {high:.{digits}f}"


def render_surveys(console: Console, report: SurveyReport) -> None:
    from sourcewise.governance.surveys import LikertSummary

    conf = f"{100 * report.confidence:g} %"
    console.print(
        f"[bold]{report.engagement}[/]: {report.surveys} stakeholder surveys; intervals at {conf}"
    )
    table = Table()
    table.add_column("Question", max_width=30, overflow="fold")
    table.add_column("Period", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Interval", no_wrap=True)
    table.add_column("Top-2 / P−D", no_wrap=True)
    table.add_column("Change", no_wrap=True)
    for q in report.questions:
        table.add_section()
        label = f"{q.survey}: {q.code} ({q.kind.value}, 1..{q.scale_max})"
        if q.kind.value == "nps":
            label = f"{q.survey}: {q.code} (NPS)"
        changes = {c.to_label: c for c in q.trend.changes}
        for i, p in enumerate(q.trend.periods):
            s = p.summary
            digits = 2 if q.kind.value == "likert" else 1
            if isinstance(s, LikertSummary):
                extra = f"{100 * s.top2_box:.0f} %"
            else:
                extra = f"{s.promoters}−{s.detractors}"
            change = changes.get(p.label)
            moved = ""
            if change is not None:
                star = " *" if change.significant else ""
                moved = f"{change.change:+.{digits}f}{star}"
            table.add_row(
                label if i == 0 else "", p.label, str(s.n), f"{p.value:.{digits}f}",
                _iv(p.interval.low, p.interval.high, digits), extra, moved,
            )  # fmt: skip
    console.print(table)
    console.print(f"Change: from the previous period; * when its {conf} interval excludes 0.")


def render_meetings(console: Console, report: MeetingReport) -> None:
    console.print(
        f"[bold]{report.engagement}[/]: {len(report.meetings)} meetings, "
        f"{report.open_actions} open actions, {report.overdue} overdue (as of {report.today})"
    )
    for summary in report.meetings:
        m = summary.meeting
        kind = m.kind.value.replace("_", " ")
        console.print(f"\n[bold]{m.held_on} {m.title}[/] ({kind})", soft_wrap=False)
        if m.milestone:
            console.print(f"  Milestone: {m.milestone}: {m.milestone_status}")
        for item in m.items:
            if item.kind.value == "decision":
                console.print(f"  Decision: {item.text}")
            else:
                status = _status(item.done_on, item.due_on, report.today)
                console.print(
                    f"  Action: {item.text} [dim]({item.owner}, due {item.due_on})[/] {status}"
                )
    if report.milestones:
        table = Table(title="Milestones (latest review)")
        table.add_column("Milestone", max_width=46, overflow="fold")
        table.add_column("Status", no_wrap=True)
        table.add_column("Reviewed", no_wrap=True)
        for s in report.milestones:
            table.add_row(s.milestone, s.status.replace("_", " "), str(s.reviewed_on))
        console.print(table)


def render_actions(console: Console, report: OpenActions) -> None:
    scope = report.engagement or "all engagements"
    console.print(
        f"[bold]Open actions[/], {scope}: {len(report.actions)} open, {report.overdue} overdue "
        f"(as of {report.today})"
    )
    table = Table()
    table.add_column("Due", no_wrap=True)
    table.add_column("From", max_width=24, overflow="fold")
    table.add_column("Action (owner)", min_width=30, overflow="fold")
    table.add_column("Status", no_wrap=True)
    for a in report.actions:
        origin = f"{a.reference} ({a.severity})" if a.reference else a.origin
        if report.engagement is None:
            origin = f"{a.engagement}\n[dim]{origin}[/]"
        action = f"{a.text}\n[dim]{a.owner}[/]"
        table.add_row(str(a.due_on or ""), origin, action, _status(None, a.due_on, report.today))
    console.print(table)


def _value(r: CriterionResult, x: float) -> str:
    return f"{100 * x:.2f} %" if r.kind.value == "proportion" else f"{x:.2f}"


def render_pilot(console: Console, report: PilotReport) -> None:
    ev = report.evaluation
    conf = f"{100 * report.confidence:g} %"
    console.print(
        f"[bold]{report.pilot}[/] ({report.engagement}, {report.start} to {report.end}); "
        f"intervals at {conf}"
    )
    sources = {d.name: d.source for d in report.data}
    table = Table()
    table.add_column("Criterion", max_width=18, overflow="fold")
    table.add_column("Data", max_width=16, overflow="fold")
    table.add_column("Estimate", justify="right", no_wrap=True)
    table.add_column("Target", justify="right", no_wrap=True)
    table.add_column("P(meets)", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    for r in ev.results:
        op = "≤" if r.direction.value == "lower_is_better" else "≥"
        low, high = _value(r, r.interval.low), _value(r, r.interval.high)
        estimate = f"{_value(r, r.estimate)}\n[dim]{low} to {high}[/]"
        data = f"{sources.get(r.name, '')}\n[dim]n = {r.n}[/]"
        target = f"{op} {_value(r, r.target)}"
        table.add_row(r.name, data, estimate, target, f"{r.p_meets_target:.2f}", r.verdict.value)
    console.print(table)
    colour = {"go": "green", "extend": "yellow", "stop": "red"}[ev.recommendation.value]
    console.print(f"[bold {colour}]{ev.reasons[0]}[/]")
    for reason in ev.reasons[1:]:
        console.print(f"  - {reason}", markup=False)
