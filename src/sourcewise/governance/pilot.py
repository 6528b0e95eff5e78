"""Pilot evaluation: does a small pilot meet its acceptance criteria before scaling?

Proportion criteria (defect rate ≤ 2 %, on-time ≥ 95 %) are judged on the Wilson interval and
report the Clopper–Pearson interval and a Beta-binomial posterior (Jeffreys prior by default)
alongside; mean criteria (satisfaction ≥ baseline, cycle time ≤ 3 days) are judged on the
Student-t interval. Baselines are compared by Newcombe's interval (rates) or Welch's t (means).
The statistics, with their sources, are in ``intervals``.

A criterion PASSes when the relevant bound of its two-sided interval clears the target, FAILs
when the whole interval is on the wrong side, and is otherwise INCONCLUSIVE. The pilot is GO
when all pass, STOP when any fails, else EXTEND.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sourcewise.governance.intervals import (
    Interval,
    SampleStats,
    _check_counts,
    _check_prior,
    _t_interval,
    _t_prob_meets,
    _wilson,
    _z,
    clopper_pearson_interval,
    mean_interval,
    newcombe_difference_interval,
    posterior_probability_meets,
    probability_better,
    welch_difference,
    wilson_interval,
)
from sourcewise.governance.kpis import Direction

__all__ = [
    "BaselineComparison",
    "CriterionKind",
    "CriterionResult",
    "Interval",
    "MeanCriterion",
    "PilotEvaluation",
    "ProportionCriterion",
    "Recommendation",
    "SampleStats",
    "Verdict",
    "clopper_pearson_interval",
    "evaluate_pilot",
    "mean_interval",
    "mean_more_needed",
    "newcombe_difference_interval",
    "posterior_probability_meets",
    "probability_better",
    "proportion_more_needed",
    "welch_difference",
    "wilson_interval",
]


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class CriterionKind(StrEnum):
    PROPORTION = "proportion"
    MEAN = "mean"


class Recommendation(StrEnum):
    GO = "go"
    EXTEND = "extend"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class ProportionCriterion:
    """A rate criterion. ``events`` counts what the rate measures (defects for a defect rate,
    on-time deliveries for an on-time rate) out of ``trials``; baseline counts are optional."""

    name: str
    target: float
    direction: Direction
    events: int
    trials: int
    baseline_events: int | None = None
    baseline_trials: int | None = None
    unit: str = "items"

    def __post_init__(self) -> None:
        if not 0.0 <= self.target <= 1.0:
            raise ValueError(f"{self.name}: target must be in [0, 1], got {self.target}")
        _check_counts(self.events, self.trials, f"{self.name}: events", f"{self.name}: trials")
        if (self.baseline_events is None) != (self.baseline_trials is None):
            raise ValueError(f"{self.name}: give both baseline_events and baseline_trials")
        if self.baseline_events is not None and self.baseline_trials is not None:
            _check_counts(
                self.baseline_events,
                self.baseline_trials,
                f"{self.name}: baseline_events",
                f"{self.name}: baseline_trials",
            )


@dataclass(frozen=True, slots=True)
class MeanCriterion:
    """A mean criterion (at least 2 values). The baseline is ``baseline_values`` or
    ``baseline_stats``. With ``target_is_baseline`` the target is the baseline mean (``target``
    must be None), taken as fixed for the verdict, as an in-house history is usually much
    larger than the pilot; the Welch comparison reports the baseline's own uncertainty."""

    name: str
    target: float | None
    direction: Direction
    values: tuple[float, ...]
    baseline_values: tuple[float, ...] | None = None
    baseline_stats: SampleStats | None = None
    target_is_baseline: bool = False
    unit: str = "observations"

    def __post_init__(self) -> None:
        SampleStats.of(self.values, f"{self.name}: values")
        if self.baseline_values is not None and self.baseline_stats is not None:
            raise ValueError(f"{self.name}: give baseline_values or baseline_stats, not both")
        if self.target_is_baseline:
            if self.target is not None:
                raise ValueError(f"{self.name}: target must be None when target_is_baseline")
            if self.baseline is None:
                raise ValueError(f"{self.name}: target_is_baseline needs a baseline")
        elif self.target is None or not math.isfinite(self.target):
            raise ValueError(f"{self.name}: target must be a finite number, got {self.target}")

    @property
    def baseline(self) -> SampleStats | None:
        if self.baseline_values is not None:
            return SampleStats.of(self.baseline_values, f"{self.name}: baseline_values")
        return self.baseline_stats


