"""Helpers shared by the web tests."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response

from sourcewise.governance.records import Measurement
from sourcewise.storage.memory import MemoryUnitOfWork

SCENARIO_TEXT = (Path(__file__).parents[2] / "examples" / "windows-offshore-plant.yaml").read_text(
    encoding="utf-8"
)
"""A small valid scenario (one function): decided without draws in a few milliseconds."""
PASSWORD = "correct horse battery"
"""The password of the users tests/web/conftest.py adds."""
UNGUARDED = ("/static", "/api/openapi.json", "/api/docs", "/healthz")
"""Paths (and what is under them) open to anyone by design: no authorisation-matrix row."""


def login_token(client: TestClient) -> str:
    """The sign-in form's pre-session CSRF token (its cookie goes into the client's jar)."""
    html = client.get("/login").text
    form = re.search(r'<form method="post" action="/login">(.*?)</form>', html, re.S)
    assert form is not None, "no sign-in form"
    found = re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', form.group(1))
    assert found is not None, "no CSRF token in the sign-in form"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str, **fields: str) -> httpx2.Response:
    """Post the sign-in form as a browser would: with the token of the form it was given."""
    data = {"username": username, "password": password, "csrf_token": login_token(client)}
    return client.post("/login", data={**data, **fields})


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's meta tag."""
    html = client.get(page).text
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert found is not None, "no CSRF token on the page"
    assert found.group(1), "an empty CSRF token on the page"
    return found.group(1)


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route of the app (included routers flattened) but the unguarded
    ones; a route without methods (a mount) is ("*", path), which no table names. A path is
    written as in the OpenAPI document: ``{name}`` for ``{name:segment}``."""
    found = set()
    for route in iter_route_contexts(app.routes):
        path = route.path_format or route.path or ""
        if any(path == p or path.startswith(f"{p}/") for p in UNGUARDED):
            continue
        found |= {(method, path) for method in route.methods or {"*"}}
    return found


def assert_secured(response: Response) -> None:
    """The security headers every answer carries, errors included; and not to be stored."""
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


def store_measurements(store: MemoryUnitOfWork, *rows: Measurement) -> None:
    """``rows`` stored as one ingested file, none of them conflicting with what is there."""
    with store:
        outcome = store.measurements.ingest([[(str(i), m) for i, m in enumerate(rows)]], False)
        assert outcome.conflict_count == 0
        store.commit()
