"""The packaged country table (``sourcewise/data/countries.csv``) as domain ``CountryFacts``."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from importlib import resources

from sourcewise.domain.location import CountryFacts, GdprStatus


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("sourcewise.data").joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _gdpr(row: dict[str, str]) -> GdprStatus:
    if row["regime"].startswith("EEA"):
        return GdprStatus.EEA
    if row["scope"].startswith("full"):
        return GdprStatus.ADEQUACY
    return GdprStatus.PARTIAL_ADEQUACY


def _shares(field: str) -> dict[str, float]:
    """'en=96 es=9.6' -> {'en': 0.96, 'es': 0.096}."""
    pairs = (item.split("=") for item in field.split())
    return {code: float(percent) / 100.0 for code, percent in pairs}


@cache
def load_countries() -> Mapping[str, CountryFacts]:
    """All countries by ISO 3166-1 alpha-2 code, read once on first use."""
    gdpr = {row["iso2"]: row for row in _read("eu_gdpr_transfer_regime.csv")}
    return {
        row["iso2"]: CountryFacts(
            iso2=row["iso2"],
            name=row["name"],
            business_city=row["business_city"],
            timezone=row["timezone"],
            neighbours=frozenset(row["neighbours"].split()),
            languages=tuple(row["languages"].split()),
            currency=row["currency"],
            population=int(row["population"]) if row["population"] else None,
            official_languages=tuple(row["official_languages"].split()),
            language_shares=_shares(row["language_shares"]),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            gdpr=_gdpr(gdpr[row["iso2"]]) if row["iso2"] in gdpr else GdprStatus.THIRD_COUNTRY,
            gdpr_scope=gdpr[row["iso2"]]["scope"] if row["iso2"] in gdpr else "",
        )
        for row in _read("countries.csv")
    }
