"""When two sites can work together: shared working hours and shared working days over a year.

Hours are compared as real instants: each side's shift is placed on its own wall clock, with that
time zone's actual daylight-saving rules, and the two are intersected in UTC. Days are compared as
calendar dates, after each side's weekend and public holidays are taken out.

Wall-clock times that a daylight-saving change makes odd are read as follows:

* A start or end the clock skips (e.g. 02:30 on a spring-forward night) is read with the offset in
  force before the jump, as PEP 495 prescribes (``fold=0``): 02:30 on a one-hour jump at 02:00
  becomes 03:30, the instant a clock that had not jumped would show 02:30.
* A time the clock shows twice (autumn fall-back) is the *first* occurrence for a start and the
  *second* for an end, so a night shift across the change lasts the extra hour its people work.

A shift whose end is not after its start ends on the next day (a night shift such as 21:00–05:00);
a shift therefore lasts less than 24 hours by the clock.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
MON_TO_FRI = frozenset({MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY})
SUN_TO_THU = frozenset({SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY})

_ONE_DAY = timedelta(days=1)
_SECONDS_PER_HOUR = 3600.0


def _checked_weekdays(weekdays: Collection[int]) -> frozenset[int]:
    checked = frozenset(weekdays)
    if not checked:
        raise ValueError("at least one weekday must be worked")
    outside = sorted(day for day in checked if day not in range(7))
    if outside:
        raise ValueError(f"weekdays run from 0 (Monday) to 6 (Sunday), not {outside}")
    return checked


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """A site's daily shift on its own wall clock, and the weekdays it is worked (Monday = 0)."""

    start: time = time(9)
    end: time = time(17)
    """When ``end`` is not after ``start`` the shift ends on the next calendar day."""
    weekdays: frozenset[int] = MON_TO_FRI

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("working hours are wall-clock times; give the zone on the Workplace")
        if self.start == self.end:
            raise ValueError(f"a working day from {self.start} to {self.end} has no length")
        # A plain set is accepted and frozen, so the instance stays hashable.
        object.__setattr__(self, "weekdays", _checked_weekdays(self.weekdays))

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    @property
    def nominal_hours(self) -> float:
        """Length of the shift by the clock, ignoring any daylight-saving change inside it."""
        start = datetime.combine(date.min, self.start)
        end = datetime.combine(date.min + _ONE_DAY if self.overnight else date.min, self.end)
        return (end - start).total_seconds() / _SECONDS_PER_HOUR


@dataclass(frozen=True, slots=True)
class Workplace:
    city: str
    timezone: str
    """IANA time zone name, e.g. ``Europe/London``."""
    hours: WorkingHours = WorkingHours()

    def __post_init__(self) -> None:
        _zone(self.timezone)


@dataclass(frozen=True, slots=True)
class OverlapStats:
    """Hours a home site shares with a work site on each of its working days in a year."""

    year: int
    days: tuple[date, ...]
    """The home working days considered, in order; ``per_day_hours`` follows the same order."""
    per_day_hours: npt.NDArray[np.float64] = field(compare=False, repr=False)
    """Read-only."""
    min_hours: float
    mean_hours: float
    max_hours: float
    days_without_overlap: int
    working_days: int


def overlap_over_year(
    home: Workplace,
    work: Workplace,
    year: int,
    *,
    home_days_off: Collection[date] = frozenset(),
    work_days_off: Collection[date] = frozenset(),
) -> OverlapStats:
    """Shared working hours on every home working day of ``year``.

    Each home shift is compared with every work shift that can touch it (the work site's calendar
    days from the one before the home shift starts, in its own zone, to the one on which it ends;
    usually the previous, same and next day), counting only the work site's working weekdays.
    ``home_days_off`` and ``work_days_off`` are dates (each on its own calendar) not worked even
    though their weekday is, such as public holidays.
    """
    if not MINYEAR < year < MAXYEAR:
        raise ValueError(f"year must lie between {MINYEAR + 1} and {MAXYEAR - 1}, not {year}")
    home_zone, work_zone = _zone(home.timezone), _zone(work.timezone)
    home_off, work_off = frozenset(home_days_off), frozenset(work_days_off)
    work_shifts: dict[date, tuple[float, float] | None] = {}

    def work_shifts_touching(start: float, end: float) -> list[tuple[float, float]]:
        # A shift lasts under a day by the clock, so none starting earlier can reach ``start``.
        day, last = _local_date(start, work_zone) - _ONE_DAY, _local_date(end, work_zone)
        found = []
        while day <= last:
            if day not in work_shifts:
                worked = day.weekday() in work.hours.weekdays and day not in work_off
                work_shifts[day] = _shift_seconds(day, work.hours, work_zone) if worked else None
            shift = work_shifts[day]
            if shift is not None:
                found.append(shift)
            day += _ONE_DAY
        return found

    days: list[date] = []
    hours: list[float] = []
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() in home.hours.weekdays and day not in home_off:
            start, end = _shift_seconds(day, home.hours, home_zone)
            shared = _covered_seconds(start, end, work_shifts_touching(start, end))
            days.append(day)
            hours.append(shared / _SECONDS_PER_HOUR)
        day += _ONE_DAY

    per_day = np.array(hours, dtype=np.float64)
    per_day.setflags(write=False)
    if per_day.size == 0:  # only when every working day is a day off
        return OverlapStats(year, (), per_day, 0.0, 0.0, 0.0, 0, 0)
    return OverlapStats(
        year=year,
        days=tuple(days),
        per_day_hours=per_day,
        min_hours=float(per_day.min()),
        mean_hours=float(per_day.mean()),
        max_hours=float(per_day.max()),
        days_without_overlap=int(np.count_nonzero(per_day == 0.0)),
        working_days=len(days),
    )


