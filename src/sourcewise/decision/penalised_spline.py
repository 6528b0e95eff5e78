"""The smoother the EVPPI regressions use: penalised cubic regression splines on ranks.

Cubic B-splines on equal segments of [0, 1] with a second-difference penalty (a P-spline, Eilers
& Marx 1996, "Flexible smoothing with B-splines and penalties", *Statistical Science*
11(2):89–121), the smoothing parameter chosen by generalised cross-validation separately for each
column of the response. Inputs enter through their ranks scaled to [0, 1] (ties share their
average rank), the empirical distribution function Strong, Oakley & Brennan's regressions are
insensitive to.

Why it is fast: an input whose draws are all distinct has the ranks ``0, 1/(n−1), …, 1`` in some
order, so with its draws sorted its design is the same matrix for every such input of ``n``
draws. That matrix, its Gram matrix and the Demmler–Reinsch decomposition GCV needs are built once
per ``n`` (``grid_smoother``); an input then costs one sort and two products with the basis, and
many inputs share those products (their sorted responses side by side as columns of one matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.interpolate import BSpline

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Design = Any
"""A design matrix: a dense float array, or a ``scipy.sparse`` one (scipy ships no types)."""

DEGREE = 3
LAMBDAS = np.logspace(-6, 8, 57)
"""Smoothing parameters tried by GCV, relative to the scale of the basis."""


def sorted_ranks(sorted_values: FloatArray) -> FloatArray:
    """Ranks scaled to [0, 1] of values already in ascending order; ties share their average
    rank (as ``scipy.stats.rankdata`` gives them, without sorting a second time)."""
    n = sorted_values.size
    new = np.empty(n, dtype=bool)
    new[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n) - 1
    average = (starts + ends) / 2.0
    ranks = average[np.cumsum(new) - 1]
    span = ranks[-1] - ranks[0]
    return (ranks - ranks[0]) / span if span > 0 else np.zeros(n)


def ranks(values: FloatArray) -> FloatArray:
    """Ranks scaled to [0, 1] in the values' own order; ties share their average rank."""
    order = np.argsort(values)
    scaled = np.empty(values.size)
    scaled[order] = sorted_ranks(values[order])
    return scaled


def sparse_bspline_basis(u: FloatArray, segments: int) -> tuple[Design, FloatArray]:
    """Cubic B-splines on equal segments of [0, 1], sparse (four non-zeros a row), and their
    second-difference penalty."""
    inner = np.linspace(0.0, 1.0, segments + 1)
    knots = np.concatenate([np.zeros(DEGREE), inner, np.ones(DEGREE)])
    basis = BSpline.design_matrix(u, knots, DEGREE).tocsr()
    difference = np.diff(np.eye(basis.shape[1]), n=2, axis=0)
    return basis, difference.T @ difference


def bspline_basis(u: FloatArray, segments: int) -> tuple[FloatArray, FloatArray]:
    """Cubic B-splines on equal segments of [0, 1] and their second-difference penalty."""
    basis, penalty = sparse_bspline_basis(u, segments)
    return np.asarray(basis.toarray(), dtype=np.float64), penalty


def centred(basis: FloatArray, penalty: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The basis constrained to sum to zero over the draws (identifiable beside an intercept),
    as mgcv does: reparametrise on the null space of the column means."""
    means = basis.mean(axis=0, keepdims=True)
    q, _ = np.linalg.qr(means.T, mode="complete")
    null = q[:, 1:]
    return basis @ null, null.T @ penalty @ null


@dataclass(frozen=True, slots=True)
class Smoother:
    """A design and penalty in Demmler–Reinsch form, ready to fit any response.

    With ``XᵀX = RᵀR`` and ``R⁻ᵀ S R⁻¹ = U diag(s) Uᵀ``, the fit at λ is
    ``Q diag(1/(1+λs)) Qᵀy`` with ``Q = X R⁻¹ U`` orthonormal, so the residual sum of squares
    and the trace of every λ's hat matrix follow from ``Qᵀy`` without refitting. ``Q`` itself
    is never formed: ``Qᵀy = Uᵀ R⁻ᵀ Xᵀy`` and the fit is ``X`` times the coefficients, two
    products with the design (sparse for one input: no BLAS threads fighting over a busy
    machine for products that small).
    """

    design: Design
    transposed: Design
    to_coefficients: FloatArray
    """``R⁻¹ U``: from the orthonormal coordinates to the basis' coefficients."""
    shrink: FloatArray
    """``(lambdas, basis)``: each λ's factor ``1/(1+λs)`` on each orthonormal coordinate."""

    def fit(self, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Penalised least squares of each column of ``y``, each column's λ chosen by GCV;
        the fitted values and each column's effective degrees of freedom."""
        n = self.design.shape[0]
        z = self.to_coefficients.T @ (self.transposed @ y)  # Qᵀy: (basis, columns)
        z2 = z * z
        residual_ls = np.maximum(np.einsum("ij,ij->j", y, y) - z2.sum(axis=0), 0.0)
        traces = self.shrink.sum(axis=1)
        rss = residual_ls[None, :] + ((1.0 - self.shrink) ** 2) @ z2  # (lambdas, columns)
        gcv = n * rss / np.maximum(n - traces, 1.0)[:, None] ** 2
        chosen = np.argmin(gcv, axis=0)
        fitted = self.design @ (self.to_coefficients @ (self.shrink[chosen].T * z))
        return np.asarray(fitted, dtype=np.float64), traces[chosen]


def decompose(design: Design, penalty: FloatArray) -> Smoother:
    transposed = design.T.tocsr() if hasattr(design, "tocsr") else design.T
    gram = transposed @ design
    gram = np.asarray(gram.toarray() if hasattr(gram, "toarray") else gram, dtype=np.float64)
    jitter = 1e-10 * np.trace(gram) / gram.shape[0]
    r = np.linalg.cholesky(gram + jitter * np.eye(gram.shape[0])).T
    r_inv = np.linalg.inv(r)
    s, u = np.linalg.eigh(r_inv.T @ penalty @ r_inv)
    s = np.maximum(s, 0.0)
    scale = s.max() if s.max() > 0 else 1.0
    shrink = 1.0 / (1.0 + np.outer(LAMBDAS, s / scale))
    return Smoother(design, transposed, r_inv @ u, shrink)


def smooth(design: FloatArray, penalty: FloatArray, y: FloatArray) -> tuple[FloatArray, float]:
    """Penalised least squares of each column of ``y`` on ``design``, each column's smoothing
    parameter chosen by GCV; the fitted values and their summed effective degrees of freedom."""
    fitted, dof = decompose(design, penalty).fit(y)
    return fitted, float(dof.sum())


@lru_cache(maxsize=4)
def grid_smoother(n: int, segments: int) -> Smoother:
    """The smoother of any input with ``n`` distinct draws, its draws sorted: the basis at the
    ranks ``0, 1/(n−1), …, 1`` (read-only, shared by every caller)."""
    smoother = decompose(*sparse_bspline_basis(np.linspace(0.0, 1.0, n), segments))
    for array in (smoother.to_coefficients, smoother.shrink):
        array.flags.writeable = False
    return smoother
