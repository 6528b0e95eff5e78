"""Background jobs for decide and simulate: a small thread pool, a bounded number of active jobs
and results kept in memory for a limited time (nothing is stored in the database).

Active jobs (queued or running) are bounded twice: ``max_per_user`` for each user, so that one
user cannot take every place, and ``max_active`` in all. Queued jobs take turns across users
(round-robin): a free worker takes the oldest job of the next user in line, so one user's
backlog never delays another user's job by more than one job of theirs."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import FastAPI

from sourcewise.domain.scenario import Scenario
from sourcewise.security.users import Principal

JobKind = Literal["decision", "simulation"]
Work = Callable[[Callable[[int], None]], dict[str, Any]]

MAX_JOB_DRAWS = 200_000
"""Draws a background job may ask for."""


class JobsBusyError(Exception):
    """Too many jobs are queued or running: try again later."""


class JobQuotaError(JobsBusyError):
    """This user has as many jobs queued or running as one user may."""

    def __init__(self, active: int, limit: int) -> None:
        self.active, self.limit = active, limit
        jobs = "job" if limit == 1 else "jobs"
        super().__init__(
            f"each user may have at most {limit} {jobs} queued or running at a time, and you "
            f"have {active}; try again when one has finished"
        )


@dataclass(slots=True)
class Job:
    id: str
    owner: str
    kind: JobKind
    label: str
    total: int
    done: int = 0
    status: Literal["queued", "running", "done", "failed"] = "queued"
    result: dict[str, Any] | None = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def progress(self) -> float:
        if self.status == "done":
            return 1.0
        return min(self.done / self.total, 1.0) if self.total else 0.0

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")


class JobRegistry:
    """Runs jobs on ``workers`` threads; refuses a user's new one while ``max_per_user`` of
    theirs are active, anyone's while ``max_active`` are; forgets finished ones after
    ``keep_seconds`` (and the oldest beyond ``max_kept``)."""

    def __init__(
        self,
        workers: int = 2,
        max_active: int = 8,
        max_per_user: int = 2,
        keep_seconds: float = 1800.0,
        max_kept: int = 100,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sw-job")
        self._jobs: dict[str, Job] = {}
        self._waiting: dict[str, deque[tuple[Job, Work]]] = {}
        """Each user's queued jobs, oldest first; the dict's order is the users' turns."""
        self._lock = threading.Lock()
        self.workers, self.max_active, self.max_per_user = workers, max_active, max_per_user
        self.keep_seconds, self.max_kept = keep_seconds, max_kept

    def submit(self, owner: str, kind: JobKind, label: str, total: int, work: Work) -> Job:
        """A new job, queued; ``JobQuotaError`` if ``owner`` has ``max_per_user`` active,
        ``JobsBusyError`` if ``max_active`` are active in all."""
        with self._lock:
            self._prune()
            active = [j for j in self._jobs.values() if j.active]
            mine = sum(j.owner == owner for j in active)
            if mine >= self.max_per_user:
                raise JobQuotaError(mine, self.max_per_user)
            if len(active) >= self.max_active:
                raise JobsBusyError
            job = Job(secrets.token_urlsafe(12), owner, kind, label, max(total, 1))
            self._jobs[job.id] = job
            self._waiting.setdefault(owner, deque()).append((job, work))
        # The pool's own queue is first come, first served: each submission only asks for
        # one turn, and which job takes it is chosen when a worker is free (_next).
        self._pool.submit(self._run_next)
        return job

    def get(self, job_id: str, owner: str, admin: bool = False) -> Job | None:
        """The job if it exists and belongs to ``owner`` (an admin sees every job)."""
        with self._lock:
            self._prune()
            job = self._jobs.get(job_id)
        if job is None or not (admin or job.owner == owner):
            return None
        return job

    def _next(self) -> tuple[Job, Work]:
        """The oldest job of the user whose turn it is; that user goes to the back."""
        with self._lock:
            owner = next(iter(self._waiting))
            queue = self._waiting.pop(owner)
            job, work = queue.popleft()
            if queue:
                self._waiting[owner] = queue
            job.status = "running"
        return job, work

    def _run_next(self) -> None:
        self._run(*self._next())

    def _run(self, job: Job, work: Work) -> None:
        def advance(count: int) -> None:
            job.done += count

        try:
            job.result = work(advance)
            job.status = "done"
        except Exception as error:  # reported on the job, not lost in a worker thread
            job.error = f"{type(error).__name__}: {error}"
            job.status = "failed"
        job.finished = time.time()

    def _prune(self) -> None:
        now = time.time()
        finished = sorted(
            (j for j in self._jobs.values() if j.finished is not None), key=lambda j: j.created
        )
        stale = [j for j in finished if now - (j.finished or now) > self.keep_seconds]
        stale += finished[len(stale) :][: max(len(self._jobs) - len(stale) - self.max_kept, 0)]
        for job in stale:
            self._jobs.pop(job.id, None)


