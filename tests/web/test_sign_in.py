"""Signing in, sessions, CSRF, throttling, security headers and the upload limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of, login_token, sign_in

from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

PASSWORD = "correct horse battery"


def test_pages_need_a_sign_in_and_come_back_after_it(app_client: TestClient) -> None:
    response = app_client.get("/engagements?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/engagements%3Fx%3D1"
    page = app_client.get("/login?next=/engagements")
    assert 'name="next" value="/engagements"' in page.text
    signed = sign_in(app_client, "viewer", PASSWORD, next="/engagements")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/engagements"
    cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith("sw_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_next_never_leaves_the_site(app_client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = app_client.get("/login", params={"next": target})
        assert 'name="next" value="/"' in page.text


def test_wrong_password_then_throttled(app_client: TestClient) -> None:
    for _ in range(5):
        wrong = sign_in(app_client, "viewer", "nope nope nope")
        assert wrong.status_code == 401
        assert "wrong username or password" in wrong.text
    throttled = sign_in(app_client, "viewer", PASSWORD)
    assert throttled.status_code == 429
    assert "too many failed sign-ins" in throttled.text
    assert throttled.headers["retry-after"] == "1"
    # The same user from another address is not held up by this one's failures.
    elsewhere = TestClient(app_client.app, client=("10.0.0.2", 50000), follow_redirects=False)
    assert sign_in(elsewhere, "viewer", PASSWORD).status_code == 303


def test_unknown_user_gets_the_same_answer(app_client: TestClient) -> None:
    response = sign_in(app_client, "nobody", "whatever it is")
    assert response.status_code == 401
    assert "wrong username or password" in response.text


def test_logout_needs_the_csrf_token(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("viewer")
    refused = client.post("/logout")
    assert refused.status_code == 403
    token = csrf_of(client)
    done = client.post("/logout", data={"csrf_token": token})
    assert done.status_code == 303
    assert client.get("/engagements").status_code == 303


def test_the_sign_in_form_carries_a_pre_session_token(app_client: TestClient) -> None:
    page = app_client.get("/login")
    token = app_client.cookies["sw_login"]
    assert len(token) >= 40
    assert f'<input type="hidden" name="csrf_token" value="{token}">' in page.text
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert login_token(app_client) == token  # a second look at the form keeps it
    # Another visitor gets another token.
    other = TestClient(app_client.app, follow_redirects=False)
    assert login_token(other) != token


def test_sign_in_without_the_form_token_is_refused(app_client: TestClient) -> None:
    """Login CSRF: a page elsewhere cannot sign a victim's browser into the attacker's account,
    as it can neither read the token of the form nor set the cookie it must match."""
    login_token(app_client)  # the cookie is there; the form field is not
    for token in ("", "x" * 43):
        response = app_client.post(
            "/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert "sw_session=" not in response.headers.get("set-cookie", "")
    stranger = TestClient(app_client.app, follow_redirects=False)  # no cookie at all
    token = login_token(app_client)
    response = stranger.post(
        "/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "https://testserver"},  # another scheme is another origin
        {"Referer": "http://evil.example/login"},
    ],
    ids=["origin", "null origin", "scheme", "referer"],
)
def test_sign_in_from_another_origin_is_refused(
    app_client: TestClient, headers: dict[str, str]
) -> None:
    token = login_token(app_client)
    response = app_client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "csrf_token": token},
        headers=headers,
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "sw_session=" not in response.headers.get("set-cookie", "")


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://testserver"}, {"Referer": "http://testserver/login?next=/"}, {}],
    ids=["origin", "referer", "neither"],
)
def test_sign_in_from_this_origin_works(app_client: TestClient, headers: dict[str, str]) -> None:
    token = login_token(app_client)
    response = app_client.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "csrf_token": token},
        headers=headers,
    )
    assert response.status_code == 303
    assert "sw_session=" in response.headers["set-cookie"]


def test_origins_named_in_the_settings_may_post_the_form(
    store: MemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy in front may change the host name: its origin is listed."""
    monkeypatch.setenv("SOURCEWISE_TRUSTED_ORIGINS", "https://sourcewise.example, http://x.test")
    settings = WebSettings.from_environment()
    assert settings.trusted_origins == ("https://sourcewise.example", "http://x.test")
    app = create_app(settings, make_uow=lambda: store)
    client = TestClient(app, follow_redirects=False)
    token = login_token(client)
    data = {"username": "viewer", "password": PASSWORD, "csrf_token": token}
    headers = {"Origin": "https://sourcewise.example"}
    assert client.post("/login", data=data, headers=headers).status_code == 303
    elsewhere = {"Origin": "https://elsewhere.example"}
    assert client.post("/login", data=data, headers=elsewhere).status_code == 403


def test_cookie_requests_from_another_origin_are_refused(
    signed_in: Callable[[str], TestClient],
) -> None:
    """Defence in depth: even with the session's CSRF token, an unsafe request that a browser
    says comes from another site is refused."""
    client = signed_in("analyst")
    token = csrf_of(client)
    for origin in ("http://evil.example", "null"):
        refused = client.post("/logout", data={"csrf_token": token}, headers={"Origin": origin})
        assert refused.status_code == 403
    api = client.post(
        "/api/v1/tokens",
        json={"name": "from afar"},
        headers={"X-CSRF-Token": token, "Origin": "http://evil.example"},
    )
    assert api.status_code == 403
    assert api.headers["content-type"] == "application/problem+json"
    done = client.post(
        "/logout", data={"csrf_token": token}, headers={"Origin": "http://testserver"}
    )
    assert done.status_code == 303


def test_api_tokens_are_not_checked_for_origin(
    app_client: TestClient, token_for: Callable[[str], dict[str, str]]
) -> None:
    headers = {**token_for("analyst"), "Origin": "http://evil.example"}
    created = app_client.post("/api/v1/tokens", json={"name": "script"}, headers=headers)
    assert created.status_code == 201


def test_security_headers(app_client: TestClient) -> None:
    headers = app_client.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in headers


def test_bodies_over_the_limit_are_refused(app_client: TestClient) -> None:
    big = b"x" * (2 * 1024 * 1024 + 1)
    response = app_client.post("/login", content=big, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")  # a page's error page


def test_plotly_and_htmx_are_served_locally(app_client: TestClient) -> None:
    assert app_client.get("/static/vendor/plotly.min.js").status_code == 200
    assert app_client.get("/static/vendor/htmx.min.js").status_code == 200
    assert app_client.get("/static/vendor/world_110m.json").status_code == 200
