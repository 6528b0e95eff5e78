"""Uncertain inputs: distributions, their draws, and Iman–Conover rank correlation.

Analytic means and quantiles are worked out in the tests in plain Python; statistical checks use
fixed seeds, so they are deterministic, with tolerances of several standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcewise.domain.uncertainty import (
    Distribution,
    Empirical,
    Fixed,
    LogNormal,
    Normal,
    Pert,
    Triangular,
    Uniform,
    correlate,
    correlation_matrix,
    sample_all,
)

N = 200_000


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of the ranks (inputs here have no ties)."""
    rx = np.argsort(np.argsort(x)).astype(float)
    ry = np.argsort(np.argsort(y)).astype(float)
    return float(np.corrcoef(rx, ry)[0, 1])


def phi(z: float) -> float:
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def big_phi(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


# --- means -----------------------------------------------------------------------------------

# (distribution, its mean worked out by hand)
MEANS = [
    pytest.param(Uniform(10, 20), 15.0, id="uniform"),
    pytest.param(Triangular(10, 12, 15), 37 / 3, id="triangular"),
    pytest.param(Triangular(10, 10, 15), 35 / 3, id="triangular-mode-at-low"),
    pytest.param(Pert(10, 12, 15), (10 + 4 * 12 + 15) / 6, id="pert"),
    pytest.param(Pert(0, 9, 10, lam=2.0), (0 + 2 * 9 + 10) / 4, id="pert-lam-2"),
    pytest.param(Normal(100, 15), 100.0, id="normal"),
    # One-sided truncation at the mean: mu + sd·φ(0)/(1 − Φ(0)) = mu + sd·√(2/π).
    pytest.param(Normal(100, 15, low=100), 100 + 15 * math.sqrt(2 / math.pi), id="normal-half"),
    pytest.param(
        Normal(10, 2, low=5, high=11),
        10 + 2 * (phi(-2.5) - phi(0.5)) / (big_phi(0.5) - big_phi(-2.5)),
        id="normal-two-sided",
    ),
    pytest.param(LogNormal(100, 0.3), 100 * math.exp(0.045), id="lognormal"),
    pytest.param(Empirical((1.0, 2.0, 2.0, 7.0)), 3.0, id="empirical"),
    pytest.param(Fixed(42.5), 42.5, id="fixed"),
]


@pytest.mark.parametrize(("dist", "expected"), MEANS)
def test_mean_property_is_the_analytic_mean(dist: Distribution, expected: float) -> None:
    assert dist.mean == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("dist", "expected"), MEANS)
def test_sample_mean_matches_analytic_mean_within_four_standard_errors(
    dist: Distribution, expected: float
) -> None:
    draws = dist.sample(N, np.random.default_rng(2024))
    assert draws.shape == (N,)
    assert draws.dtype == np.float64
    standard_error = draws.std() / math.sqrt(N)
    assert abs(draws.mean() - expected) <= 4 * standard_error + 1e-12


CONTINUOUS = [case for case in MEANS if case.id not in {"empirical", "fixed"}]


@pytest.mark.parametrize(("dist", "expected"), CONTINUOUS)
def test_ppf_matches_the_quantiles_of_the_draws(dist: Distribution, expected: float) -> None:
    q = np.array([0.1, 0.25, 0.5, 0.75, 0.9])
    draws = dist.sample(N, np.random.default_rng(7))
    spread = float(draws.std())
    assert np.allclose(dist.ppf(q), np.quantile(draws, q), atol=0.02 * spread)