@dataclass(frozen=True, slots=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """One country's public holidays in one year, as far as a holiday source knows them."""

    country: str
    """ISO 3166-1 alpha-2 code."""
    year: int
    holidays: tuple[Holiday, ...] = ()
    supported: bool = True
    """False when the source has no calendar for the country: then only weekends are known."""

    def __post_init__(self) -> None:
        stray = [h.day for h in self.holidays if h.day.year != self.year]
        if stray:
            raise ValueError(f"holidays {stray} of {self.country} fall outside {self.year}")

    @property
    def days_off(self) -> frozenset[date]:
        return frozenset(h.day for h in self.holidays)


@dataclass(frozen=True, slots=True)
class HolidayOverlap:
    """Calendar days of a year on which home, the work site, or both are at work."""

    year: int
    home_country: str
    work_country: str
    home_working_days: int
    work_working_days: int
    shared_working_days: int
    home_only_days: int
    """Home works, the work site does not (its weekend or holiday)."""
    work_only_days: int
    home_only_dates: tuple[date, ...]
    work_only_dates: tuple[date, ...]
    holidays_home: tuple[Holiday, ...]
    """Every home public holiday of the year, including those on a weekend."""
    holidays_work: tuple[Holiday, ...]
    home_supported: bool
    work_supported: bool


def compare_working_days(
    home: HolidayCalendar,
    work: HolidayCalendar,
    home_weekdays: frozenset[int] = MON_TO_FRI,
    work_weekdays: frozenset[int] = MON_TO_FRI,
) -> HolidayOverlap:
    """Count the days of the year each side works, and those both work, date by date."""
    if home.year != work.year:
        raise ValueError(f"cannot compare a {home.year} calendar with a {work.year} one")
    year = home.year
    home_days = _working_dates(year, home_weekdays, home.days_off)
    work_days = _working_dates(year, work_weekdays, work.days_off)
    return HolidayOverlap(
        year=year,
        home_country=home.country,
        work_country=work.country,
        home_working_days=len(home_days),
        work_working_days=len(work_days),
        shared_working_days=len(home_days & work_days),
        home_only_days=len(home_days - work_days),
        work_only_days=len(work_days - home_days),
        home_only_dates=tuple(sorted(home_days - work_days)),
        work_only_dates=tuple(sorted(work_days - home_days)),
        holidays_home=home.holidays,
        holidays_work=work.holidays,
        home_supported=home.supported,
        work_supported=work.supported,
    )


def _working_dates(year: int, weekdays: frozenset[int], days_off: frozenset[date]) -> set[date]:
    weekdays = _checked_weekdays(weekdays)
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return {day for day in days if day.weekday() in weekdays and day not in days_off}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


def _shift_seconds(day: date, hours: WorkingHours, zone: ZoneInfo) -> tuple[float, float]:
    """The shift starting on local ``day`` as POSIX seconds, read as the module docstring says."""
    start = datetime.combine(day, hours.start, tzinfo=zone)
    end = datetime.combine(day + _ONE_DAY if hours.overnight else day, hours.end, tzinfo=zone)
    # fold=0 is the earlier of a repeated time and the pre-jump reading of a skipped one; for an
    # end, the later instant of the two readings gives "the last time the clock shows it".
    return start.timestamp(), max(end.timestamp(), end.replace(fold=1).timestamp())


def _covered_seconds(start: float, end: float, shifts: list[tuple[float, float]]) -> float:
    """Seconds of ``[start, end)`` inside at least one of ``shifts`` (given in time order).

    Consecutive shifts are disjoint except when a shift of nearly 24 hours gains the hour of an
    autumn clock change; merging them keeps that hour from being counted twice.
    """
    covered, reached = 0.0, start
    for shift_start, shift_end in shifts:
        lo, hi = max(reached, shift_start), min(end, shift_end)
        if hi > lo:
            covered += hi - lo
            reached = hi
    return covered


def _local_date(seconds: float, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(seconds, UTC).astimezone(zone).date()
