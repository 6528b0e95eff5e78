"""The in-memory twin of the job queue (``sql_jobs``), part of ``memory.MemoryUnitOfWork``: the
same rules, applied to the unit's working copy of the state."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sourcewise.storage.repositories import JobRepository
from sourcewise.workspace.jobs import Job, JobLimits, JobStatus, next_in_turn, stopped_error

if TYPE_CHECKING:
    from sourcewise.storage.memory import MemoryUnitOfWork


class MemoryJobs(JobRepository):
    def __init__(self, owner: MemoryUnitOfWork) -> None:
        self._owner = owner

    @property
    def _jobs(self) -> dict[str, Job]:
        return self._owner.working.jobs

    def submit(self, job: Job, limits: JobLimits) -> None:
        active = [j for j in self._jobs.values() if j.active]
        limits.check(sum(j.owner == job.owner for j in active), len(active))
        self._jobs[job.id] = job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def queued(self) -> int:
        return sum(j.status == JobStatus.QUEUED for j in self._jobs.values())

    def claim(self, worker: str, now: datetime) -> Job | None:
        job = next_in_turn(self._jobs.values())
        if job is None:
            return None
        claimed = replace(
            job,
            status=JobStatus.RUNNING,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
            done=0,
            attempts=job.attempts + 1,
        )
        self._jobs[job.id] = claimed
        return claimed

    def _held(self, job_id: str, worker: str, changes: dict[str, Any]) -> bool:
        job = self._jobs.get(job_id)
        if job is None or job.worker != worker or job.status != JobStatus.RUNNING:
            return False
        self._jobs[job_id] = replace(job, **changes)
        return True

    def heartbeat(self, job_id: str, worker: str, now: datetime, done: int | None = None) -> bool:
        job = self._jobs.get(job_id)
        if done is None:
            done = 0 if job is None else job.done
        return self._held(job_id, worker, {"heartbeat_at": now, "done": done})

    def finish(
        self,
        job_id: str,
        worker: str,
        now: datetime,
        result: dict[str, Any],
        run_id: int | None = None,
    ) -> bool:
        job = self._jobs.get(job_id)
        total = 0 if job is None else job.total
        return self._held(
            job_id,
            worker,
            {
                "status": JobStatus.DONE,
                "done": total,
                "result": result,
                "run_id": run_id,
                "heartbeat_at": now,
                "finished_at": now,
            },
        )

    def fail(self, job_id: str, worker: str, now: datetime, error: str) -> bool:
        return self._held(
            job_id,
            worker,
            {"status": JobStatus.FAILED, "error": error, "heartbeat_at": now, "finished_at": now},
        )

    def release(self, job_id: str, worker: str) -> bool:
        job = self._jobs.get(job_id)
        attempts = 0 if job is None else job.attempts - 1
        return self._held(job_id, worker, _requeued(attempts))

    def reap(self, stale_before: datetime, now: datetime, max_attempts: int) -> list[Job]:
        reaped = []
        for job in list(self._jobs.values()):
            beat = job.heartbeat_at
            if job.status != JobStatus.RUNNING or beat is None or beat >= stale_before:
                continue
            if job.attempts < max_attempts:
                changed = replace(job, **_requeued(job.attempts))
            else:
                changed = replace(
                    job,
                    status=JobStatus.FAILED,
                    error=stopped_error(job.attempts),
                    finished_at=now,
                )
            self._jobs[job.id] = changed
            reaped.append(changed)
        return reaped

    def prune(self, finished_before: datetime) -> int:
        old = [
            j.id
            for j in self._jobs.values()
            if not j.active and j.finished_at is not None and j.finished_at < finished_before
        ]
        for job_id in old:
            del self._jobs[job_id]
        return len(old)


def _requeued(attempts: int) -> dict[str, Any]:
    return {
        "status": JobStatus.QUEUED,
        "worker": None,
        "done": 0,
        "attempts": attempts,
        "started_at": None,
        "heartbeat_at": None,
    }
