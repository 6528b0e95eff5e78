"""Rank a decision matrix the analyst brings: alternatives in rows, criteria in columns.

The use case behind ``sourcewise rank`` and ``sourcewise.api.rank_matrix``: read the matrix,
take the weights given or derive them from the matrix (entropy, CRITIC, MEREC), and rank the
alternatives by one method. Problems with the arguments come back together in one
``InputError``, each naming its parameter (``method``, ``weights``, ``directions``,
``discordance_scale``), so a caller can show them in its own words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sourcewise.adapters.matrix_file import DecisionMatrix, read_matrix
from sourcewise.decision import ranking
from sourcewise.decision import weights as derive
from sourcewise.decision.matrix import FloatArray, Ranking, normalise_weights
from sourcewise.domain.problems import InputError, Problem

__all__ = [
    "ARGUMENTS",
    "DISCORDANCE_SCALES",
    "METHODS",
    "WEIGHT_METHODS",
    "DecisionMatrix",
    "MatrixRanking",
    "rank_matrix",
    "read_matrix_file",
]

ARGUMENTS = "<arguments>"
"""The ``file`` of a problem with an argument rather than with the matrix."""

METHODS: Mapping[str, Callable[..., Ranking]] = {
    "wsm": ranking.wsm,
    "wpm": ranking.wpm,
    "topsis": ranking.topsis,
    "vikor": ranking.vikor,
    "promethee": ranking.promethee_ii,
    "electre": ranking.electre_i,
}
WEIGHT_METHODS: Mapping[str, Callable[..., FloatArray]] = {
    "entropy": derive.entropy_weights,
    "critic": derive.critic_weights,
    "merec": derive.merec_weights,
}
DISCORDANCE_SCALES = ("per-criterion", "largest-range")


@dataclass(frozen=True, slots=True)
class MatrixRanking:
    """The matrix, the weights and directions used, and the method's result."""

    matrix: DecisionMatrix
    weights: FloatArray
    """One per criterion, summing to 1."""
    weight_source: str
    """``given``, or the method that derived them (``entropy``, ``critic``, ``merec``)."""
    directions: FloatArray
    """``+1`` where more is better, ``-1`` where less is better."""
    result: Ranking

    @property
    def order(self) -> tuple[str, ...]:
        """The alternatives from best to worst (ties in file order)."""
        return tuple(self.matrix.alternatives[int(i)] for i in self.result.order)

    @property
    def discordance_scale(self) -> str | None:
        """ELECTRE I's divisor of the shortfalls (see ``electre_i``); None for other methods."""
        if not isinstance(self.result, ranking.ElectreResult):
            return None
        return self.result.discordance_scale

    @property
    def kernel(self) -> tuple[str, ...]:
        """ELECTRE I's kernel (the alternatives it chooses); empty for the other methods."""
        if not isinstance(self.result, ranking.ElectreResult):
            return ()
        return tuple(self.matrix.alternatives[i] for i in self.result.kernel)


def read_matrix_file(path: Path) -> DecisionMatrix:
    """The matrix in a CSV or XLSX file; raises ``InputError`` with every problem found."""
    matrix, problems = read_matrix(path)
    if matrix is None:
        raise InputError(problems)
    return matrix


def _argument(name: str, message: str) -> Problem:
    return Problem(ARGUMENTS, None, name, message)


def _per_criterion(
    values: Sequence[float], name: str, matrix: DecisionMatrix, problems: list[Problem]
) -> FloatArray | None:
    n = len(matrix.criteria)
    if len(values) != n:
        criteria = ", ".join(matrix.criteria)
        problems.append(
            _argument(name, f"gives {len(values)} values for {n} criteria ({criteria})")
        )
        return None
    return np.asarray(values, dtype=np.float64)


def rank_matrix(
    matrix: DecisionMatrix,
    *,
    method: str = "topsis",
    weights: str | Sequence[float] = "entropy",
    directions: Sequence[float] | None = None,
    discordance_scale: str | None = None,
    source: str = ARGUMENTS,
) -> MatrixRanking:
    """Rank the alternatives of ``matrix`` by ``method``.

    ``weights`` are one importance per criterion (scaled to sum to 1) or the name of a method
    deriving them from the matrix; ``directions`` default to +1 (more is better) for every
    criterion. ``discordance_scale`` applies to ELECTRE I only. ``source`` names the matrix in
    problems the method finds with it (a degenerate column, say).
    """
    problems: list[Problem] = []
    run = METHODS.get(method)
    if run is None:
        problems.append(_argument("method", f"unknown method '{method}' ({', '.join(METHODS)})"))
    if discordance_scale is not None:
        if method != "electre":
            problems.append(_argument("discordance_scale", "applies to electre only"))
        elif discordance_scale not in DISCORDANCE_SCALES:
            problems.append(
                _argument(
                    "discordance_scale",
                    f"unknown scale '{discordance_scale}' ({', '.join(DISCORDANCE_SCALES)})",
                )
            )
    d = (
        np.ones(len(matrix.criteria))
        if directions is None
        else _per_criterion(directions, "directions", matrix, problems)
    )
    given = None
    if isinstance(weights, str):
        if weights not in WEIGHT_METHODS:
            problems.append(
                _argument(
                    "weights",
                    f"'{weights}' is neither a list of weights nor one of "
                    f"{', '.join(WEIGHT_METHODS)}",
                )
            )
    else:
        given = _per_criterion(weights, "weights", matrix, problems)
    if given is not None:
        try:
            given = normalise_weights(given)
        except ValueError as error:
            problems.append(_argument("weights", str(error)))
    if problems or run is None or d is None:
        raise InputError(problems)
    try:
        w = WEIGHT_METHODS[str(weights)](matrix.values, d) if given is None else given
        options = {} if discordance_scale is None else {"discordance_scale": discordance_scale}
        result = run(matrix.values, w, d, **options)
    except ValueError as error:
        raise InputError([Problem(source, None, "", str(error))]) from None
    return MatrixRanking(
        matrix=matrix,
        weights=w,
        weight_source="given" if given is not None else str(weights),
        directions=d,
        result=result,
    )
