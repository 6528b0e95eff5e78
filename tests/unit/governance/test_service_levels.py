"""Judging a service level over a window: error-budget consumption, warnings, breaches, samples.

Consumption = distance of the attained value from ``best`` / distance of ``target`` from
``best``. The examples are worked by hand next to each assertion.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.governance.kpis import Aggregation, Direction
from sourcewise.governance.service_levels import (
    Observation,
    ServiceLevel,
    ServiceLevelKind,
    Status,
    evaluate_window,
    meets_target,
    window_bounds,
)

CRITICAL = ServiceLevelKind.CRITICAL
KEY = ServiceLevelKind.KEY_MEASUREMENT
HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER

AVAILABILITY = ServiceLevel(
    name="Availability",
    metric="AVAIL",
    kind=CRITICAL,
    target=99.5,
    direction=HIGHER,
    unit="percent",
    allocation_pct=Decimal(100),
)
DEFECT_RATE = ServiceLevel(
    name="Defect rate",
    metric="DEFECTS",
    kind=KEY,
    target=2.0,
    direction=LOWER,
    unit="percent",
)


def judged(level: ServiceLevel, *values: float) -> Status:
    return evaluate_window(level, [Observation(v) for v in values]).status


def test_availability_above_target_consumes_sixty_percent_of_the_budget() -> None:
    # best 100, target 99.5: budget 0.5. Attained 99.7 is 0.3 from best: 0.3 / 0.5 = 60 %.
    result = evaluate_window(AVAILABILITY, [Observation(99.7)])
    assert result.attained == 99.7
    assert result.consumption == pytest.approx(0.6)
    assert result.status is Status.WARNING_50
    assert result.met is True
    assert result.shortfall == 0.0
    assert result.sample == 1


def test_lower_is_better_defect_rate() -> None:
    # best 0, target 2: budget 2. Attained 1.6: 1.6 / 2 = 80 % → warning at 75 %, still met.
    met = evaluate_window(DEFECT_RATE, [Observation(1.6)])
    assert met.consumption == pytest.approx(0.8)
    assert (met.status, met.met) == (Status.WARNING_75, True)
    # Attained 2.4: 0.4 past target, 2.4 / 2 = 120 % of the budget.
    missed = evaluate_window(DEFECT_RATE, [Observation(2.4)])
    assert (missed.status, missed.met) == (Status.BREACH, False)
    assert missed.shortfall == pytest.approx(0.4)
    assert missed.consumption == pytest.approx(1.2)
    # Attained 0.4: 0.4 / 2 = 20 %.
    assert judged(DEFECT_RATE, 0.4) is Status.MET


def test_exactly_on_target_is_met() -> None:
    # 99.5 against 99.5: 0.5 / 0.5 = 100 % consumed, on target, so met (with a 75 % warning).
    result = evaluate_window(AVAILABILITY, [Observation(99.5)])
    assert (result.status, result.met, result.shortfall) == (Status.WARNING_75, True, 0.0)
    assert result.consumption == 1.0
    assert meets_target(AVAILABILITY, 99.5)
    assert not meets_target(AVAILABILITY, 99.49)
    assert meets_target(DEFECT_RATE, 2.0)
    assert not meets_target(DEFECT_RATE, 2.01)


def test_a_mean_landing_exactly_on_target_is_met_despite_binary_floats() -> None:
    # (99.2 × 1 + 99.6 × 3) / 4 = 398.0 / 4 = 99.5 exactly in decimal; in binary floats it
    # comes out as 99.49999999999999, just below target.
    assert (99.2 * 1 + 99.6 * 3) / 4 < 99.5
    result = evaluate_window(AVAILABILITY, [Observation(99.2, 1), Observation(99.6, 3)])
    assert result.attained == 99.5
    assert result.met is True


def test_warning_thresholds_are_inclusive() -> None:
    # 99.75: 0.25 / 0.5 = 50 % exactly. 99.76: 0.24 / 0.5 = 48 %. 99.625: 0.375 / 0.5 = 75 %.
    assert judged(AVAILABILITY, 99.75) is Status.WARNING_50
    assert judged(AVAILABILITY, 99.76) is Status.MET
    assert judged(AVAILABILITY, 99.625) is Status.WARNING_75
    assert judged(AVAILABILITY, 99.63) is Status.WARNING_50  # 0.37 / 0.5 = 74 %
    assert judged(AVAILABILITY, 99.49) is Status.BREACH


def test_mean_is_weighted_by_sample_size() -> None:
    # (99.0 × 100 + 100.0 × 300) / 400 = 39,900 / 400 = 99.75; unweighted it would be 99.5.
    result = evaluate_window(AVAILABILITY, [Observation(99.0, 100), Observation(100.0, 300)])
    assert result.attained == 99.75
    assert result.sample == 400


def test_minimum_sample_gives_insufficient_sample() -> None:
    level = ServiceLevel("P1 resolution", "P1_RES", KEY, 95.0, HIGHER, "percent", minimum_sample=30)
    # 12 + 10 tickets = 22 < 30: not judged, although 80 % would be a breach.
    result = evaluate_window(level, [Observation(80.0, 12), Observation(80.0, 10)])
    assert result.status is Status.INSUFFICIENT_SAMPLE
    assert (result.met, result.consumption, result.shortfall, result.sample) == (
        False,
        None,
        0.0,
        22,
    )
    assert result.attained == 80.0
    # 12 + 18 = 30 reaches the minimum: (80 × 12 + 100 × 18) / 30 = 92 < 95, a breach by 3.
    enough = evaluate_window(level, [Observation(80.0, 12), Observation(100.0, 18)])
    assert enough.status is Status.BREACH
    assert enough.shortfall == pytest.approx(3.0)
    # Without sample sizes each observation counts once: 3 observations < 30.
    assert judged(level, 99.0, 99.0, 99.0) is Status.INSUFFICIENT_SAMPLE


def test_no_data() -> None:
    result = evaluate_window(AVAILABILITY, [])
    assert (result.status, result.attained, result.sample, result.met) == (
        Status.NO_DATA,
        None,
        0,
        False,
    )
    # Observations of zero events measured nothing.
    assert evaluate_window(AVAILABILITY, [Observation(0.0, 0)]).status is Status.NO_DATA


def test_other_aggregations() -> None:
    def incidents(aggregation: Aggregation) -> ServiceLevel:
        return ServiceLevel("P1 incidents", "P1", KEY, 2, LOWER, "count", aggregation=aggregation)

    values = [Observation(1), Observation(0), Observation(2)]
    # SUM 1 + 0 + 2 = 3 > 2: breach by 1; budget 2 - 0 = 2, consumption 3 / 2.
    total = evaluate_window(incidents(Aggregation.SUM), values)
    assert (total.attained, total.status, total.shortfall) == (3.0, Status.BREACH, 1.0)
    assert total.consumption == 1.5
    assert evaluate_window(incidents(Aggregation.MAX), values).attained == 2.0
    assert evaluate_window(incidents(Aggregation.MIN), values).attained == 0.0
    assert evaluate_window(incidents(Aggregation.LAST), values).attained == 2.0


def test_default_and_explicit_best() -> None:
    ratio = ServiceLevel("On-time ratio", "OTR", KEY, 0.9, HIGHER, "ratio")
    assert ratio.ideal == 1.0
    # best 1, target 0.9: budget 0.1; attained 0.96 is 0.04 away: 40 %.
    assert evaluate_window(ratio, [Observation(0.96)]).consumption == pytest.approx(0.4)
    assert AVAILABILITY.ideal == 100.0
    assert DEFECT_RATE.ideal == 0.0
    csat = ServiceLevel("Satisfaction", "CSAT", KEY, 4.0, HIGHER, "score", best=5.0)
    # best 5, target 4: budget 1; 4.3 is 0.7 away: 70 %. Above best the consumption floors at 0.
    assert evaluate_window(csat, [Observation(4.3)]).consumption == pytest.approx(0.7)
    assert evaluate_window(csat, [Observation(5.2)]).consumption == 0.0
    with pytest.raises(ValueError, match="best"):
        ServiceLevel("Satisfaction", "CSAT", KEY, 4.0, HIGHER, "score")


def test_zero_budget_target() -> None:
    # "No severity-1 incidents": target 0 = best 0, so any incident is a breach.
    as_parsed = cast(Aggregation, "sum")  # parsed files may pass enum values as strings
    level = ServiceLevel("Sev-1 incidents", "SEV1", KEY, 0, LOWER, "count", aggregation=as_parsed)
    assert level.aggregation is Aggregation.SUM
    clean = evaluate_window(level, [Observation(0)])
    assert (clean.status, clean.consumption) == (Status.MET, 0.0)
    hit = evaluate_window(level, [Observation(1)])
    assert (hit.status, hit.consumption, hit.shortfall) == (Status.BREACH, None, 1.0)


def test_window_bounds() -> None:
    assert window_bounds(AVAILABILITY, date(2025, 3, 1)) == (date(2025, 3, 1), date(2025, 4, 1))
    quarterly = ServiceLevel("Survey", "CSAT", KEY, 4, HIGHER, "score", window="quarter", best=5)
    assert window_bounds(quarterly, date(2025, 11, 1)) == (date(2025, 10, 1), date(2026, 1, 1))
    assert window_bounds(quarterly, date(2025, 1, 1)) == (date(2025, 1, 1), date(2025, 4, 1))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"window": "week"}, "window"),
        ({"kind": "vital"}, "kind"),
        ({"direction": "up"}, "direction"),
        ({"target": float("nan")}, "target"),
        ({"name": " "}, "name"),
        ({"minimum_sample": -1}, "minimum_sample"),
        ({"best": 99.0}, "best"),
        ({"allocation_pct": Decimal(0)}, "allocation_pct"),
        ({"allocation_pct": 50.0}, "allocation_pct"),
        ({"allocation_pct": Decimal(-5)}, "allocation_pct"),
        ({"prorated": True}, "full_credit_shortfall"),
        ({"full_credit_shortfall": 0.5}, "full_credit_shortfall"),
        ({"prorated": True, "full_credit_shortfall": 0.0}, "full_credit_shortfall"),
        ({"earn_back_months": -1}, "earn_back_months"),
        ({"kind": KEY}, "allocation_pct"),
        ({"kind": KEY, "allocation_pct": Decimal(0), "earn_back_months": 3}, "earn_back_months"),
        ({"kind": KEY, "allocation_pct": Decimal(0), "prorated": True}, "prorated"),
    ],
)
def test_invalid_definitions_name_the_field(changes: dict[str, object], field: str) -> None:
    fields: dict[str, object] = {
        "name": "Availability",
        "metric": "AVAIL",
        "kind": CRITICAL,
        "target": 99.5,
        "direction": HIGHER,
        "unit": "percent",
        "allocation_pct": Decimal(100),
    }
    with pytest.raises(ValueError, match=field):
        ServiceLevel(**(fields | changes))  # type: ignore[arg-type]


def test_invalid_observations_name_the_field() -> None:
    with pytest.raises(ValueError, match="value"):
        Observation(float("inf"))
    with pytest.raises(ValueError, match="sample_size"):
        Observation(99.0, -1)


@given(st.floats(min_value=95.0, max_value=100.0), st.floats(min_value=90.0, max_value=99.99))
def test_breach_exactly_when_the_budget_is_overspent(attained: float, target: float) -> None:
    level = ServiceLevel("Availability", "AVAIL", KEY, target, HIGHER, "percent")
    result = evaluate_window(level, [Observation(attained)])
    assert result.consumption is not None
    assert result.met == (result.consumption <= 1.0) == meets_target(level, attained)
    assert (result.status is Status.BREACH) == (not result.met)
    assert (result.shortfall > 0) == (not result.met)
