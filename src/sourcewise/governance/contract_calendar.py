"""Contract dates: notice deadlines, renewals that roll a term forward, and what falls due
between two days.

Month arithmetic counts terms the way contracts do. A term of N months that follows a term
ending on E runs from the day after E to the day before the same day N months later, so

    term_end(E, N) = (E + 1 day) + N months − 1 day
    notice deadline = term_end(E, −N) for N months' notice; E − N days for N days'

The notice period is the term's final N months and the deadline the day before it: a contract
ending 2028-12-31 with 3 months' notice must be given notice by 2028-09-30, one ending
2029-02-28 by 2028-11-30 (a month end stays a month end). When the same day does not exist in
the earlier month (31 May − 3 months), that month's last day is taken, which moves a deadline
earlier, never later. An automatically renewing contract whose renewal is not decided against
rolls its end forward by whole renewal terms counted from its stated end (2028-12-31 →
2029-12-31 → 2030-12-31); a term whose corresponding day does not exist ends on that month's
last day (a term starting 31 January for one month ends on 28 or 29 February). A statement of
work renews only for terms that end by its master agreement's end, unless the master renews
itself: a statement of work does not outlive its master.
The decision recorded with the contract is about the renewal at its stated end; later terms
are undecided until the file says otherwise.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sourcewise.governance.records import (
    Contract,
    Engagement,
    NoticePeriod,
    PeriodUnit,
    RenewalDecision,
)

ONE_DAY = timedelta(days=1)
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
"""The span of contract dates and calendar windows: term arithmetic steps past the dates given,
and a year like 9999 is a typo that would step outside what a date can hold."""
LEAD_DAYS = 90
"""How many days ahead a date is due soon (the calendar) and an event (monitoring)."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative), or that month's last day when it
    has no such day (2029-01-31 + 1 month = 2029-02-28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def term_end(end: date, months: int) -> date:
    """The last day of a term of ``months`` months that follows a term ending on ``end``
    (negative ``months``: the end of the term that many months earlier)."""
    start = end + ONE_DAY
    shifted = add_months(start, months)
    if months > 0 and shifted.day < start.day:
        # No such day in that month (a term from 31 January): it ends on the month's last day.
        return shifted
    return shifted - ONE_DAY


def notice_deadline(end: date, notice: NoticePeriod) -> date:
    """The last day notice can be given for a term ending on ``end``."""
    if notice.unit is PeriodUnit.DAYS:
        return end - timedelta(days=notice.length)
    return term_end(end, -notice.length)


def renews(contract: Contract) -> bool:
    """Whether the contract's end rolls forward by itself."""
    renewal = contract.renewal
    return (
        contract.end is not None
        and renewal.automatic
        and renewal.term_months is not None
        and renewal.decision is not RenewalDecision.TERMINATE
    )


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a contract: its end, its place (0: the term ending on the stated end) and
    whether another term follows it."""

    end: date
    index: int
    renews: bool


def terms(contract: Contract, until: date | None = None) -> Iterator[Term]:
    """The contract's terms in order: the one ending on its stated end, then (renewing) each
    renewal's, counted from the stated end. ``until``: the end of the master agreement a
    statement of work is under, which no renewal may pass (``renewal_limit``)."""
    if contract.end is None:
        return
    months = contract.renewal.term_months
    index = 0
    while True:
        end = contract.end if index == 0 else term_end(contract.end, index * (months or 0))
        following = None if months is None else term_end(contract.end, (index + 1) * months)
        more = renews(contract) and (
            until is None or (following is not None and following <= until)
        )
        yield Term(end, index, more)
        if not more:
            return
        index += 1


def term_ends(contract: Contract, until: date | None = None) -> Iterator[date]:
    """The ends of the contract's terms (``terms``), in order."""
    return (term.end for term in terms(contract, until))


def renewal_limit(engagement: Engagement, contract: Contract) -> date | None:
    """The day a statement of work's renewals may not pass: its master agreement's end, when
    the master does not renew itself (a statement of work does not outlive its master)."""
    master = next((c for c in engagement.contracts if c.reference == contract.parent), None)
    if master is None or master.end is None or renews(master):
        return None
    return master.end


def current_end(contract: Contract, today: date, until: date | None = None) -> date | None:
    """The end of the term running on ``today``: the first term end on or after it (the last
    end once it has passed, for a contract that no longer renews)."""
    last = None
    for end in term_ends(contract, until):
        last = end
        if end >= today:
            return end
    return last


class DueKind(StrEnum):
    NOTICE_DEADLINE = "notice_deadline"
    RENEWAL = "renewal"
    END = "end"
    PRICE_REVIEW = "price_review"
    BENCHMARKING = "benchmarking"
    TERMINATION_ASSISTANCE_END = "termination_assistance_end"

    @property
    def label(self) -> str:
        return {
            DueKind.NOTICE_DEADLINE: "Notice deadline",
            DueKind.RENEWAL: "Renewal",
            DueKind.END: "Contract end",
            DueKind.PRICE_REVIEW: "Price review",
            DueKind.BENCHMARKING: "Benchmarking",
            DueKind.TERMINATION_ASSISTANCE_END: "Termination assistance ends",
        }[self]


class DueState(StrEnum):
    OVERDUE = "overdue"
    """A notice deadline passed with the renewal still undecided."""
    PAST = "past"
    DUE_SOON = "due_soon"
    """Today or within the lead time."""
    UPCOMING = "upcoming"


@dataclass(frozen=True, slots=True)
class DueDate:
    """One date of a contract's calendar."""

    on: date
    kind: DueKind
    engagement: str
    contract: str
    title: str
    """The contract's title."""
    summary: str
    term_end: date | None = None
    """The end of the term the date belongs to (notice deadlines, renewals, ends)."""
    decision: RenewalDecision | None = None
    """The renewal decision a notice deadline waits for."""

    def state(self, today: date, lead_days: int) -> DueState:
        if self.on < today:
            pending = self.decision is RenewalDecision.PENDING
            return DueState.OVERDUE if pending else DueState.PAST
        if (self.on - today).days <= lead_days:
            return DueState.DUE_SOON
        return DueState.UPCOMING


def _term_dates(engagement: str, contract: Contract, term: Term) -> list[DueDate]:
    ref = contract.reference
    end = term.end
    found = []
    rolls = term.renews
    if contract.notice is not None:
        decision = contract.renewal.decision if term.index == 0 else RenewalDecision.PENDING
        ending = "its term ends" if rolls else "it ends"
        outcome = "; without notice it renews" if rolls else ""
        found.append(
            DueDate(
                notice_deadline(end, contract.notice),
                DueKind.NOTICE_DEADLINE,
                engagement,
                ref,
                contract.title,
                f"Last day to give notice on {ref} ({contract.notice} before {ending} on "
                f"{end:%Y-%m-%d}){outcome}; decision: {decision.value}",
                end,
                decision,
            )
        )
    if rolls and contract.renewal.term_months is not None:
        months = contract.renewal.term_months
        found.append(
            DueDate(
                end,
                DueKind.RENEWAL,
                engagement,
                ref,
                contract.title,
                f"{ref} renews for {months} months after {end:%Y-%m-%d}, "
                f"to {term_end(end, months):%Y-%m-%d}",
                end,
            )
        )
        return found
    capped = renews(contract) and contract.parent is not None
    # A renewing statement of work that stops renewing here does so with its master agreement.
    ends = f"{ref} ends with its master agreement {contract.parent}" if capped else f"{ref} ends"
    found.append(DueDate(end, DueKind.END, engagement, ref, contract.title, ends, end))
    assistance = contract.termination_assistance
    if assistance is not None:
        until = term_end(end, assistance.months)
        found.append(
            DueDate(
                until,
                DueKind.TERMINATION_ASSISTANCE_END,
                engagement,
                ref,
                contract.title,
                f"Termination assistance for {ref} ends ({assistance.months} months after "
                f"{end:%Y-%m-%d})",
                end,
            )
        )
    return found


def contract_dates(
    engagement: str, contract: Contract, first: date, last: date, until: date | None = None
) -> list[DueDate]:
    """Every date of ``contract`` from ``first`` to ``last`` (both included), by date;
    ``until``: the day its renewals may not pass (``renewal_limit``)."""
    found = [
        DueDate(
            on,
            DueKind.PRICE_REVIEW,
            engagement,
            contract.reference,
            contract.title,
            f"Price review of {contract.reference}",
        )
        for on in contract.price_reviews
    ] + [
        DueDate(
            on,
            DueKind.BENCHMARKING,
            engagement,
            contract.reference,
            contract.title,
            f"Benchmarking of {contract.reference}",
        )
        for on in contract.benchmarks
    ]
    for term in terms(contract, until):
        dates = _term_dates(engagement, contract, term)
        found += dates
        # Later terms' dates are later still: stop at the first term wholly after ``last``.
        if min(d.on for d in dates) > last:
            break
    return sorted(
        (d for d in found if first <= d.on <= last), key=lambda d: (d.on, d.contract, d.kind)
    )


def engagement_dates(engagement: Engagement, first: date, last: date) -> list[DueDate]:
    """Every date of the engagement's contracts from ``first`` to ``last``, by date."""
    found = [
        d
        for c in engagement.contracts
        for d in contract_dates(engagement.name, c, first, last, renewal_limit(engagement, c))
    ]
    return sorted(found, key=lambda d: (d.on, d.contract, d.kind))


@dataclass(frozen=True, slots=True)
class Deadline:
    on: date
    contract: str
    overdue: bool


def next_end(engagement: Engagement, today: date) -> Deadline | None:
    """The earliest end of a running term (renewals rolled forward), with its contract."""
    ends = [
        Deadline(end, c.reference, False)
        for c in engagement.contracts
        if (end := current_end(c, today, renewal_limit(engagement, c))) is not None and end >= today
    ]
    return min(ends, key=lambda d: d.on, default=None)


def notice_due(contract: Contract, today: date, until: date | None = None) -> Deadline | None:
    """The contract's notice deadline of its running term: overdue when it has passed with the
    renewal undecided, else the next one still to come (None without notice or an end)."""
    if contract.notice is None:
        return None
    for end in term_ends(contract, until):
        if end < today:
            continue
        deadline = notice_deadline(end, contract.notice)
        first = end == contract.end
        decision = contract.renewal.decision if first else RenewalDecision.PENDING
        if deadline >= today or decision is RenewalDecision.PENDING:
            return Deadline(deadline, contract.reference, deadline < today)
    return None


def next_notice_deadline(engagement: Engagement, today: date) -> Deadline | None:
    """The earliest notice deadline of the engagement's contracts (``notice_due``)."""
    found = [
        d
        for c in engagement.contracts
        if (d := notice_due(c, today, renewal_limit(engagement, c))) is not None
    ]
    return min(found, key=lambda d: d.on, default=None)
