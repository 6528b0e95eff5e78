"""Monitoring stores each condition once and resolves what no longer holds; notifications
reach each subscription once, only with what its user may see, and failures are retried
with back-off until they go through."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.governance.alerts import (
    Channel,
    Condition,
    DeliveryStatus,
    EventKind,
    EventState,
    Severity,
)
from sourcewise.governance.records import Contract, ContractKind
from sourcewise.security.users import Role, User
from sourcewise.services.inbox import InboxError, change_state, inbox
from sourcewise.services.monitor_events import find_conditions, record_conditions
from sourcewise.services.notification_channels import DeliveryError
from sourcewise.services.notifications import (
    SubscriptionError,
    queue_deliveries,
    send_due,
    subscribe,
)
from sourcewise.storage.memory import MemoryUnitOfWork

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
NAME = "Customer care"


class FakeChannels:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.failing: set[str] = set()

    def email(self, to: str, subject: str, body: str) -> None:
        if to in self.failing:
            raise DeliveryError("mailbox unavailable")
        self.sent.append(("email", to, body))

    def webhook(self, url: str, text: str, payload: dict[str, Any]) -> None:
        if url in self.failing:
            raise DeliveryError("HTTP 503")
        self.sent.append(("webhook", url, text))


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.engagements.add_provider(replace(PROVIDER, name="Someone else"))
        memory.engagements.add(engagement(NAME))
        for name, role, provider in (
            ("ana", Role.ANALYST, None),
            ("vendor", Role.PROVIDER, PROVIDER.name),
            ("other", Role.PROVIDER, "Someone else"),
        ):
            memory.accounts.add_user(User(name, role, "x", provider=provider))
        memory.commit()
    return memory


def condition(kind: EventKind = EventKind.SLA_BREACH, subject: str = "FCR") -> Condition:
    return Condition(kind, Severity.CRITICAL, NAME, subject, "2026-10", f"{kind} {subject}")


def test_a_condition_is_stored_once_and_resolved_when_it_no_longer_holds(
    uow: MemoryUnitOfWork,
) -> None:
    first = record_conditions(lambda: uow, [condition()], {NAME}, NOW)
    assert len(first.new) == 1
    later = NOW + timedelta(hours=1)
    again = record_conditions(lambda: uow, [condition()], {NAME}, later)
    assert (again.new, again.seen_again) == ((), 1)
    with uow:
        (stored,) = uow.monitor.events()
    assert (stored.first_seen, stored.last_seen, stored.state) == (NOW, later, EventState.OPEN)
    gone = record_conditions(lambda: uow, [], {NAME}, later)
    assert [e.key for e in gone.resolved] == [stored.key]
    back = record_conditions(lambda: uow, [condition()], {NAME}, later)
    assert [e.key for e in back.reopened] == [stored.key]
    assert not back.new


def test_a_run_over_one_engagement_resolves_nothing_of_another(uow: MemoryUnitOfWork) -> None:
    record_conditions(lambda: uow, [condition()], {NAME}, NOW)
    outcome = record_conditions(lambda: uow, [], {"Back office"}, NOW)
    assert outcome.resolved == ()


def test_contracts_ending_within_the_notice_window_fire(uow: MemoryUnitOfWork) -> None:
    ending = Contract(
        "SOW-9",
        ContractKind.STATEMENT_OF_WORK,
        "Voice",
        date(2026, 1, 1),
        date(2027, 1, 31),
        Decimal(0),
    )
    with uow:
        stored = uow.engagements.get(NAME)
        assert stored is not None
        uow.engagements.replace(replace(stored, contracts=(*stored.contracts, ending)))
        uow.commit()
    found = [
        c
        for c in find_conditions(lambda: uow, date(2026, 11, 25))
        if c.kind is EventKind.CONTRACT_ENDING
    ]
    assert [(c.subject, c.severity, c.evidence["days"]) for c in found] == [
        ("SOW-9", Severity.WARNING, 67)
    ]
    assert find_conditions(lambda: uow, date(2026, 10, 1)) == []


def test_each_event_reaches_each_subscription_once(uow: MemoryUnitOfWork) -> None:
    subscribe(lambda: uow, "ana", Channel.EMAIL, "ana@example.com", now=NOW)
    subscribe(lambda: uow, "ana", Channel.WEBHOOK, "https://hooks.example/x", now=NOW)
    record_conditions(lambda: uow, [condition(), condition(subject="AHT")], {NAME}, NOW)
    channels = FakeChannels()
    assert queue_deliveries(lambda: uow, NOW) == 4
    outcome = send_due(lambda: uow, channels, NOW)
    assert (outcome.sent, outcome.messages, outcome.failed) == (4, 4, 0)
    record_conditions(lambda: uow, [condition(), condition(subject="AHT")], {NAME}, NOW)
    assert queue_deliveries(lambda: uow, NOW) == 0
    assert send_due(lambda: uow, channels, NOW).sent == 0
    assert len(channels.sent) == 4


def test_a_digest_sends_one_message_listing_every_new_event(uow: MemoryUnitOfWork) -> None:
    subscribe(lambda: uow, "ana", Channel.EMAIL, "ana@example.com", digest=True, now=NOW)
    record_conditions(lambda: uow, [condition(), condition(subject="AHT")], {NAME}, NOW)
    queue_deliveries(lambda: uow, NOW)
    channels = FakeChannels()
    outcome = send_due(lambda: uow, channels, NOW)
    assert (outcome.sent, outcome.messages) == (2, 1)
    (message,) = channels.sent
    assert "2 new monitoring events" in message[2]
    assert "FCR" in message[2]
    assert "AHT" in message[2]


def test_a_failed_delivery_waits_its_back_off_then_goes_through(
    uow: MemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCEWISE_NOTIFY_BACKOFF_SECONDS", "60")
    subscribe(lambda: uow, "ana", Channel.WEBHOOK, "https://hooks.example/x", now=NOW)
    record_conditions(lambda: uow, [condition()], {NAME}, NOW)
    queue_deliveries(lambda: uow, NOW)
    channels = FakeChannels()
    channels.failing.add("https://hooks.example/x")
    assert send_due(lambda: uow, channels, NOW).failed == 1
    assert send_due(lambda: uow, channels, NOW + timedelta(seconds=30)).waiting == 1
    assert send_due(lambda: uow, channels, NOW + timedelta(seconds=60)).failed == 1
    with uow:
        (delivery,) = uow.monitor.deliveries()
    assert delivery.attempts == 2
    assert delivery.last_error == "HTTP 503"
    assert delivery.next_attempt_at == NOW + timedelta(seconds=60 + 120)
    channels.failing.clear()
    assert send_due(lambda: uow, channels, NOW + timedelta(minutes=3)).sent == 1
    with uow:
        (delivery,) = uow.monitor.deliveries()
    assert delivery.status is DeliveryStatus.SENT
    assert delivery.attempts == 3
    assert len(channels.sent) == 1


def test_providers_hear_only_of_their_own_engagements_and_never_of_internal_kinds(
    uow: MemoryUnitOfWork,
) -> None:
    for user in ("vendor", "other"):
        subscribe(lambda: uow, user, Channel.EMAIL, f"{user}@example.com", now=NOW)
    record_conditions(
        lambda: uow, [condition(), condition(EventKind.RISK_TRIGGER, "R-1")], {NAME}, NOW
    )
    queue_deliveries(lambda: uow, NOW)
    channels = FakeChannels()
    send_due(lambda: uow, channels, NOW)
    assert [(to, "FCR" in body) for _, to, body in channels.sent] == [("vendor@example.com", True)]
    assert [e.subject for e in inbox(lambda: uow, "vendor")] == ["FCR"]
    assert inbox(lambda: uow, "other") == []
    assert {e.subject for e in inbox(lambda: uow, "ana")} == {"FCR", "R-1"}


def test_acknowledging_is_logged_and_limited_to_what_the_user_sees(uow: MemoryUnitOfWork) -> None:
    outcome = record_conditions(
        lambda: uow, [condition(), condition(EventKind.RISK_TRIGGER, "R-1")], {NAME}, NOW
    )
    by_subject = {e.subject: e.id for e in outcome.new}
    assert by_subject["R-1"] is not None
    assert by_subject["FCR"] is not None
    with pytest.raises(InboxError):
        change_state(lambda: uow, "vendor", by_subject["R-1"], EventState.ACKNOWLEDGED, NOW)
    changed = change_state(lambda: uow, "vendor", by_subject["FCR"], EventState.ACKNOWLEDGED, NOW)
    assert (changed.state, changed.changed_by) == (EventState.ACKNOWLEDGED, "vendor")
    with uow:
        (entry,) = [e for e in uow.audit_log.entries() if e.entity == "monitor_event"]
    assert entry.actor == "vendor"
    assert entry.after["state"] == "acknowledged"
    # Still holding: acknowledged stays acknowledged.
    record_conditions(lambda: uow, [condition()], {NAME}, NOW)
    with uow:
        stored = uow.monitor.event(by_subject["FCR"])
    assert stored is not None
    assert stored.state is EventState.ACKNOWLEDGED


def test_subscriptions_are_checked(uow: MemoryUnitOfWork) -> None:
    with pytest.raises(SubscriptionError, match=r"^target"):
        subscribe(lambda: uow, "ana", Channel.WEBHOOK, "ftp://x", now=NOW)
    with pytest.raises(SubscriptionError, match=r"^username"):
        subscribe(lambda: uow, "nobody", Channel.EMAIL, "a@b.c", now=NOW)
    with pytest.raises(SubscriptionError, match=r"^engagement"):
        subscribe(lambda: uow, "other", Channel.EMAIL, "a@b.c", engagement=NAME, now=NOW)


def test_a_role_subscription_tells_a_team_what_that_role_is_shown(uow: MemoryUnitOfWork) -> None:
    # The vendor-management team's channel hears what analysts see (both kinds); the provider's
    # service desk hears only of its own engagements, and never of the client's internal kinds.
    subscribe(lambda: uow, "admin", Channel.WEBHOOK, "https://hooks.example/vm", role=Role.ANALYST)
    subscribe(
        lambda: uow,
        "admin",
        Channel.EMAIL,
        "desk@vendor.example",
        role=Role.PROVIDER,
        provider=PROVIDER.name,
    )
    subscribe(
        lambda: uow,
        "admin",
        Channel.EMAIL,
        "desk@else.example",
        role=Role.PROVIDER,
        provider="Someone else",
    )
    record_conditions(
        lambda: uow, [condition(), condition(EventKind.RISK_TRIGGER, "R-1")], {NAME}, NOW
    )
    assert queue_deliveries(lambda: uow, NOW) == 3
    channels = FakeChannels()
    send_due(lambda: uow, channels, NOW)
    told = sorted((to, "R-1" in body) for _, to, body in channels.sent)
    assert told == [
        ("desk@vendor.example", False),
        ("https://hooks.example/vm", False),
        ("https://hooks.example/vm", True),
    ]
    # A role subscription is no user's filter: its author's inbox is unchanged.
    subscribe(
        lambda: uow,
        "ana",
        Channel.EMAIL,
        "team@example.com",
        role=Role.VIEWER,
        kinds=(EventKind.RISK_TRIGGER,),
    )
    assert {e.subject for e in inbox(lambda: uow, "ana")} == {"FCR", "R-1"}
    with uow:
        logged = [e for e in uow.audit_log.entries() if e.entity == "subscription"]
    assert sorted(e.after["role"] for e in logged) == ["analyst", "provider", "provider", "viewer"]


def test_a_role_subscription_for_providers_names_an_existing_provider(
    uow: MemoryUnitOfWork,
) -> None:
    with pytest.raises(SubscriptionError, match=r"^provider"):
        subscribe(lambda: uow, "admin", Channel.EMAIL, "a@b.c", role=Role.PROVIDER)
    with pytest.raises(SubscriptionError, match=r"^provider"):
        subscribe(lambda: uow, "admin", Channel.EMAIL, "a@b.c", role=Role.ANALYST, provider="X")
    with pytest.raises(SubscriptionError, match=r"^provider: no provider"):
        subscribe(lambda: uow, "admin", Channel.EMAIL, "a@b.c", role=Role.PROVIDER, provider="X")
    with pytest.raises(SubscriptionError, match=r"^engagement"):
        subscribe(
            lambda: uow,
            "admin",
            Channel.EMAIL,
            "a@b.c",
            engagement=NAME,
            role=Role.PROVIDER,
            provider="Someone else",
        )
