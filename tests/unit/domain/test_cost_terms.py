"""Separable cost terms: written out month by month, they are ``project_option``'s components."""

from __future__ import annotations

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

from sourcewise.domain.cost import (
    PRICE_COMPONENTS,
    escalation,
    months,
    project_option,
    project_status_quo,
)
from sourcewise.domain.cost_terms import Term, option_terms, status_quo_terms, yearly_growth
from sourcewise.domain.scenario import Company, FunctionProfile, Option

DRAWS = 5
rng = np.random.default_rng(4)


def draws(low: float, high: float) -> np.ndarray:
    return rng.uniform(low, high, DRAWS)


def written_out(terms: tuple[Term, ...] | list[Term], month: np.ndarray) -> dict[str, np.ndarray]:
    """Each component's monthly cost, ``(draws, months)``, summed from its terms."""
    out: dict[str, np.ndarray] = {}
    for t in terms:
        monthly = np.asarray(t.amount, dtype=np.float64).reshape(-1, 1) * t.profile
        if t.growth is not None:
            growth = np.repeat(t.growth, 12, axis=0)  # (months,) or (months, draws)
            monthly = monthly * (growth.T if growth.ndim > 1 else growth)
        if t.exchange is not None:
            monthly = monthly * t.exchange
        out[t.component] = out.get(t.component, 0.0) + np.broadcast_to(monthly, (DRAWS, month.size))
    return out


COMPANY = make_company(horizon_years=4, discount_rate=0.07, wage_inflation=draws(0.01, 0.05))
PROFILE = make_profile(current_annual_cost=draws(100_000, 140_000))
FX = np.exp(np.cumsum(rng.normal(0, 0.02, (DRAWS, 48)), axis=1))
OPTIONS = {
    "vendor with every hidden cost": make_option(
        vendor_site(
            hourly_rate=draws(15, 25),
            monthly_fee=1_000.0,
            wage_inflation=draws(0.02, 0.06),
            governance_overhead=draws(0.03, 0.08),
            coordination_loss=0.04,
            rework_share=draws(0.01, 0.03),
            vendor_selection_share=0.02,
            travel_per_year=draws(10_000, 30_000),
        ),
        setup_cost=draws(50_000, 90_000),
        severance_cost=30_000.0,
        exit_cost=draws(5_000, 9_000),
        transition_months=5,
        parallel_running_months=2,
        lead_time_months=3,
        learning_months=6,
        initial_productivity=0.7,
    ),
    "build-operate-transfer": make_option(
        vendor_site(
            transfer_month=20,
            annual_cost_per_fte=draws(9_000, 11_000),
            transfer_fee=draws(20_000, 40_000),
            governance_overhead=0.08,
            governance_overhead_after_transfer=draws(0.03, 0.05),
            attrition_rate=0.2,
            replacement_cost_share=0.3,
        ),
        transition_months=4,
    ),
    "captive paid in local currency": make_option(
        own_site(
            "XF",
            annual_cost_per_fte=draws(8_000, 12_000),
            local_currency_share=draws(0.5, 0.9),
            fx_path=FX,
            attrition_rate=draws(0.1, 0.3),
            replacement_cost_share=0.5,
            vendor_selection_share=0.01,
        ),
        transition_months=13,
        parallel_running_months=0,
    ),
    "hybrid with today's team": make_option(
        with_share(own_site("XF", governance_overhead=0.05), 0.6),
        with_share(own_site("XH"), 0.4),
        transition_months=6,
        learning_months=3,
        initial_productivity=0.5,
    ),
}


def assert_terms_are_the_components(
    company: Company, profile: FunctionProfile, option: Option
) -> None:
    month = months(company.horizon_years)
    terms = option_terms(company, profile, option, month)
    projection = project_option(company, profile, option)
    full_rate = projection.full_rate or {}
    for written, expected in (
        (written_out(terms.costs, month), projection.components),
        (written_out(terms.price, month), {name: full_rate[name] for name in PRICE_COMPONENTS}),
    ):
        assert set(written) <= set(expected)
        for component, monthly in expected.items():
            np.testing.assert_allclose(
                written.get(component, 0.0),
                np.broadcast_to(monthly, (DRAWS, month.size)),
                rtol=1e-12,
                atol=1e-9,
                err_msg=component,
            )


@pytest.mark.parametrize("name", list(OPTIONS))
def test_terms_written_out_are_the_monthly_components(name: str) -> None:
    assert_terms_are_the_components(COMPANY, PROFILE, OPTIONS[name])


def test_goods_terms_are_the_landed_cost_components() -> None:
    profile = make_profile(goods=goods_profile(units_per_year=draws(1_000, 1_400)))
    site = vendor_site(hourly_rate=0.0, goods=goods_terms(unit_price=draws(9, 11)))
    assert_terms_are_the_components(
        make_company(horizon_years=2), profile, make_option(site, transition_months=3)
    )


def test_status_quo_term_is_todays_cost() -> None:
    month = months(COMPANY.horizon_years)
    mine = written_out([status_quo_terms(COMPANY, PROFILE, month)], month)
    expected = project_status_quo(COMPANY, PROFILE).components["status_quo"]
    np.testing.assert_allclose(mine["status_quo"], expected, rtol=1e-12)


def test_yearly_growth_compounds_like_escalation() -> None:
    rate = np.array([0.0, 0.03, -0.01, 0.12])
    by_year = yearly_growth(rate, 10)
    assert by_year.shape == (10, 4)
    np.testing.assert_allclose(
        np.repeat(by_year, 12, axis=0).T, escalation(rate, months(10)), rtol=1e-14
    )
    assert yearly_growth(0.05, 3).tolist() == pytest.approx([1.0, 1.05, 1.1025], rel=1e-15)
