"""50 concurrent clients against a real server on loopback: no errors for the whole run.

uvicorn serves the app in a thread over a SQLite file with the example governance data; 50
threads, each with an admin's API token, loop over the dashboard page and three read APIs
(engagements, an SLA report, the location ranking) for ``SOURCEWISE_LOAD_SECONDS`` (default
60). Latency percentiles are recorded as properties of the test, not asserted.
"""

from __future__ import annotations

import os
import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from reliability_support import ROOT, sqlite_url

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.services.engagements import add_engagement
from sourcewise.services.governance_store import open_store, upgrade_store
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

pytestmark = pytest.mark.reliability

CLIENTS = 50
SECONDS = float(os.environ.get("SOURCEWISE_LOAD_SECONDS", "60"))
GOVERNANCE = ROOT / "examples" / "governance"
ENGAGED = urllib.parse.quote("Customer service Monterrey")
PATHS = (
    "/",
    "/api/v1/engagements",
    f"/api/v1/engagements/{ENGAGED}/sla?month=2026-10",
    "/api/v1/locations?home=US&limit=20",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    folder: Path = tmp_path_factory.mktemp("load")
    url = sqlite_url(folder)
    upgrade_store(url)
    make_uow = open_store(url)
    add_engagement(make_uow, GOVERNANCE / "engagement.yaml")
    assert ingest_measurements(make_uow, GOVERNANCE / "measurements.csv").written
    add_user(make_uow, "admin", "correct horse battery", Role.ADMIN)
    tokens = [create_token(make_uow, "admin", f"load {n}") for n in range(CLIENTS)]
    port = free_port()
    app = create_app(WebSettings(database_url=url))
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", backlog=4 * CLIENTS
    )
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:  # pragma: no cover - the server did not come up
        pytest.fail("the server did not start")
    yield base, tokens
    served.should_exit = True
    thread.join(timeout=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_fifty_clients_get_no_errors(
    server: tuple[str, list[str]], record_property: pytest.RecordProperty
) -> None:
    base, tokens = server
    latencies: dict[str, list[float]] = {path: [] for path in PATHS}
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)
    stop_at = time.monotonic() + SECONDS

    def client(number: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[number]}"}
        start.wait()
        turn = number  # each client starts at a different endpoint
        while time.monotonic() < stop_at:
            path = PATHS[turn % len(PATHS)]
            turn += 1
            began = time.perf_counter()
            try:
                request = urllib.request.Request(base + path, headers=headers)
                with urllib.request.urlopen(request, timeout=60) as answer:
                    answer.read()
                    status = answer.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, OSError) as error:
                with lock:
                    errors.append(f"{path}: {error}")
                continue
            took = time.perf_counter() - began
            with lock:
                if status != 200:
                    errors.append(f"{path}: HTTP {status}")
                latencies[path].append(took)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    everything = [t for values in latencies.values() for t in values]
    record_property("requests", len(everything))
    record_property("requests_per_second", round(len(everything) / SECONDS, 1))
    figures = []
    for name, share in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        millis = round(1000 * percentile(everything, share), 1)
        record_property(f"latency_{name}_ms", millis)
        figures.append(f"{name} {millis} ms")
    # Shown by `pytest -rP`; the properties reach a JUnit report (junit_family=legacy).
    print(f"{len(everything)} requests in {SECONDS:g} s: {', '.join(figures)}")
    for path, values in latencies.items():
        if values:
            record_property(f"median_ms {path}", round(1000 * statistics.median(values), 1))
    assert not errors, f"{len(errors)} errors, e.g. {errors[:5]}"
    assert all(latencies.values()), "every endpoint was requested"
