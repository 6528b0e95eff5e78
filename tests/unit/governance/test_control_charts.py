import math

import numpy as np
import pytest

from sourcewise.governance.control_charts import (
    D2,
    WESTERN_ELECTRIC_RULES,
    Rule,
    Side,
    Signal,
    XmRChart,
    drift_signals,
    episodes,
    ewma_chart,
    ewma_signals,
    western_electric_signals,
    xmr_chart,
)
from sourcewise.governance.kpis import Direction


def unit_chart() -> XmRChart:
    """Centre 0, sigma exactly 1: zones at ±1, ±2, ±3."""
    return XmRChart(
        centre=0.0,
        mr_bar=D2,
        sigma=1.0,
        upper=3.0,
        lower=-3.0,
        mr_upper=3.267 * D2,
        moving_ranges=(),
        baseline=2,
    )


def fired(values: list[float], rule: Rule) -> list[tuple[int, str]]:
    return [(s.index, s.side) for s in western_electric_signals(values, unit_chart(), [rule])]


# --- XmR chart ---------------------------------------------------------------------------------


def test_xmr_hand_computed() -> None:
    # mean = (10 + 12 + 11 + 15 + 12) / 5 = 60 / 5 = 12
    # moving ranges 2, 1, 4, 3 → MR-bar = 10 / 4 = 2.5; sigma = 2.5 / 1.128
    # limits = 12 ± 3 · 2.5 / 1.128 = 12 ± 7.5 / 1.128
    chart = xmr_chart([10, 12, 11, 15, 12])
    assert chart.centre == pytest.approx(12.0, abs=1e-12)
    assert chart.mr_bar == pytest.approx(2.5, abs=1e-12)
    assert chart.sigma == pytest.approx(2.5 / 1.128, abs=1e-12)
    assert chart.upper == pytest.approx(12 + 7.5 / 1.128, abs=1e-12)
    assert chart.lower == pytest.approx(12 - 7.5 / 1.128, abs=1e-12)
    assert chart.upper - chart.centre == pytest.approx(2.66 * 2.5, rel=1e-3)
    assert chart.mr_upper == pytest.approx(3.267 * 2.5, abs=1e-12)
    assert chart.moving_ranges == (2.0, 1.0, 4.0, 3.0)
    assert chart.baseline == 5


def test_xmr_limits_stay_within_what_the_measure_can_take() -> None:
    # Incident counts 0, 0, 1, 0, 0, 3, 0: centre 4/7, MR-bar 8/6, so centre − 3σ̂ is about −3;
    # a count is never negative, so the lower limit is 0 and the upper one is untouched.
    counts = [0, 0, 1, 0, 0, 3, 0]
    free = xmr_chart(counts)
    assert free.lower < -2.9
    floored = xmr_chart(counts, bounds=(0.0, None))
    assert floored.lower == 0.0
    assert floored.upper == pytest.approx(free.upper)
    assert floored.sigma == pytest.approx(free.sigma)  # the rules' zones do not move
    # A percentage near 100 keeps its upper limit at 100; a limit already inside stays.
    near_full = xmr_chart([99.9, 98.0, 99.95, 97.5, 99.9], bounds=(0.0, 100.0))
    assert near_full.upper == 100.0
    assert near_full.lower == pytest.approx(xmr_chart([99.9, 98.0, 99.95, 97.5, 99.9]).lower)
    assert western_electric_signals(counts, floored) == western_electric_signals(counts, free)


