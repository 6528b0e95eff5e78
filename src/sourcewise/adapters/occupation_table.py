"""Read the packaged BLS OEWS occupation table (``data/us_occupation_wages.csv``)."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from sourcewise.domain.occupations import Occupation, Wages

FILE = "us_occupation_wages.csv"


def _number(text: str) -> float | None:
    return float(text) if text else None


def _wages(row: dict[str, str], prefix: str) -> Wages:
    return Wages(
        *(_number(row[f"{prefix}_{key}"]) for key in ("mean", "p10", "p25", "p50", "p75", "p90"))
    )


@cache
def load_occupations() -> tuple[Occupation, ...]:
    """Every occupation of the table, in SOC code order."""
    text = resources.files("sourcewise.data").joinpath(FILE).read_text("utf-8")
    return tuple(
        Occupation(
            soc_code=row["soc_code"],
            title=row["title"],
            group=row["group"],
            employment=int(row["employment"]) if row["employment"] else None,
            annual=_wages(row, "a"),
            hourly=_wages(row, "h"),
            top_coded=tuple(row["top_coded"].split()),
            published=row["published"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )
