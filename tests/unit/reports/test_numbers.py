from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sourcewise.reports.names import article_name, country_name, indicator_name, language_name
from sourcewise.reports.numbers import (
    compact,
    count,
    day,
    days,
    fixed,
    measure,
    measure_decimals,
    moment,
    money,
    month,
    month_short,
    percent,
    readable,
)


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (Decimal("1234.5"), "USD", "1,234.50 USD"),
        (Decimal("1234.5"), "JPY", "1,234 JPY"),  # no minor unit: CLDR, through babel
        (-1234.5, "EUR", "-1,234.50 EUR"),
        (1234.5, "", "1,234.50"),
        (None, "USD", "–"),
    ],
)
def test_money_is_exact_to_the_currency_minor_unit(
    value: Decimal | float | None, currency: str, text: str
) -> None:
    assert money(value, currency) == text


def test_compact_readable_and_percent() -> None:
    assert compact(1_234_567, "USD") == "1.23 M USD"
    assert compact(-761_600) == "−761.60 k"
    assert compact(950) == "950"
    assert compact(None) == "–"
    assert [readable(v) for v in (10_180.4, 55.3123, 0.24419, -0.050449)] == [
        "10,180",
        "55.31",
        "0.2442",
        "-0.05045",
    ]
    assert readable(None, missing="n/a") == "n/a"
    assert percent(0.125, 1) == "12.5 %"


NAN, INF = float("nan"), float("inf")


def test_missing_and_not_a_number_read_as_missing_in_every_formatter() -> None:
    for shown in (
        money(NAN, "USD"),
        compact(INF),
        readable(NAN),
        percent(NAN),
        fixed(None),
        fixed(NAN),
        count(INF),
        days(None),
        measure(NAN, "percent"),
        measure(None, "seconds"),
        day(None),
        month(None),
        month_short(None),
        moment(None),
    ):
        assert shown == "–"
    assert fixed(None, missing="") == ""
    assert money(Decimal("NaN"), "USD", missing="n/a") == "n/a"


@pytest.mark.parametrize(
    ("value", "unit", "like", "text"),
    [
        (66.0, "percent", 75.0, "66.0 %"),  # a target of 75 %: one decimal, also for 66
        (0.8029, "percent", 2.0, "0.80 %"),  # a target of 2 %: three significant figures
        (99.84, "percent", 99.5, "99.8 %"),
        (0.8029, "percent", None, "0.80 %"),  # without a target the value chooses
        (100.0, "percent", None, "100.0 %"),
        (-3.25, "percent", None, "-3.25 %"),
        (390.0, "seconds", 390.0, "390 s"),
        (42.5, "seconds", None, "42.5 s"),
        (3.0, "hours", None, "3.0 h"),
        (12_480.0, "count", None, "12,480"),
        (0.97, "ratio", None, "0.97"),
        (4.25, "score", None, "4.2"),  # round half to even, as Python's format does
        (1_234_567.0, "minutes", None, "1,234,567 min"),
    ],
)
def test_measure_reads_a_kpi_value_to_the_decimals_of_its_unit_and_target(
    value: float, unit: str, like: float | None, text: str
) -> None:
    assert measure(value, unit, like) == text


def test_one_measure_reads_to_the_same_decimals_at_any_value() -> None:
    """Target and attained of one service level share their decimals (the target's)."""
    target = 75.0
    assert measure_decimals("percent", target) == 1
    assert measure_decimals("percent", 2.0) == 2
    assert measure_decimals("seconds", 390.0) == 0
    assert [measure(v, "percent", target) for v in (66, 81.25, 100)] == [
        "66.0 %",
        "81.2 %",
        "100.0 %",
    ]


def test_fixed_count_and_days() -> None:
    assert fixed(82.6049) == "82.6"
    assert fixed(0.94, signed=True) == "+0.9"
    assert fixed(-0.04, signed=True) == "0.0"  # no "−0.0" for a change that rounds away
    assert fixed(-1.0, signed=True) == "-1.0"
    assert fixed(1_234_567.891, 2) == "1,234,567.89"
    assert fixed(Decimal("1.25"), 2) == "1.25"
    assert count(12_480.4) == "12,480"
    assert count(-3) == "-3"
    assert count(Decimal("1000000")) == "1,000,000"
    assert [days(v) for v in (1, 12, -1, 0, 1_500)] == [
        "1 day",
        "12 days",
        "-1 day",
        "0 days",
        "1,500 days",
    ]
    assert percent(0.126, 1, signed=True) == "+12.6 %"
    assert percent(Decimal("0.8")) == "80 %"


def test_dates_read_one_way() -> None:
    assert day(date(2026, 1, 5)) == "5 Jan 2026"
    # A due date held as a date-time reads as its date, without the minutes; in UTC.
    due = datetime(2026, 1, 5, 23, 30, tzinfo=timezone(timedelta(hours=-6)))
    assert day(due) == "6 Jan 2026"
    assert day(datetime(2026, 12, 31, 9, 0)) == "31 Dec 2026"
    assert month(date(2026, 1, 1)) == "January 2026"
    assert month_short(datetime(2026, 9, 1, tzinfo=UTC)) == "Sep 2026"
    assert moment(datetime(2026, 1, 5, 14, 3, 59, tzinfo=UTC)) == "5 Jan 2026 14:03 UTC"
    assert moment(datetime(2026, 1, 5, 14, 3, 59, tzinfo=UTC), seconds=True) == (
        "5 Jan 2026 14:03:59 UTC"
    )
    assert moment(due) == "6 Jan 2026 05:30 UTC"


def test_codes_read_as_names() -> None:
    assert country_name("MX") == "Mexico"
    assert country_name("us") == "United States"
    assert country_name("XK") == "Kosovo"  # user-assigned in ISO 3166, named in CLDR
    assert country_name("QQ") == "QQ"  # unknown: the code itself, never nothing
    assert country_name(None) == ""
    assert language_name("es") == "Spanish"
    assert language_name("PT") == "Portuguese"
    assert language_name("xx") == "xx"
    assert indicator_name("wgi_rl_est") == "Rule of law (WGI estimate)"
    assert indicator_name("price_level_ratio") == "Price level ratio (US = 1)"
    assert indicator_name("made_up_id") == "made up id"
    assert article_name("002") == (
        "Sara Schmidt, “What is the Difference Between Outsourcing and Offshoring?”"
    )
    assert article_name("042") == "article 042"  # unknown: still says what it is
