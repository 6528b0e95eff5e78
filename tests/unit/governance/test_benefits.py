"""Benefit realisation: hand-computed months, break-even (planned, actual, forecast) and
the validation of months and money."""

from datetime import date
from decimal import Decimal

import pytest

from sourcewise.governance.benefits import ActualMonth, PlannedMonth, add_months, realise_benefits

D = Decimal


def month(i: int) -> date:
    """Month i (0-based) of a plan starting January 2024."""
    return add_months(date(2024, 1, 1), i)


# Baseline 100 a month; the plan pays 200 in month 1 (transition) then 80: savings −100, then
# +20 a month, so the cumulative plan is −100, −80, −60, −40, −20, 0 → break-even June 2024.
PLAN = [PlannedMonth(month(0), D(100), D(200))] + [
    PlannedMonth(month(i), D(100), D(80)) for i in range(1, 12)
]


def test_hand_example_behind_plan_with_a_forecast() -> None:
    # Month 1: 90 − 5 + 10 + 152 one-off = 247 → saving −147; then 95 → saving 5 a month.
    actual = [ActualMonth(month(0), D(90), D(5), D(10), D(152))] + [
        ActualMonth(month(i), D(90), D(5), D(10)) for i in range(1, 4)
    ]
    report = realise_benefits(PLAN, actual)
    assert report.planned_breakeven == date(2024, 6, 1)
    assert [m.actual_saving for m in report.months] == [D(-147), D(5), D(5), D(5)]
    assert [m.variance for m in report.months] == [D(-47), D(-15), D(-15), D(-15)]
    assert [m.cumulative_actual for m in report.months] == [D(-147), D(-142), D(-137), D(-132)]
    assert [m.cumulative_planned for m in report.months] == [D(-100), D(-80), D(-60), D(-40)]
    assert report.cumulative_variance == D(-92)
    # Both cumulatives negative: the ratio is 3.3, as documented (read it once in credit).
    assert report.realisation == D("3.3")
    assert report.actual_breakeven is None
    # Run-rate 5 a month; 132 to recover → 26.4, so 27 whole months after April 2024.
    assert report.run_rate == D(5)
    assert report.forecast_breakeven == date(2026, 7, 1)
    assert "2026-07" in report.forecast_note


def test_not_on_course_when_the_run_rate_is_not_positive() -> None:
    actual = [ActualMonth(month(i), D(90), D(0), D(25)) for i in range(5)]  # saving −15
    report = realise_benefits(PLAN, actual)
    assert report.run_rate == D(-15)
    assert report.forecast_breakeven is None
    assert report.actual_breakeven is None
    assert "not on course" in report.forecast_note


def test_one_offs_are_left_out_of_the_run_rate_and_the_horizon_bounds_the_forecast() -> None:
    # Saving 1 a month, −100 in month 1 after a 101 one-off: cumulative −98 after March 2024.
    # The run-rate over the three months is 1 (the one-off does not recur), not −32.67, so
    # break-even is 98 months after March 2024: beyond December 2024 + 24 months.
    actual = [ActualMonth(month(0), D(99), D(0), D(0), D(101))] + [
        ActualMonth(month(i), D(99), D(0), D(0)) for i in range(1, 3)
    ]
    short = realise_benefits(PLAN, actual, horizon_months=24)
    assert short.run_rate == D(1)
    assert short.forecast_breakeven is None
    assert "not on course to break even by 2026-12" in short.forecast_note
    assert realise_benefits(PLAN, actual, horizon_months=120).forecast_breakeven == month(100)


def test_actual_breakeven_and_realisation_ahead_of_plan() -> None:
    # Cost 70 (saving 30) after a 100 one-off: cumulative −70, −40, −10, 20, 50.
    actual = [ActualMonth(month(0), D(60), D(0), D(10), D(100))] + [
        ActualMonth(month(i), D("62.50"), D("2.50"), D(10)) for i in range(1, 5)
    ]
    report = realise_benefits(PLAN, actual, run_rate_months=10)
    assert report.actual_breakeven == date(2024, 4, 1)
    assert report.forecast_breakeven == date(2024, 4, 1)
    assert report.run_rate == D(30)  # fewer months than asked: all five, one-off excluded
    last = report.months[-1]
    assert last.cumulative_actual == D(50)
    assert last.cumulative_planned == D(-20)
    assert report.realisation == D(50) / D(-20)
    assert report.cumulative_variance == D(70)


