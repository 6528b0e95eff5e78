"""`sourcewise serve --workers 2`: two server processes on one port, each building the app from
the settings the command puts in the environment; on SQLite it warns what sharing the file
means. A job submitted to either is run by a job thread of one of them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.services.governance_store import open_store, upgrade_store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from sourcewise.cli import main; main()"]
SCENARIO = (ROOT / "examples" / "us-customer-service.yaml").read_text(encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_two_server_processes_share_the_port_and_run_jobs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    upgrade_store(url)
    make_uow = open_store(url)
    add_user(make_uow, "ana", "correct horse battery", Role.ANALYST)
    token = create_token(make_uow, "ana", "serve test")
    port = free_port()
    log = tmp_path / "serve.log"
    serve = ["serve", "--db", url, "--port", str(port), "--workers", "2", "--job-threads", "1"]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*CLI, *serve],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx2.Client(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx2.HTTPError:
                    pass
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            auth = {"Authorization": f"Bearer {token}"}
            created = http.post(
                "/api/v1/jobs",
                params={"kind": "simulation", "draws": 500},
                content=SCENARIO,
                headers={**auth, "content-type": "application/yaml"},
            )
            assert created.status_code == 202, created.text
            while (job := http.get(created.json()["url"], headers=auth).json())["status"] in (
                "queued",
                "running",
            ):
                assert time.monotonic() < deadline + 60, log.read_text()
                time.sleep(0.2)
            assert job["status"] == "done", job["error"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
    printed = log.read_text()
    assert "warning: 2 server processes share the SQLite database" in printed
    assert printed.count("Application startup complete") == 2
