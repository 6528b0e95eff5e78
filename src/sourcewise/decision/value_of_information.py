"""What it is worth to know more before deciding: EVPI, EVPPI and EVSI from Monte Carlo draws.

Costs come as a ``(draws, options)`` matrix, lower is better; deciding today means taking the
option with the lowest expected cost. Learning something first is worth the expected cost of
deciding now minus the expected cost of deciding once it is known:

- **EVPI** (everything known): ``min_j E[C_j] − E[min_j C_j]``.
- **EVPPI** (some inputs known): ``min_j E[C_j] − E[min_j E[C_j | inputs]]``. The conditional
  expectations are estimated from the same draws by regressing each option's cost on the
  inputs' draws, the non-parametric regression method of Strong, Oakley & Brennan (2014),
  "Estimating multiparameter partial expected value of perfect information from a
  probabilistic sensitivity analysis sample", *Medical Decision Making* 34(3):311–326, instead
  of a nested simulation. Only the costs *relative to today's choice* are regressed (one
  regression fewer; the reference's relative cost is zero).
- **EVSI** of a study measuring one input on ``n`` units: the Gaussian approximation of Jalal &
  Alarid-Escudero (2018), "A Gaussian approximation approach for value of information analysis",
  *Medical Decision Making* 38(2):174–188: the EVPPI regression's fitted values shrunk towards
  their mean by ``sqrt(n / (n + n0))``, ``n0`` being the prior's effective sample size.

The smoother is a penalised regression spline in the family Strong et al. fit with ``mgcv``:
cubic B-splines with a second-difference penalty (a P-spline, Eilers & Marx 1996, *Statistical
Science* 11(2):89–121), the smoothness chosen by generalised cross-validation separately for
each option. Each input enters through its rank (its empirical distribution function), so ties
and discrete inputs need no special case: equal draws get equal ranks and the regression
averages their costs. A group of inputs is fitted as an ANOVA-style additive model: a smooth
main effect per input plus a tensor-product interaction smooth for every pair (mgcv's ``ti``
terms), one smoothing parameter for all. Beyond ``MAX_INTERACTING`` inputs the group is fitted
additively, which can understate its value when inputs act jointly.

A regression estimator of EVPPI is biased upwards (fitted noise looks like information) and
can fall outside what is possible in small samples, so values are clipped to ``[0, EVPI]``;
the unclipped estimate is kept beside it. Everything is vectorised over draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt
from scipy.interpolate import BSpline
from scipy.stats import rankdata

FloatArray = npt.NDArray[np.float64]

SEGMENTS = 20
"""Equal segments of the rank scale a single input's spline has (23 cubic B-splines)."""
GROUP_SEGMENTS = 8
"""Segments of each input's main effect in a group."""
INTERACTION_SEGMENTS = 2
"""Segments of each margin of a pairwise interaction: 5 B-splines, mgcv's default for ``ti``
margins, 4 after centring, so 16 coefficients per pair."""
MAX_INTERACTING = 6
"""Groups larger than this are fitted additively (15 pairs already at 6 inputs: 240 interaction
coefficients)."""
LAMBDAS = np.logspace(-6, 8, 57)
"""Smoothing parameters tried by GCV, relative to the scale of the basis."""
DEGREE = 3


@dataclass(frozen=True, slots=True)
class PerfectInformation:
    """EVPI with its Monte Carlo standard error."""

    value: float
    se: float
    best_today: int
    """Index of the option with the lowest expected cost."""


@dataclass(frozen=True, slots=True)
class PartialInformation:
    """EVPPI of an input or group, and the regression behind it (the EVSI shrinks it)."""

    value: float
    """The estimate clipped to ``[0, EVPI]``."""
    unclipped: float
    best_today: int
    fitted: FloatArray
    """``(draws, options)``: each option's expected cost given the inputs, minus today's best
    option's (so that option's column is zero)."""
    degrees_of_freedom: float
    """Effective degrees of freedom of the fit, summed over the regressed options."""


