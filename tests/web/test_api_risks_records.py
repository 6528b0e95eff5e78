"""Risk register and governance-record API: uploads, filters, provider scoping, evaluation,
escalations, audits, open actions and pilots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api_samples import MEASUREMENTS_CSV, audits_yaml, pilot_yaml, risks_yaml
from fastapi.testclient import TestClient

from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]


def _post_yaml(client: TestClient, url: str, headers: dict[str, str], text: str) -> Any:
    return client.post(url, headers=headers, files={"file": ("f.yaml", text, "application/yaml")})


def _risks(client: TestClient, headers: dict[str, str]) -> None:
    added = client.post(
        "/api/v1/risks", headers=headers, files={"file": ("risks.yaml", risks_yaml())}
    )
    assert added.json()["added"] == ["R-001", "R-002", "R-003"], added.text


def test_register_filters_and_provider_scope(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    analyst = token_for("analyst")
    _risks(app_client, analyst)
    again = app_client.post(
        "/api/v1/risks", headers=analyst, files={"file": ("risks.yaml", risks_yaml())}
    )
    assert again.json()["unchanged"] == ["R-001", "R-002", "R-003"]
    with store:
        assert {e.actor for e in store.audit_log.entries(entity="risk")} == {"analyst"}
    everything = app_client.get("/api/v1/risks", headers=token_for("viewer")).json()
    # Worst residual first: 3×4, 2×3, 2×2.
    assert [r["code"] for r in everything["items"]] == ["R-001", "R-003", "R-002"]
    assert everything["items"][0]["residual"] == {
        "likelihood": 3,
        "impact": 4,
        "score": 12,
        "rating": "high",
    }
    talent = app_client.get(
        "/api/v1/risks", headers=analyst, params={"category": "talent_shortage"}
    ).json()
    assert [r["code"] for r in talent["items"]] == ["R-001"]
    other = app_client.get("/api/v1/risks", headers=analyst, params={"engagement": "Other care"})
    assert [r["code"] for r in other.json()["items"]] == ["R-002"]
    closed = app_client.get("/api/v1/risks", headers=analyst, params={"status": "closed"})
    assert closed.json()["total"] == 0
    bad = app_client.get("/api/v1/risks", headers=analyst, params={"category": "weather"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.category"
    # The register is internal: 403 for provider users, even for their own engagement's risk.
    provider = token_for("provider")
    for url in ("/api/v1/risks", "/api/v1/risks/R-001", "/api/v1/risks/R-002", "/api/v1/risks/R-9"):
        refused = app_client.get(url, headers=provider)
        assert refused.status_code == 403, url
        assert "Attrition" not in refused.text
    assert app_client.get("/api/v1/risks/R-999", headers=analyst).status_code == 404


def test_invalid_risk_file_is_a_problem_at_its_line(
    app_client: TestClient, token_for: Headers
) -> None:
    text = risks_yaml().replace("likelihood: 4, impact: 4", "likelihood: 9, impact: 4")
    response = _post_yaml(app_client, "/api/v1/risks", token_for("admin"), text)
    assert response.status_code == 422
    errors = response.json()["errors"]
    line = risks_yaml().splitlines().index("    inherent: {likelihood: 4, impact: 4}") + 1
    assert [(e["file"], e["line"]) for e in errors] == [("f.yaml", line)], errors
    assert "inherent" in errors[0]["field"]


def test_evaluate_opens_a_playbook_and_escalations_follow(
    app_client: TestClient, token_for: Headers
) -> None:
    admin = token_for("admin")
    _risks(app_client, admin)
    app_client.post(
        "/api/v1/engagements/Customer care/measurements",
        headers=admin,
        files={"file": ("m.csv", MEASUREMENTS_CSV, "text/csv")},
    )
    evaluation = app_client.post(
        "/api/v1/risks/evaluate", headers=admin, params={"as_of": "2026-02-01"}
    )
    assert evaluation.status_code == 200, evaluation.text
    opened = evaluation.json()["opened"]
    # January's availability breach is a streak of one, R-001's trigger.
    assert [run["risk"] for run in opened] == ["R-001"]
    again = app_client.post("/api/v1/risks/evaluate", headers=admin, params={"as_of": "2026-02-01"})
    assert again.json()["opened"] == []
    history = app_client.get("/api/v1/risks/R-001/history", headers=admin).json()
    assert [p["risk"] for p in history["playbooks"]] == ["R-001"]
    at = {"at": "2026-12-31T00:00:00Z"}
    found = app_client.get("/api/v1/escalations", headers=admin, params=at).json()
    assert [e["risk"] for e in found] == ["R-001"]
    refused = app_client.get("/api/v1/escalations", headers=token_for("provider"), params=at)
    assert refused.status_code == 403
    refused = app_client.post("/api/v1/risks/evaluate", headers=token_for("viewer"))
    assert refused.status_code == 403


def test_records_reports_and_open_actions(app_client: TestClient, token_for: Headers) -> None:
    analyst = token_for("analyst")
    added = _post_yaml(app_client, "/api/v1/records", analyst, audits_yaml())
    assert added.status_code == 201
    assert added.json() == {
        "kind": "audit",
        "added": ["audit 'Q1 quality audit' of 2026-03-18"],
        "unchanged": [],
    }
    _post_yaml(app_client, "/api/v1/records", analyst, audits_yaml("Other care"))
    wrong_kind = app_client.post(
        "/api/v1/records",
        headers=analyst,
        params={"kind": "pilot"},
        files={"file": ("a.yaml", audits_yaml())},
    )
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["errors"][0]["file"] == "a.yaml"
    provider = token_for("provider")
    audits = app_client.get(
        "/api/v1/engagements/Customer care/audits", headers=provider, params={"today": "2026-05-01"}
    ).json()
    assert (audits["open"], audits["overdue"]) == (2, 1)
    assert audits["open_by_severity"]["critical"] == 1
    actions = app_client.get(
        "/api/v1/actions", headers=provider, params={"today": "2026-05-01"}
    ).json()
    assert actions["total"] == 2
    assert {a["engagement"] for a in actions["items"]} == {"Customer care"}
    overdue = app_client.get(
        "/api/v1/actions", headers=analyst, params={"today": "2026-05-01", "overdue": "true"}
    ).json()
    assert [(a["reference"], a["days_overdue"]) for a in overdue["items"]] == [
        ("QA-1", 16),
        ("QA-1", 16),
    ]
    meetings = app_client.get("/api/v1/engagements/Customer care/meetings", headers=analyst)
    assert meetings.json()["meetings"] == []
    surveys = app_client.get("/api/v1/engagements/Customer care/surveys", headers=analyst)
    assert surveys.json()["surveys"] == 0
    for internal in ("meetings", "surveys", "pilots"):
        url = f"/api/v1/engagements/Customer care/{internal}"
        assert app_client.get(url, headers=provider).status_code == 403, internal


def test_pilot_evaluation(app_client: TestClient, token_for: Headers) -> None:
    _post_yaml(app_client, "/api/v1/records", token_for("admin"), pilot_yaml("Customer care"))
    viewer = token_for("viewer")
    pilots = app_client.get("/api/v1/engagements/Customer care/pilots", headers=viewer).json()
    assert [p["name"] for p in pilots] == ["Pilot"]
    report = app_client.get(
        "/api/v1/engagements/Customer care/pilots/Pilot/evaluation", headers=viewer
    ).json()
    assert report["pilot"] == "Pilot"
    assert report["data"][0] == {
        "name": "Defects",
        "source": "explicit",
        "measurements": 0,
        "events": 10,
        "trials": 1000,
        "values": None,
    }
    missing = app_client.get(
        "/api/v1/engagements/Customer care/pilots/Nope/evaluation", headers=viewer
    )
    assert missing.status_code == 404
