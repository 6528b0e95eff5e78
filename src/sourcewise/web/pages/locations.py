"""Location pages: countries ranked for a kind of function (sortable, filtered) on a table and a
world choropleth; a country page with its indicators and working-hour overlap over the year."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.domain.scenario import FunctionKind
from sourcewise.reports.decision_charts import FONT
from sourcewise.reports.names import country_name
from sourcewise.services.locations import LocationAssessment
from sourcewise.web.api.locations import (
    AssessedQuery,
    FiltersQuery,
    country_view,
    listing,
    packaged,
)
from sourcewise.web.auth import PageUser, require_internal
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

COLUMNS = (
    ("rank", "#", True),
    ("name", "Country", False),
    ("score", "Score", True),
    ("coverage", "Coverage", True),
    ("overlap", "Overlap h", True),
    ("english", "English", True),
    ("inflation", "Inflation 5-y", True),
    ("fx", "FX vol.", True),
    ("price_level", "Price level", True),
    ("distance", "Distance km", True),
)
"""Sortable columns: key, heading, numeric."""
DESCENDING_FIRST = {"score", "coverage", "overlap", "english"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SCORE_SCALE = [[0, "#b42318"], [0.5, "#f4d35e"], [1, "#1e7f4f"]]


@functools.cache
def alpha3(iso2: str) -> str | None:
    """ISO alpha-3 for the choropleth (None where pycountry has no entry, e.g. XK)."""
    import pycountry

    found = pycountry.countries.get(alpha_2=iso2)
    return None if found is None else str(found.alpha_3)


def choropleth(rows: list[dict[str, Any]], home: str) -> dict[str, Any]:
    """World map of the location score."""
    mapped = [(r, code) for r in rows if r["score"] is not None and (code := alpha3(r["country"]))]
    return {
        "data": [
            {
                "type": "choropleth",
                "locationmode": "ISO-3",
                "locations": [code for _, code in mapped],
                "z": [r["score"] for r, _ in mapped],
                "text": [f"{r['country_name']} (#{r['rank']})" for r, _ in mapped],
                "colorscale": SCORE_SCALE,
                "marker": {"line": {"color": "#ffffff", "width": 0.4}},
                "colorbar": {"title": {"text": "score"}, "thickness": 12, "len": 0.8},
                "hovertemplate": "%{text}: %{z:.1f}<extra></extra>",
            }
        ],
        "layout": {
            "font": FONT,
            "margin": {"l": 0, "r": 0, "t": 10, "b": 0},
            "height": 430,
            "paper_bgcolor": "#ffffff",
            "geo": {
                "projection": {"type": "natural earth"},
                "showframe": False,
                "showcoastlines": False,
                "showcountries": True,
                "countrycolor": "#ffffff",
                "showland": True,
                "landcolor": "#e6eaef",
                "lataxis": {"range": [-58, 85]},
            },
            "annotations": [
                {
                    "text": f"home: {country_name(home)} (grey: no score)",
                    "showarrow": False,
                    "x": 0,
                    "y": 0,
                    "xref": "paper",
                    "yref": "paper",
                    "font": {"size": 11, "color": "#5b6b7c"},
                }
            ],
        },
    }


def overlap_chart(
    found: LocationAssessment, months: list[dict[str, Any]], needed: float
) -> dict[str, Any]:
    """Shared working hours on each home working day, with the monthly mean and the need."""
    overlap = found.overlap
    year = overlap.year
    data = [
        {
            "type": "bar",
            "name": "monthly mean",
            "x": [f"{year}-{m['month']:02d}-15" for m in months],
            "y": [m["mean"] for m in months],
            "width": 26 * 24 * 3600 * 1000,
            "marker": {"color": "rgba(31,95,168,0.22)"},
            "customdata": [[MONTHS[m["month"] - 1], m["min"], m["max"]] for m in months],
            "hovertemplate": "%{customdata[0]}: mean %{y:.1f} h (min %{customdata[1]}, max "
            "%{customdata[2]})<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "line": {"shape": "hv", "color": "#1f5fa8", "width": 1.5},
            "name": "each working day",
            "x": [d.isoformat() for d in overlap.days],
            "y": [round(float(h), 2) for h in overlap.per_day_hours],
            "hovertemplate": "%{x|%a %d %b}: %{y} h<extra></extra>",
        },
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": f"Working-hour overlap with {found.home.name}, {year}", "x": 0},
            "font": FONT,
            "height": 340,
            "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "yaxis": {"title": {"text": "hours"}, "rangemode": "tozero", "gridcolor": "#eef1f4"},
            "xaxis": {"tickformat": "%b", "dtick": "M1"},
            "legend": {"orientation": "h", "y": -0.15},
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": needed,
                    "y1": needed,
                    "line": {"color": "#b7791f", "dash": "dash", "width": 1.5},
                }
            ],
            "annotations": [
                {
                    "text": f"needed {needed:g} h",
                    "xref": "paper",
                    "x": 1,
                    "y": needed,
                    "xanchor": "right",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 11, "color": "#b7791f"},
                }
            ],
        },
    }


def _filters(request: Request) -> dict[str, str]:
    keep = ("home", "kind", "languages", "overlap_hours", "sensitive_data", "year", "spoken", "q")
    return {k: v for k in keep if (v := request.query_params.get(k))}


@router.get("/locations", response_class=HTMLResponse)
def locations_page(request: Request, principal: PageUser, filters: FiltersQuery) -> Response:
    """The location list as a page (/api/v1/locations serves it as JSON)."""
    require_internal(principal)
    found = listing(filters)
    kept = _filters(request)
    sort_urls = {}
    for key, _, _ in COLUMNS:
        flip = "asc" if filters.dir == "desc" else "desc"
        direction = flip if key == filters.sort else ("desc" if key in DESCENDING_FIRST else "asc")
        sort_urls[key] = "/locations?" + urlencode({**kept, "sort": key, "dir": direction})
    detail = urlencode({k: v for k, v in kept.items() if k not in ("spoken", "q")})
    values: dict[str, Any] = {
        "rows": found.rows,
        "query": found.query,
        "columns": COLUMNS,
        "sort": filters.sort,
        "dir": filters.dir,
        "sort_urls": sort_urls,
        "detail_query": detail,
        "map": choropleth(found.rows, found.query.home),
        "spoken": filters.spoken,
        "q": filters.q,
    }
    fragment = request.headers.get("hx-request") and not request.headers.get(
        "hx-history-restore-request"
    )
    if fragment:
        return render(request, "locations/_results.html", **values)
    countries = sorted(packaged().countries.values(), key=lambda c: c.name)
    return render(
        request, "locations/index.html", countries=countries, kinds=list(FunctionKind), **values
    )


@router.get("/locations/{code}", response_class=HTMLResponse)
def country_page(
    request: Request, principal: PageUser, code: str, asked: AssessedQuery
) -> Response:
    """A country as a page (/api/v1/locations/{code} serves it as JSON)."""
    require_internal(principal)
    found = country_view(code, asked)
    return render(
        request,
        "locations/country.html",
        facts=found.facts,
        query=found.query,
        sources={s["id"]: s for s in found.facts["sources"]},
        months=[{**m, "name": MONTHS[m["month"] - 1]} for m in found.overlap_by_month],
        chart=overlap_chart(
            found.assessment, found.overlap_by_month, found.query.overlap_hours_needed
        ),
        back="/locations?" + urlencode(_filters(request)),
    )
