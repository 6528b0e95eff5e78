"""The provider answers an audit finding of its engagement; the client reads the answer."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from edit_samples import AUDIT, add_audit
from sourcewise.services.finding_answers import finding_version
from sourcewise.services.record_editing import record_id
from sourcewise.storage.memory import MemoryUnitOfWork

Clients = Callable[[str], TestClient]
SECTION = "/engagements/Customer care/sections/audits"
ANSWER = f"/engagements/Customer%20care/audits/{record_id(AUDIT)}/findings/QA-1/answer"


@pytest.fixture
def clients(store: MemoryUnitOfWork, signed_in: Clients) -> Clients:
    add_audit(store)
    return signed_in


def _version(client: TestClient) -> str:
    html = client.get(SECTION).text
    form = re.search(rf'action="{re.escape(ANSWER)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, "no answer form"
    found = re.search(r'name="version" value="([0-9a-f]+)"', form.group(1))
    assert found is not None
    return found.group(1)


def test_the_provider_answers_and_the_client_reads_it(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    vendor = clients("provider")
    version = _version(vendor)
    assert version == finding_version(AUDIT.findings[0], None)
    token = csrf_of(vendor, "/engagements/Customer care")
    data = {"csrf_token": token, "version": version, "answer": "Scripts <v2> published."}
    answer = vendor.post(ANSWER, data=data)
    assert answer.status_code == 303, answer.text
    (stored,) = store.committed.responses.findings
    assert (stored.reference, stored.actor) == ("QA-1", "provider")
    entry = [e for e in store.committed.audit_log if e.entity == "finding_response"][-1]
    assert entry.key == "Customer care/Q1 quality audit/2026-03-10/QA-1"
    assert entry.after["answer"] == "Scripts <v2> published."
    html = clients("analyst").get(SECTION).text
    assert "Scripts &lt;v2&gt; published." in html
    assert "answer-form" not in html  # the client reads, does not answer
    stale = vendor.post(ANSWER, data={**data, "answer": "Again"})
    assert stale.status_code == 409


def test_a_blank_answer_is_refused(clients: Clients, store: MemoryUnitOfWork) -> None:
    vendor = clients("provider")
    token = csrf_of(vendor, "/engagements/Customer care")
    answer = vendor.post(ANSWER, data={"csrf_token": token, "version": _version(vendor)})
    assert answer.status_code == 422
    assert "answer" in answer.text
    assert store.committed.responses.findings == []


@pytest.mark.parametrize(
    ("user", "status"), [("analyst", 403), ("viewer", 403), ("other_provider", 404)]
)
def test_only_the_engagements_provider_answers(
    clients: Clients, store: MemoryUnitOfWork, user: str, status: int
) -> None:
    version = finding_version(AUDIT.findings[0], None)
    client = clients(user)
    token = csrf_of(client, "/engagements")
    data = {"csrf_token": token, "version": version, "answer": "x"}
    assert client.post(ANSWER, data=data).status_code == status
    assert store.committed.responses.findings == []


def test_answering_needs_the_csrf_token(clients: Clients) -> None:
    vendor = clients("provider")
    data = {"version": _version(vendor), "answer": "x"}
    assert vendor.post(ANSWER, data=data).status_code == 403


def test_answering_through_the_api(
    app_client: TestClient, store: MemoryUnitOfWork, token_for: Callable[[str], dict[str, str]]
) -> None:
    add_audit(store)
    vendor = token_for("provider")
    url = f"/api/v1{ANSWER.removesuffix('/answer')}"
    shown = app_client.get(url, headers=vendor)
    assert shown.status_code == 200
    assert (shown.json()["reference"], shown.json()["answers"]) == ("QA-1", [])
    given = app_client.post(
        f"{url}/answer",
        json={"answer": "Published."},
        headers={**vendor, "If-Match": shown.headers["etag"]},
    )
    assert given.status_code == 201, given.text
    read = app_client.get(url, headers=token_for("viewer")).json()
    assert read["answers"][0]["answer"] == "Published."
    stale = app_client.post(
        f"{url}/answer", json={"answer": "Again."},
        headers={**vendor, "If-Match": shown.headers["etag"]},
    )  # fmt: skip
    assert stale.status_code == 409
