"""Uncertain inputs: distributions, their draws, and rank correlation between them.

Every distribution is a frozen dataclass that validates its parameters on construction and
offers four things: ``sample(n, rng)`` (an ``(n,)`` float array), ``ppf(q)`` (the inverse CDF,
for copulas and the P10/P90 of a single input), ``mean`` (the analytic mean, used as the
deterministic value) and ``describe()`` (a short label such as ``triangular(10, 12, 15)``).

Randomness comes only from the ``numpy.random.Generator`` passed in, so the same seed gives
bit-identical arrays.

``correlate`` imposes target Spearman rank correlations with the Iman–Conover method: each
column is reordered so that its ranks follow those of a correlated matrix of normal scores.
The values themselves are never changed, so each marginal is kept exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from scipy import special, stats

FloatArray = npt.NDArray[np.float64]
Pair = tuple[str, str]

_PSD_TOLERANCE = 1e-10
"""Eigenvalues down to minus this count as zero: rounding, not an inconsistent matrix."""


@runtime_checkable
class Distribution(Protocol):
    """What the Monte Carlo engine needs from one uncertain input."""

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        """``n`` independent draws, shape ``(n,)``."""
        ...

    def ppf(self, q: FloatArray) -> FloatArray:
        """The inverse CDF at probabilities ``q`` (each in 0..1), same shape as ``q``."""
        ...

    @property
    def mean(self) -> float:
        """The analytic mean."""
        ...

    def describe(self) -> str:
        """A short label, e.g. ``triangular(10, 12, 15)``."""
        ...


# ---------------------------------------------------------------------------------------------
# Helpers


def _num(x: float) -> str:
    # 12 significant digits: money such as 1200000 stays readable instead of 1.2e+06.
    return f"{x:.12g}"


def _require_finite(kind: str, **params: float) -> None:
    for name, value in params.items():
        if not math.isfinite(value):
            raise ValueError(f"{kind}: {name} must be a finite number, got {value}")


def _require_positive(kind: str, name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{kind}: {name} must be positive, got {_num(value)}")


def _require_ordered(kind: str, low: float, high: float) -> None:
    if not low < high:
        raise ValueError(f"{kind}: low {_num(low)} must be below high {_num(high)}")


def _require_mode_inside(kind: str, low: float, mode: float, high: float) -> None:
    if not low <= mode <= high:
        raise ValueError(
            f"{kind}: mode {_num(mode)} is outside low..high {_num(low)}..{_num(high)}"
        )


def _check_n(kind: str, n: int) -> None:
    if n < 0:
        raise ValueError(f"{kind}: n must be zero or more, got {n}")


def _probabilities(kind: str, q: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(q, dtype=np.float64)
    # Written so that NaN fails too.
    if not np.all((arr >= 0.0) & (arr <= 1.0)):
        raise ValueError(f"{kind}: ppf needs probabilities q in 0..1")
    return arr


def _floats(values: object) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


# ---------------------------------------------------------------------------------------------
# Distributions


@dataclass(frozen=True, slots=True)
class Fixed:
    """A known value: every draw is exactly ``value``."""

    value: float

    def __post_init__(self) -> None:
        _require_finite("fixed", value=self.value)

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("fixed", n)
        return np.full(n, self.value, dtype=np.float64)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        return np.full(_probabilities("fixed", q).shape, self.value, dtype=np.float64)

    @property
    def mean(self) -> float:
        return float(self.value)

    def describe(self) -> str:
        return f"fixed({_num(self.value)})"


@dataclass(frozen=True, slots=True)
class Uniform:
    """Every value in ``low..high`` equally likely."""

    low: float
    high: float

    def __post_init__(self) -> None:
        _require_finite("uniform", low=self.low, high=self.high)
        _require_ordered("uniform", self.low, self.high)

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("uniform", n)
        return rng.uniform(self.low, self.high, size=n)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        p = _probabilities("uniform", q)
        return self.low + p * (self.high - self.low)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def describe(self) -> str:
        return f"uniform({_num(self.low)}, {_num(self.high)})"


@dataclass(frozen=True, slots=True)
class Triangular:
    """Lowest, most likely and highest value, density falling linearly from the mode."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _require_finite("triangular", low=self.low, mode=self.mode, high=self.high)
        _require_ordered("triangular", self.low, self.high)
        _require_mode_inside("triangular", self.low, self.mode, self.high)

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("triangular", n)
        return rng.triangular(self.low, self.mode, self.high, size=n)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        p = _probabilities("triangular", q)
        width = self.high - self.low
        c = (self.mode - self.low) / width
        return _floats(stats.triang.ppf(p, c, loc=self.low, scale=width))

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def describe(self) -> str:
        return f"triangular({_num(self.low)}, {_num(self.mode)}, {_num(self.high)})"


