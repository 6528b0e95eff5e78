"""Background jobs as stored: what a job asks for, where it stands, and the queue's rules (the
quotas, whose turn it is, when a job whose worker went silent is retried or given up).

A job lives in the database so that any server can take it and any worker process can run it:
a server stores it queued; a worker claims it (running), reports progress and finishes it (done
or failed). The rules are pure functions here; storage applies them atomically.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

MAX_ATTEMPTS = 3
"""Times a job is started before a worker that keeps stopping under it fails it for good."""


class JobKind(StrEnum):
    DECISION = "decision"
    SIMULATION = "simulation"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


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


@dataclass(frozen=True, slots=True)
class JobLimits:
    """Active jobs (queued or running) are bounded twice: per user, so that one user cannot
    take every place, and in all."""

    max_active: int = 8
    max_per_user: int = 2

    def check(self, mine: int, everyone: int) -> None:
        """Raise if one more job would break a bound, given the active jobs counted."""
        if mine >= self.max_per_user:
            raise JobQuotaError(mine, self.max_per_user)
        if everyone >= self.max_active:
            raise JobsBusyError("other jobs are running; try again in a moment")


@dataclass(frozen=True, slots=True)
class JobPayload:
    """What a worker needs to run a job: the scenario as written, draws and seed, and for a
    saved scenario the version to run (the run is then recorded as a decision run)."""

    text: str
    name: str
    draws: int
    seed: int
    saved_scenario: str | None = None
    saved_version: int | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "text": self.text,
            "name": self.name,
            "draws": self.draws,
            "seed": self.seed,
        }
        if self.saved_scenario is not None:
            found["saved"] = {"scenario": self.saved_scenario, "version": self.saved_version}
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JobPayload:
        saved = data.get("saved") or {}
        return cls(
            text=str(data["text"]),
            name=str(data["name"]),
            draws=int(data["draws"]),
            seed=int(data["seed"]),
            saved_scenario=saved.get("scenario"),
            saved_version=None if saved.get("version") is None else int(saved["version"]),
        )


@dataclass(frozen=True, slots=True)
class Job:
    """One stored job. ``worker`` and ``attempts`` say who runs it and how many times it was
    started; ``heartbeat_at`` is when its worker last said it was alive."""

    id: str
    owner: str
    kind: JobKind
    label: str
    total: int
    payload: dict[str, Any]
    created_at: datetime
    status: JobStatus = JobStatus.QUEUED
    done: int = 0
    result: dict[str, Any] | None = field(default=None, repr=False)
    error: str | None = None
    run_id: int | None = None
    attempts: int = 0
    worker: str | None = None
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def progress(self) -> float:
        if self.status == JobStatus.DONE:
            return 1.0
        return min(self.done / self.total, 1.0) if self.total else 0.0

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


def next_in_turn(jobs: Iterable[Job]) -> Job | None:
    """The queued job to start next: the oldest of the owner whose last job started longest
    ago (an owner never started first), so one user's backlog delays another user's job by
    at most one of theirs. Storage on a database asks the same in SQL."""
    jobs = list(jobs)
    last: dict[str, datetime] = {}
    for job in jobs:
        if job.started_at is not None and (
            job.owner not in last or job.started_at > last[job.owner]
        ):
            last[job.owner] = job.started_at
    queued = [j for j in jobs if j.status == JobStatus.QUEUED]
    if not queued:
        return None
    return min(
        queued,
        key=lambda j: (j.owner in last, last.get(j.owner, j.created_at), j.created_at, j.id),
    )


def stopped_error(attempts: int) -> str:
    """Why a job whose worker stopped under it ``attempts`` times is failed."""
    times = "attempt" if attempts == 1 else "attempts"
    return f"the worker running it stopped ({attempts} {times})"
