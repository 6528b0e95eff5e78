"""The issue's "done when" through the REST API alone: from an empty library, save the three
examples, save a second version with one input changed, diff them, run both as background
jobs, compare the runs, propose one, have the approver approve it, govern an engagement
against it and see benefit realisation name that approved version."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from sourcewise.governance.records import MonthlyCost
from sourcewise.storage.memory import MemoryUnitOfWork

EXAMPLES = Path(__file__).parents[2] / "examples"
NAME = "US customer service"
MEXICO = "Mexican BPO vendor (nearshore, bilingual)"
QUOTED = "hourly_rate: {dist: triangular, low: 16.5, mode: 18, high: 20,"
RAISED = "hourly_rate: {dist: triangular, low: 16.5, mode: 21, high: 22,"
Headers = Callable[[str], dict[str, str]]


def finished(client: TestClient, headers: dict[str, str], job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(job_url, headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_url} did not finish")


def run(client: TestClient, headers: dict[str, str], version: int) -> int:
    asked = {"scenario": NAME, "version": version, "draws": 300, "seed": 11}
    started = client.post("/api/v1/runs", headers=headers, json=asked)
    assert started.status_code == 202, started.text
    job = finished(client, headers, started.headers["location"])
    assert job["status"] == "done", job["error"]
    assert job["run_url"].endswith(f"/api/v1/runs/{job['run_id']}")
    return int(job["run_id"])


def test_the_whole_workspace_through_the_api(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    analyst, cfo = token_for("analyst"), token_for("cfo")
    api = app_client
    for file, name in (
        ("us-customer-service.yaml", NAME),
        ("de-software-development.yaml", "DE software"),
        ("windows-offshore-plant.yaml", "Windows plant"),
    ):
        body = {"name": name, "text": (EXAMPLES / file).read_text("utf-8"), "note": "received"}
        saved = api.post("/api/v1/scenarios/saved", headers=analyst, json=body)
        assert saved.status_code == 201, saved.text
    listed = api.get("/api/v1/scenarios/saved", headers=token_for("viewer")).json()
    assert sorted(s["name"] for s in listed["items"]) == ["DE software", NAME, "Windows plant"]

    text = (EXAMPLES / "us-customer-service.yaml").read_text("utf-8")
    assert QUOTED in text
    body = {"name": NAME, "text": text.replace(QUOTED, RAISED), "note": "Monterrey re-quoted"}
    second = api.post("/api/v1/scenarios/saved", headers=analyst, json=body)
    assert second.status_code == 201, second.text
    path = f"/api/v1/scenarios/saved/{quote(NAME, safe='')}"
    diff = api.get(f"{path}/diff", headers=analyst, params={"from": 1, "to": 2}).json()
    changed = {c["path"].rsplit(".", 2)[-2:][1]: c for c in diff["changes"]}
    assert (changed["mode"]["before"], changed["mode"]["after"]) == (18, 21)

    first, later = run(api, analyst, 1), run(api, analyst, 2)
    compared = api.get("/api/v1/runs/compare", headers=analyst, params={"a": first, "b": later})
    assert compared.status_code == 200, compared.text
    mexico = next(o for o in compared.json()["options"] if o["option"] == MEXICO)
    assert mexico["after"]["saving"] < mexico["before"]["saving"]

    proposed = api.post(f"/api/v1/runs/{later}/propose", headers=analyst, json={"note": "v2"})
    assert proposed.status_code == 200, proposed.text
    own = api.post(f"/api/v1/runs/{later}/approve", headers=analyst, json={"comment": "mine"})
    assert own.status_code == 403
    approved = api.post(f"/api/v1/runs/{later}/approve", headers=cfo, json={"comment": "go"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"

    case = {"run_id": later, "option": MEXICO}
    linked = api.post("/api/v1/engagements/Customer%20care/case", headers=analyst, json=case)
    assert linked.status_code == 200, linked.text
    with store:
        store.ledger.put_costs(
            [
                MonthlyCost(
                    "Customer care", date(2026, 1, 1), Decimal("90000"), Decimal(0), Decimal(0)
                ),
                MonthlyCost(
                    "Customer care", date(2026, 2, 1), Decimal("90000"), Decimal(0), Decimal(0)
                ),
            ]
        )
        store.commit()
    benefits = api.get("/api/v1/engagements/Customer%20care/benefits", headers=analyst)
    assert benefits.status_code == 200, benefits.text
    assert benefits.json()["planned_case"].startswith(f"{NAME} v2, run {later}, approved by cfo")
