"""docs/openapi.json is the app's OpenAPI document (`make docs` regenerates it), the app breaks
no client of it (docs/api.md: additions only within /api/v1), and every JSON answer is typed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sourcewise import docs_gen
from sourcewise.web.api.compatibility import breaking_changes, published_models


@pytest.fixture(scope="module")
def current() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(docs_gen.openapi_json())
    return document


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(docs_gen.OPENAPI.read_text("utf-8"))
    return document


def test_the_committed_document_is_the_apps() -> None:
    assert docs_gen.OPENAPI.read_text("utf-8") == docs_gen.openapi_json(), (
        "run `make docs`: docs/openapi.json"
    )


def test_the_app_breaks_no_client_of_the_committed_document(
    committed: dict[str, Any], current: dict[str, Any]
) -> None:
    assert breaking_changes(committed, current) == [], "docs/api.md: deprecate, do not remove"


def untyped(schema: dict[str, Any], document: dict[str, Any]) -> bool:
    """A JSON answer a generated client could only give back as a dict, or as a page of them."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    if schema.get("type") == "array":
        return untyped(schema.get("items", {}), document)
    fields = schema.get("properties", {})
    listed = [f["items"] for f in fields.values() if f.get("type") == "array" and "items" in f]
    return not fields or any(i.get("type") == "object" and not i.get("properties") for i in listed)


def untyped_answers(document: dict[str, Any]) -> list[str]:
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                for media, content in response.get("content", {}).items():
                    if (
                        status.startswith("2")
                        and "json" in media
                        and untyped(content["schema"], document)
                    ):
                        found.append(f"{method.upper()} {path} {status}")
    return found


def test_no_operation_answers_an_untyped_object(current: dict[str, Any]) -> None:
    assert untyped_answers(current) == []


def test_an_untyped_answer_is_listed(current: dict[str, Any]) -> None:
    document = copy.deepcopy(current)
    answer = document["paths"]["/api/v1/jobs/{job_id}"]["get"]["responses"]["200"]
    answer["content"]["application/json"]["schema"] = {"type": "object"}
    listed = document["paths"]["/api/v1/runs"]["get"]["responses"]["200"]["content"]
    page = listed["application/json"]["schema"]["$ref"].removeprefix("#/components/schemas/")
    document["components"]["schemas"][page]["properties"]["items"]["items"] = {"type": "object"}
    assert untyped_answers(document) == [
        "GET /api/v1/jobs/{job_id} 200",
        "GET /api/v1/runs 200",
    ]


def test_removals_and_renames_are_breaks_additions_are_not(committed: dict[str, Any]) -> None:
    assert {"DecisionDocument", "Job", "Distribution", "LocationPage"} <= published_models(
        committed
    )
    changed = copy.deepcopy(committed)
    schemas = changed["components"]["schemas"]
    schemas["Job"]["properties"]["state"] = schemas["Job"]["properties"].pop("status")
    del schemas["Distribution"]["properties"]["p90"]
    schemas["Location"] = schemas.pop("LocationDetail")
    del changed["paths"]["/api/v1/simulations"]
    schemas["Job"]["properties"]["queued_at"] = {"type": "string", "format": "date-time"}
    changed["paths"]["/api/v1/new"] = {"get": {"responses": {}}}
    assert breaking_changes(committed, changed) == [
        "operation removed: POST /api/v1/simulations",
        "field removed or renamed: Distribution.p90",
        "field removed or renamed: Job.status",
        "response model removed or renamed: LocationDetail",
    ]
    assert breaking_changes(committed, committed) == []


def test_a_changed_type_or_a_field_made_optional_is_a_break(committed: dict[str, Any]) -> None:
    changed = copy.deepcopy(committed)
    schemas = changed["components"]["schemas"]
    schemas["Distribution"]["properties"]["p90"] = {"type": "string"}
    schemas["Job"]["properties"]["error"]["anyOf"] = [{"type": "integer"}, {"type": "null"}]
    schemas["Job"]["required"].remove("label")
    # Documentation, bounds and a new enum value are not breaks.
    schemas["Distribution"]["properties"]["p10"]["description"] = "reworded"
    schemas["Job"]["properties"]["progress"].pop("maximum")
    schemas["Job"]["properties"]["status"]["enum"].append("cancelled")
    assert breaking_changes(committed, changed) == [
        "field type changed: Distribution.p90",
        "field no longer always present: Job.label",
        "field type changed: Job.error",
    ]


def test_make_docs_refuses_to_publish_a_break(
    committed: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field the committed document has and the app lost stops `make docs`, unless a new
    major version is published on purpose."""
    published = copy.deepcopy(committed)
    published["components"]["schemas"]["Job"]["properties"]["owner"] = {"type": "string"}
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(published), "utf-8")
    monkeypatch.setattr(docs_gen, "OPENAPI", target)
    monkeypatch.delenv("SOURCEWISE_API_BREAK", raising=False)
    with pytest.raises(SystemExit, match=r"field removed or renamed: Job\.owner"):
        docs_gen.write_openapi()
    assert json.loads(target.read_text("utf-8")) == published
    monkeypatch.setenv("SOURCEWISE_API_BREAK", "1")
    docs_gen.write_openapi()
    assert target.read_text("utf-8") == docs_gen.openapi_json()
