"""Location assessments as JSON-ready data, shared by ``locations`` and ``decide``: the
``LocationDocument`` (its shape and the meaning of each key) filled from an assessment."""

from __future__ import annotations

from typing import Any

from sourcewise.reports.location_document import (
    Indicator,
    LocationDocument,
    Overlap,
    ScoreComponent,
    Source,
    WorkingDays,
)
from sourcewise.services.locations import LocationAssessment, source_catalogue

SOURCE_FIELDS = tuple(f for f in Source.model_fields if f != "id")


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def location_document(a: LocationAssessment) -> LocationDocument:
    overlap = a.overlap
    holidays = a.holidays
    score = a.score
    used_sources = sorted(
        {o.source for o in a.indicators.values() if o.source}
        | {o.source for o in a.facts.wgi.values() if o.source}
    )
    catalogue = source_catalogue()
    years = [o.year for o in a.indicators.values() if o.year is not None]
    return LocationDocument(
        country=a.country.iso2,
        country_name=a.country.name,
        home_country=a.home.iso2,
        score=score.score,
        coverage=score.coverage,
        low_coverage=score.low_coverage,
        components=[
            ScoreComponent(
                name=c.component,
                score=c.score,
                weight=round(c.weight, 4),
                explanation=c.explanation,
                applies=c.applies,
            )
            for c in score.components
        ],
        business_city=a.country.business_city,
        timezone=a.country.timezone,
        overlap=Overlap(
            year=overlap.year,
            min_hours=overlap.min_hours,
            mean_hours=round(overlap.mean_hours, 3),
            max_hours=overlap.max_hours,
            days_without_overlap=overlap.days_without_overlap,
            days_counted=overlap.working_days,
        ),
        working_days=WorkingDays(
            home=holidays.home_working_days,
            work=holidays.work_working_days,
            shared=holidays.shared_working_days,
            home_holidays_known=holidays.home_supported,
            work_holidays_known=holidays.work_supported,
        ),
        currency=a.country.currency,
        fx_volatility=_round(a.facts.fx_volatility),
        inflation_mean_pct=_round(a.facts.inflation_mean_pct.value)
        if a.facts.inflation_mean_pct
        else None,
        inflation_trend_pp_per_year=_round(a.inflation_trend),
        gdpr_transfer=a.facts.transfer_regime,
        languages=list(a.country.languages),
        english_share=_round(a.country.english_share),
        distance_km=_round(a.facts.distance_km, 0),
        indicators={
            name: Indicator(value=o.value, year=o.year, source=o.source)
            for name, o in a.indicators.items()
        },
        data_year=max(years) if years else None,
        sources=[
            Source(id=source, **{f: catalogue.get(source, {}).get(f) for f in SOURCE_FIELDS})
            for source in used_sources
        ],
    )


def location_to_dict(a: LocationAssessment) -> dict[str, Any]:
    return location_document(a).model_dump(mode="json")
