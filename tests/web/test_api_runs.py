"""``/api/v1/runs`` and ``/api/v1/engagements/{name}/case``: a saved version run as a job and
kept, runs listed and read with their result, compared, proposed, approved (four eyes) and
rejected, and an engagement governed against the approved one; problems as problem+json."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from httpx2 import Response
from run_samples import ANALYST, CFO, NAME, VERSION_2, grant_approver, run, save, wait_for
from tests_web_helpers import SCENARIO_TEXT

from sourcewise.services.approvals import approve_run, propose_run
from sourcewise.services.engagement_cases import case_of
from sourcewise.services.scenario_library import save_scenario
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.workspace.records import Visibility

Headers = Callable[[str], dict[str, str]]
PROBLEM = "application/problem+json"


def problem(answer: Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    detail: str = answer.json().get("detail", "")
    return detail


def test_a_saved_version_is_run_as_a_job_and_kept(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    auth = token_for("analyst")
    created = app_client.post(
        "/api/v1/runs", json={"scenario": NAME, "draws": 30, "seed": 5}, headers=auth
    )
    assert created.status_code == 202, created.text
    assert created.headers["location"] == created.json()["url"]
    found: dict[str, object] = {}

    def done() -> bool:
        found.update(app_client.get(created.json()["url"], headers=auth).json())
        return found["status"] not in ("queued", "running")

    wait_for(done, "the run")
    assert found["status"] == "done", found
    assert found["run_id"] == 1
    assert found["run_url"] == "http://testserver/api/v1/runs/1"
    kept = app_client.get("/api/v1/runs/1", headers=auth).json()
    assert (kept["scenario"], kept["version"], kept["draws"], kept["seed"]) == (NAME, 1, 30, 5)
    assert (kept["status"], kept["actor"]) == ("draft", "analyst")
    canonical = json.dumps(kept["result"], sort_keys=True, separators=(",", ":"))
    assert hashlib.sha256(canonical.encode()).hexdigest() == kept["result_digest"]
    assert kept["result"]["decision"]["functions"][0]["name"] == "Custom window manufacturing"


def test_running_is_for_analysts_and_admins_and_names_what_is_missing(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    asked = {"scenario": NAME, "draws": 0}
    viewer = app_client.post("/api/v1/runs", json=asked, headers=token_for("viewer"))
    problem(viewer, 403)
    auth = token_for("analyst")
    missing = app_client.post(
        "/api/v1/runs", json={**asked, "version": 4}, headers=auth
    )  # fmt: skip
    assert "has versions 1 to 1, not 4" in problem(missing, 404)
    unknown = app_client.post("/api/v1/runs", json={"scenario": "Plant"}, headers=auth)
    assert "no saved scenario named 'Plant'" in problem(unknown, 404)
    invalid = app_client.post("/api/v1/runs", json={**asked, "draws": -1}, headers=auth)
    assert [e["field"] for e in invalid.json()["errors"]] == ["body.draws"]


def test_runs_are_listed_newest_first_without_results(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    save(store, VERSION_2)
    save(store, name="Other")
    run(store, 1)
    run(store, 2)
    run(store, 1, name="Other")
    auth = token_for("viewer")
    listed = app_client.get("/api/v1/runs", headers=auth).json()
    assert [(r["id"], r["scenario"], r["version"]) for r in listed["items"]] == [
        (3, "Other", 1),
        (2, NAME, 2),
        (1, NAME, 1),
    ]
    assert "result" not in listed["items"][0]
    only = app_client.get("/api/v1/runs", params={"scenario": NAME}, headers=auth).json()
    assert [r["id"] for r in only["items"]] == [2, 1]
    unknown = app_client.get("/api/v1/runs", params={"scenario": "Nope"}, headers=auth)
    problem(unknown, 404)


def test_two_runs_compared(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    save(store, VERSION_2)
    run(store, 1)
    run(store, 2)
    auth = token_for("viewer")
    answer = app_client.get("/api/v1/runs/compare", params={"a": 2, "b": 1}, headers=auth)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["before"]["id"], found["after"]["id"]) == (1, 2)
    assert [r["function"] for r in found["recommendations"]] == ["Custom window manufacturing"]
    change = next(c for c in found["changes"] if c["path"].endswith("unit_price.mode"))
    assert (change["before"], change["after"]) == (244.12, 252)
    assert change["source_after"] == "re-quoted by the supplier in May"
    assert change["line_before"] == change["line_after"] == 199
    assert found["drivers"], "the changed unit price drives the saving"
    assert found["drivers"][0]["input"].endswith("unit_price")
    assert found["drivers_note"].startswith("First-order estimates")
    sides = [o for o in found["options"] if o["before"] and o["after"]]
    assert all(o["saving_change"] is not None for o in sides)


def test_the_approval_takes_four_eyes(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    run(store)
    analyst, cfo = token_for("analyst"), token_for("cfo")
    refused = app_client.post("/api/v1/runs/1/approve", json={"comment": "x"}, headers=cfo)
    assert "only a proposed run can be approved" in problem(refused, 409)
    problem(app_client.post("/api/v1/runs/1/propose", headers=cfo), 403)  # a viewer
    proposed = app_client.post("/api/v1/runs/1/propose", json={"note": "go"}, headers=analyst)
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["review"]["proposal_note"] == "go"
    mine = app_client.post("/api/v1/runs/1/approve", json={"comment": "x"}, headers=analyst)
    assert "may not approve or reject" in problem(mine, 403)
    empty = app_client.post("/api/v1/runs/1/approve", json={"comment": ""}, headers=cfo)
    assert empty.status_code == 422
    done = app_client.post("/api/v1/runs/1/approve", json={"comment": "fine"}, headers=cfo)
    assert done.status_code == 200, done.text
    review = done.json()["review"]
    assert (done.json()["status"], review["reviewed_by"], review["review_comment"]) == (
        "approved",
        "cfo",
        "fine",
    )
    again = app_client.post("/api/v1/runs/1/reject", json={"comment": "no"}, headers=cfo)
    assert "is approved" in problem(again, 409)


def test_an_approver_cannot_review_their_own_proposal(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    run(store)
    with store:
        analyst_user = store.accounts.user("analyst")
    assert analyst_user is not None
    grant_approver(store, analyst_user)
    auth = token_for("analyst")
    assert app_client.post("/api/v1/runs/1/propose", headers=auth).status_code == 200
    own = app_client.post("/api/v1/runs/1/reject", json={"comment": "x"}, headers=auth)
    assert problem(own, 409).endswith("another approver must review it (four eyes)")
    assert app_client.get("/api/v1/runs/1", headers=auth).json()["status"] == "proposed"


def test_providers_are_refused_every_run_route(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    run(store)
    auth = token_for("provider")
    for method, url, body in (
        ("GET", "/api/v1/runs", None),
        ("GET", "/api/v1/runs/1", None),
        ("GET", "/api/v1/runs/compare?a=1&b=1", None),
        ("POST", "/api/v1/runs", {"scenario": NAME}),
        ("POST", "/api/v1/runs/1/propose", {}),
        ("GET", "/api/v1/engagements/Customer care/case", None),
        ("POST", "/api/v1/engagements/Customer care/case", {"run_id": 1}),
    ):
        answer = app_client.request(method, url, json=body, headers=auth)
        problem(answer, 403)
        assert "Plant" not in answer.text


def test_an_engagement_is_linked_to_an_approved_run(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save(store)
    draft = run(store)
    kept = run(store)
    make = lambda: store  # noqa: E731
    propose_run(make, kept.id, "", ANALYST)
    approve_run(make, kept.id, "ok", CFO)
    url = "/api/v1/engagements/Customer care/case"
    analyst = token_for("analyst")
    assert "not linked" in problem(app_client.get(url, headers=analyst), 404)
    refused = app_client.post(url, json={"run_id": draft.id}, headers=analyst)
    assert "only an approved run can govern" in problem(refused, 409)
    problem(app_client.post(url, json={"run_id": kept.id}, headers=token_for("viewer")), 403)
    linked = app_client.post(url, json={"run_id": kept.id}, headers=analyst)
    assert linked.status_code == 200, linked.text
    found = linked.json()
    assert found["label"].startswith(f"{NAME} v1, run {kept.id}, approved by cfo on ")
    assert found["run_url"] == f"http://testserver/api/v1/runs/{kept.id}"
    assert found["function"] == "Custom window manufacturing"
    assert app_client.get(url, headers=token_for("viewer")).json() == found
    linked_case = case_of(make, "Customer care")
    assert linked_case is not None
    assert linked_case.run.id == kept.id
    elsewhere = app_client.post(
        "/api/v1/engagements/Nowhere/case", json={"run_id": kept.id}, headers=analyst
    )
    problem(elsewhere, 404)


def test_a_run_of_a_private_scenario_is_its_owner_s(
    store: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    save_scenario(lambda: store, SCENARIO_TEXT, "Mine", "", ANALYST, Visibility.PRIVATE)
    kept = run(store, name="Mine")
    assert app_client.get(f"/api/v1/runs/{kept.id}", headers=token_for("analyst")).is_success
    hidden = app_client.get(f"/api/v1/runs/{kept.id}", headers=token_for("viewer"))
    assert "Mine" not in problem(hidden, 404)
    listed = app_client.get("/api/v1/runs", headers=token_for("viewer")).json()
    assert listed["items"] == []
    too_big = app_client.get(f"/api/v1/runs/{2**40}", headers=token_for("admin"))
    assert too_big.status_code == 422
