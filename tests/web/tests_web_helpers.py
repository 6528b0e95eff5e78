"""Helpers shared by the web tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def csrf_of(client: TestClient, page: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page's meta tag."""
    html = client.get(page).text
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert found is not None, "no CSRF token on the page"
    assert found.group(1), "an empty CSRF token on the page"
    return found.group(1)
