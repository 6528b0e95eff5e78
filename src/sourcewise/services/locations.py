"""Location intelligence: every fact the product knows about a country as a place to work
from, relative to a home country, and a score for a kind of function.

Facts come from the packaged snapshot (indicators, exchange rates, countries, GDPR regime); the
working-hour overlap is computed over the whole year with real daylight-saving rules, and the
shared working days with each side's public holidays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.holiday_calendar import holiday_calendar
from sourcewise.adapters.indicator_table import load_fx_monthly, load_indicators, load_sources
from sourcewise.domain.indicators import USD, CountryIndicators, FxSeries, Indicator, fx_volatility
from sourcewise.domain.location import CountryFacts, great_circle_km, relate
from sourcewise.domain.location_score import (
    LocationFacts,
    LocationScore,
    Observed,
    score_location,
    weights_for,
)
from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.scenario import FunctionKind, IndicatorOverride
from sourcewise.domain.working_time import (
    HolidayOverlap,
    OverlapStats,
    WorkingHours,
    Workplace,
    compare_working_days,
    overlap_over_year,
)

FX_WINDOW_MONTHS = 60
"""Exchange-rate volatility is measured over the last five years of monthly changes."""

WGI = {
    "va": Indicator.WGI_VOICE_ACCOUNTABILITY,
    "pv": Indicator.WGI_POLITICAL_STABILITY,
    "ge": Indicator.WGI_GOVERNMENT_EFFECTIVENESS,
    "rq": Indicator.WGI_REGULATORY_QUALITY,
    "rl": Indicator.WGI_RULE_OF_LAW,
    "cc": Indicator.WGI_CONTROL_OF_CORRUPTION,
}

SHOWN_INDICATORS = (
    Indicator.PRICE_LEVEL_RATIO,
    Indicator.GDP_PER_CAPITA_USD,
    Indicator.GDP_PER_CAPITA_PPP,
    Indicator.INFLATION,
    Indicator.INTERNET_USERS,
    Indicator.MINIMUM_WAGE_USD,
    Indicator.EARNINGS_PPP,
    *WGI.values(),
    Indicator.WGI_VOICE_ACCOUNTABILITY_SE,
    Indicator.WGI_POLITICAL_STABILITY_SE,
    Indicator.WGI_GOVERNMENT_EFFECTIVENESS_SE,
    Indicator.WGI_REGULATORY_QUALITY_SE,
    Indicator.WGI_RULE_OF_LAW_SE,
    Indicator.WGI_CONTROL_OF_CORRUPTION_SE,
)


@dataclass(frozen=True, slots=True)
class LocationQuery:
    """What is being placed: the function's needs and the working patterns on each side."""

    home: str
    kind: FunctionKind = FunctionKind.OTHER
    sensitive_data: bool = False
    languages: tuple[str, ...] = ()
    overlap_hours_needed: float = 2.0
    year: int = field(default_factory=lambda: date.today().year)
    home_hours: WorkingHours = field(default_factory=WorkingHours)
    work_hours: WorkingHours = field(default_factory=WorkingHours)
    follows_home_clock: bool = False
    """The site works the home country's hours by the home clock (e.g. a night shift)."""


@dataclass(frozen=True, slots=True)
class LocationAssessment:
    country: CountryFacts
    home: CountryFacts
    facts: LocationFacts
    score: LocationScore
    overlap: OverlapStats
    holidays: HolidayOverlap
    indicators: Mapping[str, Observed]
    """Latest value of each shown indicator the country has (absent ones are missing)."""
    inflation_trend: float | None
    """Slope of yearly inflation, percentage points per year, over the last five points."""


def source_catalogue() -> Mapping[str, Mapping[str, str]]:
    """Each data source an assessment may cite (publisher, dataset, unit, licence, origin), by
    its id."""
    return load_sources()


@dataclass(frozen=True, slots=True)
class LocationData:
    """The packaged data every assessment reads, loaded once."""

    countries: Mapping[str, CountryFacts]
    indicators: Mapping[str, CountryIndicators]
    fx: Mapping[str, FxSeries]

    @classmethod
    def packaged(cls) -> LocationData:
        return cls(load_countries(), load_indicators(), load_fx_monthly())

    def with_overrides(self, overrides: Sequence[IndicatorOverride]) -> LocationData:
        """A copy in which each override replaces its whole series.

        The scenario's value then stands alone: latest value, multi-year means and trends of
        that indicator all rest on it, and its source is the scenario's.
        """
        indicators = dict(self.indicators)
        for o in overrides:
            current = indicators.get(o.country, CountryIndicators(o.country))
            series = {**current.series, o.indicator: {o.year: o.value}}
            sources = {**current.sources, o.indicator: f"scenario: {o.source}"}
            indicators[o.country] = replace(current, series=series, sources=sources)
        return replace(self, indicators=indicators)

    def country(self, code: str, option: str) -> CountryFacts:
        found = self.countries.get(code.upper())
        if found is None:
            raise InputError(
                [Problem("<command line>", None, option, f"unknown country code '{code}'")]
            )
        return found


