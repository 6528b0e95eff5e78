"""The job queue's use cases on the in-memory twin: who may read a job, and progress stored at a
bounded rate that says when the job was taken away."""

from __future__ import annotations

import pytest

from sourcewise.services.job_queue import (
    JobLostError,
    ProgressReport,
    claim_job,
    find_job,
    reap_stale,
    submit_job,
)
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.workspace.jobs import JobKind, JobLimits, JobPayload, JobStatus

PAYLOAD = JobPayload("text", "s.yaml", 100, 1)
LIMITS = JobLimits(max_active=8, max_per_user=2)


@pytest.fixture
def store() -> MemoryUnitOfWork:
    return MemoryUnitOfWork()


def test_a_job_is_read_back_by_its_owner_and_admins_only(store: MemoryUnitOfWork) -> None:
    make = lambda: store  # noqa: E731
    job = submit_job(make, "ann", JobKind.SIMULATION, "label", 100, PAYLOAD, LIMITS)
    assert job.status == JobStatus.QUEUED
    assert len(job.id) >= 16  # not guessable from another user's
    assert find_job(make, job.id, "ann") == job
    assert find_job(make, job.id, "bob") is None
    assert find_job(make, job.id, "bob", admin=True) == job
    assert find_job(make, "nope", "ann") is None


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_is_stored_at_once_then_at_most_every_interval(store: MemoryUnitOfWork) -> None:
    make = lambda: store  # noqa: E731
    job = submit_job(make, "ann", JobKind.DECISION, "label", 100, PAYLOAD, LIMITS)
    claimed = claim_job(make, "w")
    assert claimed is not None
    clock = Clock()
    report = ProgressReport(make, claimed, "w", interval=0.25, clock=clock)
    writes = store.commits

    def stored() -> int:
        found = find_job(make, job.id, "ann")
        assert found is not None
        return found.done

    report(10)
    assert stored() == 10  # the first report at once: the bar moves from the start
    clock.now = 0.1
    report(10)
    assert stored() == 10
    clock.now = 0.3
    report(5)
    assert stored() == 25
    clock.now = 0.35
    report(5)
    assert report.beat()  # the heartbeat stores what throttling held back
    assert stored() == 30
    assert store.commits - writes == 3


def test_progress_of_a_job_taken_away_stops_the_work(store: MemoryUnitOfWork) -> None:
    make = lambda: store  # noqa: E731
    submit_job(make, "ann", JobKind.DECISION, "label", 100, PAYLOAD, LIMITS)
    claimed = claim_job(make, "w")
    assert claimed is not None
    clock = Clock()
    report = ProgressReport(make, claimed, "w", clock=clock)
    report(1)
    (reaped,) = reap_stale(make, stale_after=-1)  # its worker taken for dead
    assert reaped.status == JobStatus.QUEUED
    clock.now = 1.0
    with pytest.raises(JobLostError):
        report(1)
    assert not report.beat()


def test_a_long_label_is_cut_to_what_the_table_holds(store: MemoryUnitOfWork) -> None:
    make = lambda: store  # noqa: E731
    job = submit_job(make, "ann", JobKind.DECISION, "x" * 500, 100, PAYLOAD, LIMITS)
    assert job.label == "x" * 300
