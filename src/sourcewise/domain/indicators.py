"""Country indicators over the years, and the volatility of a currency pair.

The records hold what the packaged snapshot holds (see ``sourcewise/data/SOURCES.md``): one
series ``{year: value}`` per indicator and country, and monthly exchange rates as US dollars per
unit of each currency. Nothing here reads files; ``adapters/indicator_table.py`` does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
MonthArray = npt.NDArray[np.datetime64]

USD = "USD"


class Indicator(StrEnum):
    """The indicator ids of the snapshot; units and sources are in ``data/SOURCES.md``."""

    WGI_VOICE_ACCOUNTABILITY = "wgi_va_est"
    WGI_POLITICAL_STABILITY = "wgi_pv_est"
    WGI_GOVERNMENT_EFFECTIVENESS = "wgi_ge_est"
    WGI_REGULATORY_QUALITY = "wgi_rq_est"
    WGI_RULE_OF_LAW = "wgi_rl_est"
    WGI_CONTROL_OF_CORRUPTION = "wgi_cc_est"
    WGI_VOICE_ACCOUNTABILITY_SE = "wgi_va_se"
    WGI_POLITICAL_STABILITY_SE = "wgi_pv_se"
    WGI_GOVERNMENT_EFFECTIVENESS_SE = "wgi_ge_se"
    WGI_REGULATORY_QUALITY_SE = "wgi_rq_se"
    WGI_RULE_OF_LAW_SE = "wgi_rl_se"
    WGI_CONTROL_OF_CORRUPTION_SE = "wgi_cc_se"
    INFLATION = "inflation_pct"
    PRICE_LEVEL_RATIO = "price_level_ratio"
    GDP_PER_CAPITA_USD = "gdp_pc_usd"
    GDP_PER_CAPITA_PPP = "gdp_pc_ppp"
    PPP_FACTOR = "ppp_factor"
    FX_LCU_PER_USD = "fx_lcu_per_usd"
    INTERNET_USERS = "internet_pct"
    MINIMUM_WAGE_USD = "min_wage_usd_month"
    EARNINGS_PPP = "earnings_ppp_month"


INDICATOR_NAMES: Mapping[str, str] = {
    Indicator.WGI_VOICE_ACCOUNTABILITY: "Voice and accountability (WGI estimate)",
    Indicator.WGI_POLITICAL_STABILITY: "Political stability (WGI estimate)",
    Indicator.WGI_GOVERNMENT_EFFECTIVENESS: "Government effectiveness (WGI estimate)",
    Indicator.WGI_REGULATORY_QUALITY: "Regulatory quality (WGI estimate)",
    Indicator.WGI_RULE_OF_LAW: "Rule of law (WGI estimate)",
    Indicator.WGI_CONTROL_OF_CORRUPTION: "Control of corruption (WGI estimate)",
    Indicator.WGI_VOICE_ACCOUNTABILITY_SE: "Voice and accountability (WGI standard error)",
    Indicator.WGI_POLITICAL_STABILITY_SE: "Political stability (WGI standard error)",
    Indicator.WGI_GOVERNMENT_EFFECTIVENESS_SE: "Government effectiveness (WGI standard error)",
    Indicator.WGI_REGULATORY_QUALITY_SE: "Regulatory quality (WGI standard error)",
    Indicator.WGI_RULE_OF_LAW_SE: "Rule of law (WGI standard error)",
    Indicator.WGI_CONTROL_OF_CORRUPTION_SE: "Control of corruption (WGI standard error)",
    Indicator.INFLATION: "Inflation, consumer prices (% a year)",
    Indicator.PRICE_LEVEL_RATIO: "Price level ratio (US = 1)",
    Indicator.GDP_PER_CAPITA_USD: "GDP per capita (US$)",
    Indicator.GDP_PER_CAPITA_PPP: "GDP per capita (PPP $)",
    Indicator.PPP_FACTOR: "PPP conversion factor (local currency per PPP $)",
    Indicator.FX_LCU_PER_USD: "Exchange rate (local currency per US$)",
    Indicator.INTERNET_USERS: "Internet users (% of population)",
    Indicator.MINIMUM_WAGE_USD: "Minimum wage (US$ a month)",
    Indicator.EARNINGS_PPP: "Average earnings (2021 PPP $ a month)",
}
"""What each indicator is called on pages and in reports (``data/SOURCES.md`` has the detail)."""


@dataclass(frozen=True, slots=True)
class Observation:
    value: float
    year: int
    source: str
    """Source id, a row of the packaged ``sources.csv``."""


@dataclass(frozen=True, slots=True)
class CountryIndicators:
    """Every indicator series of one country. A missing year is absent, never zero."""

    iso2: str
    series: Mapping[str, Mapping[int, float]] = field(default_factory=dict)
    """Indicator id -> {year: value}."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Indicator id -> source id (one source per indicator)."""

    def years(self, indicator: str) -> tuple[int, ...]:
        return tuple(sorted(self.series.get(indicator, {})))

    def latest(self, indicator: str) -> Observation | None:
        """The most recent observation, or None when the country has none."""
        values = self.series.get(indicator)
        if not values:
            return None
        year = max(values)
        return Observation(values[year], year, self.sources.get(indicator, ""))

    def mean_over(
        self, indicator: str, years: int = 5, *, as_of: int | None = None
    ) -> float | None:
        """Mean of the values in the last ``years`` calendar years of the series, up to and
        including ``as_of`` (default: the series' latest year); None when there are none.

        With ``years=5`` and data for 2018, 2020 and 2022, the mean is over those three.
        """
        if years < 1:
            raise ValueError("years must be at least 1")
        values = self.series.get(indicator)
        if not values:
            return None
        end = max(values) if as_of is None else as_of
        window = [v for y, v in values.items() if end - years < y <= end]
        return math.fsum(window) / len(window) if window else None

    def trend(self, indicator: str, points: int = 5) -> float | None:
        """Least-squares slope per year over the last ``points`` observations; None with
        fewer than 3."""
        values = self.series.get(indicator, {})
        years = sorted(values)[-points:]
        if len(years) < 3:
            return None
        x = np.asarray(years, dtype=np.float64)
        y = np.asarray([values[year] for year in years], dtype=np.float64)
        dx = x - x.mean()
        return float(np.dot(dx, y - y.mean()) / np.dot(dx, dx))


