"""Background jobs for decide and simulate, as the web app sees them: stored in the database's
queue (``services.job_queue``), so that every server shows every job, and run by the worker
threads embedded in this server (``job_workers``, 2 by default) or by ``sourcewise worker``
processes, whichever is free first.

Active jobs (queued or running) are bounded twice, across all servers: ``max_per_user`` for each
user, so that one user cannot take every place, and ``max_active`` in all. Queued jobs take
turns across users (round-robin): a free worker takes the oldest job of the user whose last job
started longest ago, so one user's backlog never delays another user's job by more than one job
of theirs. Finished jobs are kept for 30 minutes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from sourcewise.reports.job_results import perform
from sourcewise.security.users import Principal
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.job_queue import find_job, submit_job
from sourcewise.services.job_work import Perform
from sourcewise.services.job_worker import Worker, WorkerSettings
from sourcewise.web.problems import ApiError
from sourcewise.workspace.jobs import Job as Job
from sourcewise.workspace.jobs import JobKind as JobKind
from sourcewise.workspace.jobs import JobLimits
from sourcewise.workspace.jobs import JobPayload as JobPayload
from sourcewise.workspace.jobs import JobQuotaError as JobQuotaError
from sourcewise.workspace.jobs import JobsBusyError as JobsBusyError

MAX_JOB_DRAWS = 200_000
"""Draws a background job may ask for."""
STOP_SECONDS = 10.0
"""How long a stopping server waits for its job threads to give their jobs back."""


class JobRegistry:
    """Submits jobs within the quotas and reads them back; runs ``workers`` threads of its own
    (none: separate ``sourcewise worker`` processes run every job). ``perform_job`` replaces
    what the threads compute (tests)."""

    def __init__(
        self,
        make_uow: UowFactory,
        workers: int = 2,
        max_active: int = 8,
        max_per_user: int = 2,
        worker_settings: WorkerSettings | None = None,
        perform_job: Perform | None = None,
    ) -> None:
        self.make_uow = make_uow
        self.workers, self.max_active, self.max_per_user = workers, max_active, max_per_user
        settings = worker_settings or WorkerSettings(threads=workers)
        run = perform_job or functools.partial(perform, make_uow=make_uow)
        self._worker = Worker(make_uow, run, settings) if workers > 0 else None
        self._lock = threading.Lock()
        self._started = False

    @property
    def limits(self) -> JobLimits:
        return JobLimits(self.max_active, self.max_per_user)

    def submit(
        self, owner: str, kind: JobKind | str, label: str, total: int, payload: JobPayload
    ) -> Job:
        """A new job, queued; ``JobQuotaError`` if ``owner`` has ``max_per_user`` active,
        ``JobsBusyError`` if ``max_active`` are active in all."""
        job = submit_job(self.make_uow, owner, JobKind(kind), label, total, payload, self.limits)
        self.start()
        if self._worker is not None:
            self._worker.wake()
        return job

    def get(self, job_id: str, owner: str, admin: bool = False) -> Job | None:
        """The job if it exists and belongs to ``owner`` (an admin sees every job)."""
        return find_job(self.make_uow, job_id, owner, admin)

    def start(self) -> None:
        """Start the embedded worker threads (once; the server does at start-up)."""
        with self._lock:
            if self._worker is not None and not self._started:
                self._worker.start()
                self._started = True

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Stop the embedded threads; the jobs they were running go back to the queue."""
        if self._worker is not None and self._started:
            self._worker.stop(timeout)


@contextmanager
def queue_limits() -> Iterator[None]:
    """A submission refused by the quotas answers 429 with when to try again: sooner when the
    queue is full in all (some job will finish) than when the user's own quota is."""
    try:
        yield
    except JobQuotaError as error:
        raise ApiError(429, "Too many jobs", str(error), headers={"Retry-After": "10"}) from None
    except JobsBusyError as error:
        raise ApiError(429, "Too many jobs", str(error), headers={"Retry-After": "5"}) from None


_CREATE = threading.Lock()


def registry_of(app: FastAPI) -> JobRegistry:
    """The app's job registry, created on first use."""
    with _CREATE:
        found: JobRegistry | None = getattr(app.state, "jobs", None)
        if found is None:
            settings = app.state.settings
            found = JobRegistry(
                app.state.make_uow,
                settings.job_workers,
                settings.max_jobs,
                settings.max_jobs_per_user,
            )
            app.state.jobs = found
    return found


def submit_saved_run(
    app: FastAPI, principal: Principal, scenario: str, version: int | None, draws: int, seed: int
) -> Job:
    """Decide version ``version`` (the latest when None) of saved scenario ``scenario`` in the
    background and keep the run (``services.decision_runs.run_saved``): the job's ``run_id``
    is then the run's, whose permalink is where its pages go next.

    The version is looked up first, so that a scenario the user may not see, or a version it
    does not have, is refused now (``LookupError``) rather than as a failed job."""
    from sourcewise.services.decision_runs import work_of
    from sourcewise.services.scenario_library import get_version

    stored = get_version(app.state.make_uow, scenario, version, principal)
    payload = JobPayload(stored.text, stored.label, draws, seed, stored.scenario, stored.version)
    label = f"{stored.label}: decision run, {draws:,} draws"
    total = work_of(stored, draws)
    return registry_of(app).submit(principal.username, JobKind.DECISION, label, total, payload)
