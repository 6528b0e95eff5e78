"""Pilot evaluation: published interval values, scipy cross-checks, Monte Carlo for P(better),
sample-size boundaries, and GO / EXTEND / STOP examples."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from sourcewise.governance.kpis import Direction
from sourcewise.governance.pilot import (
    MeanCriterion,
    ProportionCriterion,
    Recommendation,
    SampleStats,
    Verdict,
    clopper_pearson_interval,
    evaluate_pilot,
    mean_interval,
    mean_more_needed,
    newcombe_difference_interval,
    posterior_probability_meets,
    probability_better,
    proportion_more_needed,
    welch_difference,
    wilson_interval,
)

LOWER, HIGHER = Direction.LOWER_IS_BETTER, Direction.HIGHER_IS_BETTER
Z95 = 1.959963984540054


def r4(x: float) -> float:
    return round(x, 4)


# --- Intervals for a single proportion ------------------------------------------------------

# Newcombe (1998a), Stat Med 17:857–872, Table I: methods 3 (Wilson) and 5 (Clopper–Pearson).
NEWCOMBE_TABLE_I = [
    (81, 263, (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0, 0.1611), (0.0, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize(("k", "n", "wilson", "exact"), NEWCOMBE_TABLE_I)
def test_intervals_match_newcombe_1998_table_i(
    k: int, n: int, wilson: tuple[float, float], exact: tuple[float, float]
) -> None:
    w, cp = wilson_interval(k, n), clopper_pearson_interval(k, n)
    assert (r4(w.low), r4(w.high)) == wilson
    assert (r4(cp.low), r4(cp.high)) == exact


def test_wilson_hand_values_for_ten_trials() -> None:
    # 0/10: the upper bound is z²/(n + z²); 10/10 mirrors it; 5/10 is symmetric about 0.5.
    z2 = Z95**2
    w = wilson_interval(0, 10)
    assert (w.low, w.high) == pytest.approx((0.0, z2 / (10 + z2)), abs=1e-12)
    w = wilson_interval(10, 10)
    assert (w.low, w.high) == pytest.approx((10 / (10 + z2), 1.0), abs=1e-12)
    w = wilson_interval(5, 10)
    half = Z95 / (1 + z2 / 10) * math.sqrt(0.25 / 10 + z2 / 400)
    assert (w.low, w.high) == pytest.approx((0.5 - half, 0.5 + half), abs=1e-12)
    assert (r4(w.low), r4(w.high)) == (0.2366, 0.7634)


GRID = [(k, n) for n in (1, 2, 7, 30, 101, 1000) for k in sorted({0, 1, n // 3, n // 2, n - 1, n})]


@pytest.mark.parametrize(("k", "n"), GRID)
@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_intervals_match_scipy_binomtest(k: int, n: int, confidence: float) -> None:
    result = stats.binomtest(k, n)
    exact = result.proportion_ci(confidence_level=confidence, method="exact")
    wilson = result.proportion_ci(confidence_level=confidence, method="wilson")
    cp, w = clopper_pearson_interval(k, n, confidence), wilson_interval(k, n, confidence)
    assert (cp.low, cp.high) == pytest.approx((exact.low, exact.high), abs=1e-10)
    assert (w.low, w.high) == pytest.approx((wilson.low, wilson.high), abs=1e-10)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_estimate_and_narrows_with_n(kn: tuple[int, int]) -> None:
    k, n = kn
    w, wider_sample = wilson_interval(k, n), wilson_interval(2 * k, 2 * n)
    assert 0.0 <= w.low <= k / n <= w.high <= 1.0
    assert wider_sample.high - wider_sample.low < w.high - w.low
    cp = clopper_pearson_interval(k, n)
    assert 0.0 <= cp.low <= k / n <= cp.high <= 1.0


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: wilson_interval(11, 10), "k"),
        (lambda: wilson_interval(0, 0), "n"),
        (lambda: wilson_interval(-1, 10), "k"),
        (lambda: clopper_pearson_interval(1, 10, 1.0), "confidence"),
        (lambda: wilson_interval(1, 10, 0.0), "confidence"),
        (lambda: ProportionCriterion("d", 1.5, LOWER, 1, 10), "target"),
        (lambda: ProportionCriterion("d", 0.02, LOWER, 11, 10), "events"),
        (lambda: ProportionCriterion("d", 0.02, LOWER, 1, 0), "trials"),
        (lambda: ProportionCriterion("d", 0.02, LOWER, 1, 10, 5, 4), "baseline_events"),
        (lambda: ProportionCriterion("d", 0.02, LOWER, 1, 10, 5), "baseline_trials"),
        (lambda: MeanCriterion("m", 3.0, LOWER, (1.0,)), "values"),
        (lambda: MeanCriterion("m", None, LOWER, (1.0, 2.0)), "target"),
        (lambda: MeanCriterion("m", None, LOWER, (1.0, 2.0), target_is_baseline=True), "baseline"),
        (lambda: evaluate_pilot([]), "criteria"),
    ],
)
def test_validation_names_the_field(call: object, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        call()  # type: ignore[operator]


# --- Posterior probabilities -----------------------------------------------------------------


@pytest.mark.parametrize(("k", "n", "target"), [(6, 500, 0.02), (0, 20, 0.05), (19, 20, 0.9)])
def test_posterior_probability_is_the_beta_cdf(k: int, n: int, target: float) -> None:
    jeffreys = stats.beta(0.5 + k, 0.5 + n - k)
    assert posterior_probability_meets(k, n, target, LOWER) == pytest.approx(
        jeffreys.cdf(target), abs=1e-12
    )
    assert posterior_probability_meets(k, n, target, HIGHER) == pytest.approx(
        jeffreys.sf(target), abs=1e-12
    )
    uniform = stats.beta(1 + k, 1 + n - k)
    assert posterior_probability_meets(k, n, target, LOWER, (1, 1)) == pytest.approx(
        uniform.cdf(target), abs=1e-12
    )


@pytest.mark.parametrize(
    ("k", "n", "k0", "n0"),
    [(6, 500, 15, 600), (0, 20, 3, 20), (5, 5, 0, 5), (5, 20, 50_000, 1_000_000), (0, 1, 1, 1)],
)
def test_probability_better_matches_monte_carlo(k: int, n: int, k0: int, n0: int) -> None:
    rng = np.random.default_rng(20240601)
    x = rng.beta(0.5 + k, 0.5 + n - k, 1_000_000)
    y = rng.beta(0.5 + k0, 0.5 + n0 - k0, 1_000_000)
    assert probability_better(k, n, k0, n0, LOWER) == pytest.approx(np.mean(x < y), abs=3e-3)
    assert probability_better(k, n, k0, n0, HIGHER) == pytest.approx(np.mean(x > y), abs=3e-3)


def test_probability_better_against_a_near_point_mass_baseline() -> None:
    # A baseline of 50 000 in 1 000 000 is almost a point mass at 5 %, so P(pilot rate below
    # it) is close to the pilot posterior's cdf at 5 %: a tail of about 0.001 that a quadrature
    # over the wrong variable steps straight over.
    expected = stats.beta.cdf(0.05, 5.5, 15.5)
    assert probability_better(5, 20, 50_000, 1_000_000, LOWER) == pytest.approx(expected, rel=0.05)
    assert probability_better(50_000, 1_000_000, 5, 20, HIGHER) == pytest.approx(expected, rel=0.05)


@given(st.integers(0, 60), st.integers(0, 60), st.integers(1, 60), st.integers(1, 60))
def test_probability_better_is_complementary_and_antisymmetric(
    a: int, b: int, n: int, n0: int
) -> None:
    k, k0 = min(a, n), min(b, n0)
    lower = probability_better(k, n, k0, n0, LOWER)
    assert lower + probability_better(k, n, k0, n0, HIGHER) == pytest.approx(1.0, abs=1e-6)
    assert lower == pytest.approx(1.0 - probability_better(k0, n0, k, n, LOWER), abs=1e-6)


def test_newcombe_difference_matches_newcombe_1998_table_ii() -> None:
    # Newcombe (1998b), Stat Med 17:873–890, Table II, method 10.
    d = newcombe_difference_interval(56, 70, 48, 80)
    assert (r4(d.low), r4(d.high)) == (0.0524, 0.3339)
    d = newcombe_difference_interval(9, 10, 3, 10)
    assert (r4(d.low), r4(d.high)) == (0.1705, 0.8090)
    # 0/10 − 0/20: both distances are the other sample's Wilson upper bound.
    d = newcombe_difference_interval(0, 10, 0, 20)
    assert (d.low, d.high) == pytest.approx(
        (-wilson_interval(0, 20).high, wilson_interval(0, 10).high), abs=1e-12
    )


# --- Sample size still needed ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "n", "target", "direction"),
    [(6, 500, 0.02, LOWER), (0, 20, 0.05, LOWER), (480, 500, 0.95, HIGHER), (93, 100, 0.9, HIGHER),
     (1, 3, 0.5, LOWER), (3, 1000, 0.0031, LOWER)],
)  # fmt: skip
def test_proportion_more_needed_is_the_first_n_that_clears(
    k: int, n: int, target: float, direction: Direction
) -> None:
    m = proportion_more_needed(k, n, target, direction)
    assert m is not None
    assert m > 0

    def clears(total: int) -> bool:
        # Independent of the module: the Wilson interval is {p : (p̂ − p)² ≤ z² p(1 − p)/N},
        # so with p̂ on the good side the bound clears t exactly when (t − p̂)² ≥ z² t(1 − t)/N.
        return (target - k / n) ** 2 >= Z95**2 * target * (1 - target) / total

    assert clears(n + m)
    assert not clears(n + m - 1)


def test_proportion_more_needed_edge_cases() -> None:
    assert proportion_more_needed(1, 1000, 0.02, LOWER) == 0  # already clears
    assert proportion_more_needed(30, 1000, 0.02, LOWER) is None  # rate above target
    assert proportion_more_needed(20, 1000, 0.02, LOWER) is None  # rate at target
    assert proportion_more_needed(90, 100, 0.95, HIGHER) is None
    assert proportion_more_needed(0, 10, 0.0, LOWER) is None  # the bound never reaches 0


@pytest.mark.parametrize(
    ("values", "target", "direction"),
    [((2.5, 2.8, 3.1, 2.2, 2.9, 2.4), 3.0, LOWER), ((4, 5, 4, 3, 5, 4, 4, 5), 4.0, HIGHER)],
)
def test_mean_more_needed_is_the_first_n_that_clears(
    values: tuple[float, ...], target: float, direction: Direction
) -> None:
    s = SampleStats.of(values)
    m = mean_more_needed(s, target, direction)
    assert m is not None
    assert m > 0

    def bound(total: int) -> float:
        half = float(stats.t.ppf(0.975, total - 1)) * s.sd / math.sqrt(total)
        return s.mean + half if direction is LOWER else s.mean - half

    def clears(total: int) -> bool:
        return bound(total) <= target if direction is LOWER else bound(total) >= target

    assert clears(s.n + m)
    assert not clears(s.n + m - 1)
    assert mean_more_needed(s, s.mean, direction) is None


# --- Means ---------------------------------------------------------------------------------


def test_mean_interval_and_welch_match_scipy() -> None:
    pilot = (4.0, 5.0, 4.0, 3.0, 5.0, 4.0, 4.0, 5.0, 2.0, 5.0)
    base = (3.0, 4.0, 4.0, 3.0, 2.0, 4.0, 3.0, 5.0, 3.0, 4.0, 3.0, 3.0)
    iv = mean_interval(pilot, 0.9)
    ref = stats.t.interval(0.9, len(pilot) - 1, np.mean(pilot), stats.sem(pilot))
    assert (iv.low, iv.high) == pytest.approx(ref, abs=1e-12)
    d, d_iv, _, df = welch_difference(SampleStats.of(pilot), SampleStats.of(base))
    test = stats.ttest_ind(pilot, base, equal_var=False)
    ci = test.confidence_interval(0.95)
    assert d == pytest.approx(np.mean(pilot) - np.mean(base), abs=1e-12)
    assert (d_iv.low, d_iv.high) == pytest.approx((ci.low, ci.high), abs=1e-10)
    assert df == pytest.approx(test.df, abs=1e-10)


def test_mean_criterion_posterior_and_baseline_comparison() -> None:
    values = (4.0, 5.0, 4.0, 3.0, 5.0, 4.0, 4.0, 5.0)
    base = SampleStats(3.9, 0.8, 200)
    crit = MeanCriterion("satisfaction", None, HIGHER, values, baseline_stats=base,
                         target_is_baseline=True)  # fmt: skip
    r = evaluate_pilot([crit]).results[0]
    s = SampleStats.of(values)
    assert r.target == 3.9
    # Flat prior: μ | data ~ x̄ + s/√n · t(n − 1).
    expected = stats.t.sf((3.9 - s.mean) / (s.sd / math.sqrt(s.n)), s.n - 1)
    assert r.p_meets_target == pytest.approx(expected, abs=1e-12)
    assert r.baseline is not None
    d, _, se, df = welch_difference(s, base)
    assert r.baseline.p_better == pytest.approx(stats.t.cdf(d / se, df), abs=1e-12)
    # The same baseline given as raw values gives the same comparison.
    base_values = tuple(float(x) for x in (3, 4, 4, 3, 5, 4, 4))
    a = evaluate_pilot([MeanCriterion("m", 4.0, HIGHER, values, base_values)]).results[0]
    b = evaluate_pilot([MeanCriterion("m", 4.0, HIGHER, values, None,
                                      SampleStats.of(base_values))]).results[0]  # fmt: skip
    assert a == b


# --- Verdicts and recommendation ------------------------------------------------------------


def test_go_when_every_criterion_passes() -> None:
    ev = evaluate_pilot(
        [
            ProportionCriterion("defect rate", 0.02, LOWER, 2, 1000),
            ProportionCriterion("on-time rate", 0.95, HIGHER, 990, 1000),
            MeanCriterion("cycle time", 3.0, LOWER, (2.0, 2.1, 1.9, 2.2, 2.0, 1.8)),
        ]
    )
    assert ev.recommendation is Recommendation.GO
    assert all(r.verdict is Verdict.PASS and r.more_needed == 0 for r in ev.results)
    assert ev.reasons[0].startswith("Go: all 3 criteria pass")


def test_stop_when_any_criterion_fails() -> None:
    ev = evaluate_pilot(
        [
            ProportionCriterion("defect rate", 0.02, LOWER, 60, 500),
            ProportionCriterion("on-time rate", 0.95, HIGHER, 490, 500),
        ]
    )
    assert ev.recommendation is Recommendation.STOP
    defect = ev.results[0]
    assert defect.verdict is Verdict.FAIL
    assert defect.interval.low > 0.02
    assert defect.more_needed is None
    assert "defect rate" in ev.reasons[0]


def test_extend_says_how_many_more_items() -> None:
    crit = ProportionCriterion("defect rate", 0.02, LOWER, 6, 500, 15, 600)
    ev = evaluate_pilot([crit])
    assert ev.recommendation is Recommendation.EXTEND
    r = ev.results[0]
    assert r.verdict is Verdict.INCONCLUSIVE
    assert r.interval.low < 0.02 < r.interval.high
    assert r.more_needed == proportion_more_needed(6, 500, 0.02, LOWER)
    assert r.exact_interval == clopper_pearson_interval(6, 500)
    assert r.p_meets_target == pytest.approx(stats.beta.cdf(0.02, 6.5, 494.5), abs=1e-12)
    assert r.baseline is not None
    assert r.baseline.difference == pytest.approx(6 / 500 - 15 / 600)
    assert r.baseline.interval == newcombe_difference_interval(6, 500, 15, 600)
    assert r.reason.startswith("defect rate 1.2 % (95 % Wilson 0.55 %–2.6 %) from 500 items; ")
    assert f"P(rate ≤ 2 %) = {r.p_meets_target:.2f}" in r.reason
    assert f"{r.more_needed} more items at this rate would clear the target" in r.reason
    assert f"defect rate needs about {r.more_needed} more items" in ev.reasons[0]


def test_duplicate_names_are_rejected() -> None:
    crit = ProportionCriterion("defect rate", 0.02, LOWER, 6, 500)
    with pytest.raises(ValueError, match="unique"):
        evaluate_pilot([crit, crit])