def _observed(values: CountryIndicators | None, indicator: str) -> Observed | None:
    if values is None:
        return None
    latest = values.latest(indicator)
    return None if latest is None else Observed(latest.value, latest.year, latest.source)


def _language_match(country: CountryFacts, languages: Sequence[str]) -> float | None:
    """Share of the needed languages available: full credit when official or spoken by at
    least half the people, half credit at 10–50%, none below."""
    if not languages:
        return None
    credit = 0.0
    for language in languages:
        share = country.staffing_share(language)
        credit += 1.0 if share >= 0.5 else (0.5 if share >= 0.1 else 0.0)
    return credit / len(languages)


def _fx_series(data: LocationData, currency: str) -> FxSeries | None:
    return FxSeries.usd() if currency == USD else data.fx.get(currency)


def currency_volatility(data: LocationData, home: CountryFacts, work: CountryFacts) -> float | None:
    """Annualised volatility of the work country's currency against the home currency."""
    home_fx, work_fx = _fx_series(data, home.currency), _fx_series(data, work.currency)
    if home_fx is None or work_fx is None:
        return 0.0 if home.currency == work.currency else None
    return fx_volatility(home_fx, work_fx, FX_WINDOW_MONTHS)


def working_time(
    home: CountryFacts, work: CountryFacts, query: LocationQuery
) -> tuple[OverlapStats, HolidayOverlap]:
    home_calendar = holiday_calendar(home.iso2, query.year)
    work_calendar = holiday_calendar(work.iso2, query.year)
    overlap = overlap_over_year(
        Workplace(home.business_city, home.timezone, query.home_hours),
        Workplace(
            work.business_city,
            home.timezone if query.follows_home_clock else work.timezone,
            query.home_hours if query.follows_home_clock else query.work_hours,
        ),
        query.year,
        home_days_off=[h.day for h in home_calendar.holidays],
        work_days_off=[h.day for h in work_calendar.holidays],
    )
    shared = compare_working_days(
        home_calendar, work_calendar, query.home_hours.weekdays, query.work_hours.weekdays
    )
    return overlap, shared


def assess(data: LocationData, work_code: str, query: LocationQuery) -> LocationAssessment:
    home = data.country(query.home, "--home")
    work = data.country(work_code, "country")
    values = data.indicators.get(work.iso2)
    overlap, shared = working_time(home, work, query)
    inflation = None
    if values is not None:
        mean = values.mean_over(Indicator.INFLATION, 5)
        latest = values.latest(Indicator.INFLATION)
        if mean is not None and latest is not None:
            inflation = Observed(mean, latest.year, latest.source)
    facts = LocationFacts(
        iso2=work.iso2,
        name=work.name,
        price_level_ratio=_observed(values, Indicator.PRICE_LEVEL_RATIO),
        wgi={
            short: found
            for short, indicator in WGI.items()
            if (found := _observed(values, indicator)) is not None
        },
        inflation_mean_pct=inflation,
        fx_volatility=currency_volatility(data, home, work),
        internet_pct=_observed(values, Indicator.INTERNET_USERS),
        language_match=_language_match(work, query.languages),
        english_share=work.english_share,
        population=work.population,
        transfer_regime=relate(home, work).transfer_regime,
        overlap_mean_hours=overlap.mean_hours if overlap.working_days else None,
        shared_working_day_share=(
            shared.shared_working_days / shared.home_working_days
            if shared.home_working_days
            else None
        ),
        distance_km=great_circle_km(home, work),
    )
    weights = weights_for(query.kind, query.sensitive_data)
    shown = {
        str(indicator): found
        for indicator in SHOWN_INDICATORS
        if (found := _observed(values, indicator)) is not None
    }
    return LocationAssessment(
        country=work,
        home=home,
        facts=facts,
        score=score_location(facts, weights, query.overlap_hours_needed),
        overlap=overlap,
        holidays=shared,
        indicators=shown,
        inflation_trend=None if values is None else values.trend(Indicator.INFLATION),
    )


def rank(
    data: LocationData, query: LocationQuery, top: int | None = None
) -> list[LocationAssessment]:
    """Every country other than home, best score first.

    Countries whose score rests on too little data (coverage below ``LOW_COVERAGE``) come after
    all the others, and those with no score at all last: a territory with two known facts must
    not outrank a country with eight.
    """
    home = data.country(query.home, "--home")
    assessed = [assess(data, code, query) for code in sorted(data.countries) if code != home.iso2]
    assessed.sort(
        key=lambda a: (
            a.score.score is None,
            a.score.low_coverage,
            -(a.score.score or 0.0),
            a.country.name,
        )
    )
    return assessed[:top] if top is not None else assessed
