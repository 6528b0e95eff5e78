"""Workers: threads that take jobs from the queue and run them, in a ``sourcewise worker``
process or inside a web server (its ``job_workers``).

Each thread loops: now and then reap the jobs whose worker went silent and prune old ones, claim
the next job, run it with a progress callback, finish it or fail it with its error. A heartbeat
thread says every few seconds that this process's running jobs are alive, so that a long step
without progress (the decision after the draws) is not taken for a dead worker. ``stop()``
lets a job in its last step finish and gives the others back to the queue at their next
progress report, without counting the attempt; a worker killed outright leaves its jobs to be
reaped once their heartbeat is ``stale_after`` seconds old.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sourcewise.services.governance_store import UowFactory
from sourcewise.services.job_queue import (
    KEEP_SECONDS,
    STALE_SECONDS,
    JobLostError,
    ProgressReport,
    claim_job,
    fail_job,
    finish_job,
    prune_finished,
    reap_stale,
    release_job,
)
from sourcewise.services.job_work import Perform
from sourcewise.workspace.jobs import MAX_ATTEMPTS, Job

log = logging.getLogger("sourcewise.worker")

PRUNE_EVERY = 60.0
"""Seconds between two prunings of finished jobs by one worker process."""


class StoppingError(Exception):
    """Raised into a job's computation when its worker is stopping: the job goes back."""


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    threads: int = 1
    """Jobs run at once by this process."""
    poll: float = 1.0
    """Seconds an idle thread waits before looking at the queue again (a submission in the same
    process wakes it at once)."""
    stale_after: float = STALE_SECONDS
    max_attempts: int = MAX_ATTEMPTS
    keep_seconds: float = KEEP_SECONDS

    @property
    def beat_every(self) -> float:
        """Three heartbeats fit in the stale timeout, so one late beat is not a death."""
        return min(5.0, self.stale_after / 3)


@dataclass(slots=True)
class Tally:
    done: int = 0
    failed: int = 0
    released: int = 0
    lost: int = 0
    reaped: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, count: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + count)


class Worker:
    """``settings.threads`` threads running jobs from the queue at ``make_uow``, each computed
    by ``perform`` (``reports.job_results.perform`` bound to the store and an executor)."""

    def __init__(
        self,
        make_uow: UowFactory,
        perform: Perform,
        settings: WorkerSettings | None = None,
        *,
        name: str | None = None,
    ) -> None:
        self.make_uow = make_uow
        self.settings = settings or WorkerSettings()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.tally = Tally()
        self._perform = perform
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._running: dict[str, ProgressReport] = {}
        """The progress of each job running here, by id, for the heartbeat thread."""
        self._threads: list[threading.Thread] = []
        self._house_lock = threading.Lock()
        self._next_reap = 0.0
        self._next_prune = 0.0

    def start(self, once: bool = False, daemon: bool = True) -> None:
        """Start the threads; with ``once`` each ends when it finds the queue empty."""
        if self._threads:
            return
        for index in range(self.settings.threads):
            thread = threading.Thread(
                target=self._loop,
                args=(f"{self.name}:{index}", once),
                name=f"sw-job-{index}",
                daemon=daemon,
            )
            self._threads.append(thread)
        beat = threading.Thread(target=self._beat, name="sw-job-heartbeat", daemon=True)
        for thread in self._threads:
            thread.start()
        beat.start()

    def wake(self) -> None:
        """A job was just submitted: idle threads look now instead of at their next poll."""
        self._wake.set()

    def request_stop(self) -> None:
        """Ask every thread to stop (safe in a signal handler: it only sets events)."""
        self._stop.set()
        self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Ask every thread to stop, and wait up to ``timeout`` seconds for them."""
        self.request_stop()
        self.join(timeout)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the threads to end; whether they all did."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            thread.join(left)
        return not any(t.is_alive() for t in self._threads)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _loop(self, worker: str, once: bool) -> None:
        while not self._stop.is_set():
            try:
                self._housekeeping()
                job = claim_job(self.make_uow, worker)
            except Exception:  # the database may be away for a moment: try again later
                log.exception("%s: cannot reach the job queue", worker)
                self._stop.wait(self.settings.poll)
                continue
            if job is None:
                if once:
                    return
                self._wake.wait(self.settings.poll)
                self._wake.clear()
                continue
            self._run(job, worker)

    def _run(self, job: Job, worker: str) -> None:
        log.info("%s: started %s (%s), attempt %d", worker, job.id, job.label, job.attempts)
        began = time.monotonic()
        report = ProgressReport(self.make_uow, job, worker)
        self._running[job.id] = report

        def progress(count: int) -> None:
            if self._stop.is_set():
                raise StoppingError
            report(count)

        try:
            outcome = self._perform(job, progress)
        except StoppingError:
            self._settle(
                job, worker, "released", lambda: release_job(self.make_uow, job.id, worker)
            )
        except JobLostError:
            self.tally.add("lost")
            log.warning("%s: %s was given to another worker meanwhile", worker, job.id)
        except Exception as error:  # reported on the job, not lost in a worker thread
            message = f"{type(error).__name__}: {error}"
            self._settle(
                job, worker, "failed", lambda: fail_job(self.make_uow, job.id, worker, message)
            )
        else:
            self._settle(
                job,
                worker,
                "done",
                lambda: finish_job(self.make_uow, job.id, worker, outcome.result, outcome.run_id),
            )
            log.info("%s: finished %s in %.1f s", worker, job.id, time.monotonic() - began)
        finally:
            self._running.pop(job.id, None)

    def _settle(self, job: Job, worker: str, kind: str, write: Callable[[], bool]) -> None:
        """Store how the job ended, if it is still this worker's."""
        try:
            held = write()
        except Exception:  # left running: reaped and run again once its heartbeat is stale
            log.exception("%s: cannot store the end of %s", worker, job.id)
            return
        self.tally.add(kind if held else "lost")

    def _housekeeping(self) -> None:
        """Reap stale jobs (every half stale timeout) and prune old ones, by one thread."""
        if not self._house_lock.acquire(blocking=False):
            return
        try:
            moment = time.monotonic()
            if moment >= self._next_reap:
                self._next_reap = moment + self.settings.stale_after / 2
                for job in reap_stale(
                    self.make_uow, self.settings.stale_after, self.settings.max_attempts
                ):
                    self.tally.add("reaped")
                    log.warning("%s: its worker stopped: %s", job.id, job.error or "queued again")
            if moment >= self._next_prune:
                self._next_prune = moment + PRUNE_EVERY
                prune_finished(self.make_uow, self.settings.keep_seconds)
        finally:
            self._house_lock.release()

    def _beat(self) -> None:
        while not self._stop.wait(self.settings.beat_every):
            for job_id, report in list(self._running.items()):
                try:
                    report.beat()
                except Exception:
                    log.exception("%s: heartbeat of %s not stored", report.worker, job_id)
            if self._threads and not any(t.is_alive() for t in self._threads):
                return