@dataclass(frozen=True, slots=True)
class BaselineComparison:
    """Pilot vs baseline: ``difference`` is pilot − baseline, with a Newcombe (rates) or Welch
    (means) interval; ``p_better`` is the posterior probability the pilot is better."""

    estimate: float
    n: int
    p_better: float
    difference: float
    interval: Interval


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion's evidence. ``interval`` is Wilson (proportions) or t (means) and drives
    the verdict; ``exact_interval`` is Clopper–Pearson (proportions only). ``more_needed``:
    further observations at the observed rate/mean for the interval to clear the target (0 if
    it already does, None if more data at this level would not)."""

    name: str
    kind: CriterionKind
    direction: Direction
    target: float
    n: int
    unit: str
    estimate: float
    interval: Interval
    exact_interval: Interval | None
    p_meets_target: float
    baseline: BaselineComparison | None
    verdict: Verdict
    more_needed: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class PilotEvaluation:
    results: tuple[CriterionResult, ...]
    recommendation: Recommendation
    reasons: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# How many more observations


def _clears(iv: Interval, target: float, direction: Direction) -> bool:
    """The bound on the good side of the estimate meets the target."""
    return iv.high <= target if direction is Direction.LOWER_IS_BETTER else iv.low >= target


def _more_needed(
    interval_at: Callable[[int], Interval], estimate: float, target: float, direction: Direction
) -> int | None:
    """Smallest m ≥ 0 extra observations for which interval_at(m) clears the target, or None
    when the estimate is at or beyond the target on the wrong side (the interval shrinks
    towards the estimate, so it never clears). Intervals are nested as n grows, so the
    predicate is monotone: double m to bracket it, then bisect (O(log m) evaluations)."""

    def clears(m: int) -> bool:
        return _clears(interval_at(m), target, direction)

    if clears(0):
        return 0
    lower = direction is Direction.LOWER_IS_BETTER
    if not (estimate < target if lower else estimate > target):
        return None
    low, high = 0, 1
    while not clears(high):
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if clears(mid) else (mid, high)
    return high


def proportion_more_needed(
    k: int, n: int, target: float, direction: Direction, confidence: float = 0.95
) -> int | None:
    """Further observations, at the observed rate k/n, until the Wilson bound clears the target
    (0 if it already does); None if the rate is at or on the wrong side of the target."""
    _check_counts(k, n)
    z, rate = _z(confidence), k / n
    return _more_needed(lambda m: _wilson(rate, n + m, z), rate, target, direction)


def mean_more_needed(
    s: SampleStats, target: float, direction: Direction, confidence: float = 0.95
) -> int | None:
    """Further observations, with the mean and sd as observed, until the t bound clears the
    target (0 if already); None if the mean is at or on the wrong side of the target."""
    _z(confidence)
    return _more_needed(lambda m: _t_interval(s, confidence, s.n + m), s.mean, target, direction)


# ---------------------------------------------------------------------------------------------
# Evaluation


def _pct(x: float) -> str:
    # One decimal, but two significant digits below 1 % (0.95 %, not 0.9 %).
    value = 100 * x
    text = f"{value:.2g}" if abs(value) < 1 else f"{value:.1f}".removesuffix(".0")
    return text + " %"


def _pts(x: float) -> str:
    return f"{100 * x:+.1f}"


def _verdict(iv: Interval, target: float, direction: Direction) -> Verdict:
    if _clears(iv, target, direction):
        return Verdict.PASS
    # FAIL only when even the interval's better bound misses the target.
    misses = iv.low > target if direction is Direction.LOWER_IS_BETTER else iv.high < target
    return Verdict.FAIL if misses else Verdict.INCONCLUSIVE


def _result(
    c: ProportionCriterion | MeanCriterion,
    target: float,
    n: int,
    estimate: float,
    iv: Interval,
    exact: Interval | None,
    p_meet: float,
    base: BaselineComparison | None,
    more: int | None,
    parts: list[str],
    conf: str,
) -> CriterionResult:
    is_rate = isinstance(c, ProportionCriterion)
    kind = CriterionKind.PROPORTION if is_rate else CriterionKind.MEAN
    verdict = _verdict(iv, target, c.direction)
    if verdict is Verdict.PASS:
        parts.append(f"passes at {conf} confidence")
    elif verdict is Verdict.FAIL:
        parts.append(f"fails: the whole {conf} interval misses the target")
    else:
        level = "rate" if is_rate else "mean"
        how = f"{more} more" if more is not None else "more"
        will = "would" if more is not None else "would not"
        parts.append(f"inconclusive; {how} {c.unit} at this {level} {will} clear the target")
    return CriterionResult(
        c.name, kind, c.direction, target, n, c.unit, estimate, iv, exact, p_meet, base,
        verdict, more, "; ".join(parts),
    )  # fmt: skip


def _evaluate_proportion(
    c: ProportionCriterion, confidence: float, prior: tuple[float, float]
) -> CriterionResult:
    k, n, conf = c.events, c.trials, f"{100 * confidence:g} %"
    wil = wilson_interval(k, n, confidence)
    p_meet = posterior_probability_meets(k, n, c.target, c.direction, prior)
    op = "≤" if c.direction is Direction.LOWER_IS_BETTER else "≥"
    parts = [
        f"{c.name} {_pct(k / n)} ({conf} Wilson {_pct(wil.low)}–{_pct(wil.high)}) "
        f"from {n} {c.unit}",
        f"P(rate {op} {_pct(c.target)}) = {p_meet:.2f}",
    ]
    base = None
    if c.baseline_events is not None and c.baseline_trials is not None:
        k0, n0 = c.baseline_events, c.baseline_trials
        p_better = probability_better(k, n, k0, n0, c.direction, prior)
        d, d_iv = k / n - k0 / n0, newcombe_difference_interval(k, n, k0, n0, confidence)
        base = BaselineComparison(k0 / n0, n0, p_better, d, d_iv)
        parts.append(
            f"baseline {_pct(k0 / n0)} from {n0}; P(better than baseline) = {p_better:.2f}; "
            f"difference {_pts(d)} points ({conf} Newcombe {_pts(d_iv.low)} to "
            f"{_pts(d_iv.high)})"
        )
    more = proportion_more_needed(k, n, c.target, c.direction, confidence)
    exact = clopper_pearson_interval(k, n, confidence)
    return _result(c, c.target, n, k / n, wil, exact, p_meet, base, more, parts, conf)


def _evaluate_mean(c: MeanCriterion, confidence: float) -> CriterionResult:
    s, b, conf = SampleStats.of(c.values), c.baseline, f"{100 * confidence:g} %"
    target = b.mean if c.target_is_baseline and b is not None else c.target
    assert target is not None  # guaranteed by MeanCriterion validation
    iv = _t_interval(s, confidence)
    p_meet = _t_prob_meets(s.mean, s.sd / math.sqrt(s.n), s.n - 1, target, c.direction)
    op = "≤" if c.direction is Direction.LOWER_IS_BETTER else "≥"
    label = f"baseline mean {target:.2f}" if c.target_is_baseline else f"{target:.2f}"
    parts = [
        f"{c.name} mean {s.mean:.2f} ({conf} t {iv.low:.2f}–{iv.high:.2f}) from {s.n} {c.unit}",
        f"P(mean {op} {label}) = {p_meet:.2f}",
    ]
    base = None
    if b is not None:
        d, d_iv, dse, df = welch_difference(s, b, confidence)
        # Welch–Satterthwaite t as the approximate posterior of the difference.
        p_better = _t_prob_meets(d, dse, df, 0.0, c.direction)
        base = BaselineComparison(b.mean, b.n, p_better, d, d_iv)
        parts.append(
            f"baseline {b.mean:.2f} from {b.n}; P(better than baseline) = {p_better:.2f}; "
            f"difference {d:+.2f} ({conf} Welch {d_iv.low:+.2f} to {d_iv.high:+.2f})"
        )
    more = mean_more_needed(s, target, c.direction, confidence)
    return _result(c, target, s.n, s.mean, iv, None, p_meet, base, more, parts, conf)


def evaluate_pilot(
    criteria: Sequence[ProportionCriterion | MeanCriterion],
    confidence: float = 0.95,
    prior: tuple[float, float] = (0.5, 0.5),
) -> PilotEvaluation:
    """Evaluate every criterion and recommend GO (all pass), STOP (any fails) or EXTEND."""
    _z(confidence)
    _check_prior(prior)
    if not criteria:
        raise ValueError("criteria must not be empty")
    names = [c.name for c in criteria]
    if len(set(names)) != len(names):
        raise ValueError(f"criteria names must be unique, got {names}")
    results = tuple(
        _evaluate_proportion(c, confidence, prior)
        if isinstance(c, ProportionCriterion)
        else _evaluate_mean(c, confidence)
        for c in criteria
    )
    conf = f"{100 * confidence:g} %"
    failed = [r.name for r in results if r.verdict is Verdict.FAIL]
    open_ = [r for r in results if r.verdict is Verdict.INCONCLUSIVE]
    if failed:
        rec = Recommendation.STOP
        head = f"Stop: {', '.join(failed)} miss their targets across the whole {conf} interval."
    elif not open_:
        rec = Recommendation.GO
        head = f"Go: all {len(results)} criteria pass at {conf} confidence; scale up."
    else:
        rec = Recommendation.EXTEND
        needs = [
            f"{r.name} needs about {r.more_needed} more {r.unit}"
            if r.more_needed is not None
            else f"{r.name} would not clear its target at the current level"
            for r in open_
        ]
        head = f"Extend the pilot: {'; '.join(needs)}."
    return PilotEvaluation(results, rec, (head, *(r.reason for r in results)))
