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

import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
MON_TO_FRI = frozenset({MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY})
SUN_TO_THU = frozenset({SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY})

_ONE_DAY = timedelta(days=1)
T = TypeVar("T", bound=np.generic)
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
    at_home, away = (
        _year_shifts(home.timezone, home.hours, year),
        _year_shifts(work.timezone, work.hours, year),
    )
    inside = slice(_MARGIN_DAYS, len(at_home.days) - _MARGIN_DAYS)  # the days of ``year``
    worked_home = at_home.worked(home_days_off)[inside]
    days = [d for d, worked in zip(at_home.days[inside], worked_home, strict=True) if worked]
    starts, ends = at_home.starts[inside][worked_home], at_home.ends[inside][worked_home]
    shared = _covered(starts, ends, away, away.worked(work_days_off))
    per_day = shared / _SECONDS_PER_HOUR
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


@functools.lru_cache(maxsize=256)
def _working_dates(
    year: int, weekdays: frozenset[int], days_off: frozenset[date]
) -> frozenset[date]:
    # Cached: a ranking compares one home calendar with every country's.
    weekdays = _checked_weekdays(weekdays)
    return frozenset(day for day, weekday in _days_of(year) if weekday in weekdays) - days_off


@functools.lru_cache(maxsize=16)
def _days_of(year: int) -> tuple[tuple[date, int], ...]:
    """Every day of ``year`` with its weekday."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return tuple((day, day.weekday()) for day in days)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {name!r}") from None


_MARGIN_DAYS = 3
"""Days a site's calendar runs on each side of the year: its clock may be more than a day
ahead of or behind the other site's, and a shift may end on the next day."""
_EPOCH = datetime(1970, 1, 1)
_ZERO = timedelta(0)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400_000_000


@dataclass(frozen=True, slots=True)
class _YearShifts:
    """One site's calendar days from ``_MARGIN_DAYS`` before a year to as many after it, as
    POSIX seconds read as the module docstring says: when each day begins on the local clock,
    and the shift that starts on it (read-only arrays, one value per day)."""

    days: tuple[date, ...]
    weekdays: npt.NDArray[np.int64]
    midnights: npt.NDArray[np.float64]
    starts: npt.NDArray[np.float64]
    ends: npt.NDArray[np.float64]
    hours: WorkingHours

    def worked(self, days_off: Collection[date]) -> npt.NDArray[np.bool_]:
        """Which days the site works: its weekdays, less ``days_off``."""
        worked = np.isin(self.weekdays, sorted(self.hours.weekdays))
        if days_off:
            off = frozenset(days_off)
            worked &= np.fromiter((d not in off for d in self.days), bool, len(self.days))
        return worked


@functools.lru_cache(maxsize=1024)
def _year_shifts(timezone: str, hours: WorkingHours, year: int) -> _YearShifts:
    """The same instants as ``datetime.combine(day, t, tzinfo=zone).timestamp()``: the local
    time less the zone's offset at it, in whole microseconds, then as seconds. A ranking asks
    for every country's calendar, and building aware datetimes one by one took most of it."""
    zone = _zone(timezone)
    first = date(year, 1, 1) - timedelta(days=_MARGIN_DAYS)
    count = (date(year + 1, 1, 1) - first).days + _MARGIN_DAYS
    days = tuple(first + timedelta(days=n) for n in range(count))
    start = datetime.combine(date.min, hours.start) - datetime.min
    end = (
        datetime.combine(date.min, hours.end)
        - datetime.min
        + (_ONE_DAY if hours.overnight else _ZERO)
    )
    walls = [datetime(first.year, first.month, first.day) + timedelta(days=n) for n in range(count)]
    # An end's later reading if the clock shows it twice, built whole: ``replace(fold=1)``
    # costs twice a constructor.
    last = hours.end
    closings = (*days[1:], days[-1] + _ONE_DAY) if hours.overnight else days
    repeated = (
        datetime(
            d.year, d.month, d.day, last.hour, last.minute, last.second, last.microsecond, fold=1
        )
        for d in closings
    )
    local = (walls[0] - _EPOCH) // _MICROSECOND + np.arange(count, dtype=np.int64) * _DAY_US
    midnights = local - _offsets(zone, walls)
    starts = local + start // _MICROSECOND - _offsets(zone, (w + start for w in walls))
    # The later reading of a repeated end: the smaller of its two offsets.
    at_end = np.minimum(_offsets(zone, (w + end for w in walls)), _offsets(zone, repeated))
    ends = local + end // _MICROSECOND - at_end
    return _YearShifts(
        days,
        _frozen(np.array([d.weekday() for d in days], dtype=np.int64)),
        _frozen(midnights / 1e6),
        _frozen(starts / 1e6),
        _frozen(ends / 1e6),
        hours,
    )


def _offsets(zone: ZoneInfo, walls: Iterable[datetime]) -> npt.NDArray[np.int64]:
    """The zone's offset at each naive wall-clock time, in microseconds (``fold`` picks a
    repeated time's reading)."""
    # A ZoneInfo has an offset at every time: never None.
    offset: Callable[[datetime], timedelta] = zone.utcoffset  # type: ignore[assignment]
    return np.array([offset(wall) // _MICROSECOND for wall in walls], dtype=np.int64)


def _frozen(values: npt.NDArray[T]) -> npt.NDArray[T]:
    values.setflags(write=False)
    return values


def _covered(
    starts: npt.NDArray[np.float64],
    ends: npt.NDArray[np.float64],
    work: _YearShifts,
    worked: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float64]:
    """Seconds of each ``[start, end)`` inside at least one worked shift of ``work``.

    Each interval is compared with the work shifts of the work site's calendar days from the
    one before the interval starts (on the work clock) to the one on which it ends, in time
    order. Consecutive shifts are disjoint except when a shift of nearly 24 hours gains the
    hour of an autumn clock change; carrying ``reached`` keeps that hour from counting twice.
    """
    first = np.searchsorted(work.midnights, starts, side="right") - 2
    last = np.searchsorted(work.midnights, ends, side="right") - 1
    if starts.size and (first.min() < 0 or last.max() >= len(work.days)):
        raise AssertionError("a shift reaches beyond the calendar computed for its year")
    covered = np.zeros_like(starts)
    reached = starts.copy()
    for step in range(int((last - first).max(initial=-1)) + 1):
        index = np.minimum(first + step, last)
        lo = np.maximum(reached, work.starts[index])
        hi = np.minimum(ends, work.ends[index])
        counts = (first + step <= last) & worked[index] & (hi > lo)
        covered += np.where(counts, hi - lo, 0.0)
        reached = np.where(counts, hi, reached)
    return covered
