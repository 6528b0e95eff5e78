"""Ranking a matrix the analyst brings: weights given or derived, every argument problem at once."""

from pathlib import Path

import numpy as np
import pytest

from sourcewise.domain.problems import InputError
from sourcewise.services.matrix_ranking import (
    ARGUMENTS,
    DecisionMatrix,
    rank_matrix,
    read_matrix_file,
)

MATRIX = DecisionMatrix(
    alternatives=("A", "B", "C"),
    criteria=("cost", "quality", "risk"),
    values=np.array([[100.0, 7.0, 0.2], [80.0, 6.0, 0.4], [70.0, 9.0, 0.1]]),
)


def test_given_weights_are_scaled_to_one_and_the_dominating_alternative_wins() -> None:
    ranked = rank_matrix(MATRIX, weights=[2, 1, 1], directions=[-1, 1, -1])
    assert ranked.weights.tolist() == [0.5, 0.25, 0.25]
    assert ranked.weight_source == "given"
    assert ranked.order[0] == "C"
    assert ranked.kernel == ()
    assert ranked.discordance_scale is None


@pytest.mark.parametrize("method", ["entropy", "critic", "merec"])
def test_derived_weights_name_their_method(method: str) -> None:
    ranked = rank_matrix(MATRIX, weights=method, directions=[-1, 1, -1], method="vikor")
    assert ranked.weight_source == method
    assert ranked.weights.sum() == pytest.approx(1.0)
    assert ranked.order[0] == "C"


def test_electre_gives_its_kernel_and_scale() -> None:
    ranked = rank_matrix(MATRIX, method="electre", weights=[1, 1, 1], directions=[-1, 1, -1])
    assert ranked.kernel == ("C",)
    assert ranked.discordance_scale == "per-criterion"


def test_every_argument_problem_comes_back_at_once() -> None:
    with pytest.raises(InputError) as caught:
        rank_matrix(
            MATRIX,
            method="magic",
            weights=[1, 2],
            directions=[1],
            discordance_scale="largest-range",
        )
    problems = caught.value.problems
    assert {p.file for p in problems} == {ARGUMENTS}
    assert [p.path for p in problems] == ["method", "discordance_scale", "directions", "weights"]
    assert "gives 2 values for 3 criteria (cost, quality, risk)" in str(caught.value)


def test_unknown_weight_method_and_negative_weights() -> None:
    with pytest.raises(InputError, match="neither a list of weights nor one of entropy"):
        rank_matrix(MATRIX, weights="magic")
    with pytest.raises(InputError, match=r"weights\[1\] is negative"):
        rank_matrix(MATRIX, weights=[1, -1, 1])


def test_a_file_with_problems_raises_them_all(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("option,cost,quality\nA,cheap,1\nB,2,good\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_matrix_file(path)
    assert [p.line for p in caught.value.problems] == [2, 3]
