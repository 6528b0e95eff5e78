"""Pilot evaluation: does a small pilot meet its acceptance criteria before scaling?

Proportion criteria (defect rate ≤ 2 %, on-time ≥ 95 %) use the Wilson score interval
(Wilson 1927) for the verdict, report the Clopper–Pearson exact interval (Clopper & Pearson
1934) alongside, and a Beta-binomial posterior for P(rate meets target). The prior defaults to
Jeffreys Beta(½, ½), the reference prior for a binomial rate (Jeffreys 1946; Brown, Cai &
DasGupta 2001): it adds half an event and half a non-event, so it barely moves a 20-item pilot.
A baseline comparison uses independent Beta posteriors and the Newcombe (1998, method 10)
hybrid Wilson interval for the difference.

Mean criteria (satisfaction ≥ baseline, cycle time ≤ 3 days) use the Student-t interval; with
the flat prior p(μ, σ²) ∝ 1/σ² the posterior of the mean is x̄ + (s/√n)·t(n−1) (Gelman et al.,
*Bayesian Data Analysis*, 3rd ed., §3.2), so the t interval is also a credible interval.
Baseline comparisons use Welch's t (Welch 1947) with Satterthwaite degrees of freedom.

A criterion PASSes when the relevant bound of its two-sided interval clears the target, FAILs
when the whole interval is on the wrong side, and is otherwise INCONCLUSIVE. The pilot is GO
when all pass, STOP when any fails, else EXTEND.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from scipy import integrate, stats


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class Recommendation(StrEnum):
    GO = "go"
    EXTEND = "extend"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class SampleStats:
    """Summary of a sample when only (mean, sd, n) is known, e.g. an in-house baseline."""

    mean: float
    sd: float
    n: int

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mean) and math.isfinite(self.sd)) or self.sd < 0:
            raise ValueError(f"sd must be finite and non-negative, got {self.sd}")
        if self.n < 2:
            raise ValueError(f"n must be at least 2, got {self.n}")

    @classmethod
    def of(cls, values: Sequence[float], field: str = "values") -> SampleStats:
        if len(values) < 2:
            raise ValueError(f"{field}: need at least 2 values, got {len(values)}")
        for i, v in enumerate(values):
            if not math.isfinite(v):
                raise ValueError(f"{field}[{i}] must be finite, got {v}")
        n = len(values)
        mean = math.fsum(values) / n
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
        return cls(mean, sd, n)


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
    """A mean criterion. With ``target_is_baseline`` the target is the baseline mean (then
    ``target`` must be None); the baseline is ``baseline_values`` or ``baseline_stats``."""

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
class CriterionResult:
    """One criterion's evidence. ``interval`` is Wilson (proportions) or t (means) and drives
    the verdict; ``exact_interval`` is Clopper–Pearson (proportions only). ``difference`` is
    pilot − baseline with a Newcombe or Welch interval. ``more_needed``: further observations at
    the observed rate/mean for the interval to clear the target (0 if it already does, None if
    more data at this level would not)."""

    name: str
    kind: str
    direction: Direction
    target: float
    n: int
    estimate: float
    interval: Interval
    exact_interval: Interval | None
    p_meets_target: float
    baseline_estimate: float | None
    p_better: float | None
    difference: float | None
    difference_interval: Interval | None
    verdict: Verdict
    more_needed: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class PilotEvaluation:
    results: tuple[CriterionResult, ...]
    recommendation: Recommendation
    reasons: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Validation and small helpers


def _check_counts(k: int, n: int, k_field: str = "k", n_field: str = "n") -> None:
    if n <= 0:
        raise ValueError(f"{n_field} must be positive, got {n}")
    if k < 0:
        raise ValueError(f"{k_field} must be non-negative, got {k}")
    if k > n:
        raise ValueError(f"{k_field} ({k}) must not exceed {n_field} ({n})")


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return float(stats.norm.ppf(0.5 + confidence / 2))


def _check_prior(prior: tuple[float, float]) -> None:
    if not all(math.isfinite(x) and x > 0 for x in prior):
        raise ValueError(f"prior parameters must be positive, got {prior}")


def _clears(bound_low: float, bound_high: float, target: float, direction: Direction) -> bool:
    if direction is Direction.LOWER_IS_BETTER:
        return bound_high <= target
    return bound_low >= target


def _smallest_extra(clears: Callable[[int], bool]) -> int:
    """Smallest m ≥ 0 with clears(m), for a monotone predicate that eventually holds:
    doubling to bracket it, then bisection (O(log m) evaluations)."""
    if clears(0):
        return 0
    low, high = 0, 1
    while not clears(high):
        low, high = high, high * 2
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if clears(mid) else (mid, high)
    return high


# ---------------------------------------------------------------------------------------------
# Proportions


def _wilson(rate: float, n: float, z: float) -> Interval:
    # Wilson (1927): the p with |rate − p| ≤ z·sqrt(p(1 − p)/n); n may be fractional/extended.
    denom = 1 + z * z / n
    centre = (rate + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n))
    # The closed form leaves ±1e-17 at rate 0 or 1; the exact bounds there are 0 and 1.
    low = 0.0 if rate == 0 else max(0.0, centre - half)
    high = 1.0 if rate == 1 else min(1.0, centre + half)
    return Interval(low, high)


def wilson_interval(k: int, n: int, confidence: float = 0.95) -> Interval:
    """Wilson (1927) score interval for k/n (Newcombe 1998, method 3)."""
    _check_counts(k, n)
    return _wilson(k / n, n, _z(confidence))


def clopper_pearson_interval(k: int, n: int, confidence: float = 0.95) -> Interval:
    """Clopper & Pearson (1934) exact interval via Beta quantiles."""
    _check_counts(k, n)
    alpha = 1 - confidence if 0 < confidence < 1 else _z(confidence)
    low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return Interval(low, high)


def posterior_probability_meets(
    k: int, n: int, target: float, direction: Direction, prior: tuple[float, float] = (0.5, 0.5)
) -> float:
    """P(p ≤ target) (lower is better) or P(p ≥ target) under the Beta(a + k, b + n − k)
    posterior from a Beta(a, b) prior (conjugate Beta-binomial)."""
    _check_counts(k, n)
    _check_prior(prior)
    a, b = prior[0] + k, prior[1] + n - k
    if direction is Direction.LOWER_IS_BETTER:
        return float(stats.beta.cdf(target, a, b))
    return float(stats.beta.sf(target, a, b))


def probability_better(
    k: int,
    n: int,
    k0: int,
    n0: int,
    direction: Direction,
    prior: tuple[float, float] = (0.5, 0.5),
) -> float:
    """P(pilot rate better than baseline) for independent Beta posteriors X (pilot), Y (base):
    ∫ f_X(x)·S_Y(x) dx (lower is better) or ∫ f_X(x)·F_Y(x) dx, integrated with quad after the
    substitution u = F_X(x), so the integrand S_Y(F_X⁻¹(u)) is bounded even where f_X is not."""
    _check_counts(k, n)
    _check_counts(k0, n0, "k0", "n0")
    _check_prior(prior)
    x = stats.beta(prior[0] + k, prior[1] + n - k)
    y = stats.beta(prior[0] + k0, prior[1] + n0 - k0)
    tail = y.sf if direction is Direction.LOWER_IS_BETTER else y.cdf
    value, _ = integrate.quad(lambda u: float(tail(x.ppf(u))), 0.0, 1.0, limit=200)
    return min(1.0, max(0.0, float(value)))


def newcombe_difference_interval(
    k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95
) -> Interval:
    """Interval for p1 − p2 by Newcombe's (1998, method 10) hybrid score method, combining the
    two Wilson intervals' distances from their estimates in quadrature."""
    w1, w2 = wilson_interval(k1, n1, confidence), wilson_interval(k2, n2, confidence)
    p1, p2 = k1 / n1, k2 / n2
    d = p1 - p2
    return Interval(
        d - math.hypot(p1 - w1.low, w2.high - p2), d + math.hypot(w1.high - p1, p2 - w2.low)
    )


