"""Background jobs: per-user quotas, a global bound, fair (round-robin) queueing, progress read
from the stored job, and who may run them. The registry is tested on its own with work that
waits for an event, so which job runs when is decided by the test, not by timing."""

from __future__ import annotations

import json
import re
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
from sourcewise.services.job_work import Outcome, Progress
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.jobs import (
    Job,
    JobPayload,
    JobQuotaError,
    JobRegistry,
    JobsBusyError,
    registry_of,
)
from sourcewise.web.settings import WebSettings

YAML = {"content-type": "application/yaml"}
EXAMPLES = Path(__file__).parents[2] / "examples"
Headers = Callable[[str], dict[str, str]]


class Gate:
    """Work that blocks until the gate opens, and the order in which jobs started (by label).
    ``share`` of the job's units of work are reported done before waiting."""

    def __init__(self, share: float = 0.0) -> None:
        self.open = threading.Event()
        self.started: list[str] = []
        self.share = share
        self._lock = threading.Lock()

    def __call__(self, job: Job, progress: Progress) -> Outcome:
        with self._lock:
            self.started.append(job.label)
        progress(round(job.total * self.share))
        assert self.open.wait(10), "the gate never opened"
        return Outcome({})


@pytest.fixture
def gate() -> Iterator[Gate]:
    found = Gate()
    yield found
    found.open.set()  # never leave a worker thread waiting


@pytest.fixture
def registries() -> Iterator[Callable[..., JobRegistry]]:
    """Registries on a fresh in-memory store, their threads stopped at the end."""
    made: list[JobRegistry] = []
    store = MemoryUnitOfWork()

    def make(perform: Gate | None = None, **limits: int) -> JobRegistry:
        registry = JobRegistry(lambda: store, perform_job=perform, **limits)
        made.append(registry)
        return registry

    yield make
    for registry in made:
        registry.stop()


PAYLOAD = JobPayload("company: {}", "scenario.yaml", 0, 1)


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


def test_one_user_cannot_fill_the_queue(registries: Callable[..., JobRegistry]) -> None:
    registry = registries(workers=0, max_active=4, max_per_user=2)
    registry.submit("viewer", "decision", "a", 1, PAYLOAD)
    registry.submit("viewer", "decision", "b", 1, PAYLOAD)
    with pytest.raises(JobQuotaError) as refused:
        registry.submit("viewer", "decision", "c", 1, PAYLOAD)
    assert (refused.value.active, refused.value.limit) == (2, 2)
    assert "at most 2" in str(refused.value)
    # Someone else still gets in.
    registry.submit("analyst", "decision", "d", 1, PAYLOAD)


def test_the_queue_has_a_global_bound(registries: Callable[..., JobRegistry]) -> None:
    registry = registries(workers=0, max_active=3, max_per_user=2)
    for owner in ("ann", "bob", "cid"):
        registry.submit(owner, "decision", owner, 1, PAYLOAD)
    with pytest.raises(JobsBusyError) as refused:
        registry.submit("dan", "decision", "dan", 1, PAYLOAD)
    assert not isinstance(refused.value, JobQuotaError)


def test_queued_jobs_take_turns_across_users(
    registries: Callable[..., JobRegistry], gate: Gate
) -> None:
    """One user's backlog does not starve another's: the next free worker takes the next
    user's oldest job, round-robin, rather than the oldest job of all."""
    registry = registries(gate, workers=1, max_active=10, max_per_user=5)
    ids = [registry.submit("someone", "decision", "x", 1, PAYLOAD).id]
    for _ in range(100):  # the single worker is busy with x before the others queue
        if gate.started:
            break
        threading.Event().wait(0.01)
    for name in ("a1", "a2", "a3"):
        ids.append(registry.submit("ann", "decision", name, 1, PAYLOAD).id)
    ids.append(registry.submit("bob", "decision", "b1", 1, PAYLOAD).id)
    assert [status_of(registry, i) for i in ids[1:]] == ["queued"] * 4
    gate.open.set()
    wait_until_done(registry, ids)
    assert gate.started == ["x", "a1", "b1", "a2", "a3"]


def test_finished_jobs_free_the_quota(registries: Callable[..., JobRegistry], gate: Gate) -> None:
    registry = registries(gate, workers=2, max_active=4, max_per_user=1)
    first = registry.submit("ann", "decision", "a1", 1, PAYLOAD)
    gate.open.set()
    wait_until_done(registry, [first.id])
    registry.submit("ann", "decision", "a2", 1, PAYLOAD)


def test_any_server_shows_a_job_and_its_progress_from_the_store(
    registries: Callable[..., JobRegistry],
) -> None:
    """A server without job threads queues the job; another server's thread runs it, and
    either shows its progress while it runs: both read the stored job."""
    gate = Gate(share=0.3)
    queueing = registries(workers=0)
    running = registries(gate, workers=1)
    running.start()
    job = queueing.submit("ann", "decision", "j", 100, PAYLOAD)
    for _ in range(500):
        seen = queueing.get(job.id, "ann")
        if seen is not None and seen.done:
            break
        threading.Event().wait(0.01)
    assert seen is not None
    assert (seen.status, seen.progress) == ("running", 0.3)
    gate.open.set()
    wait_until_done(queueing, [job.id])
    assert status_of(running, job.id) == "done"


def test_the_registry_follows_the_settings() -> None:
    settings = WebSettings(job_workers=3, max_jobs=9, max_jobs_per_user=3)
    app = create_app(settings, make_uow=MemoryUnitOfWork)
    registry = registry_of(app)
    assert (registry.workers, registry.max_active, registry.max_per_user) == (3, 9, 3)
    assert (
        registry_of(create_app(WebSettings(job_workers=0), make_uow=MemoryUnitOfWork)).workers == 0
    )


@pytest.fixture
def busy_app(app_client: TestClient) -> JobRegistry:
    """The app's registry without job threads, with one job of someone else's queued: every
    job the test submits stays queued."""
    app = app_client.app
    assert isinstance(app, FastAPI)
    registry = JobRegistry(app.state.make_uow, workers=0, max_active=4, max_per_user=1)
    app.state.jobs = registry
    registry.submit("someone", "decision", "busy", 1, PAYLOAD)
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


def test_the_progress_bar_moves_while_the_job_runs(
    app_client: TestClient, signed_in: Callable[[str], TestClient]
) -> None:
    """The status fragment htmx polls shows the stored progress, not 0 % until the end."""
    app = app_client.app
    assert isinstance(app, FastAPI)
    gate = Gate(share=0.5)
    registry = JobRegistry(app.state.make_uow, workers=1, perform_job=gate)
    app.state.jobs = registry
    client = signed_in("analyst")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, "/scenarios")}
    try:
        started = client.post(
            "/scenarios/run", data={"text": SCENARIO_TEXT, "draws": "1000"}, headers=headers
        )
        assert started.status_code == 200
        found = re.search(r'hx-get="(/scenarios/jobs/[\w-]+/status)"', started.text)
        assert found is not None
        shown = 0
        for _ in range(500):
            page = client.get(found.group(1), headers=headers)
            bar = re.search(r'<progress max="100" value="(\d+)">', page.text)
            assert bar is not None, page.text  # still running: the gate is shut
            shown = int(bar.group(1))
            if shown:
                break
            threading.Event().wait(0.01)
        assert shown == 50
        assert "Running" in page.text
        gate.open.set()
    finally:
        gate.open.set()
        registry.stop()


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
