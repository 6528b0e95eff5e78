"""``/api/v1/engagements/{name}/corrective-actions`` and ``…/remedies``: the page's sections as
JSON; closing a plan by API is the writers', audit-logged, and refused twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from governance_factories import engagement, measurement
from sourcewise.governance.corrective_actions import CorrectiveActionPlan
from sourcewise.governance.remedies import Remedy, RemedyKind
from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]
API = "/api/v1/engagements/Customer%20care"
CLAUSE = "MSA-1 §15.1 (escalation)"


@pytest.fixture
def plan_id(store: MemoryUnitOfWork) -> int:
    """Availability breached in January and February 2026 (99.0 against 99.5), one open plan,
    and an escalation after two months in a row."""
    escalation = Remedy(
        RemedyKind.ESCALATION, CLAUSE, after_breaches=2, consecutive=True, level="the board"
    )
    with store:
        store.engagements.replace(engagement(remedies=(escalation,)))
        days = [measurement(d, 99.0) for d in (5, 12, 19, 26)]
        days += [measurement(d, 99.0, period=datetime(2026, 2, d, tzinfo=UTC)) for d in (2, 9)]
        store.measurements.ingest([[(str(i), m) for i, m in enumerate(days)]], False)
        first = date(2026, 1, 1)
        ident = store.corrective_actions.add(
            CorrectiveActionPlan(
                "Customer care", "Availability", first, first, "Vendor manager",
                date(2026, 3, 2), datetime(2026, 2, 1, tzinfo=UTC),
            )
        )  # fmt: skip
        store.commit()
    return ident


def test_plans_are_shared_with_the_provider_and_closed_by_writers(
    plan_id: int, app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    shown = app_client.get(f"{API}/corrective-actions", headers=token_for("provider"))
    assert shown.status_code == 200
    assert [(p["id"], p["service_level"], p["state"]) for p in shown.json()] == [
        (plan_id, "Availability", "open")
    ]
    url = f"{API}/corrective-actions/{plan_id}/close"
    refused = app_client.post(url, json={"note": "x"}, headers=token_for("provider"))
    assert refused.status_code == 403
    empty = app_client.post(url, json={"note": ""}, headers=token_for("analyst"))
    assert empty.status_code == 422
    closed = app_client.post(url, json={"note": "Fixed"}, headers=token_for("analyst"))
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["closed_by"]) == ("closed", "analyst")
    again = app_client.post(url, json={"note": "Twice"}, headers=token_for("admin"))
    assert again.status_code == 409
    missing = app_client.post(
        f"{API}/corrective-actions/999/close", json={"note": "x"}, headers=token_for("admin")
    )
    assert missing.status_code == 404
    listed = app_client.get(f"{API}/corrective-actions", headers=token_for("viewer"))
    assert listed.json() == []
    every = app_client.get(
        f"{API}/corrective-actions", params={"closed": "true"}, headers=token_for("viewer")
    )
    assert every.json()[0]["closing_note"] == "Fixed"
    with store:
        logged = store.audit_log.entries(entity="corrective_action_plan")
    assert [e.actor for e in logged] == ["analyst"]


def test_remedies_are_internal_and_name_their_clause(
    plan_id: int, app_client: TestClient, token_for: Headers
) -> None:
    url = f"{API}/remedies"
    assert app_client.get(url, headers=token_for("provider")).status_code == 403
    report = app_client.get(url, params={"month": "2026-02-01"}, headers=token_for("viewer"))
    assert report.status_code == 200
    proposed = report.json()["proposed"]
    assert [(p["service_level"], p["remedy"]["clause"]) for p in proposed] == [
        ("Availability", CLAUSE)
    ]
    assert proposed[0]["breached_months"] == ["2026-01", "2026-02"]
    january = app_client.get(url, params={"month": "2026-01-01"}, headers=token_for("viewer"))
    assert january.json()["proposed"] == []
