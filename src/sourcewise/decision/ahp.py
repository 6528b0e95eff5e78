"""The Analytic Hierarchy Process: priorities from pairwise comparisons, and their consistency.

A pairwise matrix ``A`` holds ``A[i][j]`` = how many times more important (or preferred) item
``i`` is than item ``j``, on Saaty's 1–9 scale; it must be positive with ``A[j][i] = 1/A[i][j]``
and ones on the diagonal. The priorities are the principal right eigenvector of ``A``
(Saaty 1977, 1980), normalised to sum to 1; ``λmax`` is its eigenvalue.

Consistency: ``CI = (λmax − n)/(n − 1)`` and ``CR = CI/RI(n)`` where ``RI(n)`` is the mean CI
of random reciprocal matrices of order n. The default table is Saaty's:

    T. L. Saaty, *The Analytic Hierarchy Process*, McGraw-Hill, 1980 (n = 1..15:
    0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59).

``ALONSO_LAMATA_2006_RANDOM_INDEX`` holds the later estimates from 100,000 matrices per order
(J. A. Alonso & M. T. Lamata, "Consistency in the analytic hierarchy process: a new approach",
Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 14(4), 2006, 445–459) and may be
passed as ``random_index``. Judgements are called consistent when ``CR ≤ 0.1`` (Saaty 1980).
For n ≤ 2 every reciprocal matrix is consistent: CI and CR are 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "ALONSO_LAMATA_2006_RANDOM_INDEX",
    "CONSISTENCY_THRESHOLD",
    "SAATY_1980_RANDOM_INDEX",
    "AhpResult",
    "HierarchyResult",
    "PairwiseError",
    "ahp",
    "ahp_hierarchy",
    "pairwise_from_judgements",
]

FloatArray = npt.NDArray[np.float64]

SAATY_1980_RANDOM_INDEX: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)  # fmt: skip
"""RI(n) for n = 1..15, index n − 1 (Saaty 1980)."""

ALONSO_LAMATA_2006_RANDOM_INDEX: tuple[float, ...] = (
    0.0, 0.0, 0.5247, 0.8816, 1.1086, 1.2479, 1.3417, 1.4057, 1.4499, 1.4854,
    1.5140, 1.5365, 1.5551, 1.5713, 1.5838,
)  # fmt: skip
"""RI(n) for n = 1..15, index n − 1 (Alonso & Lamata 2006)."""

CONSISTENCY_THRESHOLD = 0.1

_RECIPROCAL_RTOL = 1e-3
"""How far ``A[i][j]·A[j][i]`` may stray from 1: lets a judge write 0.333 for 1/3."""


class PairwiseError(ValueError):
    """Every problem found in pairwise judgements, each naming its cell, raised together."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True, slots=True, eq=False)
class AhpResult:
    weights: FloatArray
    """Priorities, principal right eigenvector normalised to sum to 1."""
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    consistent: bool
    """``consistency_ratio ≤ 0.1``."""
    names: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class HierarchyResult:
    criteria: AhpResult
    alternatives: tuple[AhpResult, ...]
    """One local result per criterion, in the criteria's order."""
    local_priorities: FloatArray
    """(alternatives × criteria): column j holds the alternatives' weights under criterion j."""
    global_priorities: FloatArray
    """Distributive synthesis: ``local_priorities @ criteria.weights``."""
    consistent: bool
    """Every matrix of the hierarchy is consistent."""
    criteria_names: tuple[str, ...] | None = None
    alternative_names: tuple[str, ...] | None = None


def ahp(
    pairwise: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    random_index: Sequence[float] = SAATY_1980_RANDOM_INDEX,
) -> AhpResult:
    """Priorities and consistency of one positive reciprocal pairwise matrix.

    Raises ``PairwiseError`` listing every invalid cell, e.g.
    ``pairwise[1][2] is 3 but pairwise[2][1] is 0.5, not 1/3``; ``names`` adds the items'
    names to each message. ``random_index[n − 1]`` is RI(n).
    """
    matrix = _validated(pairwise, names, "pairwise")
    return _solve(matrix, names, random_index)


