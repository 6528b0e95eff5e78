"""The year's overlap, computed a calendar at a time with arrays, equals the definition: each
home shift placed on its own clock as an aware datetime and compared with every work shift
that can touch it, one day after another (the code before the arrays, kept here)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcewise.adapters.country_table import load_countries
from sourcewise.domain.working_time import (
    MON_TO_FRI,
    SUN_TO_THU,
    WorkingHours,
    Workplace,
    overlap_over_year,
)

ONE_DAY = timedelta(days=1)


def shift_seconds(day: date, hours: WorkingHours, zone: ZoneInfo) -> tuple[float, float]:
    start = datetime.combine(day, hours.start, tzinfo=zone)
    end = datetime.combine(day + ONE_DAY if hours.overnight else day, hours.end, tzinfo=zone)
    return start.timestamp(), max(end.timestamp(), end.replace(fold=1).timestamp())


def covered_seconds(start: float, end: float, shifts: list[tuple[float, float]]) -> float:
    covered, reached = 0.0, start
    for shift_start, shift_end in shifts:
        lo, hi = max(reached, shift_start), min(end, shift_end)
        if hi > lo:
            covered += hi - lo
            reached = hi
    return covered


def local_date(seconds: float, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(seconds, UTC).astimezone(zone).date()


def reference(
    home: Workplace,
    work: Workplace,
    year: int,
    home_off: Collection[date] = (),
    work_off: Collection[date] = (),
) -> tuple[list[date], list[float]]:
    home_zone, work_zone = ZoneInfo(home.timezone), ZoneInfo(work.timezone)
    days, hours = [], []
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() in home.hours.weekdays and day not in home_off:
            start, end = shift_seconds(day, home.hours, home_zone)
            touching = []
            other = local_date(start, work_zone) - ONE_DAY
            while other <= local_date(end, work_zone):
                if other.weekday() in work.hours.weekdays and other not in work_off:
                    touching.append(shift_seconds(other, work.hours, work_zone))
                other += ONE_DAY
            days.append(day)
            hours.append(covered_seconds(start, end, touching) / 3600.0)
        day += ONE_DAY
    return days, hours


def assert_equal_to_reference(
    home: Workplace,
    work: Workplace,
    year: int,
    home_off: Collection[date] = (),
    work_off: Collection[date] = (),
) -> None:
    found = overlap_over_year(home, work, year, home_days_off=home_off, work_days_off=work_off)
    days, hours = reference(home, work, year, home_off, work_off)
    assert list(found.days) == days
    # Equal to the last bit: the same additions in the same order.
    assert np.array_equal(found.per_day_hours, np.array(hours, dtype=np.float64))


NIGHT = WorkingHours(time(21), time(5))
GULF_WEEK = WorkingHours(time(8), time(16, 30), SUN_TO_THU)
ZONES = sorted({c.timezone for c in load_countries().values()})


@pytest.mark.parametrize(
    ("home", "hours", "year"),
    [
        (Workplace("New York", "America/New_York"), WorkingHours(), 2026),
        (Workplace("Sydney", "Australia/Sydney"), WorkingHours(time(8, 30), time(17)), 2024),
        (Workplace("Chatham", "Pacific/Chatham"), NIGHT, 2025),
        (Workplace("Riyadh", "Asia/Riyadh"), GULF_WEEK, 2026),
        # Samoa skipped 30 December 2011 when it crossed the date line.
        (Workplace("Apia", "Pacific/Apia"), WorkingHours(), 2011),
    ],
)
def test_every_countrys_zone_against_the_definition(
    home: Workplace, hours: WorkingHours, year: int
) -> None:
    holidays = {date(year, 1, 1), date(year, 12, 25), date(year, 3, 30)}
    for zone in ZONES:
        work = Workplace(zone, zone, hours)
        assert_equal_to_reference(home, work, year, holidays, {date(year, 5, 1)})


@settings(max_examples=60, deadline=None)
@given(
    home=st.sampled_from(sorted(available_timezones() - {"Factory", "localtime"})),
    work=st.sampled_from(sorted(available_timezones() - {"Factory", "localtime"})),
    year=st.integers(1990, 2040),
    starts=st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
    length=st.integers(1, 24 * 4 - 1),
    weekdays=st.sampled_from([MON_TO_FRI, SUN_TO_THU, frozenset(range(7)), frozenset({5})]),
)
def test_any_zones_hours_and_years_against_the_definition(
    home: str,
    work: str,
    year: int,
    starts: tuple[int, int],
    length: int,
    weekdays: frozenset[int],
) -> None:
    start = time(*starts)
    end_minutes = (starts[0] * 60 + starts[1] + length * 15) % (24 * 60)
    hours = WorkingHours(start, time(end_minutes // 60, end_minutes % 60), weekdays)
    assert_equal_to_reference(
        Workplace(home, home, WorkingHours()),
        Workplace(work, work, hours),
        year,
        {date(year, 7, 4)},
    )
