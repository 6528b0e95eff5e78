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


class CriterionKind(StrEnum):
    PROPORTION = "proportion"
    MEAN = "mean"


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
    _z(confidence)
    alpha = 1 - confidence
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
    """P(pilot rate better than baseline) for independent Beta posteriors X (pilot) and Y
    (baseline): P(X < Y) = ∫ f_X(x)·S_Y(x) dx = ∫ F_X(y)·f_Y(y) dy for lower is better, P(X > Y)
    likewise. Integrated exactly with quad after substituting u = F(x) for the narrower
    posterior, so the integrand (the wider one's cdf at the narrower one's quantiles) is
    bounded and smooth; substituting on the wider one would turn it into a near-step that quad
    can step over."""
    _check_counts(k, n)
    _check_counts(k0, n0, "k0", "n0")
    _check_prior(prior)
    x = stats.beta(prior[0] + k, prior[1] + n - k)
    y = stats.beta(prior[0] + k0, prior[1] + n0 - k0)
    lower = direction is Direction.LOWER_IS_BETTER
    if float(x.var()) <= float(y.var()):
        outer, inner = x, (y.sf if lower else y.cdf)  # E_X[S_Y(X)] or E_X[F_Y(X)]
    else:
        outer, inner = y, (x.cdf if lower else x.sf)  # E_Y[F_X(Y)] or E_Y[S_X(Y)]
    value, _ = integrate.quad(lambda u: float(inner(outer.ppf(u))), 0.0, 1.0, limit=200)
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
    return _more_needed(lambda m: _wilson(rate, n + m, z), rate, target, direction)


# ---------------------------------------------------------------------------------------------
# Means


def _t_interval(s: SampleStats, confidence: float, n: int | None = None) -> Interval:
    # n overrides the sample size to project the interval with the same mean and sd.
    m = s.n if n is None else n
    half = float(stats.t.ppf(0.5 + confidence / 2, m - 1)) * s.sd / math.sqrt(m)
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
    return _more_needed(lambda m: _t_interval(s, confidence, s.n + m), s.mean, target, direction)


def _t_prob_meets(mean: float, se: float, df: float, threshold: float, d: Direction) -> float:
    """P(μ ≤ threshold) (lower is better) or P(μ ≥ threshold) when μ ~ mean + se·t(df)."""
    if se == 0:  # no spread: a point mass, so the answer is 0 or 1
        return float(mean <= threshold if d is Direction.LOWER_IS_BETTER else mean >= threshold)
    x = (threshold - mean) / se
    return float(stats.t.cdf(x, df) if d is Direction.LOWER_IS_BETTER else stats.t.sf(x, df))


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
