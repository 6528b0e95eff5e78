"""The job queue's use cases: submit a background decision or simulation within the quotas,
read it back for its owner, and what a worker does with the queue (claim the next job, report
progress, finish, fail or release it, reap jobs whose worker stopped, prune old ones).

The queue lives in the database, so any server takes a job and any worker process
(``sourcewise worker``) or server thread runs it. Each call is one short unit of work; times are
this process's clock in UTC (servers and workers on several machines need their clocks in step,
as NTP keeps them, to within much less than the stale timeout).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sourcewise.services.governance_store import UowFactory
from sourcewise.workspace.jobs import (
    MAX_ATTEMPTS,
    Job,
    JobKind,
    JobLimits,
    JobPayload,
)

KEEP_SECONDS = 1800.0
"""Finished jobs are kept this long for their owner to fetch, then pruned."""
STALE_SECONDS = 30.0
"""A running job whose worker has not beaten for this long is taken to have lost its worker."""
PROGRESS_INTERVAL = 0.25
"""Seconds between two progress writes of one job, at least."""
LABEL_LENGTH = 300
"""Characters of a job's label kept (it names the scenario's company, which may be long)."""


class JobLostError(RuntimeError):
    """The job is no longer this worker's: it was reaped as stale and queued again (or failed)."""


def now() -> datetime:
    return datetime.now(UTC)


def submit_job(
    make_uow: UowFactory,
    owner: str,
    kind: JobKind,
    label: str,
    total: int,
    payload: JobPayload,
    limits: JobLimits,
) -> Job:
    """A new job, queued; ``JobQuotaError`` if ``owner`` has ``limits.max_per_user`` active,
    ``JobsBusyError`` if ``limits.max_active`` are active in all (every server counted)."""
    job = Job(
        id=secrets.token_urlsafe(12),
        owner=owner,
        kind=JobKind(kind),
        label=label[:LABEL_LENGTH],
        total=max(total, 1),
        payload=payload.to_json(),
        created_at=now(),
    )
    with make_uow().for_writing() as uow:
        uow.jobs.submit(job, limits)
        uow.commit()
    return job


def find_job(make_uow: UowFactory, job_id: str, owner: str, admin: bool = False) -> Job | None:
    """The job if it exists and belongs to ``owner`` (an admin sees every job)."""
    with make_uow() as uow:
        job = uow.jobs.get(job_id)
    if job is None or not (admin or job.owner == owner):
        return None
    return job


def claim_job(make_uow: UowFactory, worker: str) -> Job | None:
    """The next job in turn, now running for ``worker``; None when nothing is queued."""
    with make_uow() as uow:
        if not uow.jobs.queued():  # an idle worker reads; only a claim takes the write lock
            return None
    with make_uow().for_writing() as uow:
        job = uow.jobs.claim(worker, now())
        uow.commit()
    return job


def heartbeat(make_uow: UowFactory, job_id: str, worker: str, done: int | None = None) -> bool:
    """``worker`` is alive (and has done ``done`` units); False if the job is no longer its."""
    with make_uow() as uow:
        held = uow.jobs.heartbeat(job_id, worker, now(), done)
        uow.commit()
    return held


def finish_job(
    make_uow: UowFactory,
    job_id: str,
    worker: str,
    result: dict[str, Any],
    run_id: int | None = None,
) -> bool:
    with make_uow() as uow:
        held = uow.jobs.finish(job_id, worker, now(), result, run_id)
        uow.commit()
    return held


def fail_job(make_uow: UowFactory, job_id: str, worker: str, error: str) -> bool:
    with make_uow() as uow:
        held = uow.jobs.fail(job_id, worker, now(), error)
        uow.commit()
    return held


def release_job(make_uow: UowFactory, job_id: str, worker: str) -> bool:
    """Give the job back to the queue (its worker is stopping); the attempt is not counted."""
    with make_uow() as uow:
        held = uow.jobs.release(job_id, worker)
        uow.commit()
    return held


def reap_stale(
    make_uow: UowFactory, stale_after: float = STALE_SECONDS, max_attempts: int = MAX_ATTEMPTS
) -> list[Job]:
    """Jobs whose worker has been silent for ``stale_after`` seconds: queued again, or failed
    after ``max_attempts`` starts."""
    moment = now()
    with make_uow().for_writing() as uow:
        reaped = uow.jobs.reap(moment - timedelta(seconds=stale_after), moment, max_attempts)
        uow.commit()
    return reaped


def prune_finished(make_uow: UowFactory, keep_seconds: float = KEEP_SECONDS) -> int:
    """Delete jobs finished more than ``keep_seconds`` ago; how many."""
    with make_uow() as uow:
        pruned = uow.jobs.prune(now() - timedelta(seconds=keep_seconds))
        uow.commit()
    return pruned


class ProgressReport:
    """A job's progress callback: adds up units of work and stores the count, which is also a
    heartbeat, at most every ``interval`` seconds (small chunks of draws would otherwise mean
    many writes a second); the first report is stored at once, so the bar moves from the start,
    and ``beat`` stores what the last throttled ones left. Raises ``JobLostError`` once the job
    is no longer this worker's, so that no more work is spent on it."""

    def __init__(
        self,
        make_uow: UowFactory,
        job: Job,
        worker: str,
        interval: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.make_uow, self.job_id, self.worker = make_uow, job.id, worker
        self.interval, self.clock = interval, clock
        self.done = 0
        self.lost = False
        self._last: float | None = None
        self._lock = threading.Lock()  # the worker's heartbeat thread beats through it too

    def __call__(self, count: int) -> None:
        with self._lock:
            self.done += count
            if self._last is None or self.clock() - self._last >= self.interval:
                self._store()
        if self.lost:
            raise JobLostError(f"job {self.job_id} is no longer run by {self.worker}")

    def beat(self) -> bool:
        """Say the worker is alive, storing the count so far; False once the job is lost."""
        with self._lock:
            self._store()
        return not self.lost

    def _store(self) -> None:
        self._last = self.clock()
        self.lost = not heartbeat(self.make_uow, self.job_id, self.worker, self.done)
