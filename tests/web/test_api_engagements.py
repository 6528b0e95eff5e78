"""``/api/v1/engagements``: lists with filters and pages, uploads, SLA credits, costs and
benefits, and problem documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from api_samples import COSTS_CSV, ENGAGEMENT_YAML, MEASUREMENTS_CSV
from fastapi.testclient import TestClient

from sourcewise.governance.benefits import PlannedMonth
from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]
BASE = "/api/v1/engagements"


def test_list_pages_filters_and_provider_scope(app_client: TestClient, token_for: Headers) -> None:
    admin = token_for("admin")
    everything = app_client.get(BASE, headers=admin).json()
    assert everything["total"] == 2
    assert [e["name"] for e in everything["items"]] == ["Customer care", "Other care"]
    assert everything["items"][0]["provider"] == "Acme BPO"
    assert everything["items"][0]["service_levels"] == 2
    second = app_client.get(BASE, headers=admin, params={"limit": 1, "offset": 1}).json()
    assert (second["total"], second["limit"], second["offset"]) == (2, 1, 1)
    assert [e["name"] for e in second["items"]] == ["Other care"]
    by_provider = app_client.get(BASE, headers=admin, params={"provider": "Other BPO"}).json()
    assert [e["name"] for e in by_provider["items"]] == ["Other care"]
    by_country = app_client.get(BASE, headers=admin, params={"country": "ph"}).json()
    assert by_country["total"] == 2
    none = app_client.get(BASE, headers=admin, params={"arrangement": "in_house"}).json()
    assert (none["total"], none["items"]) == (0, [])
    mine = app_client.get(BASE, headers=token_for("provider")).json()
    assert [e["name"] for e in mine["items"]] == ["Customer care"]


def test_page_size_is_bounded(app_client: TestClient, token_for: Headers) -> None:
    response = app_client.get(BASE, headers=token_for("viewer"), params={"limit": 501})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "query.limit", "message": "at most 500"}]
    negative = app_client.get(BASE, headers=token_for("viewer"), params={"offset": -1})
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "query.offset"


def test_one_engagement_and_404_for_others(app_client: TestClient, token_for: Headers) -> None:
    found = app_client.get(f"{BASE}/Customer care", headers=token_for("provider"))
    assert found.status_code == 200
    body = found.json()
    assert body["at_risk_pct"] == "12"
    assert [c["reference"] for c in body["contracts"]] == ["MSA-1", "SOW-1"]
    hidden = app_client.get(f"{BASE}/Other care", headers=token_for("provider"))
    missing = app_client.get(f"{BASE}/No such", headers=token_for("provider"))
    # Another provider's engagement answers exactly like one that does not exist.
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"] == "Not found"


def test_add_engagement_from_multipart_or_raw_yaml(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    analyst = token_for("analyst")
    added = app_client.post(
        BASE, headers=analyst, files={"file": ("back.yaml", ENGAGEMENT_YAML, "application/yaml")}
    )
    assert added.status_code == 201, added.text
    assert added.json() == {
        "name": "Back office",
        "outcome": "added",
        "planned_months": 0,
        "kpis": 0,
    }
    again = app_client.post(
        BASE,
        headers={**analyst, "Content-Type": "application/yaml"},
        content=ENGAGEMENT_YAML.encode(),
    )
    assert again.json()["outcome"] == "unchanged"
    with store:
        entries = store.audit_log.entries(entity="engagement")
    assert [(e.actor, e.key) for e in entries] == [("analyst", "Back office")]


def test_invalid_engagement_file_names_file_line_and_field(
    app_client: TestClient, token_for: Headers
) -> None:
    broken = ENGAGEMENT_YAML.replace("at_risk_pct: 10", "at_risk_pct: lots")
    response = app_client.post(
        BASE, headers=token_for("admin"), files={"file": ("back.yaml", broken, "text/yaml")}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors
    assert all(e["file"] == "back.yaml" for e in errors)
    line = ENGAGEMENT_YAML.splitlines().index("  at_risk_pct: 10") + 1
    assert any(e["line"] == line and "at_risk_pct" in e["field"] for e in errors), errors


def test_uploads_of_the_wrong_type_are_refused(app_client: TestClient, token_for: Headers) -> None:
    admin = token_for("admin")
    text = app_client.post(BASE, headers=admin, files={"file": ("e.txt", "x", "text/plain")})
    assert text.status_code == 415
    assert text.json()["errors"][0]["file"] == "e.txt"
    raw = app_client.post(BASE, headers={**admin, "Content-Type": "text/plain"}, content=b"x")
    assert raw.status_code == 415
    no_file = app_client.post(BASE, headers=admin, files={"other": ("e.yaml", "x")})
    assert no_file.status_code == 422
    assert no_file.json()["errors"] == [{"field": "body.file", "message": "missing"}]


def test_writers_only(app_client: TestClient, token_for: Headers) -> None:
    for role in ("viewer", "provider"):
        refused = app_client.post(
            BASE, headers=token_for(role), files={"file": ("e.yaml", ENGAGEMENT_YAML)}
        )
        assert refused.status_code == 403


def test_sla_month_and_its_credit(app_client: TestClient, token_for: Headers) -> None:
    provider = token_for("provider")
    loaded = app_client.post(
        f"{BASE}/Customer care/measurements",
        headers=provider,
        files={"file": ("m.csv", MEASUREMENTS_CSV, "text/csv")},
    )
    assert loaded.status_code == 200, loaded.text
    report = app_client.get(
        f"{BASE}/Customer care/sla", headers=provider, params={"month": "2026-01"}
    ).json()
    month = report["month"]
    availability = month["results"][0]
    assert (availability["attained"], availability["status"]) == (99.25, "breach")
    # 0.25 points short of 99.5 with full credit at 0.5: half of the 12 % at risk of the
    # 100,000.10 monthly fee, 6,000.006, rounded to the cent.
    assert month["at_risk"] == "12000.01"
    assert month["credit_lines"][0]["factor"] == "0.5"
    assert month["credit"] == "6000.01"
    assert report["to_date"]["credits"] == "6000.01"
    february = app_client.get(
        f"{BASE}/Customer care/sla", headers=provider, params={"month": "2026-02"}
    ).json()
    assert february["month"]["credit"] == "0"
    assert [m["month"] for m in february["history"]] == ["2026-01"]


def test_sla_month_problems(app_client: TestClient, token_for: Headers) -> None:
    viewer = token_for("viewer")
    early = app_client.get(f"{BASE}/Customer care/sla", headers=viewer, params={"month": "2025-12"})
    assert early.status_code == 422
    assert "before the engagement started" in early.json()["detail"]
    wrong = app_client.get(f"{BASE}/Customer care/sla", headers=viewer, params={"month": "2026-13"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "query.month"


def test_costs_then_benefits(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    analyst = token_for("analyst")
    url = f"{BASE}/Customer care"
    no_plan = app_client.get(f"{url}/benefits", headers=analyst)
    assert no_plan.status_code == 404
    assert "no planned months" in no_plan.json()["detail"]
    costs = app_client.post(
        f"{url}/costs", headers=analyst, files={"file": ("costs.csv", COSTS_CSV, "text/csv")}
    )
    assert costs.json() == {"engagement": "Customer care", "added": 2, "updated": 0, "unchanged": 0}
    with store:
        store.ledger.put_plan(
            "Customer care",
            [
                PlannedMonth(date(2026, m, 1), Decimal("150000.00"), Decimal("120000.00"))
                for m in (1, 2)
            ],
        )
        store.commit()
    report = app_client.get(f"{url}/benefits", headers=token_for("viewer")).json()
    first = report["months"][0]
    # Baseline 150,000 less actual (100,000.10 fees + 20,000 internal; no credits recorded).
    assert (first["planned_saving"], first["actual_saving"]) == ("30000.00", "29999.90")
    assert report["cumulative_variance"] == "-0.20"
    # The business case and what it saves are the client's own.
    assert app_client.get(f"{url}/benefits", headers=token_for("provider")).status_code == 403


def test_costs_of_another_engagement_are_refused(
    app_client: TestClient, token_for: Headers
) -> None:
    csv = "engagement,month,fees,internal_costs,one_off_costs\nOther care,2026-01,1,0,0\n"
    response = app_client.post(
        f"{BASE}/Customer care/costs",
        headers=token_for("admin"),
        files={"file": ("c.csv", csv, "text/csv")},
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["file"], error["field"]) == ("c.csv", "engagement")
