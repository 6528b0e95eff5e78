"""The packaged public-holiday table is exactly what a fresh build from the installed
``holidays`` library gives, and a calendar reads the same from the table as from the library."""

from importlib import resources

import pytest

from sourcewise.adapters.holiday_calendar import holiday_calendar
from sourcewise.data import built_with
from sourcewise.data.build_holidays import OUTPUT, YEARS, build_holidays, library_holidays


def test_built_with_the_installed_library() -> None:
    """Another release of the library may move or rename holidays: upgrading it comes with
    `sourcewise data build` (`make data`) and the regenerated table."""
    assert built_with.mismatches(OUTPUT) == []


def test_shipped_table_matches_a_fresh_build() -> None:
    shipped = resources.files("sourcewise.data").joinpath(OUTPUT).read_text("utf-8")
    assert build_holidays() == shipped, f"run `sourcewise data build` and commit {OUTPUT}"


@pytest.mark.parametrize("code", ["US", "IN", "PH", "DE", "SA", "KP"])
def test_a_packaged_calendar_equals_the_librarys(code: str) -> None:
    year = YEARS[1]
    calendar = holiday_calendar(code, year)
    found = library_holidays(code, year)
    assert found  # these countries have holidays every year
    assert [(h.day, h.name) for h in calendar.holidays] == list(found)
    assert calendar.supported


def test_a_year_without_holidays_is_known_to_have_none() -> None:
    """Ukraine's public holidays are suspended under martial law: a calendar, but empty."""
    assert library_holidays("UA", 2026) == ()
    calendar = holiday_calendar("UA", 2026)
    assert (calendar.holidays, calendar.supported) == ((), True)


def test_other_years_and_subdivisions_come_from_the_library() -> None:
    before = holiday_calendar("US", YEARS[0] - 1)
    assert [(h.day, h.name) for h in before.holidays] == list(
        library_holidays("US", YEARS[0] - 1) or ()
    )
    texas = holiday_calendar("US", YEARS[0], "TX")
    assert len(texas.holidays) > len(holiday_calendar("US", YEARS[0]).holidays)
    with pytest.raises(ValueError, match="subdivision"):
        holiday_calendar("US", YEARS[0], "XX")
