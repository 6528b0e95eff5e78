"""Monitoring events and their notification: what a condition is, how it is stored once, who
is told about it, and when a failed delivery is tried again.

A *condition* is something that holds now (an SLA breached in a month, a risk trigger firing,
an action overdue). Its key joins kind, engagement, subject and period, so the same condition
found by any later run has the same key: the store keeps one event per key and a run that finds
it again only moves its ``last_seen``. A stored event whose condition no longer holds is
resolved. The rules are pure functions here; storage keeps the records and services apply them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    SLA_BREACH = "sla_breach"
    SLA_AT_RISK = "sla_at_risk"
    KPI_DRIFT = "kpi_drift"
    RISK_TRIGGER = "risk_trigger"
    PLAYBOOK_OVERDUE = "playbook_overdue"
    AUDIT_ACTION_OVERDUE = "audit_action_overdue"
    MEETING_ACTION_OVERDUE = "meeting_action_overdue"
    PILOT_VERDICT = "pilot_verdict"
    CONTRACT_ENDING = "contract_ending"
    CONTRACT_NOTICE_DEADLINE = "contract_notice_deadline"
    CONTRACT_RENEWAL = "contract_renewal"
    CONTRACT_PRICE_REVIEW = "contract_price_review"
    CONTRACT_BENCHMARKING = "contract_benchmarking"
    REMEDY_PROPOSED = "remedy_proposed"
    """Repeated breaches call for one of the contract's remedies (``governance.remedies``)."""


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class EventState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


def condition_key(kind: EventKind, engagement: str, subject: str, period: str) -> str:
    """The stable identity of a condition: the same inputs give the same 64 hex digits, on any
    run and any database (the unique column events are stored under)."""
    joined = "\x1f".join((kind.value, engagement, subject, period))
    return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition found by one monitoring run."""

    kind: EventKind
    severity: Severity
    engagement: str
    subject: str
    """What it is about: a service level, KPI series, risk, action or contract."""
    period: str
    """When it applies (a month, a due date, an end date), or ``""`` while it simply holds."""
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return condition_key(self.kind, self.engagement, self.subject, self.period)


@dataclass(frozen=True, slots=True)
class MonitorEvent:
    """A condition as stored, with when it was first and last seen and where it stands."""

    key: str
    kind: EventKind
    severity: Severity
    engagement: str
    subject: str
    period: str
    summary: str
    evidence: dict[str, Any]
    first_seen: datetime
    last_seen: datetime
    state: EventState = EventState.OPEN
    changed_by: str | None = None
    """Who acknowledged or resolved it by hand (None: the monitor)."""
    changed_at: datetime | None = None
    id: int | None = None

    @classmethod
    def first(cls, condition: Condition, now: datetime) -> MonitorEvent:
        return cls(
            condition.key,
            condition.kind,
            condition.severity,
            condition.engagement,
            condition.subject,
            condition.period,
            condition.summary,
            condition.evidence,
            now,
            now,
        )


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


@dataclass(frozen=True, slots=True)
class Subscription:
    """What a user wants to be told, and where: one engagement or all (None), a minimum
    severity, some kinds or all (empty), by e-mail or to a webhook; a digest sends one message
    per run with every new event instead of one per event.

    A *role* subscription (``role`` set) tells a team's address what that role is shown: the
    events any user of the role may see (for the provider role, those of ``provider``'s
    engagements), whoever the role's users are now. ``username`` is then the one who set it up.
    """

    username: str
    channel: Channel
    target: str
    """The e-mail address or the webhook URL."""
    engagement: str | None = None
    min_severity: Severity = Severity.WARNING
    kinds: tuple[EventKind, ...] = ()
    digest: bool = False
    created_at: datetime | None = None
    id: int | None = None
    role: str | None = None
    provider: str | None = None
    """For a role subscription of the provider role: whose engagements it hears of."""

    @property
    def subscriber(self) -> str:
        """Who is told, as a person reads it: the user, or the role (and its provider)."""
        if self.role is None:
            return self.username
        return f"role {self.role}" + (f" of {self.provider}" if self.provider else "")

    def wants(self, event: MonitorEvent) -> bool:
        return (
            (self.engagement is None or event.engagement == self.engagement)
            and event.severity.rank >= self.min_severity.rank
            and (not self.kinds or event.kind in self.kinds)
        )


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    """Not sent yet, or failed and waiting for its next attempt: never given up."""
    SENT = "sent"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event for one subscription: at most one per pair, so an event is told once."""

    event_id: int
    subscription_id: int
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    """None: at the next run."""
    last_error: str | None = None
    sent_at: datetime | None = None
    id: int | None = None

    def due(self, now: datetime) -> bool:
        if self.status is not DeliveryStatus.PENDING:
            return False
        return self.next_attempt_at is None or self.next_attempt_at <= now


BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)


def next_attempt(
    failures: int,
    now: datetime,
    first: timedelta = BACKOFF_FIRST,
    cap: timedelta = BACKOFF_CAP,
) -> datetime:
    """When to try again after ``failures`` failed attempts: ``first``, then doubling, never
    more than ``cap`` apart (1, 2, 4, 8 … minutes by default)."""
    if failures < 1:
        return now
    wait = first * (1 << min(failures - 1, 30))
    return now + min(wait, cap)


@dataclass(frozen=True, slots=True)
class ScheduledRun:
    """The state of a repeated run (the monitoring inside ``sourcewise serve``): when it is due
    next, and how the last one went. Servers share it through the database, so that of several
    processes one runs each time it falls due."""

    name: str
    next_due_at: datetime
    last_started_at: datetime | None = None
    last_finished_at: datetime | None = None
    last_summary: str | None = None
    last_error: str | None = None