# --- ppf -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dist", "at_0", "at_half", "at_1"),
    [
        pytest.param(Fixed(7), 7.0, 7.0, 7.0, id="fixed"),
        pytest.param(Uniform(10, 20), 10.0, 15.0, 20.0, id="uniform"),
        # Mode left of centre: median = high − √((high − low)(high − mode)/2).
        pytest.param(Triangular(10, 12, 15), 10.0, 15 - math.sqrt(7.5), 15.0, id="triangular"),
        pytest.param(Pert(10, 12.5, 15), 10.0, 12.5, 15.0, id="pert-symmetric"),
        pytest.param(Normal(5, 2), -math.inf, 5.0, math.inf, id="normal"),
        pytest.param(Normal(5, 2, low=3, high=7), 3.0, 5.0, 7.0, id="normal-truncated"),
        pytest.param(LogNormal(100, 0.3), 0.0, 100.0, math.inf, id="lognormal"),
        pytest.param(Empirical((3, 1, 2, 10)), 1.0, 2.0, 10.0, id="empirical"),
    ],
)
def test_ppf_at_0_half_and_1(dist: Distribution, at_0: float, at_half: float, at_1: float) -> None:
    got = dist.ppf(np.array([0.0, 0.5, 1.0]))
    assert got.shape == (3,)
    assert got[0] == at_0
    assert got[1] == pytest.approx(at_half, rel=1e-9)
    assert got[2] == at_1


@pytest.mark.parametrize(
    "dist", [Fixed(1), Uniform(0, 1), Triangular(0, 0.5, 1), Pert(0, 0.5, 1), Normal(0, 1)]
)
@pytest.mark.parametrize("q", [-0.01, 1.01, math.nan])
def test_ppf_rejects_probabilities_outside_0_1(dist: Distribution, q: float) -> None:
    with pytest.raises(ValueError, match=r"probabilities q in 0\.\.1"):
        dist.ppf(np.array([0.5, q]))


def test_ppf_keeps_the_shape_of_q() -> None:
    q = np.array([[0.1, 0.2], [0.8, 0.9]])
    for dist in (Fixed(1), Uniform(0, 1), Triangular(0, 0.2, 1), Empirical((1, 2, 3))):
        assert dist.ppf(q).shape == (2, 2)


def test_empirical_ppf_is_the_inverted_cdf_without_interpolation() -> None:
    dist = Empirical((4, 1, 3, 2))
    # Half the observations are <= 2, so q = 0.5 is 2 and anything above it is 3.
    assert dist.ppf(np.array([0.25, 0.26, 0.5, 0.51, 0.75, 0.76])).tolist() == [
        1.0,
        2.0,
        2.0,
        3.0,
        3.0,
        4.0,
    ]


# --- particular distributions ----------------------------------------------------------------


def test_fixed_is_exactly_its_value_with_zero_variance() -> None:
    draws = Fixed(12.34).sample(1000, np.random.default_rng(0))
    assert np.all(draws == 12.34)
    assert np.ptp(draws) == 0.0  # var() would show rounding in the mean, ~1e-30


def test_fixed_does_not_consume_randomness() -> None:
    rng = np.random.default_rng(5)
    Fixed(1).sample(10, rng)
    assert rng.random() == np.random.default_rng(5).random()


def test_empirical_draws_only_its_values_equally_often() -> None:
    draws = Empirical((1, 2, 3, 4)).sample(N, np.random.default_rng(3))
    values, counts = np.unique(draws, return_counts=True)
    assert values.tolist() == [1.0, 2.0, 3.0, 4.0]
    # Binomial(N, 1/4) sd is ~194; allow 4 of them.
    assert np.all(np.abs(counts - N / 4) < 4 * math.sqrt(N * 0.25 * 0.75))


def test_empirical_normalises_its_values_to_floats() -> None:
    dist = Empirical([1, 2, 3])  # type: ignore[arg-type]
    assert dist.values == (1.0, 2.0, 3.0)
    assert dist == Empirical((1.0, 2.0, 3.0))
    assert hash(dist) == hash(Empirical((1.0, 2.0, 3.0)))


def test_truncated_normal_stays_within_its_bounds() -> None:
    draws = Normal(10, 5, low=8, high=11).sample(N, np.random.default_rng(1))
    assert draws.min() >= 8
    assert draws.max() <= 11


