"""One monitoring run, as cron or a timer starts it: find every condition, store each once,
open a corrective-action plan for each new breach, queue the notifications the subscriptions
want, and send what is due (including the retries of earlier failures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sourcewise.governance.corrective_actions import CorrectiveActionPlan
from sourcewise.services.corrective_actions import open_plans_for_breaches
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.monitor_events import (
    CONTRACT_NOTICE_DAYS,
    RecordOutcome,
    find_conditions,
    monitor_scope,
    record_conditions,
)
from sourcewise.services.notification_channels import Channels, NetworkChannels
from sourcewise.services.notifications import SendOutcome, queue_deliveries, send_due


@dataclass(frozen=True, slots=True)
class MonitorRun:
    as_of: date
    engagement: str | None
    found: int
    recorded: RecordOutcome
    queued: int
    delivery: SendOutcome
    plans_opened: tuple[CorrectiveActionPlan, ...] = ()


def run_monitor(
    make_uow: UowFactory,
    as_of: date | None = None,
    engagement: str | None = None,
    channels: Channels | None = None,
    now: datetime | None = None,
    notice_days: int = CONTRACT_NOTICE_DAYS,
) -> MonitorRun:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    day = as_of or moment.date()
    scope = monitor_scope(make_uow, engagement)
    conditions = find_conditions(make_uow, day, engagement, notice_days)
    recorded = record_conditions(make_uow, conditions, scope, moment)
    opened = open_plans_for_breaches(make_uow, conditions, moment)
    queued = queue_deliveries(make_uow, moment)
    outcome = send_due(make_uow, channels or NetworkChannels.from_environment(), moment)
    return MonitorRun(day, engagement, len(conditions), recorded, queued, outcome, opened)