@dataclass(frozen=True, slots=True, eq=False)
class FxSeries:
    """Monthly average exchange rate of one currency, as US dollars per unit.

    ``months`` is strictly increasing (``datetime64[M]``); months without a rate are absent.
    The US dollar itself is 1.0 in every month, whatever its arrays hold.
    """

    currency: str
    months: MonthArray
    usd_per_unit: FloatArray

    def __post_init__(self) -> None:
        months = np.array(self.months, dtype="datetime64[M]")
        rates = np.array(self.usd_per_unit, dtype=np.float64)
        if months.ndim != 1 or months.shape != rates.shape:
            raise ValueError(f"{self.currency}: months and rates must be 1-D of equal length")
        if months.size > 1 and not bool(np.all(months[1:] > months[:-1])):
            raise ValueError(f"{self.currency}: months must be strictly increasing")
        if not bool(np.all(rates > 0)):
            raise ValueError(f"{self.currency}: rates must be positive")
        months.setflags(write=False)
        rates.setflags(write=False)
        object.__setattr__(self, "months", months)
        object.__setattr__(self, "usd_per_unit", rates)

    @classmethod
    def usd(cls) -> FxSeries:
        return cls(USD, np.array([], dtype="datetime64[M]"), np.array([], dtype=np.float64))


def fx_volatility(
    home: FxSeries, work: FxSeries, window_months: int = 60, *, min_changes: int = 12
) -> float | None:
    """Annualised volatility of the work currency against the home currency.

    The cross rate is work-currency units per home-currency unit,
    ``usd_per_unit(home) / usd_per_unit(work)``, over the months both series have. The result
    is ``sqrt(12)`` times the sample standard deviation of its monthly log changes: only
    changes between consecutive calendar months count (a gap is never bridged), and only
    those ending in the last ``window_months`` months up to the latest month both series
    have. None when fewer than ``min_changes`` changes remain; 0.0 for the same currency.
    """
    if window_months < 1 or min_changes < 2:
        raise ValueError("window_months must be at least 1 and min_changes at least 2")
    if home.currency == work.currency:
        return 0.0
    changes = cross_rate_changes(home, work, window_months)
    if changes is None or changes.size < min_changes:
        return None
    return float(np.std(changes, ddof=1) * math.sqrt(12))


def cross_rate_changes(
    home: FxSeries, work: FxSeries, window_months: int = 60
) -> FloatArray | None:
    """Monthly log changes of the work currency per home-currency unit, between consecutive
    calendar months only, ending in the last ``window_months`` months both series have."""
    if home.currency == USD:
        months, home_rate, work_rate = (
            work.months,
            np.ones_like(work.usd_per_unit),
            work.usd_per_unit,
        )
    elif work.currency == USD:
        months, home_rate, work_rate = (
            home.months,
            home.usd_per_unit,
            np.ones_like(home.usd_per_unit),
        )
    else:
        months, in_home, in_work = np.intersect1d(
            home.months, work.months, assume_unique=True, return_indices=True
        )
        home_rate, work_rate = home.usd_per_unit[in_home], work.usd_per_unit[in_work]
    if months.size < 2:
        return None
    changes = np.diff(np.log(home_rate) - np.log(work_rate))
    ends = months[1:]
    keep = (np.diff(months) == np.timedelta64(1, "M")) & (
        ends > months[-1] - np.timedelta64(window_months, "M")
    )
    kept: FloatArray = changes[keep]
    return kept


def bootstrap_fx_paths(
    changes: FloatArray, draws: int, months: int, rng: np.random.Generator
) -> FloatArray:
    """Exchange-rate paths by bootstrapping historical monthly changes, shape (draws, months).

    Each month of each path draws one historical monthly log change at random (with
    replacement) from ``changes`` (work currency per home unit), centred on zero so the past
    trend is not projected forward; the volatility is the history's. The result is the
    home-currency value of one unit of the work currency relative to today: 1 at month 0.
    """
    if changes.size == 0:
        raise ValueError("no exchange-rate changes to bootstrap")
    centred = changes - changes.mean()
    picks = rng.integers(0, centred.size, size=(draws, months))
    path: FloatArray = np.exp(-np.cumsum(centred[picks], axis=1))
    return path
