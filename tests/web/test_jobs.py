"""Background jobs: per-user quotas, a global bound, fair (round-robin) queueing, and who may run
them. The registry is tested on its own with work that waits for an event, so which job runs
when is decided by the test, not by timing."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests_web_helpers import SCENARIO_TEXT, csrf_of

from sourcewise import api
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.jobs import JobQuotaError, JobRegistry, JobsBusyError, registry_of
from sourcewise.web.settings import WebSettings

YAML = {"content-type": "application/yaml"}
EXAMPLES = Path(__file__).parents[2] / "examples"
Headers = Callable[[str], dict[str, str]]


class Gate:
    """Work that blocks until the gate opens, and the order in which jobs started."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started: list[str] = []
        self._lock = threading.Lock()

    def work(self, name: str) -> Callable[[Callable[[int], None]], dict[str, Any]]:
        def run(_advance: Callable[[int], None]) -> dict[str, Any]:
            with self._lock:
                self.started.append(name)
            assert self.open.wait(10), "the gate never opened"
            return {}

        return run


@pytest.fixture
def gate() -> Iterator[Gate]:
    found = Gate()
    yield found
    found.open.set()  # never leave a worker thread waiting


def status_of(registry: JobRegistry, job_id: str) -> str:
    job = registry.get(job_id, "", admin=True)
    assert job is not None
    return job.status


def wait_until_done(registry: JobRegistry, ids: list[str]) -> None:
    for job_id in ids:
        for _ in range(1000):
            if status_of(registry, job_id) not in ("queued", "running"):
                break
            threading.Event().wait(0.01)
        else:
            raise AssertionError(f"job {job_id} did not finish")


def test_one_user_cannot_fill_the_queue(gate: Gate) -> None:
    registry = JobRegistry(workers=1, max_active=4, max_per_user=2)
    registry.submit("viewer", "decision", "a", 1, gate.work("v1"))
    registry.submit("viewer", "decision", "b", 1, gate.work("v2"))
    with pytest.raises(JobQuotaError) as refused:
        registry.submit("viewer", "decision", "c", 1, gate.work("v3"))
    assert (refused.value.active, refused.value.limit) == (2, 2)
    assert "at most 2" in str(refused.value)
    # Someone else still gets in.
    registry.submit("analyst", "decision", "d", 1, gate.work("a1"))


def test_the_queue_has_a_global_bound(gate: Gate) -> None:
    registry = JobRegistry(workers=1, max_active=3, max_per_user=2)
    for owner in ("ann", "bob", "cid"):
        registry.submit(owner, "decision", owner, 1, gate.work(owner))
    with pytest.raises(JobsBusyError) as refused:
        registry.submit("dan", "decision", "dan", 1, gate.work("dan"))
    assert not isinstance(refused.value, JobQuotaError)


def test_queued_jobs_take_turns_across_users(gate: Gate) -> None:
    """One user's backlog does not starve another's: the next free worker takes the next
    user's oldest job, round-robin, rather than the oldest job of all."""
    registry = JobRegistry(workers=1, max_active=10, max_per_user=5)
    ids = [registry.submit("someone", "decision", "x", 1, gate.work("x")).id]
    for _ in range(100):  # the single worker is busy with x before the others queue
        if gate.started:
            break
        threading.Event().wait(0.01)
    for name in ("a1", "a2", "a3"):
        ids.append(registry.submit("ann", "decision", name, 1, gate.work(name)).id)
    ids.append(registry.submit("bob", "decision", "b1", 1, gate.work("b1")).id)
    assert [status_of(registry, i) for i in ids[1:]] == ["queued"] * 4
    gate.open.set()
    wait_until_done(registry, ids)
    assert gate.started == ["x", "a1", "b1", "a2", "a3"]


def test_finished_jobs_free_the_quota(gate: Gate) -> None:
    registry = JobRegistry(workers=2, max_active=4, max_per_user=1)
    first = registry.submit("ann", "decision", "a1", 1, gate.work("a1"))
    gate.open.set()
    wait_until_done(registry, [first.id])
    registry.submit("ann", "decision", "a2", 1, gate.work("a2"))


