"""The live validation of the scenario editor and the validation API, sent files that stand for
far more work than their size by the least privileged user who may call them."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from hostile_files import LAUGHS

Headers = Callable[[str], dict[str, str]]


def test_live_validation_refuses_a_billion_laughs_at_its_line(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("viewer")
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, "/scenarios")}
    fragment = client.post("/scenarios/validate", data={"text": LAUGHS}, headers=headers)
    assert fragment.status_code == 200
    assert "line 5</span>" in fragment.text
    assert "the alias &#39;*d&#39;" in fragment.text
    assert "20,000 values" in fragment.text


def test_the_validation_api_refuses_a_billion_laughs_at_its_line(
    app_client: TestClient, token_for: Headers
) -> None:
    response = app_client.post(
        "/api/v1/scenarios/validate",
        content=LAUGHS,
        headers={**token_for("viewer"), "content-type": "application/yaml"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    (problem,) = body["problems"]
    assert problem["line"] == 5
    assert problem["message"].startswith("the alias '*d'")
