"""REST API for scenarios, decisions, simulations, jobs and locations."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sourcewise.reports.decision_document import DecisionDocument
from sourcewise.reports.document import SCHEMA_VERSION
from sourcewise.web.api.locations import LocationPage

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
TEXT = EXAMPLES[1].read_text(encoding="utf-8")  # us-customer-service
YAML = {"content-type": "application/yaml"}
Headers = Callable[[str], dict[str, str]]


def test_validate_reports_every_problem_with_line_and_field(
    app_client: TestClient, token_for: Headers
) -> None:
    auth = token_for("viewer")
    good = app_client.post("/api/v1/scenarios/validate", content=TEXT, headers={**auth, **YAML})
    assert good.status_code == 200
    assert good.json() == {"valid": True, "problems": []}
    broken = TEXT.replace("home_country: US", "home_country: ZZ", 1)
    bad = app_client.post(
        "/api/v1/scenarios/validate",
        files={"file": ("mine.yaml", broken.encode(), "application/yaml")},
        headers=auth,
    )
    assert bad.status_code == 200
    body = bad.json()
    assert body["valid"] is False
    (problem,) = body["problems"]
    assert problem["file"] == "mine.yaml"
    assert problem["field"] == "company.home_country"
    assert problem["line"] == broken.splitlines().index("  home_country: ZZ") + 1


def test_decision_returns_decide_json(app_client: TestClient, token_for: Headers) -> None:
    response = app_client.post(
        "/api/v1/decisions",
        params={"draws": 200, "seed": 3},
        content=TEXT,
        headers={**token_for("analyst"), **YAML},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["schema_version"] == SCHEMA_VERSION
    assert body["simulation"] == {"draws": 200, "seed": 3}
    (function,) = body["functions"]
    assert function["recommendation"]["option"] in {o["name"] for o in function["options"]}
    assert function["options"][1]["p_beats_status_quo"] is not None
    DecisionDocument.model_validate_json(response.text, strict=True)


def test_invalid_yaml_is_a_problem_naming_line_and_field(
    app_client: TestClient, token_for: Headers
) -> None:
    broken = TEXT.replace("fte: 120", "fte: -5", 1)
    response = app_client.post(
        "/api/v1/decisions", content=broken, headers={**token_for("analyst"), **YAML}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["field"] == "functions[0].fte"
    assert error["line"] == broken.splitlines().index("    fte: -5") + 1

    syntax = app_client.post(
        "/api/v1/simulations", content="a: [1,\n", headers={**token_for("analyst"), **YAML}
    )
    assert syntax.status_code == 422
    assert syntax.json()["errors"][0]["line"] == 2


def test_too_many_draws_for_a_synchronous_call(app_client: TestClient, token_for: Headers) -> None:
    response = app_client.post(
        "/api/v1/decisions",
        params={"draws": 500_000},
        content=TEXT,
        headers={**token_for("analyst"), **YAML},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "draws", "message": "must be at most 20,000"}]


def test_simulation_from_an_upload(app_client: TestClient, token_for: Headers) -> None:
    response = app_client.post(
        "/api/v1/simulations",
        params={"draws": 200},
        files={"file": ("s.yaml", TEXT.encode(), "application/yaml")},
        headers=token_for("analyst"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["simulation"] == {"draws": 200, "seed": 20261125}
    assert body["functions"][0]["options"][0]["tornado"]


def wait_for(client: TestClient, url: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(url, headers=headers).json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


@pytest.mark.parametrize(
    ("kind", "key"), [("decision", "functions"), ("simulation", "uncertain_inputs")]
)
def test_jobs_run_in_the_background(
    app_client: TestClient, token_for: Headers, kind: str, key: str
) -> None:
    auth = token_for("analyst")
    created = app_client.post(
        "/api/v1/jobs",
        params={"kind": kind, "draws": 200},
        content=TEXT,
        headers={**auth, **YAML},
    )
    assert created.status_code == 202, created.text
    url = created.headers["location"]
    assert url == created.json()["url"]
    done = wait_for(app_client, url, auth)
    assert done["status"] == "done", done
    assert done["progress"] == 1.0
    assert key in done["result"]
    assert app_client.get(url, headers=token_for("viewer")).status_code == 404
    assert app_client.get(url, headers=token_for("admin")).status_code == 200
    assert app_client.get("/api/v1/jobs/nope", headers=auth).status_code == 404


def test_locations_are_ranked_filtered_and_paged(
    app_client: TestClient, token_for: Headers
) -> None:
    auth = token_for("viewer")
    first = app_client.get(
        "/api/v1/locations",
        params={"home": "DE", "kind": "software_development", "limit": 5},
        headers=auth,
    )
    assert first.status_code == 200
    body = first.json()
    assert (body["home"], body["limit"], body["offset"]) == ("DE", 5, 0)
    assert [i["rank"] for i in body["items"]] == [1, 2, 3, 4, 5]
    assert body["total"] > 200
    LocationPage.model_validate_json(first.text)  # served without validation: check it here
    page_two = app_client.get(
        "/api/v1/locations",
        params={"home": "DE", "kind": "software_development", "limit": 5, "offset": 5},
        headers=auth,
    ).json()
    assert [i["rank"] for i in page_two["items"]] == [6, 7, 8, 9, 10]
    spoken = app_client.get(
        "/api/v1/locations",
        params={"home": "US", "languages": "es", "spoken": True, "sort": "name", "limit": 500},
        headers=auth,
    ).json()
    names = [i["country_name"] for i in spoken["items"]]
    assert "Mexico" in names
    assert "Japan" not in names
    assert names == sorted(names)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"home": "ZZ"}, "home"), ({"limit": 100_000}, "query.limit"), ({"kind": "x"}, "query.kind")],
)
def test_location_filters_are_checked(
    app_client: TestClient, token_for: Headers, params: dict[str, Any], field: str
) -> None:
    response = app_client.get("/api/v1/locations", params=params, headers=token_for("viewer"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_one_location_with_overlap_by_month(app_client: TestClient, token_for: Headers) -> None:
    auth = token_for("analyst")
    response = app_client.get("/api/v1/locations/in", params={"home": "US"}, headers=auth)
    assert response.status_code == 200
    body = response.json()
    assert body["country"] == "IN"
    assert len(body["overlap_by_month"]) == 12
    assert body["indicators"]["gdp_pc_usd"]["source"]
    assert app_client.get("/api/v1/locations/QQ", headers=auth).status_code == 404


ROUTES = [
    ("post", "/api/v1/scenarios/validate"),
    ("post", "/api/v1/decisions"),
    ("post", "/api/v1/simulations"),
    ("post", "/api/v1/jobs"),
    ("get", "/api/v1/jobs/whatever"),
    ("get", "/api/v1/locations"),
    ("get", "/api/v1/locations/IN"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_providers_get_403_and_anonymous_401(
    app_client: TestClient, token_for: Headers, method: str, path: str
) -> None:
    for user in ("provider", "other_provider"):
        response = app_client.request(
            method, path, content=TEXT, headers={**token_for(user), **YAML}
        )
        assert response.status_code == 403, (user, response.text)
    anonymous = app_client.request(method, path, content=TEXT, headers=YAML)
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"


def test_openapi_documents_the_routes(app_client: TestClient) -> None:
    spec = app_client.get("/api/openapi.json").json()
    for tag, path in [
        ("scenarios", "/api/v1/scenarios/validate"),
        ("decisions", "/api/v1/decisions"),
        ("simulations", "/api/v1/simulations"),
        ("jobs", "/api/v1/jobs"),
        ("locations", "/api/v1/locations"),
    ]:
        operation = next(iter(spec["paths"][path].values()))
        assert tag in operation["tags"]
    body = spec["paths"]["/api/v1/decisions"]["post"]["requestBody"]["content"]
    assert {"application/yaml", "multipart/form-data"} <= set(body)


def test_a_scenario_that_is_not_utf8_says_where_its_first_bad_byte_is(
    app_client: TestClient, token_for: Headers
) -> None:
    latin1 = b"company:\n  name: Caf\xe9 Ltd\n"
    for sent in (
        {"content": latin1, "headers": {**token_for("viewer"), **YAML}},
        {"files": {"file": ("latin1.yaml", latin1)}, "headers": token_for("viewer")},
    ):
        response = app_client.post("/api/v1/scenarios/validate", **sent)  # type: ignore[arg-type]
        assert response.status_code == 422
        (problem,) = response.json()["errors"]
        assert problem["line"] == 2
        assert problem["message"] == (
            "not UTF-8 text: the first bad byte, 0xe9, is at line 2, column 12 (byte offset 20)"
        )


@pytest.mark.parametrize(
    ("path", "option", "model"),
    [
        ("/api/v1/decisions", "--decision", "DecisionDocument"),
        ("/api/v1/simulations", "--simulation", "SimulationDocument"),
    ],
)
def test_the_api_answers_with_the_documents_the_cli_prints(
    app_client: TestClient, path: str, option: str, model: str
) -> None:
    """One model, two entrypoints: the answer's schema is `sourcewise schema <option>`'s, its
    `$defs` being the OpenAPI document's components."""
    import json

    from typer.testing import CliRunner

    from sourcewise.cli import app

    printed = CliRunner().invoke(app, ["schema", option])
    assert printed.exit_code == 0, printed.output
    cli = json.loads(printed.output.replace("#/$defs/", "#/components/schemas/"))
    spec = app_client.get("/api/openapi.json").json()
    answer = spec["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": f"#/components/schemas/{model}"}
    components = spec["components"]["schemas"]
    for name, schema in cli.pop("$defs").items():
        assert components[name] == schema, name
    del cli["$schema"]
    assert components[model] == cli
