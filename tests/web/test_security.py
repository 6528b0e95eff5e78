"""``web/security.py``: every answer carries the security headers (errors included), nothing but
the static assets may be cached, and a body over the limit is refused with 413 in the form of
the path asked for (an HTML page, or a problem document under /api/)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import assert_secured

from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

SignIn = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]
LIMIT = 1_000


@pytest.fixture
def small(store: MemoryUnitOfWork) -> TestClient:
    """An app that takes bodies of at most 1,000 bytes."""
    app = create_app(WebSettings(max_upload_bytes=LIMIT), make_uow=lambda: store)
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


@pytest.mark.parametrize(
    "path", ["/", "/engagements", "/engagements/Customer%20care", "/audit-log", "/scenarios"]
)
def test_signed_in_pages_are_not_stored(signed_in: SignIn, path: str) -> None:
    response = signed_in("admin").get(path)
    assert response.status_code == 200
    assert_secured(response)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/engagements",
        "/api/v1/engagements/Customer%20care",
        "/api/v1/engagements/Customer%20care/sla",
        "/api/v1/risks",
        "/api/v1/kpis",
    ],
)
def test_api_answers_are_not_stored(app_client: TestClient, token_for: Headers, path: str) -> None:
    response = app_client.get(path, headers=token_for("admin"))
    assert response.status_code == 200
    assert_secured(response)


def test_errors_and_the_sign_in_page_are_not_stored(
    app_client: TestClient, signed_in: SignIn
) -> None:
    assert_secured(app_client.get("/login"))
    assert_secured(app_client.get("/api/v1/engagements"))  # 401
    assert_secured(signed_in("admin").get("/engagements/No%20such"))  # 404 page
    assert_secured(signed_in("admin").get("/no/such/page"))


def test_static_assets_may_be_cached(app_client: TestClient) -> None:
    for path in ("/static/app.css", "/static/vendor/htmx.min.js", "/static/vendor/plotly.min.js"):
        response = app_client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.headers.get("cache-control", ""), path
        assert response.headers["x-content-type-options"] == "nosniff"


def test_a_page_body_over_the_limit_is_an_html_413_with_the_headers(small: TestClient) -> None:
    response = small.post(
        "/login", content=b"x" * (LIMIT + 1), headers={"content-type": "text/plain"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert "1,000 bytes" in response.text
    assert_secured(response)


def test_an_api_body_over_the_limit_is_a_problem_with_the_headers(
    small: TestClient, token_for: Headers
) -> None:
    response = small.post(
        "/api/v1/records",
        headers={**token_for("admin"), "content-type": "application/yaml"},
        content=b"a: 1\n" * LIMIT,
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 413
    assert_secured(response)


def test_a_chunked_body_over_the_limit_is_refused_as_it_arrives(
    small: TestClient, token_for: Headers
) -> None:
    """No Content-Length: the body is counted as it is read."""

    def chunks() -> Iterator[bytes]:
        yield b"username=admin&password="
        for _ in range(5):
            yield b"x" * 400

    form = {"content-type": "application/x-www-form-urlencoded"}
    page = small.post("/login", content=chunks(), headers=form)
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert_secured(page)
    yaml = {**token_for("admin"), "content-type": "application/yaml"}
    api = small.post("/api/v1/records", content=chunks(), headers=yaml)
    assert api.status_code == 413
    assert api.headers["content-type"] == "application/problem+json"
    assert_secured(api)
