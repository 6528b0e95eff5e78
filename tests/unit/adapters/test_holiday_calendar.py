"""Public holidays from the ``holidays`` library, and the working days two countries share.

Counts that depend on the library's data for India are checked through their relations only;
US federal holidays are fixed by statute, so the US count is exact: 261 weekdays in 2026 less
11 federal holidays on a weekday (Independence Day falls on a Saturday, observed on Friday 3 July).
"""

from __future__ import annotations

from datetime import date

import pytest

from sourcewise.adapters.holiday_calendar import holiday_calendar, shared_working_days
from sourcewise.domain.working_time import FRIDAY, SUN_TO_THU, SUNDAY, HolidayOverlap

THANKSGIVING = date(2026, 11, 26)


def assert_counts_add_up(overlap: HolidayOverlap) -> None:
    assert overlap.shared_working_days + overlap.home_only_days == overlap.home_working_days
    assert overlap.shared_working_days + overlap.work_only_days == overlap.work_working_days
    assert len(overlap.home_only_dates) == overlap.home_only_days
    assert len(overlap.work_only_dates) == overlap.work_only_days


def test_us_india_2026_shares_fewer_days_than_either_works() -> None:
    overlap = shared_working_days("US", "IN", 2026)

    assert overlap.home_working_days == 261 - 11
    assert 230 < overlap.work_working_days < 261
    assert overlap.shared_working_days < min(overlap.home_working_days, overlap.work_working_days)
    assert overlap.home_only_days > 0
    assert overlap.work_only_days > 0
    assert (overlap.home_supported, overlap.work_supported) == (True, True)
    assert_counts_add_up(overlap)


def test_thanksgiving_is_a_us_only_holiday_and_christmas_a_shared_one() -> None:
    overlap = shared_working_days("US", "IN", 2026)

    assert THANKSGIVING in {h.day for h in overlap.holidays_home}
    assert THANKSGIVING in overlap.work_only_dates  # India works, the US does not
    christmas = date(2026, 12, 25)
    assert christmas not in overlap.work_only_dates
    assert christmas not in overlap.home_only_dates
    assert date(2026, 7, 3) in overlap.work_only_dates  # Independence Day observed


def test_diwali_is_in_indias_list_even_on_a_sunday() -> None:
    india = holiday_calendar("IN", 2026)
    [diwali] = [h for h in india.holidays if "Diwali" in h.name]
    assert diwali.day == date(2026, 11, 8)
    assert diwali.day.weekday() == SUNDAY
    assert list(india.holidays) == sorted(india.holidays, key=lambda h: h.day)


def test_an_unsupported_country_counts_only_its_weekend() -> None:
    overlap = shared_working_days("us", "XX", 2026)

    assert (overlap.home_supported, overlap.work_supported) == (True, False)
    assert overlap.work_country == "XX"
    assert overlap.holidays_work == ()
    assert overlap.work_working_days == 261
    assert overlap.work_only_dates[0] == date(2026, 1, 1)
    assert_counts_add_up(overlap)


def test_a_subdivision_adds_its_own_holidays() -> None:
    bavaria = shared_working_days("DE", "DE", 2026, home_subdiv="BY")
    epiphany = date(2026, 1, 6)  # a Tuesday, a holiday in Bavaria but not across Germany

    assert epiphany in bavaria.work_only_dates
    assert bavaria.home_working_days < bavaria.work_working_days
    assert bavaria.home_only_days == 0
    assert_counts_add_up(bavaria)


def test_an_unknown_subdivision_is_an_error() -> None:
    with pytest.raises(ValueError, match="US subdivision 'ZZ'"):
        shared_working_days("US", "IN", 2026, home_subdiv="ZZ")


def test_a_sunday_to_thursday_week_swaps_fridays_for_sundays() -> None:
    overlap = shared_working_days("GB", "SA", 2026, work_weekdays=SUN_TO_THU)

    assert {day.weekday() for day in overlap.work_only_dates} >= {SUNDAY}
    fridays = [day for day in overlap.home_only_dates if day.weekday() == FRIDAY]
    assert len(fridays) >= 50  # 52 Fridays less any British holiday on one
    assert overlap.holidays_work  # Saudi Arabia has a calendar, named in English
    assert all(name.isascii() for name in (h.name for h in overlap.holidays_work))
    assert_counts_add_up(overlap)


@pytest.mark.parametrize(
    ("home", "work"), [("US", "IN"), ("DE", "PL"), ("GB", "PH"), ("AU", "NZ"), ("BR", "XX")]
)
def test_counts_add_up(home: str, work: str) -> None:
    assert_counts_add_up(shared_working_days(home, work, 2026))
