"""Location assessments as JSON-ready data, shared by ``locations`` and ``decide``.

Documented in docs/locations.md. Scores are 0–100; shares are fractions; hours are per working
day; ``null`` means the data is missing, never zero.
"""

from __future__ import annotations

from typing import Any

from sourcewise.adapters.indicator_table import load_sources
from sourcewise.services.locations import LocationAssessment


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def location_to_dict(a: LocationAssessment) -> dict[str, Any]:
    overlap = a.overlap
    holidays = a.holidays
    score = a.score
    used_sources = sorted(
        {o.source for o in a.indicators.values() if o.source}
        | {o.source for o in a.facts.wgi.values() if o.source}
    )
    catalogue = load_sources()
    years = [o.year for o in a.indicators.values() if o.year is not None]
    return {
        "iso2": a.country.iso2,
        "name": a.country.name,
        "home": a.home.iso2,
        "score": score.score,
        "coverage": score.coverage,
        "low_coverage": score.low_coverage,
        "components": [
            {
                "name": str(c.component),
                "score": c.score,
                "weight": round(c.weight, 4),
                "explanation": c.explanation,
            }
            for c in score.components
        ],
        "business_city": a.country.business_city,
        "timezone": a.country.timezone,
        "overlap_hours": {
            "year": overlap.year,
            "min": overlap.min_hours,
            "mean": round(overlap.mean_hours, 3),
            "max": overlap.max_hours,
            "days_without_overlap": overlap.days_without_overlap,
            "working_days": overlap.working_days,
        },
        "working_days": {
            "home": holidays.home_working_days,
            "work": holidays.work_working_days,
            "shared": holidays.shared_working_days,
            "home_holidays_known": holidays.home_supported,
            "work_holidays_known": holidays.work_supported,
        },
        "currency": a.country.currency,
        "fx_volatility": _round(a.facts.fx_volatility),
        "inflation_mean_pct": _round(a.facts.inflation_mean_pct.value)
        if a.facts.inflation_mean_pct
        else None,
        "inflation_trend_pp_per_year": _round(a.inflation_trend),
        "gdpr_transfer": str(a.facts.transfer_regime),
        "languages": list(a.country.languages),
        "english_share": _round(a.country.english_share),
        "distance_km": _round(a.facts.distance_km, 0),
        "indicators": {
            name: {"value": o.value, "year": o.year, "source": o.source}
            for name, o in a.indicators.items()
        },
        "data_year": max(years) if years else None,
        "sources": [
            {"id": source, **catalogue[source]} if source in catalogue else {"id": source}
            for source in used_sources
        ],
    }