def test_xmr_baseline_uses_only_first_points() -> None:
    # baseline 10, 12, 11: mean 11, moving ranges 2, 1 → MR-bar 1.5; later points ignored
    chart = xmr_chart([10, 12, 11, 15, 100], baseline=3)
    assert chart.centre == pytest.approx(11.0, abs=1e-12)
    assert chart.mr_bar == pytest.approx(1.5, abs=1e-12)
    assert chart.upper == pytest.approx(11 + 4.5 / 1.128, abs=1e-12)
    assert chart.moving_ranges == (2.0, 1.0, 4.0, 85.0)
    assert chart.baseline == 3


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ([1.0, 2.0, 3.0, math.nan], r"values\[3\]"),
        ([1.0, math.inf, 3.0], r"values\[1\]"),
        ([1.0], "at least 2"),
        ([], "at least 2"),
        ([[1.0, 2.0], [3.0, 4.0]], "one-dimensional"),
    ],
)
def test_xmr_rejects_bad_series(values: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        xmr_chart(values)
    with pytest.raises(ValueError, match=match):
        drift_signals(values)


@pytest.mark.parametrize("baseline", [0, 1, 6])
def test_xmr_rejects_bad_baseline(baseline: int) -> None:
    with pytest.raises(ValueError, match="baseline"):
        xmr_chart([1, 2, 3, 4, 5], baseline=baseline)


def test_flat_baseline_disables_sigma_rules_without_warnings() -> None:
    # MR-bar = 0 → sigma 0: a huge jump is not "beyond 3 sigma", but 8 above the centre still is.
    values = [5.0] * 10 + [50.0] * 8
    chart = xmr_chart(values, baseline=10)
    assert chart.sigma == 0.0
    assert chart.upper == chart.lower == 5.0
    signals = western_electric_signals(values, chart)
    assert [(s.index, s.rule) for s in signals] == [(17, Rule.EIGHT_ON_ONE_SIDE)]
    assert ewma_signals(ewma_chart(values, baseline=10)) == ()


# --- Western Electric rules on exact patterns (centre 0, sigma 1) ------------------------------


def test_rule1_strictly_beyond_three_sigma() -> None:
    assert fired([0, 3.0, -3.0, 3.01, 0, -3.5], Rule.BEYOND_3_SIGMA) == [
        (3, Side.ABOVE),
        (5, Side.BELOW),
    ]


def test_rule2_two_of_three_on_the_same_side() -> None:
    # 2.5 at 1 and 3: the window 1..3 holds two beyond 2σ and ends on one of them.
    assert fired([0, 2.5, 0, 2.5, 0], Rule.TWO_OF_THREE_BEYOND_2_SIGMA) == [(3, Side.ABOVE)]
    # Opposite sides do not combine.
    assert fired([0, 2.5, -2.5, 0], Rule.TWO_OF_THREE_BEYOND_2_SIGMA) == []
    # Two at the very start are 2 of the first 3 points.
    assert fired([-2.5, -2.5, 0], Rule.TWO_OF_THREE_BEYOND_2_SIGMA) == [(1, Side.BELOW)]
    # 2.5, 0, 0, 2.5: never two within three consecutive points.
    assert fired([2.5, 0, 0, 2.5], Rule.TWO_OF_THREE_BEYOND_2_SIGMA) == []


def test_rule3_four_of_five_beyond_one_sigma() -> None:
    assert fired([1.5, 1.5, 0, 1.5, 1.5, 0], Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA) == [(4, Side.ABOVE)]
    assert fired([1.5, 1.5, 0, 1.5, 0, 1.5], Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA) == []


def test_rule4_eight_in_a_row_fires_at_each_point_of_the_run() -> None:
    values = [0.1] * 7 + [0.0] + [-0.1] * 9
    # 7 above then a point on the centre line (breaks the run), then 9 below → fires at 15, 16.
    assert fired(values, Rule.EIGHT_ON_ONE_SIDE) == [(15, Side.BELOW), (16, Side.BELOW)]
    signal = western_electric_signals(values, unit_chart(), [Rule.EIGHT_ON_ONE_SIDE])[0]
    assert signal.description == "8 points in a row below the centre line (0)"


def test_unknown_rules_rejected() -> None:
    with pytest.raises(ValueError, match="ewma_signals"):
        western_electric_signals([1, 2, 3], unit_chart(), [Rule.EWMA_BEYOND_LIMIT])


# --- Synthetic series with known shifts ---------------------------------------------------------


def test_spike_beyond_three_sigma_fires_rule1_at_exactly_that_point() -> None:
    rng = np.random.default_rng(6)
    values = rng.normal(10.0, 1.0, 60)
    chart = xmr_chart(values, baseline=30)
    assert western_electric_signals(values, chart, [Rule.BEYOND_3_SIGMA]) == ()
    values[45] = chart.centre + 5 * chart.sigma
    rule1 = western_electric_signals(values, chart, [Rule.BEYOND_3_SIGMA])
    assert [(s.index, s.side) for s in rule1] == [(45, Side.ABOVE)]
    assert rule1[0].description.startswith(f"Value {values[45]:.4g} is above the upper control")


def test_step_shift_of_two_sigma_detected_soon_after_and_not_before() -> None:
    rng = np.random.default_rng(2)
    values = np.concatenate([rng.normal(10.0, 1.0, 30), rng.normal(12.0, 1.0, 20)])
    signals = drift_signals(values, baseline=30)
    assert min(s.index for s in signals) >= 30
    assert all(s.side is Side.ABOVE for s in signals)
    first: dict[Rule, int] = {}
    for s in signals:
        first.setdefault(s.rule, s.index)
    # 8 in a row cannot fire before the 8th shifted point (index 37).
    assert 37 <= first[Rule.EIGHT_ON_ONE_SIDE] <= 40
    assert 30 <= first[Rule.EWMA_BEYOND_LIMIT] <= 35


def test_linear_trend_caught_on_the_bad_side_only() -> None:
    rng = np.random.default_rng(11)
    t = np.arange(80)
    values = rng.normal(100.0, 2.0, 80) + 0.15 * t  # e.g. handling time creeping up
    bad = drift_signals(values, baseline=20, direction=Direction.LOWER_IS_BETTER)
    assert bad
    assert all(s.side is Side.ABOVE for s in bad)
    assert {s.rule for s in bad} >= {Rule.EIGHT_ON_ONE_SIDE, Rule.EWMA_BEYOND_LIMIT}
    assert bad[-1].index == 79  # still drifting at the end
    # For a KPI where higher is better the same trend is an improvement: no alert above.
    good = drift_signals(values, baseline=20, direction="higher_is_better")
    assert all(s.side is Side.BELOW for s in good)
    assert len(good) < len(bad)


def test_direction_filter_keeps_only_the_bad_side() -> None:
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.normal(95.0, 1.0, 30), rng.normal(91.0, 1.0, 15)])
    everything = drift_signals(values, baseline=30)
    assert any(s.side is Side.BELOW for s in everything)
    higher = drift_signals(values, baseline=30, direction="higher_is_better")
    lower = drift_signals(values, baseline=30, direction=Direction.LOWER_IS_BETTER)
    assert higher == tuple(s for s in everything if s.side is Side.BELOW)
    assert lower == tuple(s for s in everything if s.side is Side.ABOVE)
    with pytest.raises(ValueError, match="sideways"):
        drift_signals(values, direction="sideways")