def test_lognormal_from_mean_sd_has_that_mean_and_sd() -> None:
    dist = LogNormal.from_mean_sd(50, 20)
    # sigma² = ln(1 + (20/50)²), median = mean / √(1 + (20/50)²)
    assert dist.sigma == pytest.approx(math.sqrt(math.log(1.16)))
    assert dist.median == pytest.approx(50 / math.sqrt(1.16))
    assert dist.mean == pytest.approx(50)
    draws = dist.sample(N, np.random.default_rng(11))
    assert draws.std() == pytest.approx(20, rel=0.02)


def test_all_distributions_satisfy_the_protocol() -> None:
    for dist in (
        Fixed(1),
        Uniform(0, 1),
        Triangular(0, 1, 2),
        Pert(0, 1, 2),
        Normal(0, 1),
        LogNormal(1, 1),
        Empirical((1,)),
    ):
        assert isinstance(dist, Distribution)


@pytest.mark.parametrize(
    ("dist", "label"),
    [
        (Fixed(5), "fixed(5)"),
        (Uniform(10, 12.5), "uniform(10, 12.5)"),
        (Triangular(10, 12, 15), "triangular(10, 12, 15)"),
        (Pert(10, 12, 15), "pert(10, 12, 15)"),
        (Pert(10, 12, 15, lam=3), "pert(10, 12, 15, lam=3)"),
        (Normal(100, 15), "normal(100, 15)"),
        (Normal(100, 15, low=0), "normal(100, 15, low=0)"),
        (Normal(100, 15, low=0, high=150), "normal(100, 15, low=0, high=150)"),
        (LogNormal(1_200_000, 0.2), "lognormal(median=1200000, sigma=0.2)"),
        (Empirical((3, 1, 9)), "empirical(3 values, 1..9)"),
    ],
)
def test_describe(dist: Distribution, label: str) -> None:
    assert dist.describe() == label


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Fixed(math.nan), "fixed: value must be a finite number"),
        (lambda: Uniform(5, 5), "uniform: low 5 must be below high 5"),
        (lambda: Uniform(0, math.inf), "uniform: high must be a finite number"),
        (lambda: Triangular(10, 20, 15), r"triangular: mode 20 is outside low\.\.high 10\.\.15"),
        (lambda: Triangular(15, 12, 10), "triangular: low 15 must be below high 10"),
        (lambda: Pert(10, 9, 15), r"pert: mode 9 is outside low\.\.high 10\.\.15"),
        (lambda: Pert(10, 12, 15, lam=0), "pert: lam must be positive, got 0"),
        (lambda: Normal(0, 0), "normal: sd must be positive, got 0"),
        (lambda: Normal(0, -1), "normal: sd must be positive, got -1"),
        (lambda: Normal(0, 1, low=2, high=1), "normal: low 2 must be below high 1"),
        (lambda: Normal(0, 1, low=math.nan), "normal: low must be a finite number"),
        (lambda: LogNormal(0, 0.2), "lognormal: median must be positive, got 0"),
        (lambda: LogNormal(10, 0), "lognormal: sigma must be positive, got 0"),
        (lambda: LogNormal.from_mean_sd(-5, 1), "lognormal: mean must be positive, got -5"),
        (lambda: LogNormal.from_mean_sd(5, 0), "lognormal: sd must be positive, got 0"),
        (lambda: Empirical(()), "empirical: values must not be empty"),
        (lambda: Empirical((1.0, math.inf)), "empirical: values must be a finite number"),
    ],
)
def test_invalid_parameters_are_rejected_naming_the_parameter(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_negative_sample_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="n must be zero or more"):
        Uniform(0, 1).sample(-1, np.random.default_rng(0))


# --- correlation -----------------------------------------------------------------------------

TARGETS = {("cost", "volume"): 0.7, ("cost", "fx"): -0.4, ("fx", "volume"): 0.3}


def three_inputs(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "cost": LogNormal(100, 0.5).sample(n, rng),
        "fx": Triangular(10, 12, 15).sample(n, rng),
        "volume": Pert(0, 1, 10).sample(n, rng),
    }


