"""The packaged indicator snapshot (``sourcewise/data/indicators.csv``, ``fx_monthly.csv``) as
domain records. Rebuilt by ``sourcewise data build``; see ``sourcewise/data/SOURCES.md``."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from importlib import resources

import numpy as np

from sourcewise.domain.indicators import USD, CountryIndicators, FxSeries


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("sourcewise.data").joinpath(name).read_text("utf-8")
    # The csv module keeps "NA" (Namibia) as text; pandas would read it as missing.
    return list(csv.DictReader(text.splitlines()))


@cache
def load_indicators() -> Mapping[str, CountryIndicators]:
    """Every country's indicator series by ISO 3166-1 alpha-2 code, read once on first use."""
    series: dict[str, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    sources: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _read("indicators.csv"):
        iso2, indicator = row["iso2"], row["indicator"]
        series[iso2][indicator][int(row["year"])] = float(row["value"])
        known = sources[iso2].setdefault(indicator, row["source"])
        if known != row["source"]:
            raise ValueError(f"indicators.csv: {iso2} {indicator} mixes sources")
    return {
        iso2: CountryIndicators(
            iso2=iso2,
            series={name: dict(values) for name, values in by_indicator.items()},
            sources=dict(sources[iso2]),
        )
        for iso2, by_indicator in series.items()
    }


@cache
def load_fx_monthly() -> Mapping[str, FxSeries]:
    """Monthly US$ per unit by ISO 4217 code, read once on first use. ``USD`` is included as
    1.0 over every month the file covers."""
    months: dict[str, list[str]] = defaultdict(list)
    rates: dict[str, list[float]] = defaultdict(list)
    for row in _read("fx_monthly.csv"):
        months[row["currency"]].append(row["month"])
        rates[row["currency"]].append(float(row["usd_per_unit"]))
    result = {
        code: FxSeries(
            code,
            np.array(months[code], dtype="datetime64[M]"),
            np.array(rates[code], dtype=np.float64),
        )
        for code in months
    }
    every = np.unique(np.concatenate([s.months for s in result.values()]))
    result[USD] = FxSeries(USD, every, np.ones(every.size))
    return result


@cache
def load_sources() -> Mapping[str, Mapping[str, str]]:
    """The source catalogue (publisher, dataset, unit, licence, origin) by source id."""
    return {
        row["source"]: {key: value for key, value in row.items() if key != "source"}
        for row in _read("sources.csv")
    }
