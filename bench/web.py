"""Benchmark: web latency under 50 concurrent clients, against a trivial endpoint, same run;
and the location page's first visit after the server starts.

A uvicorn server (one process, as ``sourcewise serve`` runs it) over a SQLite file loaded with
the example governance data; 50 client threads, each with its own keep-alive connection and an
API token, request one endpoint for a fixed time. Printed per endpoint: requests/s and latency
p50/p95/p99, and the p50 and p95 as ratios of the trivial endpoint's (``/healthz``: no
database, no template). The clients run in the benchmark's process and share the machine's
cores with the server, so every latency is an upper bound.

Cold start: ``sourcewise serve`` started as a fresh process over the same data; once
``/healthz`` answers, ``/locations`` is fetched once (the first visit) and again (warm). With
Chromium (``$SOURCEWISE_CHROMIUM`` or ``chromium``) and Playwright, the same in a browser on
another fresh server: from navigation to the map drawn.

With ``SOURCEWISE_BENCH_DATABASE_URL`` set (its schema is recreated), the same data on
PostgreSQL, served with the server's connection pool and, as the baseline, with a new
connection per unit of work (NullPool, what commands use). Run with ``make bench``;
``--json PATH`` writes ``sla_p95_over_healthz``, ``dashboard_p95_over_healthz``,
``locations_cold_s`` and the raw figures.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import numpy as np
import uvicorn
from fastapi import FastAPI
from results import arguments, write

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token, start_session
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
    "healthz": ("/healthz (baseline)", "/healthz"),
    "engagements": ("engagement list (API)", "/api/v1/engagements"),
    "sla": ("SLA month (API)", f"/api/v1/engagements/{ENGAGEMENT}/sla?month=2026-10"),
    "location_ranking": ("location ranking (API)", "/api/v1/locations?home=US&limit=20"),
    "dashboard": ("dashboard (page)", "/"),
}
USER, PASSWORD = "bench", "benchmark password"
COLD_STARTS = 3
COOKIE = "sw_session"
SERVE = "import sys; from sourcewise.cli import main; sys.argv[0] = 'sourcewise'; main()"
"""``sourcewise`` as its console script runs it, with this interpreter (and its path)."""


@dataclass(frozen=True, slots=True)
class Latency:
    """One endpoint under load: milliseconds at the 50th, 95th and 99th percentiles."""

    p50: float
    p95: float
    p99: float
    per_second: float
    errors: int


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
    add_user(make_uow, USER, PASSWORD, Role.ANALYST)
    return create_token(make_uow, USER, USER)


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
                credentials = {"username": USER, "password": PASSWORD}
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


def measure(base: str, label: str, path: str, token: str, baseline: Latency | None) -> Latency:
    """Hammer ``path`` and print its line: the p50 and p95 as ratios of ``baseline``'s."""
    latencies, count, errors = hammer(base, path, token)
    ms = np.percentile(np.array(latencies) * 1000, [50, 95, 99])
    found = Latency(float(ms[0]), float(ms[1]), float(ms[2]), count / SECONDS, errors)
    reference = baseline or found
    print(
        f"  {label:36} {found.per_second:7.0f} req/s  p50 {found.p50:7.1f} ms  "
        f"p95 {found.p95:7.1f} ms  p99 {found.p99:7.1f} ms  "
        f"p50 {found.p50 / reference.p50:5.2f}×  p95 {found.p95 / reference.p95:5.2f}×  "
        f"errors {errors}"
    )
    return found


