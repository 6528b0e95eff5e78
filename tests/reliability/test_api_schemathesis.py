"""schemathesis over every operation under /api/v1: no input gives a server error.

The app runs in-process (ASGI) on a SQLite store with one engagement, and every request carries
an admin's API token, so that generated requests reach the services behind authorisation.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from reliability_support import prepare_store, sqlite_url
from schemathesis.checks import not_a_server_error

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

pytestmark = pytest.mark.reliability

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, str]:
    url = sqlite_url(tmp_path_factory.mktemp("schemathesis"))
    make_uow = prepare_store(url)
    add_user(make_uow, "admin", "correct horse battery", Role.ADMIN)
    token = create_token(make_uow, "admin", "schemathesis")
    return create_app(WebSettings(database_url=url, max_upload_bytes=1024 * 1024)), token


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation under /api/v1, read from the app's schema."""
    from sourcewise.storage.memory import MemoryUnitOfWork

    memory = MemoryUnitOfWork()  # the schema does not depend on the store
    paths = create_app(WebSettings(), make_uow=lambda: memory).openapi()["paths"]
    return [
        (method.upper(), path)
        for path, methods in paths.items()
        if path.startswith("/api/v1/")
        for method in methods
    ]


OPERATIONS = operations()


# schemathesis's own pytest integration (lazy schemas, parametrize) does not run under this
# pytest; each operation's Hypothesis strategy is driven directly instead.
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_errors(method: str, path: str, api: tuple[FastAPI, str]) -> None:
    app, token = api
    operation = schemathesis.openapi.from_asgi("/api/openapi.json", app)[path][method]
    headers = {"Authorization": f"Bearer {token}"}

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    call()


def test_the_schema_covers_the_api(api: tuple[FastAPI, str]) -> None:
    """The parametrised test above must see the operations (a wrong filter would hide them)."""
    paths = api[0].openapi()["paths"]
    assert sum(len(ops) for path, ops in paths.items() if path.startswith("/api/v1/")) >= 30
