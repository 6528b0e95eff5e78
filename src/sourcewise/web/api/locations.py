"""REST API for location intelligence: ranked countries with filters, sorting and pagination;
one country's facts with its working-hour overlap by month. Shared with the location pages."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, TypeAdapter, model_validator

from sourcewise.domain.problems import InputError
from sourcewise.domain.scenario import FunctionKind
from sourcewise.reports.location_document import LocationDocument
from sourcewise.reports.location_json import location_to_dict
from sourcewise.services.locations import LocationAssessment, LocationData, LocationQuery
from sourcewise.web.api.pagination import SORTABLE, Page, PaginationSortedByRoute
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


class Assessed(BaseModel):
    """What a country's assessment depends on: the query parameters of a country's page and
    of its API resource, declared once."""

    home: str = Field("US", min_length=2, max_length=2, description="Home country, ISO alpha-2.")
    kind: FunctionKind = Field(
        FunctionKind.OTHER, description="Kind of function: sets the score's weights."
    )
    languages: str = Field(
        "", max_length=60, description="Languages the work needs, ISO 639-1, comma-separated."
    )
    overlap_hours: float = Field(
        2.0, ge=0, le=24, description="Working hours a day that must overlap."
    )
    sensitive_data: bool = Field(False, description="The work handles personal or regulated data.")
    year: int | None = Field(None, ge=2000, le=2100, description="Year for overlap and holidays.")


class Filters(Assessed):
    """The location list's filters and order, declared once for its page and its API."""

    spoken: bool = Field(False, description="Only countries where the languages are spoken.")
    q: str = Field("", max_length=60, description="Name or ISO code contains.")
    sort: SortKey = Field(
        "rank", description="The column to sort by; '-' first sorts descending, as dir=desc."
    )
    dir: Literal["asc", "desc"] = Field("asc", description="Ascending or descending.")

    @model_validator(mode="before")
    @classmethod
    def _descending(cls, data: Any) -> Any:
        """``sort=-score``, the API lists' convention, as ``sort=score&dir=desc``."""
        if isinstance(data, dict) and str(data.get("sort", "")).startswith("-"):
            return {**data, "sort": data["sort"][1:], "dir": "desc"}
        return data


class RankedLocation(LocationDocument):
    """A country's location document (docs/locations.md, as ``sourcewise locations rank
    --format json`` prints it) with its place in the ranking."""

    rank: int
    """Its place in the ranking for this query, from 1 (best), before filters and sorting."""


class LocationPage(Page[RankedLocation]):
    """One page of countries ranked as places to do the work from."""

    home: str = Field(description="The home country, ISO 3166 alpha-2.")
    kind: FunctionKind = Field(description="The kind of function that set the score's weights.")


class MonthOverlap(BaseModel):
    """Working hours shared with home in one month, per home working day."""

    month: int = Field(ge=1, le=12, description="Calendar month, 1 (January) to 12.")
    working_days: int = Field(description="Home working days in the month.")
    mean: float | None = Field(
        description="Mean shared hours per working day; null without working days."
    )
    min: float | None = Field(description="Fewest shared hours on a working day; null if none.")
    max: float | None = Field(description="Most shared hours on a working day; null if none.")
    days_without_overlap: int = Field(description="Working days with no shared hour.")


class LocationDetail(LocationDocument):
    """One country against home: its location document (docs/locations.md, as ``sourcewise
    locations show --format json`` prints it) with the overlap month by month."""

    overlap_by_month: list[MonthOverlap]
    """Shared working hours per home working day, month by month (January first)."""


AssessedQuery = Annotated[Assessed, Query()]
_PLAIN_JSON = TypeAdapter(dict[str, Any])
"""Serialises JSON-ready data as pydantic does a response model, without validating it."""
FiltersQuery = Annotated[Filters, Query()]


# One computation per key: without it, 50 clients asking at once for a ranking not yet
# cached would each compute it (about 1 s of CPU apiece) and time out together.
_COMPUTING = threading.Lock()


def packaged() -> LocationData:
    with _COMPUTING:
        return _packaged()


