"""Location facts and ranking on the packaged data."""

from dataclasses import replace

import pytest

from sourcewise.domain.location import TransferRegime
from sourcewise.domain.location_score import Component
from sourcewise.domain.problems import InputError
from sourcewise.domain.scenario import FunctionKind
from sourcewise.services.locations import (
    IndicatorOverride,
    LocationData,
    LocationQuery,
    assess,
    rank,
)

DATA = LocationData.packaged()
SERVICE = LocationQuery(
    home="US",
    kind=FunctionKind.CUSTOMER_SERVICE,
    languages=("en",),
    overlap_hours_needed=4,
    year=2026,
)


def component(assessment: object, which: Component) -> float | None:
    for c in assessment.score.components:  # type: ignore[attr-defined]
        if c.component is which:
            return c.score
    raise AssertionError(which)


def test_india_from_new_york() -> None:
    india = assess(DATA, "IN", SERVICE)
    assert india.overlap.max_hours == 0.0  # 9-17 in Bengaluru never meets 9-17 in New York
    assert india.overlap.days_without_overlap == india.overlap.working_days
    assert india.indicators["inflation_pct"].year >= 2022
    assert india.facts.fx_volatility is not None
    assert 0.0 < india.facts.fx_volatility < 0.2
    assert india.facts.transfer_regime is TransferRegime.NOT_GOVERNED
    assert india.facts.distance_km == pytest.approx(13_370, rel=0.01)
    assert india.holidays.shared_working_days < india.holidays.home_working_days


def test_dst_weeks_show_in_the_overlap_range() -> None:
    london = assess(DATA, "GB", SERVICE)
    # 3 h most of the year, 4 h in the weeks the US has changed its clocks and the UK has not,
    # none on UK public holidays that are US working days.
    assert set(london.overlap.per_day_hours.tolist()) == {0.0, 3.0, 4.0}
    assert london.overlap.days_without_overlap == london.holidays.home_only_days


def test_gdpr_regime_from_an_eea_home() -> None:
    query = replace(SERVICE, home="DE", kind=FunctionKind.SOFTWARE_DEVELOPMENT, sensitive_data=True)
    assert assess(DATA, "PL", query).facts.transfer_regime is TransferRegime.WITHIN_EEA
    assert assess(DATA, "CH", query).facts.transfer_regime is TransferRegime.ADEQUACY
    assert assess(DATA, "IN", query).facts.transfer_regime is TransferRegime.SAFEGUARDS_NEEDED
    poland = component(assess(DATA, "PL", query), Component.DATA_TRANSFER)
    india = component(assess(DATA, "IN", query), Component.DATA_TRANSFER)
    assert poland is not None
    assert india is not None
    assert poland > india


def test_same_currency_has_no_exchange_risk() -> None:
    query = replace(SERVICE, home="DE")
    assert assess(DATA, "PT", query).facts.fx_volatility == 0.0


def test_missing_data_stays_missing() -> None:
    # North Korea has no price level ratio in the World Bank data.
    north_korea = assess(DATA, "KP", SERVICE)
    assert north_korea.facts.price_level_ratio is None
    assert component(north_korea, Component.COST) is None
    assert north_korea.score.coverage < 1.0


def test_from_a_us_home_full_data_is_full_coverage() -> None:
    """The GDPR transfer rules do not apply from the US: not counted as missing data."""
    ranked = rank(DATA, replace(SERVICE, sensitive_data=True))
    covered = [a for a in ranked if a.score.score is not None]
    assert covered[0].score.coverage == 1.0
    assert sum(a.score.coverage == 1.0 for a in covered) > len(covered) // 2
    india = assess(DATA, "IN", replace(SERVICE, sensitive_data=True))
    assert not india.score.component(Component.DATA_TRANSFER).applies
    assert india.score.coverage == 1.0
    from_germany = assess(DATA, "IN", replace(SERVICE, home="DE", sensitive_data=True))
    assert from_germany.score.component(Component.DATA_TRANSFER).applies


def test_ranking_puts_low_coverage_last_and_excludes_home() -> None:
    ranked = rank(DATA, SERVICE)
    codes = [a.country.iso2 for a in ranked]
    assert "US" not in codes
    flags = [a.score.low_coverage for a in ranked if a.score.score is not None]
    assert flags == sorted(flags)  # every well-covered country before any low-coverage one
    assert len(rank(DATA, SERVICE, top=5)) == 5


def test_an_override_changes_one_country_only() -> None:
    before = {a.country.iso2: a.score.score for a in rank(DATA, SERVICE)}
    bumped = DATA.with_overrides(
        [IndicatorOverride("MX", "inflation_pct", 40.0, 2025, "analyst estimate")]
    )
    after = {a.country.iso2: a.score.score for a in rank(bumped, SERVICE)}
    changed = {code for code in before if before[code] != after[code]}
    assert changed == {"MX"}
    mexico = assess(bumped, "MX", SERVICE)
    assert mexico.facts.inflation_mean_pct is not None
    assert mexico.facts.inflation_mean_pct.value == 40.0
    assert mexico.facts.inflation_mean_pct.source == "scenario: analyst estimate"


def test_unknown_country() -> None:
    with pytest.raises(InputError):
        assess(DATA, "XX", SERVICE)
