"""SQL repository for background jobs: the queue every server and worker process shares.

Claiming is a conditional update (``WHERE id = :id AND status = 'queued'``): of two claimers,
in any processes, the one whose update finds the row no longer queued gets nothing from it and
tries the next. On PostgreSQL the candidate is also read ``FOR UPDATE SKIP LOCKED``, so that
concurrent claimers pick different jobs instead of racing for one, and a submission takes a
transaction-scoped advisory lock, so that one server at a time counts the quota and inserts.
On SQLite the unit's ``BEGIN IMMEDIATE`` (``for_writing``) serialises both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.storage import tables as t
from sourcewise.storage.repositories import JobRepository
from sourcewise.storage.types import aware_utc, naive_utc
from sourcewise.workspace.jobs import (
    ACTIVE,
    Job,
    JobKind,
    JobLimits,
    JobStatus,
    stopped_error,
)

QUEUE_LOCK = 0x736A6F62
"""The advisory lock key ('sjob') that serialises submissions on PostgreSQL."""
CLAIM_TRIES = 5
"""Candidates a claim tries when other workers keep taking them first."""

jobs = t.jobs.c


class SqlJobs(JobRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @property
    def _postgres(self) -> bool:
        return self.connection.dialect.name == "postgresql"

    def submit(self, job: Job, limits: JobLimits) -> None:
        if self._postgres:
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": QUEUE_LOCK})
        mine, everyone = self.connection.execute(
            select(
                func.count().filter(jobs.owner == job.owner),
                func.count(),
            ).where(jobs.status.in_([s.value for s in ACTIVE]))
        ).one()
        limits.check(int(mine), int(everyone))
        self.connection.execute(insert(t.jobs).values(**_values(job)))

    def get(self, job_id: str) -> Job | None:
        row = self.connection.execute(select(t.jobs).where(jobs.id == job_id)).mappings().first()
        return None if row is None else _job(row)

    def queued(self) -> int:
        found = self.connection.execute(
            select(func.count()).where(jobs.status == JobStatus.QUEUED.value)
        ).scalar_one()
        return int(found)

    def _next(self) -> str | None:
        """The id of the queued job whose turn it is (``workspace.jobs.next_in_turn``)."""
        last = (
            select(jobs.owner, func.max(jobs.started_at).label("started"))
            .group_by(jobs.owner)
            .subquery()
        )
        query = (
            select(jobs.id)
            .outerjoin(last, last.c.owner == jobs.owner)
            .where(jobs.status == JobStatus.QUEUED.value)
            .order_by(
                last.c.started.is_not(None),
                func.coalesce(last.c.started, jobs.created_at),
                jobs.created_at,
                jobs.id,
            )
            .limit(1)
        )
        if self._postgres:
            query = query.with_for_update(of=t.jobs, skip_locked=True)
        found = self.connection.execute(query).scalar_one_or_none()
        return None if found is None else str(found)

    def claim(self, worker: str, now: datetime) -> Job | None:
        moment = naive_utc(now)
        for _ in range(CLAIM_TRIES):
            candidate = self._next()
            if candidate is None:
                return None
            claimed = self.connection.execute(
                update(t.jobs)
                .where(jobs.id == candidate, jobs.status == JobStatus.QUEUED.value)
                .values(
                    status=JobStatus.RUNNING.value,
                    worker=worker,
                    started_at=moment,
                    heartbeat_at=moment,
                    done=0,
                    attempts=jobs.attempts + 1,
                )
            )
            if claimed.rowcount == 1:
                return self.get(candidate)
        return None

    def _held(self, job_id: str, worker: str, values: dict[str, Any]) -> bool:
        """Change the job if ``worker`` still holds it running."""
        changed = self.connection.execute(
            update(t.jobs)
            .where(
                jobs.id == job_id,
                jobs.worker == worker,
                jobs.status == JobStatus.RUNNING.value,
            )
            .values(values)
        )
        return bool(changed.rowcount == 1)

    def heartbeat(self, job_id: str, worker: str, now: datetime, done: int | None = None) -> bool:
        values: dict[str, Any] = {"heartbeat_at": naive_utc(now)}
        if done is not None:
            values["done"] = done
        return self._held(job_id, worker, values)

    def finish(
        self,
        job_id: str,
        worker: str,
        now: datetime,
        result: dict[str, Any],
        run_id: int | None = None,
    ) -> bool:
        moment = naive_utc(now)
        return self._held(
            job_id,
            worker,
            {
                "status": JobStatus.DONE.value,
                "done": jobs.total,
                "result": result,
                "run_id": run_id,
                "heartbeat_at": moment,
                "finished_at": moment,
            },
        )

    def fail(self, job_id: str, worker: str, now: datetime, error: str) -> bool:
        moment = naive_utc(now)
        return self._held(
            job_id,
            worker,
            {
                "status": JobStatus.FAILED.value,
                "error": error,
                "heartbeat_at": moment,
                "finished_at": moment,
            },
        )

    def release(self, job_id: str, worker: str) -> bool:
        return self._held(job_id, worker, _requeued(jobs.attempts - 1))

    def reap(self, stale_before: datetime, now: datetime, max_attempts: int) -> list[Job]:
        stale = self.connection.execute(
            select(jobs.id, jobs.attempts).where(
                jobs.status == JobStatus.RUNNING.value,
                jobs.heartbeat_at < naive_utc(stale_before),
            )
        ).all()
        reaped = []
        for job_id, attempts in stale:
            if attempts < max_attempts:
                values = _requeued(jobs.attempts)
            else:
                values = {
                    "status": JobStatus.FAILED.value,
                    "error": stopped_error(attempts),
                    "finished_at": naive_utc(now),
                }
            # Unless its worker beat meanwhile, or another reaper got there first.
            changed = self.connection.execute(
                update(t.jobs)
                .where(
                    jobs.id == job_id,
                    jobs.status == JobStatus.RUNNING.value,
                    jobs.heartbeat_at < naive_utc(stale_before),
                )
                .values(**values)
            )
            if changed.rowcount == 1 and (found := self.get(job_id)) is not None:
                reaped.append(found)
        return reaped

    def prune(self, finished_before: datetime) -> int:
        gone = self.connection.execute(
            delete(t.jobs).where(
                jobs.status.in_([JobStatus.DONE.value, JobStatus.FAILED.value]),
                jobs.finished_at < naive_utc(finished_before),
            )
        )
        return int(gone.rowcount)


def _requeued(attempts: Any) -> dict[str, Any]:
    return {
        "status": JobStatus.QUEUED.value,
        "worker": None,
        "done": 0,
        "attempts": attempts,
        "started_at": None,
        "heartbeat_at": None,
    }


def _values(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "owner": job.owner,
        "kind": job.kind.value,
        "label": job.label,
        "status": job.status.value,
        "total": job.total,
        "done": job.done,
        "payload": job.payload,
        "result": job.result,
        "error": job.error,
        "run_id": job.run_id,
        "attempts": job.attempts,
        "worker": job.worker,
        "created_at": naive_utc(job.created_at),
        "started_at": naive_utc(job.started_at),
        "heartbeat_at": naive_utc(job.heartbeat_at),
        "finished_at": naive_utc(job.finished_at),
    }


def _job(row: RowMapping) -> Job:
    return Job(
        id=row["id"],
        owner=row["owner"],
        kind=JobKind(row["kind"]),
        label=row["label"],
        total=row["total"],
        payload=row["payload"],
        created_at=aware_utc(row["created_at"]),
        status=JobStatus(row["status"]),
        done=row["done"],
        result=row["result"],
        error=row["error"],
        run_id=row["run_id"],
        attempts=row["attempts"],
        worker=row["worker"],
        started_at=aware_utc(row["started_at"]),
        heartbeat_at=aware_utc(row["heartbeat_at"]),
        finished_at=aware_utc(row["finished_at"]),
    )
