"""Occupations with their pay distribution, and finding one by code or name.

The records hold what the packaged BLS OEWS table holds (``data/SOURCES.md``,
``us_occupation_wages.csv``): a wage the publisher top-codes or does not publish is ``None``,
never a guess. Nothing here reads files; ``adapters/occupation_table.py`` does.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

PERCENTILES = (10, 25, 50, 75, 90)
FULL_YEAR_HOURS = 2080.0
"""BLS's own conversion between hourly and annual wages: 52 weeks × 40 hours."""
SOC_CODE = re.compile(r"^\d\d-\d{4}$")


@dataclass(frozen=True, slots=True)
class Wages:
    """A wage distribution: the mean and the 10th … 90th percentiles, any of which may be
    unknown (top-coded or not published)."""

    mean: float | None
    p10: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    p90: float | None

    def percentile(self, which: int) -> float | None:
        return {10: self.p10, 25: self.p25, 50: self.p50, 75: self.p75, 90: self.p90}[which]

    def scaled(self, factor: float) -> Wages:
        def times(value: float | None) -> float | None:
            return None if value is None else value * factor

        return Wages(
            *(times(v) for v in (self.mean, self.p10, self.p25, self.p50, self.p75, self.p90))
        )


@dataclass(frozen=True, slots=True)
class Occupation:
    soc_code: str
    title: str
    group: str
    """total, major, minor, broad or detailed (SOC hierarchy)."""
    employment: int | None
    annual: Wages
    hourly: Wages
    top_coded: tuple[str, ...]
    """Columns at or above the publisher's cap (e.g. ``a_p90``)."""
    published: str
    """``both``, ``annual`` (annual wages only) or ``hourly`` (hourly only)."""

    def annual_wages(self) -> tuple[Wages, bool]:
        """Annual wages, and whether they were derived from hourly ones (× 2,080 hours, BLS's
        convention) because only hourly wages are published."""
        if self.annual.mean is not None or self.published != "hourly":
            return self.annual, False
        return self.hourly.scaled(FULL_YEAR_HOURS), True


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def find_occupations(
    occupations: Sequence[Occupation], query: str, limit: int = 10
) -> list[Occupation]:
    """Occupations matching ``query``, best first: the SOC code or the exact title, then titles
    holding every word of the query (detailed occupations before groups, larger employment
    first), then titles that are spelt closely."""
    text = query.strip()
    if not text:
        return []
    if SOC_CODE.match(text):
        # Seven codes are both a broad group and its only detailed occupation: one is enough.
        same = sorted(
            (o for o in occupations if o.soc_code == text), key=lambda o: o.group != "detailed"
        )
        return same[:1]
    folded = text.casefold()
    exact = [o for o in occupations if o.title.casefold() == folded]
    words = _words(text)
    containing = [
        o
        for o in occupations
        if o not in exact and all(any(t.startswith(w) for t in _words(o.title)) for w in words)
    ]
    containing.sort(key=lambda o: (o.group != "detailed", -(o.employment or 0), o.title))
    found = exact + containing
    if len(found) < limit:
        titles = {o.title.casefold(): o for o in occupations}
        close = difflib.get_close_matches(folded, list(titles), n=limit, cutoff=0.6)
        found += [titles[t] for t in close if titles[t] not in found]
    return found[:limit]
