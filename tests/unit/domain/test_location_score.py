"""Location score: fixed scales, preset weights, missing data left out, never zero."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.domain.location import CountryFacts, TransferRegime, great_circle_km
from sourcewise.domain.location_score import (
    Component,
    LocationFacts,
    Observed,
    score_location,
    weights_for,
)
from sourcewise.domain.scenario import FunctionKind

WGI = {d: Observed(0.5, 2022, "wgi") for d in ("va", "pv", "ge", "rq", "rl", "cc")}


def full(**changes: object) -> LocationFacts:
    base: dict[str, object] = {
        "iso2": "XA",
        "name": "Xland",
        "price_level_ratio": Observed(0.45, 2023, "wb"),
        "wgi": WGI,
        "inflation_mean_pct": Observed(5.0, 2023, "wb"),
        "fx_volatility": 0.06,
        "internet_pct": Observed(80.0, 2022, "wb"),
        "english_share": 0.5,
        "transfer_regime": TransferRegime.SAFEGUARDS_NEEDED,
        "overlap_mean_hours": 3.0,
        "shared_working_day_share": 0.9,
        "distance_km": 3000.0,
    }
    base.update(changes)
    return LocationFacts(**base)  # type: ignore[arg-type]


def component(result: object, which: Component) -> tuple[float | None, float]:
    for c in result.components:  # type: ignore[attr-defined]
        if c.component is which:
            return c.score, c.weight
    raise AssertionError(which)


def test_each_component_on_its_documented_scale() -> None:
    result = score_location(full(), weights_for(FunctionKind.CUSTOMER_SERVICE), 4.0)
    assert component(result, Component.COST)[0] == pytest.approx(75.0)  # (1.2-0.45)/1.0
    assert component(result, Component.GOVERNANCE)[0] == pytest.approx(60.0)  # (0.5+2.5)/5
    # inflation 5% -> (20-5)/18 = 83.33; volatility 6% -> 80; mean 81.67
    assert component(result, Component.ECONOMIC)[0] == pytest.approx(81.7)
    assert component(result, Component.DATA_TRANSFER)[0] == 35.0
    # 3 of 4 hours = 75; 0.85*75 + 15*0.9 = 77.25
    assert component(result, Component.TIME_ZONE)[0] == pytest.approx(77.2, abs=0.06)
    assert component(result, Component.INFRASTRUCTURE)[0] == 80.0
    assert component(result, Component.TALENT_AND_LANGUAGE)[0] == 50.0
    assert component(result, Component.LOGISTICS)[0] == pytest.approx(80.0)


def test_weighted_total_by_hand() -> None:
    weights = {Component.COST: 0.5, Component.GOVERNANCE: 0.5}
    result = score_location(full(), weights)
    assert result.score == pytest.approx(0.5 * 75.0 + 0.5 * 60.0)
    assert result.coverage == 1.0


def test_missing_data_is_left_out_not_zero() -> None:
    weights = {Component.COST: 0.5, Component.GOVERNANCE: 0.5}
    result = score_location(full(wgi={}), weights)
    assert component(result, Component.GOVERNANCE) == (None, 0.0)
    assert result.score == pytest.approx(75.0)  # cost alone, weight scaled up to 1
    assert result.coverage == 0.5
    assert result.low_coverage
    explanation = next(c.explanation for c in result.components if c.score is None)
    assert "no World Bank governance" in explanation


def test_nothing_known_gives_no_score() -> None:
    empty = LocationFacts(iso2="XB", name="Nowhere")
    result = score_location(empty, {Component.COST: 1.0})
    assert result.score is None
    assert result.coverage == 0.0


def test_gdpr_only_counts_for_an_eea_home() -> None:
    weights = weights_for(FunctionKind.SOFTWARE_DEVELOPMENT, sensitive_data=True)
    outside = score_location(full(transfer_regime=TransferRegime.NOT_GOVERNED), weights)
    assert component(outside, Component.DATA_TRANSFER) == (None, 0.0)
    ranked = [
        score_location(full(transfer_regime=r), weights).score
        for r in (
            TransferRegime.WITHIN_EEA,
            TransferRegime.ADEQUACY,
            TransferRegime.PARTIAL_ADEQUACY,
            TransferRegime.SAFEGUARDS_NEEDED,
        )
    ]
    assert ranked == sorted(ranked, reverse=True)


@pytest.mark.parametrize("kind", list(FunctionKind))
@pytest.mark.parametrize("sensitive", [False, True])
def test_presets_sum_to_one(kind: FunctionKind, sensitive: bool) -> None:
    weights = weights_for(kind, sensitive)
    assert sum(weights.values()) == pytest.approx(1.0)
    assert all(w >= 0 for w in weights.values())


def test_presets_weigh_what_the_function_needs() -> None:
    service = weights_for(FunctionKind.CUSTOMER_SERVICE)
    goods = weights_for(FunctionKind.MANUFACTURING)
    assert service[Component.TIME_ZONE] > goods[Component.TIME_ZONE]
    assert goods[Component.LOGISTICS] > service[Component.LOGISTICS]
    plain = weights_for(FunctionKind.SOFTWARE_DEVELOPMENT)
    sensitive = weights_for(FunctionKind.SOFTWARE_DEVELOPMENT, sensitive_data=True)
    assert sensitive[Component.DATA_TRANSFER] > plain[Component.DATA_TRANSFER]


@given(st.floats(min_value=0.1, max_value=3.0), st.floats(min_value=0.1, max_value=3.0))
def test_changing_one_country_never_moves_another(ratio_a: float, ratio_b: float) -> None:
    """Fixed scales: a country's score depends on its own facts only."""
    weights = weights_for(FunctionKind.IT_SUPPORT)
    other = score_location(full(iso2="XC"), weights)
    score_location(full(price_level_ratio=Observed(ratio_a)), weights)
    again = score_location(full(iso2="XC"), weights)
    assert other == again
    cheaper, dearer = sorted((ratio_a, ratio_b))
    low = score_location(full(price_level_ratio=Observed(cheaper)), weights).score
    high = score_location(full(price_level_ratio=Observed(dearer)), weights).score
    assert low is not None
    assert high is not None
    assert low >= high