def test_the_registry_follows_the_settings() -> None:
    settings = WebSettings(job_workers=3, max_jobs=9, max_jobs_per_user=3)
    app = create_app(settings, make_uow=MemoryUnitOfWork)
    registry = registry_of(app)
    assert (registry.workers, registry.max_active, registry.max_per_user) == (3, 9, 3)


@pytest.fixture
def busy_app(app_client: TestClient, gate: Gate) -> JobRegistry:
    """The app's registry with one worker, kept busy by someone else's job until the gate
    opens: every job the test submits stays queued."""
    app = app_client.app
    assert isinstance(app, FastAPI)
    registry = JobRegistry(workers=1, max_active=4, max_per_user=1)
    app.state.jobs = registry
    registry.submit("someone", "decision", "busy", 1, gate.work("busy"))
    return registry


def test_over_the_quota_the_api_answers_429_naming_it(
    app_client: TestClient, token_for: Headers, busy_app: JobRegistry
) -> None:
    analyst = token_for("analyst")

    def start(headers: dict[str, str]) -> Any:
        return app_client.post(
            "/api/v1/jobs", params={"draws": 0}, content=SCENARIO_TEXT, headers={**headers, **YAML}
        )

    assert start(analyst).status_code == 202
    refused = start(analyst)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) > 0
    assert "at most 1 job" in refused.json()["detail"]
    assert start(token_for("admin")).status_code == 202  # another user is not held up


def test_over_the_quota_the_page_answers_429_naming_it(
    signed_in: Callable[[str], TestClient], busy_app: JobRegistry
) -> None:
    client = signed_in("analyst")
    form = {"text": SCENARIO_TEXT, "draws": "0", "csrf_token": csrf_of(client, "/scenarios")}
    assert client.post("/scenarios/run", data=form).status_code == 303
    refused = client.post("/scenarios/run", data=form)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("text/html")
    assert int(refused.headers["retry-after"]) > 0
    assert "at most 1 job" in refused.text


@pytest.mark.parametrize("role", ["viewer", "provider"])
def test_read_only_roles_run_no_jobs(app_client: TestClient, token_for: Headers, role: str) -> None:
    response = app_client.post(
        "/api/v1/jobs",
        params={"draws": 0},
        content=SCENARIO_TEXT,
        headers={**token_for(role), **YAML},
    )
    assert response.status_code == 403


def test_viewers_see_the_editor_but_no_run_button(
    signed_in: Callable[[str], TestClient],
) -> None:
    viewer = signed_in("viewer")
    page = viewer.get("/scenarios")
    assert page.status_code == 200
    assert "Decide and simulate</button>" not in page.text
    assert "analyst" in page.text
    refused = viewer.post(
        "/scenarios/run",
        data={"text": SCENARIO_TEXT, "draws": "0"},
        headers={"X-CSRF-Token": csrf_of(viewer, "/scenarios")},
    )
    assert refused.status_code == 403
    assert "Decide and simulate</button>" in signed_in("analyst").get("/scenarios").text


def test_a_decision_job_gives_the_decide_json_of_the_cli_and_the_api(
    app_client: TestClient, token_for: Headers
) -> None:
    example = EXAMPLES / "us-customer-service.yaml"
    auth = token_for("analyst")
    created = app_client.post(
        "/api/v1/jobs",
        params={"kind": "decision", "draws": 500, "seed": 7},
        files={"file": (str(example), example.read_bytes(), "application/yaml")},
        headers=auth,
    )
    assert created.status_code == 202, created.text
    deadline = time.monotonic() + 60
    while (job := app_client.get(created.json()["url"], headers=auth).json())["status"] in (
        "queued",
        "running",
    ):
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)
    assert job["status"] == "done", job
    decision = api.decide(api.load_scenario(example), draws=500, seed=7)
    expected = json.dumps(api.decision_to_dict(decision), indent=2, ensure_ascii=False)
    assert json.dumps(job["result"], indent=2, ensure_ascii=False) == expected