@dataclass(frozen=True, slots=True)
class Pert:
    """Beta-PERT: a smooth three-point estimate; ``lam`` weighs the mode (4 is classic PERT)."""

    low: float
    mode: float
    high: float
    lam: float = 4.0

    def __post_init__(self) -> None:
        _require_finite("pert", low=self.low, mode=self.mode, high=self.high, lam=self.lam)
        _require_ordered("pert", self.low, self.high)
        _require_mode_inside("pert", self.low, self.mode, self.high)
        _require_positive("pert", "lam", self.lam)

    @property
    def _shapes(self) -> tuple[float, float]:
        width = self.high - self.low
        alpha = 1 + self.lam * (self.mode - self.low) / width
        beta = 1 + self.lam * (self.high - self.mode) / width
        return alpha, beta

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("pert", n)
        alpha, beta = self._shapes
        return self.low + (self.high - self.low) * rng.beta(alpha, beta, size=n)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        p = _probabilities("pert", q)
        alpha, beta = self._shapes
        return _floats(stats.beta.ppf(p, alpha, beta, loc=self.low, scale=self.high - self.low))

    @property
    def mean(self) -> float:
        return (self.low + self.lam * self.mode + self.high) / (self.lam + 2)

    def describe(self) -> str:
        lam = "" if self.lam == 4.0 else f", lam={_num(self.lam)}"
        return f"pert({_num(self.low)}, {_num(self.mode)}, {_num(self.high)}{lam})"


@dataclass(frozen=True, slots=True)
class Normal:
    """Normal with location ``mu`` and spread ``sd``, truncated to ``low..high`` when given.

    The location is called ``mu`` rather than ``mean`` because ``mean`` is the analytic mean
    of the (possibly truncated) distribution, which differs from ``mu`` once truncated.
    """

    mu: float
    sd: float
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        _require_finite("normal", mu=self.mu, sd=self.sd)
        _require_positive("normal", "sd", self.sd)
        if self.low is not None:
            _require_finite("normal", low=self.low)
        if self.high is not None:
            _require_finite("normal", high=self.high)
        if self.low is not None and self.high is not None:
            _require_ordered("normal", self.low, self.high)

    @property
    def truncated(self) -> bool:
        return self.low is not None or self.high is not None

    def _truncnorm(self) -> Any:  # a frozen scipy distribution; scipy is untyped
        # scipy's truncnorm takes its bounds in standard units.
        a = -math.inf if self.low is None else (self.low - self.mu) / self.sd
        b = math.inf if self.high is None else (self.high - self.mu) / self.sd
        return stats.truncnorm(a, b, loc=self.mu, scale=self.sd)

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("normal", n)
        if not self.truncated:
            return self.mu + self.sd * rng.standard_normal(n)
        return _floats(self._truncnorm().rvs(size=n, random_state=rng)).reshape(n)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        p = _probabilities("normal", q)
        if not self.truncated:
            return self.mu + self.sd * _floats(special.ndtri(p))
        return _floats(self._truncnorm().ppf(p))

    @property
    def mean(self) -> float:
        if not self.truncated:
            return float(self.mu)
        return float(self._truncnorm().mean())

    def describe(self) -> str:
        bounds = ""
        if self.low is not None:
            bounds += f", low={_num(self.low)}"
        if self.high is not None:
            bounds += f", high={_num(self.high)}"
        return f"normal({_num(self.mu)}, {_num(self.sd)}{bounds})"