_CREATE = threading.Lock()


def registry_of(app: FastAPI) -> JobRegistry:
    """The app's job registry, created on first use."""
    with _CREATE:
        found: JobRegistry | None = getattr(app.state, "jobs", None)
        if found is None:
            settings = app.state.settings
            found = JobRegistry(settings.job_workers, settings.max_jobs, settings.max_jobs_per_user)
            app.state.jobs = found
    return found


def scenario_work(scenario: Scenario, kind: JobKind, draws: int, seed: int) -> tuple[int, Work]:
    """Progress units and the work of deciding (or only simulating) ``scenario``.

    A decision job's result holds ``decision`` (decide JSON) and ``simulation`` (simulate JSON
    or None): the pages draw their charts from these two documents alone.
    """
    from sourcewise.reports.run_result import run_result
    from sourcewise.reports.simulation_json import simulation_to_dict
    from sourcewise.services.decide import decide_scenario, progress_total
    from sourcewise.services.simulate import simulate

    if kind == "simulation":

        def simulation_work(advance: Callable[[int], None]) -> dict[str, Any]:
            simulation = simulate(scenario, draws, seed, progress=advance)
            return {"simulation": simulation_to_dict(simulation)}

        return draws * len(scenario.functions), simulation_work

    def work(advance: Callable[[int], None]) -> dict[str, Any]:
        return run_result(decide_scenario(scenario, draws=draws, seed=seed, progress=advance))

    return progress_total(scenario, draws), work


def submit_saved_run(
    app: FastAPI, principal: Principal, scenario: str, version: int | None, draws: int, seed: int
) -> Job:
    """Decide version ``version`` (the latest when None) of saved scenario ``scenario`` in the
    background and keep the run (``services.decision_runs.run_saved``): the job's result is
    ``{"run_id": ...}``, the run's permalink being where its pages go next.

    The version is looked up first, so that a scenario the user may not see, or a version it
    does not have, is refused now (``LookupError``) rather than as a failed job."""
    from sourcewise.reports.run_result import run_result
    from sourcewise.services.decide import progress_total
    from sourcewise.services.decision_runs import run_saved
    from sourcewise.services.scenario_library import get_version
    from sourcewise.services.scenarios import parse_scenario_text

    make_uow = app.state.make_uow
    stored = get_version(make_uow, scenario, version, principal)
    parsed = parse_scenario_text(stored.text, stored.label)

    def work(advance: Callable[[int], None]) -> dict[str, Any]:
        run = run_saved(
            make_uow,
            stored.scenario,
            stored.version,
            render=run_result,
            draws=draws,
            seed=seed,
            progress=advance,
            principal=principal,
        )
        return {"run_id": run.id}

    label = f"{stored.label}: decision run, {draws:,} draws"
    total = progress_total(parsed, draws)
    return registry_of(app).submit(principal.username, "decision", label, total, work)
