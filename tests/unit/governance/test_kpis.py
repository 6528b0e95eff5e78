"""The KPI catalogue: units, conversion, periods, value checks and user-defined KPIs."""

import math
import re
from datetime import UTC, datetime

import pytest

from article_files import article_text, needs_article_files
from sourcewise.domain.articles import PLAYBOOK_ARTICLE
from sourcewise.governance.kpis import (
    BUILT_IN_KPIS,
    Aggregation,
    Direction,
    KpiDefinition,
    KpiKind,
    ScorecardDomain,
    Unit,
    UnitMismatch,
    UnknownUnitError,
    check_value,
    closest_code,
    convert,
    parse_period,
    parse_unit,
    validate_code,
    value_range,
)


def kpi(code: str = "tickets_closed", unit: Unit = Unit.COUNT, **extra: object) -> KpiDefinition:
    return KpiDefinition(
        code,
        "Tickets closed",
        "Tickets closed in the period.",
        unit,
        Direction.HIGHER_IS_BETTER,
        KpiKind.OPERATIONAL,
        ScorecardDomain.DELIVERY,
        Aggregation.SUM,
        **extra,  # type: ignore[arg-type]
    )


def test_catalogue_has_the_seeds_metrics_and_the_common_sla_ones() -> None:
    operational = {"on_time_delivery", "defect_rate", "cycle_time"}
    strategic = {"innovation_velocity", "ip_protection_incidents", "customer_alignment"}
    common = {
        "availability",
        "first_contact_resolution",
        "average_handle_time",
        "customer_satisfaction",
        "attrition",
    }
    assert set(BUILT_IN_KPIS) == operational | strategic | common
    assert {k for k, d in BUILT_IN_KPIS.items() if d.kind is KpiKind.STRATEGIC} == strategic
    for code, definition in BUILT_IN_KPIS.items():
        assert definition.code == code
        assert bool(definition.article_passage) == (code in operational | strategic)
    assert BUILT_IN_KPIS["defect_rate"].direction is Direction.LOWER_IS_BETTER
    assert BUILT_IN_KPIS["ip_protection_incidents"].aggregation is Aggregation.SUM


@needs_article_files
def test_article_passages_are_quoted_verbatim() -> None:
    text = article_text(PLAYBOOK_ARTICLE.number)
    for definition in BUILT_IN_KPIS.values():
        assert definition.article_passage in text, definition.code


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("%", Unit.PERCENT),
        (" PCT ", Unit.PERCENT),
        ("ratio", Unit.RATIO),
        ("h", Unit.HOURS),
        ("hrs", Unit.HOURS),
        ("min", Unit.MINUTES),
        ("d", Unit.DAYS),
        ("s", Unit.SECONDS),
        ("#", Unit.COUNT),
        ("score", Unit.SCORE),
    ],
)
def test_parse_unit_accepts_aliases(text: str, unit: Unit) -> None:
    assert parse_unit(text) is unit


def test_parse_unit_rejects_with_a_suggestion() -> None:
    with pytest.raises(UnknownUnitError, match="'hourz' is not a unit; did you mean 'hour'"):
        parse_unit("hourz")
    with pytest.raises(ValueError, match="use one of: percent, ratio"):
        parse_unit("furlongs")


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (0.97, Unit.RATIO, Unit.PERCENT, 97.0),
        (1.025, Unit.RATIO, Unit.PERCENT, 102.5),  # not 102.49999999999999
        (97.0, Unit.PERCENT, Unit.RATIO, 0.97),
        (90.0, Unit.MINUTES, Unit.HOURS, 1.5),
        (1.5, Unit.DAYS, Unit.HOURS, 36.0),
        (2.0, Unit.HOURS, Unit.SECONDS, 7200.0),
        (5.0, Unit.COUNT, Unit.COUNT, 5.0),
    ],
)
def test_convert(value: float, source: Unit, target: Unit, expected: float) -> None:
    assert convert(value, source, target) == expected


def test_convert_incompatible_units_says_why() -> None:
    with pytest.raises(UnitMismatch, match=r"cannot convert hours \(duration\) to percent"):
        convert(1.0, Unit.HOURS, Unit.PERCENT)
    with pytest.raises(UnitMismatch):
        convert(1.0, Unit.SCORE, Unit.COUNT)


def test_check_value_converts_into_the_definitions_unit() -> None:
    on_time = BUILT_IN_KPIS["on_time_delivery"]
    assert check_value(on_time, 0.97, Unit.RATIO) == 97.0
    assert check_value(on_time, 97) == 97.0
    assert check_value(BUILT_IN_KPIS["average_handle_time"], 5, Unit.MINUTES) == 300.0


