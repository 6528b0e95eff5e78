"""Two servers and a separate worker process on one fresh PostgreSQL database, as the web tier
runs scaled out: a decision job submitted to server A is run by the worker and followed, with
its progress, through server B; then a worker killed outright (SIGKILL) in the middle of a job
leaves it running with a stale heartbeat, and the next worker queues it again and finishes it:
the job is never lost nor stuck.

Every process is started with the ``sourcewise`` command line, as an operator would (the
servers with ``--job-threads 0``, so only the worker runs jobs).
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from reliability_support import ROOT
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from sourcewise.storage import tables

pytestmark = [pytest.mark.reliability, pytest.mark.postgres, pytest.mark.slow]

POSTGRES_URL = os.environ.get("SOURCEWISE_TEST_DATABASE_URL")
CLI = [sys.executable, "-c", "from sourcewise.cli import main; main()"]
SCENARIO = (ROOT / "examples" / "us-customer-service.yaml").read_text(encoding="utf-8")
PASSWORD = "correct horse battery"
DRAWS = 100_000
"""A few seconds of work, reported in 10 chunks of draws: time to see it move and to kill it."""
STALE = "3"


@pytest.fixture
def database() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    if not POSTGRES_URL:
        if os.environ.get("SOURCEWISE_REQUIRE_POSTGRES") == "1":
            pytest.fail("SOURCEWISE_TEST_DATABASE_URL is required")
        pytest.skip("SOURCEWISE_TEST_DATABASE_URL is not set")
    name = f"sourcewise_scale_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def command(*args: str) -> str:
    done = subprocess.run([*CLI, *args], capture_output=True, text=True, env=_environment())
    assert done.returncode == 0, done.stderr
    return done.stdout


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Processes:
    """The servers and workers the test starts, each logging to its own file; all stopped at
    the end, whatever happened."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [*CLI, *args], stdout=log, stderr=subprocess.STDOUT, env=_environment()
        )
        log.close()
        self.started[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop_all(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                process.terminate()
        for process in self.started.values():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    found = Processes(tmp_path)
    yield found
    found.stop_all()


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def serving(base: str) -> bool:
    try:
        return httpx2.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx2.HTTPError:
        return False


class Api:
    """The job API of one server, as the user with ``token``."""

    def __init__(self, base: str, token: str) -> None:
        self.http = httpx2.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def submit(self) -> str:
        created = self.http.post(
            "/api/v1/jobs",
            params={"kind": "decision", "draws": DRAWS, "seed": 7},
            content=SCENARIO,
            headers={"content-type": "application/yaml"},
        )
        assert created.status_code == 202, created.text
        job_id: str = created.json()["id"]
        return job_id

    def job(self, job_id: str) -> dict[str, Any]:
        answer = self.http.get(f"/api/v1/jobs/{job_id}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


def follow(api: Api, job_id: str, seconds: float) -> tuple[dict[str, Any], list[float]]:
    """Poll the job until it has finished: its last state and every progress seen running."""
    seen: list[float] = []
    deadline = time.monotonic() + seconds
    while True:
        job = api.job(job_id)
        if job["status"] == "running":
            seen.append(job["progress"])
        if job["status"] in ("done", "failed"):
            return job, seen
        assert time.monotonic() < deadline, f"job stuck: {job['status']} {job['progress']}"
        time.sleep(0.2)


def attempts_of(url: str, job_id: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = connection.execute(
                select(tables.jobs.c.attempts).where(tables.jobs.c.id == job_id)
            ).scalar_one()
        return int(found)
    finally:
        engine.dispose()


def test_two_servers_and_a_worker_share_the_queue_and_survive_a_killed_worker(
    database: str, processes: Processes
) -> None:
    command("db", "upgrade", "--db", database)
    command("user", "add", "ana", "--role", "analyst", "--password", PASSWORD, "--db", database)
    token = command("user", "token", "ana", "--name", "scale test", "--db", database).strip()
    ports = free_port(), free_port()
    for name, port in zip(("server-a", "server-b"), ports, strict=True):
        processes.start(name, "serve", "--port", str(port), "--job-threads", "0", "--db", database)
    worker_args = ("worker", "--db", database, "--poll", "0.2", "--stale-after", STALE)
    first_worker = processes.start("worker-1", *worker_args)
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    for base, name in ((a, "server-a"), (b, "server-b")):
        wait_until(lambda base=base: serving(base), 60, f"{name}: {processes.log(name)}")
    with Api(a, token) as on_a, Api(b, token) as on_b:
        # A job submitted to A is run by the worker; B shows it moving, then its result.
        first = on_a.submit()
        done, seen = follow(on_b, first, 120)
        assert done["status"] == "done", done["error"]
        assert any(0 < p < 1 for p in seen), f"no progress seen between 0 and 1: {seen}"
        assert seen == sorted(seen)
        assert done["result"]["simulation"] == {"draws": DRAWS, "seed": 7}
        assert attempts_of(database, first) == 1

        # A worker killed in the middle of a job: the job stays running until its heartbeat is
        # stale, then the next worker queues it again, runs it and finishes it.
        second = on_a.submit()
        wait_until(lambda: 0 < on_b.job(second)["progress"] < 0.5, 60, "the second job to start")
        first_worker.send_signal(signal.SIGKILL)
        first_worker.wait(10)
        assert on_b.job(second)["status"] == "running"  # nobody has noticed yet
        processes.start("worker-2", *worker_args)
        again, _ = follow(on_b, second, 120)
        assert again["status"] == "done", (again["error"], processes.log("worker-2"))
        assert again["result"] == done["result"]  # the same scenario and seed, the same decision
        assert attempts_of(database, second) == 2
    assert "its worker stopped" in processes.log("worker-2")
