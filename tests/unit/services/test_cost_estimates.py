"""Cost estimates: the BLS figures as published, the ILO conversion as the bundled example works
it by hand, the named assumptions, overrides and refusals."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

from sourcewise.adapters.indicator_table import load_indicators
from sourcewise.domain.estimates import GIVEN, MAX_SOURCE, Estimate, combine, pert_with_mean
from sourcewise.domain.scenario import FunctionKind
from sourcewise.services.cost_estimates import (
    EstimateError,
    EstimateRequest,
    estimate_costs,
    find_roles,
    kind_of,
)

ROOT = Path(__file__).parents[3]
EXAMPLE = ROOT / "examples/us-customer-service.yaml"
RAW_OEWS = ROOT / "data/raw/bls-oews/national_M2023_dl.csv"


def _us_service(**given: float) -> EstimateRequest:
    return EstimateRequest(
        home="US",
        countries=("PH", "IN", "MX"),
        fte=120,
        role="Customer Service Representatives",
        given=given,
    )


def test_us_customer_service_pay_is_the_bls_mean_and_percentiles() -> None:
    estimate = estimate_costs(_us_service())
    assert estimate.occupation.soc_code == "43-4051"
    assert estimate.kind is FunctionKind.CUSTOMER_SERVICE
    market = estimate.home.market
    assert market is not None
    # As published: SOURCES.md of the raw data gives mean 43,520 and median 39,680.
    assert (market.mean, market.p50) == (43_520, 39_680)
    assert (market.p10, market.p25, market.p75, market.p90) == (29_560, 34_780, 48_480, 61_250)
    pay = estimate.home.pay
    assert pay.mean == pytest.approx(43_520)
    assert pay.low == 34_780
    assert pay.high == 48_480
    assert "43-4051" in pay.source
    assert "43,520" in pay.source


def test_the_packaged_table_holds_the_raw_files_wages() -> None:
    packaged = {
        (row["soc_code"], row["group"]): row
        for row in csv.DictReader(
            resources.files("sourcewise.data")
            .joinpath("us_occupation_wages.csv")
            .read_text("utf-8")
            .splitlines()
        )
    }
    if not RAW_OEWS.exists():
        pytest.skip(f"{RAW_OEWS} absent")
    with RAW_OEWS.open(encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle))
    assert len(packaged) == len(raw) == 1403
    for row in raw:
        mine = packaged[row["OCC_CODE"], row["O_GROUP"]]
        for theirs, ours in (("A_MEAN", "a_mean"), ("A_MEDIAN", "a_p50"), ("A_PCT90", "a_p90")):
            value = row[theirs]
            expected = "" if value in ("#", "*") else value.replace(",", "")
            assert mine[ours] == expected, (row["OCC_CODE"], theirs)
        assert ("a_p90" in mine["top_coded"].split()) == (row["A_PCT90"] == "#")


def _worked_numbers() -> dict[str, tuple[int, float, float]]:
    """The example's comment lines '#   PH 2022:   811.12 PPP$ × 19.0785 / 54.4778 = 284.06
    USD/month =  3,409 USD/year': country -> (year, US$ a month, US$ a year)."""
    pattern = re.compile(r"#\s+([A-Z]{2}) (\d{4}):.*=\s+([\d,.]+) USD/month =\s+([\d,]+) USD/year")
    found = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            country, year, month, annual = match.groups()
            found[country] = (
                int(year),
                float(month.replace(",", "")),
                float(annual.replace(",", "")),
            )
    return found


def test_conversion_reproduces_the_worked_numbers_of_the_bundled_example() -> None:
    worked = _worked_numbers()
    assert set(worked) >= {"PH", "IN", "MX"}
    estimate = estimate_costs(_us_service())
    for country in ("PH", "IN", "MX"):
        site = estimate.site(country)
        year, month, annual = worked[country]
        assert site.year == year
        assert site.national_average is not None
        assert site.national_average.mode / 12 == pytest.approx(month, abs=0.005)
        assert site.national_average.mode == pytest.approx(annual, abs=0.5)
        assert f"{month:,.2f} US$/month" in site.national_average.source


def test_every_line_has_a_short_source_and_an_ordered_range() -> None:
    estimate = estimate_costs(_us_service())
    for site in (estimate.home, *estimate.sites):
        for line in site.lines():
            assert line.source, (site.country, line.key)
            assert len(line.source) <= MAX_SOURCE, (site.country, line.key)
            low, mode, high = line.ends()
            assert low <= mode <= high


def test_vendor_rate_and_own_cost_follow_their_formulas() -> None:
    site = estimate_costs(_us_service()).site("PH")
    pay, load, seat = site.pay.mode, site.benefits_load.mode, site.seat_cost.mode
    assert site.cost_per_fte.mode == pytest.approx(pay * load + seat)
    expected = (pay * (load + site.vendor_overhead.mode) + seat) * site.markup.mode / 1800
    assert site.hourly_rate.mode == pytest.approx(expected)
    assert site.cost_per_fte.low < site.cost_per_fte.mode < site.cost_per_fte.high  # type: ignore[operator]


