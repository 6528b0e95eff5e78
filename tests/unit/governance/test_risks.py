"""Risk register: 5×5 scoring, risks, data-driven triggers (edges, missing data) and history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.governance.risks import (
    Assessment,
    Rating,
    Risk,
    RiskCategory,
    RiskStatus,
    diff_risks,
    evaluate_triggers,
    heat_map,
    next_risk_code,
    rank_risks,
    rating_for,
    score_summary,
)
from sourcewise.governance.trigger_eval import evaluate_trigger
from sourcewise.governance.triggers import (
    BreachStreakTrigger,
    ChangeMode,
    FxMoveTrigger,
    IndicatorChangeTrigger,
    KpiThresholdTrigger,
    Movement,
    Trigger,
    TriggerData,
    TriggerStatus,
    trigger_from_dict,
    trigger_to_dict,
)

AS_OF = date(2024, 5, 15)
ENGAGEMENT = "ACME-support"
FIRED, NOT_FIRED, MISSING = (
    TriggerStatus.FIRED,
    TriggerStatus.NOT_FIRED,
    TriggerStatus.MISSING_DATA,
)


def month_ends(*rates: float) -> list[tuple[date, float]]:
    """Monthly rates from January 2024 on, dated at the end of each month."""
    ends = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
    return list(zip(ends, rates, strict=False))


def sla(*statuses: str, first_month: int = 1) -> list[tuple[date, str]]:
    return [(date(2024, first_month + i, 1), status) for i, status in enumerate(statuses)]


def make_risk(**changes: object) -> Risk:
    values: dict[str, object] = {
        "code": "R-001",
        "title": "Rupee depreciation raises the provider's price",
        "category": RiskCategory.CURRENCY_SHOCK,
        "engagement": ENGAGEMENT,
        "owner": "Head of procurement",
        "inherent": Assessment(4, 4),
        "residual": Assessment(3, 3),
        "mitigations": ("Price-adjustment clause",),
        "status": RiskStatus.OPEN,
        "triggers": (FxMoveTrigger("USD", "INR", 5, 3),),
    }
    values.update(changes)
    return Risk(**values)  # type: ignore[arg-type]


def check(
    trigger: Trigger, data: TriggerData, engagement: str | None = ENGAGEMENT
) -> TriggerStatus:
    return evaluate_trigger(trigger, data, AS_OF, engagement=engagement).status


# --- scoring -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (1, Rating.LOW),
        (4, Rating.LOW),
        (5, Rating.MEDIUM),
        (9, Rating.MEDIUM),
        (10, Rating.HIGH),
        (16, Rating.HIGH),
        (20, Rating.CRITICAL),
        (25, Rating.CRITICAL),
    ],
)
def test_rating_bands_at_every_boundary(score: int, rating: Rating) -> None:
    assert rating_for(score) is rating


@pytest.mark.parametrize("score", [0, 7, 11, 17, 19, 26, True])
def test_scores_no_5x5_product_gives_are_rejected(score: int) -> None:
    with pytest.raises(ValueError, match="product of two ratings"):
        rating_for(score)


def test_assessment_labels_and_description() -> None:
    assessment = Assessment(4, 5)
    assert (assessment.likelihood_label, assessment.impact_label) == ("likely", "severe")
    assert assessment.score == 20
    assert assessment.describe() == "likely (4) × severe (5) = 20, critical"
    assert Assessment(1, 1).describe() == "rare (1) × negligible (1) = 1, low"
    assert Assessment(5, 3).likelihood_label == "almost certain"


@pytest.mark.parametrize(
    ("likelihood", "impact", "field"), [(0, 3, "likelihood"), (3, 6, "impact")]
)
def test_assessment_outside_1_to_5_names_the_axis(likelihood: int, impact: int, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field} must be a whole number from 1 to 5"):
        Assessment(likelihood, impact)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 4), st.integers(0, 4))
def test_a_worse_assessment_never_has_a_lower_rating(l1: int, i1: int, dl: int, di: int) -> None:
    order = list(Rating)
    worse = Assessment(min(5, l1 + dl), min(5, i1 + di))
    assert order.index(worse.rating) >= order.index(Assessment(l1, i1).rating)


# --- risks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("residual", "field"),
    [(Assessment(5, 3), "residual.likelihood"), (Assessment(2, 5), "residual.impact")],
)
def test_residual_worse_than_inherent_is_rejected(residual: Assessment, field: str) -> None:
    with pytest.raises(ValueError, match=rf"^{field} \(5\) exceeds inherent"):
        make_risk(inherent=Assessment(4, 4), residual=residual)


def test_residual_equal_to_inherent_is_allowed() -> None:
    assert make_risk(residual=Assessment(4, 4)).residual.score == 16


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": " "}, "code"),
        ({"owner": ""}, "owner"),
        ({"engagement": "  "}, "engagement"),
        ({"category": "weather"}, "category"),
        ({"status": "done"}, "status"),
        ({"mitigations": ("ok", "")}, r"mitigations\[1\]"),
        ({"triggers": ("fx",)}, r"triggers\[0\]"),
    ],
)
def test_risk_validation_names_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}"):
        make_risk(**changes)


def test_risk_accepts_enum_values_as_strings_and_lists_as_tuples() -> None:
    risk = make_risk(category="talent_shortage", status="mitigating", mitigations=["a", "b"])
    assert risk.category is RiskCategory.TALENT_SHORTAGE
    assert risk.status is RiskStatus.MITIGATING
    assert risk.mitigations == ("a", "b")
    hash(risk)  # frozen and made of tuples: usable as a key


def test_register_helpers() -> None:
    risks = [
        make_risk(code="R-002", residual=Assessment(2, 2)),
        make_risk(code="R-010", inherent=Assessment(5, 5), residual=Assessment(2, 2)),
        make_risk(code="R-001", residual=Assessment(3, 4)),
    ]
    assert [r.code for r in rank_risks(risks)] == ["R-001", "R-010", "R-002"]
    assert heat_map(risks) == {(2, 2): ("R-002", "R-010"), (3, 4): ("R-001",)}
    assert heat_map(risks, "inherent") == {(4, 4): ("R-001", "R-002"), (5, 5): ("R-010",)}
    assert next_risk_code(r.code for r in risks) == "R-011"
    assert next_risk_code([]) == "R-001"
    assert next_risk_code(["X-7", "R-009"], prefix="X-") == "X-008"
    assert score_summary(risks) == {
        Rating.LOW: 2,
        Rating.MEDIUM: 0,
        Rating.HIGH: 1,
        Rating.CRITICAL: 0,
    }


# --- FX move -------------------------------------------------------------------------------


def test_fx_move_reason_gives_the_numbers() -> None:
    data = TriggerData(fx={("USD", "INR"): month_ends(83.10, 84.0, 86.0, 89.66)})
    firing = evaluate_trigger(FxMoveTrigger("USD", "INR", 5, 3), data, AS_OF, engagement=None)
    assert firing.fired
    assert firing.reason == (
        "INR per USD moved +7.9 % over 3 months (83.10 in 2024-01 → 89.66 in 2024-04), "
        "beyond the 5 % threshold"
    )


@pytest.mark.parametrize(
    ("end_rate", "direction", "status"),
    [
        (84.0, Movement.ANY, NOT_FIRED),  # exactly +5 %: equal does not fire
        (84.01, Movement.ANY, FIRED),
        (76.0, Movement.ANY, NOT_FIRED),  # exactly −5 %
        (75.99, Movement.ANY, FIRED),
        (84.01, Movement.UP, FIRED),
        (84.01, Movement.DOWN, NOT_FIRED),
        (75.99, Movement.DOWN, FIRED),
        (75.99, Movement.UP, NOT_FIRED),
    ],
)
def test_fx_move_threshold_edge(
    end_rate: float, direction: Movement, status: TriggerStatus
) -> None:
    data = TriggerData(fx={("USD", "INR"): month_ends(80.0, 1.0, 1.0, end_rate)})
    assert check(FxMoveTrigger("USD", "INR", 5, 3, direction), data) is status


def test_fx_move_at_the_edge_does_not_print_as_if_equal() -> None:
    data = TriggerData(fx={("USD", "INR"): month_ends(80.0, 1.0, 1.0, 84.01)})
    reason = evaluate_trigger(FxMoveTrigger("USD", "INR", 5, 3), data, AS_OF, engagement=None)
    assert "+5.01 %" in reason.reason


def test_fx_move_reads_an_inverted_series_and_ignores_later_data() -> None:
    # Stored as USD per INR; the trigger watches INR per USD, i.e. 1 / rate.
    series = [(date(2024, 1, 31), 0.0125), (date(2024, 4, 30), 0.0115), (date(2024, 6, 30), 1.0)]
    data = TriggerData(fx={("INR", "USD"): series})
    firing = evaluate_trigger(FxMoveTrigger("USD", "INR", 5, 3), data, AS_OF, engagement=None)
    assert firing.fired
    assert "(80.00 in 2024-01 → 86.96 in 2024-04)" in firing.reason


def test_fx_move_uses_the_last_observation_of_each_month() -> None:
    series = [(date(2024, 1, 2), 70.0), (date(2024, 1, 31), 80.0), (date(2024, 4, 30), 84.0)]
    data = TriggerData(fx={("USD", "INR"): series})
    assert check(FxMoveTrigger("USD", "INR", 5, 3), data) is NOT_FIRED


@pytest.mark.parametrize(
    ("fx", "needle"),
    [
        ({}, "no INR per USD exchange-rate series"),
        ({("USD", "INR"): [(date(2024, 6, 30), 80.0)]}, "no INR per USD rate on or before"),
        ({("USD", "INR"): month_ends(80.0, 82.0)}, "no INR per USD rate for 2023-11"),
    ],
)
def test_fx_move_missing_data(
    fx: dict[tuple[str, str], list[tuple[date, float]]], needle: str
) -> None:
    firing = evaluate_trigger(
        FxMoveTrigger("usd", "inr", 5, 3), TriggerData(fx=fx), AS_OF, engagement=None
    )
    assert firing.status is MISSING
    assert not firing.fired
    assert needle in firing.reason


@given(
    st.decimals(min_value=1, max_value=200, places=2),
    st.decimals(min_value=1, max_value=200, places=2),
    st.decimals(min_value=Decimal("0.5"), max_value=30, places=1),
)
def test_fx_any_direction_fires_exactly_when_up_or_down_does(
    start: Decimal, end: Decimal, threshold: Decimal
) -> None:
    data = TriggerData(fx={("EUR", "PHP"): [(date(2024, 1, 31), start), (date(2024, 4, 30), end)]})

    def fired(direction: Movement) -> bool:
        return check(FxMoveTrigger("EUR", "PHP", threshold, 3, direction), data) is FIRED

    assert fired(Movement.ANY) == (fired(Movement.UP) or fired(Movement.DOWN))
    assert not (fired(Movement.UP) and fired(Movement.DOWN))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"base": "US"}, "base"),
        ({"quote": "USD"}, "base and quote"),
        ({"threshold_pct": 0}, "threshold_pct"),
        ({"threshold_pct": float("nan")}, "threshold_pct"),
        ({"lookback_months": 0}, "lookback_months"),
        ({"direction": "sideways"}, "direction"),
    ],
)
def test_fx_trigger_validation(kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"base": "USD", "quote": "INR", "threshold_pct": 5}
    with pytest.raises(ValueError, match=f"^{field}"):
        FxMoveTrigger(**(values | kwargs))  # type: ignore[arg-type]


# --- breach streak -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "status"),
    [
        (("breach", "breach", "breach"), FIRED),
        (("met", "breach", "breach", "breach"), FIRED),
        (("breach", "met", "breach"), NOT_FIRED),  # a met month in between breaks the streak
        (("breach", "breach", "breach", "met"), NOT_FIRED),
        (("breach", "warning_75", "breach"), NOT_FIRED),
        (("breach", "breach"), MISSING),  # only two months known
    ],
)
def test_breach_streak_of_three(statuses: tuple[str, ...], status: TriggerStatus) -> None:
    data = TriggerData(sla={(ENGAGEMENT, "availability"): sla(*statuses)})
    assert check(BreachStreakTrigger(3, "availability"), data) is status


def test_breach_streak_reasons() -> None:
    data = TriggerData(sla={(ENGAGEMENT, "availability"): sla("breach", "met", "breach")})
    firing = evaluate_trigger(
        BreachStreakTrigger(3, "availability"), data, AS_OF, engagement=ENGAGEMENT
    )
    assert firing.reason == (
        "no 3-month breach streak for availability (2024-01 to 2024-03): 2024-02: availability met"
    )
    data = TriggerData(sla={(ENGAGEMENT, "availability"): sla("breach", "breach", "breach")})
    firing = evaluate_trigger(
        BreachStreakTrigger(3, "availability"), data, AS_OF, engagement=ENGAGEMENT
    )
    assert firing.reason == "availability breached 3 months running (2024-01 to 2024-03)"
    # Any service level: each month names the ones it breached.
    data = TriggerData(
        sla={
            (ENGAGEMENT, "availability"): sla("breach", "met", "breach"),
            (ENGAGEMENT, "resolution"): sla("met", "breach", "breach"),
        }
    )
    firing = evaluate_trigger(BreachStreakTrigger(3), data, AS_OF, engagement=ENGAGEMENT)
    assert firing.reason == (
        "any service level breached 3 months running (2024-01 to 2024-03; 2024-01: "
        "availability; 2024-02: resolution; 2024-03: availability, resolution)"
    )


def test_breach_streak_month_gap_is_missing_data() -> None:
    history = [
        (date(2024, 1, 1), "breach"),
        (date(2024, 3, 1), "breach"),
        (date(2024, 4, 1), "breach"),
    ]
    data = TriggerData(sla={(ENGAGEMENT, "availability"): history})
    firing = evaluate_trigger(
        BreachStreakTrigger(3, "availability"), data, AS_OF, engagement=ENGAGEMENT
    )
    assert firing.status is MISSING
    assert "in 2024-02" in firing.reason


def test_breach_streak_over_any_service_level() -> None:
    data = TriggerData(
        sla={
            (ENGAGEMENT, "availability"): sla("breach", "met", "met"),
            (ENGAGEMENT, "response time"): sla("met", "breach", "breach"),
            ("other engagement", "availability"): sla("met", "met", "met"),
        }
    )
    firing = evaluate_trigger(BreachStreakTrigger(3), data, AS_OF, engagement=ENGAGEMENT)
    assert firing.fired
    assert "2024-01: availability; 2024-02: response time; 2024-03: response time" in firing.reason
    assert check(BreachStreakTrigger(3), data, engagement="other engagement") is NOT_FIRED
    assert check(BreachStreakTrigger(3, "response time"), data) is NOT_FIRED


def test_breach_streak_ignores_months_after_as_of_and_needs_an_engagement() -> None:
    history = sla("breach", "breach", "breach", "met", "met", "met", first_month=3)
    data = TriggerData(sla={(ENGAGEMENT, "availability"): history})
    assert check(BreachStreakTrigger(3, "availability"), data) is FIRED  # March–May only
    assert check(BreachStreakTrigger(3, "availability"), data, engagement=None) is MISSING
    assert check(BreachStreakTrigger(3, "availability"), TriggerData()) is MISSING


# --- indicator change ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "trigger_kwargs", "status"),
    [
        ((1.0, 0.7), {"threshold": 0.3}, NOT_FIRED),  # exactly 0.3: equal does not fire
        ((1.0, 0.69), {"threshold": 0.3}, FIRED),
        ((1.0, 0.69), {"threshold": 0.3, "direction": "up"}, NOT_FIRED),
        ((0.7, 1.01), {"threshold": 0.3, "direction": "up"}, FIRED),
        ((2.0, 1.8), {"threshold": 10, "mode": "percent"}, NOT_FIRED),  # exactly −10 %
        ((2.0, 1.79), {"threshold": 10, "mode": "percent"}, FIRED),
        # Percent of the absolute earlier value: −0.5 → −0.6 is a 20 % fall.
        ((-0.5, -0.6), {"threshold": 19, "mode": "percent", "direction": "down"}, FIRED),
        ((-0.5, -0.6), {"threshold": 19, "mode": "percent", "direction": "up"}, NOT_FIRED),
        ((0.0, 0.5), {"threshold": 10, "mode": "percent"}, MISSING),
    ],
)
def test_indicator_change_edges(
    values: tuple[float, float], trigger_kwargs: dict[str, object], status: TriggerStatus
) -> None:
    data = TriggerData(indicators={("IND", "PV.EST"): [(2021, values[0]), (2022, values[1])]})
    trigger = IndicatorChangeTrigger("IND", "PV.EST", **trigger_kwargs)  # type: ignore[arg-type]
    assert check(trigger, data) is status


def test_indicator_change_uses_the_last_two_available_years_up_to_as_of() -> None:
    series = [
        (2019, 0.9),
        (2020, -0.62),
        (2021, None),
        (2022, -1.04),
        (2023, float("nan")),
        (2025, 3.0),
    ]
    data = TriggerData(indicators={("IND", "PV.EST"): series})
    trigger = IndicatorChangeTrigger("IND", "PV.EST", 0.3, Movement.DOWN)
    firing = evaluate_trigger(trigger, data, AS_OF, engagement=None)
    assert firing.reason == (
        "PV.EST for IND fell by 0.42 (−0.62 in 2020 → −1.04 in 2022), "
        "beyond the 0.3 threshold (down)"
    )
    one_year = TriggerData(indicators={("IND", "PV.EST"): [(2022, -1.04), (2021, None)]})
    assert check(trigger, one_year) is MISSING
    assert check(trigger, TriggerData()) is MISSING


def test_indicator_trigger_validation() -> None:
    with pytest.raises(ValueError, match=r"^mode"):
        IndicatorChangeTrigger("IND", "PV.EST", 1, mode="relative")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^threshold"):
        IndicatorChangeTrigger("IND", "PV.EST", -1)
    with pytest.raises(ValueError, match=r"^country"):
        IndicatorChangeTrigger("", "PV.EST", 1)


# --- KPI threshold -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "direction", "status"),
    [
        (90.0, Movement.DOWN, NOT_FIRED),  # equal does not fire
        (89.9, Movement.DOWN, FIRED),
        (90.0, Movement.UP, NOT_FIRED),
        (90.1, Movement.UP, FIRED),
    ],
)
def test_kpi_threshold_edge(value: float, direction: Movement, status: TriggerStatus) -> None:
    data = TriggerData(kpis={(ENGAGEMENT, "on-time delivery %"): (date(2024, 4, 30), value)})
    assert check(KpiThresholdTrigger("on-time delivery %", 90, direction), data) is status


def test_kpi_threshold_reason_and_missing_data() -> None:
    trigger = KpiThresholdTrigger("on-time delivery %", 90, Movement.DOWN)
    data = TriggerData(kpis={(ENGAGEMENT, "on-time delivery %"): (date(2024, 4, 30), 82.5)})
    firing = evaluate_trigger(trigger, data, AS_OF, engagement=ENGAGEMENT)
    assert firing.reason == "on-time delivery % was 82.5 on 2024-04-30, below the 90 threshold"
    later = TriggerData(kpis={(ENGAGEMENT, "on-time delivery %"): (date(2024, 6, 30), 10.0)})
    assert check(trigger, later) is MISSING
    assert check(trigger, data, engagement=None) is MISSING
    with pytest.raises(ValueError, match=r"^direction"):
        KpiThresholdTrigger("x", 1, Movement.ANY)


# --- evaluating a risk ---------------------------------------------------------------------


def test_evaluate_triggers_reports_every_trigger_in_order() -> None:
    triggers = (
        FxMoveTrigger("USD", "INR", 5, 3),
        BreachStreakTrigger(3, "availability"),
        KpiThresholdTrigger("csat", 4, Movement.DOWN),
    )
    data = TriggerData(
        fx={("USD", "INR"): month_ends(80.0, 81.0, 82.0, 83.0)},
        sla={(ENGAGEMENT, "availability"): sla("breach", "breach", "breach")},
    )
    firings = evaluate_triggers(make_risk(triggers=triggers), data, AS_OF)
    assert [f.trigger for f in firings] == list(triggers)
    assert [f.status for f in firings] == [NOT_FIRED, FIRED, MISSING]
    assert all(f.as_of == AS_OF for f in firings)
    closed = make_risk(triggers=triggers, status=RiskStatus.CLOSED)
    assert evaluate_triggers(closed, data, AS_OF) == ()


# --- storing triggers ----------------------------------------------------------------------

triggers_strategy = st.one_of(
    st.builds(
        FxMoveTrigger,
        base=st.sampled_from(["USD", "EUR"]),
        quote=st.sampled_from(["INR", "PHP"]),
        threshold_pct=st.decimals(min_value=Decimal("0.1"), max_value=50, places=2),
        lookback_months=st.integers(1, 24),
        direction=st.sampled_from(Movement),
    ),
    st.builds(
        BreachStreakTrigger,
        streak=st.integers(1, 12),
        service_level=st.none() | st.sampled_from(["availability", "response time"]),
    ),
    st.builds(
        IndicatorChangeTrigger,
        country=st.sampled_from(["IND", "PHL"]),
        indicator=st.just("PV.EST"),
        threshold=st.floats(0.01, 100),
        direction=st.sampled_from(Movement),
        mode=st.sampled_from(ChangeMode),
    ),
    st.builds(
        KpiThresholdTrigger,
        metric=st.just("csat"),
        threshold=st.floats(-100, 100),
        direction=st.sampled_from([Movement.UP, Movement.DOWN]),
    ),
)


@given(triggers_strategy)
def test_trigger_dict_round_trip(trigger: Trigger) -> None:
    stored = trigger_to_dict(trigger)
    assert all(isinstance(v, str | int | None) for v in stored.values())
    assert trigger_from_dict(stored) == trigger


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"kind": "weather"}, r"^triggers\[0\]\.kind must be one of"),
        (
            {"kind": "fx_move", "base": "USD", "quote": "INR"},
            r"^triggers\[0\]\.threshold_pct: missing",
        ),
        (
            {"kind": "fx_move", "base": "USD", "quote": "INR", "threshold_pct": "five"},
            r"^triggers\[0\]\.threshold_pct must be a number",
        ),
        (
            {"kind": "breach_streak", "streak": 0},
            r"^triggers\[0\]\.streak must be a whole number",
        ),
        ({"kind": "breach_streak", "months": 3}, r"^triggers\[0\]\.months: unknown field"),
    ],
)
def test_trigger_from_dict_names_the_field(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        trigger_from_dict(raw, "triggers[0]")


# --- history -------------------------------------------------------------------------------

AT = datetime(2024, 5, 15, 9, 30, tzinfo=UTC)


def test_diff_risks_lists_each_changed_field() -> None:
    before = make_risk()
    after = make_risk(
        title="Rupee depreciation",
        engagement=None,
        residual=Assessment(2, 3),
        mitigations=("Price-adjustment clause", "Hedge 50 % of the next year"),
        status=RiskStatus.MITIGATING,
        triggers=(FxMoveTrigger("USD", "INR", 8, 3),),
    )
    changes = diff_risks(before, after, AT, "alice")
    assert [c.field for c in changes] == [
        "title",
        "engagement",
        "residual.likelihood",
        "mitigations",
        "status",
        "triggers",
    ]
    by_field = {c.field: c for c in changes}
    assert (by_field["engagement"].before, by_field["engagement"].after) == (ENGAGEMENT, None)
    assert (by_field["residual.likelihood"].before, by_field["residual.likelihood"].after) == (
        "3",
        "2",
    )
    assert by_field["mitigations"].after == "Price-adjustment clause\nHedge 50 % of the next year"
    assert by_field["status"].after == "mitigating"
    assert (
        by_field["triggers"].before == "INR per USD moves more than 5 % (either way) over 3 months"
    )
    assert all(c.at == AT and c.actor == "alice" for c in changes)


def test_diff_risks_same_risk_only_and_aware_time() -> None:
    risk = make_risk()
    assert diff_risks(risk, risk, AT, "alice") == ()
    with pytest.raises(ValueError, match="code differs"):
        diff_risks(risk, make_risk(code="R-002"), AT, "alice")
    with pytest.raises(ValueError, match="timezone-aware"):
        diff_risks(risk, risk, datetime(2024, 5, 15), "alice")
    with pytest.raises(ValueError, match=r"^actor"):
        diff_risks(risk, risk, AT, " ")


@given(
    st.integers(1, 5), st.integers(1, 5), st.sampled_from(RiskCategory), st.sampled_from(RiskStatus)
)
def test_diff_risks_reports_exactly_what_changed(
    likelihood: int, impact: int, category: RiskCategory, status: RiskStatus
) -> None:
    before = make_risk(inherent=Assessment(5, 5), residual=Assessment(3, 3))
    after = make_risk(
        inherent=Assessment(5, 5),
        residual=Assessment(likelihood, impact),
        category=category,
        status=status,
    )
    fields = {c.field for c in diff_risks(before, after, AT, "bob")}
    assert ("residual.likelihood" in fields) == (likelihood != 3)
    assert ("residual.impact" in fields) == (impact != 3)
    assert ("category" in fields) == (category is not RiskCategory.CURRENCY_SHOCK)
    assert ("status" in fields) == (status is not RiskStatus.OPEN)
    assert fields <= {"residual.likelihood", "residual.impact", "category", "status"}
