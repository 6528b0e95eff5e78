"""Condition keys are stable identities; subscriptions filter; back-off doubles up to a cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sourcewise.governance.alerts import (
    BACKOFF_CAP,
    Channel,
    Condition,
    Delivery,
    DeliveryStatus,
    EventKind,
    MonitorEvent,
    Severity,
    Subscription,
    condition_key,
    next_attempt,
)

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def breach(period: str = "2026-10", **changes: object) -> Condition:
    values: dict[str, object] = {
        "kind": EventKind.SLA_BREACH,
        "severity": Severity.CRITICAL,
        "engagement": "Customer care",
        "subject": "First contact resolution",
        "period": period,
        "summary": "breached",
    }
    values.update(changes)
    return Condition(**values)  # type: ignore[arg-type]


def test_the_key_depends_on_kind_engagement_subject_and_period_only() -> None:
    assert breach().key == breach(summary="other words", severity=Severity.WARNING).key
    assert breach().key == condition_key(
        EventKind.SLA_BREACH, "Customer care", "First contact resolution", "2026-10"
    )
    assert len(breach().key) == 64
    others = {
        breach(period="2026-11").key,
        breach(kind=EventKind.SLA_AT_RISK).key,
        breach(engagement="Back office").key,
        breach(subject="Availability").key,
    }
    assert breach().key not in others
    assert len(others) == 4


def test_fields_cannot_run_into_each_other() -> None:
    # "a b" + "c" must not be the same condition as "a" + "b c".
    one = condition_key(EventKind.KPI_DRIFT, "a", "b c", "")
    two = condition_key(EventKind.KPI_DRIFT, "a b", "c", "")
    assert one != two


def test_a_subscription_wants_by_engagement_severity_and_kind() -> None:
    event = MonitorEvent.first(breach(), NOW)
    anything = Subscription("ana", Channel.EMAIL, "ana@example.com", min_severity=Severity.INFO)
    assert anything.wants(event)
    assert not Subscription("ana", Channel.EMAIL, "a@b", engagement="Back office").wants(event)
    assert Subscription("ana", Channel.EMAIL, "a@b", min_severity=Severity.CRITICAL).wants(event)
    info = MonitorEvent.first(breach(severity=Severity.INFO), NOW)
    assert not Subscription("ana", Channel.EMAIL, "a@b").wants(info)  # warning and above
    drift_only = Subscription("ana", Channel.EMAIL, "a@b", kinds=(EventKind.KPI_DRIFT,))
    assert not drift_only.wants(event)


def test_back_off_doubles_from_the_first_wait_up_to_the_cap() -> None:
    first = timedelta(minutes=1)
    waits = [next_attempt(n, NOW, first) - NOW for n in range(1, 6)]
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert next_attempt(40, NOW) - NOW == BACKOFF_CAP
    assert next_attempt(0, NOW) == NOW


def test_a_pending_delivery_is_due_at_its_next_attempt_a_sent_one_never() -> None:
    waiting = Delivery(1, 1, NOW, next_attempt_at=NOW + timedelta(minutes=2))
    assert not waiting.due(NOW)
    assert waiting.due(NOW + timedelta(minutes=2))
    assert Delivery(1, 1, NOW).due(NOW)
    assert not Delivery(1, 1, NOW, status=DeliveryStatus.SENT).due(NOW + timedelta(days=1))
