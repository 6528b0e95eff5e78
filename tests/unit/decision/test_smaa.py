"""SMAA-2: rank acceptabilities, central weights and confidence factors.

The analytic case: alternatives A = (1, 0), B = (0, 1) and C = (0.6, 0.6) on two benefit
criteria normalise to themselves, so with w = (t, 1 − t), t ~ U(0, 1), the scores are t, 1 − t
and 0.6. A ranks first when t > 0.6, second when 0.5 < t < 0.6 and last when t < 0.5; B mirrors
A; C ranks first when 0.4 < t < 0.6, else second. Central weights are the means of t over those
intervals. Monte Carlo checks use fixed seeds and tolerances of several standard errors.
"""

from __future__ import annotations

import numpy as np
import pytest

from sourcewise.decision.smaa import sample_weights, smaa2

ANALYTIC = [[1.0, 0.0], [0.0, 1.0], [0.6, 0.6]]


def rng(seed: int = 11) -> np.random.Generator:
    return np.random.default_rng(seed)


def test_analytic_acceptabilities_and_central_weights() -> None:
    result = smaa2(ANALYTIC, [1, 1], draws=20_000, rng=rng())
    # Standard error of a share near 0.5 with 20,000 draws is 0.0035.
    np.testing.assert_allclose(
        result.rank_acceptability, [[0.4, 0.1, 0.5], [0.4, 0.1, 0.5], [0.2, 0.8, 0.0]], atol=0.015
    )
    np.testing.assert_allclose(
        result.central_weights, [[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]], atol=0.01
    )
    np.testing.assert_array_equal(result.confidence_factors, [1, 1, 1])
    assert result.draws == 20_000


def test_a_dominating_alternative_always_ranks_first() -> None:
    # Row 1 is best on the benefit criteria (high) and on the cost criterion (low).
    matrix = [[3.0, 5.0, 40.0], [4.0, 9.0, 10.0], [1.0, 2.0, 30.0], [2.0, 8.0, 20.0]]
    result = smaa2(matrix, [1, 1, -1], draws=5_000, rng=rng())
    assert result.rank_acceptability[1, 0] == 1
    np.testing.assert_array_equal(result.rank_acceptability[[0, 2, 3], 0], 0)
    # Ranking first in every draw, its central weight is the mean weight: the simplex centre.
    np.testing.assert_allclose(result.central_weights[1], [1 / 3] * 3, atol=0.01)
    assert np.isnan(result.central_weights[[0, 2, 3]]).all()
    assert result.confidence_factors[1] == 1
    assert np.isnan(result.confidence_factors[[0, 2, 3]]).all()


def test_symmetric_alternatives_have_equal_acceptability() -> None:
    result = smaa2([[1.0, 0.0], [0.0, 1.0]], [1, 1], draws=40_000, rng=rng())
    np.testing.assert_allclose(result.rank_acceptability, 0.5, atol=0.01)


def test_identical_alternatives_share_their_ranks_exactly() -> None:
    matrix = [[1.0, 5.0, 2.0], [3.0, 1.0, 2.0], [1.0, 5.0, 2.0], [2.0, 2.0, 1.0]]
    result = smaa2(matrix, [1, 1, -1], draws=3_000, rng=rng())
    np.testing.assert_array_equal(result.rank_acceptability[0], result.rank_acceptability[2])
    np.testing.assert_allclose(result.central_weights[0], result.central_weights[2])


@pytest.mark.parametrize("samples", [None, 2_000, 777])
def test_acceptability_rows_and_columns_sum_to_one(samples: int | None) -> None:
    generator = rng(3)
    matrix = generator.uniform(1, 10, (6, 4))
    values = (
        matrix if samples is None else matrix + generator.normal(0, 1.5, (samples, *matrix.shape))
    )
    result = smaa2(values, [1, -1, 1, -1], draws=2_000, rng=generator)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=0), 1, atol=1e-12)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1, atol=1e-12)
    has_centre = ~np.isnan(result.confidence_factors)
    np.testing.assert_array_equal(has_centre, result.rank_acceptability[:, 0] > 0)
    assert np.all(result.confidence_factors[has_centre] >= 0)
    assert np.all(result.confidence_factors[has_centre] <= 1)
    np.testing.assert_allclose(result.central_weights[has_centre].sum(axis=1), 1)


def test_a_seed_reproduces_the_result() -> None:
    matrix = rng(5).uniform(0, 1, (5, 3))
    first = smaa2(matrix, [1, 1, -1], draws=1_000, rng=rng(42))
    second = smaa2(matrix, [1, 1, -1], draws=1_000, rng=rng(42))
    other = smaa2(matrix, [1, 1, -1], draws=1_000, rng=rng(43))
    np.testing.assert_array_equal(first.rank_acceptability, second.rank_acceptability)
    np.testing.assert_array_equal(first.central_weights, second.central_weights)
    np.testing.assert_array_equal(first.confidence_factors, second.confidence_factors)
    assert not np.array_equal(first.rank_acceptability, other.rank_acceptability)


def test_a_deterministic_winner_is_certain_at_its_central_weights() -> None:
    # With fixed values the scores are linear in the weights, so each alternative's first-rank
    # region is convex and holds its own centre.
    matrix = rng(9).uniform(0, 100, (7, 4))
    result = smaa2(matrix, [1, -1, 1, 1], draws=10_000, rng=rng())
    has_centre = ~np.isnan(result.confidence_factors)
    assert has_centre.sum() >= 2
    np.testing.assert_array_equal(result.confidence_factors[has_centre], 1)


