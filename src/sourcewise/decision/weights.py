"""Objective criteria weights from a decision matrix: entropy, CRITIC and MEREC.

Each function takes an (alternatives × criteria) matrix and returns one weight per criterion,
summing to 1. ``directions`` holds one entry per criterion: ``1`` when more is better (a benefit
criterion), ``-1`` when less is better (a cost criterion).

The definitions follow pymcdm 1.4 (``pymcdm.weights``) so that results can be checked against
it; where this module departs from pymcdm it says so in the function's docstring:

- ``entropy_weights`` (Shannon entropy method, e.g. Zeleny 1982): pymcdm's definition for
  benefit criteria; pymcdm ignores directions, while here a cost criterion is entropy-weighted
  on ``1/x``; a zero value counts as ``0 · ln 0 = 0`` where pymcdm zeroes the whole column's
  entropy.
- ``critic_weights`` (Diakoulaki, Mavrotas & Papayannakis 1995): min-max normalisation towards
  the better end of each criterion, as in the original paper; pymcdm ignores directions, so it
  agrees when every criterion is a benefit.
- ``merec_weights`` (Keshavarz-Ghorabaee et al. 2021): identical to pymcdm.

A single criterion always gets weight 1.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["critic_weights", "entropy_weights", "merec_weights"]

FloatArray = npt.NDArray[np.float64]


def entropy_weights(matrix: npt.ArrayLike, directions: npt.ArrayLike | None = None) -> FloatArray:
    """Weights by Shannon entropy: a criterion whose values differ more gets more weight.

    Each column is turned into shares ``p_ij = x_ij / Σ_i x_ij``, its entropy
    ``e_j = −Σ_i p_ij ln p_ij / ln m`` lies in [0, 1], and ``w_j ∝ 1 − e_j``.
    Values must be non-negative (they are read as amounts). With ``directions``, a cost
    criterion's values are replaced by their reciprocals first, i.e. pymcdm's
    ``sum_normalization`` for costs ``(1/x_ij) / Σ_i (1/x_ij)``; without it every criterion is
    read as it stands, which is pymcdm's ``entropy_weights``. A zero share contributes
    ``0 · ln 0 = 0`` (the limit); pymcdm instead sets the entropy of any column holding a zero to
    0, so the two agree on strictly positive matrices.
    """
    x = _as_matrix(matrix)
    m, n = x.shape
    if directions is not None:
        cost = _directions(directions, n) < 0
        if np.any(x[:, cost] <= 0):
            raise ValueError("entropy weights of a cost criterion need values greater than zero")
        x = np.where(cost, 1.0 / np.where(cost, x, 1.0), x)
    if np.any(x < 0):
        raise ValueError("entropy weights need non-negative values")
    totals = x.sum(axis=0)
    if np.any(totals <= 0):
        empty = ", ".join(str(j) for j in np.flatnonzero(totals <= 0))
        raise ValueError(
            f"entropy weights need a positive total in every criterion; not in {empty}"
        )
    if n == 1:
        return np.ones(1)
    shares = x / totals
    plogp = np.where(shares > 0, shares * np.log(np.where(shares > 0, shares, 1.0)), 0.0)
    entropy = -plogp.sum(axis=0) / np.log(m)
    # A constant column has entropy 1 only up to round-off; its diversity is exactly 0.
    constant = x.min(axis=0) == x.max(axis=0)
    diversity = np.where(constant, 0.0, np.maximum(1.0 - entropy, 0.0))
    return _normalised(
        diversity, "entropy: every criterion has the same value for all alternatives"
    )


def critic_weights(matrix: npt.ArrayLike, directions: npt.ArrayLike) -> FloatArray:
    """CRITIC weights: contrast (standard deviation) times conflict (1 − correlation).

    Values are min-max normalised towards the better end, ``(x − worst) / (best − worst)``
    (Diakoulaki et al. 1995), then ``C_j = σ_j · Σ_k (1 − r_jk)`` with ``σ_j`` the sample
    standard deviation of column j and ``r_jk`` Pearson's correlation, and ``w_j ∝ C_j``.
    A constant criterion normalises to 0, has ``σ = 0`` and so weight 0; its correlation with
    the others, undefined, is taken as 0. The ``ddof`` of ``σ`` cancels in ``w``.

    pymcdm's ``critic_weights`` ignores directions (every criterion is min-max normalised as a
    benefit); it matches this function when every direction is 1, or when cost columns are
    negated before being passed to it.
    """
    x = _as_matrix(matrix)
    _, n = x.shape
    d = _directions(directions, n)
    if n == 1:
        return np.ones(1)
    normalised = _min_max(x, d)
    centred = normalised - normalised.mean(axis=0)
    sum_squares = np.einsum("ij,ij->j", centred, centred)
    norms = np.sqrt(sum_squares)
    outer = np.outer(norms, norms)
    covariance = centred.T @ centred
    correlation = np.divide(covariance, outer, out=np.zeros_like(covariance), where=outer > 0)
    np.fill_diagonal(correlation, 1.0)
    correlation = np.clip(correlation, -1.0, 1.0)
    std = norms / np.sqrt(x.shape[0] - 1)
    information = std * (1.0 - correlation).sum(axis=0)
    # Perfectly correlated criteria leave round-off, not information.
    information[information <= 1e-12 * std.sum()] = 0.0
    return _normalised(
        information, "CRITIC: the criteria are constant or perfectly correlated with each other"
    )


def merec_weights(matrix: npt.ArrayLike, directions: npt.ArrayLike) -> FloatArray:
    """MEREC weights: how much the alternatives' overall performance changes without a criterion.

    As Keshavarz-Ghorabaee et al. (2021) and pymcdm's ``merec_weights``: values (all > 0) are
    normalised so that the best is smallest, ``n_ij = min_i x_ij / x_ij`` for a benefit and
    ``x_ij / max_i x_ij`` for a cost criterion; the overall performance is
    ``S_i = ln(1 + (1/n) Σ_j |ln n_ij|)`` and, with criterion j removed,
    ``S'_ij = ln(1 + (1/n) Σ_{k≠j} |ln n_ik|)`` (still dividing by n, as in the paper);
    ``w_j ∝ Σ_i |S'_ij − S_i|``.
    """
    x = _as_matrix(matrix)
    _, n = x.shape
    d = _directions(directions, n)
    if np.any(x <= 0):
        raise ValueError("MEREC weights need values greater than zero")
    if n == 1:
        return np.ones(1)
    normalised = np.where(d > 0, x.min(axis=0) / x, x / x.max(axis=0))
    magnitude = np.abs(np.log(normalised))
    total = magnitude.sum(axis=1)
    overall = np.log1p(total / n)
    without = np.log1p((total[:, None] - magnitude) / n)
    removal_effect = np.abs(without - overall[:, None]).sum(axis=0)
    return _normalised(
        removal_effect, "MEREC: every criterion has the same value for all alternatives"
    )


def _as_matrix(matrix: npt.ArrayLike) -> FloatArray:
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(
            f"the decision matrix must be 2-D (alternatives × criteria), not {x.ndim}-D"
        )
    if x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError(
            f"the decision matrix needs at least 2 alternatives and 1 criterion, not {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("the decision matrix holds a NaN or an infinite value")
    return x


def _directions(directions: npt.ArrayLike | None, n: int) -> FloatArray:
    """``1`` (more is better) or ``-1`` (less is better) per criterion; None means all 1."""
    if directions is None:
        return np.ones(n)
    d = np.asarray(directions, dtype=np.float64)
    if d.shape != (n,):
        raise ValueError(f"directions must hold one entry per criterion ({n}), not shape {d.shape}")
    if not np.all((d == 1) | (d == -1)):
        raise ValueError("directions must be 1 (more is better) or -1 (less is better)")
    return d


def _min_max(values: FloatArray, directions: FloatArray) -> FloatArray:
    """Min-max over the alternatives (axis -2), 1 at the better end; constant criteria give 0."""
    low = values.min(axis=-2, keepdims=True)
    span = values.max(axis=-2, keepdims=True) - low
    upward = np.divide(values - low, span, out=np.zeros_like(values), where=span > 0)
    normalised: FloatArray = np.where((directions < 0) & (span > 0), 1.0 - upward, upward)
    return normalised


def _normalised(scores: FloatArray, degenerate: str) -> FloatArray:
    total = float(scores.sum())
    if not total > 0:
        raise ValueError(f"weights are undefined — {degenerate}")
    return scores / total
