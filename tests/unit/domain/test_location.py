"""Time zones (with daylight saving), working-hour overlap and how a work country relates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

import pytest
from domain_factories import FAR, HOME, NEIGHBOUR
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.adapters.country_table import load_countries
from sourcewise.domain.location import (
    WORKDAY_HOURS,
    CountryFacts,
    GdprStatus,
    TransferRegime,
    relate,
    utc_offset_hours,
    working_overlap_hours,
)

WINTER = datetime(2026, 1, 15, 12)
SUMMER = datetime(2026, 7, 15, 12)


def country(iso2: str, timezone: str, languages: tuple[str, ...] = ("en",)) -> CountryFacts:
    return CountryFacts(
        iso2=iso2,
        name=f"Country {iso2}",
        business_city=f"City {iso2}",
        timezone=timezone,
        neighbours=frozenset(),
        languages=languages,
        currency="XXX",
    )


@pytest.fixture(scope="module")
def countries() -> Mapping[str, CountryFacts]:
    return load_countries()


# --- UTC offsets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "winter", "summer"),
    [
        ("UTC", 0.0, 0.0),
        ("Europe/London", 0.0, 1.0),
        ("Europe/Berlin", 1.0, 2.0),
        ("America/New_York", -5.0, -4.0),
        ("America/Los_Angeles", -8.0, -7.0),
        ("Australia/Sydney", 11.0, 10.0),  # southern hemisphere: summer time in January
        ("America/Santiago", -3.0, -4.0),
        ("Asia/Kolkata", 5.5, 5.5),  # half-hour offset, no daylight saving
        ("Asia/Kathmandu", 5.75, 5.75),
        ("Asia/Manila", 8.0, 8.0),
    ],
)
def test_utc_offset_hours_follows_daylight_saving(
    timezone: str, winter: float, summer: float
) -> None:
    assert utc_offset_hours(timezone, WINTER) == winter
    assert utc_offset_hours(timezone, SUMMER) == summer


# --- working overlap -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "overlap"),
    [(0.0, 8.0), (1.0, 7.0), (-3.0, 5.0), (5.5, 2.5), (-7.5, 0.5), (8.0, 0.0), (10.5, 0.0)],
)
def test_working_overlap_of_two_nine_to_five_days(gap: float, overlap: float) -> None:
    assert working_overlap_hours(gap) == overlap


@given(st.floats(-14, 14, allow_nan=False))
def test_working_overlap_is_symmetric_and_bounded(gap: float) -> None:
    overlap = working_overlap_hours(gap)
    assert overlap == working_overlap_hours(-gap)
    assert 0.0 <= overlap <= WORKDAY_HOURS


# --- relate: hand-made countries -------------------------------------------------------------


def test_same_zone_is_full_overlap_and_not_abroad() -> None:
    rel = relate(HOME, HOME)
    assert not rel.abroad
    assert rel.timezone_gap_hours == 0.0
    assert rel.overlap_hours == 8.0
    assert rel.shared_languages == HOME.languages


def test_gap_is_signed_work_minus_home_and_the_widest_over_the_year() -> None:
    # Berlin from New York: +6 in January and July (both observe daylight saving).
    ny, berlin = country("AA", "America/New_York"), country("BB", "Europe/Berlin")
    assert relate(ny, berlin).timezone_gap_hours == 6.0
    assert relate(berlin, ny).timezone_gap_hours == -6.0
    assert relate(ny, berlin).overlap_hours == 2.0


def test_daylight_saving_in_only_one_country_takes_the_wider_gap_and_fewer_hours() -> None:
    # London → Kolkata: +5.5 in January, +4.5 in British summer.
    london, kolkata = country("AA", "Europe/London"), country("BB", "Asia/Kolkata")
    rel = relate(london, kolkata)
    assert rel.timezone_gap_hours == 5.5
    assert rel.overlap_hours == 2.5


def test_opposite_hemispheres_take_the_widest_gap() -> None:
    # New York → Santiago: +2 in January (Chilean summer time), 0 in July.
    rel = relate(country("AA", "America/New_York"), country("BB", "America/Santiago"))
    assert rel.timezone_gap_hours == 2.0
    assert rel.overlap_hours == 6.0


def test_widest_gap_keeps_its_sign_when_negative() -> None:
    # Berlin → Sydney is positive; Sydney → Berlin: −10 in January, −8 in July.
    rel = relate(country("AA", "Australia/Sydney"), country("BB", "Europe/Berlin"))
    assert rel.timezone_gap_hours == -10.0
    assert rel.overlap_hours == 0.0


def test_neighbouring_comes_from_the_home_countrys_neighbour_list() -> None:
    assert relate(HOME, NEIGHBOUR).neighbouring
    assert not relate(HOME, FAR).neighbouring


def test_shared_languages_keep_home_order() -> None:
    home = country("AA", "UTC", ("en", "fr", "de"))
    work = country("BB", "UTC", ("de", "nl", "en"))
    assert relate(home, work).shared_languages == ("en", "de")
    assert relate(home, country("CC", "UTC", ("ja",))).shared_languages == ()


def test_abroad_compares_country_codes() -> None:
    assert relate(HOME, FAR).abroad
    assert relate(HOME, NEIGHBOUR).abroad


# --- currency and the GDPR transfer regime ---------------------------------------------------


def test_same_currency() -> None:
    home = country("AA", "UTC")
    assert relate(home, country("BB", "UTC")).same_currency
    assert not relate(home, replace(country("BB", "UTC"), currency="YYY")).same_currency


@pytest.mark.parametrize(
    ("work", "regime"),
    [
        (GdprStatus.EEA, TransferRegime.WITHIN_EEA),
        (GdprStatus.ADEQUACY, TransferRegime.ADEQUACY),
        (GdprStatus.PARTIAL_ADEQUACY, TransferRegime.PARTIAL_ADEQUACY),
        (GdprStatus.THIRD_COUNTRY, TransferRegime.SAFEGUARDS_NEEDED),
    ],
)
def test_transfer_regime_from_the_eea(work: GdprStatus, regime: TransferRegime) -> None:
    home = replace(country("AA", "UTC"), gdpr=GdprStatus.EEA)
    assert relate(home, replace(country("BB", "UTC"), gdpr=work)).transfer_regime is regime


@pytest.mark.parametrize("home", [s for s in GdprStatus if s is not GdprStatus.EEA])
@pytest.mark.parametrize("work", list(GdprStatus))
def test_transfer_regime_outside_the_eea_is_not_governed(
    home: GdprStatus, work: GdprStatus
) -> None:
    rel = relate(replace(country("AA", "UTC"), gdpr=home), replace(country("BB", "UTC"), gdpr=work))
    assert rel.transfer_regime is TransferRegime.NOT_GOVERNED


def test_missing_gdpr_facts_default_to_a_third_country() -> None:
    assert country("AA", "UTC").gdpr is GdprStatus.THIRD_COUNTRY


@pytest.mark.parametrize(
    ("home", "work", "regime", "same_currency"),
    [
        ("DE", "PL", TransferRegime.WITHIN_EEA, False),
        ("DE", "FR", TransferRegime.WITHIN_EEA, True),
        ("DE", "NO", TransferRegime.WITHIN_EEA, False),  # EEA, not EU
        ("DE", "GB", TransferRegime.ADEQUACY, False),
        ("DE", "US", TransferRegime.PARTIAL_ADEQUACY, False),  # Data Privacy Framework only
        ("DE", "IN", TransferRegime.SAFEGUARDS_NEEDED, False),
        ("US", "IN", TransferRegime.NOT_GOVERNED, False),
    ],
)
def test_transfer_regime_of_real_countries(
    countries: Mapping[str, CountryFacts],
    home: str,
    work: str,
    regime: TransferRegime,
    same_currency: bool,
) -> None:
    rel = relate(countries[home], countries[work])
    assert rel.transfer_regime is regime
    assert rel.same_currency is same_currency


# --- relate: the packaged country table ------------------------------------------------------


@pytest.mark.parametrize(
    ("home", "work", "gap", "overlap", "neighbouring", "shared"),
    [
        ("US", "PH", 13.0, 0.0, False, ("en",)),  # New York → Manila
        # Mexico dropped daylight saving in 2022; CLDR: 13% of Mexicans speak English.
        ("US", "MX", -2.0, 6.0, True, ("en",)),
        ("US", "CA", 0.0, 8.0, True, ("en",)),
        ("GB", "IN", 5.5, 2.5, False, ("en",)),
        ("DE", "PL", 0.0, 8.0, True, ("de", "en")),  # CLDR: 19% German, 33% English in Poland
        ("GB", "US", -5.0, 3.0, False, ("en",)),
    ],
)
def test_relate_real_countries(
    countries: Mapping[str, CountryFacts],
    home: str,
    work: str,
    gap: float,
    overlap: float,
    neighbouring: bool,
    shared: tuple[str, ...],
) -> None:
    rel = relate(countries[home], countries[work])
    assert rel.abroad
    assert rel.timezone_gap_hours == gap
    assert rel.overlap_hours == overlap
    assert rel.neighbouring is neighbouring
    assert rel.shared_languages == shared


def test_gap_across_the_date_line_is_short() -> None:
    from sourcewise.domain.location import working_overlap_hours, wrap_gap

    assert wrap_gap(21.0) == -3.0  # Los Angeles -> Auckland in the northern winter
    assert wrap_gap(13.0) == 13.0  # New York -> Manila stays as quoted
    assert working_overlap_hours(21.0) == 5.0
    assert working_overlap_hours(-13.0) == 0.0


def test_large_minorities_count_as_a_talent_pool() -> None:
    from sourcewise.domain.location import CountryFacts

    def country(population: int) -> CountryFacts:
        return CountryFacts(
            "XA",
            "X",
            "c",
            "UTC",
            frozenset(),
            ("en",),
            "USD",
            population=population,
            official_languages=("en",),
            language_shares={"en": 0.96, "es": 0.096},
        )

    assert country(330_000_000).staffing_share("es") == 0.5  # 32 million speakers
    assert country(20_000_000).staffing_share("es") == 0.1  # 1.9 million
    assert country(5_000_000).staffing_share("es") == pytest.approx(0.096)  # 480 thousand
    assert country(5_000_000).staffing_share("en") == 1.0  # official
    assert country(5_000_000).staffing_share("fr") == 0.0
