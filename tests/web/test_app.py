"""``web/app.py``'s error handling: a page answers every error with an HTML page naming what
went wrong, the API with a problem document; both carry the security headers, a crash too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import assert_secured

from sourcewise.storage.memory import MemoryUnitOfWork

SignIn = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [("/audit-log?page=two", "page"), ("/locations?dir=sideways", "dir")],
)
def test_a_bad_query_parameter_on_a_page_is_an_html_page_naming_it(
    signed_in: SignIn, path: str, parameter: str
) -> None:
    response = signed_in("admin").get(path)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert f"<code>{parameter}</code>" in response.text
    assert_secured(response)


def test_a_bad_query_parameter_of_the_api_is_still_a_problem(
    app_client: TestClient, token_for: Headers
) -> None:
    response = app_client.get("/api/v1/engagements?limit=lots", headers=token_for("admin"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "query.limit"
    assert_secured(response)


def test_a_bad_parameter_of_an_anonymous_page_asks_to_sign_in_first(
    app_client: TestClient,
) -> None:
    assert app_client.get("/audit-log?page=two").status_code == 303


@pytest.fixture
def crashing(store: MemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch) -> MemoryUnitOfWork:
    """A store whose engagement list fails, as a broken database would."""

    def broken() -> list[object]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(store.engagements, "all", broken)
    return store


def test_a_crash_on_a_page_is_an_html_500_with_the_headers(
    crashing: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("analyst")
    client = TestClient(client.app, cookies=client.cookies, raise_server_exceptions=False)
    response = client.get("/engagements")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert "Internal Server Error" in response.text
    assert "the database went away" not in response.text  # no internals shown
    assert "analyst" in response.text  # still the signed-in layout
    assert_secured(response)


def test_a_crash_in_the_api_is_a_problem_with_the_headers(
    crashing: MemoryUnitOfWork, app_client: TestClient, token_for: Headers
) -> None:
    client = TestClient(app_client.app, raise_server_exceptions=False)
    response = client.get("/api/v1/engagements", headers=token_for("admin"))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
    }
    assert_secured(response)