@dataclass(frozen=True, slots=True)
class LogNormal:
    """Positive and right-skewed: ``log(X)`` is normal with median ``log(median)``, sd ``sigma``."""

    median: float
    sigma: float

    def __post_init__(self) -> None:
        _require_finite("lognormal", median=self.median, sigma=self.sigma)
        _require_positive("lognormal", "median", self.median)
        _require_positive("lognormal", "sigma", self.sigma)

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> LogNormal:
        """The lognormal with this arithmetic mean and standard deviation."""
        _require_finite("lognormal", mean=mean, sd=sd)
        _require_positive("lognormal", "mean", mean)
        _require_positive("lognormal", "sd", sd)
        spread = 1 + (sd / mean) ** 2
        return cls(median=mean / math.sqrt(spread), sigma=math.sqrt(math.log(spread)))

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("lognormal", n)
        return rng.lognormal(math.log(self.median), self.sigma, size=n)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        p = _probabilities("lognormal", q)
        return self.median * np.exp(self.sigma * _floats(special.ndtri(p)))

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    def describe(self) -> str:
        return f"lognormal(median={_num(self.median)}, sigma={_num(self.sigma)})"


@dataclass(frozen=True, slots=True)
class Empirical:
    """Observed values, each equally likely: draws are made from them with replacement.

    ``ppf`` is the inverse of the empirical CDF (numpy's ``inverted_cdf``): the smallest value
    whose share of observations at or below it reaches ``q``. That is exactly the quantile of
    the distribution ``sample`` draws from; no interpolation between observations.
    """

    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.values) == 0:
            raise ValueError("empirical: values must not be empty")
        # Normalise to a tuple of floats so lists and integers hash and compare alike.
        values = tuple(float(v) for v in self.values)
        for v in values:
            _require_finite("empirical", values=v)
        object.__setattr__(self, "values", values)

    def sample(self, n: int, rng: np.random.Generator) -> FloatArray:
        _check_n("empirical", n)
        return rng.choice(_floats(self.values), size=n, replace=True)

    def ppf(self, q: npt.ArrayLike) -> FloatArray:
        p = _probabilities("empirical", q)
        return _floats(np.quantile(_floats(self.values), p, method="inverted_cdf"))

    @property
    def mean(self) -> float:
        return math.fsum(self.values) / len(self.values)

    def describe(self) -> str:
        return (
            f"empirical({len(self.values)} values, "
            f"{_num(min(self.values))}..{_num(max(self.values))})"
        )


# ---------------------------------------------------------------------------------------------
# Rank correlation (Iman–Conover)


def correlation_matrix(names: tuple[str, ...], correlations: Mapping[Pair, float]) -> FloatArray:
    """The symmetric matrix over ``names`` with 1 on the diagonal and 0 for unnamed pairs.

    Raises ValueError for an unknown name, a pair of a name with itself, |rho| > 1, or the same
    pair given twice with different values.
    """
    index = {name: i for i, name in enumerate(names)}
    matrix = np.eye(len(names))
    seen: dict[frozenset[str], float] = {}
    for (a, b), rho in correlations.items():
        for name in (a, b):
            if name not in index:
                raise ValueError(f"correlations: ({a!r}, {b!r}) names {name!r}, not an input")
        if a == b:
            raise ValueError(f"correlations: ({a!r}, {b!r}) pairs an input with itself")
        if not (math.isfinite(rho) and -1.0 <= rho <= 1.0):
            raise ValueError(f"correlations: ({a!r}, {b!r}) rho {rho} is outside -1..1")
        key = frozenset((a, b))
        if key in seen and seen[key] != rho:
            raise ValueError(
                f"correlations: ({a!r}, {b!r}) is given twice, as {seen[key]} and {rho}"
            )
        seen[key] = rho
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = rho
    return matrix


