"""SQL repository for monitoring: events under their unique condition key, subscriptions and
the delivery log (unique per event and subscription). The checks before an insert give a
clear ``DuplicateError``; the unique constraints are what hold under concurrent runs (the
loser's insert fails and its unit rolls back)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.governance.alerts import (
    Channel,
    Delivery,
    DeliveryStatus,
    EventKind,
    EventState,
    MonitorEvent,
    ScheduledRun,
    Severity,
    Subscription,
)
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import DuplicateError, MonitorRepository, NotFoundError
from sourcewise.storage.types import aware_utc, naive_utc

events = t.monitor_events.c
subs = t.subscriptions.c
sent = t.deliveries.c
runs = t.scheduled_runs.c


def _event(row: RowMapping) -> MonitorEvent:
    return MonitorEvent(
        key=row["key"],
        kind=EventKind(row["kind"]),
        severity=Severity(row["severity"]),
        engagement=row["engagement"],
        subject=row["subject"],
        period=row["period"],
        summary=row["summary"],
        evidence=dict(row["evidence"]),
        first_seen=aware_utc(row["first_seen"]),
        last_seen=aware_utc(row["last_seen"]),
        state=EventState(row["state"]),
        changed_by=row["changed_by"],
        changed_at=aware_utc(row["changed_at"]),
        id=row["id"],
    )


def _subscription(row: RowMapping) -> Subscription:
    return Subscription(
        username=row["username"],
        channel=Channel(row["channel"]),
        target=row["target"],
        engagement=row["engagement"],
        min_severity=Severity(row["min_severity"]),
        kinds=tuple(EventKind(k) for k in row["kinds"]),
        digest=bool(row["digest"]),
        created_at=aware_utc(row["created_at"]),
        id=row["id"],
        role=row["role"],
        provider=row["provider"],
    )


def _delivery(row: RowMapping) -> Delivery:
    return Delivery(
        event_id=row["event_id"],
        subscription_id=row["subscription_id"],
        created_at=aware_utc(row["created_at"]),
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=aware_utc(row["next_attempt_at"]),
        last_error=row["last_error"],
        sent_at=aware_utc(row["sent_at"]),
        id=row["id"],
    )


def _delivery_values(delivery: Delivery) -> dict[str, Any]:
    return {
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "next_attempt_at": naive_utc(delivery.next_attempt_at),
        "last_error": delivery.last_error,
        "sent_at": naive_utc(delivery.sent_at),
    }


class SqlMonitor(MonitorRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_event(self, event: MonitorEvent) -> int:
        if self.event_by_key(event.key) is not None:
            raise DuplicateError(f"an event with key {event.key} exists already")
        statement = insert(t.monitor_events).values(
            key=event.key,
            kind=event.kind.value,
            severity=event.severity.value,
            engagement=event.engagement,
            subject=event.subject,
            period=event.period,
            summary=event.summary,
            evidence=event.evidence,
            first_seen=naive_utc(event.first_seen),
            last_seen=naive_utc(event.last_seen),
            state=event.state.value,
            changed_by=event.changed_by,
            changed_at=naive_utc(event.changed_at),
        )
        return int(self.connection.execute(statement.returning(t.monitor_events.c.id)).scalar_one())

    def update_event(self, event: MonitorEvent) -> None:
        changed = self.connection.execute(
            update(t.monitor_events)
            .where(events.id == event.id)
            .values(
                severity=event.severity.value,
                summary=event.summary,
                evidence=event.evidence,
                last_seen=naive_utc(event.last_seen),
                state=event.state.value,
                changed_by=event.changed_by,
                changed_at=naive_utc(event.changed_at),
            )
        )
        if changed.rowcount != 1:
            raise NotFoundError(f"no event {event.id}")

    def _one(self, condition: Any) -> MonitorEvent | None:
        row = self.connection.execute(select(t.monitor_events).where(condition)).mappings().first()
        return None if row is None else _event(row)

    def event(self, event_id: int) -> MonitorEvent | None:
        return self._one(events.id == event_id)

    def event_by_key(self, key: str) -> MonitorEvent | None:
        return self._one(events.key == key)

    def events(
        self, engagement: str | None = None, states: Sequence[EventState] | None = None
    ) -> list[MonitorEvent]:
        query = select(t.monitor_events).order_by(events.last_seen.desc(), events.id.desc())
        if engagement is not None:
            query = query.where(events.engagement == engagement)
        if states is not None:
            query = query.where(events.state.in_([s.value for s in states]))
        return [_event(r) for r in self.connection.execute(query).mappings()]

    def add_subscription(self, subscription: Subscription) -> int:
        statement = insert(t.subscriptions).values(
            username=subscription.username,
            channel=subscription.channel.value,
            target=subscription.target,
            engagement=subscription.engagement,
            min_severity=subscription.min_severity.value,
            kinds=[k.value for k in subscription.kinds],
            digest=subscription.digest,
            created_at=naive_utc(subscription.created_at),
            role=subscription.role,
            provider=subscription.provider,
        )
        return int(self.connection.execute(statement.returning(t.subscriptions.c.id)).scalar_one())

    def subscriptions(self, username: str | None = None) -> list[Subscription]:
        query = select(t.subscriptions).order_by(subs.id)
        if username is not None:
            query = query.where(subs.username == username, subs.role.is_(None))
        return [_subscription(r) for r in self.connection.execute(query).mappings()]

    def remove_subscription(self, subscription_id: int) -> bool:
        # Explicit, as SQLite enforces ON DELETE CASCADE only with its foreign-key pragma on.
        self.connection.execute(delete(t.deliveries).where(sent.subscription_id == subscription_id))
        removed = self.connection.execute(delete(t.subscriptions).where(subs.id == subscription_id))
        return removed.rowcount == 1

    def add_delivery(self, delivery: Delivery) -> int:
        pair = (delivery.event_id, delivery.subscription_id)
        found = self.connection.execute(
            select(sent.id).where(sent.event_id == pair[0], sent.subscription_id == pair[1])
        ).first()
        if found is not None:
            raise DuplicateError(f"event {pair[0]} has a delivery for subscription {pair[1]}")
        statement = insert(t.deliveries).values(
            event_id=delivery.event_id,
            subscription_id=delivery.subscription_id,
            created_at=naive_utc(delivery.created_at),
            **_delivery_values(delivery),
        )
        return int(self.connection.execute(statement.returning(t.deliveries.c.id)).scalar_one())

    def update_delivery(self, delivery: Delivery) -> None:
        changed = self.connection.execute(
            update(t.deliveries).where(sent.id == delivery.id).values(**_delivery_values(delivery))
        )
        if changed.rowcount != 1:
            raise NotFoundError(f"no delivery {delivery.id}")

    def claim_delivery(self, delivery: Delivery, now: datetime, until: datetime) -> bool:
        # One conditional update: of two runs claiming the same delivery, one changes the row.
        claimed = self.connection.execute(
            update(t.deliveries)
            .where(
                sent.id == delivery.id,
                sent.status == DeliveryStatus.PENDING.value,
                sent.attempts == delivery.attempts,
                or_(sent.next_attempt_at.is_(None), sent.next_attempt_at <= naive_utc(now)),
            )
            .values(next_attempt_at=naive_utc(until))
        )
        return claimed.rowcount == 1

    def deliveries(
        self, status: DeliveryStatus | None = None, subscription_id: int | None = None
    ) -> list[Delivery]:
        query = select(t.deliveries).order_by(sent.id)
        if status is not None:
            query = query.where(sent.status == status.value)
        if subscription_id is not None:
            query = query.where(sent.subscription_id == subscription_id)
        return [_delivery(r) for r in self.connection.execute(query).mappings()]

    def delivered_pairs(self) -> set[tuple[int, int]]:
        rows = self.connection.execute(select(sent.event_id, sent.subscription_id))
        return {(int(e), int(s)) for e, s in rows}

    def scheduled_run(self, name: str) -> ScheduledRun | None:
        row = self.connection.execute(select(t.scheduled_runs).where(runs.name == name))
        found = row.mappings().first()
        if found is None:
            return None
        return ScheduledRun(
            name=found["name"],
            next_due_at=aware_utc(found["next_due_at"]),
            last_started_at=aware_utc(found["last_started_at"]),
            last_finished_at=aware_utc(found["last_finished_at"]),
            last_summary=found["last_summary"],
            last_error=found["last_error"],
        )

    def claim_scheduled_run(self, name: str, now: datetime, next_due: datetime) -> bool:
        if self.scheduled_run(name) is None:
            # The first claim ever: the primary key lets one of two concurrent inserts in.
            self.connection.execute(
                insert(t.scheduled_runs).values(
                    name=name, next_due_at=naive_utc(next_due), last_started_at=naive_utc(now)
                )
            )
            return True
        claimed = self.connection.execute(
            update(t.scheduled_runs)
            .where(runs.name == name, runs.next_due_at <= naive_utc(now))
            .values(next_due_at=naive_utc(next_due), last_started_at=naive_utc(now))
        )
        return claimed.rowcount == 1

    def finish_scheduled_run(
        self, name: str, finished_at: datetime, summary: str | None, error: str | None
    ) -> None:
        values = {
            "last_finished_at": naive_utc(finished_at),
            "last_summary": summary,
            "last_error": error,
        }
        if self.scheduled_run(name) is None:
            self.connection.execute(
                insert(t.scheduled_runs).values(
                    name=name,
                    next_due_at=naive_utc(finished_at),
                    last_started_at=naive_utc(finished_at),
                    **values,
                )
            )
            return
        self.connection.execute(update(t.scheduled_runs).where(runs.name == name).values(**values))
