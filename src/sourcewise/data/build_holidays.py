"""Rebuild ``holidays.csv``: every packaged country's public holidays in the years a location
ranking usually asks for, from the ``holidays`` library (python-holidays, MIT).

A ranking compares the home calendar with every country's, and asking the library for 240
calendars (importing a module for each) took a third of a second on the first ranking after
the server started; the table is read in milliseconds. ``sourcewise data build`` writes it,
``built_with.json`` records the library version it came from, and
``tests/integration/test_holidays_build.py`` checks that it equals a fresh build. Years outside
``YEARS`` and subdivisions are asked of the library when needed (``library_holidays``, the one
reading of it both use).

Only the library's default category (public holidays, with the country's "observed"
substitutes, e.g. a Saturday US Independence Day taken on the Friday) is used; optional, bank
and school holidays are not. Names are in English where the library has an English
translation. A country and year without holidays is one row with no date, named ``none`` (e.g.
Ukraine's are suspended under martial law) or ``no calendar`` (the library has none).
"""

from __future__ import annotations

import csv
import io
import warnings
from datetime import date
from pathlib import Path

OUTPUT = "holidays.csv"
YEARS = range(2025, 2031)
"""The years packaged: this year and the next few, which rankings default to."""
COUNTRIES = Path(__file__).with_name("countries.csv")
HEADER = ("year", "iso2", "date", "name")
NONE, NO_CALENDAR = "none", "no calendar"
"""The name of a dateless row: a calendar without holidays that year, or no calendar."""


def library_holidays(
    code: str, year: int, subdiv: str | None = None
) -> tuple[tuple[date, str], ...] | None:
    """Country ``code``'s public holidays in ``year`` (one subdivision's, if given), by date;
    None when the library has no calendar for it. ``NotImplementedError`` (the library's
    word) for a subdivision it does not know of a country it covers."""
    import holidays

    if code not in holidays.list_supported_countries():
        return None
    # Outside the years a country's calendar covers the library only warns (and gives
    # nothing): that year's calendar is unknown, as for an unsupported country.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        try:
            found = holidays.country_holidays(code, subdiv=subdiv, years=year)
            language = _english(found.default_language, found.supported_languages)
            if language != found.default_language:
                found = holidays.country_holidays(
                    code, subdiv=subdiv, years=year, language=language
                )
        except UserWarning:
            return None
        return tuple(sorted((day, name) for day, name in found.items() if day.year == year))


def _english(default: str | None, supported: tuple[str, ...]) -> str | None:
    if default is None or default.startswith("en"):
        return default
    return "en_US" if "en_US" in supported else default


def build_holidays(countries: Path = COUNTRIES) -> str:
    """The table's text: by year, country and date."""
    with countries.open(encoding="utf-8", newline="") as handle:
        codes = sorted(row["iso2"] for row in csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for year in YEARS:
        for code in codes:
            found = library_holidays(code, year)
            if not found:
                writer.writerow((year, code, "", NONE if found == () else NO_CALENDAR))
            writer.writerows((year, code, day.isoformat(), name) for day, name in found or ())
    return out.getvalue()
