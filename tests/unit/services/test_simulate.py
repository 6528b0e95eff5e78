"""The Monte Carlo engine: exactness without uncertainty, analytic checks, properties."""

from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcewise.adapters.scenario_file import load_scenario_file, load_scenario_text
from sourcewise.domain.cost import months, npv, project_option, project_status_quo
from sourcewise.domain.scenario import InputRef, Scenario
from sourcewise.services.simulate import (
    Summary,
    apply_inputs,
    simulate,
    spearman,
)

ROOT = Path(__file__).resolve().parents[3]

BASE = """\
company:
  name: Acme
  home_country: US
  discount_rate: 0.1
  horizon_years: 3
  wage_inflation: 0
functions:
  - name: Support
    kind: it_support
    fte: 10
    current_annual_cost: 1200000
    options:
      - name: Vendor
        employer: third_party
        country: IN
        hourly_rate: {rate}
        billable_hours_per_fte: 1200
        wage_inflation: 0
        governance_overhead: 0
        coordination_loss: 0
        rework_share: 0
        vendor_selection_share: 0
        transition_share: 0
        setup_cost: {setup}
        severance_cost: 0
"""


def scenario(rate: str = "20", setup: str = "0", extra: str = "") -> Scenario:
    found, problems = load_scenario_text(dedent(BASE.format(rate=rate, setup=setup)) + extra)
    assert problems == [], problems
    assert found is not None
    return found


def test_without_uncertainty_the_result_is_the_deterministic_model_exactly() -> None:
    s = scenario()
    sim = simulate(s, draws=50)
    company, function = s.company, s.functions[0]
    option = project_option(company, function.profile, function.options[0])
    status_quo = project_status_quo(company, function.profile)
    result = sim.functions[0].options[0]
    assert result.npv.mean == option.npv
    assert (result.npv.p10, result.npv.p90, result.npv.se) == (option.npv, option.npv, 0.0)
    assert sim.functions[0].status_quo.mean == status_quo.npv
    assert [y.mean for y in result.yearly] == option.yearly.tolist()
    assert result.p_beats_status_quo == 1.0


def test_npv_of_a_constant_stream() -> None:
    # 10 FTE x 20/h x 1,200 h = 240,000 a year = 20,000 a month, flat, from month 1.
    result = simulate(scenario(), draws=10).functions[0].options[0]
    month = months(3)
    expected = sum(20_000 * (1.1) ** (-m / 12) for m in month)
    assert result.npv.mean == pytest.approx(expected, rel=1e-12)
    assert result.price_npv == pytest.approx(expected, rel=1e-12)
    assert result.hidden_cost_share == pytest.approx(0.0, abs=1e-12)


def test_sample_mean_matches_the_analytic_mean_within_its_standard_error() -> None:
    # Cost is linear in the rate, so the mean NPV is the NPV at the mean rate (21 here).
    uncertain = scenario(rate="{dist: triangular, low: 18, mode: 20, high: 25}")
    result = simulate(uncertain, draws=40_000, seed=7).functions[0].options[0]
    at_mean = simulate(scenario(rate="21"), draws=1).functions[0].options[0].npv.mean
    assert abs(result.npv.mean - at_mean) < 4 * result.npv.se
    assert result.npv.p10 < at_mean < result.npv.p90


def test_setup_cost_uncertainty_moves_npv_by_its_discounted_mean() -> None:
    uncertain = scenario(setup="{dist: uniform, low: 0, high: 200000}")
    result = simulate(uncertain, draws=40_000, seed=3).functions[0].options[0]
    plain = simulate(scenario(), draws=1).functions[0].options[0].npv.mean
    expected = plain + 100_000 * 1.1 ** (-1 / 12)  # setup falls in month 1
    assert abs(result.npv.mean - expected) < 4 * result.npv.se


