"""The queue's pure rules: whose turn it is, the two quotas, the payload a worker reads back,
progress, and the error of a job whose worker kept stopping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sourcewise.workspace.jobs import (
    Job,
    JobKind,
    JobLimits,
    JobPayload,
    JobQuotaError,
    JobsBusyError,
    JobStatus,
    next_in_turn,
    stopped_error,
)

START = datetime(2026, 12, 1, tzinfo=UTC)


def job(job_id: str, owner: str, created: int, **changes: object) -> Job:
    made = Job(job_id, owner, JobKind.DECISION, job_id, 10, {}, START + timedelta(seconds=created))
    return replace(made, **changes)


def test_an_owner_never_started_goes_first_then_who_waited_longest() -> None:
    started = START + timedelta(seconds=50)
    jobs = [
        job("a-done", "ann", 0, status=JobStatus.DONE, started_at=started),
        job("a1", "ann", 1),
        job("b-run", "bob", 2, status=JobStatus.RUNNING, started_at=started - timedelta(1)),
        job("b1", "bob", 3),
        job("c1", "cid", 9),
        job("c0", "cid", 8),
    ]
    first = next_in_turn(jobs)
    assert first is not None
    assert first.id == "c0"  # cid never had a job started; its oldest
    rest = [j for j in jobs if j.owner != "cid"]
    second = next_in_turn(rest)
    assert second is not None
    assert second.id == "b1"  # bob's last start is older than ann's
    assert next_in_turn([j for j in jobs if j.status != JobStatus.QUEUED]) is None


def test_the_quota_names_the_limit_and_the_global_bound_does_not() -> None:
    limits = JobLimits(max_active=3, max_per_user=1)
    limits.check(0, 2)
    with pytest.raises(JobQuotaError, match="at most 1 job queued or running") as quota:
        limits.check(1, 1)
    assert (quota.value.active, quota.value.limit) == (1, 1)
    with pytest.raises(JobsBusyError, match="try again in a moment") as busy:
        limits.check(0, 3)
    assert not isinstance(busy.value, JobQuotaError)


def test_a_payload_round_trips_with_and_without_a_saved_version() -> None:
    plain = JobPayload("text", "s.yaml", 200, 7)
    assert "saved" not in plain.to_json()
    assert JobPayload.from_json(plain.to_json()) == plain
    saved = JobPayload("text", "s.yaml", 200, 7, "Care", 3)
    assert saved.to_json()["saved"] == {"scenario": "Care", "version": 3}
    assert JobPayload.from_json(saved.to_json()) == saved


def test_progress_and_the_error_of_a_worker_that_kept_stopping() -> None:
    running = job("j", "ann", 0, status=JobStatus.RUNNING, done=4)
    assert running.progress == 0.4
    assert running.active
    assert replace(running, status=JobStatus.DONE).progress == 1.0
    assert not replace(running, status=JobStatus.FAILED).active
    assert stopped_error(3) == "the worker running it stopped (3 attempts)"
    assert stopped_error(1) == "the worker running it stopped (1 attempt)"
