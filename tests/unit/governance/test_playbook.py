"""Risk playbook (defaults, user playbooks, due dates) and the escalation path.

June 2024 calendar used below: Monday 3, Wednesday 5, Thursday 6, Saturday 8, Monday 10,
Tuesday 11, Wednesday 12, Wednesday 26.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.governance.playbook import (
    DEFAULT_ESCALATION,
    DEFAULT_PLAYBOOKS,
    EscalationLevel,
    PlaybookAction,
    add_business_days,
    check_playbooks,
    escalation_state,
    open_playbook,
    parse_playbooks,
)
from sourcewise.governance.risks import Assessment, Risk, RiskCategory
from sourcewise.governance.trigger_eval import evaluate_trigger
from sourcewise.governance.triggers import FxMoveTrigger, TriggerData, TriggerFiring

FX = FxMoveTrigger("USD", "INR", 5, 3)
RISK = Risk(
    code="R-007",
    title="Rupee moves against the dollar",
    category=RiskCategory.CURRENCY_SHOCK,
    engagement=None,
    owner="Treasurer",
    inherent=Assessment(3, 4),
    residual=Assessment(2, 4),
    triggers=(FX,),
)
OPENED = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)  # a Monday


def fx_firing(end_rate: float) -> TriggerFiring:
    series = [(date(2024, 2, 29), 80.0), (date(2024, 5, 31), end_rate)]
    return evaluate_trigger(
        FX, TriggerData(fx={("USD", "INR"): series}), date(2024, 6, 1), engagement=None
    )


def at(day: int, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2024, 6, day, hour, minute, second, tzinfo=UTC)


# --- playbook ------------------------------------------------------------------------------


def test_every_category_has_a_default_playbook_using_the_seed_concerns() -> None:
    assert set(DEFAULT_PLAYBOOKS) == set(RiskCategory)
    assert check_playbooks(DEFAULT_PLAYBOOKS) == dict(DEFAULT_PLAYBOOKS)
    text = {
        c: " ".join(a.action for a in actions).lower() for c, actions in DEFAULT_PLAYBOOKS.items()
    }
    assert "contract compliance" in text[RiskCategory.REGULATORY_CHANGE]
    assert "data-transfer mechanism" in text[RiskCategory.REGULATORY_CHANGE]
    assert "succession plans" in text[RiskCategory.TALENT_SHORTAGE]
    assert "knowledge transfer" in text[RiskCategory.TALENT_SHORTAGE]
    assert "business continuity" in text[RiskCategory.GEOPOLITICAL_VOLATILITY]
    assert "step-in rights" in text[RiskCategory.GEOPOLITICAL_VOLATILITY]
    assert "hedging" in text[RiskCategory.CURRENCY_SHOCK]
    assert "price-adjustment clause" in text[RiskCategory.CURRENCY_SHOCK]
    assert "escrow" in text[RiskCategory.VENDOR_FAILURE]


def test_open_playbook_dates_each_step_from_the_opening() -> None:
    firing = fx_firing(86.0)
    assert firing.fired
    run = open_playbook(RISK, firing, OPENED)
    assert (run.risk_code, run.category, run.opened_at) == (
        "R-007",
        RiskCategory.CURRENCY_SHOCK,
        OPENED,
    )
    assert run.trigger == "INR per USD moves more than 5 % (either way) over 3 months"
    assert run.reason == firing.reason
    defaults = DEFAULT_PLAYBOOKS[RiskCategory.CURRENCY_SHOCK]
    assert [s.action for s in run.steps] == [a.action for a in defaults]
    assert [s.owner_role for s in run.steps] == [a.owner_role for a in defaults]
    # Calendar days: the 5-day step of a Monday 09:00 opening is due Saturday 09:00.
    assert run.steps[0].due_at == datetime(2024, 6, 8, 9, 0, tzinfo=UTC)
    assert [s.due_at - OPENED for s in run.steps] == [timedelta(days=a.due_days) for a in defaults]


def test_open_playbook_converts_the_opening_to_utc() -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    run = open_playbook(RISK, None, datetime(2024, 6, 3, 14, 30, tzinfo=ist))
    assert run.opened_at == OPENED
    assert run.opened_at.tzinfo is UTC
    assert run.reason == "opened manually"


def test_user_playbook_replaces_the_default_for_its_category() -> None:
    own = [
        PlaybookAction("Call the treasurer", "treasury", 0),
        PlaybookAction("Re-price", "finance", 7),
    ]
    run = open_playbook(RISK, None, OPENED, {RiskCategory.CURRENCY_SHOCK: own})
    assert [(s.action, s.due_at) for s in run.steps] == [
        ("Call the treasurer", OPENED),
        ("Re-price", OPENED + timedelta(days=7)),
    ]
    # An override for another category leaves this one on its default.
    other = open_playbook(RISK, None, OPENED, {RiskCategory.QUALITY: own})
    assert len(other.steps) == len(DEFAULT_PLAYBOOKS[RiskCategory.CURRENCY_SHOCK])


def test_open_playbook_refuses_a_firing_that_did_not_fire_or_is_not_the_risks() -> None:
    with pytest.raises(ValueError, match="did not fire"):
        open_playbook(RISK, fx_firing(81.0), OPENED)
    foreign = FxMoveTrigger("USD", "INR", 3, 3)
    series = [(date(2024, 2, 29), 80.0), (date(2024, 5, 31), 90.0)]
    firing = evaluate_trigger(
        foreign, TriggerData(fx={("USD", "INR"): series}), date(2024, 6, 1), engagement=None
    )
    with pytest.raises(ValueError, match="does not have"):
        open_playbook(RISK, firing, OPENED)
    with pytest.raises(ValueError, match=r"^opened_at must be a timezone-aware"):
        open_playbook(RISK, None, datetime(2024, 6, 3, 9))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"action": " "}, "action"),
        ({"owner_role": ""}, "owner_role"),
        ({"due_days": -1}, "due_days"),
        ({"due_days": 1.5}, "due_days"),
    ],
)
def test_playbook_action_validation_names_the_field(kwargs: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"action": "Do it", "owner_role": "someone", "due_days": 3}
    with pytest.raises(ValueError, match=f"^{field}"):
        PlaybookAction(**(values | kwargs))  # type: ignore[arg-type]


def test_parse_playbooks_from_loaded_yaml() -> None:
    raw = {
        "currency_shock": [
            {"action": "Call the treasurer", "owner_role": "treasury", "due_days": 0},
            {"action": "Re-price", "owner_role": "finance", "due_days": 7},
        ]
    }
    parsed = parse_playbooks(raw)
    assert parsed == {
        RiskCategory.CURRENCY_SHOCK: (
            PlaybookAction("Call the treasurer", "treasury", 0),
            PlaybookAction("Re-price", "finance", 7),
        )
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], r"^playbooks: expected a mapping"),
        ({"weather": []}, r"^playbooks\.weather: unknown risk category"),
        ({"quality": "fix it"}, r"^playbooks\.quality: expected a list"),
        ({"quality": []}, r"^playbooks\.quality: a playbook needs at least one action"),
        ({"quality": ["fix it"]}, r"^playbooks\.quality\[0\]: expected a mapping"),
        (
            {"quality": [{"action": "Fix", "owner_role": "qa"}]},
            r"^playbooks\.quality\[0\]\.due_days: missing",
        ),
        (
            {"quality": [{"action": "Fix", "owner_role": "qa", "due_days": -2}]},
            r"^playbooks\.quality\[0\]\.due_days must be a whole number",
        ),
        (
            {"quality": [{"action": "Fix", "owner_role": "qa", "due_days": 2, "owner": "x"}]},
            r"^playbooks\.quality\[0\]\.owner: unknown field",
        ),
        (
            {
                "quality": [
                    {"action": "Fix", "owner_role": "qa", "due_days": 2},
                    {"action": "fix", "owner_role": "qa", "due_days": 3},
                ]
            },
            r"^playbooks\.quality\[1\]\.action repeats",
        ),
    ],
)
def test_parse_playbooks_names_the_bad_field(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_playbooks(raw)


# --- escalation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "level", "started", "expires", "overdue"),
    [
        (at(3), 1, at(3), at(5), False),
        (at(5), 1, at(3), at(5), False),  # the level holds at the instant its limit expires
        (at(5, second=1), 2, at(5), at(12), False),  # Wed + 5 business days = next Wed
        (at(8, 12), 2, at(5), at(12), False),  # a Saturday changes nothing
        (at(12), 2, at(5), at(12), False),
        (at(12, second=1), 3, at(12), at(26), False),  # + 10 business days
        (at(26), 3, at(12), at(26), False),
        (at(26, second=1), 3, at(12), at(26), True),  # past the last level: overdue
    ],
)
def test_escalation_at_level_boundaries(
    now: datetime, level: int, started: datetime, expires: datetime, overdue: bool
) -> None:
    state = escalation_state(OPENED, now)
    assert (state.level, state.level_started_at, state.expires_at, state.overdue) == (
        level,
        started,
        expires,
        overdue,
    )
    expected = DEFAULT_ESCALATION[level - 1]
    assert (state.name, state.owner_role) == (expected.name, expected.owner_role)
    assert not state.resolved


@pytest.mark.parametrize(
    ("opened", "expires"),
    [
        (at(6, 10), at(10, 10)),  # Thursday + 2 business days = Monday
        (at(7, 10), at(11, 10)),  # Friday → Tuesday
        (at(8, 10), at(11, 10)),  # opened on a Saturday: Monday is the first day
    ],
)
def test_escalation_skips_weekends(opened: datetime, expires: datetime) -> None:
    assert escalation_state(opened, opened).expires_at == expires


def test_escalation_skips_given_holidays() -> None:
    state = escalation_state(OPENED, OPENED, holidays={date(2024, 6, 4)})
    assert state.expires_at == at(6)


def test_resolved_issue_stops_escalating() -> None:
    state = escalation_state(OPENED, at(28), resolved_at=at(4))
    assert (state.level, state.resolved, state.overdue) == (1, True, False)
    late = escalation_state(OPENED, datetime(2024, 9, 1, tzinfo=UTC), resolved_at=at(27))
    assert (late.level, late.resolved, late.overdue) == (3, True, False)
    # Resolved later than "now": still open at now.
    future = escalation_state(OPENED, at(6), resolved_at=at(20))
    assert (future.level, future.resolved) == (2, False)


def test_escalation_with_custom_levels_and_validation() -> None:
    levels = (EscalationLevel("team lead", "team lead", 1),)
    assert escalation_state(OPENED, at(4)).level == 1
    assert escalation_state(OPENED, at(4, second=1), levels).overdue
    with pytest.raises(ValueError, match=r"^levels"):
        escalation_state(OPENED, at(4), ())
    with pytest.raises(ValueError, match=r"^time_limit_days"):
        EscalationLevel("x", "y", 0)
    with pytest.raises(ValueError, match="before opened_at"):
        escalation_state(OPENED, at(2))
    with pytest.raises(ValueError, match=r"^now must be a timezone-aware"):
        escalation_state(OPENED, datetime(2024, 6, 4))


@given(
    st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2025, 1, 1), timezones=st.just(UTC)
    ),
    st.integers(0, 40),
)
def test_business_days_land_on_weekdays_at_the_same_time(start: datetime, days: int) -> None:
    end = add_business_days(start, days)
    assert end.time() == start.time()
    if days:
        assert end.weekday() < 5
        assert end > start
        weekdays = sum(
            (start.date() + timedelta(n)).weekday() < 5 for n in range(1, (end - start).days + 1)
        )
        assert weekdays == days


@given(st.integers(0, 60 * 24 * 40), st.integers(0, 60 * 24 * 40))
def test_escalation_level_never_goes_down_over_time(a: int, b: int) -> None:
    early, late = sorted((a, b))
    first = escalation_state(OPENED, OPENED + timedelta(minutes=early))
    second = escalation_state(OPENED, OPENED + timedelta(minutes=late))
    assert first.level <= second.level
    assert first.overdue <= second.overdue
    assert second.overdue or second.expires_at >= OPENED + timedelta(minutes=late)