def test_same_seed_same_result_bit_for_bit() -> None:
    s = scenario(rate="{dist: pert, low: 18, mode: 20, high: 25}")
    first = simulate(s, draws=5_000, seed=11, chunk=1_000)
    again = simulate(s, draws=5_000, seed=11, chunk=1_000)
    other = simulate(s, draws=5_000, seed=12, chunk=1_000)
    assert first.functions == again.functions
    assert first.functions != other.functions


def test_chunking_does_not_change_the_answer() -> None:
    s = scenario(rate="{dist: uniform, low: 18, high: 25}")
    whole = simulate(s, draws=3_000, seed=5, chunk=3_000).functions[0].options[0]
    pieces = simulate(s, draws=3_000, seed=5, chunk=700).functions[0].options[0]
    assert whole.npv.mean == pytest.approx(pieces.npv.mean, rel=1e-12)
    assert whole.npv.p90 == pieces.npv.p90


def test_more_draws_shrink_the_standard_error() -> None:
    s = scenario(rate="{dist: uniform, low: 10, high: 30}")
    small = simulate(s, draws=1_000, seed=1).functions[0].options[0].npv.se
    large = simulate(s, draws=16_000, seed=1).functions[0].options[0].npv.se
    assert large < small / 3  # about 1/4 = sqrt(1,000 / 16,000)


def test_probability_of_beating_the_status_quo() -> None:
    # Status quo 1.2M a year; the vendor costs 10 x 1,200 x rate: break-even rate is 100.
    s = scenario(rate="{dist: uniform, low: 50, high: 150}")
    result = simulate(s, draws=40_000, seed=2).functions[0].options[0]
    assert result.p_beats_status_quo == pytest.approx(0.5, abs=4 * result.p_beats_se + 0.01)
    assert 0 < result.break_even.share_never < 1


def test_tornado_and_rank_correlation_point_the_right_way() -> None:
    s = scenario(rate="{dist: uniform, low: 15, high: 25}")
    result = simulate(s, draws=5_000, seed=4).functions[0].options[0]
    [bar] = result.tornado
    assert bar.input == "functions[0].options[0].hourly_rate"
    assert (bar.low_value, bar.high_value) == pytest.approx((16.0, 24.0))
    assert bar.savings_at_low > bar.savings_at_high  # a dearer vendor saves less
    assert result.rank_correlations[bar.input] == pytest.approx(-1.0)


def test_correlated_inputs_keep_their_rank_correlation() -> None:
    extra = (
        "correlations:\n  - between:\n      - functions[0].options[0].hourly_rate\n"
        "      - functions[0].options[0].setup_cost\n    rho: 0.8\n"
    )
    s = scenario(
        rate="{dist: uniform, low: 15, high: 25}",
        setup="{dist: uniform, low: 0, high: 100000}",
        extra=extra,
    )
    result = simulate(s, draws=20_000, seed=9).functions[0].options[0]
    # Both inputs lower the saving, and they move together.
    assert result.rank_correlations["functions[0].options[0].setup_cost"] < -0.5


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=1, max_value=500), st.floats(min_value=0.0, max_value=200))
def test_higher_rates_never_lower_the_cost(rate: float, raise_by: float) -> None:
    s = scenario()
    company, function = s.company, s.functions[0]
    option = function.options[0]
    site = option.sites[0]
    rates = np.array([rate, rate + raise_by])
    dearer = replace(option, sites=(replace(site, hourly_rate=rates),))
    cost = project_option(company, function.profile, dearer).present_value
    assert cost[1] >= cost[0]


def test_draw_limits() -> None:
    with pytest.raises(ValueError, match="draws"):
        simulate(scenario(), draws=0)


def test_spearman_and_summary() -> None:
    x = np.arange(100.0)
    assert spearman(x, x**3) == pytest.approx(1.0)
    assert spearman(x, -x) == pytest.approx(-1.0)
    assert spearman(x, np.ones(100)) == 0.0
    summary = Summary.of(np.arange(1.0, 101.0))
    assert summary.mean == 50.5
    assert summary.p50 == pytest.approx(50.5)
    assert summary.se == pytest.approx(np.std(np.arange(1.0, 101.0), ddof=1) / 10)


