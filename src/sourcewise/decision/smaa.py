"""SMAA-2: how robust a ranking is to unknown weights and uncertain criterion values.

Stochastic Multicriteria Acceptability Analysis (Lahdelma & Salminen, "SMAA-2: Stochastic
multicriteria acceptability analysis for group decision making", Operations Research 49(3),
2001, 444–454; Tervonen & Figueira, "A survey on stochastic multicriteria acceptability analysis
methods", J. Multi-Criteria Decision Analysis 15, 2008, 1–14). Each draw takes a weight vector
and one measurement of the criterion values, scores every alternative and ranks them. Over the
draws:

- ``rank_acceptability[i, r]`` (b_i^r) is the share of draws in which alternative i takes rank
  r + 1;
- ``central_weights[i]`` (w_i^c) is the mean weight vector of the draws in which i ranks first
  (a NaN row when it never does);
- ``confidence_factors[i]`` (p_i^c) is the share of the measurements in which i ranks first when
  the weights are its central weights (NaN when it has none).

Weights are uniform on the simplex (Dirichlet(1, …, 1)) unless constrained: ``weight_ranges``
keeps the draws with every ``w_j`` in ``[low_j, high_j]`` (rejection sampling, in vectorised
batches); ``weight_order`` imposes a strict order of importance by sorting each draw, which is
uniform on the part of the simplex that respects the order.

Utility (``method="wsm"``): the weighted sum of min-max normalised values. In each draw each
criterion is rescaled over the alternatives of that draw's measurement to ``[0, 1]``, 1 at the
better end — ``(x − min)/(max − min)`` for a benefit, ``(max − x)/(max − min)`` for a cost —
and a criterion whose values are all equal scores 0 for everyone. With a single matrix the
rescaling is the same in every draw.

Ties (identical alternatives, or equal scores within 1e-12): the tied alternatives share the
ranks they occupy equally, so each row and each column of the acceptabilities still sums to 1
and identical alternatives get identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from sourcewise.decision.weights import _directions, _min_max

__all__ = ["SmaaResult", "sample_weights", "smaa2"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_CHUNK = 4096
"""Draws scored at once: bounds memory at chunk × alternatives × max(alternatives, criteria)."""

_TIE = 1e-12
"""Utilities lie in [0, 1]; closer than this they count as equal (round-off, not preference)."""

_MAX_TRIES_PER_DRAW = 200
"""Rejection sampling gives up below a 0.5 % acceptance rate: the ranges are too narrow."""


@dataclass(frozen=True, slots=True, eq=False)
class SmaaResult:
    rank_acceptability: FloatArray
    """(alternatives × ranks): ``[i, r]`` is the share of draws in which i takes rank r + 1."""
    central_weights: FloatArray
    """(alternatives × criteria): mean weights of the draws where i ranks first; NaN if none."""
    confidence_factors: FloatArray
    """(alternatives,): share of measurements where i ranks first at its central weights."""
    draws: int


def smaa2(
    matrix_or_samples: npt.ArrayLike,
    directions: npt.ArrayLike,
    *,
    draws: int = 10_000,
    rng: np.random.Generator,
    weight_ranges: npt.ArrayLike | None = None,
    weight_order: npt.ArrayLike | None = None,
    method: Literal["wsm"] = "wsm",
) -> SmaaResult:
    """Rank acceptabilities, central weights and confidence factors by SMAA-2.

    ``matrix_or_samples`` is an (alternatives × criteria) matrix, or (samples × alternatives ×
    criteria) measurements such as Monte Carlo results. With as many samples as ``draws``, draw
    k uses sample k; otherwise each draw picks a sample at random (with replacement).
    Confidence factors use every sample once. ``directions``: ``1`` where more is better, ``-1``
    where less is better. ``weight_ranges`` is (criteria × 2) ``[low, high]`` bounds;
    ``weight_order`` lists criterion indices from most to least important.
    """
    if method != "wsm":
        raise ValueError(f"unknown SMAA method {method!r}; available: 'wsm'")
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    samples = _as_samples(matrix_or_samples)
    count, m, n = samples.shape
    utilities = _min_max(samples, _directions(directions, n))
    weights = sample_weights(rng, draws, n, weight_ranges=weight_ranges, weight_order=weight_order)
    if count == 1:
        sample_index = np.zeros(draws, dtype=np.int64)
    elif count == draws:
        sample_index = np.arange(draws, dtype=np.int64)
    else:
        sample_index = rng.integers(count, size=draws, dtype=np.int64)

    # Rank shares accumulate as differences along the rank axis: +s at the first rank a tie
    # group occupies and −s just past its last, so one cumulative sum spreads s over the group.
    rank_steps = np.zeros(m * (m + 1))
    rank_counts = np.zeros(m * m)
    first_share = np.zeros(m)
    first_weights = np.zeros((m, n))
    positions = np.arange(m)
    for start in range(0, draws, _CHUNK):
        w = weights[start : start + _CHUNK]
        if utilities.shape[0] == 1:  # one matrix: a matrix product, no per-draw copies
            scores = w @ utilities[0].T
        else:
            values = utilities[sample_index[start : start + _CHUNK]]
            scores = np.einsum("kmn,kn->km", values, w)
        order = np.argsort(-scores, axis=1)
        rows = np.arange(0, scores.size, m)[:, None]
        ranked = scores.ravel()[order + rows]  # flat indices gather faster than take_along_axis
        if np.all(ranked[:, :-1] - ranked[:, 1:] > _TIE):
            # No ties in these draws (the usual case): the alternative at position r takes
            # rank r + 1 outright, counted straight into an (alternative, rank) table.
            rank_counts += np.bincount((order * m + positions).ravel(), minlength=m * m)
            leader = order[:, 0]
            first_share += np.bincount(leader, minlength=m)
            first_weights += np.stack(
                [np.bincount(leader, w[:, j], minlength=m) for j in range(n)], axis=1
            )
            continue
        better, tied = _standing(scores)
        share = 1.0 / tied
        row = positions * (m + 1)
        rank_steps += np.bincount((row + better).ravel(), share.ravel(), m * (m + 1))
        rank_steps -= np.bincount((row + better + tied).ravel(), share.ravel(), m * (m + 1))
        first = np.where(better == 0, share, 0.0)
        first_share += first.sum(axis=0)
        first_weights += first.T @ w
    acceptability = np.cumsum(rank_steps.reshape(m, m + 1), axis=1)[:, :m]
    acceptability = (acceptability + rank_counts.reshape(m, m)) / draws
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first_share[:, None] > 0, first_weights / first_share[:, None], np.nan)
    confidence = _confidence(utilities, central)
    for array in (acceptability, central, confidence):
        array.setflags(write=False)
    return SmaaResult(
        rank_acceptability=acceptability,
        central_weights=central,
        confidence_factors=confidence,
        draws=draws,
    )


def sample_weights(
    rng: np.random.Generator,
    draws: int,
    criteria: int,
    *,
    weight_ranges: npt.ArrayLike | None = None,
    weight_order: npt.ArrayLike | None = None,
) -> FloatArray:
    """(draws × criteria) weight vectors, uniform on the simplex within the constraints.

    Raises ``ValueError`` when the ranges cannot hold (``Σ low > 1``, ``Σ high < 1``, a bound
    outside [0, 1]) or accept too few draws to sample efficiently.
    """
    if criteria < 1:
        raise ValueError("there must be at least one criterion")
    order = _order(weight_order, criteria)
    if weight_ranges is None:
        return _dirichlet(rng, draws, criteria, order)
    low, high = _ranges(weight_ranges, criteria)
    kept: list[FloatArray] = []
    accepted = tried = 0
    while accepted < draws:
        if tried >= _MAX_TRIES_PER_DRAW * draws:
            raise ValueError(
                f"weight_ranges accept only {accepted} of {tried} uniform weight draws;"
                " widen them or fix the weights"
            )
        # Size the batch from the acceptance seen so far, so a few batches usually suffice.
        rate = 1.0 if tried == 0 else max(accepted / tried, 1.0 / _MAX_TRIES_PER_DRAW)
        batch = int(min(max((draws - accepted) / rate * 1.2, 1024), 1_000_000 // criteria))
        candidates = _dirichlet(rng, batch, criteria, order)
        inside = np.all((candidates >= low) & (candidates <= high), axis=1)
        kept.append(candidates[inside])
        accepted += int(inside.sum())
        tried += batch
    return np.concatenate(kept)[:draws]


def _dirichlet(
    rng: np.random.Generator, draws: int, criteria: int, order: IntArray | None
) -> FloatArray:
    weights = rng.dirichlet(np.ones(criteria), size=draws)
    if order is None:
        return weights
    ordered = np.empty_like(weights)
    ordered[:, order] = -np.sort(-weights, axis=1)
    return ordered


def _standing(scores: FloatArray) -> tuple[IntArray, IntArray]:
    """Per draw and alternative: how many score strictly higher, how many tie (itself included).

    Sort each draw's scores once (O(m log m) rather than comparing all pairs), group runs of
    scores within ``_TIE`` of their neighbour as ties, and map the group's start and size back.
    """
    k, m = scores.shape
    order = np.argsort(-scores, axis=1, kind="stable")
    ranked = np.take_along_axis(scores, order, axis=1)
    starts = np.ones((k, m), dtype=bool)
    starts[:, 1:] = (ranked[:, :-1] - ranked[:, 1:]) > _TIE
    group = np.cumsum(starts, axis=1) - 1
    position = np.broadcast_to(np.arange(m), (k, m))
    # First position and size of each group, per draw.
    first = np.zeros((k, m), dtype=np.int64)
    rows = np.broadcast_to(np.arange(k)[:, None], (k, m))
    first[rows[starts], group[starts]] = position[starts]
    size = np.bincount((rows * m + group).ravel(), minlength=k * m).reshape(k, m)
    better_sorted = np.take_along_axis(first, group, axis=1)
    tied_sorted = np.take_along_axis(size, group, axis=1)
    better = np.empty((k, m), dtype=np.int64)
    tied = np.empty((k, m), dtype=np.int64)
    np.put_along_axis(better, order, better_sorted, axis=1)
    np.put_along_axis(tied, order, tied_sorted, axis=1)
    return better, tied


def _confidence(utilities: FloatArray, central: FloatArray) -> FloatArray:
    """Share of measurements where i ranks first with weights ``central[i]`` (NaN: no centre)."""
    count, m, _ = utilities.shape
    has_centre = ~np.isnan(central[:, 0])
    centre = np.where(has_centre[:, None], central, 0.0)
    first = np.zeros(m)
    alternatives = np.arange(m)
    step = max(_CHUNK // m, 1)
    for start in range(0, count, step):
        # scores[s, i, j]: alternative j's utility in sample s under i's central weights.
        scores = np.einsum("sjc,ic->sij", utilities[start : start + step], centre)
        own = scores[:, alternatives, alternatives]
        gap = scores - own[:, :, None]
        leads = ~np.any(gap > _TIE, axis=2)
        tied = (np.abs(gap) <= _TIE).sum(axis=2)
        first += np.where(leads, 1.0 / tied, 0.0).sum(axis=0)
    confidence: FloatArray = np.where(has_centre, first / count, np.nan)
    return confidence


def _as_samples(matrix_or_samples: npt.ArrayLike) -> FloatArray:
    values = np.asarray(matrix_or_samples, dtype=np.float64)
    if values.ndim == 2:
        values = values[None]
    if values.ndim != 3:
        raise ValueError(
            "criterion values must be (alternatives × criteria) or (samples × alternatives ×"
            f" criteria), not {values.ndim}-D"
        )
    if 0 in values.shape:
        raise ValueError(f"criterion values are empty (shape {values.shape})")
    if not np.all(np.isfinite(values)):
        raise ValueError("criterion values hold a NaN or an infinite value")
    return values


def _order(weight_order: npt.ArrayLike | None, criteria: int) -> IntArray | None:
    if weight_order is None:
        return None
    order = np.asarray(weight_order)
    if (
        order.shape != (criteria,)
        or not np.issubdtype(order.dtype, np.integer)
        or sorted(order.tolist()) != list(range(criteria))
    ):
        raise ValueError(
            f"weight_order must list each criterion index 0..{criteria - 1} once, most important"
            f" first; got {order.tolist()}"
        )
    return order.astype(np.int64)


def _ranges(weight_ranges: npt.ArrayLike, criteria: int) -> tuple[FloatArray, FloatArray]:
    bounds = np.asarray(weight_ranges, dtype=np.float64)
    if bounds.shape != (criteria, 2):
        raise ValueError(
            f"weight_ranges must hold one [low, high] per criterion ({criteria}),"
            f" not shape {bounds.shape}"
        )
    low, high = bounds[:, 0], bounds[:, 1]
    problems = [
        f"weight_ranges[{j}] = [{low[j]:g}, {high[j]:g}] is not within 0 ≤ low ≤ high ≤ 1"
        for j in range(criteria)
        if not (0.0 <= low[j] <= high[j] <= 1.0)
    ]
    if low.sum() > 1.0:
        problems.append(f"the lower bounds sum to {low.sum():g} > 1")
    if high.sum() < 1.0:
        problems.append(f"the upper bounds sum to {high.sum():g} < 1")
    if problems:
        raise ValueError("infeasible weight_ranges: " + "; ".join(problems))
    return low, high
