"""Working-hour overlap over a real year (with each zone's daylight saving) and working-day counts.

2026 dates used below: the US moves its clocks on 8 March and 1 November, the UK on 29 March and
25 October, Sydney on 5 April and 4 October. 2026 has 261 weekdays, 52 of them Fridays.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, time

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sourcewise.domain.working_time import (
    FRIDAY,
    MON_TO_FRI,
    SUN_TO_THU,
    Holiday,
    HolidayCalendar,
    OverlapStats,
    WorkingHours,
    Workplace,
    compare_working_days,
    overlap_over_year,
)

YEAR = 2026
EVERY_DAY = frozenset(range(7))
NEW_YORK = Workplace("New York", "America/New_York")
LONDON = Workplace("London", "Europe/London")


def hours_on(stats: OverlapStats, day: date) -> float:
    return float(stats.per_day_hours[stats.days.index(day)])


def weekdays_between(first: date, last: date) -> int:
    return int(np.busday_count(first, date.fromordinal(last.toordinal() + 1)))


def test_new_york_london_share_three_hours_but_four_while_only_one_has_moved_its_clocks() -> None:
    stats = overlap_over_year(NEW_YORK, LONDON, YEAR)

    four_hour_days = [day for day, h in zip(stats.days, stats.per_day_hours, strict=True) if h == 4]
    assert four_hour_days[0] == date(2026, 3, 9)  # first Monday after the US change
    assert four_hour_days[-1] == date(2026, 10, 30)  # last Friday before the US change back
    march = weekdays_between(date(2026, 3, 9), date(2026, 3, 27))
    october = weekdays_between(date(2026, 10, 26), date(2026, 10, 30))
    assert (march, october) == (15, 5)
    assert len(four_hour_days) == march + october
    assert Counter(stats.per_day_hours.tolist()) == {3.0: 261 - 20, 4.0: 20}
    assert (stats.min_hours, stats.max_hours, stats.working_days) == (3.0, 4.0, 261)
    assert stats.mean_hours == pytest.approx((241 * 3 + 20 * 4) / 261)
    assert stats.days_without_overlap == 0
    assert hours_on(stats, date(2026, 3, 6)) == 3.0
    assert hours_on(stats, date(2026, 3, 30)) == 3.0
    assert hours_on(stats, date(2026, 11, 2)) == 3.0


def test_new_york_manila_share_nothing_on_a_day_shift() -> None:
    stats = overlap_over_year(NEW_YORK, Workplace("Manila", "Asia/Manila"), YEAR)
    assert stats.max_hours == 0.0
    assert stats.days_without_overlap == stats.working_days == 261


@pytest.mark.parametrize(
    ("night_shift", "us_summer", "us_winter"),
    [
        # New York 9–17 is 13–21 UTC in summer, 14–22 UTC in winter; Manila is UTC+8 all year.
        ((time(21), time(5)), 8.0, 7.0),
        ((time(22), time(6)), 7.0, 8.0),
    ],
)
def test_a_fixed_manila_night_shift_matches_new_york_in_only_one_season(
    night_shift: tuple[time, time], us_summer: float, us_winter: float
) -> None:
    manila = Workplace("Manila", "Asia/Manila", WorkingHours(*night_shift))
    stats = overlap_over_year(NEW_YORK, manila, YEAR)

    assert hours_on(stats, date(2026, 7, 15)) == us_summer
    assert hours_on(stats, date(2026, 1, 15)) == us_winter
    us_summer_days = weekdays_between(date(2026, 3, 9), date(2026, 10, 30))
    assert Counter(stats.per_day_hours.tolist()) == {
        us_summer: us_summer_days,
        us_winter: 261 - us_summer_days,
    }


def test_berlin_warsaw_share_the_whole_day_every_day() -> None:
    stats = overlap_over_year(
        Workplace("Berlin", "Europe/Berlin"), Workplace("Warsaw", "Europe/Warsaw"), YEAR
    )
    assert np.all(stats.per_day_hours == 8.0)
    assert stats.working_days == 261


def test_london_sydney_gap_moves_three_ways_with_opposite_daylight_saving() -> None:
    london = Workplace("London", "Europe/London", WorkingHours(time(7), time(15)))
    sydney = Workplace("Sydney", "Australia/Sydney", WorkingHours(time(13), time(21)))
    stats = overlap_over_year(london, sydney, YEAR)

    assert hours_on(stats, date(2026, 1, 15)) == 3.0  # GMT vs AEDT: 11 hours apart
    assert hours_on(stats, date(2026, 3, 31)) == 4.0  # BST vs AEDT: 10 hours
    assert hours_on(stats, date(2026, 7, 15)) == 5.0  # BST vs AEST: 9 hours
    assert hours_on(stats, date(2026, 10, 14)) == 4.0  # BST vs AEDT again
    assert hours_on(stats, date(2026, 12, 15)) == 3.0
    ten_hours_apart = weekdays_between(date(2026, 3, 30), date(2026, 4, 3)) + weekdays_between(
        date(2026, 10, 5), date(2026, 10, 23)
    )
    assert Counter(stats.per_day_hours.tolist())[4.0] == ten_hours_apart == 20


def test_a_sunday_to_thursday_site_shares_no_fridays_with_a_monday_to_friday_home() -> None:
    riyadh = Workplace("Riyadh", "Asia/Riyadh", WorkingHours(weekdays=SUN_TO_THU))
    stats = overlap_over_year(LONDON, riyadh, YEAR)
    same_week = overlap_over_year(LONDON, Workplace("Riyadh", "Asia/Riyadh"), YEAR)

    fridays = [day for day, h in zip(stats.days, stats.per_day_hours, strict=True) if h == 0]
    assert all(day.weekday() == FRIDAY for day in fridays)
    assert stats.days_without_overlap == len(fridays) == 52
    assert same_week.days_without_overlap == 0
    assert hours_on(stats, date(2026, 1, 12)) == 5.0  # a winter Monday: 12–20 vs 9–17 Riyadh


def test_days_off_leave_home_days_out_and_empty_work_days() -> None:
    stats = overlap_over_year(
        NEW_YORK,
        LONDON,
        YEAR,
        home_days_off={date(2026, 11, 26)},
        work_days_off={date(2026, 12, 28)},
    )
    assert date(2026, 11, 26) not in stats.days
    assert stats.working_days == 260
    assert hours_on(stats, date(2026, 12, 28)) == 0.0
    assert stats.days_without_overlap == 1


def test_a_night_shift_across_a_clock_change_lasts_its_real_length() -> None:
    night = Workplace("New York", "America/New_York", WorkingHours(time(21), time(5), EVERY_DAY))
    evening = Workplace("New York", "America/New_York", WorkingHours(time(20), time(8), EVERY_DAY))
    stats = overlap_over_year(night, evening, YEAR)

    assert hours_on(stats, date(2026, 3, 7)) == 7.0  # the clock skips 2:00–3:00
    assert hours_on(stats, date(2026, 10, 31)) == 9.0  # the clock shows 1:00–2:00 twice
    assert hours_on(stats, date(2026, 6, 1)) == 8.0


@pytest.mark.parametrize(
    ("shift", "day", "expected"),
    [
        # 22:00 EDT to the second 01:30 (EST) on 1 November: 4.5 real hours, not 3.5.
        ((time(22), time(1, 30)), date(2026, 10, 31), 4.5),
        # 02:30 never shows on 8 March; read with the old offset it is 03:30 EDT.
        ((time(2, 30), time(6)), date(2026, 3, 8), 2.5),
    ],
)
def test_ambiguous_and_skipped_wall_times(
    shift: tuple[time, time], day: date, expected: float
) -> None:
    home = Workplace("New York", "America/New_York", WorkingHours(*shift, EVERY_DAY))
    utc_morning = Workplace("Greenwich", "UTC", WorkingHours(time(0), time(12), EVERY_DAY))
    assert hours_on(overlap_over_year(home, utc_morning, YEAR), day) == expected


def test_working_hours_know_their_length_and_take_any_weekday_collection() -> None:
    night = WorkingHours(time(21), time(5), {0, 1, 2})  # type: ignore[arg-type]
    assert night.overnight
    assert night.nominal_hours == 8.0
    assert night.weekdays == frozenset({0, 1, 2})
    assert WorkingHours(time(9), time(0)).nominal_hours == 15.0  # ends at midnight
    assert WorkingHours().nominal_hours == 8.0
    assert not WorkingHours().overnight
    assert WorkingHours().weekdays == MON_TO_FRI


def test_per_day_hours_are_read_only() -> None:
    stats = overlap_over_year(NEW_YORK, LONDON, YEAR)
    with pytest.raises(ValueError, match="read-only"):
        stats.per_day_hours[0] = 99.0


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: WorkingHours(time(9), time(9)), "no length"),
        (lambda: WorkingHours(weekdays=frozenset()), "at least one weekday"),
        (lambda: WorkingHours(weekdays=frozenset({5, 7})), r"not \[7\]"),
        (lambda: WorkingHours(weekdays=frozenset({-1})), "0 .Monday. to 6"),
        (lambda: WorkingHours(time(9), time(17, tzinfo=UTC)), "wall-clock"),
        (lambda: Workplace("Atlantis", "Atlantic/Atlantis"), "unknown IANA"),
        (lambda: Workplace("Nowhere", ""), "unknown IANA"),
        (lambda: overlap_over_year(NEW_YORK, LONDON, 9999), "year must lie"),
    ],
)
def test_invalid_inputs_raise(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


# Sunday clock changes or none, so a shift of up to 22 hours never meets the next day's shift.
ZONES = st.sampled_from(
    [
        "UTC",
        "America/New_York",
        "America/Sao_Paulo",
        "Europe/London",
        "Europe/Berlin",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "Pacific/Auckland",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
    ]
)
FIXED_ZONES = st.sampled_from(
    ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Manila", "Pacific/Kiritimati", "Etc/GMT+11"]
)
CLOCK = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
MIDWEEK = frozenset({1, 2, 3})


@st.composite
def workplaces(
    draw: st.DrawFn, zones: st.SearchStrategy[str], weekdays: frozenset[int]
) -> Workplace:
    start, end = draw(CLOCK), draw(CLOCK)
    assume(start != end)
    hours = WorkingHours(start, end, weekdays)
    assume(hours.nominal_hours <= 22)
    return Workplace("Somewhere", draw(zones), hours)


@settings(max_examples=40)
@given(workplaces(ZONES, MIDWEEK), workplaces(ZONES, MIDWEEK))
def test_total_shared_hours_are_symmetric(home: Workplace, work: Workplace) -> None:
    # In 2029 (Monday 1 January to Monday 31 December) no Tuesday–Thursday shift can meet one of
    # another year, so both directions count exactly the same shared time.
    there = overlap_over_year(home, work, 2029).per_day_hours.sum()
    back = overlap_over_year(work, home, 2029).per_day_hours.sum()
    assert there == pytest.approx(back)


@settings(max_examples=40)
@given(workplaces(FIXED_ZONES, MON_TO_FRI), workplaces(FIXED_ZONES, EVERY_DAY))
def test_a_day_never_shares_more_than_the_shorter_shift(home: Workplace, work: Workplace) -> None:
    stats = overlap_over_year(home, work, YEAR)
    shorter = min(home.hours.nominal_hours, work.hours.nominal_hours)
    assert stats.min_hours >= 0.0
    assert stats.max_hours <= shorter + 1e-9


def test_working_days_compare_date_by_date() -> None:
    home = HolidayCalendar("XA", YEAR, (Holiday(date(2026, 1, 1), "New Year"),))
    work = HolidayCalendar("XB", YEAR, (Holiday(date(2026, 1, 4), "Founders' Day"),), False)
    overlap = compare_working_days(home, work, MON_TO_FRI, SUN_TO_THU)

    assert (overlap.home_working_days, overlap.work_working_days) == (260, 260)
    assert overlap.shared_working_days + overlap.home_only_days == overlap.home_working_days
    assert overlap.shared_working_days + overlap.work_only_days == overlap.work_working_days
    assert overlap.home_only_dates[0] == date(2026, 1, 2)  # a Friday
    assert all(day.weekday() == FRIDAY for day in overlap.home_only_dates)
    assert overlap.work_only_dates[:2] == (date(2026, 1, 1), date(2026, 1, 11))  # 4th: holiday
    assert (overlap.home_supported, overlap.work_supported) == (True, False)


def test_calendars_must_agree_on_the_year_and_keep_to_it() -> None:
    with pytest.raises(ValueError, match="2026 calendar with a 2027"):
        compare_working_days(HolidayCalendar("XA", 2026), HolidayCalendar("XB", 2027))
    with pytest.raises(ValueError, match="outside 2026"):
        HolidayCalendar("XA", 2026, (Holiday(date(2027, 1, 1), "New Year"),))
    with pytest.raises(ValueError, match="at least one weekday"):
        compare_working_days(HolidayCalendar("XA", 2026), HolidayCalendar("XB", 2026), frozenset())
