"""Corrective-action plans and proposed remedies as Rich tables for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Console
from rich.table import Table

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
    table = _table("Corrective-action plans")
    for header in ("#", "Engagement", "Service level", "Breach", "Owner", "Due", "State"):
        table.add_column(header, no_wrap=header in ("#", "Breach", "Due"))
    for plan in plans:
        breach = f"{plan.first_breach:%Y-%m}"
        if plan.last_breach != plan.first_breach:
            breach += f" to {plan.last_breach:%Y-%m}"
        if plan.is_open:
            state = "overdue" if plan.overdue(today) else "open"
        else:
            state = f"closed {plan.closed_at:%Y-%m-%d} by {plan.closed_by}"
        table.add_row(
            str(plan.id),
            plan.engagement,
            plan.service_level,
            breach,
            plan.owner,
            f"{plan.due_on:%Y-%m-%d}",
            state,
        )
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
    table = _table(f"Remedies proposed — {report.engagement}, as of {report.month:%Y-%m}")
    for header in ("Service level", "Breaches", "Remedy", "Granted by"):
        table.add_column(header)
    for proposal in report.proposed:
        months = ", ".join(f"{m:%Y-%m}" for m in proposal.breached_months)
        table.add_row(
            proposal.service_level,
            f"{proposal.record}: {months}",
            f"{proposal.remedy.title} ({proposal.remedy.trigger})",
            proposal.remedy.clause,
        )
    console.print(table)
    console.print("Remedies the contract grants; invoking one is the client's decision.")
