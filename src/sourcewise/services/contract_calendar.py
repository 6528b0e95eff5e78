"""The contract calendar across engagements: what falls due between two days (notice
deadlines, renewals, ends, price reviews, benchmarking, the end of termination assistance),
and each engagement's outlook for its list row (next end, next notice deadline, spend against
value). A principal sees the contracts of the engagements it may see, and only if its role is
shown contracts (``security.disclosure``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from sourcewise.governance.contract_calendar import (
    FIRST_DAY,
    LAST_DAY,
    LEAD_DAYS,
    Deadline,
    DueDate,
    DueState,
    current_end,
    engagement_dates,
    next_end,
    next_notice_deadline,
    notice_due,
    renewal_limit,
    renews,
)
from sourcewise.governance.contract_value import Spend, spend
from sourcewise.governance.records import Contract, Engagement
from sourcewise.security.disclosure import Part, sees
from sourcewise.security.users import Principal
from sourcewise.services.engagements import engagement_or_error
from sourcewise.services.governance_store import UowFactory

MAX_WINDOW_DAYS = 3660
"""The longest calendar asked for at once: ten years."""


class CalendarError(ValueError):
    """A window the calendar cannot show (the message names the dates)."""


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    due: DueDate
    provider: str
    currency: str
    state: DueState


@dataclass(frozen=True, slots=True)
class ContractCalendar:
    first: date
    last: date
    today: date
    lead_days: int
    entries: tuple[CalendarEntry, ...]

    def by_month(self) -> Iterator[tuple[date, list[CalendarEntry]]]:
        """The entries grouped by the month they fall in (first day of the month)."""
        for month, entries in groupby(self.entries, key=lambda e: e.due.on.replace(day=1)):
            yield month, list(entries)


def shows_contracts(principal: Principal | None, engagement: Engagement) -> bool:
    """Whether ``principal`` (None: the command line, which sees everything) is shown the
    engagement's contracts."""
    if principal is None:
        return True
    return principal.sees_provider(engagement.provider) and sees(principal.role, Part.CONTRACTS)


def default_window(today: date) -> tuple[date, date]:
    """A month back (to show what is overdue) and a year ahead."""
    return today - timedelta(days=31), today + timedelta(days=365)


def contract_calendar(
    make_uow: UowFactory,
    first: date,
    last: date,
    today: date,
    principal: Principal | None = None,
    engagement: str | None = None,
    lead_days: int = LEAD_DAYS,
) -> ContractCalendar:
    """Every contract date from ``first`` to ``last`` (both included), by date, of one
    engagement or of every engagement ``principal`` is shown the contracts of."""
    if first < FIRST_DAY or last > LAST_DAY:
        raise CalendarError(f"the window must lie between {FIRST_DAY} and {LAST_DAY}")
    if last < first:
        raise CalendarError(f"the window ends ({last}) before it starts ({first})")
    if (last - first).days > MAX_WINDOW_DAYS:
        raise CalendarError(
            f"the window {first} to {last} is longer than {MAX_WINDOW_DAYS // 366} years"
        )
    if engagement is not None:
        found = engagement_or_error(make_uow, engagement)
        if not shows_contracts(principal, found):
            raise LookupError(f"no engagement named '{engagement}'")
        engagements = [found]
    else:
        with make_uow() as uow:
            engagements = [e for e in uow.engagements.all() if shows_contracts(principal, e)]
    entries = [
        CalendarEntry(due, e.provider, e.currency, due.state(today, lead_days))
        for e in engagements
        for due in engagement_dates(e, first, last)
    ]
    entries.sort(key=lambda x: (x.due.on, x.due.engagement, x.due.contract, x.due.kind))
    return ContractCalendar(first, last, today, lead_days, tuple(entries))


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """One contract with where its running term stands."""

    contract: Contract
    end: date | None
    """The end of the running term (renewals rolled forward)."""
    notice: Deadline | None
    renews: bool


@dataclass(frozen=True, slots=True)
class ContractOutlook:
    """An engagement's contracts at a glance: the next end of a running term, the next notice
    deadline (or one overdue), and the fees spent against the contracts' value."""

    end: Deadline | None
    notice: Deadline | None
    spend: Spend
    contracts: tuple[ContractTerms, ...]


def contract_outlook(make_uow: UowFactory, engagement: Engagement, today: date) -> ContractOutlook:
    with make_uow() as uow:
        costs = uow.ledger.costs(engagement.name)
    return ContractOutlook(
        next_end(engagement, today),
        next_notice_deadline(engagement, today),
        spend(engagement.contracts, costs, today),
        tuple(_terms(engagement, c, today) for c in engagement.contracts),
    )


def _terms(engagement: Engagement, contract: Contract, today: date) -> ContractTerms:
    until = renewal_limit(engagement, contract)
    return ContractTerms(
        contract,
        current_end(contract, today, until),
        notice_due(contract, today, until),
        renews(contract),
    )
