"""Indicator series (latest, mean over recent years, trend) and currency-pair volatility."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.domain.indicators import (
    USD,
    CountryIndicators,
    FxSeries,
    Indicator,
    Observation,
    fx_volatility,
)

LN2 = math.log(2)


def country(**series: dict[int, float]) -> CountryIndicators:
    return CountryIndicators(
        iso2="XX", series=series, sources={name: f"src:{name}" for name in series}
    )


def fx(currency: str, start: str, rates: list[float]) -> FxSeries:
    first = np.datetime64(start, "M")
    months = first + np.arange(len(rates)).astype("timedelta64[M]")
    return FxSeries(currency, months, np.array(rates))


def test_latest_is_the_most_recent_year_with_its_source() -> None:
    facts = country(inflation_pct={2021: 3.0, 2023: 5.0, 2022: 8.0})
    assert facts.latest(Indicator.INFLATION) == Observation(5.0, 2023, "src:inflation_pct")
    assert facts.latest("gdp_pc_usd") is None
    assert facts.years("inflation_pct") == (2021, 2022, 2023)


def test_mean_over_the_last_calendar_years_with_data() -> None:
    facts = country(x={2015: 1.0, 2018: 2.0, 2020: 4.0, 2022: 6.0})
    assert facts.mean_over("x") == pytest.approx(4.0)  # 2018-2022: 2, 4, 6
    assert facts.mean_over("x", years=1) == pytest.approx(6.0)
    assert facts.mean_over("x", as_of=2019) == pytest.approx(1.5)  # 2015-2019: 1, 2
    assert facts.mean_over("x", as_of=2010) is None
    assert facts.mean_over("missing") is None
    with pytest.raises(ValueError, match="years"):
        facts.mean_over("x", years=0)


def test_trend_is_the_least_squares_slope_of_the_last_five_points() -> None:
    # The early outlier lies outside the last five points; the rest rise by 2 a year.
    values = {2010: 100.0} | {year: 2.0 * (year - 2015) for year in range(2015, 2020)}
    assert country(x=values).trend("x") == pytest.approx(2.0)
    # Gaps count in years. Points (2018, 0), (2020, 1), (2022, 5): x̄ = 2020, ȳ = 2,
    # Σdx·dy = (-2)(-2) + 0·(-1) + 2·3 = 10, Σdx² = 8.
    assert country(x={2018: 0.0, 2020: 1.0, 2022: 5.0}).trend("x") == pytest.approx(10 / 8)
    assert country(x={2021: 1.0, 2022: 2.0}).trend("x") is None
    assert country().trend("x") is None


def test_volatility_against_the_dollar_by_hand() -> None:
    # Work currency at 1, 2, 1, 2 US$: cross rate 1, 0.5, 1, 0.5 work units per US$, whose
    # log changes are -a, a, -a with a = ln 2; sample std = 2a/√3; × √12 = 4a.
    work = fx("AAA", "2020-01", [1.0, 2.0, 1.0, 2.0])
    assert fx_volatility(FxSeries.usd(), work, min_changes=2) == pytest.approx(4 * LN2)
    assert fx_volatility(work, FxSeries.usd(), min_changes=2) == pytest.approx(4 * LN2)


def test_volatility_of_two_currencies_over_the_months_both_have() -> None:
    home = fx("AAA", "2020-01", [1.0, 2.0, 4.0, 8.0])  # January to April
    work = fx("BBB", "2020-02", [1.0, 2.0, 1.0])  # February to April
    # Cross rate Feb-Apr: 2/1, 4/2, 8/1 = 2, 2, 8; changes 0, ln 4; std = √2·ln 2.
    expected = math.sqrt(2) * LN2 * math.sqrt(12)
    assert fx_volatility(home, work, min_changes=2) == pytest.approx(expected)


def test_a_gap_is_never_bridged() -> None:
    months = np.array(["2020-01", "2020-02", "2020-04", "2020-05"], dtype="datetime64[M]")
    work = FxSeries("AAA", months, np.array([1.0, 2.0, 8.0, 4.0]))
    # Changes Jan→Feb: -ln 2; Apr→May: +ln 2 (Feb→Apr skipped). std = √2·ln 2.
    expected = math.sqrt(2) * LN2 * math.sqrt(12)
    assert fx_volatility(FxSeries.usd(), work, min_changes=2) == pytest.approx(expected)


def test_only_changes_within_the_window_count() -> None:
    work = fx("AAA", "2020-01", [5.0, 1.0, 2.0, 1.0, 2.0])
    calm = fx_volatility(FxSeries.usd(), work, window_months=3, min_changes=2)
    assert calm == pytest.approx(4 * LN2)  # the big first change falls outside
    assert fx_volatility(FxSeries.usd(), work, window_months=4, min_changes=2) != calm


def test_too_few_changes_give_none_and_the_same_currency_zero() -> None:
    work = fx("AAA", "2020-01", [1.0, 2.0, 1.0])
    assert fx_volatility(FxSeries.usd(), work) is None  # 2 changes < 12
    assert fx_volatility(FxSeries.usd(), fx("AAA", "2020-01", [1.0])) is None
    other = fx("AAA", "2021-01", [3.0, 9.0])
    assert fx_volatility(work, other) == 0.0
    assert fx_volatility(FxSeries.usd(), FxSeries.usd()) == 0.0


def test_series_are_validated_and_read_only() -> None:
    months = np.array(["2020-02", "2020-01"], dtype="datetime64[M]")
    with pytest.raises(ValueError, match="increasing"):
        FxSeries("AAA", months, np.array([1.0, 1.0]))
    with pytest.raises(ValueError, match="positive"):
        fx("AAA", "2020-01", [1.0, 0.0])
    with pytest.raises(ValueError, match="equal length"):
        FxSeries("AAA", months[:1], np.array([1.0, 1.0]))
    series = fx("AAA", "2020-01", [1.0, 2.0])
    with pytest.raises(ValueError, match="read-only"):
        series.usd_per_unit[0] = 5.0
    assert FxSeries.usd().currency == USD


rates = st.lists(st.floats(0.01, 100.0), min_size=14, max_size=40)


@given(rates, rates, st.floats(0.001, 1000.0))
def test_volatility_is_symmetric_and_ignores_the_level(
    a: list[float], b: list[float], scale: float
) -> None:
    home, work = fx("AAA", "2020-01", a), fx("BBB", "2020-03", b)
    forward = fx_volatility(home, work)
    backward = fx_volatility(work, home)
    scaled = fx_volatility(home, fx("BBB", "2020-03", [r * scale for r in b]))
    if forward is None:
        assert backward is None
        assert scaled is None
        return
    assert forward >= 0
    assert backward == pytest.approx(forward)
    assert scaled == pytest.approx(forward, abs=1e-9)
