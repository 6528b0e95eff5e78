"""Ticking a risk playbook's step in the browser and through the API: writers only, CSRF-
checked, refused on a stale version, logged in the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from edit_samples import PLAYBOOK, add_risk_playbook
from sourcewise.services.playbook_steps import playbook_id
from sourcewise.services.record_versions import version_of
from sourcewise.storage.memory import MemoryUnitOfWork

Clients = Callable[[str], TestClient]
STEP = f"/risks/R-001/playbooks/{playbook_id(PLAYBOOK)}/steps/1"
SECTION = "/engagements/Customer care/sections/risks"


@pytest.fixture
def clients(store: MemoryUnitOfWork, signed_in: Clients) -> Clients:
    add_risk_playbook(store)
    return signed_in


def _form(client: TestClient) -> dict[str, str]:
    html = client.get(SECTION).text
    form = re.search(rf'<form[^>]*action="{re.escape(STEP)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, "no form ticking the first step"
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(1)))
    return {**fields, "csrf_token": csrf_of(client, "/engagements/Customer care")}


def test_an_analyst_ticks_a_step_and_can_undo_it(clients: Clients, store: MemoryUnitOfWork) -> None:
    analyst = clients("analyst")
    form = _form(analyst)
    assert (form["done"], form["version"]) == ("true", version_of(PLAYBOOK))
    answer = analyst.post(STEP, data=form)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/engagements/Customer%20care#risks"
    (run,) = store.committed.playbooks
    assert run.actions[0][3] is not None
    assert run.actions[1][3] is None
    entry = [e for e in store.committed.audit_log if e.entity == "playbook"][-1]
    assert entry.actor == "analyst"
    assert entry.key == "R-001: breach streak"
    assert entry.before["actions"][0][3] is None
    assert entry.after["actions"][0][3] is not None
    stale = analyst.post(STEP, data=form)
    assert stale.status_code == 409
    undo = _form(analyst)
    assert undo["done"] == "false"
    assert analyst.post(STEP, data=undo).status_code == 303
    assert store.committed.playbooks[0].actions[0][3] is None


@pytest.mark.parametrize("user", ["viewer", "provider"])
def test_viewers_and_providers_tick_nothing(
    clients: Clients, store: MemoryUnitOfWork, user: str
) -> None:
    client = clients(user)
    token = csrf_of(client, "/engagements")
    data = {"csrf_token": token, "version": version_of(PLAYBOOK), "done": "true"}
    assert client.post(STEP, data=data).status_code == 403
    assert store.committed.playbooks[0].actions[0][3] is None


def test_ticking_needs_the_csrf_token(clients: Clients, store: MemoryUnitOfWork) -> None:
    form = _form(clients("admin"))
    del form["csrf_token"]
    assert clients("admin").post(STEP, data=form).status_code == 403
    assert store.committed.playbooks[0].actions[0][3] is None


def test_ticking_through_the_api(
    app_client: TestClient, store: MemoryUnitOfWork, token_for: Callable[[str], dict[str, str]]
) -> None:
    add_risk_playbook(store)
    admin = token_for("admin")
    url = f"/api/v1{STEP.removesuffix('/steps/1')}"
    shown = app_client.get(url, headers=admin)
    assert shown.status_code == 200
    assert shown.json()["actions"][1]["action"] == "Agree a recovery plan"
    ticked = app_client.post(
        f"{url}/steps/2", json={"done": True}, headers={**admin, "If-Match": shown.headers["etag"]}
    )
    assert ticked.status_code == 200, ticked.text
    assert ticked.json()["actions"][1]["done_at"] is not None
    stale = app_client.post(
        f"{url}/steps/1", json={"done": True}, headers={**admin, "If-Match": shown.headers["etag"]}
    )
    assert stale.status_code == 409
    assert app_client.get(url, headers=token_for("provider")).status_code == 403
