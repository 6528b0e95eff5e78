"""The forms that add and edit an engagement's risk: the risk file's checks at each field,
the next free code, history and audit log, stale edits refused, writers only."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from edit_samples import RISK, add_risk_playbook
from sourcewise.services.record_versions import version_of
from sourcewise.storage.memory import MemoryUnitOfWork

Clients = Callable[[str], TestClient]
BASE = "/engagements/Customer%20care/risks"
NEW = {
    "title": "Currency shock",
    "category": "currency_shock",
    "owner": "CFO delegate",
    "inherent.likelihood": "3",
    "inherent.impact": "4",
    "residual.likelihood": "4",
    "residual.impact": "2",
    "mitigations": "Hedge 12 months\n\nPrice in local currency\n",
    "status": "open",
}


@pytest.fixture
def clients(store: MemoryUnitOfWork, signed_in: Clients) -> Clients:
    add_risk_playbook(store)
    return signed_in


def test_a_risk_is_added_under_the_next_code(clients: Clients, store: MemoryUnitOfWork) -> None:
    analyst = clients("analyst")
    assert analyst.get(f"{BASE}/new").status_code == 200
    token = csrf_of(analyst, "/engagements")
    refused = analyst.post(f"{BASE}/new", data={**NEW, "csrf_token": token})
    assert refused.status_code == 422
    assert re.search(r'id="f-residual-likelihood-error">[^<]*exceeds', refused.text)
    added = analyst.post(
        f"{BASE}/new", data={**NEW, "residual.likelihood": "2", "csrf_token": token}
    )
    assert added.status_code == 303, added.text
    risk = store.committed.risks["R-002"]
    assert risk.engagement == "Customer care"
    assert risk.mitigations == ("Hedge 12 months", "Price in local currency")
    entry = [e for e in store.committed.audit_log if e.entity == "risk"][-1]
    assert (entry.key, entry.action.value, entry.actor) == ("R-002", "insert", "analyst")


def test_a_risk_is_edited_with_its_history(clients: Clients, store: MemoryUnitOfWork) -> None:
    admin = clients("admin")
    url = f"{BASE}/R-001/edit"
    html = admin.get(url).text
    assert 'value="Agent attrition"' in html
    data = {
        "csrf_token": csrf_of(admin, "/engagements"),
        "version": version_of(RISK),
        "title": "Agent attrition",
        "category": "talent_shortage",
        "owner": "Vendor manager",
        "inherent.likelihood": "4",
        "inherent.impact": "4",
        "residual.likelihood": "2",
        "residual.impact": "3",
        "status": "open",
    }
    assert admin.post(url, data=data).status_code == 303
    assert store.committed.risks["R-001"].residual.likelihood == 2
    assert [c.field for c in store.committed.risk_history["R-001"]] == ["residual.likelihood"]
    stale = admin.post(url, data={**data, "owner": "Someone else"})
    assert stale.status_code == 409
    assert store.committed.risks["R-001"].owner == "Vendor manager"


@pytest.mark.parametrize("user", ["viewer", "provider"])
def test_viewers_and_providers_change_no_risk(clients: Clients, user: str) -> None:
    client = clients(user)
    assert client.get(f"{BASE}/new").status_code == 403
    token = csrf_of(client, "/engagements")
    assert client.post(f"{BASE}/new", data={**NEW, "csrf_token": token}).status_code == 403
    assert client.post(f"{BASE}/R-001/edit", data={"csrf_token": token}).status_code == 403


def test_adding_a_risk_needs_the_csrf_token(clients: Clients, store: MemoryUnitOfWork) -> None:
    assert clients("admin").post(f"{BASE}/new", data=NEW).status_code == 403
    assert list(store.committed.risks) == ["R-001"]
