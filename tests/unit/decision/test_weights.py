"""Objective weights: entropy, CRITIC and MEREC.

Small cases are worked out in the tests from the definitions; pymcdm 1.4 (``pymcdm.weights``)
is the independent cross-check on 1,000 random strictly positive, non-constant matrices per
method, where the definitions coincide:

- entropy without directions is pymcdm's ``entropy_weights``; with directions, pymcdm on the
  matrix whose cost columns are replaced by ``1/x`` (pymcdm ignores directions);
- CRITIC with every direction 1 is pymcdm's ``critic_weights``; with directions, pymcdm on the
  matrix whose cost columns are negated (pymcdm ignores directions);
- MEREC is pymcdm's ``merec_weights`` as it stands.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from sourcewise.decision.weights import critic_weights, entropy_weights, merec_weights

FloatArray = np.ndarray


def entropy_by_hand(column: list[float]) -> float:
    total = sum(column)
    shares = [x / total for x in column]
    return -sum(p * math.log(p) for p in shares if p > 0) / math.log(len(column))


# --- entropy ---------------------------------------------------------------------------------


def test_entropy_by_hand() -> None:
    columns = [[1.0, 1.0, 2.0], [3.0, 1.0, 0.5], [2.0, 2.0, 2.0]]
    matrix = np.array(columns).T
    diversity = [1 - entropy_by_hand(c) for c in columns]
    expected = [d / sum(diversity) for d in diversity]
    weights = entropy_weights(matrix)
    np.testing.assert_allclose(weights, expected, rtol=1e-12, atol=1e-15)
    assert weights[2] == 0  # a constant criterion tells the alternatives apart not at all


def test_entropy_zero_share_counts_as_zero() -> None:
    columns = [[0.0, 1.0, 3.0], [1.0, 2.0, 3.0]]
    diversity = [1 - entropy_by_hand(c) for c in columns]
    np.testing.assert_allclose(
        entropy_weights(np.array(columns).T), [d / sum(diversity) for d in diversity]
    )


def test_entropy_of_a_cost_criterion_uses_reciprocals() -> None:
    matrix = np.array([[1.0, 2.0], [2.0, 5.0], [4.0, 3.0]])
    flipped = matrix.copy()
    flipped[:, 1] = 1 / flipped[:, 1]
    np.testing.assert_allclose(entropy_weights(matrix, [1, -1]), entropy_weights(flipped))


def test_entropy_refuses_negative_values_and_empty_columns() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        entropy_weights([[1, -1], [2, 3]])
    with pytest.raises(ValueError, match="positive total in every criterion; not in 1"):
        entropy_weights([[1, 0], [2, 0]])
    with pytest.raises(ValueError, match="greater than zero"):
        entropy_weights([[1, 0], [2, 3]], [1, -1])


# --- CRITIC ----------------------------------------------------------------------------------


def test_critic_opposed_criteria_share_equally() -> None:
    # Normalised columns (0, .5, 1) and (1, .5, 0): equal contrast, correlation −1.
    matrix = [[1, 3], [2, 2], [3, 1]]
    np.testing.assert_allclose(critic_weights(matrix, [1, 1]), [0.5, 0.5])


def test_critic_direction_turns_conflict_into_agreement() -> None:
    # A cost criterion that falls as the benefit rises agrees with it: nothing to weigh apart.
    with pytest.raises(ValueError, match="perfectly correlated"):
        critic_weights([[1, 3], [2, 2], [3, 1]], [1, -1])


def test_critic_by_hand_with_a_constant_criterion() -> None:
    matrix = np.array([[1.0, 10.0, 5.0], [2.0, 30.0, 5.0], [4.0, 20.0, 5.0], [3.0, 0.0, 5.0]])
    r1 = np.array([0, 1 / 3, 1, 2 / 3])
    r2 = np.array([1 / 3, 1, 2 / 3, 0])
    correlation = float(np.corrcoef(r1, r2)[0, 1])
    s1, s2 = float(np.std(r1, ddof=1)), float(np.std(r2, ddof=1))
    # The constant criterion's correlation counts as 0, so it adds 1 to the others' conflict.
    c1 = s1 * ((1 - correlation) + 1)
    c2 = s2 * ((1 - correlation) + 1)
    np.testing.assert_allclose(
        critic_weights(matrix, [1, 1, -1]), [c1 / (c1 + c2), c2 / (c1 + c2), 0], atol=1e-12
    )


# --- MEREC -----------------------------------------------------------------------------------


def test_merec_by_hand() -> None:
    matrix = np.array([[2.0, 4.0], [4.0, 1.0], [8.0, 2.0]])
    # Benefit: min/x → (1, .5, .25); cost: x/max → (1, .25, .5).
    logs = np.abs(np.log(np.array([[1, 1], [0.5, 0.25], [0.25, 0.5]])))
    overall = np.log(1 + logs.sum(axis=1) / 2)
    effect = [np.abs(np.log(1 + logs[:, 1 - j] / 2) - overall).sum() for j in range(2)]
    np.testing.assert_allclose(
        merec_weights(matrix, [1, -1]), np.array(effect) / sum(effect), rtol=1e-12
    )


def test_merec_gives_a_constant_criterion_no_weight() -> None:
    weights = merec_weights([[1, 7], [2, 7], [3, 7]], [1, -1])
    np.testing.assert_allclose(weights, [1, 0])


def test_merec_needs_positive_values() -> None:
    with pytest.raises(ValueError, match="greater than zero"):
        merec_weights([[1, 0], [2, 3]], [1, 1])


# --- shared behaviour ------------------------------------------------------------------------

METHODS: list[Callable[..., FloatArray]] = [entropy_weights, critic_weights, merec_weights]


@pytest.mark.parametrize("method", METHODS)
def test_weights_are_a_distribution(method: Callable[..., FloatArray]) -> None:
    rng = np.random.default_rng(7)
    weights = method(rng.uniform(1, 50, (6, 4)), [1, -1, 1, -1])
    assert weights.shape == (4,)
    assert weights.sum() == pytest.approx(1)
    assert np.all(weights >= 0)


@pytest.mark.parametrize("method", METHODS)
def test_one_criterion_gets_everything(method: Callable[..., FloatArray]) -> None:
    np.testing.assert_array_equal(method([[1.0], [2.0]], [1]), [1.0])


@pytest.mark.parametrize("method", METHODS)
def test_constant_matrix_has_no_weights(method: Callable[..., FloatArray]) -> None:
    with pytest.raises(ValueError, match="weights are undefined"):
        method(np.full((3, 2), 4.0), [1, 1])


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    ("matrix", "directions", "message"),
    [
        ([1.0, 2.0], [1], "2-D"),
        ([[1.0, 2.0]], [1, 1], "at least 2 alternatives"),
        ([[1.0, np.nan], [2.0, 3.0]], [1, 1], "NaN"),
        ([[1.0, 2.0], [2.0, 3.0]], [1], "one entry per criterion"),
        ([[1.0, 2.0], [2.0, 3.0]], [1, 0], "1 \\(more is better\\) or -1"),
    ],
)
def test_invalid_input(
    method: Callable[..., FloatArray], matrix: object, directions: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        method(matrix, directions)


# --- cross-check against pymcdm --------------------------------------------------------------


def random_problems(seed: int) -> list[tuple[FloatArray, FloatArray]]:
    rng = np.random.default_rng(seed)
    problems = []
    for _ in range(1000):
        m, n = int(rng.integers(3, 12)), int(rng.integers(2, 8))
        problems.append((rng.uniform(1, 100, (m, n)), rng.choice([-1, 1], n)))
    return problems


def ours_and_pymcdm(
    name: str, matrix: FloatArray, directions: FloatArray
) -> tuple[FloatArray, FloatArray]:
    # Imported here, not when the module is collected: pymcdm brings pandas and matplotlib, and
    # `make unit` skips these cross-checks (marked property).
    from pymcdm import weights as pymcdm_weights

    cost = directions < 0
    if name == "entropy":
        return entropy_weights(matrix), pymcdm_weights.entropy_weights(matrix)
    if name == "entropy with directions":
        return (
            entropy_weights(matrix, directions),
            pymcdm_weights.entropy_weights(np.where(cost, 1 / matrix, matrix)),
        )
    if name == "critic":
        return (
            critic_weights(matrix, np.ones_like(directions)),
            pymcdm_weights.critic_weights(matrix),
        )
    if name == "critic with directions":
        return (
            critic_weights(matrix, directions),
            pymcdm_weights.critic_weights(np.where(cost, -matrix, matrix)),
        )
    return merec_weights(matrix, directions), pymcdm_weights.merec_weights(matrix, directions)


@pytest.mark.property
@pytest.mark.parametrize(
    "name", ["entropy", "entropy with directions", "critic", "critic with directions", "merec"]
)
def test_agrees_with_pymcdm_on_1000_random_matrices(name: str) -> None:
    gap = 0.0
    for matrix, directions in random_problems(seed=len(name)):
        ours, theirs = ours_and_pymcdm(name, matrix, directions)
        gap = max(gap, float(np.abs(ours - theirs).max()))
    assert gap < 1e-12
