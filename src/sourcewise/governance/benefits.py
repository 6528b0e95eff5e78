"""Benefit realisation: the business case's planned monthly savings against what happened.

Each planned month has the in-house ``baseline_cost`` the arrangement replaces and the
``planned_cost`` the business case expected, so planned saving = baseline − planned. An actual
month costs fees − service credits + internal (retained organisation, governance) costs +
one-off costs (transition, exit), and actual saving = the plan's baseline − actual cost.

Money is ``Decimal`` throughout; sums are exact (no rounding while accumulating). Only the
ratios (realisation, run-rate) divide, at the ambient decimal context's precision (28
significant digits by default).

Break-even is the first month of the final run in which the cumulative saving is ≥ 0 (a
cumulative that dips back below zero has not broken even); None while it is negative. The
forecast is the actual break-even if it has happened; otherwise the cumulative saving is
projected forward at the run-rate, through the rest of the plan and up to ``horizon_months``
beyond its end. The run-rate is the mean recurring saving over the last ``run_rate_months``:
the actual saving with one-off costs added back, since a transition or exit cost in the window
does not recur and would otherwise drag the projection down. A run-rate ≤ 0 means
"not on course to break even"; so does a break-even beyond that horizon.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class PlannedMonth:
    """One business-case month; ``month`` is the first day of the month."""

    month: date
    baseline_cost: Decimal
    planned_cost: Decimal

    def __post_init__(self) -> None:
        _check_month(self.month, "plan")
        _check_money(self, "baseline_cost", "planned_cost")

    @property
    def planned_saving(self) -> Decimal:
        return self.baseline_cost - self.planned_cost


@dataclass(frozen=True, slots=True)
class ActualMonth:
    """One month's actual spend; ``month`` is the first day of the month."""

    month: date
    fees: Decimal
    credits: Decimal
    internal_costs: Decimal
    one_off_costs: Decimal = _ZERO

    def __post_init__(self) -> None:
        _check_month(self.month, "actual")
        _check_money(self, "fees", "credits", "internal_costs", "one_off_costs")

    @property
    def actual_cost(self) -> Decimal:
        return self.fees - self.credits + self.internal_costs + self.one_off_costs


@dataclass(frozen=True, slots=True)
class BenefitMonth:
    """One month with actuals. ``variance`` = actual − planned saving (negative = shortfall);
    ``realisation`` = cumulative actual / cumulative planned saving as a fraction (1 = 100 %),
    None while the cumulative plan is zero. Early in a plan with transition costs both
    cumulatives can be negative, so read the ratio once the plan is in credit."""

    month: date
    baseline_cost: Decimal
    planned_cost: Decimal
    actual_cost: Decimal
    planned_saving: Decimal
    actual_saving: Decimal
    variance: Decimal
    cumulative_planned: Decimal
    cumulative_actual: Decimal
    cumulative_variance: Decimal
    realisation: Decimal | None


@dataclass(frozen=True, slots=True)
class BenefitReport:
    """``run_rate``: mean recurring saving (one-off costs excluded) per month over the last
    ``run_rate_months`` (None without actuals). ``cumulative_variance`` and ``realisation`` are
    as of the last actual month; ``forecast_note`` says where the forecast comes from."""

    months: tuple[BenefitMonth, ...]
    planned_breakeven: date | None
    actual_breakeven: date | None
    forecast_breakeven: date | None
    run_rate: Decimal | None
    cumulative_variance: Decimal
    realisation: Decimal | None
    forecast_note: str


