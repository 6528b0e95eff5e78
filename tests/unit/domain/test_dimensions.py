"""The seeds' five comparison dimensions, said of every kind of option."""

from __future__ import annotations

from typing import Any

import pytest
from domain_factories import (
    make_context,
    make_profile,
    own_site,
    place,
    says,
    vendor_site,
    with_share,
)

from sourcewise.domain.arrangement import Arrangement
from sourcewise.domain.cost import Savings
from sourcewise.domain.dimensions import DIMENSIONS, Dimensions, describe

SAVINGS = Savings(
    npv_savings=25_000.0, savings_share=0.25, price_savings_share=0.4, break_even_month=7
)


def dims(*sites: Any, savings: Savings | None = SAVINGS) -> Dimensions:
    ctx = make_context(make_profile(), *sites)
    return describe(ctx.classification, ctx.sites, savings)


ONE_SITE_OPTIONS = {
    Arrangement.IN_HOUSE: own_site,
    Arrangement.DOMESTIC_OUTSOURCING: vendor_site,
    Arrangement.CAPTIVE_OFFSHORING: lambda: own_site("XF"),
    Arrangement.OFFSHORE_OUTSOURCING: lambda: vendor_site("XF"),
}


def all_arrangements() -> dict[Arrangement, Dimensions]:
    described = {a: dims(make()) for a, make in ONE_SITE_OPTIONS.items()}
    described[Arrangement.HYBRID] = dims(
        with_share(vendor_site("XF"), 0.6), with_share(own_site(), 0.4)
    )
    return described


def test_dimension_names_are_the_seeds_five() -> None:
    assert DIMENSIONS == (
        "geography",
        "focus",
        "cost_structure",
        "control_and_oversight",
        "risk_factors",
    )


@pytest.mark.parametrize("arrangement", list(Arrangement))
def test_every_arrangement_is_described_on_all_five_dimensions(arrangement: Arrangement) -> None:
    described = all_arrangements()[arrangement]
    as_dict = described.as_dict()
    assert list(as_dict) == list(DIMENSIONS)
    for name, text in as_dict.items():
        assert text.strip(), f"{arrangement}: {name} is empty"
        assert text == getattr(described, name)


def test_focus_and_control_differ_between_arrangements() -> None:
    described = all_arrangements().values()
    assert len({d.focus for d in described}) == 5
    assert len({d.control_and_oversight for d in described}) == 5


@pytest.mark.parametrize(
    ("arrangement", "focus", "control"),
    [
        (Arrangement.IN_HOUSE, "no labour arbitrage", "Full control"),
        (Arrangement.DOMESTIC_OUTSOURCING, "without relocating overseas", "Varies by agreement"),
        (Arrangement.CAPTIVE_OFFSHORING, "lower labour", "More control"),
        (Arrangement.OFFSHORE_OUTSOURCING, "lower wages", "Least direct control"),
        (Arrangement.HYBRID, "hybrid approach", "Mixed"),
    ],
)
def test_focus_and_control_speak_the_seeds_words(
    arrangement: Arrangement, focus: str, control: str
) -> None:
    described = all_arrangements()[arrangement]
    assert focus in described.focus
    assert control in described.control_and_oversight


# --- geography -------------------------------------------------------------------------------


def test_geography_at_home() -> None:
    assert says(dims(own_site()).geography, "home country", "Homeland")


def test_geography_abroad_gives_city_gap_and_overlap() -> None:
    text = dims(own_site("XM")).geography
    assert says(text, "Midland", "Mid City", "+5 h", "3 h shared")
    assert "nearshore" not in text


def test_geography_flags_nearshore_and_a_home_hours_shift() -> None:
    assert says(
        dims(vendor_site("XN")).geography, "Neighbourland", "-1 h", "7 h shared", "nearshore"
    )
    night = dims(own_site("XF", follows_home_hours=True)).geography
    assert says(night, "Farland", "+13 h", "8 h shared", "home-hours shift")
    assert "nearshore" not in night


def test_geography_of_a_split_gives_each_share() -> None:
    text = dims(with_share(vendor_site("XF"), 0.6), with_share(own_site(), 0.4)).geography
    farland, home = text.split("; ")
    assert says(farland, "60%", "Farland", "+13 h", "0 h shared")
    assert says(home, "40%", "Homeland")


# --- cost structure --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make_site", "basis"),
    [
        (own_site, "Fixed own payroll and facilities"),
        (lambda: own_site("XF"), "Fixed own payroll and facilities"),
        (vendor_site, "Variable provider fees that scale with volume"),
        (lambda: vendor_site("XF"), "Variable provider fees that scale with volume"),
    ],
)
def test_cost_structure_basis(make_site: Any, basis: str) -> None:
    assert dims(make_site()).cost_structure.startswith(basis)


def test_cost_structure_gives_tco_saving_against_price_saving() -> None:
    text = dims(vendor_site("XF")).cost_structure
    assert says(text, "Variable provider fees", "+25%", "total cost of ownership", "+40%", "price")
    assert text.index("+25%") < text.index("+40%")


def test_cost_structure_shows_a_loss_with_its_sign() -> None:
    loss = Savings(-5_000.0, -0.05, 0.1, None)
    assert "-5% net present saving" in dims(own_site("XF"), savings=loss).cost_structure


def test_cost_structure_of_the_status_quo() -> None:
    text = dims(own_site(), savings=None).cost_structure
    assert says(text, "Fixed own payroll", "status quo")
    assert "%" not in text


def test_hybrid_with_a_provider_part_has_variable_fees() -> None:
    text = dims(with_share(vendor_site("XF"), 0.5), with_share(own_site(), 0.5)).cost_structure
    assert text.startswith("Variable provider fees")


def test_hybrid_of_own_teams_only_has_fixed_payroll() -> None:
    text = dims(with_share(own_site("XF"), 0.5), with_share(own_site(), 0.5)).cost_structure
    assert text.startswith("Fixed own payroll")


# --- risk factors ----------------------------------------------------------------------------


def test_risks_of_the_in_house_status_quo() -> None:
    assert says(dims(own_site(), savings=None).risk_factors, "no new sourcing risk")


def test_risks_of_a_domestic_provider() -> None:
    text = dims(vendor_site()).risk_factors
    assert says(text, "communication issues", "security concerns", "quality inconsistencies")
    assert "political" not in text


def test_risks_of_a_captive_centre_abroad() -> None:
    text = dims(own_site("XF")).risk_factors
    assert says(text, "political instability", "currency risks", "longer supply chains", "Farland")
    assert "communication issues" not in text


def test_risks_of_offshore_outsourcing_combine_both_and_list_countries_once() -> None:
    text = dims(
        with_share(vendor_site("XF"), 0.4),
        with_share(own_site("XM"), 0.3),
        with_share(vendor_site("XF", provider="Other"), 0.3),
    ).risk_factors
    assert text.startswith("communication issues")
    assert text.endswith("longer supply chains (Farland, Midland).")


def test_risks_of_build_operate_transfer_include_the_transfer() -> None:
    text = dims(vendor_site("XF", transfer_month=24)).risk_factors
    assert "the transfer itself: staff retention and knowledge at hand-over" in text


def test_placed_site_classification_feeds_the_description() -> None:
    placed = place(vendor_site("XC"))
    assert placed.classification.nearshore
    described = describe(placed.classification, (placed,), SAVINGS)
    assert described.geography.endswith("nearshore).")
    assert described.focus.startswith("Delegating the function to a provider abroad")