def test_iman_conover_hits_the_target_spearman_and_keeps_the_marginals() -> None:
    samples = three_inputs(20_000, seed=1)
    out = correlate(samples, TARGETS, np.random.default_rng(2))
    for (a, b), rho in TARGETS.items():
        assert spearman(out[a], out[b]) == pytest.approx(rho, abs=0.02)
    for name, draws in samples.items():
        assert np.array_equal(np.sort(out[name]), np.sort(draws))


def test_correlate_passes_uncorrelated_inputs_through_and_keeps_key_order() -> None:
    samples = {"z": np.arange(5.0), **three_inputs(100, seed=3), "a": np.ones(100)}
    out = correlate(samples, TARGETS, np.random.default_rng(0))
    assert list(out) == list(samples)
    assert out["z"] is samples["z"]
    assert out["a"] is samples["a"]


def test_correlate_without_pairs_changes_nothing() -> None:
    samples = three_inputs(100, seed=4)
    rng = np.random.default_rng(9)
    out = correlate(samples, {}, rng)
    assert all(out[name] is samples[name] for name in samples)
    assert rng.random() == np.random.default_rng(9).random()


@pytest.mark.parametrize("rho", [1.0, -1.0])
def test_perfect_rank_correlation_is_allowed(rho: float) -> None:
    samples = three_inputs(2_000, seed=5)
    out = correlate(samples, {("cost", "fx"): rho}, np.random.default_rng(0))
    assert spearman(out["cost"], out["fx"]) == pytest.approx(rho)


