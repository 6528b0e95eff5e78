"""Workers on the in-memory twin: jobs run to done or failed, progress stored while they run, a
stopping worker gives its job back, a silent worker's job is run again and failed after its
attempts, and a saved scenario version runs through ``run_saved`` (a fake here)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from sourcewise.reports.job_results import perform
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.job_queue import claim_job, find_job, reap_stale, submit_job
from sourcewise.services.job_work import Outcome, Progress
from sourcewise.services.job_worker import Worker, WorkerSettings
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.workspace.jobs import Job, JobKind, JobLimits, JobPayload, JobStatus

LIMITS = JobLimits(max_active=20, max_per_user=20)
FAST = WorkerSettings(threads=1, poll=0.02, stale_after=0.3)


@pytest.fixture
def make_uow() -> UowFactory:
    store = MemoryUnitOfWork()
    return lambda: store


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """Workers the test starts; each is stopped at the end, whatever happened."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop(5)


def submit(make_uow: UowFactory, label: str = "job", owner: str = "ann") -> Job:
    payload = JobPayload("text", "s.yaml", 100, 7)
    return submit_job(make_uow, owner, JobKind.DECISION, label, 100, payload, LIMITS)


def state(make_uow: UowFactory, job: Job) -> Job:
    found = find_job(make_uow, job.id, "", admin=True)
    assert found is not None
    return found


