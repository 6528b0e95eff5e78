"""Notice deadlines, renewals and the dates a contract's calendar lists: month arithmetic as
terms are counted (2028-12-31 with 3 months' notice: by 2028-09-30)."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance_factories import calendar_contract, engagement
from sourcewise.governance.contract_calendar import (
    DueKind,
    DueState,
    add_months,
    contract_dates,
    current_end,
    engagement_dates,
    next_end,
    next_notice_deadline,
    notice_deadline,
    renewal_limit,
    term_end,
)
from sourcewise.governance.contract_value import committed_value, spend
from sourcewise.governance.records import (
    ContractKind,
    MonthlyCost,
    NoticePeriod,
    PeriodUnit,
    Renewal,
    RenewalDecision,
)

MONTHS = PeriodUnit.MONTHS
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))
lengths = st.integers(min_value=1, max_value=120)


def _last_day(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


@pytest.mark.parametrize(
    ("end", "months", "deadline"),
    [
        (date(2028, 12, 31), 3, date(2028, 9, 30)),
        (date(2029, 2, 28), 3, date(2028, 11, 30)),  # a month end stays a month end
        (date(2028, 11, 30), 3, date(2028, 8, 31)),
        (date(2028, 6, 15), 1, date(2028, 5, 15)),
        (date(2029, 5, 30), 3, date(2029, 2, 27)),  # no 31 February: earlier, never later
        (date(2030, 12, 31), 6, date(2030, 6, 30)),
    ],
)
def test_notice_deadlines_in_months(end: date, months: int, deadline: date) -> None:
    assert notice_deadline(end, NoticePeriod(months, MONTHS)) == deadline


def test_notice_in_days_is_counted_back_from_the_end() -> None:
    assert notice_deadline(date(2028, 12, 31), NoticePeriod(90, PeriodUnit.DAYS)) == date(
        2028, 10, 2
    )


def test_a_renewal_term_ends_on_the_corresponding_month_end() -> None:
    assert term_end(date(2028, 6, 30), 1) == date(2028, 7, 31)
    assert term_end(date(2028, 12, 31), 12) == date(2029, 12, 31)
    assert term_end(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert term_end(date(2029, 1, 30), 1) == date(2029, 2, 28)  # from 31 January
    assert term_end(date(2029, 1, 30), 2) == date(2029, 3, 30)
    assert add_months(date(2029, 1, 31), 1) == date(2029, 2, 28)


@given(days, lengths)
def test_the_notice_deadline_is_never_after_the_end(end: date, months: int) -> None:
    assert notice_deadline(end, NoticePeriod(months, MONTHS)) < end
    assert notice_deadline(end, NoticePeriod(months, PeriodUnit.DAYS)) < end


@given(days, lengths)
def test_a_month_ends_notice_deadline_is_a_month_end(end: date, months: int) -> None:
    end = add_months(end, 1).replace(day=1) - timedelta(days=1)  # the month's last day
    deadline = notice_deadline(end, NoticePeriod(months, MONTHS))
    assert _last_day(deadline)
    assert add_months(deadline + timedelta(days=1), months) == end + timedelta(days=1)


@given(days, lengths)
def test_the_notice_period_is_at_least_its_months(end: date, months: int) -> None:
    # Notice given on the deadline runs at least the whole period before the end.
    deadline = notice_deadline(end, NoticePeriod(months, MONTHS))
    assert add_months(deadline, months) <= end


@given(days, lengths, lengths)
def test_a_longer_notice_is_due_no_later(end: date, shorter: int, extra: int) -> None:
    early = notice_deadline(end, NoticePeriod(shorter + extra, MONTHS))
    assert early <= notice_deadline(end, NoticePeriod(shorter, MONTHS))


@given(days, st.integers(min_value=1, max_value=24), st.integers(min_value=1, max_value=30))
def test_renewals_count_from_the_stated_end_so_month_ends_do_not_drift(
    end: date, months: int, renewals: int
) -> None:
    # Stepping term by term would lose days at each short month (31 → 28 → 28 ...);
    # counting from the stated end does not.
    counted = term_end(end, months * renewals)
    stepped = end
    for _ in range(renewals):
        stepped = term_end(stepped, months)
    assert counted > end
    assert abs((counted - stepped).days) <= 3
    if _last_day(end):
        assert _last_day(counted)


def test_an_automatic_renewal_rolls_the_end_forward() -> None:
    contract = calendar_contract(renewal=Renewal(True, 12))
    assert current_end(contract, date(2028, 12, 31)) == date(2028, 12, 31)
    assert current_end(contract, date(2029, 1, 1)) == date(2029, 12, 31)
    assert current_end(contract, date(2031, 6, 1)) == date(2031, 12, 31)
    ending = calendar_contract(renewal=Renewal(True, 12, RenewalDecision.TERMINATE))
    assert current_end(ending, date(2031, 6, 1)) == date(2028, 12, 31)


def test_the_dates_of_a_renewing_contract() -> None:
    contract = calendar_contract(renewal=Renewal(True, 12))
    found = contract_dates("E", contract, date(2027, 1, 1), date(2029, 12, 31))
    assert [(d.on, d.kind) for d in found] == [
        (date(2027, 1, 1), DueKind.PRICE_REVIEW),
        (date(2027, 6, 30), DueKind.BENCHMARKING),
        (date(2028, 1, 1), DueKind.PRICE_REVIEW),
        (date(2028, 9, 30), DueKind.NOTICE_DEADLINE),
        (date(2028, 12, 31), DueKind.RENEWAL),
        (date(2029, 9, 30), DueKind.NOTICE_DEADLINE),
        (date(2029, 12, 31), DueKind.RENEWAL),
    ]
    assert "renews for 12 months after 2028-12-31, to 2029-12-31" in found[4].summary


def test_the_dates_of_a_contract_that_ends() -> None:
    contract = calendar_contract(renewal=Renewal(True, 12, RenewalDecision.TERMINATE))
    found = contract_dates("E", contract, date(2028, 7, 1), date(2031, 12, 31))
    assert [(d.on, d.kind) for d in found] == [
        (date(2028, 9, 30), DueKind.NOTICE_DEADLINE),
        (date(2028, 12, 31), DueKind.END),
        (date(2029, 6, 30), DueKind.TERMINATION_ASSISTANCE_END),
    ]
    assert found[0].decision is RenewalDecision.TERMINATE


def test_states_overdue_past_due_soon_upcoming() -> None:
    (deadline,) = [
        d
        for d in contract_dates(
            "E", calendar_contract(renewal=Renewal()), date(2028, 1, 2), date(2028, 12, 1)
        )
        if d.kind is DueKind.NOTICE_DEADLINE
    ]
    assert deadline.decision is RenewalDecision.PENDING
    assert deadline.state(date(2028, 10, 1), 90) is DueState.OVERDUE
    assert deadline.state(date(2028, 9, 30), 90) is DueState.DUE_SOON
    assert deadline.state(date(2028, 7, 2), 90) is DueState.DUE_SOON  # 90 days ahead
    assert deadline.state(date(2028, 7, 1), 90) is DueState.UPCOMING
    decided = calendar_contract(renewal=Renewal(False, None, RenewalDecision.RENEW))
    (done,) = [
        d
        for d in contract_dates("E", decided, date(2028, 9, 1), date(2028, 9, 30))
        if d.kind is DueKind.NOTICE_DEADLINE
    ]
    assert done.state(date(2028, 10, 1), 90) is DueState.PAST


def test_the_engagements_next_end_and_notice_deadline() -> None:
    e = engagement(contracts=(calendar_contract(renewal=Renewal(True, 12)),))
    assert next_end(e, date(2029, 3, 1)) is not None
    end = next_end(e, date(2029, 3, 1))
    assert end is not None
    assert end.on == date(2029, 12, 31)
    notice = next_notice_deadline(e, date(2028, 10, 1))
    assert notice is not None
    assert (notice.on, notice.overdue) == (date(2028, 9, 30), True)
    renewed = engagement(
        contracts=(calendar_contract(renewal=Renewal(True, 12, RenewalDecision.RENEW)),)
    )
    notice = next_notice_deadline(renewed, date(2028, 10, 1))
    assert notice is not None
    assert (notice.on, notice.overdue) == (date(2029, 9, 30), False)


def test_value_counts_a_statement_of_work_only_without_a_valued_master() -> None:
    master = calendar_contract("MSA-1", kind=ContractKind.MASTER_AGREEMENT, parent=None)
    sow = calendar_contract("SOW-2", total_value=Decimal("300"))
    assert committed_value([replace(master, total_value=None), sow]) == Decimal("300")
    assert committed_value([master, sow]) == master.total_value
    assert committed_value([calendar_contract(total_value=None)]) is None


def test_spend_to_date_is_the_fees_recorded_up_to_this_month() -> None:
    costs = [
        MonthlyCost("E", date(2026, 1, 1), Decimal("100"), Decimal("999")),
        MonthlyCost("E", date(2026, 2, 1), Decimal("150")),
        MonthlyCost("E", date(2026, 3, 1), Decimal("200")),
    ]
    found = spend([calendar_contract(total_value=Decimal("1000"))], costs, date(2026, 2, 15))
    assert (found.spent, found.remaining, found.share) == (Decimal("250"), Decimal("750"), 0.25)


def test_a_statement_of_work_renews_only_up_to_its_masters_end() -> None:
    master = calendar_contract(
        "MSA-1",
        kind=ContractKind.MASTER_AGREEMENT,
        parent=None,
        end=date(2030, 12, 31),
        renewal=Renewal(),
        notice=None,
        termination_assistance=None,
    )
    sow = calendar_contract(renewal=Renewal(True, 12), termination_assistance=None)
    e = engagement(contracts=(master, sow))
    assert renewal_limit(e, sow) == date(2030, 12, 31)
    assert renewal_limit(e, master) is None
    found = [
        (d.on, d.kind)
        for d in engagement_dates(e, date(2030, 1, 1), date(2032, 12, 31))
        if d.contract == "SOW-2"
    ]
    assert found == [
        (date(2030, 9, 30), DueKind.NOTICE_DEADLINE),
        (date(2030, 12, 31), DueKind.END),
    ]
    (end,) = [
        d
        for d in engagement_dates(e, date(2030, 12, 31), date(2030, 12, 31))
        if d.contract == "SOW-2"
    ]
    assert end.summary == "SOW-2 ends with its master agreement MSA-1"
    assert current_end(sow, date(2031, 6, 1), renewal_limit(e, sow)) == date(2030, 12, 31)
    renewing_master = replace(master, renewal=Renewal(True, 24))
    assert renewal_limit(engagement(contracts=(renewing_master, sow)), sow) is None
