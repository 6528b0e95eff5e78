"""A deprecated operation says so in the OpenAPI document and on every answer, errors too."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.api.deprecation import deprecated
from sourcewise.web.app import create_app
from sourcewise.web.problems import ApiError
from sourcewise.web.settings import WebSettings

SINCE, SUNSET = date(2027, 1, 4), date(2027, 7, 5)


@pytest.fixture
def client() -> TestClient:
    store = MemoryUnitOfWork()
    app = create_app(WebSettings(), make_uow=lambda: store)
    router = APIRouter(prefix="/api/v1")

    @router.get("/old/{n}", **deprecated(SINCE, SUNSET, "/api/v1/new"))
    def old(n: int) -> dict[str, int]:
        if n < 0:
            raise ApiError(404, "Not found", f"no {n}")
        return {"n": n}

    app.include_router(router)
    return TestClient(app)


def test_a_deprecated_operation_is_marked_in_the_openapi_document(client: TestClient) -> None:
    operation = client.get("/api/openapi.json").json()["paths"]["/api/v1/old/{n}"]["get"]
    assert operation["deprecated"] is True
    assert operation["x-deprecated-since"] == "2027-01-04"
    assert operation["x-sunset"] == "2027-07-05"
    assert operation["x-successor"] == "/api/v1/new"


@pytest.mark.parametrize("n", [1, -1])
def test_every_answer_of_it_carries_the_headers(client: TestClient, n: int) -> None:
    answer = client.get(f"/api/v1/old/{n}")
    assert answer.status_code == (200 if n > 0 else 404)
    assert answer.headers["Deprecation"] == "@1799020800"  # 2027-01-04T00:00:00Z
    assert answer.headers["Sunset"] == "Mon, 05 Jul 2027 00:00:00 GMT"
    links = answer.headers["Link"]
    assert '</api/docs>; rel="deprecation"' in links
    assert '</api/v1/new>; rel="successor-version"' in links


def test_other_operations_carry_none(client: TestClient) -> None:
    answer = client.get("/api/openapi.json")
    assert "Deprecation" not in answer.headers
    assert "Sunset" not in answer.headers
    assert not any(
        op.get("deprecated")
        for path, item in answer.json()["paths"].items()
        if path != "/api/v1/old/{n}"
        for op in item.values()
    )


def test_a_sunset_too_soon_is_refused() -> None:
    with pytest.raises(ValueError, match="180 days"):
        deprecated(SINCE, date(2027, 3, 1))
