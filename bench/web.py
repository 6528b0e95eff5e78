"""Benchmark: web latency under 50 concurrent clients, against a trivial endpoint, same run.

A uvicorn server (one process, as ``sourcewise serve`` runs it) over a SQLite file loaded with
the example governance data; 50 client threads, each with its own keep-alive connection and an
API token, request one endpoint for a fixed time. Printed per endpoint: requests/s and latency
p50/p95/p99, and the p50 as a ratio of the trivial endpoint's (``/healthz``: no database, no
template). With ``SOURCEWISE_BENCH_DATABASE_URL`` set (its schema is recreated), the same data
on PostgreSQL, served with the server's connection pool and, as the baseline, with a new
connection per unit of work (NullPool, what commands use). Run with ``make bench``.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx2
import numpy as np
import uvicorn
from fastapi import FastAPI

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.services.costs import add_costs
from sourcewise.services.engagements import add_engagement
from sourcewise.services.governance_store import open_store, upgrade_store
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.storage.database import POOL_OVERFLOW, POOL_SIZE, normalise_url
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

CLIENTS = 50
SECONDS = 8.0
ROOT = Path(__file__).resolve().parents[1]
GOVERNANCE = ROOT / "examples" / "governance"
ENGAGEMENT = "Customer service Monterrey"
ENDPOINTS = {
    "/healthz (baseline)": "/healthz",
    "engagement list (API)": "/api/v1/engagements",
    "SLA month (API)": f"/api/v1/engagements/{ENGAGEMENT}/sla?month=2026-10",
    "location ranking (API)": "/api/v1/locations?home=US&limit=20",
    "dashboard (page)": "/",
}


def load(url: str) -> str:
    if url.startswith("postgresql"):
        from sourcewise.storage import migrate
        from sourcewise.storage.database import create_database_engine

        engine = create_database_engine(url)
        migrate.downgrade(engine, "base")
        engine.dispose()
    upgrade_store(url)
    make_uow = open_store(url)
    add_engagement(make_uow, GOVERNANCE / "engagement.yaml")
    ingest_measurements(make_uow, GOVERNANCE / "measurements.csv")
    add_costs(make_uow, GOVERNANCE / "costs.csv")
    add_user(make_uow, "bench", "benchmark password", Role.ANALYST)
    return create_token(make_uow, "bench", "bench")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def hammer(base: str, path: str, token: str) -> tuple[list[float], int, int]:
    """Requests from CLIENTS threads for SECONDS: latencies, requests, errors."""
    headers = {"Authorization": f"Bearer {token}"}
    cookies_page = path == "/"
    # Sign-ins (argon2, deliberately slow) happen before the clock starts.
    ready = threading.Barrier(CLIENTS)

    def client(_: int) -> tuple[list[float], int]:
        times: list[float] = []
        errors = 0
        with httpx2.Client(base_url=base, headers=headers, timeout=30) as http:
            if cookies_page:
                # The form's pre-session token (login CSRF), as a browser would send it.
                form = http.get("/login").text
                found = re.search(r'action="/login">\s*<input [^>]*value="([^"]+)"', form)
                token = found.group(1) if found else ""
                credentials = {"username": "bench", "password": "benchmark password"}
                http.post("/login", data={**credentials, "csrf_token": token})
            ready.wait()
            deadline = time.perf_counter() + SECONDS
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                response = http.get(path)
                times.append(time.perf_counter() - began)
                errors += response.status_code >= 400
        return times, errors

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(client, range(CLIENTS)))
    latencies = [t for times, _ in results for t in times]
    return latencies, len(latencies), sum(e for _, e in results)


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread of this process; its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    time.sleep(1.5)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def measure(base: str, label: str, path: str, token: str, baseline_p50: float | None) -> float:
    """Hammer ``path``, print its line, and return its p50 in ms."""
    latencies, count, errors = hammer(base, path, token)
    ms = np.percentile(np.array(latencies) * 1000, [50, 95, 99])
    reference = baseline_p50 or ms[0]
    print(
        f"  {label:36} {count / SECONDS:7.0f} req/s  p50 {ms[0]:7.1f} ms  "
        f"p95 {ms[1]:7.1f} ms  p99 {ms[2]:7.1f} ms  p50 {ms[0] / reference:5.2f}×  "
        f"errors {errors}"
    )
    return float(ms[0])


def pool_against_nullpool(url: str) -> None:
    """The server's pool against a connection per unit of work, on PostgreSQL."""
    token = load(url)
    print(
        f"Web latency on PostgreSQL, {CLIENTS} clients: pool of {POOL_SIZE} (+{POOL_OVERFLOW}) "
        "against a new connection per unit of work (NullPool, the baseline)"
    )
    for label, path in list(ENDPOINTS.items())[1:3]:
        apps = {
            "NullPool": create_app(WebSettings(database_url=url), open_store(url)),
            "pool": create_app(WebSettings(database_url=url)),
        }
        baseline_p50 = None
        for kind, app in apps.items():
            with served(app) as base:
                p50 = measure(base, f"{label}, {kind}", path, token, baseline_p50)
            baseline_p50 = baseline_p50 or p50


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        token = load(url)
        print(
            f"Web latency: {CLIENTS} concurrent clients for {SECONDS:g} s per endpoint, "
            f"one uvicorn process, SQLite, Python {sys.version.split()[0]}"
        )
        with served(create_app(WebSettings(database_url=url))) as base:
            baseline_p50 = None
            for label, path in ENDPOINTS.items():
                p50 = measure(base, label, path, token, baseline_p50)
                baseline_p50 = baseline_p50 or p50
    on_postgres = os.environ.get("SOURCEWISE_BENCH_DATABASE_URL")
    if on_postgres:
        pool_against_nullpool(normalise_url(on_postgres))
    else:
        print("  PostgreSQL: set SOURCEWISE_BENCH_DATABASE_URL to compare the pool with NullPool")


if __name__ == "__main__":
    main()
