"""Service levels and how one measurement window is judged against them.

Contracts distinguish **critical service levels**, which carry service credits, from **key
measurements**, which are only reported ("Quality hinges on robust SLAs and transparent
metrics"). Conventions:

* Every service level has an ideal value ``best`` (100 for a higher-is-better percentage, 1 for
  a higher-is-better ratio, 0 for anything lower-is-better; otherwise it must be given). The
  distance between ``best`` and ``target`` is the allowed shortfall, the *error budget*.
* *Consumption* is the distance of the attained value from ``best`` divided by that budget,
  floored at 0 when the attained value is better than ``best``. Availability target 99.5 %,
  attained 99.7 %: 0.3 / 0.5 = 60 %. Defect rate target ≤ 2 %, attained 1.6 %: 1.6 / 2 = 80 %.
* Status: consumption ≥ 50 % is ``WARNING_50``, ≥ 75 % ``WARNING_75``; a missed target is a
  ``BREACH`` (consumption > 100 %). Exactly on target is met. Met and breached are decided by
  comparing the attained value with the target, not through the consumption ratio. When the
  budget is zero (target equals best), consumption is 0 when met and None when missed.
* Measured values arrive as floats; comparisons and aggregation go through ``Decimal(str(x))``
  so that 99.7 % attained against a 99.7 % target is exactly on target.
* A window's sample is the sum of its observations' sample sizes, an observation without one
  counting 1. Below ``minimum_sample`` the window is ``INSUFFICIENT_SAMPLE`` (the attained value
  is still reported, but not judged). Observations with sample size 0 measured nothing and are
  left out of the aggregation; with no observation left the window is ``NO_DATA``.
* The mean is weighted by sample size (1 for an observation without one); ``LAST`` takes the
  last observation in the order given.
* ``evaluate_window`` judges the observations it is given; ``window_bounds`` says which dates
  belong to the window (the month, or the calendar quarter containing it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sourcewise.governance.kpis import Aggregation, Direction

__all__ = [
    "WINDOWS",
    "Observation",
    "ServiceLevel",
    "ServiceLevelKind",
    "Status",
    "WindowResult",
    "evaluate_window",
    "meets_target",
    "window_bounds",
]

WINDOWS = frozenset({"month", "quarter"})
"""Measurement windows a service level may use; a quarter is a calendar quarter."""

_WARNING_50 = Decimal("0.5")
_WARNING_75 = Decimal("0.75")


class ServiceLevelKind(StrEnum):
    CRITICAL = "critical"
    KEY_MEASUREMENT = "key_measurement"


class Status(StrEnum):
    MET = "met"
    WARNING_50 = "warning_50"
    WARNING_75 = "warning_75"
    BREACH = "breach"
    INSUFFICIENT_SAMPLE = "insufficient_sample"
    NO_DATA = "no_data"


def _finite(value: float, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{field} must be a finite number, got {value!r}")


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


@dataclass(frozen=True, slots=True)
class ServiceLevel:
    """One contractual service level: a critical service level or a key measurement.

    ``allocation_pct`` is the share of the at-risk pool (in percent) a breach of this critical
    service level costs; ``prorated`` service levels owe ``shortfall / full_credit_shortfall``
    of it (at most all of it); ``earn_back_months`` consecutive met months return a credit.
    """

    name: str
    metric: str
    kind: ServiceLevelKind
    target: float
    direction: Direction
    unit: str
    window: str = "month"
    minimum_sample: int = 0
    best: float | None = None
    aggregation: Aggregation = Aggregation.MEAN
    allocation_pct: Decimal = Decimal(0)
    prorated: bool = False
    full_credit_shortfall: float | None = None
    earn_back_months: int = 0

    def __post_init__(self) -> None:
        for field in ("name", "metric", "unit"):
            value = getattr(self, field)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{field} must be a non-empty string, got {value!r}")
        # Enums may arrive as their string values from parsed files; store the members.
        for field, enum in (
            ("kind", ServiceLevelKind),
            ("direction", Direction),
            ("aggregation", Aggregation),
        ):
            try:
                object.__setattr__(self, field, enum(getattr(self, field)))
            except ValueError:
                allowed = ", ".join(member.value for member in enum)
                raise ValueError(
                    f"{field} must be one of {allowed}, got {getattr(self, field)!r}"
                ) from None
        _finite(self.target, "target")
        if self.window not in WINDOWS:
            raise ValueError(f"window must be 'month' or 'quarter', got {self.window!r}")
        if isinstance(self.minimum_sample, bool) or not isinstance(self.minimum_sample, int):
            raise ValueError(f"minimum_sample must be an integer, got {self.minimum_sample!r}")
        if self.minimum_sample < 0:
            raise ValueError(f"minimum_sample must be ≥ 0, got {self.minimum_sample}")
        self._check_best()
        self._check_credit_terms()

    def _check_best(self) -> None:
        if self.best is None:
            if self.direction is Direction.HIGHER_IS_BETTER and self.unit not in _DEFAULT_BEST:
                raise ValueError(
                    f"best is required for a higher-is-better service level in {self.unit!r} "
                    "(defaults exist only for 'percent' and 'ratio')"
                )
        else:
            _finite(self.best, "best")
        wrong_side = (
            self.ideal < self.target
            if self.direction is Direction.HIGHER_IS_BETTER
            else self.ideal > self.target
        )
        if wrong_side:
            raise ValueError(
                f"best ({self.ideal}) must not be worse than target ({self.target}) "
                f"for a {self.direction.value} service level"
            )

    def _check_credit_terms(self) -> None:
        allocation = self.allocation_pct
        if isinstance(allocation, bool) or not isinstance(allocation, Decimal | int):
            raise ValueError(f"allocation_pct must be a Decimal, got {allocation!r}")
        allocation = Decimal(allocation)
        object.__setattr__(self, "allocation_pct", allocation)
        if not allocation.is_finite() or allocation < 0:
            raise ValueError(f"allocation_pct must be ≥ 0, got {allocation}")
        if isinstance(self.earn_back_months, bool) or not isinstance(self.earn_back_months, int):
            raise ValueError(f"earn_back_months must be an integer, got {self.earn_back_months!r}")
        if self.earn_back_months < 0:
            raise ValueError(f"earn_back_months must be ≥ 0, got {self.earn_back_months}")
        if self.full_credit_shortfall is not None:
            _finite(self.full_credit_shortfall, "full_credit_shortfall")
            if self.full_credit_shortfall <= 0:
                raise ValueError(
                    f"full_credit_shortfall must be > 0, got {self.full_credit_shortfall}"
                )
        if not self.prorated and self.full_credit_shortfall is not None:
            raise ValueError(f"full_credit_shortfall applies only when prorated ({self.name})")
        if self.kind is ServiceLevelKind.KEY_MEASUREMENT:
            # Key measurements are reported only: anything credit-related is a mistake.
            if allocation != 0:
                raise ValueError(f"allocation_pct must be 0 for a key measurement ({self.name})")
            if self.prorated:
                raise ValueError(f"prorated must be False for a key measurement ({self.name})")
            if self.earn_back_months:
                raise ValueError(f"earn_back_months must be 0 for a key measurement ({self.name})")
            return
        if allocation == 0:
            raise ValueError(
                f"allocation_pct must be > 0 for a critical service level ({self.name})"
            )
        if self.prorated and self.full_credit_shortfall is None:
            raise ValueError(f"full_credit_shortfall is required when prorated ({self.name})")

    @property
    def ideal(self) -> float:
        """``best``, or its default for the unit and direction."""
        if self.best is not None:
            return self.best
        if self.direction is Direction.LOWER_IS_BETTER:
            return 0.0
        return _DEFAULT_BEST[self.unit]

    @property
    def error_budget(self) -> float:
        """The allowed shortfall: the distance between ``best`` and ``target``."""
        return float(abs(_dec(self.ideal) - _dec(self.target)))


_DEFAULT_BEST = {"percent": 100.0, "ratio": 1.0}


@dataclass(frozen=True, slots=True)
class Observation:
    """One measured value of a KPI within a window, with the number of events behind it."""

    value: float
    sample_size: int | None = None

    def __post_init__(self) -> None:
        _finite(self.value, "value")
        size = self.sample_size
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise ValueError(f"sample_size must be an integer ≥ 0, got {size!r}")


@dataclass(frozen=True, slots=True)
class WindowResult:
    """A service level judged over one window.

    ``consumption`` is a fraction of the error budget (1.0 = 100 %); ``shortfall`` is how far
    past target the attained value is, in the metric's unit (0 when met or not judged).
    """

    service_level: ServiceLevel
    attained: float | None
    sample: int
    consumption: float | None
    status: Status
    shortfall: float
    met: bool


def meets_target(service_level: ServiceLevel, value: float) -> bool:
    """Whether ``value`` meets the target; exactly on target is met."""
    if service_level.direction is Direction.HIGHER_IS_BETTER:
        return _dec(value) >= _dec(service_level.target)
    return _dec(value) <= _dec(service_level.target)


def window_bounds(service_level: ServiceLevel, month: date) -> tuple[date, date]:
    """The service level's window containing ``month``: first day, and first day after it."""
    length = 1 if service_level.window == "month" else 3
    first = month.month if length == 1 else 3 * ((month.month - 1) // 3) + 1
    after_year, after_month = divmod(first - 1 + length, 12)
    return date(month.year, first, 1), date(month.year + after_year, after_month + 1, 1)


def _aggregate(aggregation: Aggregation, weighted: Sequence[tuple[Decimal, int]]) -> Decimal:
    values = [value for value, _ in weighted]
    if aggregation is Aggregation.MEAN:
        total_weight = sum(weight for _, weight in weighted)
        return sum((value * weight for value, weight in weighted), Decimal(0)) / total_weight
    if aggregation is Aggregation.SUM:
        return sum(values, Decimal(0))
    if aggregation is Aggregation.MAX:
        return max(values)
    if aggregation is Aggregation.MIN:
        return min(values)
    return values[-1]


def evaluate_window(
    service_level: ServiceLevel, observations: Sequence[Observation]
) -> WindowResult:
    """Judge ``service_level`` over one window from the observations that fall in it."""
    sample = sum(1 if o.sample_size is None else o.sample_size for o in observations)
    weighted = [
        (_dec(o.value), 1 if o.sample_size is None else o.sample_size)
        for o in observations
        if o.sample_size != 0
    ]
    attained = float(_aggregate(service_level.aggregation, weighted)) if weighted else None

    def unjudged(status: Status) -> WindowResult:
        return WindowResult(service_level, attained, sample, None, status, 0.0, False)

    if not observations:
        return unjudged(Status.NO_DATA)
    if sample < service_level.minimum_sample:
        return unjudged(Status.INSUFFICIENT_SAMPLE)
    if attained is None:
        return unjudged(Status.NO_DATA)

    value, target, best = _dec(attained), _dec(service_level.target), _dec(service_level.ideal)
    higher = service_level.direction is Direction.HIGHER_IS_BETTER
    from_best = max(best - value if higher else value - best, Decimal(0))
    budget = abs(best - target)
    if not meets_target(service_level, attained):
        # With a zero budget any miss is an infinite consumption: reported as None.
        return WindowResult(
            service_level=service_level,
            attained=attained,
            sample=sample,
            consumption=float(from_best / budget) if budget else None,
            status=Status.BREACH,
            shortfall=float(target - value if higher else value - target),
            met=False,
        )
    consumption = from_best / budget if budget else Decimal(0)
    if consumption >= _WARNING_75:
        status = Status.WARNING_75
    elif consumption >= _WARNING_50:
        status = Status.WARNING_50
    else:
        status = Status.MET
    return WindowResult(
        service_level=service_level,
        attained=attained,
        sample=sample,
        consumption=float(consumption),
        status=status,
        shortfall=0.0,
        met=True,
    )
