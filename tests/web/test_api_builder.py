"""The guided builder's API: role search, cost estimates with their sources, building a scenario
from answers (and saving it, audit-logged), 422s that name the answer, and who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]
SignIn = Callable[[str], TestClient]
CASE: dict[str, Any] = {
    "company": "Northwind Retail",
    "home_country": "US",
    "role": "Customer Service Representatives",
    "fte": 120,
    "countries": ["PH", "IN", "MX"],
    "data_sensitivity": "personal",
    "languages": ["en", "es"],
    "overlap_hours_needed": 8,
}
ESTIMATE = {"home": "US", "countries": ["PH"], "fte": 120, "role": "43-4051"}
HOSTILE = '<script>alert("x")</script> & Co: {a: b} # not a comment'


def test_roles_are_searched_by_words_of_a_title(app_client: TestClient, token_for: Headers) -> None:
    answer = app_client.get(
        "/api/v1/estimates/roles", params={"q": "customer service"}, headers=token_for("viewer")
    )
    assert answer.status_code == 200, answer.text
    first = answer.json()[0]
    assert first == {
        "code": "43-4051",
        "title": "Customer Service Representatives",
        "group": "detailed",
        "employment": 2858710,
        "mean_pay": 43520.0,
    }


def test_roles_limit_and_query_are_checked(app_client: TestClient, token_for: Headers) -> None:
    headers = token_for("analyst")
    found = app_client.get("/api/v1/estimates/roles?q=engineer&limit=3", headers=headers)
    assert len(found.json()) == 3
    assert app_client.get("/api/v1/estimates/roles", headers=headers).status_code == 422
    too_many = app_client.get("/api/v1/estimates/roles?q=a&limit=500", headers=headers)
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "query.limit"


def test_an_estimate_carries_every_number_with_its_source(
    app_client: TestClient, token_for: Headers
) -> None:
    answer = app_client.post("/api/v1/estimates", json=ESTIMATE, headers=token_for("viewer"))
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["role_code"] == "43-4051"
    home, philippines = document["countries"]
    assert home["home"]
    assert home["market_pay"]["mean"] == pytest.approx(43520.0)
    assert philippines["country"] == "PH"
    assert not philippines["home"]
    for line in (document["current_annual_cost"], *home["lines"], *philippines["lines"]):
        assert line["source"], line["key"]
        assert line["given"] is False


def test_a_given_number_replaces_the_estimate(app_client: TestClient, token_for: Headers) -> None:
    body = {**ESTIMATE, "given": {"PH.hourly_rate": 11.5}}
    answer = app_client.post("/api/v1/estimates", json=body, headers=token_for("analyst"))
    philippines = answer.json()["countries"][1]
    rate = next(line for line in philippines["lines"] if line["key"] == "hourly_rate")
    assert rate["given"] is True
    assert rate["mean"] == 11.5
    assert rate["low"] is None
    assert philippines["vendor_hourly_rate"] == 11.5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "nonsense job xyz"}, "role"),
        ({"given": {"PH.not_a_number": 3}}, "given"),
        ({"given": {"PH.pay": -1}}, "given"),
        ({"currency": "EUR"}, "currency"),
        ({"kind": "manufacturing"}, "kind"),
        ({"home": "XX"}, "home"),
        ({"countries": ["PH", "QQ"]}, "countries"),
    ],
)
def test_an_estimate_it_cannot_make_is_422_naming_the_field(
    app_client: TestClient, token_for: Headers, change: dict[str, Any], field: str
) -> None:
    answer = app_client.post(
        "/api/v1/estimates", json={**ESTIMATE, **change}, headers=token_for("analyst")
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"home": "usa"}, "body.home"), ({"fte": 0}, "body.fte"), ({"extra": 1}, "body.extra")],
)
def test_a_malformed_estimate_request_is_422_naming_the_field(
    app_client: TestClient, token_for: Headers, change: dict[str, Any], field: str
) -> None:
    answer = app_client.post(
        "/api/v1/estimates", json={**ESTIMATE, **change}, headers=token_for("analyst")
    )
    assert answer.status_code == 422
    assert field in [e["field"] for e in answer.json()["errors"]]


def test_a_scenario_is_built_from_the_answers(app_client: TestClient, token_for: Headers) -> None:
    answer = app_client.post("/api/v1/scenarios/build", json=CASE, headers=token_for("viewer"))
    assert answer.status_code == 200, answer.text
    built = answer.json()
    assert built["saved"] is None
    keys = [o["key"] for o in built["options"]]
    assert keys == [
        "domestic_outsourcing:US",
        "captive_offshoring:PH",
        "offshore_outsourcing:PH",
        "captive_offshoring:IN",
        "offshore_outsourcing:IN",
        "captive_offshoring:MX",
        "offshore_outsourcing:MX",
    ]
    scenario, problems = load_scenario_text(built["text"], "built.yaml")
    assert scenario is not None, problems
    names = [o.name for o in scenario.functions[0].options]
    assert names == [o["name"] for o in built["options"]]
    assert built["estimate"]["role_code"] == "43-4051"


def test_excluded_options_are_left_out(app_client: TestClient, token_for: Headers) -> None:
    body = {**CASE, "exclude_options": ["captive_offshoring:IN", "domestic_outsourcing:US"]}
    answer = app_client.post("/api/v1/scenarios/build", json=body, headers=token_for("analyst"))
    built = answer.json()
    keys = [o["key"] for o in built["options"]]
    assert "captive_offshoring:IN" not in keys
    assert "domestic_outsourcing:US" not in keys
    assert len(keys) == 5
    assert "Own centre in India" not in built["text"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"countries": [], "arrangements": ["captive_offshoring"]}, "countries"),
        (
            {
                "countries": ["PH"],
                "arrangements": ["captive_offshoring"],
                "exclude_options": ["captive_offshoring:PH"],
            },
            "exclude_options",
        ),
        ({"role": "nonsense job xyz"}, "role"),
        ({"given": {"ZZ.pay": 1}}, "given"),
    ],
)
def test_answers_it_cannot_build_are_422_naming_the_answer(
    app_client: TestClient, token_for: Headers, change: dict[str, Any], field: str
) -> None:
    answer = app_client.post(
        "/api/v1/scenarios/build", json={**CASE, **change}, headers=token_for("analyst")
    )
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]


def test_a_malformed_exclusion_is_422(app_client: TestClient, token_for: Headers) -> None:
    body = {**CASE, "exclude_options": ["in_house:US"]}
    answer = app_client.post("/api/v1/scenarios/build", json=body, headers=token_for("analyst"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "body.exclude_options.0"


def test_save_as_keeps_a_version_and_audit_logs_it(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    body = {**CASE, "save_as": "Northwind CS", "note": "first estimate"}
    answer = app_client.post("/api/v1/scenarios/build", json=body, headers=token_for("analyst"))
    assert answer.status_code == 200, answer.text
    saved = answer.json()["saved"]
    assert saved["outcome"] == "created"
    assert saved["version"] == 1
    version = app_client.get(saved["url"], headers=token_for("analyst")).json()
    assert version["text"] == answer.json()["text"]
    assert version["note"] == "first estimate"
    assert version["author"] == "analyst"
    with store:
        logged = {e.entity for e in store.audit_log.entries() if e.actor == "analyst"}
    assert {"scenario", "scenario_version"} <= logged
    again = app_client.post("/api/v1/scenarios/build", json=body, headers=token_for("analyst"))
    assert again.json()["saved"]["outcome"] == "unchanged"


def test_viewers_build_but_do_not_save(app_client: TestClient, token_for: Headers) -> None:
    body = {**CASE, "save_as": "Viewer's"}
    answer = app_client.post("/api/v1/scenarios/build", json=body, headers=token_for("viewer"))
    assert answer.status_code == 403
    listed = app_client.get("/api/v1/scenarios/saved", headers=token_for("viewer")).json()
    assert listed["items"] == [] or "Viewer's" not in [s["name"] for s in listed["items"]]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/estimates/roles?q=customer", None),
        ("POST", "/api/v1/estimates", ESTIMATE),
        ("POST", "/api/v1/scenarios/build", CASE),
    ],
)
def test_provider_users_are_refused(
    app_client: TestClient, token_for: Headers, method: str, path: str, body: Any
) -> None:
    answer = app_client.request(method, path, json=body, headers=token_for("provider"))
    assert answer.status_code == 403
    assert app_client.request(method, path, json=body).status_code == 401


def test_a_session_without_the_csrf_token_is_refused(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    refused = client.post("/api/v1/scenarios/build", json={**CASE, "save_as": "csrf"})
    assert refused.status_code == 403
    assert refused.json()["title"] == "CSRF check failed"
    token = csrf_of(client, "/scenarios/new")
    body = {**CASE, "save_as": "csrf"}
    allowed = client.post("/api/v1/scenarios/build", json=body, headers={"X-CSRF-Token": token})
    assert allowed.status_code == 200
    assert client.post("/api/v1/estimates", json=ESTIMATE).status_code == 403


def test_a_hostile_company_name_stays_text(app_client: TestClient, token_for: Headers) -> None:
    body = {**CASE, "company": HOSTILE, "function_name": "x\n  injected: true", "save_as": HOSTILE}
    answer = app_client.post("/api/v1/scenarios/build", json=body, headers=token_for("analyst"))
    assert answer.status_code == 200, answer.text
    text = answer.json()["text"]
    document = yaml.safe_load(text)
    assert document["company"]["name"] == HOSTILE
    assert document["functions"][0]["name"] == "x\n  injected: true"
    assert "injected" not in document["functions"][0]
    assert answer.json()["saved"]["name"] == HOSTILE


def test_the_schemas_are_named_plainly(app_client: TestClient) -> None:
    schemas = app_client.get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("RoleMatch", "EstimateAsk", "BuildRequest", "BuiltScenarioDocument"):
        assert name in schemas
    assert "CostEstimateDocument" in schemas
    assert "exclude_options" in schemas["BuildRequest"]["properties"]