def _checked(costs: npt.ArrayLike) -> FloatArray:
    matrix = np.asarray(costs, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] < 2 or matrix.shape[1] < 1:
        raise ValueError(
            f"costs must be a (draws, options) matrix with 2+ draws, got {matrix.shape}"
        )
    if not np.all(np.isfinite(matrix)):
        raise ValueError("costs must be finite")
    return matrix


def evpi(costs: npt.ArrayLike) -> PerfectInformation:
    """Expected value of perfect information of a ``(draws, options)`` cost matrix.

    Its standard error is that of the mean of ``C_best − min_j C_j`` over the draws, taking
    today's choice as fixed.
    """
    matrix = _checked(costs)
    best = int(np.argmin(matrix.mean(axis=0)))
    regret = matrix[:, best] - matrix.min(axis=1)
    n = regret.size
    return PerfectInformation(float(regret.mean()), float(regret.std(ddof=1) / np.sqrt(n)), best)


def _value(relative: FloatArray) -> float:
    """``min_j mean(g_j) − mean(min_j g_j)`` for costs relative to today's best option."""
    return float(
        np.maximum(-relative.min(axis=1), 0.0).mean() - max(-relative.mean(axis=0).min(), 0.0)
    )


# ---------------------------------------------------------------------------------------------
# The smoother


def _ranks(values: FloatArray) -> FloatArray:
    """Ranks scaled to [0, 1]; ties share their average rank."""
    ranks = rankdata(values)
    span = ranks.max() - ranks.min()
    return (ranks - ranks.min()) / span if span > 0 else np.zeros_like(ranks)


def _bspline_basis(u: FloatArray, segments: int) -> tuple[FloatArray, FloatArray]:
    """Cubic B-splines on equal segments of [0, 1] and their second-difference penalty."""
    inner = np.linspace(0.0, 1.0, segments + 1)
    knots = np.concatenate([np.zeros(DEGREE), inner, np.ones(DEGREE)])
    basis = BSpline.design_matrix(u, knots, DEGREE).toarray()
    size = basis.shape[1]
    difference = np.diff(np.eye(size), n=2, axis=0)
    return basis, difference.T @ difference