def pairwise_from_judgements(
    names: Sequence[str],
    judgements: Mapping[tuple[str, str], float] | Mapping[str, Mapping[str, float]],
) -> FloatArray:
    """The pairwise matrix over ``names`` from one judgement per pair.

    ``judgements`` maps ``(a, b)`` to how many times more important ``a`` is than ``b``; the
    nested form ``{"cost": {"risk": 3}}`` (as written in a scenario file) means the same as
    ``{("cost", "risk"): 3}``. Each unordered pair must be judged once — or twice in mutually
    reciprocal terms; reciprocals and the unit diagonal are filled in. Raises ``PairwiseError``
    with every unknown name, invalid value, contradiction and missing pair.
    """
    order = list(names)
    index = {name: i for i, name in enumerate(order)}
    if len(index) != len(order):
        repeated = sorted({name for name in order if order.count(name) > 1})
        # Which row a repeated name means is unknowable, so nothing else can be checked.
        raise PairwiseError([f"names repeat: {', '.join(repeated)}"])
    problems: list[str] = []
    n = len(order)
    matrix = np.ones((n, n))
    judged = np.zeros((n, n), dtype=bool)
    for (a, b), raw in _flat(judgements):
        where = f"{a} vs {b}"
        unknown = [name for name in (a, b) if name not in index]
        if unknown:
            problems.append(f"{where}: unknown {', '.join(map(repr, unknown))}")
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = float("nan")
        if not (np.isfinite(value) and value > 0):
            problems.append(f"{where}: {raw!r} is not a positive number")
            continue
        i, j = index[a], index[b]
        if i == j:
            if value != 1:
                problems.append(f"{where}: an item compared with itself must be 1, not {value:g}")
            continue
        if judged[i, j]:
            # A mapping holds each ordered pair once, so the earlier judgement was b vs a.
            if not np.isclose(matrix[j, i] * value, 1.0, rtol=_RECIPROCAL_RTOL):
                problems.append(
                    f"{b} vs {a} is {_number(matrix[j, i])} but {where} is {_number(value)},"
                    f" not {_reciprocal(matrix[j, i])}"
                )
            continue
        matrix[i, j], matrix[j, i] = value, 1.0 / value
        judged[i, j] = judged[j, i] = True
    missing = [
        f"{order[i]} vs {order[j]}" for i in range(n) for j in range(i + 1, n) if not judged[i, j]
    ]
    if missing:
        problems.append(f"no judgement for {', '.join(missing)}")
    if problems:
        raise PairwiseError(problems)
    return matrix


def ahp_hierarchy(
    criteria_pairwise: npt.ArrayLike,
    alternatives_pairwise_per_criterion: Sequence[npt.ArrayLike],
    *,
    criteria_names: Sequence[str] | None = None,
    alternative_names: Sequence[str] | None = None,
    random_index: Sequence[float] = SAATY_1980_RANDOM_INDEX,
) -> HierarchyResult:
    """A goal → criteria → alternatives hierarchy, synthesised into global priorities.

    ``alternatives_pairwise_per_criterion[j]`` compares the alternatives under criterion j.
    Global priority of alternative i = ``Σ_j w_j · v_ij`` (Saaty's distributive mode).
    Problems in every matrix are reported together in one ``PairwiseError``.
    """
    problems: list[str] = []
    criteria_matrix = _collect(
        problems, criteria_pairwise, criteria_names, "criteria_pairwise", "criteria"
    )
    local_matrices = list(alternatives_pairwise_per_criterion)
    n = criteria_matrix.shape[0] if criteria_matrix is not None else None
    if n is not None and len(local_matrices) != n:
        problems.append(
            f"{n} criteria but {len(local_matrices)} alternative matrices; give one per criterion"
        )
    alternatives: list[FloatArray | None] = []
    for j, local in enumerate(local_matrices):
        label = repr(criteria_names[j]) if criteria_names and j < len(criteria_names) else str(j)
        alternatives.append(
            _collect(
                problems,
                local,
                alternative_names,
                f"alternatives_pairwise_per_criterion[{j}]",
                f"alternatives under criterion {label}",
            )
        )
    sizes = {a.shape[0] for a in alternatives if a is not None}
    if len(sizes) > 1:
        problems.append(f"the alternative matrices differ in size: {sorted(sizes)}")
    if problems:
        raise PairwiseError(problems)
    assert criteria_matrix is not None  # no problems means every matrix was valid
    criteria = _solve(criteria_matrix, criteria_names, random_index)
    locals_ = tuple(
        _solve(a, alternative_names, random_index) for a in alternatives if a is not None
    )
    local_priorities = np.column_stack([r.weights for r in locals_])
    global_priorities = local_priorities @ criteria.weights
    return HierarchyResult(
        criteria=criteria,
        alternatives=locals_,
        local_priorities=_frozen(local_priorities),
        global_priorities=_frozen(global_priorities),
        consistent=criteria.consistent and all(r.consistent for r in locals_),
        criteria_names=tuple(criteria_names) if criteria_names is not None else None,
        alternative_names=tuple(alternative_names) if alternative_names is not None else None,
    )