def test_uncertain_values_lower_confidence() -> None:
    generator = rng(4)
    samples = np.asarray(ANALYTIC) + generator.normal(0, 0.2, (5_000, 3, 2))
    result = smaa2(samples, [1, 1], draws=5_000, rng=generator)
    assert np.all(result.confidence_factors < 1)
    assert np.all(result.confidence_factors > 0.3)


def test_repeated_measurements_equal_the_single_matrix() -> None:
    matrix = rng(8).uniform(0, 1, (4, 3))
    single = smaa2(matrix, [1, 1, 1], draws=2_000, rng=rng(1))
    for count in (2_000, 50):
        repeated = smaa2(np.stack([matrix] * count), [1, 1, 1], draws=2_000, rng=rng(1))
        np.testing.assert_array_equal(single.rank_acceptability, repeated.rank_acceptability)
        np.testing.assert_array_equal(single.confidence_factors, repeated.confidence_factors)


# --- weight constraints ----------------------------------------------------------------------


def test_uniform_weights_cover_the_simplex() -> None:
    weights = sample_weights(rng(), 50_000, 4)
    np.testing.assert_allclose(weights.sum(axis=1), 1)
    # Dirichlet(1, 1, 1, 1): each weight has mean 1/4 and P(w_j > 1/2) = (1/2)^3.
    np.testing.assert_allclose(weights.mean(axis=0), 0.25, atol=0.005)
    np.testing.assert_allclose((weights > 0.5).mean(axis=0), 0.125, atol=0.006)


def test_weight_order_is_respected() -> None:
    order = [2, 0, 3, 1]
    weights = sample_weights(rng(), 10_000, 4, weight_order=order)
    ordered = weights[:, order]
    assert np.all(np.diff(ordered, axis=1) <= 0)
    # The ordered region is 1/4! of the simplex; its centroid is (25, 13, 7, 3)/48.
    np.testing.assert_allclose(ordered.mean(axis=0), np.array([25, 13, 7, 3]) / 48, atol=0.005)


def test_weight_order_decides_between_opposites() -> None:
    result = smaa2([[1.0, 0.0], [0.0, 1.0]], [1, 1], draws=1_000, rng=rng(), weight_order=[1, 0])
    np.testing.assert_array_equal(result.rank_acceptability, [[0, 1], [1, 0]])
    central = result.central_weights[1]
    assert central[1] > central[0]


def test_weight_ranges_are_respected() -> None:
    ranges = [[0.1, 0.3], [0.0, 1.0], [0.4, 0.6]]
    weights = sample_weights(rng(), 5_000, 3, weight_ranges=ranges)
    assert weights.shape == (5_000, 3)
    bounds = np.asarray(ranges)
    assert np.all((weights >= bounds[:, 0]) & (weights <= bounds[:, 1]))
    result = smaa2(
        [*ANALYTIC, [0.5, 0.2]], [1, 1], draws=2_000, rng=rng(), weight_ranges=ranges[:2]
    )
    centres = result.central_weights[~np.isnan(result.central_weights[:, 0])]
    assert np.all((centres[:, 0] >= 0.1) & (centres[:, 0] <= 0.3))


def test_ranges_and_order_together() -> None:
    weights = sample_weights(
        rng(), 2_000, 3, weight_ranges=[[0.2, 0.9], [0.2, 0.9], [0.0, 0.2]], weight_order=[1, 0, 2]
    )
    assert np.all(weights[:, 1] >= weights[:, 0])
    assert np.all(weights[:, 0] >= weights[:, 2])
    assert np.all(weights[:, 2] <= 0.2)


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([[0.6, 1.0], [0.5, 1.0]], "lower bounds sum to 1.1 > 1"),
        ([[0.0, 0.3], [0.0, 0.3]], "upper bounds sum to 0.6 < 1"),
        ([[0.5, 0.2], [0.0, 1.0]], "weight_ranges\\[0\\] = \\[0.5, 0.2\\]"),
        ([[0.0, 1.0]], "one \\[low, high\\] per criterion"),
        ([[0.5, 0.5], [0.5, 0.5]], "accept only 0 of"),
    ],
)
def test_unusable_ranges(ranges: list[list[float]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_weights(rng(), 100, 2, weight_ranges=ranges)


@pytest.mark.parametrize("order", [[0, 0], [0], [0, 2], [0.0, 1.0]])
def test_invalid_orders(order: list[float]) -> None:
    with pytest.raises(ValueError, match="weight_order must list each criterion"):
        sample_weights(rng(), 10, 2, weight_order=order)


# --- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "directions", "options", "message"),
    [
        ([1.0, 2.0], [1], {}, "not 1-D"),
        ([[1.0, np.inf], [0.0, 1.0]], [1, 1], {}, "infinite"),
        (np.ones((0, 2)), [1, 1], {}, "empty"),
        ([[1.0, 2.0], [0.0, 1.0]], [1], {}, "one entry per criterion"),
        ([[1.0, 2.0], [0.0, 1.0]], [1, 1], {"draws": 0}, "at least 1"),
        ([[1.0, 2.0], [0.0, 1.0]], [1, 1], {"method": "topsis"}, "unknown SMAA method"),
    ],
)
def test_invalid_input(
    values: object, directions: list[int], options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        smaa2(values, directions, rng=rng(), **options)


def test_results_are_read_only() -> None:
    result = smaa2(ANALYTIC, [1, 1], draws=10, rng=rng())
    with pytest.raises(ValueError, match="read-only"):
        result.rank_acceptability[0, 0] = 0