@functools.cache
def _packaged() -> LocationData:
    return LocationData.packaged()


def make_query(asked: Assessed) -> LocationQuery:
    """The query of the request; an unknown home country is a 422 naming ``home``."""
    home = asked.home
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
        kind=asked.kind,
        sensitive_data=asked.sensitive_data,
        languages=tuple(
            sorted({c.strip().lower() for c in asked.languages.split(",") if c.strip()})
        ),
        overlap_hours_needed=asked.overlap_hours,
        year=asked.year or date.today().year,
    )


def ranked(query: LocationQuery) -> tuple[dict[str, Any], ...]:
    """Every country ranked for ``query`` as location JSON with its ``rank`` (cached: treat the
    dicts as read-only)."""
    with _COMPUTING:
        return _ranked(query)


@functools.lru_cache(maxsize=16)
def _ranked(query: LocationQuery) -> tuple[dict[str, Any], ...]:
    from sourcewise.services.locations import rank

    found = rank(_packaged(), query)
    return tuple({"rank": i + 1, **location_to_dict(a)} for i, a in enumerate(found))


def language_match(row: dict[str, Any], languages: tuple[str, ...]) -> bool:
    """The country's people speak every language (the score's component has the detail)."""
    country = packaged().countries[row["country"]]
    return all(country.staffing_share(code) >= 0.1 for code in languages)


@dataclass(frozen=True, slots=True)
class Listing:
    """What the location list shows, as its page and its API both serve it."""

    query: LocationQuery
    filters: Filters
    rows: list[dict[str, Any]]
    """Location JSON with its ``rank``, filtered and sorted (read-only)."""


def listing(filters: Filters) -> Listing:
    """The ranked countries filtered and sorted; missing values sort last either way."""
    query = make_query(filters)
    rows = list(ranked(query))
    if filters.spoken and query.languages:
        rows = [r for r in rows if language_match(r, query.languages)]
    if filters.q:
        needle = filters.q.strip().lower()
        rows = [
            r for r in rows if needle in r["country_name"].lower() or needle == r["country"].lower()
        ]
    key = SORTS[filters.sort]
    known = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    ordered = sorted(known, key=key, reverse=filters.dir == "desc") + missing
    return Listing(query, filters, ordered)


@dataclass(frozen=True, slots=True)
class CountryView:
    """What a country's page and API resource show."""

    query: LocationQuery
    assessment: LocationAssessment
    facts: dict[str, Any]
    """Its location JSON."""
    overlap_by_month: list[dict[str, Any]]


def country_view(code: str, asked: Assessed) -> CountryView:
    query = make_query(asked)
    found = assess_one(code, query)
    return CountryView(query, found, location_to_dict(found), overlap_by_month(found))


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


# Sorted by its own keys (``sort``, ``dir``), which the /locations page shares.
@router.get("/locations", response_model=LocationPage, openapi_extra={SORTABLE: list(SORTS)})
def list_locations(
    principal: User, paging: PaginationSortedByRoute, filters: FiltersQuery
) -> Response:
    """Countries ranked as places to do the work from (best first), with every fact; paged
    with ``limit`` and ``offset``. The page /locations shows the same list."""
    require_internal(principal)
    found = listing(filters)
    page = paging.page(found.rows)
    # The rows are location documents already (``location_to_dict``, cached): validating a
    # page of them against ``LocationPage`` again would cost four times the whole answer
    # (0.3 ms a country). test_api_decision checks that the answer is a ``LocationPage``.
    body = {"home": found.query.home, "kind": found.query.kind.value, **page.model_dump()}
    return Response(
        _PLAIN_JSON.dump_json(body), media_type="application/json", headers=paging.list_headers()
    )


@router.get("/locations/{code}", response_model=LocationDetail)
def get_location(principal: User, code: str, asked: AssessedQuery) -> LocationDetail:
    """One country against home: score and why, indicators with sources, overlap by month."""
    require_internal(principal)
    found = country_view(code, asked)
    return LocationDetail.model_validate(
        {**found.facts, "overlap_by_month": found.overlap_by_month}
    )