def _centred(basis: FloatArray, penalty: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The basis constrained to sum to zero over the draws (identifiable beside an intercept),
    as mgcv does: reparametrise on the null space of the column means."""
    means = basis.mean(axis=0, keepdims=True)
    q, _ = np.linalg.qr(means.T, mode="complete")
    null = q[:, 1:]
    return basis @ null, null.T @ penalty @ null


def _group_design(columns: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Design and penalty of the additive-plus-pairwise model of a group of inputs."""
    ranks = [_ranks(columns[:, i]) for i in range(columns.shape[1])]
    parts: list[tuple[FloatArray, FloatArray]] = []
    n = columns.shape[0]
    parts.append((np.ones((n, 1)), np.zeros((1, 1))))
    for u in ranks:
        parts.append(_centred(*_bspline_basis(u, GROUP_SEGMENTS)))
    if len(ranks) <= MAX_INTERACTING:
        margins = [_centred(*_bspline_basis(u, INTERACTION_SEGMENTS)) for u in ranks]
        for (a, pa), (b, pb) in combinations(margins, 2):
            pair = (a[:, :, None] * b[:, None, :]).reshape(n, -1)
            ia, ib = np.eye(pa.shape[0]), np.eye(pb.shape[0])
            parts.append((pair, np.kron(pa, ib) + np.kron(ia, pb)))
    widths = [d.shape[1] for d, _ in parts]
    design = np.empty((n, sum(widths)))
    penalty = np.zeros((design.shape[1], design.shape[1]))
    at = 0
    for (d, p), width in zip(parts, widths, strict=True):
        design[:, at : at + width] = d
        penalty[at : at + width, at : at + width] = p
        at += width
    return design, penalty


def smooth(design: FloatArray, penalty: FloatArray, y: FloatArray) -> tuple[FloatArray, float]:
    """Penalised least squares of each column of ``y`` on ``design``, each column's smoothing
    parameter chosen by GCV over ``LAMBDAS``; the fitted values and their summed effective
    degrees of freedom.

    Demmler–Reinsch form: with ``XᵀX = RᵀR`` and ``R⁻ᵀ S R⁻¹ = U diag(s) Uᵀ``, the fit at λ is
    ``Q diag(1/(1+λs)) Qᵀy`` with ``Q = X R⁻¹ U`` orthonormal, so the residual sum of squares
    and the trace of every λ's hat matrix follow from ``Qᵀy`` without refitting. ``Q`` itself is
    never formed: ``Qᵀy = Uᵀ R⁻ᵀ Xᵀy`` and the fit is ``X`` times the coefficients, so the only
    product over the draws of the basis with itself is ``XᵀX``.
    """
    n = design.shape[0]
    gram = design.T @ design
    jitter = 1e-10 * np.trace(gram) / gram.shape[0]
    r = np.linalg.cholesky(gram + jitter * np.eye(gram.shape[0])).T
    r_inv = np.linalg.inv(r)
    s, u = np.linalg.eigh(r_inv.T @ penalty @ r_inv)
    s = np.maximum(s, 0.0)
    scale = s.max() if s.max() > 0 else 1.0
    to_coefficients = r_inv @ u
    z = to_coefficients.T @ (design.T @ y)  # Qᵀy: (basis, columns)
    residual_ls = np.maximum((y * y).sum(axis=0) - (z * z).sum(axis=0), 0.0)
    shrink = 1.0 / (1.0 + np.outer(LAMBDAS, s / scale))  # (lambdas, basis)
    traces = shrink.sum(axis=1)
    rss = residual_ls[None, :] + ((1.0 - shrink) ** 2) @ (z * z)  # (lambdas, columns)
    gcv = n * rss / np.maximum(n - traces, 1.0)[:, None] ** 2
    chosen = np.argmin(gcv, axis=0)
    fitted = design @ (to_coefficients @ (shrink[chosen].T * z))
    return fitted, float(traces[chosen].sum())


def _distinct_design(values: FloatArray) -> tuple[FloatArray, FloatArray] | None:
    """For an input with few distinct values: one indicator per value, unpenalised, so the fit
    is each value's mean cost (the exact conditional expectation)."""
    levels, which = np.unique(values, return_inverse=True)
    if levels.size > SEGMENTS + DEGREE:
        return None
    design = np.zeros((values.size, levels.size))
    design[np.arange(values.size), which] = 1.0
    return design, np.zeros((levels.size, levels.size))


def _design(inputs: FloatArray) -> tuple[FloatArray, FloatArray]:
    if inputs.shape[1] == 1:
        return _distinct_design(inputs[:, 0]) or _bspline_basis(_ranks(inputs[:, 0]), SEGMENTS)
    return _group_design(inputs)


def evppi(costs: npt.ArrayLike, inputs: npt.ArrayLike) -> PartialInformation:
    """Expected value of partial perfect information of one input (``(draws,)``) or a group
    (``(draws, k)``), by regression of the costs relative to today's best option."""
    matrix = _checked(costs)
    columns = np.asarray(inputs, dtype=np.float64)
    columns = columns[:, None] if columns.ndim == 1 else columns
    if columns.ndim != 2 or columns.shape[0] != matrix.shape[0]:
        raise ValueError(
            f"inputs must have one row per draw ({matrix.shape[0]}), got {columns.shape}"
        )
    if not np.all(np.isfinite(columns)):
        raise ValueError("inputs must be finite")
    perfect = evpi(matrix)
    best = perfect.best_today
    relative = matrix - matrix[:, [best]]
    others = [j for j in range(matrix.shape[1]) if j != best]
    fitted = np.zeros_like(matrix)
    dof = 0.0
    varying = columns[:, np.ptp(columns, axis=0) > 0]
    if others and varying.shape[1]:
        design, penalty = _design(varying)
        fitted[:, others], dof = smooth(design, penalty, relative[:, others])
    else:  # nothing to learn from: the conditional expectation is the mean
        fitted[:, others] = relative[:, others].mean(axis=0)
    raw = _value(fitted)
    return PartialInformation(min(max(raw, 0.0), perfect.value), raw, best, fitted, dof)


# ---------------------------------------------------------------------------------------------
# Sample information


def normal_prior_sample_size(prior_variance: float, sampling_variance: float) -> float:
    """``n0 = σ² / τ²``: the units of data a normal prior of variance ``τ²`` is worth when one
    unit's measurement has variance ``σ²``."""
    if prior_variance <= 0 or sampling_variance <= 0:
        raise ValueError("variances must be positive")
    return sampling_variance / prior_variance


def beta_prior_sample_size(mean: float, variance: float) -> float:
    """``a + b`` of the Beta distribution with this mean and variance: the trials a prior on a
    rate is worth (a trial's outcome varies by ``p(1 − p)``)."""
    if not 0 < mean < 1 or variance <= 0:
        raise ValueError(
            f"a rate's prior needs 0 < mean < 1 and a positive variance, got {mean}, {variance}"
        )
    return max(mean * (1.0 - mean) / variance - 1.0, 0.0)


def gamma_prior_exposure(mean: float, variance: float) -> float:
    """Exposure (e.g. person-years) a Gamma prior on an event rate is worth: its rate parameter
    ``mean / variance`` (a Poisson count's variance equals its mean)."""
    if mean <= 0 or variance <= 0:
        raise ValueError(
            f"an event rate's prior needs a positive mean and variance, got {mean}, {variance}"
        )
    return mean / variance


def evsi(partial: PartialInformation, sizes: npt.ArrayLike, prior_sample_size: float) -> FloatArray:
    """EVSI of a study of ``sizes`` units measuring the input behind ``partial``, one value per
    size: the fitted values shrunk towards their mean by ``sqrt(n / (n + n0))``.

    Never below zero (Jensen's inequality: shrinking towards the mean cannot make the best
    choice worse on average), increasing in ``n`` (the expected minimum is convex in the
    shrinkage factor and smallest at 0) and reaching the EVPPI as ``n`` grows without bound.
    Where the EVPPI estimate was clipped to the EVPI, the curve is scaled by the same factor,
    so it stays below the EVPPI reported.
    """
    n = np.asarray(sizes, dtype=np.float64)
    if np.any(n < 0) or prior_sample_size < 0:
        raise ValueError("sizes and the prior sample size must be non-negative")
    if partial.value == 0.0:  # nothing to learn about the input is worth anything
        return np.zeros(n.shape)
    # sqrt(n / (n + n0)), written so that n = 0 gives 0 and n0 = 0 gives 1 without dividing by 0.
    factor = np.sqrt(n / np.maximum(n + prior_sample_size, np.finfo(np.float64).tiny))
    mean = partial.fitted.mean(axis=0)
    spread = partial.fitted - mean
    # The best option by expectation does not change with the shrinkage: the means are kept.
    today = max(-mean.min(), 0.0)
    values = np.empty(n.shape)
    for i, a in np.ndenumerate(factor):  # one pass over the draws per size
        shrunk = mean + a * spread
        values[i] = np.maximum(-shrunk.min(axis=1), 0.0).mean() - today
    ratio = partial.value / partial.unclipped if partial.unclipped > 0 else 0.0
    return np.clip(values * min(ratio, 1.0), 0.0, partial.value)


@dataclass(frozen=True, slots=True)
class StudyDesign:
    """A study's expected value, cost and net value by size, and the best size."""

    sizes: FloatArray
    value: FloatArray
    cost: FloatArray
    net: FloatArray
    best_size: float
    best_net: float
    """Greatest expected net value; when not positive no size is worth its cost."""


def best_study(sizes: npt.ArrayLike, value: npt.ArrayLike, cost: npt.ArrayLike) -> StudyDesign:
    """The size with the greatest expected value of sample information net of its cost."""
    n = np.asarray(sizes, dtype=np.float64)
    worth = np.asarray(value, dtype=np.float64)
    paid = np.asarray(cost, dtype=np.float64)
    if not n.shape == worth.shape == paid.shape or n.ndim != 1 or n.size == 0:
        raise ValueError("sizes, values and costs must be equal-length vectors")
    net = worth - paid
    best = int(np.argmax(net))
    return StudyDesign(n, worth, paid, net, float(n[best]), float(net[best]))