def proportion_more_needed(
    k: int, n: int, target: float, direction: Direction, confidence: float = 0.95
) -> int | None:
    """Further observations, at the observed rate k/n, until the Wilson bound clears the target
    (0 if it already does); None if the rate is at or on the wrong side of the target."""
    _check_counts(k, n)
    z, rate = _z(confidence), k / n

    def clears(m: int) -> bool:
        w = _wilson(rate, n + m, z)
        return _clears(w.low, w.high, target, direction)

    if clears(0):
        return 0
    right_side = rate < target if direction is Direction.LOWER_IS_BETTER else rate > target
    return _smallest_extra(clears) if right_side else None


# ---------------------------------------------------------------------------------------------
# Means


def _t_interval(s: SampleStats, z_conf: float, n: int | None = None) -> Interval:
    m = s.n if n is None else n
    half = float(stats.t.ppf(0.5 + z_conf / 2, m - 1)) * s.sd / math.sqrt(m)
    return Interval(s.mean - half, s.mean + half)


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> Interval:
    """Student-t interval for the mean (also the flat-prior credible interval)."""
    _z(confidence)
    return _t_interval(SampleStats.of(values), confidence)


def mean_more_needed(
    s: SampleStats, target: float, direction: Direction, confidence: float = 0.95
) -> int | None:
    """Further observations, with the mean and sd as observed, until the t bound clears the
    target (0 if already); None if the mean is at or on the wrong side of the target."""
    _z(confidence)

    def clears(m: int) -> bool:
        t = _t_interval(s, confidence, s.n + m)
        return _clears(t.low, t.high, target, direction)

    if clears(0):
        return 0
    lower = direction is Direction.LOWER_IS_BETTER
    right_side = s.mean < target if lower else s.mean > target
    return _smallest_extra(clears) if right_side else None


