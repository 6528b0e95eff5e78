"""The packaged country table (``sourcewise/data/countries.csv``) as domain ``CountryFacts``."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from importlib import resources

from sourcewise.domain.location import CountryFacts


@cache
def load_countries() -> Mapping[str, CountryFacts]:
    """All countries by ISO 3166-1 alpha-2 code, read once on first use."""
    text = resources.files("sourcewise.data").joinpath("countries.csv").read_text("utf-8")
    return {
        row["iso2"]: CountryFacts(
            iso2=row["iso2"],
            name=row["name"],
            business_city=row["business_city"],
            timezone=row["timezone"],
            neighbours=frozenset(row["neighbours"].split()),
            languages=tuple(row["languages"].split()),
            currency=row["currency"],
        )
        for row in csv.DictReader(text.splitlines())
    }
