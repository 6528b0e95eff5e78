"""Benchmark: background-job throughput through the database queue, against the in-process thread
pool the web app ran jobs on before the queue was stored (same jobs, same run).

JOBS small decision jobs (the US customer-service example, 200 draws each) from USERS users.
Baseline: two threads of this process running the same work directly, with no database (what
``web/jobs.py`` did when jobs lived in one process's memory). Then the queue: the jobs are
submitted through ``services.job_queue`` and run by two job threads of this process (what
``sourcewise serve`` runs by default), then by 1 and 2 ``sourcewise worker`` processes started
beforehand and warmed up with a job each; on SQLite, and on PostgreSQL when
``SOURCEWISE_BENCH_DATABASE_URL`` is set (its schema is recreated). Each figure is from the
first submission to the last job done. Printed: jobs/s and the ratio to the baseline. Run with
``make bench``.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from results import arguments, write

from sourcewise.reports.job_results import perform, scenario_work
from sourcewise.services.governance_store import UowFactory, open_store, upgrade_store
from sourcewise.services.job_queue import find_job, submit_job
from sourcewise.services.job_worker import Worker, WorkerSettings
from sourcewise.services.scenarios import parse_scenario_text
from sourcewise.workspace.jobs import JobKind, JobLimits, JobPayload

JOBS = 40
USERS = 4
DRAWS = 200
ROOT = Path(__file__).resolve().parents[1]
SCENARIO = (ROOT / "examples" / "us-customer-service.yaml").read_text(encoding="utf-8")
LIMITS = JobLimits(max_active=10_000, max_per_user=10_000)
CLI = [sys.executable, "-c", "from sourcewise.cli import main; main()"]


def baseline() -> float:
    """Seconds for JOBS jobs on two threads of this process, no database: each parses its
    scenario (as the request did) and decides it."""

    def job(seed: int) -> None:
        scenario = parse_scenario_text(SCENARIO, "scenario.yaml")
        scenario_work(scenario, "decision", DRAWS, seed)[1](lambda _: None)

    began = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(job, range(JOBS)))
    return time.perf_counter() - began


def submit_all(make_uow: UowFactory, count: int) -> list[str]:
    ids = []
    for n in range(count):
        payload = JobPayload(SCENARIO, "scenario.yaml", DRAWS, n)
        job = submit_job(
            make_uow, f"user{n % USERS}", JobKind.DECISION, "bench", DRAWS + 1, payload, LIMITS
        )
        ids.append(job.id)
    return ids


def wait_done(
    make_uow: UowFactory, ids: list[str], workers: Sequence[subprocess.Popen[bytes]] = ()
) -> None:
    for job_id in ids:
        while True:
            if any(w.poll() is not None for w in workers):
                raise RuntimeError("a worker process stopped: see its log")
            job = find_job(make_uow, job_id, "", admin=True)
            assert job is not None
            if job.status == "failed":
                raise RuntimeError(job.error)
            if job.status == "done":
                break
            time.sleep(0.05)


def in_process(make_uow: UowFactory) -> float:
    """Seconds for JOBS jobs through the queue, run by two job threads of this process."""
    run = functools.partial(perform, make_uow=make_uow)
    worker = Worker(make_uow, run, WorkerSettings(threads=2, poll=0.05))
    worker.start()
    try:
        wait_done(make_uow, submit_all(make_uow, 2))  # warm-up
        began = time.perf_counter()
        wait_done(make_uow, submit_all(make_uow, JOBS))
        return time.perf_counter() - began
    finally:
        worker.stop(30)


def with_processes(url: str, make_uow: UowFactory, count: int, folder: Path) -> float:
    """Seconds for JOBS jobs through the queue, run by ``count`` worker processes."""
    workers = []
    for n in range(count):
        log = (folder / f"worker-{count}-{n}.log").open("wb")
        workers.append(
            subprocess.Popen(
                [*CLI, "worker", "--db", url, "--poll", "0.05"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            )
        )
        log.close()
    try:
        # A job per worker to warm up: both have started, imported and run once.
        wait_done(make_uow, submit_all(make_uow, 2 * count), workers)
        began = time.perf_counter()
        wait_done(make_uow, submit_all(make_uow, JOBS), workers)
        return time.perf_counter() - began
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(30)


def postgres_url() -> str | None:
    url = os.environ.get("SOURCEWISE_BENCH_DATABASE_URL")
    if not url:
        return None
    from sourcewise.storage import migrate
    from sourcewise.storage.database import create_database_engine, normalise_url

    url = normalise_url(url)
    engine = create_database_engine(url)
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    engine.dispose()
    return url


def report(
    label: str, seconds: float, base: float, figures: dict[str, float | int | str], key: str
) -> None:
    """Print a line, and keep its throughput and (but for the baseline's) its ratio."""
    print(
        f"  {label:48} {seconds:6.2f} s  {JOBS / seconds:6.1f} jobs/s  "
        f"{base / seconds:5.2f}× the baseline"
    )
    figures[f"jobs_{key}_per_s"] = round(JOBS / seconds, 2)
    if seconds != base:
        figures[f"jobs_{key}_over_threads"] = round(base / seconds, 3)


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    figures: dict[str, float | int | str] = {"jobs": JOBS, "jobs_draws": DRAWS}
    print(
        f"Job throughput: {JOBS} decision jobs of {DRAWS} draws from {USERS} users, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    baseline()  # warm-up: imports and caches
    base = baseline()
    report("2 threads in this process, no database", base, base, figures, "threads")
    with tempfile.TemporaryDirectory() as folder:
        stores = [("SQLite", f"sqlite:///{folder}/bench.db")]
        upgrade_store(stores[0][1])
        on_postgres = postgres_url()
        if on_postgres is not None:
            stores.append(("PostgreSQL", on_postgres))
        for name, url in stores:
            # Pooled, as a server's: the job threads and this process's polling share it.
            make_uow = open_store(url, pooled=True)
            store = name.lower()
            seconds = in_process(make_uow)
            label = f"{name} queue, 2 job threads in this process"
            report(label, seconds, base, figures, f"{store}_in_process")
            for count in (1, 2):
                seconds = with_processes(url, make_uow, count, Path(folder))
                plural = "es" if count > 1 else ""
                label = f"{name} queue, {count} worker process{plural}"
                report(label, seconds, base, figures, f"{store}_{count}_workers")
    if on_postgres is None:
        print("  PostgreSQL: set SOURCEWISE_BENCH_DATABASE_URL to run the queue on it too")
    write(options.json, figures)


if __name__ == "__main__":
    main()
