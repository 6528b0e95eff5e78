"""Corrective-action plans and proposed remedies as Rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sourcewise.governance.corrective_actions import CorrectiveActionPlan
from sourcewise.services.remedies import RemedyReport


def _table(title: str) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)


def render_plans(
    plans: Sequence[CorrectiveActionPlan], today: date, console: Console | None = None
) -> None:
    console = console or Console()
    if not plans:
        console.print("No corrective-action plans.")
        return
    engagements = sorted({p.engagement for p in plans})
    single = len(engagements) == 1
    # One engagement: its name in the title, so the table keeps its width for the plans.
    table = _table(
        f"Corrective-action plans — {engagements[0]}" if single else "Corrective-action plans"
    )
    headers = ["#", "Service level", "Breach", "Owner", "Due", "State"]
    if not single:
        headers.insert(1, "Engagement")
    for header in headers:
        table.add_column(header, no_wrap=header in ("#", "Breach", "Due"))
    for plan in plans:
        breach = f"{plan.first_breach:%Y-%m}"
        if plan.last_breach != plan.first_breach:
            breach += f" to {plan.last_breach:%Y-%m}"
        if plan.is_open:
            state = "overdue" if plan.overdue(today) else "open"
        else:
            state = f"closed {plan.closed_at:%Y-%m-%d} by {plan.closed_by}"
        cells = [str(plan.id), plan.service_level, breach, plan.owner, f"{plan.due_on:%Y-%m-%d}"]
        cells.append(state)
        if not single:
            cells.insert(1, plan.engagement)
        table.add_row(*cells)
    console.print(table)


def render_remedies(report: RemedyReport, console: Console | None = None) -> None:
    console = console or Console()
    if not report.remedies:
        console.print(
            f"{report.engagement}: the engagement file lists no remedies (add a remedies: list)."
        )
        return
    if not report.proposed:
        console.print(
            f"{report.engagement}: no remedy applies as of {report.month:%Y-%m} "
            f"({len(report.remedies)} in the contract)."
        )
        return
    console.print(f"[bold]Remedies proposed — {report.engagement}, as of {report.month:%Y-%m}[/]")
    # A list, not a table: clause references and remedy titles stay whole on a narrow terminal.
    level = None
    for proposal in report.proposed:
        if proposal.service_level != level:
            level = proposal.service_level
            console.print(f"\n{level}", style="bold", highlight=False)
        months = ", ".join(f"{m:%Y-%m}" for m in proposal.breached_months)
        remedy = proposal.remedy
        line = Text(
            f"• {remedy.title}, {remedy.trigger}: {proposal.record} ({months}). "
            f"Granted by {remedy.clause}."
        )
        console.print(Padding(line, (0, 0, 0, 2)))
    console.print("\nRemedies the contract grants; invoking one is the client's decision.")
