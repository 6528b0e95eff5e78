"""EVPI, EVPPI and EVSI against closed forms and their ordering.

The closed form: two options whose cost difference D = C₂ − C₁ is normal with mean μ and
standard deviation σ. Deciding today takes option 1 when μ > 0; knowing D saves D⁻ = max(−D, 0)
on average, so EVPI = E[max(−D, 0)] = σ·φ(μ/σ) − |μ|·Φ(−|μ|/σ) (the unit normal loss integral).
With D linear in θ ~ N(μ₀, τ²) and a study measuring θ on n units of variance σ²ₛ, the posterior
mean of θ is normal with variance τ²·n/(n + n₀), n₀ = σ²ₛ/τ², so the EVSI is the same formula
with σ scaled by sqrt(n/(n + n₀)). Monte Carlo checks use fixed seeds and several standard
errors of tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from sourcewise.decision.value_of_information import (
    best_study,
    beta_prior_sample_size,
    evpi,
    evppi,
    evsi,
    gamma_prior_exposure,
    normal_prior_sample_size,
)


def normal_loss(mu: float, sigma: float) -> float:
    return float(sigma * norm.pdf(mu / sigma) - abs(mu) * norm.cdf(-abs(mu) / sigma))


def two_options(theta: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
    second = theta if extra is None else theta + extra
    return np.column_stack([np.zeros_like(theta), second])


@pytest.mark.parametrize(("mu", "sigma"), [(1.0, 2.0), (-0.5, 1.0), (3.0, 1.0), (0.0, 5.0)])
def test_evpi_matches_the_normal_loss_integral(mu: float, sigma: float) -> None:
    rng = np.random.default_rng(7)
    result = evpi(two_options(rng.normal(mu, sigma, 200_000)))
    assert result.value == pytest.approx(normal_loss(mu, sigma), abs=4 * result.se)
    assert result.best_today == (0 if mu > 0 else 1) or mu == 0.0


def test_evpi_is_zero_when_one_option_always_wins() -> None:
    costs = np.column_stack([np.arange(10.0), np.arange(10.0) + 1])
    assert evpi(costs).value == 0.0
    assert evpi(costs).se == 0.0


def test_evpi_rejects_a_malformed_matrix() -> None:
    with pytest.raises(ValueError, match="draws, options"):
        evpi(np.zeros(5))
    with pytest.raises(ValueError, match="finite"):
        evpi(np.array([[1.0, np.nan], [1.0, 2.0]]))


def test_evppi_of_the_only_uncertain_input_is_the_evpi() -> None:
    rng = np.random.default_rng(3)
    theta = rng.normal(1.0, 2.0, 50_000)
    costs = two_options(theta)
    assert evppi(costs, theta).value == pytest.approx(evpi(costs).value, rel=0.02)


def test_evppi_of_an_input_no_cost_depends_on_is_about_zero() -> None:
    rng = np.random.default_rng(4)
    theta = rng.normal(0.5, 2.0, 20_000)
    unrelated = rng.uniform(size=theta.size)
    costs = two_options(theta)
    assert evppi(costs, unrelated).value < 0.02 * evpi(costs).value


def test_evppi_of_one_of_two_inputs_matches_its_closed_form() -> None:
    # D = θ + ε with θ ~ N(0.5, 1.5²) and ε ~ N(0, 1): learning θ is the normal loss of θ alone.
    rng = np.random.default_rng(5)
    theta = rng.normal(0.5, 1.5, 50_000)
    costs = two_options(theta, rng.normal(0.0, 1.0, theta.size))
    partial = evppi(costs, theta)
    assert partial.value == pytest.approx(normal_loss(0.5, 1.5), rel=0.04)
    assert partial.value <= evpi(costs).value


def test_a_discrete_input_gives_the_exact_conditional_means() -> None:
    rng = np.random.default_rng(6)
    level = rng.integers(0, 3, 9_000).astype(float)
    costs = two_options(level - 0.8, rng.normal(0.0, 1.0, level.size))
    exact = -np.minimum(np.array([costs[level == k, 1].mean() for k in range(3)]), 0.0)
    share = np.array([(level == k).mean() for k in range(3)])
    assert evppi(costs, level).unclipped == pytest.approx(float(exact @ share), rel=1e-9)


def test_a_group_is_worth_what_its_inputs_explain_together() -> None:
    # D = x·y: neither input alone says whether D < 0 on average, together they say it exactly.
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(2, 20_000))
    costs = two_options(x * y + 0.2)
    together = evppi(costs, np.column_stack([x, y])).value
    alone = max(evppi(costs, x).value, evppi(costs, y).value)
    total = evpi(costs).value
    assert together == pytest.approx(total, rel=0.05)
    assert alone < 0.1 * total


def test_a_constant_input_is_worth_nothing() -> None:
    rng = np.random.default_rng(9)
    costs = two_options(rng.normal(size=1_000))
    assert evppi(costs, np.ones(1_000)).value == 0.0


@pytest.mark.parametrize("n", [1, 5, 20, 100])
def test_evsi_matches_the_normal_normal_closed_form(n: int) -> None:
    mu, tau, sampling_sd = 0.8, 2.0, 6.0
    rng = np.random.default_rng(10)
    theta = rng.normal(mu, tau, 100_000)
    partial = evppi(two_options(theta), theta)
    n0 = normal_prior_sample_size(tau**2, sampling_sd**2)
    factor = np.sqrt(n / (n + n0))
    expected = normal_loss(mu, tau * factor)
    # The Monte Carlo error of the mean of the shrunk losses, plus 1% for the regression.
    losses = np.maximum(-(mu + factor * (theta - mu)), 0.0)
    tolerance = 4 * losses.std() / np.sqrt(theta.size) + 0.01 * expected
    assert evsi(partial, [n], n0)[0] == pytest.approx(expected, abs=tolerance)


def test_evsi_is_zero_without_a_study_and_the_evppi_with_an_endless_one() -> None:
    rng = np.random.default_rng(11)
    theta = rng.normal(0.3, 1.0, 10_000)
    partial = evppi(two_options(theta), theta)
    none, endless = evsi(partial, [0, 1e12], 4.0)
    assert none == 0.0
    assert endless == pytest.approx(partial.value, rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    mean_gap=st.floats(-2.0, 2.0),
    weight=st.floats(0.1, 3.0),
    noise=st.floats(0.0, 3.0),
    options=st.integers(2, 4),
    n0=st.floats(0.1, 50.0),
    seed=st.integers(0, 1_000),
)
def test_sample_information_is_bounded_by_partial_and_perfect_information(
    mean_gap: float, weight: float, noise: float, options: int, n0: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    draws = 2_000
    theta = rng.normal(size=draws)
    slopes = rng.normal(size=options) * weight
    costs = mean_gap * np.arange(options) + np.outer(theta, slopes)
    costs += rng.normal(scale=noise, size=costs.shape)
    perfect = evpi(costs)
    partial = evppi(costs, theta)
    sizes = np.array([0, 1, 2, 5, 10, 50, 200, 1_000])
    sample = evsi(partial, sizes, n0)
    assert 0.0 <= partial.value <= perfect.value
    assert np.all(sample >= 0.0)
    assert np.all(sample <= partial.value + 1e-12)
    assert np.all(np.diff(sample) >= -1e-12)


def test_prior_sample_sizes() -> None:
    assert normal_prior_sample_size(4.0, 36.0) == 9.0
    # Beta(2, 8): mean 0.2, variance 2·8 / (10² · 11).
    assert beta_prior_sample_size(0.2, 16 / 1100) == pytest.approx(10.0)
    # Gamma(shape 3, rate 20 person-years): mean 0.15, variance 3 / 400.
    assert gamma_prior_exposure(0.15, 3 / 400) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="rate"):
        beta_prior_sample_size(1.2, 0.01)


def test_the_best_study_size_maximises_value_net_of_cost() -> None:
    sizes = np.arange(1.0, 6.0)
    design = best_study(sizes, [10.0, 18.0, 24.0, 27.0, 28.0], 5.0 * sizes)
    assert design.best_size == 3.0
    assert design.best_net == 9.0
    assert list(design.net) == [5.0, 8.0, 9.0, 7.0, 3.0]


def test_an_input_with_many_ties_is_regressed_on_its_shared_ranks() -> None:
    # θ rounded to one decimal: about 80 distinct values, each shared by hundreds of draws.
    rng = np.random.default_rng(12)
    theta = np.round(rng.normal(0.5, 1.5, 40_000), 1)
    costs = two_options(theta, rng.normal(0.0, 1.0, theta.size))
    assert np.unique(theta).size > 26  # the spline, not one indicator per value
    assert evppi(costs, theta).value == pytest.approx(normal_loss(0.5, 1.5), rel=0.05)