def _solve(
    matrix: FloatArray, names: Sequence[str] | None, random_index: Sequence[float]
) -> AhpResult:
    n = matrix.shape[0]
    if n > len(random_index):
        raise ValueError(
            f"the random index table stops at n = {len(random_index)}; a {n}×{n} matrix needs"
            " a longer one (random_index=...)"
        )
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    # Perron–Frobenius: the principal eigenvector of a positive matrix has one sign throughout.
    vector = np.abs(eigenvectors[:, principal].real)
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[principal].real)
    ri = float(random_index[n - 1])
    if n <= 2:
        ci = cr = 0.0
    else:
        # λmax ≥ n for any positive reciprocal matrix; below n is rounding error.
        ci = max((lambda_max - n) / (n - 1), 0.0)
        cr = ci / ri
    return AhpResult(
        weights=_frozen(weights),
        lambda_max=lambda_max,
        consistency_index=ci,
        random_index=ri,
        consistency_ratio=cr,
        consistent=cr <= CONSISTENCY_THRESHOLD,
        names=tuple(names) if names is not None else None,
    )


def _collect(
    problems: list[str],
    pairwise: npt.ArrayLike,
    names: Sequence[str] | None,
    label: str,
    context: str,
) -> FloatArray | None:
    try:
        return _validated(pairwise, names, label)
    except PairwiseError as error:
        problems.extend(f"{context}: {problem}" for problem in error.problems)
        return None


def _validated(pairwise: npt.ArrayLike, names: Sequence[str] | None, label: str) -> FloatArray:
    try:
        matrix = np.asarray(pairwise, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise PairwiseError([f"{label} is not a matrix of numbers ({error})"]) from error
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise PairwiseError(
            [f"{label} must be a non-empty square matrix, not shape {matrix.shape}"]
        )
    n = matrix.shape[0]
    if names is not None and len(names) != n:
        raise PairwiseError([f"{label} is {n}×{n} but {len(names)} names were given"])

    def cell(i: int, j: int) -> str:
        where = f"{label}[{i}][{j}]"
        return f"{where} ({names[i]} vs {names[j]})" if names is not None else where

    problems: list[str] = []
    bad = ~(np.isfinite(matrix) & (matrix > 0))
    for i, j in zip(*np.nonzero(bad), strict=True):
        problems.append(f"{cell(i, j)} is {matrix[i, j]:g}; judgements must be positive numbers")
    for i in range(n):
        if not bad[i, i] and matrix[i, i] != 1:
            problems.append(f"{cell(i, i)} is {_number(matrix[i, i])}, not 1")
    for i in range(n):
        for j in range(i + 1, n):
            if bad[i, j] or bad[j, i]:
                continue
            if not np.isclose(matrix[i, j] * matrix[j, i], 1.0, rtol=_RECIPROCAL_RTOL):
                problems.append(
                    f"{cell(i, j)} is {_number(matrix[i, j])} but {label}[{j}][{i}] is"
                    f" {_number(matrix[j, i])}, not {_reciprocal(matrix[i, j])}"
                )
    if problems:
        raise PairwiseError(problems)
    return matrix


def _flat(
    judgements: Mapping[tuple[str, str], float] | Mapping[str, Mapping[str, float]],
) -> list[tuple[tuple[str, str], float]]:
    """Pairs and values as given; values are checked by the caller (files may hold anything)."""
    flat: list[tuple[tuple[str, str], float]] = []
    for key, value in judgements.items():
        if isinstance(key, tuple) and len(key) == 2 and not isinstance(value, Mapping):
            flat.append(((str(key[0]), str(key[1])), value))
        elif isinstance(key, str) and isinstance(value, Mapping):
            flat.extend(((key, str(other)), v) for other, v in value.items())
        else:
            raise PairwiseError(
                [f"judgement {key!r}: use (a, b): value or a: {{b: value}}, not {value!r}"]
            )
    return flat


def _number(value: float) -> str:
    return f"{value:.6g}"


def _reciprocal(value: float) -> str:
    """``1/3`` for 3, ``2`` for 0.5: the form a judge would write."""
    if np.isclose(value, round(value)) and round(value) > 1:
        return f"1/{round(value)}"
    inverse = 1.0 / value
    if np.isclose(inverse, round(inverse)):
        return str(round(inverse))
    return _number(inverse)


def _frozen(array: FloatArray) -> FloatArray:
    array.setflags(write=False)
    return array