@contextmanager
def server_process(url: str, port: int | None = None) -> Iterator[tuple[str, float]]:
    """``sourcewise serve`` as a fresh process: its base URL and the seconds it took to answer
    ``/healthz`` (imports, app, migration check)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"sourcewise serve exited with {process.returncode}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.02)
        yield base, time.perf_counter() - began
    finally:
        process.terminate()
        process.wait(timeout=30)


def timed_get(base: str, path: str, cookie: str) -> float:
    request = urllib.request.Request(base + path, headers={"Cookie": f"{COOKIE}={cookie}"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        answer.read()
        if answer.status != 200 or answer.url != base + path:
            raise RuntimeError(f"{path} answered {answer.status} at {answer.url}")
    return time.perf_counter() - began


def locations_cold_start(url: str) -> dict[str, float]:
    """The first and second request of ``/locations`` to a fresh server process, the best of
    ``COLD_STARTS`` processes (the least disturbed by the machine's other work)."""
    cookie, _ = start_session(open_store(url), USER)
    runs = []
    for _ in range(COLD_STARTS):
        with server_process(url) as (base, started):
            first = timed_get(base, "/locations", cookie)
            runs.append((first, timed_get(base, "/locations", cookie), started))
    first, warm, started = min(runs)
    print(
        f"  /locations on a fresh `sourcewise serve` (best of {COLD_STARTS}; up in "
        f"{started:.2f} s): first request {first * 1000:6.0f} ms "
        f"(all: {', '.join(f'{r[0] * 1000:.0f}' for r in runs)}), second {warm * 1000:6.0f} ms"
    )
    return {
        "server_start_s": round(started, 3),
        "locations_cold_s": round(first, 3),
        "locations_warm_s": round(warm, 3),
    }


def locations_cold_in_browser(url: str) -> dict[str, float]:
    """In headless Chromium, from navigation to ``/locations``'s first paint and to its map
    drawn: the first visit to a fresh server with an empty browser cache, a second visit, and
    the first visit after the server restarts (same address) with the browser's cache kept."""
    chromium = os.environ.get("SOURCEWISE_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import Page, sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("  /locations in a browser: no chromium or playwright, not measured")
        return {}
    cookie, _ = start_session(open_store(url), USER)
    port = free_port()

    def visit(page: Page, base: str) -> tuple[float, float]:
        began = time.perf_counter()
        page.goto(f"{base}/locations", wait_until="commit")
        page.wait_for_selector(".loc-chart .main-svg", timeout=120_000)
        drawn = time.perf_counter() - began
        paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
        return float(paint) / 1000, drawn

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            with server_process(url, port) as (base, _):
                context.add_cookies([{"name": COOKIE, "value": cookie, "url": base}])
                first = visit(page, base)
                again = visit(page, base)
            with server_process(url, port) as (base, _):
                restarted = visit(page, base)
            context.close()
        finally:
            browser.close()
    for label, (paint, drawn) in (
        ("first visit, empty browser cache", first),
        ("second visit", again),
        ("first visit after a restart, browser cache kept", restarted),
    ):
        print(
            f"  /locations in Chromium, {label}: painted {paint * 1000:5.0f} ms, "
            f"map drawn {drawn * 1000:5.0f} ms"
        )
    return {
        "locations_cold_browser_s": round(first[1], 3),
        "locations_cold_browser_paint_s": round(first[0], 3),
        "locations_warm_browser_s": round(again[1], 3),
        "locations_restart_browser_s": round(restarted[1], 3),
        "locations_restart_browser_paint_s": round(restarted[0], 3),
    }


def pool_against_nullpool(url: str) -> None:
    """The server's pool against a connection per unit of work, on PostgreSQL."""
    token = load(url)
    print(
        f"Web latency on PostgreSQL, {CLIENTS} clients: pool of {POOL_SIZE} (+{POOL_OVERFLOW}) "
        "against a new connection per unit of work (NullPool, the baseline)"
    )
    for label, path in [ENDPOINTS["engagements"], ENDPOINTS["sla"]]:
        apps = {
            "NullPool": create_app(WebSettings(database_url=url), open_store(url)),
            "pool": create_app(WebSettings(database_url=url)),
        }
        baseline = None
        for kind, app in apps.items():
            with served(app) as base:
                found = measure(base, f"{label}, {kind}", path, token, baseline)
            baseline = baseline or found


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    # The machine's load before this script adds its own (the clients share its cores).
    figures: dict[str, float | int | str] = {"web_load_average": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        token = load(url)
        print(
            f"Web latency: {CLIENTS} concurrent clients for {SECONDS:g} s per endpoint, "
            f"one uvicorn process, SQLite, Python {sys.version.split()[0]}, "
            f"load average {figures['web_load_average']}"
        )
        found: dict[str, Latency] = {}
        with served(create_app(WebSettings(database_url=url))) as base:
            for key, (label, path) in ENDPOINTS.items():
                found[key] = measure(base, label, path, token, found.get("healthz"))
        for key, latency in found.items():
            figures.update(
                {
                    f"{key}_p50_ms": round(latency.p50, 1),
                    f"{key}_p95_ms": round(latency.p95, 1),
                    f"{key}_p99_ms": round(latency.p99, 1),
                    f"{key}_per_second": round(latency.per_second, 1),
                    f"{key}_errors": latency.errors,
                }
            )
        baseline = found["healthz"].p95
        figures["sla_p95_over_healthz"] = round(found["sla"].p95 / baseline, 2)
        figures["dashboard_p95_over_healthz"] = round(found["dashboard"].p95 / baseline, 2)
        print(
            f"  p95 over /healthz's: SLA month {figures['sla_p95_over_healthz']}×, "
            f"dashboard {figures['dashboard_p95_over_healthz']}× (target ≤ 5×)"
        )
        figures.update(locations_cold_start(url))
        figures.update(locations_cold_in_browser(url))
    on_postgres = os.environ.get("SOURCEWISE_BENCH_DATABASE_URL")
    if on_postgres:
        pool_against_nullpool(normalise_url(on_postgres))
    else:
        print("  PostgreSQL: set SOURCEWISE_BENCH_DATABASE_URL to compare the pool with NullPool")
    write(options.json, figures)


if __name__ == "__main__":
    main()
