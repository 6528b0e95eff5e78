"""Signing in, sessions, CSRF, throttling, security headers and the upload limit."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of


def test_pages_need_a_sign_in_and_come_back_after_it(app_client: TestClient) -> None:
    response = app_client.get("/engagements?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/engagements%3Fx%3D1"
    page = app_client.get("/login?next=/engagements")
    assert 'name="next" value="/engagements"' in page.text
    signed = app_client.post(
        "/login",
        data={"username": "viewer", "password": "correct horse battery", "next": "/engagements"},
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/engagements"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie


def test_next_never_leaves_the_site(app_client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        page = app_client.get("/login", params={"next": target})
        assert 'name="next" value="/"' in page.text


def test_wrong_password_then_throttled(app_client: TestClient) -> None:
    for _ in range(5):
        wrong = app_client.post("/login", data={"username": "viewer", "password": "nope nope nope"})
        assert wrong.status_code == 401
        assert "wrong username or password" in wrong.text
    throttled = app_client.post(
        "/login", data={"username": "viewer", "password": "correct horse battery"}
    )
    assert throttled.status_code == 429
    assert "too many failed sign-ins" in throttled.text
    assert throttled.headers["retry-after"] == "1"
    # The same user from another address is not held up by this one's failures.
    elsewhere = TestClient(app_client.app, client=("10.0.0.2", 50000), follow_redirects=False)
    signed = elsewhere.post(
        "/login", data={"username": "viewer", "password": "correct horse battery"}
    )
    assert signed.status_code == 303


def test_unknown_user_gets_the_same_answer(app_client: TestClient) -> None:
    response = app_client.post("/login", data={"username": "nobody", "password": "whatever it is"})
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