def _factor(matrix: FloatArray) -> FloatArray | None:
    """``L`` with ``L @ L.T == matrix``, or None if the matrix is not positive semi-definite.

    Semi-definite is enough (rather than definite) so that rho = ±1 works.
    """
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    if float(eigenvalues.min()) < -_PSD_TOLERANCE:
        return None
    return _floats(eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None)))


def _whitener(scores: FloatArray) -> FloatArray:
    """The inverse of the Cholesky factor of the scores' own correlation, or I if singular."""
    try:
        chol = np.linalg.cholesky(np.corrcoef(scores, rowvar=False))
    except np.linalg.LinAlgError:
        # Only with a handful of draws; skipping the correction just makes the match rougher.
        return np.eye(scores.shape[1])
    return _floats(np.linalg.inv(chol))


def correlate(
    samples: Mapping[str, FloatArray],
    correlations: Mapping[Pair, float],
    rng: np.random.Generator,
) -> dict[str, FloatArray]:
    """Reorder draws so that named pairs have the target Spearman rank correlations.

    Iman–Conover: a matrix of van der Waerden normal scores, each column independently
    shuffled, is transformed to carry the target correlation; each input is then reordered so
    that its ranks follow its column. Targets are Spearman correlations, converted to the
    Pearson correlation of the normal scores by ``2·sin(π·rho/6)`` so that the achieved
    Spearman lands on target rather than slightly below it.

    Returned arrays are permutations of the inputs. Inputs that appear in no pair are returned
    as given (the same array objects); the result keeps the key order of ``samples``.

    Raises ValueError for unknown or repeated names, |rho| > 1, inputs of different lengths, or
    a correlation matrix that is not positive (semi-)definite. Such a matrix is rejected, not
    repaired: a silent repair would change correlations the user stated.
    """
    names = tuple(sorted({name for pair in correlations for name in pair}))
    for name in names:
        if name not in samples:
            raise ValueError(f"correlations: {name!r} is not among the sampled inputs")
    result = dict(samples)
    if not names:
        return result
    target = correlation_matrix(names, correlations)
    target_factor = _factor(target)
    if target_factor is None:
        smallest = float(np.linalg.eigvalsh(target).min())
        raise ValueError(
            f"correlations: the correlation matrix of {', '.join(names)} is not positive "
            f"definite (smallest eigenvalue {smallest:.3g}); the pairs contradict each other"
        )

    columns = [np.asarray(samples[name], dtype=np.float64) for name in names]
    n = columns[0].shape[0]
    for name, column in zip(names, columns, strict=True):
        if column.ndim != 1 or column.shape[0] != n:
            raise ValueError(
                f"samples: {name!r} has shape {column.shape}, expected ({n},) like {names[0]!r}"
            )
    if n < 2:
        return result

    # The conversion moves every |rho| away from 0, so a matrix on the edge of validity can
    # lose it; the unconverted target is then used, a Spearman slightly short of target.
    factor = _factor(2.0 * np.sin(np.pi * target / 6.0))
    if factor is None:
        factor = target_factor
    base = special.ndtri(np.arange(1, n + 1) / (n + 1))
    scores = rng.permuted(np.tile(base[:, None], (1, len(names))), axis=0)
    correlated = scores @ (factor @ _whitener(scores)).T

    ranks = np.argsort(np.argsort(correlated, axis=0, kind="stable"), axis=0, kind="stable")
    reordered = np.take_along_axis(np.sort(np.column_stack(columns), axis=0), ranks, axis=0)
    for j, name in enumerate(names):
        result[name] = np.ascontiguousarray(reordered[:, j])
    return result


def sample_all(
    inputs: Mapping[str, Distribution],
    n: int,
    rng: np.random.Generator,
    correlations: Mapping[Pair, float] | None = None,
) -> dict[str, FloatArray]:
    """Draw ``n`` values of every input, in sorted-name order, then impose ``correlations``.

    Sorting the names makes the draws independent of the mapping's insertion order, so a seed
    reproduces them exactly. The result is keyed in sorted-name order.
    """
    drawn = {name: inputs[name].sample(n, rng) for name in sorted(inputs)}
    return correlate(drawn, correlations or {}, rng)
