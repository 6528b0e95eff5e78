"""The three edits the browser offers first: closing a meeting action, a provider's answer to
a service credit, editing a service level's target. Each is CSRF-checked, refused to the
roles that may not make it, refused on a stale version (409) and logged in the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from edit_samples import CREDIT_MONTH, MEETING, add_meeting_and_credit
from sourcewise.services.record_editing import record_id
from sourcewise.services.record_versions import version_of
from sourcewise.storage.memory import MemoryUnitOfWork

PAGE = "/engagements/Customer care"
Clients = Callable[[str], TestClient]


@pytest.fixture
def clients(store: MemoryUnitOfWork, signed_in: Clients) -> Clients:
    add_meeting_and_credit(store)
    return signed_in


def _version(html: str, action: str) -> str:
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None, f"no form posting to {action}"
    found = re.search(r'name="version" value="([0-9a-f]+)"', form.group(1))
    assert found is not None
    return found.group(1)


def _done_path() -> str:
    return f"/engagements/Customer%20care/meetings/{record_id(MEETING)}/actions/1/done"


def _latest(store: MemoryUnitOfWork, entity: str) -> object:
    entries = [e for e in store.committed.audit_log if e.entity == entity]
    assert entries, f"no {entity} entry in the audit log"
    return entries[-1]


# --- closing a meeting action -------------------------------------------------------------


def test_an_analyst_closes_an_action_from_the_meetings_section(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    client = clients("analyst")
    html = client.get(f"{PAGE}/sections/meetings").text
    version = _version(html, _done_path())
    assert version == version_of(MEETING)
    token = csrf_of(client, PAGE)
    answer = client.post(
        _done_path(), data={"csrf_token": token, "version": version, "done_on": "2026-01-29"}
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].endswith("#meetings")
    action = store.committed.meetings[0].items[1]
    assert str(action.done_on) == "2026-01-29"
    entry = _latest(store, "meeting")
    assert entry.actor == "analyst"
    assert entry.before["items"][1]["done_on"] is None
    assert entry.after["items"][1]["done_on"] == "2026-01-29"
    # The page no longer offers to close it; the other action is still open.
    html = client.get(f"{PAGE}/sections/meetings").text
    assert "done 29 Jan 2026" in html
    assert html.count("Mark done</button>") == 1


def test_closing_an_action_on_a_stale_version_is_a_409_and_changes_nothing(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    client = clients("analyst")
    token = csrf_of(client, PAGE)
    stale = version_of(MEETING)
    first = client.post(
        _done_path(), data={"csrf_token": token, "version": stale, "done_on": "2026-01-29"}
    )
    assert first.status_code == 303
    second_path = _done_path().replace("/actions/1/", "/actions/2/")
    again = client.post(
        second_path, data={"csrf_token": token, "version": stale, "done_on": "2026-02-05"}
    )
    assert again.status_code == 409
    assert "changed by analyst" in again.text
    assert "nothing was overwritten" in again.text
    assert store.committed.meetings[0].items[2].done_on is None


def test_a_done_date_before_the_meeting_names_the_field(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    client = clients("admin")
    token = csrf_of(client, PAGE)
    answer = client.post(
        _done_path(),
        data={"csrf_token": token, "version": version_of(MEETING), "done_on": "2026-01-02"},
    )
    assert answer.status_code == 422
    assert "done_on" in answer.text
    assert "before the meeting" in answer.text
    assert store.committed.meetings[0].items[1].done_on is None


@pytest.mark.parametrize(("user", "status"), [("viewer", 403), ("provider", 403)])
def test_viewers_and_providers_cannot_close_actions(
    clients: Clients, store: MemoryUnitOfWork, user: str, status: int
) -> None:
    client = clients(user)
    token = csrf_of(client, "/engagements")
    answer = client.post(
        _done_path(),
        data={"csrf_token": token, "version": version_of(MEETING), "done_on": "2026-01-29"},
    )
    assert answer.status_code == status
    assert store.committed.meetings[0].items[1].done_on is None


def test_closing_an_action_needs_the_csrf_token(clients: Clients, store: MemoryUnitOfWork) -> None:
    client = clients("analyst")
    answer = client.post(
        _done_path(), data={"version": version_of(MEETING), "done_on": "2026-01-29"}
    )
    assert answer.status_code == 403
    assert store.committed.meetings[0].items[1].done_on is None


# --- a provider's answer to a service credit ---------------------------------------------

CREDITS = f"{PAGE}/credits"
ANSWER = f"/engagements/Customer%20care/credits/{CREDIT_MONTH:%Y-%m}/answer"


def test_a_provider_disputes_a_credit_and_the_client_sees_the_answer(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    vendor = clients("provider")
    html = vendor.get(CREDITS).text
    assert "January 2026" in html
    version = _version(html, ANSWER)
    token = csrf_of(vendor, PAGE)
    answer = vendor.post(
        ANSWER,
        data={
            "csrf_token": token,
            "version": version,
            "verdict": "disputed",
            "comment": "The outage on 15 January was the <client's> network.",
        },
    )
    assert answer.status_code == 303, answer.text
    stored = store.committed.responses.credits
    assert [(r.verdict.value, r.actor) for r in stored] == [("disputed", "provider")]
    entry = _latest(store, "credit_response")
    assert entry.key == "Customer care/2026-01"
    assert entry.before is None
    assert entry.after["verdict"] == "disputed"
    # The client's analyst sees the answer, escaped, and is offered no answer form.
    client_html = clients("analyst").get(CREDITS).text
    assert "disputed" in client_html
    assert "by provider" in client_html
    assert "the &lt;client&#39;s&gt; network" in client_html
    assert 'name="verdict"' not in client_html


def test_a_dispute_needs_a_comment(clients: Clients, store: MemoryUnitOfWork) -> None:
    vendor = clients("provider")
    version = _version(vendor.get(CREDITS).text, ANSWER)
    token = csrf_of(vendor, PAGE)
    answer = vendor.post(
        ANSWER, data={"csrf_token": token, "version": version, "verdict": "disputed"}
    )
    assert answer.status_code == 422
    assert "say why the credit is disputed" in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert store.committed.responses.credits == []


def test_a_second_answer_on_the_old_version_is_a_409(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    vendor = clients("provider")
    version = _version(vendor.get(CREDITS).text, ANSWER)
    token = csrf_of(vendor, PAGE)
    data = {"csrf_token": token, "version": version, "verdict": "acknowledged"}
    assert vendor.post(ANSWER, data=data).status_code == 303
    again = vendor.post(ANSWER, data={**data, "verdict": "disputed", "comment": "no"})
    assert again.status_code == 409
    assert "changed by provider" in again.text
    assert [r.verdict.value for r in store.committed.responses.credits] == ["acknowledged"]


def test_only_the_engagements_own_provider_answers(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    version = _version(clients("provider").get(CREDITS).text, ANSWER)
    other = clients("other_provider")
    assert other.get(CREDITS).status_code == 404
    data = {"version": version, "verdict": "acknowledged"}
    token = csrf_of(other, "/engagements")
    assert other.post(ANSWER, data={**data, "csrf_token": token}).status_code == 404
    for user in ("analyst", "admin", "viewer"):
        client = clients(user)
        token = csrf_of(client, PAGE)
        assert client.post(ANSWER, data={**data, "csrf_token": token}).status_code == 403
    vendor = clients("provider")
    assert vendor.post(ANSWER, data=data).status_code == 403  # no CSRF token
    assert store.committed.responses.credits == []


def test_a_month_without_a_credit_cannot_be_answered(clients: Clients) -> None:
    vendor = clients("provider")
    token = csrf_of(vendor, PAGE)
    answer = vendor.post(
        ANSWER.replace("2026-01", "2026-02"),
        data={"csrf_token": token, "version": "0" * 32, "verdict": "acknowledged"},
    )
    assert answer.status_code == 404


# --- editing a service level ---------------------------------------------------------------

LEVEL = "/engagements/Customer%20care/service-levels/Availability/edit"


def _level_form(client: TestClient) -> dict[str, str]:
    html = client.get(LEVEL).text
    inputs = r'<input id="[^"]+" name="(\w+)" type="\w+"[^>]*value="([^"]*)"'
    fields = dict(re.findall(inputs, html))
    fields["kind"] = "critical"
    fields["window"] = "month"
    fields["prorated"] = "true"
    fields["version"] = re.search(r'name="version" value="([0-9a-f]+)"', html).group(1)
    fields["csrf_token"] = csrf_of(client, LEVEL)
    return fields


def test_an_admin_edits_a_target(clients: Clients, store: MemoryUnitOfWork) -> None:
    admin = clients("admin")
    form = _level_form(admin)
    assert form["target"] == "99.5"
    answer = admin.post(LEVEL, data={**form, "target": "99.0"})
    assert answer.status_code == 303, answer.text
    level = store.committed.engagements["Customer care"].service_level("Availability")
    assert level is not None
    assert level.target == 99.0
    assert level.full_credit_shortfall == 0.5  # the fields not changed stay
    entry = _latest(store, "service_level")
    assert entry.key == "Customer care/Availability"
    assert (entry.before["target"], entry.after["target"]) == (99.5, 99.0)
    assert entry.actor == "admin"


def test_a_bad_target_is_shown_next_to_its_field(clients: Clients, store: MemoryUnitOfWork) -> None:
    admin = clients("admin")
    form = _level_form(admin)
    answer = admin.post(LEVEL, data={**form, "target": "high", "minimum_sample": "-1"})
    assert answer.status_code == 422
    html = answer.text
    assert re.search(r'id="f-target-error">Input should be a valid number', html)
    assert re.search(r'id="f-minimum_sample-error">Input should be greater than or equal', html)
    assert 'value="high"' in html  # what was typed is kept
    level = store.committed.engagements["Customer care"].service_level("Availability")
    assert level is not None
    assert level.target == 99.5


def test_two_people_editing_one_target_do_not_overwrite_each_other(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    admin, analyst = clients("admin"), clients("analyst")
    first, second = _level_form(admin), _level_form(analyst)
    assert admin.post(LEVEL, data={**first, "target": "99.0"}).status_code == 303
    late = analyst.post(LEVEL, data={**second, "target": "98.0"})
    assert late.status_code == 409
    assert "changed by admin" in late.text
    assert 'value="99.0"' in late.text  # the form now shows the current target
    level = store.committed.engagements["Customer care"].service_level("Availability")
    assert level is not None
    assert level.target == 99.0


@pytest.mark.parametrize("user", ["viewer", "provider"])
def test_viewers_and_providers_cannot_edit_service_levels(
    clients: Clients, store: MemoryUnitOfWork, user: str
) -> None:
    client = clients(user)
    assert client.get(LEVEL).status_code == 403
    token = csrf_of(client, "/engagements")
    answer = client.post(LEVEL, data={"csrf_token": token, "version": "x", "target": "1"})
    assert answer.status_code == 403


def test_editing_a_service_level_needs_the_csrf_token(clients: Clients) -> None:
    admin = clients("admin")
    form = _level_form(admin)
    del form["csrf_token"]
    assert admin.post(LEVEL, data={**form, "target": "99.0"}).status_code == 403


def test_an_unknown_service_level_is_404(clients: Clients) -> None:
    assert clients("admin").get(LEVEL.replace("Availability", "Nope")).status_code == 404


# --- editing the engagement's core fields ---------------------------------------------------

EDIT = "/engagements/Customer%20care/edit"


def _engagement_form(client: TestClient) -> dict[str, str]:
    html = client.get(EDIT).text
    inputs = r'<input id="[^"]+" name="([\w.]+)" type="\w+"[^>]*value="([^"]*)"'
    fields = {k: v for k, v in re.findall(inputs, html) if v}
    found = re.search(r'name="version" value="([0-9a-f]+)"', html)
    assert found is not None
    return {**fields, "version": found.group(1), "csrf_token": csrf_of(client, EDIT)}


def test_an_analyst_edits_the_credit_terms(clients: Clients, store: MemoryUnitOfWork) -> None:
    analyst = clients("analyst")
    form = _engagement_form(analyst)
    assert form["service_credits.at_risk_pct"] == "12"
    answer = analyst.post(EDIT, data={**form, "service_credits.at_risk_pct": "10"})
    assert answer.status_code == 303, answer.text
    assert str(store.committed.engagements["Customer care"].at_risk_pct) == "10"
    entry = _latest(store, "engagement")
    assert (entry.before["at_risk_pct"], entry.after["at_risk_pct"]) == ("12", "10")
    stale = analyst.post(EDIT, data={**form, "engagement.function": "Care"})
    assert stale.status_code == 409
    assert "changed by analyst" in stale.text


def test_an_end_before_the_start_is_listed_above_the_form(
    clients: Clients, store: MemoryUnitOfWork
) -> None:
    admin = clients("admin")
    form = _engagement_form(admin)
    answer = admin.post(EDIT, data={**form, "engagement.end": "2025-01-01"})
    assert answer.status_code == 422
    assert "end 2025-01-01 is before start 2026-01-01" in answer.text
    assert store.committed.engagements["Customer care"].end is None
    answer = admin.post(EDIT, data={**form, "engagement.currency": "dollars"})
    assert re.search(r'id="f-engagement-currency-error">[^<]*\w', answer.text)


@pytest.mark.parametrize("user", ["viewer", "provider", "other_provider"])
def test_only_writers_open_the_engagement_form(clients: Clients, user: str) -> None:
    assert clients(user).get(EDIT).status_code == 403


# --- a new engagement -------------------------------------------------------------------------

NEW_ENGAGEMENT = {
    "provider": "Acme BPO",
    "engagement.name": "Back office Manila",
    "engagement.function": "Finance back office",
    "engagement.home_country": "US",
    "engagement.country": "PH",
    "engagement.currency": "USD",
    "engagement.start": "2027-01-01",
    "contracts[0].reference": "MSA-9",
    "contracts[0].title": "Master services agreement",
    "contracts[0].start": "2027-01-01",
    "contracts[0].monthly_fee": "25000",
    "service_credits.at_risk_pct": "10",
}


def test_an_analyst_adds_an_engagement(clients: Clients, store: MemoryUnitOfWork) -> None:
    analyst = clients("analyst")
    assert "/new-engagement" in analyst.get("/engagements").text
    token = csrf_of(analyst, "/new-engagement")
    bad = {**NEW_ENGAGEMENT, "engagement.country": "XX", "csrf_token": token}
    refused = analyst.post("/new-engagement", data=bad)
    assert refused.status_code == 422
    assert 'id="f-engagement-country-error"' in refused.text
    added = analyst.post("/new-engagement", data={**NEW_ENGAGEMENT, "csrf_token": token})
    assert added.status_code == 303, added.text
    assert added.headers["location"] == "/engagements/Back%20office%20Manila"
    stored = store.committed.engagements["Back office Manila"]
    assert (stored.provider, str(stored.contracts[0].monthly_fee)) == ("Acme BPO", "25000")
    entry = _latest(store, "engagement")
    assert (entry.key, entry.action.value, entry.actor) == (
        "Back office Manila",
        "insert",
        "analyst",
    )
    again = analyst.post("/new-engagement", data={**NEW_ENGAGEMENT, "csrf_token": token})
    assert again.status_code == 422
    assert "exists already" in again.text


@pytest.mark.parametrize("user", ["viewer", "provider"])
def test_only_writers_add_engagements(clients: Clients, user: str) -> None:
    client = clients(user)
    assert client.get("/new-engagement").status_code == 403
    token = csrf_of(client, "/engagements")
    data = {**NEW_ENGAGEMENT, "csrf_token": token}
    assert client.post("/new-engagement", data=data).status_code == 403


def test_adding_an_engagement_needs_the_csrf_token(clients: Clients) -> None:
    assert clients("admin").post("/new-engagement", data=NEW_ENGAGEMENT).status_code == 403
