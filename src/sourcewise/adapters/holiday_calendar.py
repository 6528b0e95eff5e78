"""Public holidays from the ``holidays`` library (python-holidays, MIT) as domain calendars.

Only the library's default category (public holidays, with the country's "observed" substitutes,
e.g. a Saturday US Independence Day taken on the Friday) is used; optional, bank and school
holidays are not. Names are in English where the library has an English translation.
"""

from __future__ import annotations

import warnings
from functools import cache

import holidays

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
    """The public holidays of country ``iso2`` (optionally one subdivision of it) in ``year``.

    Raises ValueError for a subdivision the library does not know for a supported country; the
    subdivision is ignored when the country itself is unsupported.
    """
    code = iso2.strip().upper()
    if code not in holidays.list_supported_countries():
        return HolidayCalendar(country=code, year=year, supported=False)
    try:
        # Outside the years a country's calendar covers the library only warns (and gives
        # nothing): that year's calendar is unknown, as for an unsupported country.
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            found = holidays.country_holidays(code, subdiv=subdiv, years=year)
            language = _english(found.default_language, found.supported_languages)
            if language != found.default_language:
                found = holidays.country_holidays(
                    code, subdiv=subdiv, years=year, language=language
                )
            days = sorted((day, name) for day, name in found.items() if day.year == year)
    except NotImplementedError as error:  # how the library reports an unknown subdivision
        raise ValueError(
            f"no holiday calendar for {code} subdivision {subdiv!r}: {error}"
        ) from None
    except UserWarning:
        return HolidayCalendar(country=code, year=year, supported=False)
    return HolidayCalendar(
        country=code,
        year=year,
        holidays=tuple(Holiday(day=day, name=name) for day, name in days),
    )


def _english(default: str | None, supported: tuple[str, ...]) -> str | None:
    if default is None or default.startswith("en"):
        return default
    return "en_US" if "en_US" in supported else default
