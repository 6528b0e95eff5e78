"""One monitoring run, as cron, a timer or the server's schedule starts it: find every
condition, store each once, open a corrective-action plan for each new breach, queue the
notifications the subscriptions want, and send what is due (including the retries of earlier
failures). A run of every engagement records when it ended and how (``scheduled_runs``),
which the inbox shows."""

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

    @property
    def summary(self) -> str:
        d = self.delivery
        return (
            f"{self.found} conditions hold, {len(self.recorded.new)} new, "
            f"{len(self.recorded.resolved)} resolved, {len(self.plans_opened)} corrective-action "
            f"plans opened; {d.sent} notifications sent, {d.failed} failed"
        )


MONITOR_RUN = "monitor"
"""The name under which runs of every engagement are recorded and scheduled."""


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
    try:
        scope = monitor_scope(make_uow, engagement)
        conditions = find_conditions(make_uow, day, engagement, notice_days)
        recorded = record_conditions(make_uow, conditions, scope, moment)
        opened = open_plans_for_breaches(make_uow, conditions, moment)
        queued = queue_deliveries(make_uow, moment)
        outcome = send_due(make_uow, channels or NetworkChannels.from_environment(), moment)
    except LookupError:
        raise  # no such engagement: nothing ran
    except Exception as error:
        if engagement is None:
            _record_end(make_uow, None, f"{type(error).__name__}: {error}")
        raise
    run = MonitorRun(day, engagement, len(conditions), recorded, queued, outcome, opened)
    if engagement is None:
        _record_end(make_uow, run.summary, None)
    return run


def _record_end(make_uow: UowFactory, summary: str | None, error: str | None) -> None:
    with make_uow().for_writing() as uow:
        uow.monitor.finish_scheduled_run(
            MONITOR_RUN, datetime.now(UTC), summary, error[:2000] if error else None
        )
        uow.commit()