def test_given_numbers_replace_estimates_and_flow_into_the_rest() -> None:
    base = estimate_costs(_us_service()).site("PH")
    changed = estimate_costs(_us_service(**{"PH.role_factor": 2.0, "IN.hourly_rate": 11.0}))
    ph = changed.site("PH")
    assert ph.role_factor is not None
    assert ph.role_factor.given
    assert ph.role_factor.source == GIVEN
    assert ph.pay.mode == pytest.approx(base.pay.mode / 1.5 * 2.0)
    rate = changed.site("IN").hourly_rate
    assert (rate.mode, rate.low, rate.high, rate.given) == (11.0, None, None, True)
    fixed = estimate_costs(_us_service(current_annual_cost=7_570_891))
    assert fixed.current_annual_cost.mean == 7_570_891


def test_a_home_country_other_than_the_us_takes_the_bls_ratio_in_its_currency() -> None:
    estimate = estimate_costs(EstimateRequest(home="DE", countries=("PL",), fte=40, role="15-1252"))
    assert estimate.currency == "EUR"
    fx = load_indicators()["DE"].series["fx_lcu_per_usd"][2023]
    assert estimate.usd_rate == fx
    factor = estimate.home.role_factor
    assert factor is not None
    assert factor.mode == pytest.approx(138_110 / 65_470)  # Software Developers / all
    assert estimate.home.market is None
    assert estimate.kind is FunctionKind.SOFTWARE_DEVELOPMENT


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (EstimateRequest(home="XX", countries=(), fte=1), "home"),
        (EstimateRequest(home="US", countries=("ZZ",), fte=1), "country"),
        (EstimateRequest(home="US", countries=(), fte=0), "fte"),
        (EstimateRequest(home="US", countries=(), fte=1, role="no such job at all"), "role"),
        (EstimateRequest(home="US", countries=(), fte=1, currency="EUR"), "currency"),
        (EstimateRequest(home="US", countries=(), fte=1, kind=FunctionKind.MANUFACTURING), "kind"),
        (EstimateRequest(home="US", countries=("PH",), fte=1, given={"PH.colour": 1}), "given"),
        (EstimateRequest(home="US", countries=("PH",), fte=1, given={"IN.pay": 1}), "given"),
        (EstimateRequest(home="US", countries=("AQ",), fte=1), "country"),
    ],
)
def test_refusals_name_the_field(request_: EstimateRequest, field: str) -> None:
    with pytest.raises(EstimateError, match=rf"^{field}: "):
        estimate_costs(request_)


def test_a_role_with_several_close_matches_is_refused_with_them() -> None:
    with pytest.raises(EstimateError, match=r"closest: .*43-4051"):
        estimate_costs(EstimateRequest(home="US", countries=(), fte=1, role="service"))


def test_roles_are_found_by_code_title_words_and_near_spellings() -> None:
    assert [o.soc_code for o in find_roles("43-4051")] == ["43-4051"]
    assert find_roles("customer service")[0].soc_code == "43-4051"
    assert find_roles("Custmer Service Representatives")[0].soc_code == "43-4051"
    assert find_roles("   ") == []
    assert kind_of(find_roles("15-1252")[0]) is FunctionKind.SOFTWARE_DEVELOPMENT
    assert kind_of(find_roles("13-2011")[0]) is FunctionKind.FINANCE_AND_ACCOUNTING


def test_every_country_with_ilo_earnings_gets_an_estimate_with_valid_sources() -> None:
    with_earnings = [
        code
        for code, country in load_indicators().items()
        if any(y <= 2023 for y in country.series.get("earnings_ppp_month", {})) and code != "US"
    ]
    assert len(with_earnings) > 100
    for chunk in range(0, len(with_earnings), 20):
        countries = tuple(with_earnings[chunk : chunk + 20])
        estimate = estimate_costs(EstimateRequest(home="US", countries=countries, fte=10))
        assert [site.country for site in estimate.sites] == list(countries)
        for site in estimate.sites:
            for line in site.lines():
                assert 0 < len(line.source) <= MAX_SOURCE, (site.country, line.key)
                assert line.mean >= 0, (site.country, line.key)


def test_estimates_combine_at_both_ends_and_pert_keeps_a_given_mean() -> None:
    a = Estimate("a", "a", 2.0, 1.0, 4.0)
    b = Estimate("b", "b", 10.0)
    total = combine("t", "t", lambda x, y: x * y, (a, b), unit="", source="s")
    assert (total.low, total.mode, total.high) == (10.0, 20.0, 40.0)
    mode = pert_with_mean(34_780, 43_520, 48_480)
    assert (34_780 + 4 * mode + 48_480) / 6 == pytest.approx(43_520)
    assert pert_with_mean(0, 100, 10) == 10  # a mean outside the range: the mode is clipped
    with pytest.raises(ValueError, match="both ends"):
        Estimate("x", "x", 1.0, low=0.5)
    with pytest.raises(ValueError, match="does not hold"):
        Estimate("x", "x", 5.0, 1.0, 2.0)