def _t_prob_above(mean: float, se: float, df: float, threshold: float) -> float:
    # P(μ > threshold) when μ ~ mean + se·t(df); a zero se is a point mass.
    if se == 0:
        return 1.0 if mean > threshold else (0.5 if mean == threshold else 0.0)
    return float(stats.t.sf((threshold - mean) / se, df))


def welch_difference(
    pilot: SampleStats, baseline: SampleStats, confidence: float = 0.95
) -> tuple[float, Interval, float, float]:
    """Welch (1947) comparison: (pilot − baseline, its t interval, standard error,
    Welch–Satterthwaite degrees of freedom)."""
    _z(confidence)
    v1, v2 = pilot.sd**2 / pilot.n, baseline.sd**2 / baseline.n
    d, se = pilot.mean - baseline.mean, math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1**2 / (pilot.n - 1) + v2**2 / (baseline.n - 1)) if se > 0 else 1.0
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    return d, Interval(d - half, d + half), se, df


# ---------------------------------------------------------------------------------------------
# Evaluation


def _pct(x: float) -> str:
    return f"{100 * x:.1f}".removesuffix(".0") + " %"


def _pts(x: float) -> str:
    return f"{100 * x:+.1f}"


def _verdict(iv: Interval, target: float, direction: Direction) -> Verdict:
    if _clears(iv.low, iv.high, target, direction):
        return Verdict.PASS
    # The whole interval is on the wrong side: its better bound already misses.
    if not _clears(iv.high, iv.low, target, direction):
        return Verdict.FAIL
    return Verdict.INCONCLUSIVE


def _tail(verdict: Verdict, more: int | None, conf: str, unit: str, level: str) -> str:
    if verdict is Verdict.PASS:
        return f"passes at {conf} confidence"
    if verdict is Verdict.FAIL:
        return f"fails: the whole {conf} interval misses the target"
    if more is None:
        return f"inconclusive; more {unit} at this {level} would not clear the target"
    return f"inconclusive; {more} more {unit} at this {level} would clear the target"