@pytest.mark.parametrize(
    ("code", "value", "unit", "message"),
    [
        ("on_time_delivery", 102.5, None, "102.5 % is above 100 %"),
        ("on_time_delivery", 1.025, Unit.RATIO, "102.5 % is above 100 % (given as 1.025 ratio)"),
        ("defect_rate", -1.0, None, "-1 % is below 0 %"),
        (
            "cycle_time",
            -2.0,
            Unit.HOURS,
            "-0.0833333333333333 days is below 0 days (given as -2 hours)",
        ),
        ("innovation_velocity", 2.5, None, "2.5 is not a whole count"),
        ("customer_alignment", 6.0, None, "6 is above 5 on the 1-5 scale"),
        ("customer_alignment", 0.0, None, "0 is below 1 on the 1-5 scale"),
        ("availability", math.nan, None, "NaN is not a measurement"),
        ("availability", math.inf, None, "inf is not finite"),
    ],
)
def test_check_value_gives_a_readable_reason(
    code: str, value: float, unit: Unit | None, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        check_value(BUILT_IN_KPIS[code], value, unit)


def test_check_value_unit_mismatch_names_the_kpi() -> None:
    with pytest.raises(UnitMismatch, match="hours cannot be converted to percent, the unit of"):
        check_value(BUILT_IN_KPIS["on_time_delivery"], 1.0, Unit.HOURS)


def test_user_defined_kpis_are_validated() -> None:
    assert kpi().code == "tickets_closed"
    for bad in ("Tickets", "tickets-closed", "1st", "a__b", "trailing_", "", "x" * 65):
        with pytest.raises(ValueError, match="must be lower-case letters"):
            validate_code(bad)
        with pytest.raises(ValueError, match="must be lower-case letters"):
            kpi(bad)
    with pytest.raises(ValueError, match="is a score: give scale_min and scale_max"):
        kpi("nps", Unit.SCORE)
    with pytest.raises(ValueError, match="scale_min must be below scale_max"):
        kpi("nps", Unit.SCORE, scale_min=5.0, scale_max=1.0)
    with pytest.raises(ValueError, match="give a currency code"):
        kpi("spend", Unit.CURRENCY)
    with pytest.raises(ValueError, match="drop the currency"):
        kpi("spend", Unit.COUNT, currency="EUR")
    assert kpi("spend", Unit.CURRENCY, currency="EUR").currency == "EUR"


def test_scale_narrows_the_natural_range() -> None:
    nps = kpi("nps", Unit.SCORE, scale_min=-100.0, scale_max=100.0)
    assert value_range(nps) == (-100.0, 100.0)
    assert check_value(nps, -30.0) == -30.0
    capped = kpi("uptime", Unit.PERCENT, scale_min=90.0)
    assert value_range(capped) == (90.0, 100.0)
    with pytest.raises(ValueError, match="89 % is below 90 %"):
        check_value(capped, 89.0)
    assert value_range(kpi("cost", Unit.CURRENCY, currency="USD")) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", datetime(2024, 3, 1, tzinfo=UTC)),
        (" 2024-03-05 ", datetime(2024, 3, 5, tzinfo=UTC)),
        ("2024-03-05T09:00+01:00", datetime(2024, 3, 5, 8, tzinfo=UTC)),
        ("2024-03-05T09:00:00Z", datetime(2024, 3, 5, 9, tzinfo=UTC)),
    ],
)
def test_parse_period_gives_utc_datetimes(text: str, expected: datetime) -> None:
    period = parse_period(text)
    assert period == expected
    assert period.utcoffset() is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "'2024-13' is not a valid date: month must be in 1..12"),
        ("2024-02-30", "'2024-02-30' is not a valid date: day is out of range for month"),
        ("2024-03-05T09:00", "'2024-03-05T09:00' has no UTC offset"),
        ("03/2024", "'03/2024' is not a date; use YYYY-MM-DD, YYYY-MM"),
        ("2024-03-05 25:00Z", "is not a valid date-time"),
    ],
)
def test_parse_period_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_period(text)


def test_closest_code_reads_codes_as_people_write_them() -> None:
    assert closest_code("On-time delivery", BUILT_IN_KPIS) == "on_time_delivery"
    assert closest_code("defect_rat", BUILT_IN_KPIS) == "defect_rate"
    assert closest_code("zzz", BUILT_IN_KPIS) is None
