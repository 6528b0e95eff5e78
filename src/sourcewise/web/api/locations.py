"""REST API for location intelligence: ranked countries with filters, sorting and pagination;
one country's facts with its working-hour overlap by month. Shared with the location pages."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Query

from sourcewise.domain.problems import InputError
from sourcewise.domain.scenario import FunctionKind
from sourcewise.services.locations import LocationAssessment, LocationData, LocationQuery
from sourcewise.web.api.pagination import Pagination
from sourcewise.web.auth import User, require_internal
from sourcewise.web.problems import ApiError

router = APIRouter(prefix="/api/v1", tags=["locations"])

SortKey = Literal[
    "rank",
    "name",
    "score",
    "coverage",
    "overlap",
    "english",
    "inflation",
    "fx",
    "distance",
    "price_level",
]
SORTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "rank": lambda d: d["rank"],
    "name": lambda d: d["country_name"],
    "score": lambda d: d["score"],
    "coverage": lambda d: d["coverage"],
    "overlap": lambda d: d["overlap"]["mean_hours"],
    "english": lambda d: d["english_share"],
    "inflation": lambda d: d["inflation_mean_pct"],
    "fx": lambda d: d["fx_volatility"],
    "distance": lambda d: d["distance_km"],
    "price_level": lambda d: (d["indicators"].get("price_level_ratio") or {}).get("value"),
}

Home = Annotated[str, Query(min_length=2, max_length=2, description="Home country, ISO alpha-2.")]
Kind = Annotated[FunctionKind, Query(description="Kind of function: sets the score's weights.")]
Languages = Annotated[
    str, Query(max_length=60, description="Languages the work needs, ISO 639-1, comma-separated.")
]
Overlap = Annotated[float, Query(ge=0, le=24, description="Working hours a day that must overlap.")]
Sensitive = Annotated[bool, Query(description="The work handles personal or regulated data.")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Year for overlap and holidays.")]


# One computation per key: without it, 50 clients asking at once for a ranking not yet
# cached would each compute it (about 1 s of CPU apiece) and time out together.
_COMPUTING = threading.Lock()


def packaged() -> LocationData:
    with _COMPUTING:
        return _packaged()


@functools.cache
def _packaged() -> LocationData:
    return LocationData.packaged()


def make_query(
    home: str, kind: FunctionKind, languages: str, overlap: float, sensitive: bool, year: int | None
) -> LocationQuery:
    """The query of the request; an unknown home country is a 422 naming ``home``."""
    code = home.strip().upper()
    if code not in packaged().countries:
        raise ApiError(
            422,
            "Invalid request",
            f"unknown country code '{home}'",
            [{"field": "home", "message": f"unknown country code '{home}'"}],
        )
    return LocationQuery(
        home=code,
        kind=kind,
        sensitive_data=sensitive,
        languages=tuple(sorted({c.strip().lower() for c in languages.split(",") if c.strip()})),
        overlap_hours_needed=overlap,
        year=year or date.today().year,
    )


def ranked(query: LocationQuery) -> tuple[dict[str, Any], ...]:
    """Every country ranked for ``query`` as location JSON with its ``rank`` (cached: treat the
    dicts as read-only)."""
    with _COMPUTING:
        return _ranked(query)


@functools.lru_cache(maxsize=16)
def _ranked(query: LocationQuery) -> tuple[dict[str, Any], ...]:
    from sourcewise.reports.location_json import location_to_dict
    from sourcewise.services.locations import rank

    found = rank(_packaged(), query)
    return tuple({"rank": i + 1, **location_to_dict(a)} for i, a in enumerate(found))


def language_match(row: dict[str, Any], languages: tuple[str, ...]) -> bool:
    """The country's people speak every language (the score's component has the detail)."""
    country = packaged().countries[row["country"]]
    return all(country.staffing_share(code) >= 0.1 for code in languages)


def select(
    query: LocationQuery,
    sort: str = "rank",
    descending: bool = False,
    spoken: bool = False,
    search: str = "",
) -> list[dict[str, Any]]:
    """The ranked countries filtered and sorted; missing values sort last either way."""
    rows = list(ranked(query))
    if spoken and query.languages:
        rows = [r for r in rows if language_match(r, query.languages)]
    if search:
        needle = search.strip().lower()
        rows = [
            r for r in rows if needle in r["country_name"].lower() or needle == r["country"].lower()
        ]
    key = SORTS.get(sort, SORTS["rank"])
    known = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    return sorted(known, key=key, reverse=descending) + missing


def assess_one(code: str, query: LocationQuery) -> LocationAssessment:
    from sourcewise.services.locations import assess

    try:
        return assess(packaged(), code.upper(), query)
    except InputError:
        raise ApiError(404, "Not found", f"no country with the code '{code}'") from None


def overlap_by_month(a: LocationAssessment) -> list[dict[str, Any]]:
    """Shared working hours per home working day, summarised by month."""
    hours = np.asarray(a.overlap.per_day_hours, dtype=np.float64)
    months = np.array([d.month for d in a.overlap.days], dtype=np.int64)
    out = []
    for month in range(1, 13):
        values = hours[months == month]
        out.append(
            {
                "month": month,
                "working_days": int(values.size),
                "mean": round(float(values.mean()), 3) if values.size else None,
                "min": round(float(values.min()), 3) if values.size else None,
                "max": round(float(values.max()), 3) if values.size else None,
                "days_without_overlap": int((values <= 0).sum()),
            }
        )
    return out


@router.get("/locations")
def list_locations(
    principal: User,
    paging: Pagination,
    home: Home = "US",
    kind: Kind = FunctionKind.OTHER,
    languages: Languages = "",
    overlap_hours: Overlap = 2.0,
    sensitive_data: Sensitive = False,
    year: Year = None,
    spoken: Annotated[
        bool, Query(description="Only countries where the languages are spoken.")
    ] = False,
    q: Annotated[str, Query(max_length=60, description="Name or ISO code contains.")] = "",
    sort: SortKey = "rank",
    descending: bool = False,
) -> dict[str, Any]:
    """Countries ranked as places to do the work from (best first), with every fact; paged
    with ``limit`` and ``offset``."""
    require_internal(principal)
    query = make_query(home, kind, languages, overlap_hours, sensitive_data, year)
    rows = select(query, sort, descending, spoken, q)
    return {"home": query.home, "kind": str(query.kind), **paging.page(rows).model_dump()}


@router.get("/locations/{code}")
def get_location(
    principal: User,
    code: str,
    home: Home = "US",
    kind: Kind = FunctionKind.OTHER,
    languages: Languages = "",
    overlap_hours: Overlap = 2.0,
    sensitive_data: Sensitive = False,
    year: Year = None,
) -> dict[str, Any]:
    """One country against home: score and why, indicators with sources, overlap by month."""
    from sourcewise.reports.location_json import location_to_dict

    require_internal(principal)
    query = make_query(home, kind, languages, overlap_hours, sensitive_data, year)
    found = assess_one(code, query)
    return {**location_to_dict(found), "overlap_by_month": overlap_by_month(found)}
