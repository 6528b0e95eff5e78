"""Who am I, API tokens, the audit log, bearer and cookie authentication with CSRF, and the
OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable

from api_samples import MEASUREMENTS_CSV
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

Headers = Callable[[str], dict[str, str]]


def test_anonymous_is_401_with_a_bearer_challenge(app_client: TestClient) -> None:
    response = app_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not signed in"
    wrong = app_client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_me_with_a_token_and_with_a_cookie(
    app_client: TestClient, token_for: Headers, signed_in: Callable[[str], TestClient]
) -> None:
    assert app_client.get("/api/v1/me", headers=token_for("provider")).json() == {
        "username": "provider",
        "role": "provider",
        "provider": "Acme BPO",
        "can_write": False,
        "sees_everything": False,
        "can_approve": False,
    }
    assert signed_in("analyst").get("/api/v1/me").json()["username"] == "analyst"
    assert signed_in("cfo").get("/api/v1/me").json()["can_approve"] is True


def test_cookie_writes_need_the_csrf_header(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("provider")
    url = "/api/v1/engagements/Customer care/measurements"
    files = {"file": ("m.csv", MEASUREMENTS_CSV, "text/csv")}
    # A raw body: the multipart case would be read by the CSRF check for a form field.
    raw = {"Content-Type": "text/csv"}
    refused = client.post(url, content=MEASUREMENTS_CSV.encode(), headers=raw)
    assert refused.status_code == 403
    assert refused.json()["title"] == "CSRF check failed"
    wrong = client.post(url, files=files, headers={"X-CSRF-Token": "c_wrong"})
    assert wrong.status_code == 403
    token = csrf_of(client)
    accepted = client.post(url, files=files, headers={"X-CSRF-Token": token})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["inserted"] == 2
    # Reads need no CSRF token.
    assert client.get("/api/v1/engagements").status_code == 200


def test_tokens_are_created_used_listed_and_revoked(
    app_client: TestClient, token_for: Headers
) -> None:
    viewer = token_for("viewer")
    created = app_client.post("/api/v1/tokens", headers=viewer, json={"name": "script", "days": 30})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert created.json()["username"] == "viewer"
    mine = {"Authorization": f"Bearer {raw}"}
    assert app_client.get("/api/v1/me", headers=mine).json()["username"] == "viewer"
    listed = app_client.get("/api/v1/tokens", headers=mine).json()
    script = next(t for t in listed if t["name"] == "script")
    assert script["expires_at"] is not None
    assert not script["revoked"]
    duplicate = app_client.post("/api/v1/tokens", headers=viewer, json={"name": "script"})
    assert duplicate.status_code == 422
    assert duplicate.json()["errors"][0]["field"] == "body.name"
    assert app_client.delete("/api/v1/tokens/script", headers=viewer).status_code == 204
    assert app_client.get("/api/v1/me", headers=mine).status_code == 401
    assert app_client.delete("/api/v1/tokens/script-x", headers=viewer).status_code == 404


def test_only_admins_manage_other_users_tokens(app_client: TestClient, token_for: Headers) -> None:
    body = {"name": "for viewer", "username": "viewer"}
    refused = app_client.post("/api/v1/tokens", headers=token_for("analyst"), json=body)
    assert refused.status_code == 403
    admin = token_for("admin")
    created = app_client.post("/api/v1/tokens", headers=admin, json=body)
    assert created.json()["username"] == "viewer"
    listed = app_client.get("/api/v1/tokens", headers=admin, params={"username": "viewer"})
    assert "for viewer" in [t["name"] for t in listed.json()]
    revoke = app_client.delete(
        "/api/v1/tokens/for viewer", headers=token_for("analyst"), params={"username": "viewer"}
    )
    assert revoke.status_code == 403


def test_audit_log_pages_and_filters(app_client: TestClient, token_for: Headers) -> None:
    admin = token_for("admin")
    app_client.post(
        "/api/v1/engagements/Customer care/measurements",
        headers=admin,
        files={"file": ("m.csv", MEASUREMENTS_CSV, "text/csv")},
    )
    log = app_client.get("/api/v1/audit-log", headers=admin, params={"limit": 2}).json()
    assert (log["total"], log["limit"], log["offset"]) == (None, 2, 0)
    newest = log["items"][0]
    assert (newest["entity"], newest["actor"], newest["key"]) == ("measurements", "admin", "m.csv")
    assert newest["after"]["inserted"] == 2
    users = app_client.get(
        "/api/v1/audit-log", headers=admin, params={"entity": "user", "limit": 2, "offset": 1}
    ).json()
    assert [e["entity"] for e in users["items"]] == ["user", "user"]
    future = app_client.get("/api/v1/audit-log", headers=admin, params={"since": "2999-01-01"})
    assert future.json()["items"] == []
    assert app_client.get("/api/v1/audit-log", headers=token_for("provider")).status_code == 403


def test_openapi_documents_the_governance_api(app_client: TestClient) -> None:
    schema = app_client.get("/api/openapi.json").json()
    engagements = schema["paths"]["/api/v1/engagements"]
    assert engagements["get"]["tags"] == ["engagements"]
    page = engagements["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert page["$ref"].endswith("Page_EngagementSummary_")
    upload = schema["paths"]["/api/v1/engagements/{name}/measurements"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert app_client.get("/api/docs").status_code == 200
