"""Service credits on hand-worked contract examples, then properties of caps and earn-back.

The contract used throughout: fees 100,000.00 EUR a month, 12 % at risk (12,000.00), three
critical service levels sharing a 250 % pool (100 % + 75 % + 75 %) and one key measurement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.governance.kpis import Direction
from sourcewise.governance.service_credits import (
    CONTRACT_YEAR,
    MONTH,
    MONTH_COUNT,
    CreditTerms,
    MonthCredits,
    MonthInput,
    assess_credits,
    at_risk_amount,
)
from sourcewise.governance.service_levels import (
    Observation,
    ServiceLevel,
    ServiceLevelKind,
    Status,
    WindowResult,
    evaluate_window,
)

CRITICAL = ServiceLevelKind.CRITICAL
HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER
FEES = Decimal("100000.00")


def critical(name: str, allocation: int, *, target: float = 95.0, **extra: object) -> ServiceLevel:
    return ServiceLevel(
        name,
        name.upper(),
        CRITICAL,
        target,
        HIGHER,
        "percent",
        allocation_pct=Decimal(allocation),
        **extra,  # type: ignore[arg-type]
    )


RESOLUTION = critical("Resolution", 100)
ANSWER = critical("Answer", 75, target=90.0)
DEFECTS = ServiceLevel(
    "Defects", "DEFECTS", CRITICAL, 2.0, LOWER, "percent", allocation_pct=Decimal(75)
)
SATISFACTION = ServiceLevel(
    "Satisfaction", "CSAT", ServiceLevelKind.KEY_MEASUREMENT, 4.0, HIGHER, "score", best=5.0
)
CONTRACT = (RESOLUTION, ANSWER, DEFECTS, SATISFACTION)


def terms(**changes: object) -> CreditTerms:
    fields: dict[str, object] = {
        "at_risk_pct": Decimal(12),
        "currency": "EUR",
        "contract_start": date(2025, 1, 1),
    }
    return CreditTerms(**(fields | changes))  # type: ignore[arg-type]


def result(level: ServiceLevel, value: float) -> WindowResult:
    return evaluate_window(level, [Observation(value)])


def month(start: date, *results: WindowResult, fees: Decimal = FEES) -> MonthInput:
    return MonthInput(start, fees, results)


def months_of(*results_by_month: tuple[WindowResult, ...], start: int = 1) -> list[MonthInput]:
    return [month(date(2025, start + i, 1), *results) for i, results in enumerate(results_by_month)]


def test_two_breaches_in_a_250_percent_pool_are_capped_at_the_at_risk_amount() -> None:
    # Resolution 93 < 95 and Answer 85 < 90 breach; Defects 1.5 ≤ 2 is met.
    # 12,000 × 100 % = 12,000.00 and 12,000 × 75 % = 9,000.00: 21,000.00 assessed,
    # capped at the at-risk amount 12,000.00.
    jan = month(date(2025, 1, 1), result(RESOLUTION, 93), result(ANSWER, 85), result(DEFECTS, 1.5))
    (credits,) = assess_credits(terms(), [jan], CONTRACT)
    assert credits.at_risk == Decimal("12000.00")
    assert [(line.service_level, line.amount) for line in credits.lines] == [
        ("Resolution", Decimal("12000.00")),
        ("Answer", Decimal("9000.00")),
    ]
    assert all(line.status is Status.BREACH and line.factor == 1 for line in credits.lines)
    assert credits.assessed == Decimal("21000.00")
    assert (credits.credit, credits.capped_by) == (Decimal("12000.00"), MONTH)
    assert (credits.earned_back, credits.net) == (Decimal(0), Decimal("12000.00"))
    # Pro rata: 12,000 × 12/21 = 6,857.142857… and 12,000 × 9/21 = 5,142.857142…; rounded
    # down 6,857.14 + 5,142.85 = 11,999.99, the spare cent goes to the larger remainder (.857…).
    assert [line.credited for line in credits.lines] == [Decimal("6857.14"), Decimal("5142.86")]


def test_a_single_breach_is_not_capped() -> None:
    # Defects 2.5 > 2: 12,000 × 75 % = 9,000.00 ≤ 12,000.00.
    (credits,) = assess_credits(terms(), months_of((result(DEFECTS, 2.5),)), CONTRACT)
    assert (credits.credit, credits.capped_by) == (Decimal("9000.00"), None)
    assert credits.lines[0].credited == Decimal("9000.00")


def test_an_explicit_monthly_cap() -> None:
    # Cap 10 % of fees = 10,000.00 < assessed 21,000.00.
    jan = (result(RESOLUTION, 93), result(ANSWER, 85))
    (credits,) = assess_credits(terms(monthly_cap_pct=Decimal(10)), months_of(jan), CONTRACT)
    assert (credits.credit, credits.capped_by) == (Decimal("10000.00"), MONTH)


def test_prorated_availability() -> None:
    availability = ServiceLevel(
        "Availability",
        "AVAIL",
        CRITICAL,
        99.5,
        HIGHER,
        "percent",
        allocation_pct=Decimal(50),
        prorated=True,
        full_credit_shortfall=0.5,
    )
    levels = (availability,)
    # Attained 99.3: shortfall 0.2, factor 0.2 / 0.5 = 0.4; 12,000 × 50 % × 0.4 = 2,400.00.
    (partial,) = assess_credits(terms(), months_of((result(availability, 99.3),)), levels)
    assert partial.lines[0].factor == Decimal("0.4")
    assert partial.credit == Decimal("2400.00")
    # Attained 98.9: shortfall 0.6 ≥ 0.5, factor 1; 12,000 × 50 % = 6,000.00.
    (full,) = assess_credits(terms(), months_of((result(availability, 98.9),)), levels)
    assert (full.lines[0].factor, full.credit) == (Decimal(1), Decimal("6000.00"))


def test_annual_cap_over_three_months() -> None:
    # Annual cap 6 % of the contract year's fees invoiced so far.
    # Jan: nothing breached; cap so far 6,000.00.
    # Feb: 21,000.00 assessed → 12,000.00 after the monthly cap; annual cap so far 6 % ×
    #      200,000 = 12,000.00, nothing credited yet: 12,000.00 fits exactly (capped by month).
    # Mar: Resolution 12,000.00; annual cap so far 6 % × 300,000 = 18,000.00, 12,000.00 already
    #      credited: only 6,000.00 left.
    history = months_of(
        (result(RESOLUTION, 96),),
        (result(RESOLUTION, 93), result(ANSWER, 85)),
        (result(RESOLUTION, 93),),
    )
    jan, feb, mar = assess_credits(terms(annual_cap_pct=Decimal(6)), history, CONTRACT)
    assert (jan.credit, jan.capped_by) == (Decimal(0), None)
    assert (feb.credit, feb.capped_by) == (Decimal("12000.00"), MONTH)
    assert (mar.assessed, mar.credit, mar.capped_by) == (
        Decimal("12000.00"),
        Decimal("6000.00"),
        CONTRACT_YEAR,
    )
    assert mar.lines[0].credited == Decimal("6000.00")


def test_the_annual_cap_restarts_with_the_contract_year() -> None:
    # Contract years run from March: Feb 2025 closes year 1 (Mar 2024 – Feb 2025).
    # Jan: 12,000.00 assessed, cap so far 6 % × 100,000 = 6,000.00.
    # Feb: cap so far 12,000.00, 6,000.00 used: 6,000.00.
    # Mar: a new contract year, cap so far 6,000.00 again, nothing used: 6,000.00.
    history = months_of(*[(result(RESOLUTION, 93),)] * 3)
    regime = terms(annual_cap_pct=Decimal(6), contract_start=date(2024, 3, 15))
    credits = assess_credits(regime, history, CONTRACT)
    assert [c.credit for c in credits] == [Decimal("6000.00")] * 3
    # With the contract starting in January all three months share one year:
    # 6,000.00, then 12,000 − 6,000 = 6,000.00, then 18,000 − 12,000 = 6,000.00 as well.
    same_year = assess_credits(terms(annual_cap_pct=Decimal(6)), history, CONTRACT)
    assert sum(c.credit for c in same_year) == Decimal("18000.00")


def test_credits_in_at_most_four_months_of_a_contract_year() -> None:
    # "Service credits are payable in respect of no more than 4 months in any contract year."
    # Contract years from January. Defects breach (2.5 > 2: 9,000.00 due) in Jan, Mar, Apr,
    # Jul, Aug and Nov 2025 and in Jan 2026. Jan, Mar, Apr and Jul are the year's first four
    # credited months and keep 9,000.00 each; Aug and Nov have 9,000.00 due but are waived.
    # January 2026 starts a new contract year: credited again.
    breach, met = (result(DEFECTS, 2.5),), (result(DEFECTS, 1.5),)
    breached = {1, 3, 4, 7, 8, 11, 13}
    history = [
        month(date(2025 + (i - 1) // 12, (i - 1) % 12 + 1, 1), *(breach if i in breached else met))
        for i in range(1, 14)
    ]
    credits = assess_credits(terms(max_credit_months=4), history, CONTRACT)
    first_four = tuple(date(2025, m, 1) for m in (1, 3, 4, 7))
    by_month = {c.month: c for c in credits}
    for start in first_four:
        c = by_month[start]
        assert (c.credit, c.waived, c.capped_by) == (Decimal("9000.00"), Decimal(0), None)
    assert by_month[date(2025, 4, 1)].credit_months == first_four[:3]
    for start in (date(2025, 8, 1), date(2025, 11, 1)):
        c = by_month[start]
        assert (c.assessed, c.credit, c.waived) == (
            Decimal("9000.00"),
            Decimal(0),
            Decimal("9000.00"),
        )
        assert (c.capped_by, c.credit_months) == (MONTH_COUNT, first_four)  # why: those four
        assert c.net == 0
        assert [line.credited for line in c.lines] == [Decimal(0)]
    # Months with nothing due neither count nor are waived.
    feb = by_month[date(2025, 2, 1)]
    assert (feb.credit, feb.waived, feb.capped_by, feb.credit_months) == (
        Decimal(0),
        Decimal(0),
        None,
        first_four[:1],
    )
    next_year = by_month[date(2026, 1, 1)]
    assert (next_year.credit, next_year.credit_months) == (Decimal("9000.00"), (date(2026, 1, 1),))
    assert sum(c.credit for c in credits) == Decimal("45000.00")
    # Without the clause all six 2025 breaches are credited.
    uncapped = assess_credits(terms(), history, CONTRACT)
    assert sum(c.credit for c in uncapped) == Decimal("63000.00")


def test_the_month_count_applies_after_the_money_caps() -> None:
    # Annual cap 6 % of the year's fees so far, at most 2 credited months a year; Resolution
    # breaches every month (12,000.00 due). Jan: headroom 6,000.00, credited 6,000.00 (the
    # annual cap bites). Feb: headroom 12,000 − 6,000 = 6,000.00, credited. Mar: the money caps
    # leave 6,000.00, which the month count waives. A waived credit is not granted and takes no
    # headroom: in Apr 24,000 − 12,000 = 12,000.00 is left, so the whole 12,000.00 is waived.
    history = months_of(*[(result(RESOLUTION, 93),)] * 4)
    regime = terms(annual_cap_pct=Decimal(6), max_credit_months=2)
    jan, feb, mar, apr = assess_credits(regime, history, CONTRACT)
    assert [(c.credit, c.capped_by) for c in (jan, feb)] == [
        (Decimal("6000.00"), CONTRACT_YEAR),
        (Decimal("6000.00"), CONTRACT_YEAR),
    ]
    assert (mar.assessed, mar.credit, mar.waived, mar.capped_by) == (
        Decimal("12000.00"),
        Decimal(0),
        Decimal("6000.00"),
        MONTH_COUNT,
    )
    assert mar.credit_months == apr.credit_months == (date(2025, 1, 1), date(2025, 2, 1))
    assert (apr.credit, apr.waived, apr.capped_by) == (Decimal(0), Decimal("12000.00"), MONTH_COUNT)


def test_a_month_the_money_caps_leave_at_nothing_does_not_count() -> None:
    # The annual cap can leave a month with a credit due at 0 only by rounding: ¥1,000 a month,
    # annual cap 0.01 % (¥0.1 a month). Answer breaches every month (¥90 due). The headroom is
    # ¥0.1 … ¥0.4 → ¥0 in Jan–Apr and ¥0.5 → ¥1 in May. Jan–Apr are granted nothing, so the one
    # month allowed is May's, not January's.
    history = [month(date(2025, m, 1), result(ANSWER, 85), fees=Decimal(1000)) for m in range(1, 6)]
    regime = terms(currency="JPY", annual_cap_pct=Decimal("0.01"), max_credit_months=1)
    credits = assess_credits(regime, history, CONTRACT)
    assert [c.credit for c in credits] == [Decimal(0)] * 4 + [Decimal(1)]
    assert [c.capped_by for c in credits] == [CONTRACT_YEAR] * 5
    assert all(c.waived == 0 for c in credits)
    assert credits[-1].credit_months == (date(2025, 5, 1),)


def test_the_month_count_restarts_on_the_contract_anniversary() -> None:
    # Contract from 15 March 2024: contract years run March to February. One credited month a
    # year: Jan 2025 (year 1) is credited, Feb 2025 (year 1) waived, Mar 2025 (year 2) credited.
    history = months_of(*[(result(DEFECTS, 2.5),)] * 3)
    regime = terms(contract_start=date(2024, 3, 15), max_credit_months=1)
    jan, feb, mar = assess_credits(regime, history, CONTRACT)
    assert [c.credit for c in (jan, feb, mar)] == [Decimal("9000.00"), 0, Decimal("9000.00")]
    assert (feb.capped_by, feb.credit_months) == (MONTH_COUNT, (date(2025, 1, 1),))
    assert mar.credit_months == (date(2025, 3, 1),)


def test_an_earned_back_credit_still_used_its_month() -> None:
    # One credited month a year, 1 earn-back month: Jan's credit is returned in Feb (met), yet
    # Mar's breach is waived: the clause counts months credits were granted in.
    level = critical("Resolution", 100, earn_back_months=1)
    history = months_of((result(level, 93),), (result(level, 96),), (result(level, 93),))
    jan, feb, mar = assess_credits(terms(max_credit_months=1), history, (level,))
    assert feb.earned_back == jan.credit == Decimal("12000.00")
    assert (mar.credit, mar.waived, mar.capped_by) == (Decimal(0), Decimal("12000.00"), MONTH_COUNT)


EARN_BACK = critical("Resolution", 100, earn_back_months=3)
EARN_BACK_ANSWER = critical("Answer", 75, target=90.0, earn_back_months=3)


def test_earn_back_after_three_met_months() -> None:
    # Jan breach: 12,000.00 credited. Feb, Mar, Apr met: returned in April.
    history = months_of(
        (result(EARN_BACK, 93),),
        (result(EARN_BACK, 96),),
        (result(EARN_BACK, 97),),
        (result(EARN_BACK, 95),),
    )
    jan, feb, mar, apr = assess_credits(terms(), history, (EARN_BACK,))
    assert jan.net == Decimal("12000.00")
    assert [m.earned_back for m in (jan, feb, mar)] == [Decimal(0)] * 3
    assert (apr.credit, apr.earned_back, apr.net) == (
        Decimal(0),
        Decimal("12000.00"),
        Decimal("-12000.00"),
    )
    assert apr.returned == jan.lines


SAMPLED = critical("Resolution", 100, earn_back_months=3, minimum_sample=30)
MISSES = {
    "breach": (evaluate_window(SAMPLED, [Observation(94.0, 40)]),),
    "no data": (),
    "thin": (evaluate_window(SAMPLED, [Observation(99.0, 10)]),),  # 10 tickets < 30
}


@pytest.mark.parametrize("missed", [1, 2, 3], ids=["Feb", "Mar", "Apr"])
@pytest.mark.parametrize("miss", MISSES)
def test_a_missed_month_makes_the_credit_final(missed: int, miss: str) -> None:
    # Jan breach with 3 earn-back months, one of Feb, Mar, Apr misses: Jan's credit is final.
    # (A breach in the missing month has its own credit, pending at the end.)
    met = (evaluate_window(SAMPLED, [Observation(96.0, 40)]),)
    breach = (evaluate_window(SAMPLED, [Observation(93.0, 40)]),)
    history = months_of(breach, *[met] * (missed - 1), MISSES[miss], *[met] * (3 - missed))
    credits = assess_credits(terms(), history, (SAMPLED,))
    assert len(credits) == 4
    assert [c.earned_back for c in credits] == [Decimal(0)] * 4
    assert credits[0].net == Decimal("12000.00")


def test_earn_back_is_pending_until_the_months_are_in() -> None:
    history = months_of((result(EARN_BACK, 93),), (result(EARN_BACK, 96),))
    credits = assess_credits(terms(), history, (EARN_BACK,))
    assert [c.earned_back for c in credits] == [Decimal(0), Decimal(0)]


def test_earn_back_returns_only_the_capped_share() -> None:
    # Jan: 12,000.00 + 9,000.00 capped to 12,000.00, Resolution's share 6,857.14 (see above).
    # Resolution is met Feb–Apr, Answer breaches again in Feb: April returns 6,857.14 only.
    history = months_of(
        (result(EARN_BACK, 93), result(EARN_BACK_ANSWER, 85)),
        (result(EARN_BACK, 96), result(EARN_BACK_ANSWER, 85)),
        (result(EARN_BACK, 96), result(EARN_BACK_ANSWER, 95)),
        (result(EARN_BACK, 96), result(EARN_BACK_ANSWER, 95)),
    )
    levels = (EARN_BACK, EARN_BACK_ANSWER)
    credits = assess_credits(terms(), history, levels)
    assert credits[0].credit == Decimal("12000.00")
    assert credits[3].earned_back == Decimal("6857.14")
    # Feb's 9,000.00 for Answer is credited uncapped; Mar and Apr met, May not given: pending.
    assert credits[1].credit == Decimal("9000.00")


def test_rounding_half_a_cent_up_per_line() -> None:
    # Fees 1,000.50 EUR, 10 % at risk (100.05), two SLs with 10 % each:
    # 1,000.50 × 10 % × 10 % = 10.005 → 10.01 per line (half up; half-even would give 10.00),
    # so 20.02 assessed (rounding the sum 20.01 instead would lose a cent).
    first = critical("First", 10)
    second = critical("Second", 10)
    jan = month(date(2025, 1, 1), result(first, 90), result(second, 90), fees=Decimal("1000.50"))
    (credits,) = assess_credits(terms(at_risk_pct=Decimal(10)), [jan], (first, second))
    assert credits.at_risk == Decimal("100.05")
    assert [line.amount for line in credits.lines] == [Decimal("10.01"), Decimal("10.01")]
    assert credits.assessed == credits.credit == Decimal("20.02")


def test_yen_has_no_minor_unit() -> None:
    # ¥1,234,565 × 12 % = ¥148,147.8 → ¥148,148 at risk; × 75 % = ¥111,110.85 → ¥111,111.
    regime = terms(currency="JPY")
    assert at_risk_amount(regime, Decimal(1234565)) == Decimal(148148)
    jan = month(date(2025, 1, 1), result(ANSWER, 80), fees=Decimal(1234565))
    (credits,) = assess_credits(regime, [jan], CONTRACT)
    assert credits.credit == Decimal(111111)
    assert credits.credit.as_tuple().exponent == 0


def test_warnings_and_key_measurements() -> None:
    # Answer 94: (100 − 94) / (100 − 90) = 60 % → warning at 50 %. Satisfaction 4.2:
    # (5 − 4.2) / (5 − 4) = 80 % → warning at 75 %. Satisfaction breaches never cost anything.
    warned = (result(ANSWER, 94), result(SATISFACTION, 4.2), result(RESOLUTION, 99))
    breached_key = (result(SATISFACTION, 3.0),)
    first, second = assess_credits(terms(), months_of(warned, breached_key), CONTRACT)
    assert [(w.service_level.name, w.status) for w in first.warnings] == [
        ("Answer", Status.WARNING_50),
        ("Satisfaction", Status.WARNING_75),
    ]
    assert (first.lines, first.credit) == ((), Decimal(0))
    assert (second.lines, second.credit, second.warnings) == ((), Decimal(0), ())


def test_insufficient_sample_earns_no_credit() -> None:
    sampled = critical("Resolution", 100, minimum_sample=30)
    thin = evaluate_window(sampled, [Observation(50.0, 10)])
    (credits,) = assess_credits(terms(), months_of((thin,)), (sampled,))
    assert credits.credit == Decimal(0)


def test_invalid_inputs_name_the_problem() -> None:
    jan, feb, apr = (month(date(2025, m, 1)) for m in (1, 2, 4))
    with pytest.raises(ValueError, match="consecutive"):
        assess_credits(terms(), [jan, apr], CONTRACT)
    with pytest.raises(ValueError, match="consecutive"):
        assess_credits(terms(), [feb, jan], CONTRACT)
    with pytest.raises(ValueError, match="contract_start"):
        assess_credits(terms(contract_start=date(2025, 2, 1)), [jan], CONTRACT)
    with pytest.raises(ValueError, match="not one of service_levels"):
        assess_credits(terms(), months_of((result(RESOLUTION, 90),)), (ANSWER,))
    with pytest.raises(ValueError, match="twice"):
        assess_credits(terms(), months_of((result(ANSWER, 90),) * 2), CONTRACT)
    with pytest.raises(ValueError, match="unique"):
        assess_credits(terms(), [jan], (ANSWER, ANSWER))
    with pytest.raises(ValueError, match="month"):
        MonthInput(date(2025, 1, 2), FEES, ())
    with pytest.raises(ValueError, match="fees"):
        MonthInput(date(2025, 1, 1), Decimal(-1), ())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "EURO"}, "currency"),
        ({"currency": "ABC"}, "currency"),
        ({"at_risk_pct": 12.0}, "at_risk_pct"),
        ({"at_risk_pct": Decimal(0)}, "at_risk_pct"),
        ({"at_risk_pct": Decimal(101)}, "at_risk_pct"),
        ({"monthly_cap_pct": Decimal(-1)}, "monthly_cap_pct"),
        ({"annual_cap_pct": Decimal("NaN")}, "annual_cap_pct"),
        ({"max_credit_months": 0}, "max_credit_months"),
        ({"max_credit_months": 13}, "max_credit_months"),
        ({"max_credit_months": 4.0}, "max_credit_months"),
        ({"max_credit_months": True}, "max_credit_months"),
    ],
)
def test_invalid_terms_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        terms(**changes)


# Properties over random contracts: 1-3 critical service levels with random allocations and
# earn-back, random attained values and fees, both currencies, contract years cut anywhere.

pcts = st.integers(min_value=1, max_value=30).map(Decimal)
money = st.integers(min_value=0, max_value=50_000_000).map(lambda cents: Decimal(cents) / 100)


@st.composite
def contracts(draw: st.DrawFn) -> tuple[CreditTerms, list[MonthInput], list[ServiceLevel]]:
    regime = CreditTerms(
        at_risk_pct=draw(pcts),
        currency=draw(st.sampled_from(["EUR", "JPY"])),
        contract_start=date(2024, draw(st.integers(1, 12)), 1),
        monthly_cap_pct=draw(st.none() | pcts),
        annual_cap_pct=draw(st.none() | pcts),
        max_credit_months=draw(st.none() | st.integers(1, 12)),
    )
    levels = [
        ServiceLevel(
            f"SL{i}",
            f"SL{i}",
            CRITICAL,
            95.0,
            HIGHER,
            "percent",
            allocation_pct=draw(st.integers(1, 150).map(Decimal)),
            prorated=(prorated := draw(st.booleans())),
            full_credit_shortfall=1.0 if prorated else None,
            earn_back_months=draw(st.integers(0, 3)),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    attained = st.sampled_from([90.0, 94.2, 94.9, 95.0, 97.0, 100.0])
    history = [
        MonthInput(
            date(2025 + i // 12, i % 12 + 1, 1),
            draw(money),
            [result(level, draw(attained)) for level in levels],
        )
        for i in range(draw(st.integers(1, 18)))
    ]
    return regime, history, levels


@given(contracts())
def test_credit_is_never_negative_nor_over_the_monthly_cap(
    contract: tuple[CreditTerms, list[MonthInput], list[ServiceLevel]],
) -> None:
    regime, history, levels = contract
    for month_credits in assess_credits(regime, history, levels):
        cap_pct = regime.monthly_cap_pct
        cap = (
            month_credits.at_risk
            if cap_pct is None
            else at_risk_amount(
                CreditTerms(cap_pct, regime.currency, regime.contract_start), month_credits.fees
            )
        )
        assert Decimal(0) <= month_credits.credit <= min(cap, month_credits.assessed)
        assert month_credits.earned_back >= 0
        assert sum(line.credited for line in month_credits.lines) == month_credits.credit
        assert all(0 <= line.credited <= line.amount for line in month_credits.lines)


@given(contracts())
def test_net_credit_over_a_contract_year_never_exceeds_the_annual_cap(
    contract: tuple[CreditTerms, list[MonthInput], list[ServiceLevel]],
) -> None:
    regime, history, levels = contract
    credits = assess_credits(regime, history, levels)
    by_year: dict[int, list[MonthCredits]] = defaultdict(list)
    for c in credits:
        start = regime.contract_start
        by_year[(12 * (c.month.year - start.year) + c.month.month - start.month) // 12].append(c)
    for year in by_year.values():
        granted = sum(c.credit for c in year)
        assert sum(c.net for c in year) <= granted
        if regime.annual_cap_pct is not None:
            fees = sum((c.fees for c in year), Decimal(0))
            cap_terms = CreditTerms(regime.annual_cap_pct, regime.currency, regime.contract_start)
            assert granted <= at_risk_amount(cap_terms, fees)
    # Earn-back never returns more than was credited for a service level.
    for level in levels:
        credited = sum(
            ln.credited for c in credits for ln in c.lines if ln.service_level == level.name
        )
        returned = sum(
            ln.credited for c in credits for ln in c.returned if ln.service_level == level.name
        )
        assert returned <= credited


@given(contracts())
def test_credits_in_no_more_months_than_allowed_and_the_first_ones_untouched(
    contract: tuple[CreditTerms, list[MonthInput], list[ServiceLevel]],
) -> None:
    regime, history, levels = contract
    credits = assess_credits(regime, history, levels)
    uncapped = assess_credits(replace(regime, max_credit_months=None), history, levels)
    limit = regime.max_credit_months or 12
    start = regime.contract_start
    by_year: dict[int, list[tuple[MonthCredits, MonthCredits]]] = defaultdict(list)
    for capped, free in zip(credits, uncapped, strict=True):
        year = (12 * (capped.month.year - start.year) + capped.month.month - start.month) // 12
        by_year[year].append((capped, free))
    for pairs in by_year.values():
        granted = [c.month for c, _ in pairs if c.credit > 0]
        assert len(granted) <= limit
        for capped, free in pairs:
            if len(capped.credit_months) < limit or capped.month in granted:
                # Until the allowance is used up the clause changes nothing.
                assert (capped.credit, capped.capped_by) == (free.credit, free.capped_by)
                assert capped.waived == 0
            else:
                assert capped.credit == 0
                assert capped.credit_months == tuple(granted)
                assert capped.month > granted[-1]
                assert (capped.capped_by == MONTH_COUNT) == (capped.waived > 0)
