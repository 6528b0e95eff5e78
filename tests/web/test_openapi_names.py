"""Every schema of the OpenAPI document has a plain name: two response models of one name in
different modules make FastAPI prefix both with their module path, which clients then see."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_schema_names_are_unique_and_plain(app_client: TestClient) -> None:
    components = app_client.get("/api/openapi.json").json()["components"]["schemas"]
    prefixed = sorted(name for name in components if name.startswith("sourcewise__"))
    assert prefixed == []
