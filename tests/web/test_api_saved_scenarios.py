"""``/api/v1/scenarios/saved``: saving versions (201, or 200 unchanged), reading, diffing,
sharing, problems as problem documents, the size limits, and names of any kind in paths."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from api_samples import RATE_UP
from fastapi.testclient import TestClient
from httpx2 import Response
from tests_web_helpers import SCENARIO_TEXT, csrf_of

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user
from sourcewise.services.scenario_library import MAX_NAME
from sourcewise.services.scenarios import MAX_FILE_BYTES
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.path_segments import quote_segment

Headers = Callable[[str], dict[str, str]]
SAVED = "/api/v1/scenarios/saved"
NAME = "Windows plan"
EDITED = SCENARIO_TEXT.replace(*RATE_UP)
RATE_LINE = SCENARIO_TEXT.splitlines().index("  " + RATE_UP[0]) + 1
PROBLEM = "application/problem+json"


def url(name: str, *rest: str | int) -> str:
    return "/".join((SAVED, quote_segment(name), *(str(r) for r in rest)))


def post(client: TestClient, auth: dict[str, str], name: str = NAME, **body: str) -> Response:
    """Save (the example text unless ``text`` is given), which must succeed."""
    answer = client.post(SAVED, json={"name": name, "text": SCENARIO_TEXT, **body}, headers=auth)
    assert answer.status_code in (200, 201), answer.text
    return answer


def test_saving_creates_versions_and_reports_an_unchanged_text(
    app_client: TestClient, token_for: Headers
) -> None:
    auth = token_for("analyst")
    first = app_client.post(
        SAVED, json={"name": NAME, "text": SCENARIO_TEXT, "note": "as received"}, headers=auth
    )
    assert first.status_code == 201
    assert first.headers["location"] == url(NAME, "versions", 1)
    assert first.json() == {
        "name": NAME,
        "version": 1,
        "outcome": "created",
        "url": url(NAME, "versions", 1),
    }
    again = app_client.post(SAVED, json={"name": NAME, "text": SCENARIO_TEXT}, headers=auth)
    assert again.status_code == 200
    assert again.json()["outcome"] == "unchanged"
    assert "location" not in again.headers
    second = post(app_client, auth, text=EDITED, note="rate up")
    assert (second.status_code, second.json()["version"]) == (201, 2)


def test_a_scenario_its_versions_and_a_version_read_back(
    app_client: TestClient, token_for: Headers
) -> None:
    auth = token_for("analyst")
    post(app_client, auth, note="as received")
    post(app_client, auth, text=EDITED, note="rate up", visibility="private")
    listed = app_client.get(SAVED, headers=auth).json()
    assert listed["total"] == 1
    (item,) = listed["items"]
    assert item["name"] == NAME
    assert (item["owner"], item["visibility"], item["latest_version"]) == ("analyst", "private", 2)
    assert item["updated_by"] == "analyst"
    assert item["url"] == url(NAME)
    detail = app_client.get(url(NAME), headers=auth).json()
    assert [(v["version"], v["note"], v["author"]) for v in detail["versions"]] == [
        (1, "as received", "analyst"),
        (2, "rate up", "analyst"),
    ]
    version = app_client.get(url(NAME, "versions", 1), headers=auth).json()
    assert version["text"] == SCENARIO_TEXT
    assert version["model"]["company"]["discount_rate"] == 0.08
    assert version["url"] == url(NAME, "versions", 1)
    missing = app_client.get(url(NAME, "versions", 7), headers=auth)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert "versions 1 to 2, not 7" in missing.json()["detail"]


def test_the_diff_names_each_changed_field_with_its_lines(
    app_client: TestClient, token_for: Headers
) -> None:
    auth = token_for("viewer")
    writer = token_for("analyst")
    post(app_client, writer)
    post(app_client, writer, text=EDITED)
    diff = app_client.get(url(NAME, "diff"), params={"from": 1, "to": 2}, headers=auth)
    assert diff.status_code == 200, diff.text
    assert diff.json() == {
        "name": NAME,
        "from_version": 1,
        "to_version": 2,
        "changes": [
            {
                "path": "company.discount_rate",
                "change": "changed",
                "before": 0.08,
                "after": 0.09,
                "source_before": None,
                "source_after": None,
                "line_before": RATE_LINE,
                "line_after": RATE_LINE,
            }
        ],
    }
    unasked = app_client.get(url(NAME, "diff"), params={"from": 1}, headers=auth)
    assert unasked.status_code == 422
    assert unasked.headers["content-type"] == PROBLEM


def test_an_invalid_text_is_a_problem_listing_every_line_and_field(
    app_client: TestClient, token_for: Headers
) -> None:
    auth = token_for("analyst")
    broken = SCENARIO_TEXT.replace("home_country: US", "home_country: ZZ", 1)
    line = broken.splitlines().index("  home_country: ZZ") + 1
    answer = app_client.post(SAVED, json={"name": NAME, "text": broken}, headers=auth)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    (problem,) = answer.json()["errors"]
    assert (problem["field"], problem["line"]) == ("company.home_country", line)
    assert app_client.get(SAVED, headers=auth).json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "x" * (MAX_NAME + 1)}, "name"),
        ({"name": "x" * (MAX_NAME * 4 + 1)}, "body.name"),
        ({"visibility": "public"}, "body.visibility"),
        ({"text": "x" * (MAX_FILE_BYTES + 1)}, "body.text"),
        ({"text": "é" * (MAX_FILE_BYTES // 2 + 1)}, ""),
    ],
    ids=["empty name", "long name", "huge name", "visibility", "text chars", "text bytes"],
)
def test_bad_fields_and_oversized_texts_are_refused(
    app_client: TestClient, token_for: Headers, body: dict[str, str], field: str
) -> None:
    auth = token_for("analyst")
    answer = app_client.post(
        SAVED, json={"name": NAME, "text": SCENARIO_TEXT, **body}, headers=auth
    )
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert app_client.get(SAVED, headers=auth).json()["total"] == 0


def test_a_body_over_the_upload_limit_is_413(app_client: TestClient, token_for: Headers) -> None:
    huge = {"name": NAME, "text": "x" * (3 * 1024 * 1024)}  # the app's limit is 2 MiB
    answer = app_client.post(SAVED, json=huge, headers=token_for("analyst"))
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM


def test_who_may_do_what(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    add_user(lambda: store, "analyst2", "correct horse battery", Role.ANALYST)
    owner, other = token_for("analyst"), token_for("analyst2")
    post(app_client, owner, "Secret", visibility="private")
    post(app_client, owner, "Shared")
    assert [i["name"] for i in app_client.get(SAVED, headers=other).json()["items"]] == ["Shared"]
    assert app_client.get(url("Secret"), headers=other).status_code == 404
    taken = app_client.post(SAVED, json={"name": "Secret", "text": EDITED}, headers=other)
    assert taken.status_code == 409
    assert "taken" in taken.json()["detail"]
    # A colleague adds versions to a team scenario, but only its owner or an admin shares it.
    assert post(app_client, other, "Shared", text=EDITED).json()["version"] == 2
    refused = app_client.patch(url("Shared"), json={"visibility": "private"}, headers=other)
    assert refused.status_code == 403
    assert "only the owner (analyst)" in refused.json()["detail"]
    made = app_client.patch(url("Shared"), json={"visibility": "private"}, headers=owner)
    assert made.status_code == 200
    assert (made.json()["visibility"], made.json()["latest_version"]) == ("private", 2)
    assert app_client.get(url("Shared"), headers=other).status_code == 404
    viewer = token_for("viewer")
    assert (
        app_client.post(SAVED, json={"name": "V", "text": EDITED}, headers=viewer).status_code
        == 403
    )
    provider = token_for("provider")
    for answer in (
        app_client.get(SAVED, headers=provider),
        app_client.get(url("Shared"), headers=provider),
        app_client.get(url("Nothing"), headers=provider),
        app_client.patch(url("Shared"), json={"visibility": "team"}, headers=provider),
    ):
        assert answer.status_code == 403
        assert "Shared" not in answer.text


@pytest.mark.parametrize(
    "name", ["<script>", "../x", "a/b", "a\\b", ".", "100%", "~2F", "計画 ✓"], ids=repr
)
def test_any_name_round_trips_through_the_path(
    app_client: TestClient, token_for: Headers, name: str
) -> None:
    auth = token_for("analyst")
    created = post(app_client, auth, name)
    assert created.headers["location"] == url(name, "versions", 1)
    found = app_client.get(created.headers["location"], headers=auth)
    assert found.status_code == 200
    assert found.json()["scenario"] == name
    assert app_client.get(url(name), headers=auth).json()["name"] == name


def test_a_signed_in_browser_needs_the_csrf_token(signed_in: Callable[[str], TestClient]) -> None:
    browser = signed_in("analyst")
    body = {"name": NAME, "text": SCENARIO_TEXT}
    assert browser.post(SAVED, json=body).status_code == 403
    token = csrf_of(browser, "/scenarios/saved")
    assert browser.post(SAVED, json=body, headers={"X-CSRF-Token": token}).status_code == 201


def test_the_openapi_document_describes_the_library(app_client: TestClient) -> None:
    document = app_client.get("/api/openapi.json").json()
    paths = document["paths"]
    save = paths[SAVED]["post"]
    assert save["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/SaveRequest"
    )
    assert set(save["responses"]) >= {"200", "201", "422"}
    version = paths[f"{SAVED}/{{name}}/versions/{{version}}"]["get"]
    schema = version["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/VersionDetail")
    diff = paths[f"{SAVED}/{{name}}/diff"]["get"]
    assert {p["name"] for p in diff["parameters"]} == {"name", "from", "to"}
    assert "patch" in paths[f"{SAVED}/{{name}}"]
    components = document["components"]["schemas"]
    assert {"ScenarioSummary", "ScenarioDetail", "InputChange", "ScenarioDiff"} <= set(components)