def _evaluate_proportion(
    c: ProportionCriterion, confidence: float, prior: tuple[float, float]
) -> CriterionResult:
    k, n, conf = c.events, c.trials, f"{100 * confidence:g} %"
    wil = wilson_interval(k, n, confidence)
    p_meet = posterior_probability_meets(k, n, c.target, c.direction, prior)
    op = "≤" if c.direction is Direction.LOWER_IS_BETTER else "≥"
    verdict = _verdict(wil, c.target, c.direction)
    more = proportion_more_needed(k, n, c.target, c.direction, confidence)
    parts = [
        f"{c.name} {_pct(k / n)} ({conf} Wilson {_pct(wil.low)}–{_pct(wil.high)}) "
        f"from {n} {c.unit}",
        f"P(rate {op} {_pct(c.target)}) = {p_meet:.2f}",
    ]
    base = p_better = diff = diff_iv = None
    if c.baseline_events is not None and c.baseline_trials is not None:
        k0, n0 = c.baseline_events, c.baseline_trials
        base, diff = k0 / n0, k / n - k0 / n0
        p_better = probability_better(k, n, k0, n0, c.direction, prior)
        diff_iv = newcombe_difference_interval(k, n, k0, n0, confidence)
        parts.append(
            f"baseline {_pct(base)} from {n0}; P(better than baseline) = {p_better:.2f}; "
            f"difference {_pts(diff)} points ({conf} Newcombe {_pts(diff_iv.low)} to "
            f"{_pts(diff_iv.high)})"
        )
    parts.append(_tail(verdict, more, conf, c.unit, "rate"))
    return CriterionResult(
        name=c.name,
        kind="proportion",
        direction=c.direction,
        target=c.target,
        n=n,
        estimate=k / n,
        interval=wil,
        exact_interval=clopper_pearson_interval(k, n, confidence),
        p_meets_target=p_meet,
        baseline_estimate=base,
        p_better=p_better,
        difference=diff,
        difference_interval=diff_iv,
        verdict=verdict,
        more_needed=more,
        reason="; ".join(parts),
    )


def _evaluate_mean(c: MeanCriterion, confidence: float) -> CriterionResult:
    s, base, conf = SampleStats.of(c.values), c.baseline, f"{100 * confidence:g} %"
    target = base.mean if c.target_is_baseline and base is not None else c.target
    assert target is not None  # guaranteed by MeanCriterion validation
    iv = _t_interval(s, confidence)
    se = s.sd / math.sqrt(s.n)
    p_above = _t_prob_above(s.mean, se, s.n - 1, target)
    lower = c.direction is Direction.LOWER_IS_BETTER
    # P(μ ≤ t) = 1 − P(μ > t) for the continuous posterior; the point mass at se = 0 is exact.
    p_meet = (1.0 - p_above if se > 0 else float(s.mean <= target)) if lower else p_above
    if se == 0 and not lower:
        p_meet = float(s.mean >= target)
    verdict = _verdict(iv, target, c.direction)
    more = mean_more_needed(s, target, c.direction, confidence)
    label = f"baseline mean {target:.2f}" if c.target_is_baseline else f"{target:.2f}"
    parts = [
        f"{c.name} mean {s.mean:.2f} ({conf} t {iv.low:.2f}–{iv.high:.2f}) from {s.n} {c.unit}",
        f"P(mean {'≤' if lower else '≥'} {label}) = {p_meet:.2f}",
    ]
    p_better = diff = diff_iv = None
    if base is not None:
        diff, diff_iv, dse, df = welch_difference(s, base, confidence)
        p_up = _t_prob_above(diff, dse, df, 0.0)
        p_better = 1.0 - p_up if lower and dse > 0 else p_up
        if lower and dse == 0:
            p_better = 1.0 if diff < 0 else (0.5 if diff == 0 else 0.0)
        parts.append(
            f"baseline {base.mean:.2f} from {base.n}; P(better than baseline) = "
            f"{p_better:.2f}; difference {diff:+.2f} ({conf} Welch {diff_iv.low:+.2f} to "
            f"{diff_iv.high:+.2f})"
        )
    parts.append(_tail(verdict, more, conf, c.unit, "mean"))
    return CriterionResult(
        name=c.name,
        kind="mean",
        direction=c.direction,
        target=target,
        n=s.n,
        estimate=s.mean,
        interval=iv,
        exact_interval=None,
        p_meets_target=p_meet,
        baseline_estimate=None if base is None else base.mean,
        p_better=p_better,
        difference=diff,
        difference_interval=diff_iv,
        verdict=verdict,
        more_needed=more,
        reason="; ".join(parts),
    )


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
            f"{r.name} needs about {r.more_needed} more"
            if r.more_needed is not None
            else f"{r.name} would not clear its target at the current level"
            for r in open_
        ]
        head = f"Extend the pilot: {'; '.join(needs)}."
    return PilotEvaluation(results, rec, (head, *(r.reason for r in results)))
