"""Small-sample intervals and posteriors for a rate or a mean, as pilots and surveys use them.

Holds ``Interval`` and ``SampleStats``; for rates the Wilson, Clopper–Pearson and
Newcombe difference intervals and the Beta-binomial posteriors; for means the t interval and
Welch's difference.

Rates: the Wilson score interval (Wilson 1927) and the Clopper–Pearson exact interval (Clopper
& Pearson 1934); a Beta-binomial posterior for P(rate meets target). The prior defaults to
Jeffreys Beta(½, ½), the reference prior for a binomial rate (Jeffreys 1946; Brown, Cai &
DasGupta 2001): it adds half an event and half a non-event, so it barely moves a 20-item pilot.
A baseline comparison uses independent Beta posteriors and the Newcombe (1998, method 10)
hybrid Wilson interval for the difference.

Means: the Student-t interval; with the flat prior p(μ, σ²) ∝ 1/σ² the posterior of the mean
is x̄ + (s/√n)·t(n−1) (Gelman et al., *Bayesian Data Analysis*, 3rd ed., §3.2), so the t
interval is also a credible interval. Baseline comparisons use Welch's t (Welch 1947) with
Satterthwaite degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import integrate, stats

from sourcewise.governance.kpis import Direction


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
