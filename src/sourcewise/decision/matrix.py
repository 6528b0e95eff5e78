"""The decision matrix every ranking method shares: validation, weights and the ranking result.

A decision problem is an (alternatives × criteria) ``matrix`` of finite numbers, one ``weight``
per criterion (non-negative, summing to 1) and one ``direction`` per criterion: ``+1`` when more
is better (a benefit criterion), ``-1`` when less is better (a cost criterion).

``validate`` checks all three at once and reports every problem it finds in one ``ValueError``,
each naming the argument and the offending index, so a caller can fix a whole input in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

__all__ = [
    "WEIGHT_TOLERANCE",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "Ranking",
    "normalise_weights",
    "rank_scores",
    "validate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

WEIGHT_TOLERANCE = 1e-9
"""How far the weights' sum may stray from 1."""

_TIE_TOLERANCE = 1e-12
"""Relative gap below which two scores count as tied (round-off must not split equals)."""

_MAX_LISTED = 10


def _as_array(value: npt.ArrayLike, name: str) -> FloatArray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must hold numbers only ({error})") from None


def _index(index: tuple[int, ...]) -> str:
    return ", ".join(str(int(i)) for i in index)


def _listed(problems: list[str]) -> list[str]:
    if len(problems) <= _MAX_LISTED:
        return problems
    return [*problems[:_MAX_LISTED], f"... and {len(problems) - _MAX_LISTED} more"]


def _nonfinite(array: FloatArray, name: str) -> list[str]:
    if np.isfinite(array).all():  # the usual case, without building index lists
        return []
    return [
        f"{name}[{_index(index)}] is not finite ({array[index]})"
        for index in zip(*np.nonzero(~np.isfinite(array)), strict=True)
    ]


def validate(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    *,
    min_alternatives: int = 1,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Check a decision problem and return it as float arrays ``(matrix, weights, directions)``.

    ``matrix`` must be 2-D with at least ``min_alternatives`` rows and one column, and finite;
    ``weights`` and ``directions`` must be 1-D with one entry per column. Weights must be finite,
    non-negative and sum to 1 within ``WEIGHT_TOLERANCE`` (use ``normalise_weights`` to rescale
    raw importances); directions must be ``+1`` or ``-1``.

    Raises ``ValueError`` listing every problem found, e.g. ``weights[2] is negative (-0.1)``.
    """
    x = _as_array(matrix, "matrix")
    w = _as_array(weights, "weights")
    d = _as_array(directions, "directions")
    if x.ndim != 2:
        raise ValueError(f"matrix must be 2-D (alternatives × criteria), got shape {x.shape}")
    m, n = x.shape
    problems: list[str] = []
    if m < min_alternatives:
        problems.append(f"matrix has {m} alternatives (rows); at least {min_alternatives} needed")
    if n < 1:
        problems.append("matrix has no criteria (columns)")
    problems += _listed(_nonfinite(x, "matrix"))
    for name, vector in (("weights", w), ("directions", d)):
        if vector.shape != (n,):
            problems.append(
                f"{name} must be 1-D with one entry per criterion ({n}), got shape {vector.shape}"
            )
    if w.shape == (n,):
        weight_problems = _nonfinite(w, "weights")
        weight_problems += [
            f"weights[{j}] is negative ({w[j]})" for j in np.flatnonzero(np.isfinite(w) & (w < 0))
        ]
        if not weight_problems and n > 0 and abs(w.sum() - 1.0) > WEIGHT_TOLERANCE:
            weight_problems.append(
                f"weights sum to {float(w.sum())!r}, not 1 (within {WEIGHT_TOLERANCE:g}); "
                "rescale them with normalise_weights"
            )
        problems += _listed(weight_problems)
    if d.shape == (n,):
        problems += _listed(
            [
                f"directions[{j}] is {d[j]} (must be +1 for a benefit or -1 for a cost criterion)"
                for j in np.flatnonzero((d != 1.0) & (d != -1.0))
            ]
        )
    if problems:
        raise ValueError("invalid decision problem: " + "; ".join(problems))
    return x, w, d


def normalise_weights(weights: npt.ArrayLike) -> FloatArray:
    """Rescale non-negative importances so they sum to 1 (e.g. ``[2, 1, 1]`` → ``[.5, .25, .25]``).

    Raises ``ValueError`` when a weight is negative or not finite, or when they are all zero.
    """
    w = _as_array(weights, "weights")
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a non-empty 1-D sequence, got shape {w.shape}")
    problems = _nonfinite(w, "weights")
    problems += [f"weights[{j}] is negative ({w[j]})" for j in np.flatnonzero(w < 0)]
    if problems:
        raise ValueError("invalid weights: " + "; ".join(_listed(problems)))
    total = w.sum()
    if total <= 0:
        raise ValueError("weights are all zero; at least one criterion must matter")
    normalised: FloatArray = w / total
    return normalised


def rank_scores(scores: npt.ArrayLike, *, higher_is_better: bool = True) -> IntArray:
    """Competition ranks of ``scores``: 1 is best, tied scores share the lowest rank (1, 2, 2, 4).

    Scores closer than a relative 1e-12 count as tied, so that round-off does not split
    alternatives a method rates equal.
    """
    s = _as_array(scores, "scores")
    if s.ndim != 1:
        raise ValueError(f"scores must be 1-D, got shape {s.shape}")
    oriented = s if higher_is_better else -s
    gap = _TIE_TOLERANCE * float(np.max(np.abs(s), initial=1.0))
    # 1 + how many scores beat each one by more than the gap: counted in the sorted scores,
    # O(m log m), the same comparisons as the pairs would make (sorted queries search fastest).
    order = np.argsort(oriented)  # any order of equal scores gives them the same count
    ascending = oriented[order]
    ranks: IntArray = np.empty(s.size, dtype=np.int64)
    ranks[order] = 1 + s.size - np.searchsorted(ascending, ascending + gap, side="right")
    return ranks


def _frozen(array: npt.NDArray[np.generic]) -> None:
    array.setflags(write=False)


@dataclass(frozen=True, slots=True, eq=False)
class Ranking:
    """Scores and ranks of the alternatives (rows of the matrix), in row order.

    ``higher_is_better`` says which way ``scores`` point (VIKOR's Q is better when lower).
    ``ranks`` are derived from the scores: competition ranks, 1 = best, tied scores sharing the
    lowest rank. Every array field is made read-only, including arrays handed in.
    """

    method: str
    scores: FloatArray
    higher_is_better: bool
    ranks: IntArray = field(init=False)

    def __post_init__(self) -> None:
        ranks = rank_scores(self.scores, higher_is_better=self.higher_is_better)
        object.__setattr__(self, "ranks", ranks)  # derived, so it can never disagree
        for value in (getattr(self, name) for name in _slots(type(self))):
            if isinstance(value, np.ndarray):
                _frozen(value)

    @property
    def order(self) -> IntArray:
        """Row indices from best to worst (ties in row order)."""
        return np.argsort(self.ranks, kind="stable").astype(np.int64)

    @property
    def best(self) -> int:
        """Row index of the best alternative (the first in row order when tied)."""
        return int(self.order[0])


def _slots(cls: type) -> list[str]:
    return [name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())]