def test_breakeven_is_the_start_of_the_final_non_negative_run() -> None:
    # Cumulative: 10, −10, 10, 30 → broke even (for good) in month 3, not month 1.
    plan = [PlannedMonth(month(i), D(100), D(100)) for i in range(4)]
    costs = [D(90), D(120), D(80), D(80)]
    actual = [ActualMonth(month(i), c, D(0), D(0)) for i, c in enumerate(costs)]
    report = realise_benefits(plan, actual)
    assert report.actual_breakeven == month(2)
    assert report.planned_breakeven == month(0)  # savings of zero: cumulative 0 ≥ 0
    assert [m.realisation for m in report.months] == [None] * 4


def test_exact_decimal_accumulation() -> None:
    plan = [PlannedMonth(month(i), D("1000.10"), D("1000.00")) for i in range(3)]
    actual = [ActualMonth(month(i), D("999.99"), D("0.01"), D("0.00")) for i in range(3)]
    report = realise_benefits(plan, actual)
    assert report.months[-1].cumulative_planned == D("0.30")
    assert report.months[-1].cumulative_actual == D("0.36")
    assert report.realisation == D("1.2")


def test_no_actuals_yet() -> None:
    report = realise_benefits(PLAN, [])
    assert report.months == ()
    assert report.planned_breakeven == date(2024, 6, 1)
    assert report.forecast_breakeven is None
    assert report.run_rate is None


def test_plan_that_never_breaks_even() -> None:
    plan = [PlannedMonth(month(i), D(100), D(120)) for i in range(3)]
    assert realise_benefits(plan, []).planned_breakeven is None


@pytest.mark.parametrize(
    ("planned", "actual", "message"),
    [
        (PLAN, [ActualMonth(month(1), D(1), D(0), D(0)), ActualMonth(month(0), D(1), D(0), D(0))],
         "ascending"),
        (PLAN, [ActualMonth(month(0), D(1), D(0), D(0))] * 2, "duplicate month 2024-01"),
        (PLAN[:2], [ActualMonth(month(i), D(1), D(0), D(0)) for i in range(3)],
         "2024-03 is beyond the plan, which ends 2024-02"),
        (PLAN, [ActualMonth(month(1), D(1), D(0), D(0))], "start with the plan's first month"),
        (PLAN, [ActualMonth(month(0), D(1), D(0), D(0)), ActualMonth(month(2), D(1), D(0), D(0))],
         "gap"),
        ([PLAN[1], PLAN[0]], [], "planned: months must be ascending"),
        ([PLAN[0], PLAN[2]], [], "planned: months must be consecutive"),
        ([], [], "planned must not be empty"),
    ],
)  # fmt: skip
def test_month_validation(
    planned: list[PlannedMonth], actual: list[ActualMonth], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        realise_benefits(planned, actual)


def test_record_validation() -> None:
    with pytest.raises(ValueError, match="first day"):
        PlannedMonth(date(2024, 1, 15), D(1), D(1))
    with pytest.raises(ValueError, match="fees must be a Decimal"):
        ActualMonth(month(0), 1.5, D(0), D(0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="credits must be a finite, non-negative"):
        ActualMonth(month(0), D(1), D(-1), D(0))
    with pytest.raises(ValueError, match="baseline_cost"):
        PlannedMonth(month(0), D("NaN"), D(1))
    with pytest.raises(ValueError, match="run_rate_months"):
        realise_benefits(PLAN, [], run_rate_months=0)


def test_add_months_crosses_years() -> None:
    assert add_months(date(2024, 11, 1), 3) == date(2025, 2, 1)
    assert add_months(date(2024, 1, 1), -1) == date(2023, 12, 1)