def test_npv_helper_is_consistent_with_the_engine() -> None:
    flat = np.full(12, 100.0)
    assert npv(flat, 0.0) == pytest.approx(1200.0)


CAPTIVE = """\
company:
  name: Acme
  home_country: US
  horizon_years: 3
  wage_inflation: 0
functions:
  - name: Support
    kind: it_support
    fte: 10
    current_annual_cost: 1200000
    options:
      - name: Captive
        employer: own
        country: IN
        annual_cost_per_fte: 20000
        wage_inflation: 0
        coordination_loss: 0
        severance_cost: 0
        local_currency_share: {local}
"""


def test_own_staff_abroad_carry_exchange_rate_risk() -> None:
    local, _ = load_scenario_text(dedent(CAPTIVE.format(local="1")))
    fixed, _ = load_scenario_text(dedent(CAPTIVE.format(local="0")))
    assert local is not None
    assert fixed is not None
    with_fx = simulate(local, draws=4_000, seed=8).functions[0].options[0]
    without = simulate(fixed, draws=4_000, seed=8).functions[0].options[0]
    assert without.npv.sd == 0.0
    assert with_fx.npv.sd > 0.0
    # Centred paths: no drift is assumed, so the mean stays close to today's rate.
    assert with_fx.npv.mean == pytest.approx(without.npv.mean, rel=0.02)
    chunked = simulate(local, draws=4_000, seed=8, chunk=900).functions[0].options[0]
    assert chunked.npv.p90 == with_fx.npv.p90


def test_bootstrap_paths() -> None:
    from sourcewise.domain.indicators import bootstrap_fx_paths

    changes = np.array([0.01, -0.02, 0.03, 0.0])
    paths = bootstrap_fx_paths(changes, 5_000, 24, np.random.default_rng(1))
    assert paths.shape == (5_000, 24)
    logs = np.log(paths)
    assert abs(logs[:, -1].mean()) < 4 * logs[:, -1].std() / np.sqrt(5_000)  # centred
    first_steps = set(np.round(logs[:, 0], 10).tolist())
    assert first_steps <= set(np.round(-(changes - changes.mean()), 10).tolist())
    again = bootstrap_fx_paths(changes, 5_000, 24, np.random.default_rng(1))
    assert np.array_equal(paths, again)
    with pytest.raises(ValueError, match="no exchange-rate changes"):
        bootstrap_fx_paths(np.array([]), 1, 1, np.random.default_rng(1))


def test_draws_go_into_the_fields_typed_sampled_and_nowhere_else() -> None:
    s = scenario()
    at_site = InputRef("functions[0].options[0]", "", function=0, option=0, site=0)
    draws = np.array([18.0, 22.0])
    rate = replace(at_site, label="functions[0].options[0].hourly_rate", field="hourly_rate")
    _, _, options = apply_inputs(s.company, s.functions[0], 0, {rate: draws})
    assert options[0].sites[0].hourly_rate is draws
    fte = replace(at_site, label="functions[0].options[0].fte", field="fte")
    with pytest.raises(TypeError, match="Site has no field for draws named fte"):
        apply_inputs(s.company, s.functions[0], 0, {fte: draws})


def test_an_option_lists_only_the_inputs_that_act_on_it() -> None:
    s, problems = load_scenario_file(ROOT / "examples/us-customer-service.yaml")
    assert s is not None, problems
    function = simulate(s, draws=400, seed=1).functions[0]
    prefix = "functions[0].options["
    for j, option in enumerate(function.options):
        others = [
            label
            for label in [*(b.input for b in option.tornado), *option.rank_correlations]
            if label.startswith(prefix) and not label.startswith(f"{prefix}{j}]")
        ]
        assert others == [], option.name
        own = [b.input for b in option.tornado if b.input.startswith(f"{prefix}{j}]")]
        shared = [b.input for b in option.tornado if not b.input.startswith(prefix)]
        assert own or shared  # something is left to show
        assert set(option.rank_correlations) == {b.input for b in option.tornado}
