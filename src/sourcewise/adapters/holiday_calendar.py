"""Public holidays from the ``holidays`` library (python-holidays, MIT) as domain calendars:
for the years the package holds, from its table built from the library
(``data/build_holidays.py``, which says which holidays and names), else from the library.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from functools import cache
from importlib import resources

from sourcewise.data.build_holidays import NO_CALENDAR, OUTPUT, YEARS, library_holidays
from sourcewise.domain.working_time import (
    MON_TO_FRI,
    Holiday,
    HolidayCalendar,
    HolidayOverlap,
    compare_working_days,
)


def shared_working_days(
    home_iso2: str,
    work_iso2: str,
    year: int,
    home_weekdays: frozenset[int] = MON_TO_FRI,
    work_weekdays: frozenset[int] = MON_TO_FRI,
    home_subdiv: str | None = None,
    work_subdiv: str | None = None,
) -> HolidayOverlap:
    """Working days of ``year`` at home, at the work site and at both, net of public holidays.

    A country the library has no calendar for is reported with ``supported`` False on its side,
    and only its weekend is taken out. An unknown subdivision of a known country is an error.
    """
    return compare_working_days(
        holiday_calendar(home_iso2, year, home_subdiv),
        holiday_calendar(work_iso2, year, work_subdiv),
        home_weekdays,
        work_weekdays,
    )


@cache
def holiday_calendar(iso2: str, year: int, subdiv: str | None = None) -> HolidayCalendar:
    """The public holidays of country ``iso2`` (optionally one subdivision of it) in ``year``:
    from the packaged table for its years (``data/build_holidays.py``), else the library.

    Raises ValueError for a subdivision the library does not know for a supported country; the
    subdivision is ignored when the country itself is unsupported.
    """
    code = iso2.strip().upper()
    table = _packaged(year) if subdiv is None else {}
    try:
        found = table[code] if code in table else library_holidays(code, year, subdiv)
    except NotImplementedError as error:  # how the library reports an unknown subdivision
        raise ValueError(
            f"no holiday calendar for {code} subdivision {subdiv!r}: {error}"
        ) from None
    if found is None:
        return HolidayCalendar(country=code, year=year, supported=False)
    holidays = tuple(Holiday(day=day, name=name) for day, name in found)
    return HolidayCalendar(country=code, year=year, holidays=holidays)


@cache
def _packaged(year: int) -> Mapping[str, tuple[tuple[date, str], ...] | None]:
    """The packaged table's calendars of ``year`` by country (None: the library has none);
    empty for a year it does not hold."""
    if year not in YEARS:
        return {}
    text = resources.files("sourcewise.data").joinpath(OUTPUT).read_text("utf-8")
    prefix = f"{year},"
    rows = csv.reader(line for line in text.splitlines() if line.startswith(prefix))
    found: dict[str, list[tuple[date, str]] | None] = {}
    for _, code, day, name in rows:
        if day:
            listed = found.setdefault(code, [])
            assert listed is not None
            listed.append((date.fromisoformat(day), name))
        else:
            found[code] = None if name == NO_CALENDAR else []
    return {code: None if days is None else tuple(days) for code, days in found.items()}