def test_signals_sorted_by_index_then_rule() -> None:
    rng = np.random.default_rng(2)
    values = np.concatenate([rng.normal(10.0, 1.0, 30), rng.normal(13.0, 1.0, 20)])
    signals = drift_signals(values, baseline=30)
    order = list(Rule)
    keys = [(s.index, order.index(s.rule)) for s in signals]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)


def test_rule1_false_alarm_rate_in_control() -> None:
    # P(|Z| > 3) = 0.27 %; with sigma from the moving range the rate should be close to it.
    values = np.random.default_rng(2024).normal(0.0, 1.0, 200_000)
    chart = xmr_chart(values)
    rate = len(western_electric_signals(values, chart, [Rule.BEYOND_3_SIGMA])) / values.size
    assert 0.0015 <= rate <= 0.0040
    assert chart.sigma == pytest.approx(1.0, abs=0.01)


def test_all_rules_is_default() -> None:
    values = [0, 2.5, 2.5, 3.5, 1.5, 1.5] + [0.5] * 8
    every = western_electric_signals(values, unit_chart())
    assert {s.rule for s in every} == set(WESTERN_ELECTRIC_RULES)


# --- EWMA ---------------------------------------------------------------------------------------


def test_ewma_recursion_by_hand() -> None:
    # z1 = 0.2·10 + 0.8·10 = 10; z2 = 0.2·12 + 0.8·10 = 10.4; z3 = 0.2·11 + 0.8·10.4 = 10.52
    # half-width at t: 3·sqrt(0.2/1.8·(1 − 0.8^(2t))): t=1 → 3·sqrt(0.04) = 0.6
    chart = ewma_chart([10.0, 12.0, 11.0], centre=10.0, sigma=1.0)
    assert chart.z == pytest.approx((10.0, 10.4, 10.52), abs=1e-12)
    assert chart.upper[0] == pytest.approx(10.6, abs=1e-12)
    assert chart.lower[0] == pytest.approx(9.4, abs=1e-12)
    assert chart.upper[2] == pytest.approx(10 + 3 * math.sqrt(0.2 / 1.8 * (1 - 0.8**6)), abs=1e-12)


