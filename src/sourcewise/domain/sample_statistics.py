"""Summaries of a sample of draws: mean, spread, percentiles and rank correlation.

Written for samples of 10⁵–10⁶ draws summarised many times over (every option, every year):
percentiles are read from one sort instead of a selection per call, and rank correlations are
counted exactly in integers, since ranks are a permutation of 0 … n − 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sourcewise.domain.sampled import FloatArray

PERCENTILES = (10.0, 50.0, 90.0)


def percentiles(ordered: FloatArray, q: tuple[float, ...] = PERCENTILES) -> FloatArray:
    """``np.percentile(values, q)`` (its default, linear method) from the values already
    sorted, with numpy's own arithmetic, so the results are the same to the bit."""
    n = ordered.shape[-1]
    virtual = (n - 1) * (np.asarray(q, dtype=np.float64) / 100.0)
    below = np.floor(virtual)
    above = below + 1.0
    at_end = virtual >= n - 1
    below[at_end] = above[at_end] = -1.0
    gamma = virtual - below
    first = ordered[..., below.astype(np.intp)]
    second = ordered[..., above.astype(np.intp)]
    # numpy's lerp: from the nearer end, so that gamma = 1 gives ``second`` exactly.
    difference = second - first
    out: FloatArray = first + difference * gamma
    np.subtract(second, difference * (1.0 - gamma), out=out, where=gamma >= 0.5)
    return out


@dataclass(frozen=True, slots=True)
class Summary:
    """A sample summarised: mean with its standard error, spread and percentiles."""

    mean: float
    se: float
    sd: float
    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: FloatArray, ordered: FloatArray | None = None) -> Summary:
        """``ordered``: the same values sorted, when the caller has them already."""
        values = np.asarray(values, dtype=np.float64)
        if values.size == 0:
            raise ValueError("no draws to summarise")
        return cls._of(values, np.sort(values) if ordered is None else ordered)

    @classmethod
    def of_sorted(cls, ordered: FloatArray) -> Summary:
        """The summary of values given in ascending order (the mean and spread are summed in
        that order: the last digit may differ from ``of`` on the unsorted values)."""
        if ordered.size == 0:
            raise ValueError("no draws to summarise")
        return cls._of(ordered, ordered)

    @classmethod
    def _of(cls, values: FloatArray, ordered: FloatArray) -> Summary:
        if ordered[0] == ordered[-1]:  # no uncertainty: the deterministic value, exactly
            v = float(values[0])
            return cls(v, 0.0, 0.0, v, v, v)
        sd = float(values.std(ddof=1))
        p10, p50, p90 = (float(v) for v in percentiles(ordered))
        return cls(float(values.mean()), sd / float(np.sqrt(values.size)), sd, p10, p50, p90)


def sort_order(values: FloatArray) -> npt.NDArray[np.intp]:
    """The indices that sort ``values``, ties in order of appearance (a stable sort's order).

    Sorted with numpy's fastest sort; only values with ties need the stable one.
    """
    order = np.argsort(values)
    ordered = values[order]
    if np.any(ordered[1:] == ordered[:-1]):
        order = np.argsort(values, kind="stable")
    return order


def ranks(values: FloatArray, order: npt.NDArray[np.intp] | None = None) -> FloatArray | None:
    """Ordinal ranks 0 … n − 1 (whole numbers, as floats), ties in order of appearance; None
    if the values are constant.

    ``order``: ``sort_order(values)``, when the caller has it already.
    """
    if values.size < 3 or np.ptp(values) == 0:
        return None
    order = sort_order(values) if order is None else order
    out = np.empty(values.size, dtype=np.float64)
    out[order] = np.arange(values.size, dtype=np.float64)
    return out


EXACT_FLOAT_DRAWS = 300_000
"""Up to here Σ r·s of two rank vectors stays below 2⁵³ (it is at most about n³/3), so every
partial sum of a floating-point dot product is a whole number held exactly, in any order."""


def rank_correlation(first: FloatArray | None, second: FloatArray | None) -> float:
    """Pearson correlation of two rank vectors, 0 when either input was constant.

    Both are permutations of 0 … n − 1, with mean (n − 1)/2 and the same spread, so the
    correlation is (12·Σ r·s − 3n(n − 1)²) / (n(n² − 1)), counted exactly in integers.
    """
    if first is None or second is None:
        return 0.0
    n = first.size
    if n <= EXACT_FLOAT_DRAWS:
        # numpy's own loop: BLAS's dot product would start threads for nothing.
        products = int(np.einsum("i,i->", first, second))
    else:  # below 2⁶³ for n up to 2.6 million
        products = int(np.dot(first.astype(np.int64), second.astype(np.int64)))
    return (12 * products - 3 * n * (n - 1) ** 2) / (n * (n * n - 1))


def spearman(first: FloatArray, second: FloatArray) -> float:
    """Spearman rank correlation of two samples."""
    return rank_correlation(ranks(first), ranks(second))
