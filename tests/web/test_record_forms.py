"""The forms that add and edit meetings (with decisions and actions) and audits (with
findings): the files' checks at each field, blank rows dropped, stale versions refused,
writers only, CSRF-checked, audit-logged."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from edit_samples import AUDIT, MEETING, add_audit, add_meeting_and_credit
from sourcewise.services.record_editing import record_id
from sourcewise.services.record_versions import version_of
from sourcewise.storage.memory import MemoryUnitOfWork

Clients = Callable[[str], TestClient]
BASE = "/engagements/Customer%20care"


@pytest.fixture
def clients(store: MemoryUnitOfWork, signed_in: Clients) -> Clients:
    add_meeting_and_credit(store)
    add_audit(store)
    return signed_in


def _token(client: TestClient) -> str:
    return csrf_of(client, "/engagements")


def test_a_meeting_with_actions_is_added(clients: Clients, store: MemoryUnitOfWork) -> None:
    analyst = clients("analyst")
    assert analyst.get(f"{BASE}/meetings/new").status_code == 200
    data = {
        "csrf_token": _token(analyst),
        "kind": "steering_committee",
        "held_on": "2026-04-21",
        "title": "Joint steering committee, April",
        "attendees": "Vendor manager\nAccount director\n",
        "decisions[0]": "Plan wave 2.",
        "decisions[1]": "",
        "actions[0].text": "",  # a blank spare row first: dropped
        "actions[1].text": "Scaling case to the CFO.",
        "actions[1].owner": "Vendor manager",
        "actions[1].due_on": "2026-04-01",
    }
    refused = analyst.post(f"{BASE}/meetings/new", data=data)
    assert refused.status_code == 422
    # Shown again with the rows as read: the action is row 1 now, its error next to it.
    assert re.search(r'id="f-actions-0-due_on-error">[^<]*before the meeting', refused.text)
    assert 'value="Scaling case to the CFO."' in refused.text
    added = analyst.post(f"{BASE}/meetings/new", data={**data, "actions[1].due_on": "2026-05-15"})
    assert added.status_code == 303, added.text
    stored = store.committed.meetings[-1]
    assert stored.attendees == ("Vendor manager", "Account director")
    assert [i.text for i in stored.items] == ["Plan wave 2.", "Scaling case to the CFO."]
    entry = [e for e in store.committed.audit_log if e.entity == "meeting"][-1]
    assert (entry.action.value, entry.actor) == ("insert", "analyst")
    again = analyst.post(f"{BASE}/meetings/new", data={**data, "actions[1].due_on": "2026-05-15"})
    assert again.status_code == 422
    assert "exists already" in again.text


def test_a_meeting_is_edited_and_a_stale_edit_refused(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    admin = clients("admin")
    url = f"{BASE}/meetings/{record_id(MEETING)}/edit"
    html = admin.get(url).text
    assert 'value="Agree the QA plan."' in html
    values = dict(re.findall(r'<input[^>]*name="([\w.\[\]]+)"[^>]*value="([^"]*)"', html))
    values = {k: v for k, v in values.items() if k != "csrf_token"}
    attendees = "\n".join(MEETING.attendees)
    assert f">{attendees}</textarea>" in html
    data = {
        **values,
        "attendees": attendees,
        "csrf_token": _token(admin),
        "actions[0].done_on": "2026-01-29",
    }
    assert data["version"] == version_of(MEETING)
    saved = admin.post(url, data=data)
    assert saved.status_code == 303, saved.text
    assert str(store.committed.meetings[0].items[1].done_on) == "2026-01-29"
    stale = admin.post(url, data={**data, "actions[1].done_on": "2026-02-06"})
    assert stale.status_code == 409
    assert "changed by admin" in stale.text
    assert store.committed.meetings[0].items[2].done_on is None


def test_an_audit_with_findings_is_added_and_edited(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    analyst = clients("analyst")
    data = {
        "csrf_token": _token(analyst),
        "title": "Q2 security audit",
        "held_on": "2026-06-10",
        "auditor": "Third party",
        "scope": "Access control",
        "findings[0].reference": "SEC-1",
        "findings[0].description": "Shared accounts",
        "findings[0].severity": "critical",
        "findings[0].action": "Named accounts",
        "findings[0].owner": "BPO IT lead",
        "findings[0].due_on": "2026-07-31",
        "findings[1].reference": "SEC-1",
        "findings[1].description": "Same reference",
        "findings[1].severity": "low",
        "findings[1].action": "x",
        "findings[1].owner": "y",
        "findings[1].due_on": "2026-07-31",
    }
    refused = analyst.post(f"{BASE}/audits/new", data=data)
    assert refused.status_code == 422
    assert re.search(r'id="f-findings-1-reference-error">[^<]*given twice', refused.text)
    del data["findings[1].reference"]
    data = {k: v for k, v in data.items() if not k.startswith("findings[1]")}
    assert analyst.post(f"{BASE}/audits/new", data=data).status_code == 303
    audit = next(a for a in store.committed.audits if a.title == "Q2 security audit")
    assert audit.findings[0].severity.value == "critical"
    url = f"{BASE}/audits/{record_id(AUDIT)}/edit"
    form = analyst.get(url).text
    assert 'value="Scripts out of date"' in form
    entries = [e.action.value for e in store.committed.audit_log if e.entity == "audit"]
    assert entries == ["insert"]


@pytest.mark.parametrize(("user", "path"), [
    ("viewer", "meetings/new"), ("provider", "meetings/new"),
    ("viewer", "audits/new"), ("provider", "audits/new"),
])  # fmt: skip
def test_only_writers_add_records(clients: Clients, user: str, path: str) -> None:
    client = clients(user)
    assert client.get(f"{BASE}/{path}").status_code == 403
    answer = client.post(f"{BASE}/{path}", data={"csrf_token": _token(client), "title": "x"})
    assert answer.status_code == 403


def test_adding_needs_the_csrf_token(clients: Clients, store: MemoryUnitOfWork) -> None:
    answer = clients("admin").post(f"{BASE}/audits/new", data={"title": "x"})
    assert answer.status_code == 403
    assert len(store.committed.audits) == 1


def test_an_unknown_record_is_404(clients: Clients) -> None:
    assert clients("admin").get(f"{BASE}/audits/{'0' * 12}/edit").status_code == 404