def test_ewma_limits_widen_to_the_asymptote() -> None:
    chart = ewma_chart(np.zeros(200) + np.arange(200) % 2, lam=0.2, width=3.0)
    half = np.asarray(chart.upper) - chart.centre
    assert np.all(np.diff(half) >= 0)
    assert half[-1] == pytest.approx(3 * chart.sigma * math.sqrt(0.2 / 1.8), rel=1e-12)


def test_ewma_lambda_one_is_the_individuals_chart() -> None:
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0]
    chart = ewma_chart(values, lam=1.0)
    xmr = xmr_chart(values)
    assert chart.z == pytest.approx(tuple(values), abs=1e-12)
    assert chart.upper == pytest.approx((xmr.upper,) * 6, abs=1e-12)
    assert chart.centre == pytest.approx(xmr.centre, abs=1e-12)


def test_ewma_signals_sides() -> None:
    chart = ewma_chart([0.0, 5.0, 0.0, -10.0, -10.0], centre=0.0, sigma=1.0)
    # z: 0, 1.0, 0.8, -1.36, -3.088; half-widths 3·sqrt(0.2/1.8·(1 − 0.8^(2t))):
    # 0.6, 0.768, 0.859, 0.912, 0.945 → 0.8 at t = 3 is inside; the rest outside.
    signals = ewma_signals(chart)
    assert [(s.index, s.side, s.rule) for s in signals] == [
        (1, Side.ABOVE, Rule.EWMA_BEYOND_LIMIT),
        (3, Side.BELOW, Rule.EWMA_BEYOND_LIMIT),
        (4, Side.BELOW, Rule.EWMA_BEYOND_LIMIT),
    ]
    assert "above its limit" in signals[0].description


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lam": 0.0}, "lam"),
        ({"lam": 1.5}, "lam"),
        ({"width": 0.0}, "width"),
        ({"sigma": -1.0}, "sigma"),
        ({"sigma": math.nan}, "sigma"),
        ({"centre": math.inf}, "centre"),
        ({"baseline": 9}, "baseline"),
    ],
)
def test_ewma_rejects_bad_parameters(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ewma_chart([1.0, 2.0, 3.0], **kwargs)  # type: ignore[arg-type]


def test_episodes_split_a_rule_where_its_patterns_stop_touching() -> None:
    def at(*indices: int, rule: Rule = Rule.TWO_OF_THREE_BEYOND_2_SIGMA) -> list[Signal]:
        return [Signal(i, rule, Side.ABOVE, f"at {i}") for i in indices]

    # 2 of 3: signals 3 points apart still share a pattern edge; 4 apart do not.
    found = episodes(at(5, 8, 12))
    assert [(e.first, e.last, e.points, e.description) for e in found] == [
        (5, 8, 2, "at 5"),
        (12, 12, 1, "at 12"),
    ]
    # One point beyond 3 sigma: only consecutive points are one episode.
    found = episodes(at(3, 4, 6, rule=Rule.BEYOND_3_SIGMA))
    assert [(e.first, e.last, e.points) for e in found] == [(3, 4, 2), (6, 6, 1)]
    # Sides and rules are separate episodes even at the same points.
    mixed = [*at(3), Signal(3, Rule.TWO_OF_THREE_BEYOND_2_SIGMA, Side.BELOW, "b")]
    assert len(episodes(mixed)) == 2
    assert episodes([]) == ()
