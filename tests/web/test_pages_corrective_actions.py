"""The engagement page's corrective-action plans (shared with the provider, closed by writers
with a note, CSRF-checked and audit-logged) and contract remedies (internal)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from governance_factories import engagement, measurement
from sourcewise.governance.corrective_actions import CorrectiveActionPlan, PlanState
from sourcewise.governance.remedies import Remedy, RemedyKind
from sourcewise.storage.memory import MemoryUnitOfWork

SignIn = Callable[[str], TestClient]
PAGE = "/engagements/Customer%20care"
SECTION = f"{PAGE}/sections/corrective_actions"
REMEDIES = f"{PAGE}/sections/remedies"
CLAUSE = "MSA-1 §14.2 (service improvement plan)"


@pytest.fixture
def plan_id(store: MemoryUnitOfWork) -> int:
    """January's availability breach (99.0 against 99.5), its open plan, and a remedy."""
    with store:
        store.engagements.replace(
            engagement(remedies=(Remedy(RemedyKind.IMPROVEMENT_PLAN, CLAUSE, after_breaches=1),))
        )
        rows = [(str(i), measurement(d, 99.0)) for i, d in enumerate((5, 12, 19, 26))]
        store.measurements.ingest([rows], False)
        ident = store.corrective_actions.add(
            CorrectiveActionPlan(
                "Customer care",
                "Availability",
                date(2026, 1, 1),
                date(2026, 1, 1),
                "Vendor manager <ops>",
                date(2026, 3, 2),
                datetime(2026, 2, 1, tzinfo=UTC),
            )
        )
        store.commit()
    return ident


def test_writers_see_the_open_plan_with_a_form_to_close_it(plan_id: int, signed_in: SignIn) -> None:
    html = signed_in("analyst").get(SECTION, params={"month": "2026-01"}).text
    assert f'id="plan-{plan_id}"' in html
    assert "Availability" in html
    assert "Vendor manager &lt;ops&gt;" in html  # escaped
    assert "2 Mar 2026" in html  # the due date
    assert f"/corrective-actions/{plan_id}/close" in html
    assert 'name="csrf_token"' in html
    page = signed_in("viewer").get(PAGE).text
    assert "Corrective-action plans" in page
    assert "Contract remedies" in page


def test_the_provider_sees_its_plans_but_cannot_close_them_nor_see_remedies(
    plan_id: int, signed_in: SignIn
) -> None:
    provider = signed_in("provider")
    html = provider.get(SECTION).text
    assert "Availability" in html
    assert "/close" not in html
    assert provider.get(REMEDIES).status_code == 403
    assert "Contract remedies" not in provider.get(PAGE).text
    refused = provider.post(
        f"{PAGE}/corrective-actions/{plan_id}/close",
        data={"csrf_token": csrf_of(provider, PAGE), "note": "Done"},
    )
    assert refused.status_code == 403
    other = signed_in("other_provider")
    assert other.get(SECTION).status_code == 404


def test_remedies_show_the_clause_that_grants_them(plan_id: int, signed_in: SignIn) -> None:
    html = signed_in("viewer").get(REMEDIES, params={"month": "2026-01"}).text
    assert "1 proposed" in html
    assert "Service improvement plan" in html
    assert CLAUSE in html
    assert "breached in 1 of the last 12 months" in html


def test_closing_needs_csrf_and_a_note_and_is_audit_logged(
    plan_id: int, store: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    analyst = signed_in("analyst")
    url = f"{PAGE}/corrective-actions/{plan_id}/close"
    assert analyst.post(url, data={"note": "Done"}).status_code == 403  # no CSRF token
    token = csrf_of(analyst, PAGE)
    assert analyst.post(url, data={"csrf_token": token, "note": "  "}).status_code == 422
    viewer = signed_in("viewer")
    viewer_token = csrf_of(viewer, PAGE)
    assert viewer.post(url, data={"csrf_token": viewer_token, "note": "x"}).status_code == 403
    missing = f"{PAGE}/corrective-actions/999/close"
    assert analyst.post(missing, data={"csrf_token": token, "note": "x"}).status_code == 404

    closed = analyst.post(url, data={"csrf_token": token, "note": "Root cause fixed"})
    assert closed.status_code == 303
    assert closed.headers["location"] == f"{PAGE}#corrective_actions"
    with store:
        plan = store.corrective_actions.get(plan_id)
        entries = store.audit_log.entries(entity="corrective_action_plan")
    assert plan is not None
    assert (plan.state, plan.closed_by, plan.closing_note) == (
        PlanState.CLOSED,
        "analyst",
        "Root cause fixed",
    )
    assert [(e.actor, e.key) for e in entries] == [("analyst", str(plan_id))]
    assert entries[0].after["state"] == "closed"
    again = analyst.post(url, data={"csrf_token": token, "note": "twice"})
    assert again.status_code == 409
    html = analyst.get(SECTION).text
    assert "closed" in html
    assert "Root cause fixed" in html
    assert "/close" not in html
