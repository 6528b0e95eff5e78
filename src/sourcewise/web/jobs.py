"""Background jobs for decide and simulate: a small thread pool, a bounded number of active jobs
and results kept in memory for a limited time (nothing is stored in the database)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import FastAPI

from sourcewise.domain.scenario import Scenario

JobKind = Literal["decision", "simulation"]
Work = Callable[[Callable[[int], None]], dict[str, Any]]

MAX_JOB_DRAWS = 200_000
"""Draws a background job may ask for."""


class JobsBusyError(Exception):
    """Too many jobs are queued or running: try again later."""


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
    """Runs jobs on ``workers`` threads; refuses new ones while ``max_active`` are pending;
    forgets finished ones after ``keep_seconds`` (and the oldest beyond ``max_kept``)."""

    def __init__(
        self,
        workers: int = 2,
        max_active: int = 4,
        keep_seconds: float = 1800.0,
        max_kept: int = 100,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sw-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self.max_active, self.keep_seconds, self.max_kept = max_active, keep_seconds, max_kept

    def submit(self, owner: str, kind: JobKind, label: str, total: int, work: Work) -> Job:
        with self._lock:
            self._prune()
            if sum(j.active for j in self._jobs.values()) >= self.max_active:
                raise JobsBusyError
            job = Job(secrets.token_urlsafe(12), owner, kind, label, max(total, 1))
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str, owner: str, admin: bool = False) -> Job | None:
        """The job if it exists and belongs to ``owner`` (an admin sees every job)."""
        with self._lock:
            self._prune()
            job = self._jobs.get(job_id)
        if job is None or not (admin or job.owner == owner):
            return None
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.status = "running"

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
            found = JobRegistry()
            app.state.jobs = found
    return found


def scenario_work(scenario: Scenario, kind: JobKind, draws: int, seed: int) -> tuple[int, Work]:
    """Progress units and the work of deciding (or only simulating) ``scenario``.

    A decision job's result holds ``decision`` (decide JSON), ``simulation`` (simulate JSON or
    None) and ``rank_acceptability`` (full SMAA-2 rank shares per function, for the charts).
    """
    from sourcewise.reports.decision_json import decision_to_dict
    from sourcewise.reports.simulation_json import simulation_to_dict
    from sourcewise.services.decide import decide
    from sourcewise.services.simulate import simulate
    from sourcewise.web.charts_decision import rank_acceptability

    functions = len(scenario.functions)
    total = draws * functions + (functions if kind == "decision" else 0)

    def work(advance: Callable[[int], None]) -> dict[str, Any]:
        simulation = simulate(scenario, draws, seed, progress=advance) if draws else None
        if kind == "simulation":
            assert simulation is not None
            return {"simulation": simulation_to_dict(simulation)}
        decision = decide(scenario, simulation=simulation, seed=seed)
        advance(functions)
        return {
            "decision": decision_to_dict(decision),
            "simulation": None if simulation is None else simulation_to_dict(simulation),
            "rank_acceptability": rank_acceptability(decision),
        }

    return total, work
