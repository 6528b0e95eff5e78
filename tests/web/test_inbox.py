"""The inbox: each user's events (a provider's user only its own engagements' shared kinds),
acknowledged or resolved by a CSRF-checked POST that the audit log records, and the user's
notification subscriptions."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from event_samples import seed_events
from fastapi.testclient import TestClient
from tests_web_helpers import PASSWORD, csrf_of, sign_in

from sourcewise.services.monitor_schedule import last_run
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings


def test_acknowledging_needs_the_csrf_token_and_is_audit_logged(
    store: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    event_id = seed_events(store)["event_id"]
    client = signed_in("analyst")
    refused = client.post(f"/inbox/{event_id}/acknowledge")
    assert refused.status_code == 403
    token = csrf_of(client, "/inbox")
    done = client.post(f"/inbox/{event_id}/acknowledge", data={"csrf_token": token})
    assert done.status_code == 303
    assert done.headers["location"] == "/inbox"
    page = client.get("/inbox").text
    assert "acknowledged by analyst" in page
    with store:
        (entry,) = [e for e in store.audit_log.entries() if e.entity == "monitor_event"]
    assert entry.actor == "analyst"
    assert entry.key == event_id
    assert entry.after["state"] == "acknowledged"
    log = client.get("/audit-log", params={"entity": "monitor_event"}).text
    assert "acknowledged" in log


def test_a_provider_sees_only_its_own_engagements_shared_events(
    store: MemoryUnitOfWork,
    signed_in: Callable[[str], TestClient],
    token_for: Callable[[str], dict[str, str]],
) -> None:
    seed_events(store)
    page = signed_in("provider").get("/inbox").text
    assert "breached" in page
    assert "Risk R-001" not in page
    assert "Other BPO" not in page
    items = signed_in("provider").get("/api/v1/events").json()["items"]
    assert [(e["kind"], e["engagement"]) for e in items] == [("sla_breach", "Customer care")]
    analyst = {e["kind"] for e in signed_in("analyst").get("/api/v1/events").json()["items"]}
    assert analyst == {"sla_breach", "risk_trigger"}
    hidden = next(e for e in store.monitor.events() if e.kind.value == "risk_trigger")
    headers = token_for("provider")
    answer = signed_in("provider").post(f"/api/v1/events/{hidden.id}/resolve", headers=headers)
    assert answer.status_code == 404


def test_resolving_through_the_api_with_a_token(
    store: MemoryUnitOfWork,
    app_client: TestClient,
    token_for: Callable[[str], dict[str, str]],
) -> None:
    event_id = seed_events(store)["event_id"]
    answer = app_client.post(f"/api/v1/events/{event_id}/resolve", headers=token_for("viewer"))
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["changed_by"]) == ("resolved", "viewer")
    live = app_client.get("/api/v1/events", headers=token_for("viewer")).json()["items"]
    assert event_id not in {str(e["id"]) for e in live}
    every = app_client.get(
        "/api/v1/events", params={"resolved": "true"}, headers=token_for("viewer")
    ).json()["items"]
    assert event_id in {str(e["id"]) for e in every}


def test_subscriptions_are_added_and_removed_on_the_inbox_page(
    store: MemoryUnitOfWork, signed_in: Callable[[str], TestClient]
) -> None:
    client = signed_in("provider")
    token = csrf_of(client, "/inbox")
    added = client.post(
        "/inbox/subscriptions",
        data={
            "csrf_token": token,
            "channel": "webhook",
            "target": "https://hooks.example/acme",
            "min_severity": "critical",
            "kinds": ["sla_breach", "kpi_drift"],
            "digest": "true",
        },
    )
    assert added.status_code == 303
    page = client.get("/inbox").text
    assert "https://hooks.example/acme" in page
    assert "sla_breach, kpi_drift" in page
    assert "risk trigger" not in page  # not a kind offered to a provider's user
    bad = client.post(
        "/inbox/subscriptions",
        data={"csrf_token": token, "channel": "webhook", "target": "ftp://x"},
    )
    assert bad.status_code == 422
    assert "http(s) URL" in bad.text
    with store:
        (subscription,) = store.monitor.subscriptions("provider")
    assert subscription.digest
    other = signed_in("analyst")
    refused = other.post(
        f"/inbox/subscriptions/{subscription.id}/remove",
        data={"csrf_token": csrf_of(other, "/inbox")},
    )
    assert refused.status_code == 404
    removed = client.post(
        f"/inbox/subscriptions/{subscription.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 303
    with store:
        assert store.monitor.subscriptions() == []
        logged = [e.action.value for e in store.audit_log.entries("subscription")]
    assert logged == ["delete", "insert"]


def test_the_server_runs_the_monitoring_on_its_schedule_and_the_inbox_says_so(
    store: MemoryUnitOfWork,
) -> None:
    app = create_app(WebSettings(monitor_every=timedelta(minutes=30)), make_uow=lambda: store)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as client:
        # The lifespan started the schedule; its first look finds the run due at once.
        deadline = time.monotonic() + 20
        while last_run(lambda: store) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        state = last_run(lambda: store)
        assert state is not None, "the scheduled run did not happen"
        assert state.last_error is None
        assert state.last_started_at is not None
        assert state.next_due_at - state.last_started_at == timedelta(minutes=30)
        assert sign_in(client, "analyst", PASSWORD).status_code == 303
        page = client.get("/inbox").text
        assert "Monitoring of every engagement last ran" in page
        assert (
            "Next on the server&#39;s schedule" in page or "Next on the server's schedule" in page
        )
        client.cookies.clear()
        assert sign_in(client, "provider", PASSWORD).status_code == 303
        assert "last ran" not in client.get("/inbox").text
