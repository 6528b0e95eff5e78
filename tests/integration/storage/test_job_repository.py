"""The job queue's contract on the in-memory twin, SQLite and PostgreSQL: quotas counted with
the insert, whose turn it is, claims that two workers never share, writes only by the worker
holding a job, stale jobs queued again or failed after their attempts, old ones pruned."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pytest

from sourcewise.services.governance_store import UowFactory
from sourcewise.workspace.jobs import (
    Job,
    JobKind,
    JobLimits,
    JobPayload,
    JobQuotaError,
    JobsBusyError,
    JobStatus,
)

T = TypeVar("T")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PAYLOAD = JobPayload("company: {}", "scenario.yaml", 200, 7).to_json()
ROOMY = JobLimits(max_active=1000, max_per_user=1000)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def job(job_id: str, owner: str = "ann", created: float = 0.0) -> Job:
    return Job(
        id=job_id,
        owner=owner,
        kind=JobKind.DECISION,
        label=f"{owner}'s {job_id}",
        total=400,
        payload=PAYLOAD,
        created_at=at(created),
    )


def writing(make_uow: UowFactory, act: Callable[..., T]) -> T:
    """``act(uow)`` in one unit begun for writing, committed."""
    with make_uow().for_writing() as uow:
        found = act(uow)
        uow.commit()
    return found


def submit(make_uow: UowFactory, new: Job, limits: JobLimits = ROOMY) -> None:
    writing(make_uow, lambda uow: uow.jobs.submit(new, limits))


def claim(make_uow: UowFactory, worker: str, when: float) -> Job | None:
    return writing(make_uow, lambda uow: uow.jobs.claim(worker, at(when)))


def get(make_uow: UowFactory, job_id: str) -> Job:
    with make_uow() as uow:
        found = uow.jobs.get(job_id)
    assert found is not None
    return found


def test_a_job_round_trips_with_its_payload_and_times_in_utc(make_uow: UowFactory) -> None:
    submit(make_uow, job("j1"))
    stored = get(make_uow, "j1")
    assert stored == job("j1")
    assert stored.created_at.tzinfo is not None
    assert JobPayload.from_json(stored.payload) == JobPayload(
        "company: {}", "scenario.yaml", 200, 7
    )
    with make_uow() as uow:
        assert uow.jobs.get("nope") is None


def test_the_quotas_count_active_jobs_per_user_and_in_all(make_uow: UowFactory) -> None:
    limits = JobLimits(max_active=3, max_per_user=2)
    submit(make_uow, job("a1"), limits)
    submit(make_uow, job("a2"), limits)
    with pytest.raises(JobQuotaError) as refused:
        submit(make_uow, job("a3"), limits)
    assert (refused.value.active, refused.value.limit) == (2, 2)
    submit(make_uow, job("b1", "bob"), limits)
    with pytest.raises(JobsBusyError) as busy:
        submit(make_uow, job("c1", "cid"), limits)
    assert not isinstance(busy.value, JobQuotaError)
    with make_uow() as uow:
        assert uow.jobs.get("a3") is None  # nothing of a refused job is stored
    # A finished job frees its owner's place.
    claimed = claim(make_uow, "w", 1)
    assert claimed is not None
    writing(make_uow, lambda uow: uow.jobs.finish(claimed.id, "w", at(2), {"ok": True}))
    submit(make_uow, job("c1", "cid"), limits)


def test_queued_jobs_take_turns_across_owners(make_uow: UowFactory) -> None:
    """The oldest job of the owner whose last job started longest ago (never first): one
    owner's backlog delays another's job by one of theirs at most."""
    submit(make_uow, job("x", "someone", created=0))
    first = claim(make_uow, "w", 1)
    assert first is not None
    assert first.id == "x"
    for n, (job_id, owner) in enumerate([("a1", "ann"), ("a2", "ann"), ("a3", "ann")]):
        submit(make_uow, job(job_id, owner, created=2 + n))
    submit(make_uow, job("b1", "bob", created=6))
    submit(make_uow, job("x2", "someone", created=7))
    with make_uow() as uow:
        assert uow.jobs.queued() == 5
    order = []
    for step in range(6):
        found = claim(make_uow, "w", 10 + step)
        order.append(None if found is None else found.id)
    assert order == ["a1", "b1", "x2", "a2", "a3", None]


def test_a_claim_starts_an_attempt_and_only_its_worker_writes(make_uow: UowFactory) -> None:
    submit(make_uow, job("j1"))
    claimed = claim(make_uow, "w1", 5)
    assert claimed is not None
    assert (claimed.status, claimed.worker, claimed.attempts) == (JobStatus.RUNNING, "w1", 1)
    assert claimed.started_at == claimed.heartbeat_at == at(5)
    assert claim(make_uow, "w2", 6) is None  # nothing else is queued
    with make_uow() as uow:
        assert uow.jobs.queued() == 0

    def beat(worker: str, done: int) -> bool:
        return writing(make_uow, lambda uow: uow.jobs.heartbeat("j1", worker, at(7), done))

    assert not beat("w2", 300)
    assert beat("w1", 100)
    assert (get(make_uow, "j1").done, get(make_uow, "j1").heartbeat_at) == (100, at(7))
    assert get(make_uow, "j1").progress == 0.25
    assert not writing(make_uow, lambda uow: uow.jobs.fail("j1", "w2", at(8), "no"))
    result = {"decision": {"functions": [1, 2]}, "simulation": None}
    assert writing(make_uow, lambda uow: uow.jobs.finish("j1", "w1", at(9), result))
    done = get(make_uow, "j1")
    assert (done.status, done.done, done.result, done.finished_at) == (
        JobStatus.DONE,
        400,
        result,
        at(9),
    )
    assert done.progress == 1.0
    # A finished job takes no more writes, not even from its worker.
    assert not writing(make_uow, lambda uow: uow.jobs.fail("j1", "w1", at(10), "late"))
    assert not writing(make_uow, lambda uow: uow.jobs.release("j1", "w1"))


def test_a_failed_job_keeps_its_error(make_uow: UowFactory) -> None:
    submit(make_uow, job("j1"))
    assert claim(make_uow, "w", 1) is not None
    assert writing(make_uow, lambda uow: uow.jobs.fail("j1", "w", at(2), "ValueError: bad"))
    failed = get(make_uow, "j1")
    assert (failed.status, failed.error, failed.finished_at) == (
        JobStatus.FAILED,
        "ValueError: bad",
        at(2),
    )


def test_a_released_job_is_queued_again_without_counting_the_attempt(
    make_uow: UowFactory,
) -> None:
    submit(make_uow, job("j1"))
    assert claim(make_uow, "w1", 1) is not None
    writing(make_uow, lambda uow: uow.jobs.heartbeat("j1", "w1", at(2), 50))
    assert writing(make_uow, lambda uow: uow.jobs.release("j1", "w1"))
    released = get(make_uow, "j1")
    assert (released.status, released.attempts, released.done, released.worker) == (
        JobStatus.QUEUED,
        0,
        0,
        None,
    )
    again = claim(make_uow, "w2", 3)
    assert again is not None
    assert (again.id, again.attempts) == ("j1", 1)


def test_stale_jobs_are_retried_then_failed_after_their_attempts(make_uow: UowFactory) -> None:
    submit(make_uow, job("j1"))
    submit(make_uow, job("fresh", "bob", created=1))
    assert claim(make_uow, "w0", 0) is not None  # j1, the oldest

    def reap(now: float) -> list[Job]:
        return writing(make_uow, lambda uow: uow.jobs.reap(at(now - 30), at(now), 3))

    for attempt in (1, 2, 3):
        running = get(make_uow, "j1")
        assert (running.status, running.attempts) == (JobStatus.RUNNING, attempt)
        started = 100.0 * attempt
        # Another job running with a recent heartbeat is never reaped.
        if attempt == 1:
            assert claim(make_uow, "w9", started) is not None
        writing(make_uow, lambda uow, s=started: uow.jobs.heartbeat("fresh", "w9", at(s + 35)))
        (reaped,) = reap(started + 40)
        assert reaped.id == "j1"
        assert get(make_uow, "fresh").status == JobStatus.RUNNING
        if attempt < 3:
            assert (reaped.status, reaped.attempts, reaped.worker) == (
                JobStatus.QUEUED,
                attempt,
                None,
            )
            again = claim(make_uow, f"w{attempt}", started + 50)
            assert again is not None
            assert again.id == "j1"
    failed = get(make_uow, "j1")
    assert failed.status == JobStatus.FAILED
    assert failed.error == "the worker running it stopped (3 attempts)"
    assert "j1" not in {j.id for j in reap(500)}
    # The worker that went silent cannot finish it any more.
    assert not writing(make_uow, lambda uow: uow.jobs.finish("j1", "w2", at(501), {}))


def test_old_finished_jobs_are_pruned_and_active_ones_never(make_uow: UowFactory) -> None:
    for job_id in ("old", "recent", "running"):  # claimed in this order: same time, by id
        submit(make_uow, job(job_id))
    for job_id, finished in (("old", 10), ("recent", 100)):
        claimed = claim(make_uow, f"w-{job_id}", finished - 1)
        assert claimed is not None
        assert claimed.id == job_id
        writing(make_uow, lambda uow, c=claimed, f=finished: uow.jobs.finish(
            c.id, c.worker, at(f), {}
        ))  # fmt: skip
    assert claim(make_uow, "w", 200) is not None
    submit(make_uow, job("queued", "bob", created=300))
    assert writing(make_uow, lambda uow: uow.jobs.prune(at(50))) == 1
    with make_uow() as uow:
        left = {j: uow.jobs.get(j) is not None for j in ("old", "recent", "running", "queued")}
    assert left == {"old": False, "recent": True, "running": True, "queued": True}


def test_two_claimers_never_get_the_same_job(make_uow: UowFactory) -> None:
    jobs = [job(f"j{n:02}", f"user{n % 5}", created=n) for n in range(30)]
    for new in jobs:
        submit(make_uow, new)
    claimed: dict[str, list[str]] = {}
    errors: list[BaseException] = []
    ready = threading.Barrier(6)

    def claimer(name: str) -> None:
        mine: list[str] = []
        try:
            ready.wait()
            while (found := claim(make_uow, name, 1)) is not None:
                mine.append(found.id)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        claimed[name] = mine

    threads = [threading.Thread(target=claimer, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    every = [job_id for ids in claimed.values() for job_id in ids]
    assert sorted(every) == sorted(j.id for j in jobs)  # each once, none twice
    for name, ids in claimed.items():
        assert all(get(make_uow, job_id).worker == name for job_id in ids)


def test_concurrent_submissions_never_pass_the_quota_together(make_uow: UowFactory) -> None:
    limits = JobLimits(max_active=5, max_per_user=3)
    outcomes: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(16)

    def submitter(n: int) -> None:
        ready.wait()
        try:
            submit(make_uow, job(f"s{n}", "ann" if n < 8 else f"other{n}", created=n), limits)
            outcome = "stored"
        except JobQuotaError:
            outcome = "quota"
        except JobsBusyError:
            outcome = "busy"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=submitter, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes.count("stored") == 5
    with make_uow() as uow:
        stored = [uow.jobs.get(f"s{n}") for n in range(16)]
    owners = [j.owner for j in stored if j is not None]
    assert owners.count("ann") <= 3
    assert len(owners) == 5