def _label(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _check_month(d: date, field: str) -> None:
    if d.day != 1:
        raise ValueError(f"{field} month {d.isoformat()} must be the first day of a month")


def _check_money(record: object, *fields: str) -> None:
    for name in fields:
        value = getattr(record, name)
        # A float has already lost cents to binary rounding; insist on Decimal.
        if not isinstance(value, Decimal):
            raise ValueError(f"{name} must be a Decimal, got {type(value).__name__} {value!r}")
        if not value.is_finite() or value < 0:
            raise ValueError(f"{name} must be a finite, non-negative amount, got {value}")


def add_months(d: date, months: int) -> date:
    """The first day of the month ``months`` after ``d``'s month."""
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _check_sequence(months: Sequence[date], field: str) -> None:
    for earlier, later in itertools.pairwise(months):
        if later == earlier:
            raise ValueError(f"{field}: duplicate month {_label(later)}")
        if later < earlier:
            raise ValueError(
                f"{field}: months must be ascending; {_label(later)} follows {_label(earlier)}"
            )
        if later != add_months(earlier, 1):
            raise ValueError(
                f"{field}: months must be consecutive; {_label(later)} follows "
                f"{_label(earlier)}, leaving a gap"
            )


def _breakeven(months: Sequence[date], cumulative: Sequence[Decimal]) -> date | None:
    """First month of the final run with cumulative ≥ 0; None if the last is negative."""
    found: date | None = None
    for month, value in zip(months, cumulative, strict=True):
        if value < 0:
            found = None
        elif found is None:
            found = month
    return found


def _cumulate(values: Sequence[Decimal]) -> list[Decimal]:
    total, out = _ZERO, []
    for v in values:
        total += v
        out.append(total)
    return out


def realise_benefits(
    planned: Sequence[PlannedMonth],
    actual: Sequence[ActualMonth],
    run_rate_months: int = 3,
    horizon_months: int = 60,
) -> BenefitReport:
    """Compare actual savings with the plan month by month and forecast break-even.

    ``planned`` must be consecutive months in ascending order; ``actual`` must cover the plan
    from its first month without gaps and may stop early (months beyond the plan are
    rejected: extend the plan first). ``horizon_months`` bounds the forecast beyond the plan.
    """
    if run_rate_months < 1:
        raise ValueError(f"run_rate_months must be at least 1, got {run_rate_months}")
    if horizon_months < 0:
        raise ValueError(f"horizon_months must be non-negative, got {horizon_months}")
    if not planned:
        raise ValueError("planned must not be empty")
    _check_sequence([p.month for p in planned], "planned")
    _check_sequence([a.month for a in actual], "actual")
    start, end = planned[0].month, planned[-1].month
    for a in actual:
        if a.month > end:
            raise ValueError(
                f"actual month {_label(a.month)} is beyond the plan, which ends "
                f"{_label(end)}; extend the business-case plan first"
            )
    if actual and actual[0].month != start:
        raise ValueError(
            f"actuals must start with the plan's first month {_label(start)}, "
            f"got {_label(actual[0].month)}"
        )

    plan_cum = _cumulate([p.planned_saving for p in planned])
    planned_breakeven = _breakeven([p.month for p in planned], plan_cum)

    months: list[BenefitMonth] = []
    cum_actual = _ZERO
    for p, a, cum_plan in zip(planned, actual, plan_cum, strict=False):
        saving = p.baseline_cost - a.actual_cost
        cum_actual += saving
        months.append(
            BenefitMonth(
                month=p.month,
                baseline_cost=p.baseline_cost,
                planned_cost=p.planned_cost,
                actual_cost=a.actual_cost,
                planned_saving=p.planned_saving,
                actual_saving=saving,
                variance=saving - p.planned_saving,
                cumulative_planned=cum_plan,
                cumulative_actual=cum_actual,
                cumulative_variance=cum_actual - cum_plan,
                realisation=cum_actual / cum_plan if cum_plan != 0 else None,
            )
        )
    if not months:
        return BenefitReport((), planned_breakeven, None, None, None, _ZERO, None, "no actuals")

    last = months[-1]
    actual_breakeven = _breakeven([m.month for m in months], [m.cumulative_actual for m in months])
    recent = [
        m.actual_saving + a.one_off_costs
        for m, a in zip(months[-run_rate_months:], actual[-run_rate_months:], strict=True)
    ]
    run_rate = sum(recent, _ZERO) / len(recent)
    forecast: date | None
    if actual_breakeven is not None:
        forecast = actual_breakeven
        note = f"broke even in {_label(actual_breakeven)}"
    elif run_rate <= 0:
        forecast = None
        note = f"not on course to break even: the run-rate saving is {run_rate:.2f} a month"
    else:
        # Whole months at the run-rate until the cumulative saving reaches zero.
        needed = int((-last.cumulative_actual / run_rate).to_integral_value(ROUND_CEILING))
        candidate = add_months(last.month, needed)
        limit = add_months(end, horizon_months)
        forecast = candidate if candidate <= limit else None
        note = (
            f"projected {_label(candidate)} at a run-rate of {run_rate:.2f} a month"
            if forecast is not None
            else f"not on course to break even by {_label(limit)} at a run-rate of "
            f"{run_rate:.2f} a month"
        )
    return BenefitReport(
        months=tuple(months),
        planned_breakeven=planned_breakeven,
        actual_breakeven=actual_breakeven,
        forecast_breakeven=forecast,
        run_rate=run_rate,
        cumulative_variance=last.cumulative_variance,
        realisation=last.realisation,
        forecast_note=note,
    )
