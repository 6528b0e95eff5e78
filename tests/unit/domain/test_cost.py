"""Deterministic cost: components, timing conventions, NPV and the comparison with the status quo.

Expected numbers are worked out by hand in each test, in plain Python, never with the module's
own helpers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from domain_factories import (
    goods_profile,
    goods_terms,
    make_company,
    make_option,
    make_profile,
    own_site,
    vendor_site,
    with_share,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sourcewise.domain.cost import (
    COMPONENTS,
    PRICE_COMPONENTS,
    CostProjection,
    compare,
    discount_factors,
    escalation,
    handover_shares,
    landed_cost_per_unit,
    months,
    npv,
    project_option,
    project_status_quo,
    ramp,
    status_quo_monthly,
)
from sourcewise.domain.scenario import DutyBasis


def hand_npv(flows: list[float], rate: float) -> float:
    """Σ cf_m · (1 + r)^(−m/12), months numbered from 1, discounted at month end."""
    return sum(cf * (1.0 + rate) ** (-m / 12.0) for m, cf in enumerate(flows, start=1))


# --- time axis, escalation, ramp -------------------------------------------------------------


def test_months_run_from_one_to_twelve_times_horizon() -> None:
    assert months(2).tolist() == list(range(1, 25))
    assert months(2).dtype == np.float64


def test_escalation_steps_once_a_year() -> None:
    factors = escalation(0.10, months(3))
    assert factors[:12] == pytest.approx([1.0] * 12)
    assert factors[12:24] == pytest.approx([1.1] * 12)
    assert factors[24:] == pytest.approx([1.21] * 12)


def test_escalation_year_boundaries() -> None:
    factors = escalation(0.5, np.array([1.0, 12.0, 13.0, 24.0, 25.0]))
    assert factors.tolist() == pytest.approx([1.0, 1.0, 1.5, 1.5, 2.25])


def test_escalation_broadcasts_over_a_leading_axis_of_draws() -> None:
    rates = np.array([[0.0], [0.1], [-0.1]])
    factors = escalation(rates, months(2))
    assert factors.shape == (3, 24)
    assert factors[:, 12].tolist() == pytest.approx([1.0, 1.1, 0.9])


def test_ramp_is_linear_and_reaches_full_cost_at_the_end_of_transition() -> None:
    assert ramp(4, months(1)).tolist() == pytest.approx([0.25, 0.5, 0.75] + [1.0] * 9)


@pytest.mark.parametrize("transition", [0, -3])
def test_no_transition_means_full_cost_from_month_one(transition: int) -> None:
    assert ramp(transition, months(1)).tolist() == [1.0] * 12


def test_discount_factors_are_end_of_month() -> None:
    factors = discount_factors(0.21, np.array([6.0, 12.0, 24.0]))
    assert factors.tolist() == pytest.approx([1 / 1.1, 1 / 1.21, 1 / 1.21**2])


# --- NPV -------------------------------------------------------------------------------------


def test_npv_of_a_twelve_month_horizon_matches_the_formula() -> None:
    flows = [1_000.0, 2_000.0, 3_000.0, 0.0, -500.0, 800.0, 800.0, 800.0, 800.0, 800.0, 0, 5_000]
    rate = 0.08
    expected = sum(cf * (1.0 + rate) ** (-m / 12.0) for m, cf in enumerate(flows, start=1))
    assert float(npv(np.array(flows, dtype=float), rate)) == pytest.approx(expected, rel=1e-12)


def test_npv_of_a_single_flow_at_month_twelve_is_one_year_discounting() -> None:
    flows = np.zeros(12)
    flows[11] = 110.0
    assert float(npv(flows, 0.10)) == pytest.approx(100.0)


def test_npv_works_row_by_row_on_draws() -> None:
    flows = np.array([[100.0] * 12, [200.0] * 12])
    result = npv(flows, 0.05)
    assert result.shape == (2,)
    assert result[1] == pytest.approx(2 * result[0])
    assert result[0] == pytest.approx(hand_npv([100.0] * 12, 0.05))


flows_12 = hnp.arrays(np.float64, 12, elements=st.floats(-1e6, 1e6, allow_nan=False))
rates = st.floats(0.0, 0.5, allow_nan=False)
scalars = st.floats(-100, 100, allow_nan=False)


@settings(max_examples=100)
@given(x=flows_12, y=flows_12, a=scalars, b=scalars, rate=rates)
def test_npv_is_linear_in_the_cash_flows(
    x: np.ndarray, y: np.ndarray, a: float, b: float, rate: float
) -> None:
    combined = float(npv(a * x + b * y, rate))
    separate = a * float(npv(x, rate)) + b * float(npv(y, rate))
    assert combined == pytest.approx(separate, rel=1e-9, abs=1e-3)


@settings(max_examples=100)
@given(x=hnp.arrays(np.float64, st.integers(1, 60), elements=st.floats(-1e6, 1e6)))
def test_npv_at_rate_zero_is_the_plain_sum(x: np.ndarray) -> None:
    assert float(npv(x, 0.0)) == pytest.approx(float(np.sum(x)), rel=1e-9, abs=1e-6)


@settings(max_examples=50)
@given(
    x=hnp.arrays(np.float64, 24, elements=st.floats(1.0, 1e6)),
    low=st.floats(0.0, 0.3),
    extra=st.floats(0.01, 0.3),
)
def test_npv_of_positive_flows_falls_as_the_rate_rises(
    x: np.ndarray, low: float, extra: float
) -> None:
    assert float(npv(x, low + extra)) < float(npv(x, low))


@settings(max_examples=100)
@given(rate=st.floats(1e-4, 1.0), horizon=st.integers(1, 10))
def test_escalation_is_monotone_for_positive_inflation(rate: float, horizon: int) -> None:
    factors = escalation(rate, months(horizon))
    assert np.all(np.diff(factors) >= 0.0)
    assert factors[0] == 1.0
    assert factors[-1] == pytest.approx((1.0 + rate) ** (horizon - 1))


# --- status quo ------------------------------------------------------------------------------


def test_status_quo_is_current_cost_per_month_escalated_by_home_pay() -> None:
    company = make_company(horizon_years=2, wage_inflation=0.10)
    monthly = status_quo_monthly(company, make_profile(current_annual_cost=120_000.0))
    assert monthly.tolist() == pytest.approx([10_000.0] * 12 + [11_000.0] * 12)


def test_price_of_the_status_quo_is_its_whole_cost() -> None:
    projection = project_status_quo(make_company(), make_profile())
    assert projection.price_npv == pytest.approx(projection.npv)


def test_project_status_quo_has_one_component_and_its_npv() -> None:
    company = make_company(discount_rate=0.12)
    projection = project_status_quo(company, make_profile(current_annual_cost=120_000.0))
    assert list(projection.components) == ["status_quo"]
    assert projection.npv == pytest.approx(hand_npv([10_000.0] * 12, 0.12))


# --- option components -----------------------------------------------------------------------
# Sites abroad (Farland, "XF") move work; own staff at home ("XH") are today's team, retained.


def test_components_are_all_present_and_one_axis_per_month() -> None:
    projection = project_option(
        make_company(horizon_years=3), make_profile(), make_option(own_site("XF"))
    )
    assert set(projection.components) == set(COMPONENTS)
    assert all(v.shape == (36,) for v in projection.components.values())


def test_own_staff_cost_is_fte_times_loaded_salary() -> None:
    site = own_site("XF", fte=4.0, annual_cost_per_fte=30_000.0, wage_inflation=0.05)
    projection = project_option(make_company(horizon_years=2), make_profile(), make_option(site))
    # 4 × 30 000 / 12 = 10 000 a month, 10 500 in year 2.
    labour = projection.components["labour"]
    assert labour.tolist() == pytest.approx([10_000.0] * 12 + [10_500.0] * 12)
    assert not projection.components["vendor_fees"].any()


def test_third_party_fees_are_fte_rate_hours_plus_monthly_fee() -> None:
    site = vendor_site(
        "XF", fte=5.0, hourly_rate=20.0, billable_hours_per_fte=1_800.0, monthly_fee=1_000.0
    )
    projection = project_option(make_company(), make_profile(), make_option(site))
    # 5 × 20 × 1 800 / 12 = 15 000, + 1 000 fixed fee.
    assert projection.components["vendor_fees"].tolist() == pytest.approx([16_000.0] * 12)
    assert not projection.components["labour"].any()


def test_vendor_fees_escalate_with_the_site_inflation_including_the_fixed_fee() -> None:
    site = vendor_site("XF", monthly_fee=1_000.0, wage_inflation=0.10)
    fees = project_option(make_company(horizon_years=2), make_profile(), make_option(site))
    assert fees.components["vendor_fees"][12:].tolist() == pytest.approx([17_600.0] * 12)


def test_governance_is_a_share_of_the_priced_run_cost() -> None:
    site = vendor_site("XF", governance_overhead=0.08)
    projection = project_option(make_company(), make_profile(), make_option(site))
    assert projection.components["governance"].tolist() == pytest.approx([1_200.0] * 12)


def test_travel_escalates_but_does_not_ramp() -> None:
    site = own_site("XF", travel_per_year=24_000.0, wage_inflation=0.25)
    option = make_option(site, transition_months=6, lead_time_months=2)
    projection = project_option(make_company(horizon_years=2), make_profile(), option)
    assert projection.components["travel"].tolist() == pytest.approx(
        [2_000.0] * 12 + [2_500.0] * 12
    )


def test_run_costs_ramp_during_transition() -> None:
    site = own_site("XF", governance_overhead=0.1)  # 10 000 a month labour
    option = make_option(site, transition_months=4)
    projection = project_option(make_company(), make_profile(), option)
    assert projection.components["labour"][:5].tolist() == pytest.approx(
        [2_500.0, 5_000.0, 7_500.0, 10_000.0, 10_000.0]
    )
    assert projection.components["governance"][:5].tolist() == pytest.approx(
        [250.0, 500.0, 750.0, 1_000.0, 1_000.0]
    )


def test_setup_falls_in_month_one_even_with_a_lead_time() -> None:
    option = make_option(own_site("XF"), setup_cost=50_000.0, transition_months=3)
    setup = project_option(make_company(), make_profile(), option).components["setup"]
    assert setup.tolist() == [50_000.0] + [0.0] * 11
    delayed = replace(option, lead_time_months=4)
    setup = project_option(make_company(), make_profile(), delayed).components["setup"]
    assert setup.tolist() == [50_000.0] + [0.0] * 11


@pytest.mark.parametrize(
    ("lead", "transition", "cutover_month"),
    [(0, 0, 1), (0, 1, 2), (0, 3, 4), (0, 11, 12), (2, 3, 6), (5, 0, 6)],
)
def test_severance_falls_in_the_first_month_after_lead_time_and_transition(
    lead: int, transition: int, cutover_month: int
) -> None:
    option = make_option(
        own_site("XF"),
        severance_cost=30_000.0,
        transition_months=transition,
        lead_time_months=lead,
    )
    severance = project_option(make_company(), make_profile(), option).components["severance"]
    expected = [0.0] * 12
    expected[cutover_month - 1] = 30_000.0
    assert severance.tolist() == expected


def test_severance_for_a_transition_beyond_the_horizon_lands_in_the_last_month() -> None:
    option = make_option(own_site("XF"), severance_cost=30_000.0, transition_months=18)
    severance = project_option(make_company(), make_profile(), option).components["severance"]
    assert severance.tolist() == [0.0] * 11 + [30_000.0]


# --- the hand-over's one-offs: transition, layoffs and retention (Overby 2003) ----------------


def test_transition_cost_is_spread_evenly_over_the_transition_months_after_the_lead_time() -> None:
    # First year's fees: 15 000 a month × 12 = 180 000; 3 % of it over months 3, 4 and 5.
    site = vendor_site("XF", transition_share=0.03)
    option = make_option(site, transition_months=3, lead_time_months=2)
    transition = project_option(make_company(), make_profile(), option).components["transition"]
    assert transition.tolist() == pytest.approx([0.0, 0.0] + [1_800.0] * 3 + [0.0] * 7)


def test_transition_cost_without_transition_months_falls_in_the_first_month_of_work() -> None:
    site = vendor_site("XF", transition_share=0.025)
    option = make_option(site, lead_time_months=4)
    transition = project_option(make_company(), make_profile(), option).components["transition"]
    assert transition.tolist() == pytest.approx([0.0] * 4 + [4_500.0] + [0.0] * 7)


def test_transition_cost_is_priced_on_full_rate_fees_not_the_ramped_ones() -> None:
    # The ramp halves the fees of month 1 of a 2-month transition; the one-off does not shrink.
    site = vendor_site("XF", transition_share=0.02)
    option = make_option(site, transition_months=2)
    transition = project_option(make_company(), make_profile(), option).components["transition"]
    assert float(transition.sum()) == pytest.approx(0.02 * 180_000.0)


def test_layoffs_and_retention_fall_at_cut_over_on_the_sites_taking_the_work_on() -> None:
    # Half the work to a vendor abroad (7 500 a month), half kept with own staff at home: only
    # the vendor's first year (90 000) counts; 4 % of it in the cut-over month (3 + 1 → 4).
    vendor = with_share(vendor_site("XF", fte=2.5), 0.5)
    kept = with_share(own_site("XH", fte=5.0), 0.5)
    option = make_option(vendor, kept, transition_months=3, layoff_retention_share=0.04)
    layoffs = project_option(make_company(), make_profile(), option).components["layoffs_retention"]
    assert layoffs.tolist() == pytest.approx([0.0] * 3 + [3_600.0] + [0.0] * 8)


def test_layoffs_and_retention_add_to_a_given_severance() -> None:
    option = make_option(vendor_site("XF"), severance_cost=1_000.0, layoff_retention_share=0.05)
    projection = project_option(make_company(), make_profile(), option)
    assert projection.components["severance"][0] == 1_000.0
    assert projection.components["layoffs_retention"][0] == pytest.approx(9_000.0)


def test_parallel_running_share_keeps_only_that_part_of_the_home_team() -> None:
    option = make_option(
        own_site("XF"), transition_months=4, parallel_running_months=1, parallel_running_share=0.4
    )
    parallel = project_option(make_company(), make_profile(), option).components["parallel_running"]
    assert parallel.tolist() == pytest.approx([4_000.0, 3_000.0, 2_000.0, 1_000.0] + [0.0] * 8)


def test_parallel_running_share_of_draws_gives_one_row_per_draw() -> None:
    shares = np.array([1.0, 0.5, 0.0])
    option = make_option(own_site("XF"), parallel_running_months=2, parallel_running_share=shares)
    parallel = project_option(make_company(), make_profile(), option).components["parallel_running"]
    expected = np.array([[10_000.0] * 2, [5_000.0] * 2, [0.0] * 2])
    np.testing.assert_allclose(parallel[:, :2], expected)


# --- hand-over: ramp-up, wind-down (parallel running) and lead time ---------------------------


def test_handover_ramps_up_new_and_winds_down_old_one_month_behind() -> None:
    new, old = handover_shares(4, 1, months(1))
    assert new.tolist() == pytest.approx([0.25, 0.5, 0.75] + [1.0] * 9)
    assert old.tolist() == pytest.approx([1.0, 0.75, 0.5, 0.25] + [0.0] * 8)


def test_handover_without_parallel_running_shares_the_work() -> None:
    new, old = handover_shares(4, 0, months(1))
    assert (new + old).tolist() == pytest.approx([1.0] * 12)
    assert old.tolist() == pytest.approx([0.75, 0.5, 0.25] + [0.0] * 9)


def test_handover_immediate_cut_over() -> None:
    new, old = handover_shares(0, 0, months(1))
    assert new.tolist() == [1.0] * 12
    assert old.tolist() == [0.0] * 12


def test_handover_big_bang_with_one_month_of_parallel_running() -> None:
    new, old = handover_shares(0, 1, months(1))
    assert new.tolist() == [1.0] * 12
    assert old.tolist() == [1.0] + [0.0] * 11


def test_handover_waits_for_the_lead_time() -> None:
    new, old = handover_shares(2, 1, months(1), lead_months=3)
    assert new.tolist() == pytest.approx([0.0, 0.0, 0.0, 0.5] + [1.0] * 8)
    assert old.tolist() == pytest.approx([1.0, 1.0, 1.0, 1.0, 0.5] + [0.0] * 7)


@settings(max_examples=100)
@given(
    transition=st.integers(0, 24),
    parallel=st.integers(0, 12),
    lead=st.integers(0, 12),
)
def test_handover_shares_are_bounded_and_monotone(
    transition: int, parallel: int, lead: int
) -> None:
    new, old = handover_shares(transition, parallel, months(5), lead_months=lead)
    assert np.all((new >= 0.0) & (new <= 1.0))
    assert np.all((old >= 0.0) & (old <= 1.0))
    assert np.all(np.diff(new) >= 0.0)
    assert np.all(np.diff(old) <= 0.0)
    assert np.all(new + old >= 1.0 - 1e-12), "the work is always covered by someone"
    assert new[-1] == 1.0


def test_status_quo_runs_in_parallel_while_work_is_handed_over() -> None:
    company = make_company(horizon_years=2, wage_inflation=0.10)
    option = make_option(own_site("XF"), transition_months=0, parallel_running_months=14)
    parallel = project_option(company, make_profile(), option).components["parallel_running"]
    assert parallel.tolist() == pytest.approx([10_000.0] * 12 + [11_000.0] * 2 + [0.0] * 10)


def test_parallel_running_winds_down_with_the_handover() -> None:
    option = make_option(own_site("XF"), transition_months=4, parallel_running_months=1)
    parallel = project_option(make_company(), make_profile(), option).components["parallel_running"]
    assert parallel.tolist() == pytest.approx([10_000.0, 7_500.0, 5_000.0, 2_500.0] + [0.0] * 8)


def test_no_transition_and_no_parallel_running_means_no_home_cost() -> None:
    option = make_option(own_site("XF"), parallel_running_months=0)
    projection = project_option(make_company(), make_profile(), option)
    assert not projection.components["parallel_running"].any()


def test_lead_time_keeps_the_status_quo_and_defers_the_new_team() -> None:
    option = make_option(
        own_site("XF"), transition_months=2, lead_time_months=3, parallel_running_months=1
    )
    c = project_option(make_company(), make_profile(), option).components
    assert c["labour"][:6].tolist() == pytest.approx([0.0, 0.0, 0.0, 5_000.0, 10_000.0, 10_000.0])
    assert c["parallel_running"][:6].tolist() == pytest.approx(
        [10_000.0, 10_000.0, 10_000.0, 10_000.0, 5_000.0, 0.0]
    )


def test_own_staff_kept_at_home_in_a_hybrid_neither_ramp_nor_wind_down() -> None:
    """40% stays with 4 own FTE at home (4 000 a month); 60% moves to a provider abroad
    (3 × 20 × 1 800 / 12 = 9 000 a month) over 3 months, one month of parallel running.

    Only the moving 60% of today's 10 000 is still paid while it is handed over:
    new share ⅓, ⅔, 1; old share 1, ⅔, ⅓, 0.
    """
    kept = with_share(own_site("XH", fte=4.0), 0.4)
    moved = with_share(vendor_site("XF", fte=3.0), 0.6)
    option = make_option(kept, moved, transition_months=3, parallel_running_months=1)
    projection = project_option(make_company(), make_profile(), option)
    c = projection.components
    assert c["labour"].tolist() == pytest.approx([4_000.0] * 12)
    assert c["vendor_fees"][:4].tolist() == pytest.approx([3_000.0, 6_000.0, 9_000.0, 9_000.0])
    assert c["parallel_running"][:4].tolist() == pytest.approx([6_000.0, 4_000.0, 2_000.0, 0.0])
    assert projection.monthly[:4].tolist() == pytest.approx(
        [13_000.0, 14_000.0, 15_000.0, 13_000.0]
    )


def test_own_staff_at_home_as_the_whole_option_has_no_handover() -> None:
    option = make_option(own_site("XH"), transition_months=6, parallel_running_months=2)
    c = project_option(make_company(), make_profile(), option).components
    assert c["labour"].tolist() == pytest.approx([10_000.0] * 12)
    assert not c["parallel_running"].any()


def test_split_sites_add_up() -> None:
    a = with_share(own_site("XF", fte=6.0), 0.6)  # 6 000 a month
    b = with_share(vendor_site("XM", fte=2.0), 0.4)  # 2 × 20 × 1 800 / 12 = 6 000 a month
    option = make_option(a, b, parallel_running_months=0)
    projection = project_option(make_company(), make_profile(), option)
    assert projection.monthly.tolist() == pytest.approx([12_000.0] * 12)


# --- build-operate-transfer -------------------------------------------------------------------


def test_build_operate_transfer_switches_fees_to_salaries_in_the_transfer_month() -> None:
    site = vendor_site(
        "XF",
        fte=5.0,  # 15 000 a month in fees
        annual_cost_per_fte=6_000.0,  # 2 500 a month in salaries after the transfer
        transfer_month=7,
        transfer_fee=5_000.0,
        governance_overhead=0.1,
        governance_overhead_after_transfer=0.02,
    )
    option = make_option(site, parallel_running_months=0)
    c = project_option(make_company(), make_profile(), option).components
    assert c["vendor_fees"].tolist() == pytest.approx([15_000.0] * 6 + [0.0] * 6)
    assert c["labour"].tolist() == pytest.approx([0.0] * 6 + [2_500.0] * 6)
    assert c["governance"].tolist() == pytest.approx([1_500.0] * 6 + [50.0] * 6)
    assert c["transfer_fee"].tolist() == [0.0] * 6 + [5_000.0] + [0.0] * 5


def test_build_operate_transfer_keeps_its_governance_rate_unless_told_otherwise() -> None:
    site = vendor_site("XF", annual_cost_per_fte=6_000.0, transfer_month=4, governance_overhead=0.1)
    c = project_option(make_company(), make_profile(), make_option(site)).components
    assert c["governance"].tolist() == pytest.approx([1_500.0] * 3 + [250.0] * 9)


def test_build_operate_transfer_after_the_horizon_bills_fees_throughout() -> None:
    site = vendor_site("XF", annual_cost_per_fte=6_000.0, transfer_month=13, transfer_fee=9.0)
    c = project_option(make_company(), make_profile(), make_option(site)).components
    assert c["vendor_fees"].tolist() == pytest.approx([15_000.0] * 12)
    assert not c["labour"].any()
    assert not c["transfer_fee"].any()


# --- the price: the quote at full rate -------------------------------------------------------


def test_price_is_the_quote_at_full_rate_whatever_the_handover() -> None:
    """A provider quoting 15 000 a month: the price NPV is 12 × 15 000 discounted, with or
    without a lead time and ramp-up, while the run cost NPV does move."""
    company = make_company(discount_rate=0.06)
    site = vendor_site("XF")
    fast = project_option(company, make_profile(), make_option(site))
    slow = project_option(
        company, make_profile(), make_option(site, lead_time_months=3, transition_months=4)
    )
    quote = hand_npv([15_000.0] * 12, 0.06)
    assert fast.price_npv == pytest.approx(quote)
    assert slow.price_npv == pytest.approx(quote)
    assert slow.component_npv("vendor_fees") < fast.component_npv("vendor_fees")


def test_price_includes_retained_own_staff_and_goods_but_not_logistics() -> None:
    kept = with_share(own_site("XH", fte=4.0), 0.5)  # 4 000 a month
    made = with_share(vendor_site("XF", fte=0.0, goods=goods_terms()), 0.5)
    profile = make_profile(goods=goods_profile(units_per_year=2_400.0))  # 100 units a month
    projection = project_option(
        make_company(), profile, make_option(kept, made, transition_months=6)
    )
    # 4 000 salaries + 100 units × 10 unit price, for 12 months, rate 0
    assert projection.price_npv == pytest.approx(12 * (4_000.0 + 1_000.0))


def test_price_of_a_projection_without_full_rate_is_its_components() -> None:
    projection = flows([100.0] * 12, vendor_fees=[50.0] * 12, freight=[7.0] * 12)
    assert projection.price_npv == pytest.approx(1_800.0)
    assert projection.full_rate_npv(("freight",)) == pytest.approx(84.0)


# --- a full worked example -------------------------------------------------------------------


def test_worked_example_monthly_cost_npv_and_yearly() -> None:
    """12-month horizon, 10% discount rate, status quo 10 000 a month.

    Option: own team of 4 abroad at 12 000 a year (4 000 a month), 5% governance, 1 200 travel
    a year, 6 000 setup, 3 000 severance, 2 months' transition, 1 month of parallel running:
    new-team share ½, 1, 1, …; home-team share still paid 1, ½, 0, ….
    """
    company = make_company(discount_rate=0.10)
    profile = make_profile(current_annual_cost=120_000.0)
    site = own_site(
        "XF",
        fte=4.0,
        annual_cost_per_fte=12_000.0,
        governance_overhead=0.05,
        travel_per_year=1_200.0,
    )
    option = make_option(
        site,
        setup_cost=6_000.0,
        severance_cost=3_000.0,
        transition_months=2,
        parallel_running_months=1,
    )
    projection = project_option(company, profile, option)

    # month 1: labour 4 000 × ½ + governance 100 + travel 100 + setup 6 000 + home 10 000
    # month 2: labour 4 000 + governance 200 + travel 100 + home 10 000 × ½
    # month 3: labour 4 000 + governance 200 + travel 100 + severance 3 000
    # months 4–12: 4 000 + 200 + 100
    expected = [18_200.0, 9_300.0, 7_300.0] + [4_300.0] * 9
    assert projection.monthly.tolist() == pytest.approx(expected)
    assert projection.yearly.tolist() == pytest.approx([sum(expected)])
    assert projection.npv == pytest.approx(hand_npv(expected, 0.10))

    labour = [2_000.0] + [4_000.0] * 11
    assert projection.component_npv("labour") == pytest.approx(hand_npv(labour, 0.10))
    # The price is the quote at full rate from month 1: 4 000 a month, before the ramp-up.
    price = [4_000.0] * 12
    assert projection.price_npv == pytest.approx(hand_npv(price, 0.10))

    savings = compare(project_status_quo(company, profile), projection)
    base = hand_npv([10_000.0] * 12, 0.10)
    assert savings.npv_savings == pytest.approx(base - hand_npv(expected, 0.10))
    assert savings.savings_share == pytest.approx(1 - hand_npv(expected, 0.10) / base)
    assert savings.price_savings_share == pytest.approx(0.6)
    # cumulative savings: −8 200, −7 500, −4 800, +900, … → month 4
    assert savings.break_even_month == 4


def test_yearly_rolls_up_twelve_months_each() -> None:
    company = make_company(horizon_years=3, wage_inflation=0.10)
    projection = project_status_quo(company, make_profile(current_annual_cost=120_000.0))
    assert projection.yearly.tolist() == pytest.approx([120_000.0, 132_000.0, 145_200.0])


def test_yearly_keeps_a_leading_axis_of_draws() -> None:
    projection = CostProjection({"a": np.ones((3, 24))}, 0.0)
    assert projection.yearly.shape == (3, 2)
    assert projection.yearly.tolist() == [[12.0, 12.0]] * 3


# --- compare ---------------------------------------------------------------------------------


def flows(values: list[float], rate: float = 0.0, **others: list[float]) -> CostProjection:
    """A projection with every component zero except labour (and any named others)."""
    n = len(values)
    components = {name: np.zeros(n) for name in COMPONENTS}
    components["labour"] = np.array(values, dtype=float)
    for name, other in others.items():
        components[name] = np.array(other, dtype=float)
    return CostProjection(components, rate)


def test_compare_savings_share_and_price_share() -> None:
    status_quo = flows([100.0] * 12)
    option = flows([60.0] * 12, freight=[15.0] * 12)
    savings = compare(status_quo, option)
    assert savings.npv_savings == pytest.approx(300.0)
    assert savings.savings_share == pytest.approx(0.25)
    assert savings.price_savings_share == pytest.approx(0.40)


@pytest.mark.parametrize(
    ("status_quo", "option", "expected"),
    [
        ([10, 10, 10, 10], [5, 5, 5, 5], 1),  # cheaper from the start
        ([10, 10, 10, 10], [10, 10, 10, 10], 1),  # never behind: zero counts as even
        ([10, 10, 10, 10], [30, 0, 0, 0], 3),  # −20, −10, 0, +10: pays back in month 3
        ([10, 10, 10, 10], [20, 0, 10, 10], 2),  # −10, 0 → even in month 2
        ([10, 10, 10, 10], [5, 25, 0, 10], 3),  # +5, −10, 0, 0: dips, then back to even
        ([10, 10, 10, 10], [15, 15, 15, 15], None),  # never
        ([10, 10, 10, 10], [0, 0, 0, 50], None),  # ahead, then behind at the end
    ],
    ids=["ahead", "level", "payback", "month-2", "dip", "never", "late-loss"],
)
def test_break_even_is_first_month_from_which_cumulative_savings_stay_non_negative(
    status_quo: list[float], option: list[float], expected: int | None
) -> None:
    assert compare(flows(status_quo), flows(option)).break_even_month == expected


def test_zero_status_quo_gives_zero_shares_not_division_errors() -> None:
    savings = compare(flows([0.0] * 12), flows([1.0] * 12))
    assert savings.savings_share == 0.0
    assert savings.price_savings_share == 0.0
    assert savings.npv_savings == pytest.approx(-12.0)


# --- goods: landed cost ----------------------------------------------------------------------


def test_landed_cost_per_unit_fob() -> None:
    site = vendor_site("XF", goods=goods_terms(duty_basis=DutyBasis.FOB))
    per_unit = landed_cost_per_unit(site, goods_profile(unit_weight_kg=4.0))
    # freight 1 + 0.5 × 4 kg = 3; insurance 1% of 10 = 0.1; duty 5% of the price 10 = 0.5
    assert per_unit == pytest.approx(
        {
            "goods_price": 10.0,
            "packaging": 0.5,
            "freight": 3.0,
            "insurance": 0.1,
            "duty": 0.5,
            "inventory": 0.0,  # no transit or safety stock in these terms
        }
    )


def test_inventory_carrying_per_unit() -> None:
    terms = goods_terms(duty_basis=DutyBasis.FOB, transit_weeks=5.0, safety_stock_weeks=3.0)
    per_unit = landed_cost_per_unit(vendor_site("XF", goods=terms), goods_profile(4.0))
    # landed 10 + 0.5 + 3 + 0.1 + 0.5 = 14.1; 8 of 52 weeks held; 20% a year to carry
    assert per_unit["inventory"] == pytest.approx(14.1 * 8 / 52 * 0.2)


def test_landed_cost_per_unit_cif_puts_duty_on_price_freight_and_insurance() -> None:
    site = vendor_site("XF", goods=goods_terms(duty_basis=DutyBasis.CIF))
    per_unit = landed_cost_per_unit(site, goods_profile(unit_weight_kg=4.0))
    # customs value 10 + 3 + 0.1 = 13.1; duty 5% = 0.655
    assert per_unit["duty"] == pytest.approx(0.655)
    assert per_unit["freight"] == pytest.approx(3.0)


def test_cif_duty_exceeds_fob_duty_by_the_rate_times_freight_and_insurance() -> None:
    goods = goods_profile(unit_weight_kg=10.0)
    terms = goods_terms(duty_rate=0.2, insurance_rate=0.02, unit_price=50.0)
    fob = landed_cost_per_unit(vendor_site(goods=terms), goods)
    cif = landed_cost_per_unit(
        vendor_site(
            goods=goods_terms(
                duty_rate=0.2, insurance_rate=0.02, unit_price=50.0, duty_basis=DutyBasis.CIF
            )
        ),
        goods,
    )
    # freight 1 + 0.5 × 10 = 6, insurance 2% × 50 = 1 → difference 0.2 × 7 = 1.4
    assert cif["duty"] - fob["duty"] == pytest.approx(1.4)


def test_landed_cost_is_empty_for_a_site_without_goods_terms() -> None:
    assert landed_cost_per_unit(vendor_site(), goods_profile()) == {}


def test_goods_costs_per_month_scale_with_volume_share_inflation_and_ramp() -> None:
    site = with_share(vendor_site("XF", fte=0.0, wage_inflation=0.10, goods=goods_terms()), 0.5)
    profile = make_profile(goods=goods_profile(units_per_year=2_400.0, unit_weight_kg=4.0))
    option = make_option(site, transition_months=2)
    c = project_option(make_company(horizon_years=2), profile, option).components
    # 2 400 units × 50% share / 12 = 100 units a month; ramp ½ in month 1
    assert c["goods_price"][:3].tolist() == pytest.approx([500.0, 1_000.0, 1_000.0])
    assert c["freight"][2] == pytest.approx(300.0)
    assert c["insurance"][2] == pytest.approx(10.0)
    assert c["duty"][2] == pytest.approx(50.0)
    assert c["packaging"][2] == pytest.approx(50.0)
    assert c["goods_price"][12] == pytest.approx(1_100.0)
    assert not c["vendor_fees"].any()


def test_goods_terms_are_ignored_for_a_services_function() -> None:
    site = vendor_site("XF", goods=goods_terms())
    c = project_option(make_company(), make_profile(goods=None), make_option(site)).components
    for name in ("goods_price", "packaging", "freight", "insurance", "duty"):
        assert not c[name].any()


def test_goods_price_is_in_the_price_but_freight_and_duty_are_not() -> None:
    assert set(PRICE_COMPONENTS) == {"labour", "vendor_fees", "goods_price"}


def test_thirty_percent_cheaper_on_price_can_be_ten_percent_cheaper_on_tco() -> None:
    """PRODUCT.md's reference point: goods that look 30% cheaper on price, ~10% on TCO.

    Home makes 1 200 units a year at 100 each. Abroad the price is 70 (30% less), but packaging
    2, freight 5 + 1.5/kg × 6 kg = 14, insurance 1% × 70 = 0.7 and duty 5% FOB = 3.5 add 20.2.
    Landed: 90.2 → 9.8% cheaper. No ramp, no inflation, so every month has the same shares.
    """
    company = make_company(discount_rate=0.07)
    profile = make_profile(
        current_annual_cost=120_000.0,
        goods=goods_profile(units_per_year=1_200.0, unit_weight_kg=6.0),
    )
    terms = goods_terms(
        unit_price=70.0,
        packaging_per_unit=2.0,
        freight_per_unit=5.0,
        freight_per_kg=1.5,
        insurance_rate=0.01,
        duty_rate=0.05,
    )
    option = make_option(vendor_site("XF", fte=0.0, goods=terms), parallel_running_months=0)
    savings = compare(
        project_status_quo(company, profile), project_option(company, profile, option)
    )
    assert savings.price_savings_share == pytest.approx(0.30)
    assert savings.savings_share == pytest.approx(0.098)
    assert savings.break_even_month == 1


# --- hidden costs and exchange rates ----------------------------------------------------------


def test_hidden_cost_components_scale_the_run_cost() -> None:
    from sourcewise.domain.cost import project_option as project

    site = vendor_site("XF", coordination_loss=0.1, rework_share=0.05, vendor_selection_share=0.02)
    option = make_option(site, exit_cost=7_000.0)
    result = project(make_company(), make_profile(), option)
    fees = 15_000.0  # a month, flat
    assert result.components["coordination_loss"] == pytest.approx(np.full(12, 0.1 * fees))
    assert result.components["rework"] == pytest.approx(np.full(12, 0.05 * fees))
    selection = result.components["vendor_selection"]
    assert selection[0] == pytest.approx(0.02 * 12 * fees)  # a share of the first year's fees
    assert selection[1:].sum() == 0.0
    assert result.components["exit"][-1] == 7_000.0
    assert result.components["exit"][:-1].sum() == 0.0
    assert result.price_npv == pytest.approx(12 * fees)  # hidden costs are not the price


def test_exchange_rate_path_moves_local_currency_costs_only() -> None:
    from sourcewise.domain.cost import project_option as project

    path = np.linspace(1.0, 1.2, 12)[np.newaxis, :].repeat(2, axis=0)  # 2 draws
    local = own_site("XF", local_currency_share=1.0, fx_path=path)
    home_contract = vendor_site("XF", local_currency_share=0.0, fx_path=path)
    own = project(make_company(), make_profile(), make_option(local)).components["labour"]
    fees = project(make_company(), make_profile(), make_option(home_contract))
    assert own.shape == (2, 12)
    assert own[0, -1] / own[0, 0] == pytest.approx(1.2)
    assert fees.components["vendor_fees"] == pytest.approx(np.full(12, 15_000.0))


def test_attrition_replaces_leavers_on_own_salaries() -> None:
    from sourcewise.domain.cost import project_option as project

    site = own_site("XF", attrition_rate=0.3, replacement_cost_share=0.25)
    result = project(make_company(), make_profile(), make_option(site))
    # 10,000 a month of salaries; 30% leave a year, each costing a quarter of a year to replace.
    assert result.components["attrition"] == pytest.approx(np.full(12, 0.3 * 0.25 * 10_000.0))
    vendor = vendor_site("XF", attrition_rate=0.3, replacement_cost_share=0.25)
    fees = project(make_company(), make_profile(), make_option(vendor))
    assert not fees.components["attrition"].any()  # the provider prices its own turnover


def test_learning_curve_values_the_lost_output_at_todays_cost() -> None:
    from sourcewise.domain.cost import project_option as project

    profile = make_profile(current_annual_cost=120_000.0)  # 10,000 a month today
    option = make_option(own_site("XF"), learning_months=4, initial_productivity=0.6)
    lost = project(make_company(), profile, option).components["learning_curve"]
    # 40% short in month 1, then 30%, 20%, 10%, and at par from month 5.
    assert lost[:6] == pytest.approx([4_000.0, 3_000.0, 2_000.0, 1_000.0, 0.0, 0.0])
    assert lost[6:].sum() == 0.0


def test_only_the_local_currency_share_follows_the_exchange_rate() -> None:
    from sourcewise.domain.cost import project_option as project

    path = np.full((1, 12), 1.5)  # the local currency is worth 50% more all year
    site = own_site("XF", local_currency_share=0.25, fx_path=path)
    labour = project(make_company(), make_profile(), make_option(site)).components["labour"]
    assert labour[0, 0] == pytest.approx(10_000.0 * (0.75 + 0.25 * 1.5))
