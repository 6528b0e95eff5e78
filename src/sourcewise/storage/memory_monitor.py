"""The in-memory twin of the monitoring store (``sql_monitor``), part of
``memory.MemoryUnitOfWork``: the same unique keys, applied to the unit's working copy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sourcewise.governance.alerts import (
    Delivery,
    DeliveryStatus,
    EventState,
    MonitorEvent,
    ScheduledRun,
    Subscription,
)
from sourcewise.storage.repositories import DuplicateError, MonitorRepository, NotFoundError

if TYPE_CHECKING:
    from sourcewise.storage.memory import MemoryUnitOfWork


@dataclass
class MonitorState:
    events: dict[int, MonitorEvent] = field(default_factory=dict)
    subscriptions: dict[int, Subscription] = field(default_factory=dict)
    deliveries: dict[int, Delivery] = field(default_factory=dict)
    scheduled_runs: dict[str, ScheduledRun] = field(default_factory=dict)


class MemoryMonitor(MonitorRepository):
    def __init__(self, owner: MemoryUnitOfWork) -> None:
        self._owner = owner

    @property
    def _state(self) -> MonitorState:
        return self._owner.working.monitor

    def add_event(self, event: MonitorEvent) -> int:
        if any(e.key == event.key for e in self._state.events.values()):
            raise DuplicateError(f"an event with key {event.key} exists already")
        ident = max(self._state.events, default=0) + 1
        self._state.events[ident] = replace(event, id=ident)
        return ident

    def update_event(self, event: MonitorEvent) -> None:
        if event.id is None or event.id not in self._state.events:
            raise NotFoundError(f"no event {event.id}")
        stored = self._state.events[event.id]
        self._state.events[event.id] = replace(
            stored,
            severity=event.severity,
            summary=event.summary,
            evidence=event.evidence,
            last_seen=event.last_seen,
            state=event.state,
            changed_by=event.changed_by,
            changed_at=event.changed_at,
        )

    def event(self, event_id: int) -> MonitorEvent | None:
        return self._state.events.get(event_id)

    def event_by_key(self, key: str) -> MonitorEvent | None:
        return next((e for e in self._state.events.values() if e.key == key), None)

    def events(
        self, engagement: str | None = None, states: Sequence[EventState] | None = None
    ) -> list[MonitorEvent]:
        found = [
            e
            for e in self._state.events.values()
            if (engagement is None or e.engagement == engagement)
            and (states is None or e.state in states)
        ]
        return sorted(found, key=lambda e: (e.last_seen, e.id or 0), reverse=True)

    def add_subscription(self, subscription: Subscription) -> int:
        ident = max(self._state.subscriptions, default=0) + 1
        self._state.subscriptions[ident] = replace(subscription, id=ident)
        return ident

    def subscriptions(self, username: str | None = None) -> list[Subscription]:
        return [
            s
            for _, s in sorted(self._state.subscriptions.items())
            if username is None or (s.username == username and s.role is None)
        ]

    def remove_subscription(self, subscription_id: int) -> bool:
        if self._state.subscriptions.pop(subscription_id, None) is None:
            return False
        for ident in [
            i for i, d in self._state.deliveries.items() if d.subscription_id == subscription_id
        ]:
            del self._state.deliveries[ident]
        return True

    def add_delivery(self, delivery: Delivery) -> int:
        pair = (delivery.event_id, delivery.subscription_id)
        if pair in self.delivered_pairs():
            raise DuplicateError(f"event {pair[0]} has a delivery for subscription {pair[1]}")
        if delivery.subscription_id not in self._state.subscriptions:
            raise NotFoundError(f"no subscription {delivery.subscription_id}")
        ident = max(self._state.deliveries, default=0) + 1
        self._state.deliveries[ident] = replace(delivery, id=ident)
        return ident

    def update_delivery(self, delivery: Delivery) -> None:
        if delivery.id is None or delivery.id not in self._state.deliveries:
            raise NotFoundError(f"no delivery {delivery.id}")
        self._state.deliveries[delivery.id] = delivery

    def claim_delivery(self, delivery: Delivery, now: datetime, until: datetime) -> bool:
        stored = self._state.deliveries.get(delivery.id or 0)
        if stored is None or stored.attempts != delivery.attempts or not stored.due(now):
            return False
        self._state.deliveries[stored.id or 0] = replace(stored, next_attempt_at=until)
        return True

    def deliveries(
        self, status: DeliveryStatus | None = None, subscription_id: int | None = None
    ) -> list[Delivery]:
        return [
            d
            for _, d in sorted(self._state.deliveries.items())
            if (status is None or d.status is status)
            and (subscription_id is None or d.subscription_id == subscription_id)
        ]

    def delivered_pairs(self) -> set[tuple[int, int]]:
        return {(d.event_id, d.subscription_id) for d in self._state.deliveries.values()}

    def scheduled_run(self, name: str) -> ScheduledRun | None:
        return self._state.scheduled_runs.get(name)

    def claim_scheduled_run(self, name: str, now: datetime, next_due: datetime) -> bool:
        found = self._state.scheduled_runs.get(name)
        if found is not None and found.next_due_at > now:
            return False
        started = found or ScheduledRun(name, next_due)
        self._state.scheduled_runs[name] = replace(
            started, next_due_at=next_due, last_started_at=now
        )
        return True

    def finish_scheduled_run(
        self, name: str, finished_at: datetime, summary: str | None, error: str | None
    ) -> None:
        found = self._state.scheduled_runs.get(name) or ScheduledRun(
            name, finished_at, last_started_at=finished_at
        )
        self._state.scheduled_runs[name] = replace(
            found, last_finished_at=finished_at, last_summary=summary, last_error=error
        )
