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

The smoother (``decision.penalised_spline``) is a penalised regression spline in the family
Strong et al. fit with ``mgcv``: cubic B-splines with a second-difference penalty (a P-spline),
the smoothness chosen by generalised cross-validation separately for each option. Each input
enters through its rank (its empirical distribution function): equal draws get equal ranks and
the regression averages their costs, and an input with a handful of values gets each value's
mean cost exactly. Every input whose draws are distinct has the same ranks once sorted, so the
single-input regressions share one basis and are fitted together (``evppi_each``). A group of
inputs is fitted as an ANOVA-style additive model: a smooth main effect per input plus a
tensor-product interaction smooth for every pair (mgcv's ``ti`` terms), one smoothing parameter
for all. Beyond ``MAX_INTERACTING`` inputs the group is fitted additively, which can understate
its value when inputs act jointly.

A regression estimator of EVPPI is biased upwards (fitted noise looks like information) and
can fall outside what is possible in small samples, so values are clipped to ``[0, EVPI]``;
the unclipped estimate is kept beside it. Everything is vectorised over draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

from sourcewise.decision.penalised_spline import (
    DEGREE,
    FloatArray,
    IntArray,
    bspline_basis,
    centred,
    grid_smoother,
    ranks,
    smooth,
    sorted_ranks,
)

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


@dataclass(frozen=True, slots=True)
class PerfectInformation:
    """EVPI with its Monte Carlo standard error."""

    value: float
    se: float
    best_today: int
    """Index of the option committed to: the one with the lowest expected cost for the EVPI."""


@dataclass(frozen=True, slots=True)
class PartialInformation:
    """EVPPI of an input or group, and the regression behind it (the EVSI shrinks it)."""

    value: float
    """The estimate clipped to ``[0, EVPI]``."""
    unclipped: float
    best_today: int
    fitted: FloatArray
    """``(draws, options)``: each option's expected cost given the inputs, minus today's best
    option's (so that option's column is zero), its rows in the order of ``order``."""
    degrees_of_freedom: float
    """Effective degrees of freedom of the fit, summed over the regressed options."""
    order: IntArray | None = None
    """Row ``i`` of ``fitted`` is draw ``order[i]`` (a single input's draws sorted, as its
    regression ran: what the EVPPI and EVSI compute draw by draw and then average needs no
    other order); None: the draws' own order."""

    @property
    def fitted_by_draw(self) -> FloatArray:
        """``fitted`` with its rows in the draws' own order."""
        if self.order is None:
            return self.fitted
        by_draw = np.empty_like(self.fitted)
        by_draw[self.order] = self.fitted
        return by_draw


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
    return expected_regret(matrix, int(np.argmin(matrix.mean(axis=0))))


def expected_regret(costs: npt.ArrayLike, choice: int) -> PerfectInformation:
    """Expected cost of committing to option ``choice`` minus the expected cost of choosing once
    every uncertainty is resolved (``E[C_choice − min_j C_j]``), with its standard error.

    For today's cheapest option by expectation it is the EVPI; for another option (one chosen
    on more than cost) it is the EVPI plus that option's expected cost above the cheapest.
    """
    matrix = _checked(costs)
    if not 0 <= choice < matrix.shape[1]:
        raise ValueError(f"choice must index one of {matrix.shape[1]} options, got {choice}")
    regret = matrix[:, choice] - _row_min(matrix)
    n = regret.size
    return PerfectInformation(float(regret.mean()), float(regret.std(ddof=1) / np.sqrt(n)), choice)


def _row_min(matrix: FloatArray) -> FloatArray:
    """Each draw's least cost. Column-major first: a minimum along each short row of a
    row-major ``(draws, options)`` matrix is some seventy times slower."""
    least: FloatArray = np.asfortranarray(matrix).min(axis=1)
    return least


def _value(relative: FloatArray) -> float:
    """``min_j mean(g_j) − mean(min_j g_j)`` for costs relative to today's best option."""
    return float(
        np.maximum(-_row_min(relative), 0.0).mean() - max(-relative.mean(axis=0).min(), 0.0)
    )


# ---------------------------------------------------------------------------------------------
# The regressions


def _group_design(columns: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Design and penalty of the additive-plus-pairwise model of a group of inputs."""
    scaled = [ranks(columns[:, i]) for i in range(columns.shape[1])]
    parts: list[tuple[FloatArray, FloatArray]] = []
    n = columns.shape[0]
    parts.append((np.ones((n, 1)), np.zeros((1, 1))))
    for u in scaled:
        parts.append(centred(*bspline_basis(u, GROUP_SEGMENTS)))
    if len(scaled) <= MAX_INTERACTING:
        margins = [centred(*bspline_basis(u, INTERACTION_SEGMENTS)) for u in scaled]
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


@dataclass(frozen=True, slots=True)
class _Regret:
    """What every EVPPI of one cost matrix shares: EVPI, today's choice and the costs relative
    to it of the options regressed (every option but today's)."""

    perfect: PerfectInformation
    others: list[int]
    relative: FloatArray
    """``(draws, options − 1)``: each other option's cost minus today's choice's."""
    options: int

    @classmethod
    def of(cls, matrix: FloatArray) -> _Regret:
        perfect = evpi(matrix)
        best = perfect.best_today
        others = [j for j in range(matrix.shape[1]) if j != best]
        relative = matrix[:, others] - matrix[:, [best]]
        return cls(perfect, others, relative, matrix.shape[1])

    def partial(
        self, fitted_others: FloatArray, dof: float, order: IntArray | None = None
    ) -> PartialInformation:
        fitted = np.zeros((fitted_others.shape[0], self.options), order="F")
        fitted[:, self.others] = fitted_others
        raw = _value(fitted)
        value = min(max(raw, 0.0), self.perfect.value)
        return PartialInformation(value, raw, self.perfect.best_today, fitted, dof, order)

    def unlearnable(self) -> PartialInformation:
        """Nothing to learn from: the conditional expectation is the mean."""
        n = self.relative.shape[0]
        return self.partial(np.broadcast_to(self.relative.mean(axis=0), (n, len(self.others))), 0.0)


def _inputs_checked(inputs: npt.ArrayLike, draws: int) -> FloatArray:
    columns = np.asarray(inputs, dtype=np.float64)
    columns = columns[:, None] if columns.ndim == 1 else columns
    if columns.ndim != 2 or columns.shape[0] != draws:
        raise ValueError(f"inputs must have one row per draw ({draws}), got {columns.shape}")
    if not np.all(np.isfinite(columns)):
        raise ValueError("inputs must be finite")
    return columns


def _level_means(sorted_values: FloatArray, y: FloatArray) -> FloatArray:
    """For an input with few distinct values: each value's mean response (the exact
    conditional expectation), in the sorted draws' order."""
    new = np.empty(sorted_values.size, dtype=bool)
    new[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, sorted_values.size))
    means = np.add.reduceat(y, starts, axis=0) / counts[:, None]
    spread: FloatArray = means[np.cumsum(new) - 1]
    return spread


def evppi_each(costs: npt.ArrayLike, inputs: Sequence[npt.ArrayLike]) -> list[PartialInformation]:
    """The EVPPI of each of several single inputs (each ``(draws,)``) of one cost matrix.

    Sorting an input's draws turns its regression into one on the shared rank grid
    (``grid_smoother``), so the inputs whose draws are all distinct are fitted together: their
    sorted relative costs side by side, two products with one basis. An input with at most
    ``SEGMENTS + DEGREE`` distinct values gets each value's mean cost (the exact conditional
    expectation); one with more, but ties, is regressed on its average ranks.
    """
    matrix = _checked(costs)
    n = matrix.shape[0]
    regret = _Regret.of(matrix)
    y = regret.relative
    results: dict[int, PartialInformation] = {}
    on_grid: list[tuple[int, IntArray]] = []
    for i, raw in enumerate(inputs):
        values = _inputs_checked(raw, n)
        if values.shape[1] != 1:
            raise ValueError(f"input {i} must be one column, got {values.shape[1]}")
        values = values[:, 0]
        if not regret.others or np.ptp(values) == 0:
            results[i] = regret.unlearnable()
            continue
        order = np.argsort(values)
        in_order = values[order]
        distinct = 1 + int(np.count_nonzero(in_order[1:] != in_order[:-1]))
        if distinct == n:
            on_grid.append((i, order))
            continue
        if distinct <= SEGMENTS + DEGREE:
            fitted = _level_means(in_order, y[order])
            dof = float(distinct * y.shape[1])
        else:
            fitted, dof = smooth(*bspline_basis(sorted_ranks(in_order), SEGMENTS), y[order])
        results[i] = regret.partial(fitted, dof, order)
    if on_grid:
        width = y.shape[1]
        orders = np.stack([order for _, order in on_grid])
        # (inputs, draws, options) gathered at once, then side by side as columns.
        stacked = y[orders].transpose(1, 0, 2).reshape(n, len(on_grid) * width)
        smoothed, traces = grid_smoother(n, SEGMENTS).fit(stacked)
        for k, (i, order) in enumerate(on_grid):
            block = slice(k * width, (k + 1) * width)
            results[i] = regret.partial(smoothed[:, block], float(traces[block].sum()), order)
    return [results[i] for i in range(len(inputs))]


def evppi(costs: npt.ArrayLike, inputs: npt.ArrayLike) -> PartialInformation:
    """Expected value of partial perfect information of one input (``(draws,)``) or a group
    (``(draws, k)``), by regression of the costs relative to today's best option."""
    matrix = _checked(costs)
    columns = _inputs_checked(inputs, matrix.shape[0])
    varying = columns[:, np.ptp(columns, axis=0) > 0]
    if varying.shape[1] <= 1:
        return evppi_each(matrix, [columns[:, 0] if varying.shape[1] == 0 else varying[:, 0]])[0]
    regret = _Regret.of(matrix)
    if not regret.others:
        return regret.unlearnable()
    fitted, dof = smooth(*_group_design(varying), regret.relative)
    return regret.partial(fitted, dof)


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
    draws = partial.fitted.shape[0]
    mean = partial.fitted.mean(axis=0)
    # A draw's shrunk costs lie between the means and its fitted costs, so a draw where both are
    # at or above today's choice (zero) adds nothing at any size: only the others are passed
    # over, once per size (exactly the same sum, a fraction of the work when the choice is
    # robust).
    active = np.any(partial.fitted < 0.0, axis=1) | bool(np.any(mean < 0.0))
    spread = partial.fitted[active] - mean
    # The best option by expectation does not change with the shrinkage: the means are kept.
    today = max(-mean.min(), 0.0)
    values = np.empty(n.shape)
    for i, a in np.ndenumerate(factor):  # one pass over the active draws per size
        shrunk = mean + a * spread
        values[i] = np.maximum(-_row_min(shrunk), 0.0).sum() / draws - today
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
