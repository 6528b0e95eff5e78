"""Monitoring on a schedule inside ``sourcewise serve`` (``--monitor-every MINUTES``), for
installations without cron or a timer.

The schedule lives in the database (``scheduled_runs``), not in a process: each server checks
once a minute whether the run is due and claims it with one conditional update, so however many
server processes or machines share the database, one of them runs it each time it falls due,
and a restart neither skips a run nor runs it twice. A run is ``run_monitor`` over every
engagement, the same as ``sourcewise monitor run --all``; a failed run is logged and recorded,
and the next one comes at its time.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from sourcewise.governance.alerts import ScheduledRun
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.monitor_run import MONITOR_RUN, MonitorRun, run_monitor
from sourcewise.services.notification_channels import Channels

log = logging.getLogger(__name__)

POLL = timedelta(minutes=1)
"""How often a server looks whether the run is due: the most a run can start late."""
MIN_EVERY = timedelta(minutes=1)
MAX_EVERY = timedelta(days=1)


def run_if_due(
    make_uow: UowFactory,
    every: timedelta,
    now: datetime | None = None,
    channels: Channels | None = None,
) -> MonitorRun | None:
    """Run the monitoring of every engagement if it is due at ``now``, and set the next run
    ``every`` later; None when it was not due (or another server took it)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with make_uow().for_writing() as uow:
        claimed = uow.monitor.claim_scheduled_run(MONITOR_RUN, moment, moment + every)
        uow.commit()
    if not claimed:
        return None
    return run_monitor(make_uow, channels=channels, now=moment)


def last_run(make_uow: UowFactory) -> ScheduledRun | None:
    """When monitoring of every engagement last ran (on the schedule or from the command line),
    how it went, and when the schedule runs it next."""
    with make_uow() as uow:
        return uow.monitor.scheduled_run(MONITOR_RUN)


class MonitorScheduler:
    """A daemon thread of the server that runs ``run_if_due`` every ``POLL`` until stopped."""

    def __init__(
        self,
        make_uow: UowFactory,
        every: timedelta,
        poll: timedelta = POLL,
        channels: Channels | None = None,
    ) -> None:
        if not MIN_EVERY <= every <= MAX_EVERY:
            raise ValueError(f"every: between {MIN_EVERY} and {MAX_EVERY}, not {every}")
        self.make_uow, self.every, self.poll, self.channels = make_uow, every, poll, channels
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="monitor-schedule", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while True:
            try:
                run = run_if_due(self.make_uow, self.every, channels=self.channels)
                if run is not None:
                    log.info("scheduled monitoring: %s", run.summary)
            except Exception:  # the server goes on; the run is recorded and comes again
                log.exception("scheduled monitoring failed")
            if self._stop.wait(self.poll.total_seconds()):
                return
