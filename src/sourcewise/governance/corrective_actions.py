"""Corrective-action plans: what a service-level breach opens, with an owner and a due date.

One plan per breach, not per month or per run: a breach of a service level opens a plan unless
the level has one open already (the later months of the same breach add to it: ``last_breach``
moves) or a closed plan covered that month already. So a monitoring run repeated, or a breach
that lasts four months, opens one plan; a new breach after the plan is closed opens another.
A plan opened on a breach that had already lasted some months (the first monitoring run after
them) starts with the first of those months not covered by an earlier plan.
The owner and the days to the due date come from the engagement's file (``corrective_actions``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from sourcewise.governance.benefits import add_months

DEFAULT_OWNER = "Vendor manager"
DEFAULT_DUE_DAYS = 30
"""A month to agree and start the plan: one monthly review later it is discussed again."""


class PlanState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class PlanTerms:
    """Who owns a new plan, and how many days from its opening it is due."""

    owner: str = DEFAULT_OWNER
    due_days: int = DEFAULT_DUE_DAYS

    def __post_init__(self) -> None:
        if not self.owner.strip():
            raise ValueError("a corrective-action plan needs an owner")
        if not 1 <= self.due_days <= 365:
            raise ValueError(f"due_days must be 1 to 365, got {self.due_days}")


@dataclass(frozen=True, slots=True)
class CorrectiveActionPlan:
    engagement: str
    service_level: str
    first_breach: date
    """The first month of the breach it was opened for."""
    last_breach: date
    """The latest breached month seen while it was open."""
    owner: str
    due_on: date
    opened_at: datetime
    state: PlanState = PlanState.OPEN
    closed_by: str | None = None
    closed_at: datetime | None = None
    closing_note: str = ""
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.state is PlanState.OPEN

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due_on < today


def plan_for_breach(
    plans: Sequence[CorrectiveActionPlan],
    engagement: str,
    service_level: str,
    month: date,
    terms: PlanTerms,
    now: datetime,
    since: date | None = None,
) -> tuple[CorrectiveActionPlan | None, CorrectiveActionPlan | None]:
    """What a breach of ``service_level`` in ``month`` does to its plans: ``(new, updated)``.

    ``new``: a plan to open (none open, and no plan covered the month); ``updated``: the open
    plan with its ``last_breach`` moved to ``month``; both None when nothing changes.
    ``since``: the first month of the breach when it has lasted since then (default ``month``).
    """
    month = month.replace(day=1)
    mine = [p for p in plans if p.engagement == engagement and p.service_level == service_level]
    current = next((p for p in mine if p.is_open), None)
    if current is not None:
        if month > current.last_breach:
            return None, replace(current, last_breach=month)
        return None, None
    if any(month <= p.last_breach for p in mine):
        return None, None
    first = min(month, (since or month).replace(day=1))
    covered = [p.last_breach for p in mine]
    if covered and first <= max(covered):
        first = add_months(max(covered), 1)  # the months before are an earlier plan's
    opened = CorrectiveActionPlan(
        engagement=engagement,
        service_level=service_level,
        first_breach=first,
        last_breach=month,
        owner=terms.owner,
        due_on=now.date() + timedelta(days=terms.due_days),
        opened_at=now,
    )
    return opened, None
