"""The monitoring store keeps one event per condition key and one delivery per event and
subscription, on the in-memory twin, SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sourcewise.governance.alerts import (
    Channel,
    Condition,
    Delivery,
    DeliveryStatus,
    EventKind,
    EventState,
    MonitorEvent,
    Severity,
    Subscription,
)
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.repositories import DuplicateError

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def event(subject: str = "First contact resolution") -> MonitorEvent:
    condition = Condition(
        EventKind.SLA_BREACH,
        Severity.CRITICAL,
        "Customer care",
        subject,
        "2026-10",
        "breached: 66 against 75",
        {"attained": 66.0, "months": ["2026-09", "2026-10"]},
    )
    return MonitorEvent.first(condition, NOW)


def test_events_are_stored_once_per_key_and_updated_in_place(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        ident = uow.monitor.add_event(event())
        other = uow.monitor.add_event(event("Availability"))
        uow.commit()
    with make_uow() as uow, pytest.raises(DuplicateError):
        uow.monitor.add_event(event())
    later = NOW + timedelta(hours=1)
    with make_uow() as uow:
        stored = uow.monitor.event_by_key(event().key)
        assert stored is not None
        assert stored.id == ident
        assert stored.evidence == {"attained": 66.0, "months": ["2026-09", "2026-10"]}
        assert stored.first_seen == NOW
        uow.monitor.update_event(
            replace(stored, last_seen=later, state=EventState.ACKNOWLEDGED, changed_by="ana")
        )
        uow.commit()
    with make_uow() as uow:
        changed = uow.monitor.event(ident)
        assert changed is not None
        assert (changed.last_seen, changed.state, changed.changed_by) == (
            later,
            EventState.ACKNOWLEDGED,
            "ana",
        )
        assert [e.id for e in uow.monitor.events()] == [ident, other]
        assert [e.id for e in uow.monitor.events(states=[EventState.OPEN])] == [other]
        assert uow.monitor.events(engagement="Back office") == []


def test_one_delivery_per_event_and_subscription(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        event_id = uow.monitor.add_event(event())
        sub = Subscription(
            "ana",
            Channel.WEBHOOK,
            "https://hooks.example/x",
            kinds=(EventKind.SLA_BREACH,),
            digest=True,
            created_at=NOW,
        )
        sub_id = uow.monitor.add_subscription(sub)
        delivery_id = uow.monitor.add_delivery(Delivery(event_id, sub_id, NOW))
        uow.commit()
    with make_uow() as uow, pytest.raises(DuplicateError):
        uow.monitor.add_delivery(Delivery(event_id, sub_id, NOW))
    with make_uow() as uow:
        (stored_sub,) = uow.monitor.subscriptions("ana")
        assert stored_sub == replace(sub, id=sub_id)
        assert uow.monitor.delivered_pairs() == {(event_id, sub_id)}
        (pending,) = uow.monitor.deliveries(DeliveryStatus.PENDING)
        assert pending.id == delivery_id
        retry = NOW + timedelta(minutes=2)
        uow.monitor.update_delivery(
            replace(pending, attempts=1, next_attempt_at=retry, last_error="HTTP 503")
        )
        uow.commit()
    with make_uow() as uow:
        (waiting,) = uow.monitor.deliveries(subscription_id=sub_id)
        assert (waiting.attempts, waiting.next_attempt_at, waiting.last_error) == (
            1,
            NOW + timedelta(minutes=2),
            "HTTP 503",
        )
        assert uow.monitor.remove_subscription(sub_id)
        assert not uow.monitor.remove_subscription(sub_id)
        uow.commit()
    with make_uow() as uow:
        assert uow.monitor.deliveries() == []
        assert uow.monitor.subscriptions() == []


def test_of_two_runs_claiming_a_delivery_one_gets_it(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        event_id = uow.monitor.add_event(event())
        sub_id = uow.monitor.add_subscription(
            Subscription("ana", Channel.EMAIL, "ana@example.com", created_at=NOW)
        )
        uow.monitor.add_delivery(Delivery(event_id, sub_id, NOW))
        uow.commit()
    with make_uow() as uow:
        (seen_by_both,) = uow.monitor.deliveries()
    lease = NOW + timedelta(minutes=10)
    with make_uow() as uow:
        assert uow.monitor.claim_delivery(seen_by_both, NOW, lease)
        uow.commit()
    with make_uow() as uow:
        assert not uow.monitor.claim_delivery(seen_by_both, NOW, lease)
        # The lease over, a run that died while sending is taken over.
        assert uow.monitor.claim_delivery(seen_by_both, lease, lease + timedelta(minutes=10))
        uow.commit()
    with make_uow() as uow:
        (claimed,) = uow.monitor.deliveries()
    assert claimed.next_attempt_at == lease + timedelta(minutes=10)
    assert claimed.status is DeliveryStatus.PENDING


def test_a_role_subscription_keeps_its_role_and_provider(make_uow: UowFactory) -> None:
    team = Subscription(
        "admin",
        Channel.EMAIL,
        "desk@vendor.example",
        created_at=NOW,
        role="provider",
        provider="Monterrey BPO",
    )
    with make_uow() as uow:
        ident = uow.monitor.add_subscription(team)
        uow.monitor.add_subscription(
            Subscription("ana", Channel.EMAIL, "ana@x.example", created_at=NOW)
        )
        uow.commit()
    with make_uow() as uow:
        stored, mine = uow.monitor.subscriptions()
    assert stored == replace(team, id=ident)
    assert (mine.role, mine.provider, mine.subscriber) == (None, None, "ana")
    assert stored.subscriber == "role provider of Monterrey BPO"
    with make_uow() as uow:
        # The role's, not a subscription of the admin who set it up.
        assert uow.monitor.subscriptions("admin") == []
        assert uow.monitor.subscriptions("ana") == [mine]


def test_of_two_servers_claiming_a_scheduled_run_one_gets_it(make_uow: UowFactory) -> None:
    hour = timedelta(hours=1)
    with make_uow() as uow:
        assert uow.monitor.scheduled_run("monitor") is None
        assert uow.monitor.claim_scheduled_run("monitor", NOW, NOW + hour)
        uow.commit()
    with make_uow() as uow:
        assert not uow.monitor.claim_scheduled_run("monitor", NOW + hour / 2, NOW + 2 * hour)
        uow.monitor.finish_scheduled_run("monitor", NOW + timedelta(minutes=2), "3 new", None)
        uow.commit()
    # Two servers find it due at the same moment: the first claim moves it on, the second
    # one's conditional update changes nothing.
    with make_uow() as first:
        assert first.monitor.claim_scheduled_run("monitor", NOW + hour, NOW + 2 * hour)
        first.commit()
    with make_uow() as second:
        assert not second.monitor.claim_scheduled_run("monitor", NOW + hour, NOW + 2 * hour)
    with make_uow() as uow:
        state = uow.monitor.scheduled_run("monitor")
    assert state is not None
    assert (state.next_due_at, state.last_started_at) == (NOW + 2 * hour, NOW + hour)
    assert (state.last_finished_at, state.last_summary) == (NOW + timedelta(minutes=2), "3 new")
    # A run recorded before any schedule is due at once.
    with make_uow() as uow:
        uow.monitor.finish_scheduled_run("other", NOW, None, "RuntimeError: boom")
        uow.commit()
    with make_uow() as uow:
        other = uow.monitor.scheduled_run("other")
    assert other is not None
    assert (other.next_due_at, other.last_error) == (NOW, "RuntimeError: boom")