def wait_for(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def start(
    workers: list[Worker],
    make_uow: UowFactory,
    run: Callable[[Job, Progress], Outcome],
    settings: WorkerSettings = FAST,
) -> Worker:
    worker = Worker(make_uow, run, settings, name="test")
    workers.append(worker)
    worker.start()
    return worker


def test_jobs_run_to_done_or_failed_with_their_error(
    make_uow: UowFactory, workers: list[Worker]
) -> None:
    def run(job: Job, progress: Progress) -> Outcome:
        if job.label == "bad":
            raise ValueError("no such site")
        progress(100)
        return Outcome({"label": job.label})

    good, bad = submit(make_uow, "good"), submit(make_uow, "bad")
    worker = start(workers, make_uow, run)
    wait_for(lambda: not state(make_uow, bad).active and not state(make_uow, good).active)
    done = state(make_uow, good)
    assert (done.status, done.result, done.progress, done.attempts) == (
        JobStatus.DONE,
        {"label": "good"},
        1.0,
        1,
    )
    failed = state(make_uow, bad)
    assert (failed.status, failed.error) == (JobStatus.FAILED, "ValueError: no such site")
    assert (worker.tally.done, worker.tally.failed) == (1, 1)


class Gate:
    """Work that reports progress, then waits until the test opens the gate."""

    def __init__(self, report: int = 40) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.report = report

    def __call__(self, job: Job, progress: Progress) -> Outcome:
        progress(self.report)
        self.entered.set()
        while not self.open.wait(0.01):
            progress(0)  # a chance to be stopped, as each chunk of draws gives
        return Outcome({"ok": True})


def test_progress_is_stored_while_the_job_runs(make_uow: UowFactory, workers: list[Worker]) -> None:
    gate = Gate(report=40)
    job = submit(make_uow)
    start(workers, make_uow, gate)
    assert gate.entered.wait(5)
    running = state(make_uow, job)
    assert (running.status, running.progress, running.worker) == (
        JobStatus.RUNNING,
        0.4,
        "test:0",
    )
    gate.open.set()
    wait_for(lambda: state(make_uow, job).status == JobStatus.DONE)


def test_a_stopping_worker_gives_its_job_back_uncounted(
    make_uow: UowFactory, workers: list[Worker]
) -> None:
    gate = Gate()
    job = submit(make_uow)
    worker = start(workers, make_uow, gate)
    assert gate.entered.wait(5)
    worker.stop(5)
    assert worker.join(0)
    released = state(make_uow, job)
    assert (released.status, released.attempts, released.worker) == (JobStatus.QUEUED, 0, None)
    assert worker.tally.released == 1
    # Another worker takes it from the start.
    gate.open.set()
    start(workers, make_uow, gate)
    wait_for(lambda: state(make_uow, job).status == JobStatus.DONE)
    assert state(make_uow, job).attempts == 1


def test_a_silent_workers_job_is_run_again(make_uow: UowFactory, workers: list[Worker]) -> None:
    job = submit(make_uow)
    assert claim_job(make_uow, "ghost") is not None  # a worker that then dies: no heartbeat
    start(workers, make_uow, lambda job, progress: Outcome({"ok": True}))
    wait_for(lambda: state(make_uow, job).status == JobStatus.DONE)
    assert state(make_uow, job).attempts == 2


def test_a_job_whose_worker_keeps_stopping_fails_after_its_attempts(
    make_uow: UowFactory, workers: list[Worker]
) -> None:
    job = submit(make_uow)
    for n in range(2):
        assert claim_job(make_uow, f"ghost{n}") is not None
        (reaped,) = reap_stale(make_uow, stale_after=-1)  # its worker went silent
        assert reaped.status == JobStatus.QUEUED
    assert claim_job(make_uow, "ghost2") is not None
    assert state(make_uow, job).attempts == 3
    worker = start(workers, make_uow, lambda job, progress: Outcome({"ok": True}))
    wait_for(lambda: state(make_uow, job).status == JobStatus.FAILED)
    assert state(make_uow, job).error == "the worker running it stopped (3 attempts)"
    assert worker.tally.reaped == 1


def test_once_runs_until_the_queue_is_empty(make_uow: UowFactory) -> None:
    jobs = [submit(make_uow, f"j{n}", owner=f"user{n % 3}") for n in range(6)]
    worker = Worker(make_uow, lambda job, progress: Outcome({"n": job.label}), FAST)
    worker.start(once=True)
    assert worker.join(10)
    assert [state(make_uow, j).result for j in jobs] == [{"n": f"j{n}"} for n in range(6)]


@dataclass(frozen=True)
class FakeRun:
    id: int
    result: dict[str, Any]


def test_a_saved_version_runs_through_run_saved_and_keeps_the_run(
    make_uow: UowFactory, workers: list[Worker]
) -> None:
    asked: list[dict[str, Any]] = []

    def run_saved(
        make: UowFactory,
        name: str,
        version: int,
        *,
        draws: int,
        seed: int,
        progress: Progress,
        actor: str,
    ) -> FakeRun:
        asked.append({"name": name, "version": version, "draws": draws, "seed": seed})
        asked[-1]["actor"] = actor
        progress(draws)
        return FakeRun(17, {"decision": {"functions": []}, "simulation": None})

    payload = JobPayload("text", "Care v2", 300, 5, saved_scenario="Care", saved_version=2)
    job = submit_job(make_uow, "ann", JobKind.DECISION, "Care v2", 301, payload, LIMITS)

    def run(job: Job, progress: Progress) -> Outcome:
        return perform(job, progress, make_uow=make_uow, run_saved=run_saved)

    start(workers, make_uow, run)
    wait_for(lambda: state(make_uow, job).status == JobStatus.DONE)
    done = state(make_uow, job)
    # The run is the durable record of the result; the job only points to it.
    assert (done.run_id, done.result) == (17, {"run_id": 17})
    assert asked == [{"name": "Care", "version": 2, "draws": 300, "seed": 5, "actor": "ann"}]


def test_a_job_computes_the_decision_of_its_scenario(examples_dir: Any) -> None:
    text = (examples_dir / "us-customer-service.yaml").read_text(encoding="utf-8")
    payload = JobPayload(text, "us-customer-service.yaml", 200, 7).to_json()
    from datetime import UTC, datetime

    job = Job("j", "ann", JobKind.SIMULATION, "sim", 200, payload, datetime.now(UTC))
    counted: list[int] = []
    outcome = perform(job, counted.append, make_uow=MemoryUnitOfWork)
    assert outcome.run_id is None
    assert set(outcome.result) == {"simulation"}
    assert outcome.result["simulation"]["simulation"] == {"draws": 200, "seed": 7}
    assert sum(counted) == 200
