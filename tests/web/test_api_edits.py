"""Editing through the API: ETag on every editable GET, If-Match on every change, 409 on a
stale one (with the current ETag), 428 without one, 422 naming the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from edit_samples import MEETING, add_meeting_and_credit
from sourcewise.services.record_editing import record_id
from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]
LEVEL = "/api/v1/engagements/Customer%20care/service-levels/Availability"
TERMS = "/api/v1/engagements/Customer%20care/terms"
CREDITS = "/api/v1/engagements/Customer%20care/credits"
MEETING_URL = f"/api/v1/engagements/Customer%20care/meetings/{record_id(MEETING)}"


@pytest.fixture
def api(app_client: TestClient, store: MemoryUnitOfWork) -> TestClient:
    add_meeting_and_credit(store)
    return app_client


def test_a_target_is_changed_with_the_etag_of_its_get(
    api: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    admin = token_for("admin")
    shown = api.get(LEVEL, headers=admin)
    assert shown.status_code == 200
    assert shown.json()["target"] == 99.5
    tag = shown.headers["etag"]
    changed = api.patch(LEVEL, json={"target": 99.0}, headers={**admin, "If-Match": tag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["target"] == 99.0
    assert changed.json()["earn_back_months"] == 3  # what was not sent stays
    assert changed.headers["etag"] != tag
    stale = api.patch(LEVEL, json={"target": 98.0}, headers={**admin, "If-Match": tag})
    assert stale.status_code == 409
    assert stale.headers["etag"] == changed.headers["etag"]
    assert "changed by admin" in stale.json()["detail"]
    level = store.committed.engagements["Customer care"].service_level("Availability")
    assert level is not None
    assert level.target == 99.0
    entries = [e for e in store.committed.audit_log if e.entity == "service_level"]
    assert len(entries) == 1


def test_a_change_without_if_match_is_428(api: TestClient, token_for: Headers) -> None:
    answer = api.patch(LEVEL, json={"target": 99.0}, headers=token_for("admin"))
    assert answer.status_code == 428
    assert "If-Match" in answer.json()["detail"]


def test_a_bad_value_is_422_naming_the_field(api: TestClient, token_for: Headers) -> None:
    admin = token_for("analyst")
    tag = api.get(LEVEL, headers=admin).headers["etag"]
    answer = api.patch(
        LEVEL, json={"target": "high", "minimum_sample": -1}, headers={**admin, "If-Match": tag}
    )
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"target", "minimum_sample"}


def test_terms_are_changed_with_their_etag(
    api: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    analyst = token_for("analyst")
    shown = api.get(TERMS, headers=analyst)
    assert shown.json()["service_credits"]["at_risk_pct"] == "12"
    answer = api.patch(
        TERMS,
        json={"service_credits": {"at_risk_pct": "10"}, "engagement": {"end": "2029-12-31"}},
        headers={**analyst, "If-Match": shown.headers["etag"]},
    )
    assert answer.status_code == 200, answer.text
    stored = store.committed.engagements["Customer care"]
    assert (str(stored.at_risk_pct), str(stored.end)) == ("10", "2029-12-31")
    bad = api.patch(
        TERMS,
        json={"engagement": {"name": "Renamed"}},
        headers={**analyst, "If-Match": answer.headers["etag"]},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "engagement.name"


def test_an_action_is_closed_with_the_meetings_etag(
    api: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    analyst = token_for("analyst")
    shown = api.get(MEETING_URL, headers=analyst)
    assert [a.get("done_on") for a in shown.json()["actions"]] == [None, None]
    done = api.post(
        f"{MEETING_URL}/actions/2/done",
        json={"done_on": "2026-02-05"},
        headers={**analyst, "If-Match": shown.headers["etag"]},
    )
    assert done.status_code == 200, done.text
    assert done.json()["actions"][1]["done_on"] == "2026-02-05"
    again = api.post(
        f"{MEETING_URL}/actions/1/done",
        json={"done_on": "2026-02-05"},
        headers={**analyst, "If-Match": shown.headers["etag"]},
    )
    assert again.status_code == 409
    missing = api.post(
        f"{MEETING_URL}/actions/3/done",
        json={"done_on": "2026-02-05"},
        headers={**analyst, "If-Match": done.headers["etag"]},
    )
    assert missing.status_code == 404
    assert store.committed.meetings[0].items[1].done_on is None


def test_a_provider_answers_a_credit_through_the_api(
    api: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    vendor = token_for("provider")
    listed = api.get(CREDITS, headers=vendor).json()
    assert [(m["month"], m["answers"]) for m in listed] == [("2026-01", [])]
    url = f"{CREDITS}/2026-01/answer"
    answer = api.post(
        url,
        json={"verdict": "acknowledged", "comment": "Agreed."},
        headers={**vendor, "If-Match": listed[0]["version"]},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["actor"] == "provider"
    seen = api.get(CREDITS, headers=token_for("viewer")).json()
    assert seen[0]["answers"][0]["verdict"] == "acknowledged"
    stale = api.post(
        url, json={"verdict": "disputed", "comment": "No."},
        headers={**vendor, "If-Match": listed[0]["version"]},
    )  # fmt: skip
    assert stale.status_code == 409
    other = token_for("other_provider")
    assert api.get(CREDITS, headers=other).status_code == 404
    refused = api.post(
        url, json={"verdict": "acknowledged"}, headers={**other, "If-Match": seen[0]["version"]}
    )
    assert refused.status_code == 404
    assert len(store.committed.responses.credits) == 1