def test_a_contradictory_correlation_matrix_is_rejected_not_repaired() -> None:
    # a and b move with c, yet against each other: no such joint distribution exists.
    pairs = {("a", "c"): 0.9, ("b", "c"): 0.9, ("a", "b"): -0.9}
    samples = {name: np.arange(10.0) for name in "abc"}
    with pytest.raises(ValueError, match="correlation matrix of a, b, c is not positive definite"):
        correlate(samples, pairs, np.random.default_rng(0))


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({("cost", "nope"): 0.5}, "'nope' is not among the sampled inputs"),
        ({("cost", "cost"): 0.5}, "pairs an input with itself"),
        ({("cost", "fx"): 1.5}, r"rho 1\.5 is outside -1\.\.1"),
        ({("cost", "fx"): math.nan}, "rho nan is outside"),
        ({("cost", "fx"): 0.5, ("fx", "cost"): 0.6}, "is given twice, as 0.5 and 0.6"),
    ],
)
def test_invalid_correlations_are_rejected(
    pairs: dict[tuple[str, str], float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        correlate(three_inputs(50, seed=0), pairs, np.random.default_rng(0))


def test_the_same_pair_twice_with_the_same_value_is_fine() -> None:
    out = correlate(
        three_inputs(50, seed=0),
        {("cost", "fx"): 0.5, ("fx", "cost"): 0.5},
        np.random.default_rng(0),
    )
    assert set(out) == {"cost", "fx", "volume"}


def test_correlated_inputs_must_have_the_same_length() -> None:
    samples = {"a": np.arange(10.0), "b": np.arange(11.0)}
    with pytest.raises(ValueError, match=r"'b' has shape \(11,\), expected \(10,\)"):
        correlate(samples, {("a", "b"): 0.5}, np.random.default_rng(0))


def test_correlation_matrix_is_symmetric_with_zero_for_unnamed_pairs() -> None:
    matrix = correlation_matrix(("a", "b", "c"), {("b", "a"): 0.5})
    assert matrix.tolist() == [[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]]


def test_tiny_samples_do_not_break_correlate() -> None:
    for n in (0, 1, 2, 3):
        samples = {"a": np.arange(float(n)), "b": np.arange(float(n))[::-1].copy()}
        out = correlate(samples, {("a", "b"): 0.5}, np.random.default_rng(0))
        assert np.array_equal(np.sort(out["a"]), np.arange(float(n)))


# --- sample_all and reproducibility ----------------------------------------------------------

INPUTS: dict[str, Distribution] = {
    "volume": Pert(0, 1, 10),
    "cost": LogNormal(100, 0.5),
    "fx": Triangular(10, 12, 15),
    "setup": Fixed(5_000),
    "wage": Normal(3, 1, low=0),
    "hist": Empirical((1, 2, 3)),
    "uplift": Uniform(0, 1),
}


def test_same_seed_gives_bit_identical_draws_whatever_the_insertion_order() -> None:
    first = sample_all(INPUTS, 1_000, np.random.default_rng(42), TARGETS)
    shuffled = dict(reversed(list(INPUTS.items())))
    second = sample_all(shuffled, 1_000, np.random.default_rng(42), TARGETS)
    assert list(first) == sorted(INPUTS)
    assert list(first) == list(second)
    for name in first:
        assert first[name].tobytes() == second[name].tobytes()


def test_a_different_seed_gives_different_draws() -> None:
    first = sample_all(INPUTS, 1_000, np.random.default_rng(1), TARGETS)
    second = sample_all(INPUTS, 1_000, np.random.default_rng(2), TARGETS)
    assert not np.array_equal(first["cost"], second["cost"])


def test_sample_all_correlates_and_keeps_fixed_inputs_fixed() -> None:
    out = sample_all(INPUTS, 20_000, np.random.default_rng(8), TARGETS)
    assert spearman(out["cost"], out["volume"]) == pytest.approx(0.7, abs=0.02)
    assert np.all(out["setup"] == 5_000)
    assert all(draws.shape == (20_000,) for draws in out.values())


# --- properties ------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
width = st.floats(min_value=1e-2, max_value=1e6, allow_nan=False, allow_infinity=False)
fraction = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=100, deadline=None)
@given(low=finite, span=width, seed=st.integers(0, 2**32 - 1))
def test_uniform_draws_lie_within_low_high(low: float, span: float, seed: int) -> None:
    high = low + span
    draws = Uniform(low, high).sample(500, np.random.default_rng(seed))
    assert np.all((draws >= low) & (draws <= high))


@settings(max_examples=60, deadline=None)
@given(low=finite, span=width, where=fraction)
def test_triangular_mean_is_the_average_of_its_three_points(
    low: float, span: float, where: float
) -> None:
    high = low + span
    mode = min(max(low + where * span, low), high)
    dist = Triangular(low, mode, high)
    assert dist.mean == pytest.approx((low + mode + high) / 3)
    # The mean is also the integral of the quantile function over 0..1 (midpoint rule).
    q = (np.arange(20_000) + 0.5) / 20_000
    assert float(dist.ppf(q).mean()) == pytest.approx(dist.mean, abs=1e-5 * span)


@settings(max_examples=40, deadline=None)
@given(low=finite, span=width, where=fraction, lam=st.floats(0.5, 10))
def test_pert_quantiles_rise_from_low_to_high_and_average_to_the_mean(
    low: float, span: float, where: float, lam: float
) -> None:
    high = low + span
    mode = min(max(low + where * span, low), high)
    dist = Pert(low, mode, high, lam=lam)
    q = (np.arange(4_000) + 0.5) / 4_000
    values = dist.ppf(q)
    assert np.all(np.diff(values) >= 0)
    assert low <= values[0]
    assert values[-1] <= high
    assert float(values.mean()) == pytest.approx(
        (low + lam * mode + high) / (lam + 2), abs=1e-4 * span
    )


@settings(max_examples=40, deadline=None)
@given(rho=st.floats(-1.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_correlate_always_returns_permutations_of_its_inputs(rho: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    samples = {"a": rng.lognormal(size=300), "b": rng.integers(0, 5, size=300).astype(float)}
    out = correlate(samples, {("a", "b"): rho}, rng)
    for name in samples:
        assert np.array_equal(np.sort(out[name]), np.sort(samples[name]))