def test_great_circle_distance() -> None:
    def city(lat: float, lon: float) -> CountryFacts:
        return CountryFacts(
            "XA", "X", "c", "UTC", frozenset(), (), "USD", latitude=lat, longitude=lon
        )

    # New York to London is about 5,570 km.
    assert great_circle_km(city(40.7143, -74.006), city(51.5085, -0.1257)) == pytest.approx(
        5570, rel=0.01
    )
    assert (
        great_circle_km(city(0, 0), CountryFacts("XB", "Y", "c", "UTC", frozenset(), (), "USD"))
        is None
    )


def test_a_rule_that_does_not_apply_is_not_missing_data() -> None:
    """A home outside the EEA: the GDPR component does not apply, so full data is 100 %."""
    weights = weights_for(FunctionKind.CUSTOMER_SERVICE, sensitive_data=True)
    outside = score_location(full(transfer_regime=TransferRegime.NOT_GOVERNED), weights)
    transfer = outside.component(Component.DATA_TRANSFER)
    assert (transfer.score, transfer.applies) == (None, False)
    assert outside.coverage == 1.0
    assert not outside.low_coverage
    # Data that applies but is missing still lowers coverage, over the weight that applies.
    gap = score_location(full(transfer_regime=TransferRegime.NOT_GOVERNED, wgi={}), weights)
    applying = 1.0 - weights[Component.DATA_TRANSFER]
    expected = (applying - weights[Component.GOVERNANCE]) / applying
    assert gap.coverage == pytest.approx(expected, abs=1e-3)
    inside = score_location(full(), weights)
    assert inside.component(Component.DATA_TRANSFER).applies
    assert inside.coverage == 1.0
