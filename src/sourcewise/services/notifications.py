"""Notifications: users' subscriptions, the delivery log, and sending with retries.

After a monitoring run, ``queue_deliveries`` adds one pending delivery for every unresolved
event and every subscription that wants it and whose user may see it (the disclosure policy:
a provider's user hears only of its own engagements, and never of the client's internal kinds).
A role subscription tells a team's address (a shared mailbox, a Teams or Slack channel) what
the role is shown, judged as a user of that role would be, whoever its users are at the time.
The delivery log is unique per event and subscription, so an event is told at most once per
subscription however many runs find it. ``send_due`` sends what is due: one message per event,
or one digest per subscription listing them all; a failure stays pending with its error and is
tried again on a later run after an exponential back-off, never dropped.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcewise.governance.alerts import (
    BACKOFF_FIRST,
    Channel,
    Delivery,
    DeliveryStatus,
    EventKind,
    EventState,
    MonitorEvent,
    Severity,
    Subscription,
    next_attempt,
)
from sourcewise.security.disclosure import sees_event
from sourcewise.security.users import Principal, Role, User
from sourcewise.services.governance_store import UowFactory, current_actor, log_change
from sourcewise.services.monitor_events import NO_ENGAGEMENT
from sourcewise.services.notification_channels import Channels, DeliveryError
from sourcewise.storage.unit_of_work import UnitOfWork

BACKOFF_VARIABLE = "SOURCEWISE_NOTIFY_BACKOFF_SECONDS"
"""The first wait after a failed delivery (doubling after each further failure)."""


SEND_LEASE = timedelta(minutes=10)
"""How long a run holds the deliveries it is sending: another run leaves them alone meanwhile,
and takes them up after it if this one died before recording the outcome."""


class SubscriptionError(ValueError):
    """A subscription that cannot be stored; the message names the field."""


def backoff_first() -> timedelta:
    given = os.environ.get(BACKOFF_VARIABLE)
    return BACKOFF_FIRST if not given else timedelta(seconds=float(given))


def may_see(user: User, provider_of: dict[str, str], event: MonitorEvent) -> bool:
    """Whether ``user`` is shown (and told of) ``event``: the inbox and notifications alike."""
    return not user.disabled and principal_sees(user.principal, provider_of, event)


def principal_sees(principal: Principal, provider_of: dict[str, str], event: MonitorEvent) -> bool:
    if not sees_event(principal.role, event.kind.value):
        return False
    if event.engagement == NO_ENGAGEMENT:
        return principal.sees_provider("")
    provider = provider_of.get(event.engagement)
    return provider is not None and principal.sees_provider(provider)


def told_as(subscription: Subscription, users: dict[str, User]) -> Principal | None:
    """Whose view a subscription's events are judged by: its user's (None when the user is
    gone or disabled), or for a role subscription a user of that role (and provider)."""
    if subscription.role is None:
        user = users.get(subscription.username)
        return None if user is None or user.disabled else user.principal
    role = Role(subscription.role)
    return Principal(f"role:{role.value}", role, subscription.provider)


def providers_by_engagement(uow: UnitOfWork) -> dict[str, str]:
    return {e.name: e.provider for e in uow.engagements.all()}


# --- Subscriptions --------------------------------------------------------------------------


def subscribe(
    make_uow: UowFactory,
    username: str,
    channel: Channel,
    target: str,
    engagement: str | None = None,
    min_severity: Severity = Severity.WARNING,
    kinds: tuple[EventKind, ...] = (),
    digest: bool = False,
    now: datetime | None = None,
    role: Role | None = None,
    provider: str | None = None,
) -> Subscription:
    """Subscribe ``username``, or with ``role`` the role (``username`` then names who set it
    up; the provider role needs the ``provider`` whose engagements it hears of)."""
    target = target.strip()
    if channel is Channel.EMAIL and ("@" not in target or any(c.isspace() for c in target)):
        raise SubscriptionError(f"target: not an e-mail address: {target!r}")
    if channel is Channel.WEBHOOK and not target.startswith(("https://", "http://")):
        raise SubscriptionError(f"target: a webhook must be an http(s) URL, not {target!r}")
    if (role is Role.PROVIDER) != (provider is not None):
        raise SubscriptionError(
            "provider: a role subscription for providers names one provider, and only it"
        )
    with make_uow() as uow:
        if role is None:
            user = uow.accounts.user(username)
            if user is None:
                raise SubscriptionError(f"username: no user named '{username}'")
            viewer = user.principal
        else:
            if provider is not None and uow.engagements.get_provider(provider) is None:
                raise SubscriptionError(f"provider: no provider named '{provider}'")
            viewer = Principal(username, role, provider)
        if engagement is not None:
            found = uow.engagements.get(engagement)
            if found is None or not viewer.sees_provider(found.provider):
                raise SubscriptionError(f"engagement: no engagement named '{engagement}'")
        subscription = Subscription(
            username,
            channel,
            target,
            engagement,
            min_severity,
            tuple(dict.fromkeys(kinds)),
            digest,
            (now or datetime.now(UTC)).astimezone(UTC),
            role=None if role is None else role.value,
            provider=provider,
        )
        ident = uow.monitor.add_subscription(subscription)
        subscription = replace(subscription, id=ident)
        log_change(uow, "subscription", f"{username}#{ident}", None, subscription, current_actor())
        uow.commit()
    return subscription


def subscriptions(make_uow: UowFactory, username: str | None = None) -> list[Subscription]:
    with make_uow() as uow:
        return uow.monitor.subscriptions(username)


def unsubscribe(make_uow: UowFactory, subscription_id: int, username: str | None = None) -> bool:
    """Remove a subscription (only ``username``'s, when given); False when there is none."""
    with make_uow() as uow:
        found = next(
            (s for s in uow.monitor.subscriptions(username) if s.id == subscription_id), None
        )
        if found is None:
            return False
        uow.monitor.remove_subscription(subscription_id)
        log_change(
            uow, "subscription", f"{found.username}#{subscription_id}", found, None, current_actor()
        )
        uow.commit()
    return True


# --- Deliveries -----------------------------------------------------------------------------


def queue_deliveries(make_uow: UowFactory, now: datetime | None = None) -> int:
    """Add a pending delivery for each unresolved event a subscription wants and has not had."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    added = 0
    with make_uow().for_writing() as uow:
        events = uow.monitor.events(states=(EventState.OPEN, EventState.ACKNOWLEDGED))
        subs = uow.monitor.subscriptions()
        done = uow.monitor.delivered_pairs()
        providers = providers_by_engagement(uow)
        users = {u.username: u for u in uow.accounts.users()}
        for subscription in subs:
            assert subscription.id is not None
            viewer = told_as(subscription, users)
            if viewer is None:
                continue
            for event in reversed(events):  # oldest first, so the log reads in order
                assert event.id is not None
                if (event.id, subscription.id) in done:
                    continue
                if subscription.wants(event) and principal_sees(viewer, providers, event):
                    uow.monitor.add_delivery(Delivery(event.id, subscription.id, moment))
                    added += 1
        uow.commit()
    return added


def _line(event: MonitorEvent) -> str:
    where = event.engagement or "all engagements"
    return f"[{event.severity.value}] {where}: {event.summary}"


def _payload(event: MonitorEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind.value,
        "severity": event.severity.value,
        "engagement": event.engagement,
        "subject": event.subject,
        "period": event.period,
        "summary": event.summary,
        "first_seen": event.first_seen.isoformat(),
    }


def _send(channels: Channels, subscription: Subscription, events: list[MonitorEvent]) -> None:
    if len(events) == 1:
        subject = f"sourcewise: {_line(events[0])}"[:200]
        text = _line(events[0])
    else:
        subject = f"sourcewise: {len(events)} new monitoring events"
        text = subject + "\n" + "\n".join(f"- {_line(e)}" for e in events)
    payload = {"events": [_payload(e) for e in events]}
    if subscription.channel is Channel.EMAIL:
        channels.email(subscription.target, subject, text)
    else:
        channels.webhook(subscription.target, text, payload)


@dataclass(frozen=True, slots=True)
class SendOutcome:
    sent: int
    """Deliveries (events told to a subscription) handed over."""
    messages: int
    failed: int
    """Deliveries that failed this time and wait for their next attempt."""
    waiting: int
    """Pending deliveries not due yet (backing off)."""


def send_due(make_uow: UowFactory, channels: Channels, now: datetime | None = None) -> SendOutcome:
    """Send every due pending delivery; each message's outcome is stored as soon as it is
    known, so a crash mid-run loses nothing and re-sends at most the message in flight. A
    delivery is claimed before it is sent, so that overlapping runs do not both send it."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with make_uow() as uow:
        pending = uow.monitor.deliveries(DeliveryStatus.PENDING)
        subs = {s.id: s for s in uow.monitor.subscriptions()}
        events = {d.event_id: uow.monitor.event(d.event_id) for d in pending}
    due = [d for d in pending if d.due(moment)]
    groups: dict[tuple[int, int], list[Delivery]] = defaultdict(list)
    for delivery in due:
        subscription = subs[delivery.subscription_id]
        # A digest subscription gets one message per run; otherwise one per event.
        group = 0 if subscription.digest else delivery.event_id
        groups[(delivery.subscription_id, group)].append(delivery)
    sent = messages = failed = 0
    first = backoff_first()
    for (sub_id, _), claimable in groups.items():
        with make_uow() as uow:
            batch = [
                d for d in claimable if uow.monitor.claim_delivery(d, moment, moment + SEND_LEASE)
            ]
            uow.commit()
        if not batch:
            continue  # another run is sending these
        found = [events[d.event_id] for d in batch]
        told = [e for e in found if e is not None]
        try:
            _send(channels, subs[sub_id], told)
        except DeliveryError as error:
            failed += len(batch)
            updates = [
                replace(
                    d,
                    attempts=d.attempts + 1,
                    last_error=str(error)[:2000],
                    next_attempt_at=next_attempt(d.attempts + 1, moment, first),
                )
                for d in batch
            ]
        else:
            sent += len(batch)
            messages += 1
            updates = [
                replace(
                    d,
                    status=DeliveryStatus.SENT,
                    attempts=d.attempts + 1,
                    sent_at=moment,
                    last_error=None,
                    next_attempt_at=None,
                )
                for d in batch
            ]
        with make_uow() as uow:
            for update in updates:
                uow.monitor.update_delivery(update)
            uow.commit()
    return SendOutcome(sent, messages, failed, len(pending) - len(due))


def delivery_log(make_uow: UowFactory, username: str | None = None) -> list[Delivery]:
    with make_uow() as uow:
        mine = {s.id for s in uow.monitor.subscriptions(username)}
        return [d for d in uow.monitor.deliveries() if d.subscription_id in mine]
