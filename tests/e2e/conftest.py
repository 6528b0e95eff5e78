"""Browser tests: a live server on a free port over a SQLite file loaded with the example
governance data, driven by Playwright through Debian's chromium.

The browser is ``$SOURCEWISE_CHROMIUM`` or ``chromium`` on the PATH (``.ci/run`` installs it).
Without one the tests are skipped with the reason in the summary, unless
``SOURCEWISE_REQUIRE_BROWSER=1`` (set by CI) turns that into a failure. Screenshots go to
``$SOURCEWISE_SCREENSHOTS`` when set (``make screenshots`` writes them into docs/), else to a
temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn
from live_data import (
    ENGAGEMENT,
    OTHER_ENGAGEMENT,
    OTHER_PROVIDER,
    PASSWORD,
    PROVIDER,
    SAVED_SCENARIO,
)

from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.security.users import Principal, Role
from sourcewise.services.accounts import add_user
from sourcewise.services.costs import add_costs
from sourcewise.services.engagements import add_engagement
from sourcewise.services.governance_records import add_records
from sourcewise.services.governance_store import open_store, upgrade_store
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.services.risk_register import add_risks
from sourcewise.services.scenario_library import save_scenario
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

ROOT = Path(__file__).resolve().parents[2]
GOVERNANCE = ROOT / "examples" / "governance"


def chromium_path() -> str | None:
    return os.environ.get("SOURCEWISE_CHROMIUM") or shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def load_examples(url: str) -> None:
    upgrade_store(url)
    make_uow = open_store(url)
    add_engagement(make_uow, GOVERNANCE / "engagement.yaml")
    report = ingest_measurements(make_uow, GOVERNANCE / "measurements.csv")
    assert report.written, report.problems
    add_costs(make_uow, GOVERNANCE / "costs.csv")
    for name in ("audits", "surveys", "meetings", "pilot"):
        add_records(make_uow, GOVERNANCE / f"{name}.yaml")
    add_risks(make_uow, GOVERNANCE / "risks.yaml")
    # A second provider with its own engagement, to show that providers see only theirs.
    with make_uow() as uow:
        uow.engagements.add_provider(Provider(OTHER_PROVIDER, ProviderKind.VENDOR, "IN"))
        original = uow.engagements.get(ENGAGEMENT)
        assert original is not None
        uow.engagements.add(
            replace(original, name=OTHER_ENGAGEMENT, provider=OTHER_PROVIDER, country="IN")
        )
        uow.commit()
    add_user(make_uow, "admin", PASSWORD, Role.ADMIN)
    add_user(make_uow, "analyst", PASSWORD, Role.ANALYST)
    add_user(make_uow, "vendor", PASSWORD, Role.PROVIDER, PROVIDER)
    # The CFO reads and approves business cases (a viewer with the approver grant).
    cfo = add_user(make_uow, "cfo", PASSWORD, Role.VIEWER)
    with make_uow() as uow:
        uow.accounts.update_user(replace(cfo, approver=True))
        uow.commit()
    # The scenario the engagement was chosen from, saved in the workspace as analyst's v1.
    example = ROOT / "examples" / "us-customer-service.yaml"
    save_scenario(
        make_uow,
        example.read_text("utf-8"),
        SAVED_SCENARIO,
        "as received",
        Principal("analyst", Role.ANALYST),
    )


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{folder / 'governance.db'}"
    load_examples(url)
    port = free_port()
    app = create_app(WebSettings(database_url=url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
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
        pytest.fail("the live server did not start")
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        reason = (
            "browser tests skipped: no chromium "
            "(install Debian's chromium or set SOURCEWISE_CHROMIUM)"
        )
        if os.environ.get("SOURCEWISE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason.replace("skipped", "required"))
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("SOURCEWISE_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
