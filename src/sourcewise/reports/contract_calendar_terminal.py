"""The contract calendar for the terminal: the dates by month, each with its state and what it
means (lines rather than a table, so that the explanation stays readable in 80 columns)."""

from __future__ import annotations

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from sourcewise.governance.contract_calendar import DueState
from sourcewise.services.contract_calendar import ContractCalendar

STATE_TEXT = {
    DueState.OVERDUE: "OVERDUE",
    DueState.PAST: "past",
    DueState.DUE_SOON: "due soon",
    DueState.UPCOMING: "upcoming",
}
STATE_STYLE = {
    DueState.OVERDUE: "bold red",
    DueState.PAST: "dim",
    DueState.DUE_SOON: "dark_orange",
    DueState.UPCOMING: "green",
}


def print_calendar(console: Console, calendar: ContractCalendar) -> None:
    console.print(
        f"Contract calendar {calendar.first:%Y-%m-%d} to {calendar.last:%Y-%m-%d} "
        f"(as of {calendar.today:%Y-%m-%d}; due soon: within {calendar.lead_days} days)"
    )
    if not calendar.entries:
        console.print("Nothing falls due in this window.")
        return
    for month, entries in calendar.by_month():
        console.print()
        console.print(Text(f"{month:%B %Y}", style="bold"))
        for entry in entries:
            due = entry.due
            line = Text(f"  {due.on:%Y-%m-%d}  {due.kind.label}  ")
            line.append(STATE_TEXT[entry.state], style=STATE_STYLE[entry.state])
            line.append(f"  {due.engagement} · {due.contract}")
            console.print(line)
            console.print(Padding(Text(due.summary, style="dim"), (0, 0, 0, 14)))
