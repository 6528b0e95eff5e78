"""The OpenAPI document describes what the API answers: every operation lists its error
answers as problem documents (``application/problem+json``, the ``Problem`` schema), the
governance operations answer named models, and the answers match the document."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sourcewise.reports.governance_documents import SlaReportDocument
from sourcewise.web.problems import PROBLEM_JSON, Problem

Headers = Callable[[str], dict[str, str]]
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
GOVERNANCE_TAGS = {
    "engagements",
    "kpis",
    "records",
    "risks",
    "edits",
    "corrective actions and remedies",
}
"""The routers whose answers must all be named models (web.api.engagements, kpis, …)."""


@pytest.fixture
def document(app_client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = app_client.get("/api/openapi.json").json()
    return found


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        if path.startswith("/api/"):
            for method, operation in item.items():
                yield method, path, operation


def test_every_operation_documents_its_errors_as_problems(document: dict[str, Any]) -> None:
    assert {"title", "status"} <= set(document["components"]["schemas"]["Problem"]["required"])
    wrong = []
    for method, path, operation in operations(document):
        responses = operation["responses"]
        statuses = {int(s) for s in responses if s[0] in "45"}
        expected = {401, 403, 500}
        if "{" in path:
            expected.add(404)
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add(422)
        if operation.get("requestBody"):
            expected.add(413)
        if not expected <= statuses:
            wrong.append((method, path, sorted(expected - statuses)))
        for status in statuses:
            content = responses[str(status)]["content"]
            if content != {PROBLEM_JSON: {"schema": PROBLEM_REF}}:
                wrong.append((method, path, status))
    assert wrong == []
    # FastAPI's own validation-error schema describes no answer this API gives.
    assert "HTTPValidationError" not in document["components"]["schemas"]


def _statuses(document: dict[str, Any], method: str, path: str) -> set[int]:
    return {int(s) for s in document["paths"][path][method]["responses"]}


def test_what_only_a_handler_knows_is_declared(document: dict[str, Any]) -> None:
    edit = "/api/v1/engagements/{name}/service-levels/{level}"
    assert {409, 428} <= _statuses(document, "patch", edit)
    assert 400 in _statuses(document, "get", "/api/v1/calendar")
    close = "/api/v1/engagements/{name}/corrective-actions/{plan_id}/close"
    assert 409 in _statuses(document, "post", close)
    assert 404 in _statuses(document, "get", "/api/v1/actions")  # ?engagement= unknown
    assert 415 in _statuses(document, "post", "/api/v1/engagements")  # an upload
    assert 429 in _statuses(document, "post", "/api/v1/runs")  # a queued job


def _untyped(schema: dict[str, Any]) -> bool:
    """An answer with no named model: an object of anything, or a list of such."""
    if schema.get("type") == "array":
        return _untyped(schema.get("items", {}))
    return "$ref" not in schema and schema.get("type") in ("object", None)


def test_governance_operations_answer_named_models(document: dict[str, Any]) -> None:
    untyped = []
    for method, path, operation in operations(document):
        if not GOVERNANCE_TAGS & set(operation.get("tags", [])):
            continue
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if status.startswith("2") and schema is not None and _untyped(schema):
                untyped.append((method, path, status))
    assert untyped == []


def test_models_carry_units(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    sla = schemas["SlaReportDocument"]["properties"]
    assert "ISO 4217" in sla["currency"]["description"]
    credit = schemas["SlaMonth"]["properties"]["credit"]["description"]
    assert "decimal" in credit
    assert "currency" in credit
    allocation = schemas["CreditLine"]["properties"]["allocation_pct"]["description"]
    assert "percentage points" in allocation
    realisation = schemas["BenefitsDocument"]["properties"]["realisation"]["description"]
    assert "fraction" in realisation
    engagement = schemas["EngagementDocument"]["properties"]
    assert "ISO 8601 date" in engagement["start"]["description"]
    assert "Percentage points" in engagement["at_risk_pct"]["description"]
    # A field's own docstring in the record becomes its description.
    assert "contract year" in engagement["max_credit_months"]["description"]


def test_problem_answers_match_the_problem_model(
    app_client: TestClient, token_for: Headers
) -> None:
    admin = token_for("admin")
    answers = [
        app_client.get("/api/v1/engagements"),  # 401
        app_client.get("/api/v1/engagements/No such", headers=admin),  # 404
        app_client.get("/api/v1/engagements", headers=admin, params={"limit": 0}),  # 422
        app_client.get("/api/v1/engagements", headers=admin, params={"sort": "nope"}),  # 422
        app_client.post(
            "/api/v1/engagements", headers={**admin, "Content-Type": "text/plain"}, content="x"
        ),  # 415
        app_client.get(
            "/api/v1/calendar", headers=admin, params={"from": "2030-01-01", "to": "2020-01-01"}
        ),  # 400
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 422, 415, 400]
    for answer in answers:
        assert answer.headers["content-type"] == PROBLEM_JSON
        problem = Problem.model_validate(answer.json())
        assert problem.status == answer.status_code


def test_the_sla_answer_is_its_documented_model(app_client: TestClient, token_for: Headers) -> None:
    """The SLA report is sent as cached bytes, not through its model: it must still be one."""
    answer = app_client.get(
        "/api/v1/engagements/Customer care/sla",
        headers=token_for("analyst"),
        params={"month": "2026-02"},
    )
    assert answer.status_code == 200
    report = SlaReportDocument.model_validate(answer.json())
    assert report.currency == "USD"
