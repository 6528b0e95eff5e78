"""Answers the server computes once per data version (SLA reports, the engagement list, the
dashboard's glances): the next answer after a change shows it, the cached answer equals a
fresh computation, and a provider user never gets another provider's cached result."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from api_samples import COSTS_CSV, MEASUREMENTS_CSV
from fastapi.testclient import TestClient

from sourcewise.reports.governance_json import sla_report_json
from sourcewise.services.sla import sla_report
from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]
SignIn = Callable[[str], TestClient]
BASE = "/api/v1/engagements"


def _measured(
    app_client: TestClient,
    token_for: Headers,
    csv: str = MEASUREMENTS_CSV,
    names: tuple[str, ...] = ("Customer care", "Other care"),
) -> None:
    for name in names:
        loaded = app_client.post(
            f"{BASE}/{name}/measurements",
            headers=token_for("admin"),
            files={"file": ("m.csv", csv, "text/csv")},
        )
        assert loaded.status_code == 200, loaded.text


def _invoice_half_the_fees(app_client: TestClient, token_for: Headers) -> None:
    """Costs recorded through the API with half the contract's fees: a credit, a share of the
    month's invoiced fees, halves."""
    cheaper = COSTS_CSV.replace("100000.10", "50000.05")
    posted = app_client.post(
        f"{BASE}/Customer care/costs",
        headers=token_for("analyst"),
        files={"file": ("costs.csv", cheaper, "text/csv")},
    )
    assert posted.status_code == 200, posted.text


def _sla(app_client: TestClient, headers: dict[str, str], name: str = "Customer care") -> object:
    answer = app_client.get(f"{BASE}/{name}/sla", headers=headers, params={"month": "2026-01"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    return answer.json()


def test_the_sla_answer_follows_a_change_made_through_the_api(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    _measured(app_client, token_for)
    viewer = token_for("viewer")
    before = _sla(app_client, viewer)
    assert before == _sla(app_client, viewer)  # from the cache, unchanged
    fresh = sla_report_json(sla_report(lambda: store, "Customer care", date(2026, 1, 1)))
    assert before == json.loads(json.dumps(fresh))
    _invoice_half_the_fees(app_client, token_for)
    after = _sla(app_client, viewer)
    assert before["month"]["credit"] == "6000.01"  # type: ignore[index]
    assert after["month"]["credit"] == "3000.00"  # type: ignore[index]
    assert after["month"]["fees_source"] == "invoiced"  # type: ignore[index]


def test_a_provider_never_gets_another_providers_cached_answer(
    app_client: TestClient, token_for: Headers
) -> None:
    _measured(app_client, token_for)
    admin = token_for("admin")
    cached = _sla(app_client, admin, "Other care")
    listed = app_client.get(BASE, headers=admin).json()
    assert [e["name"] for e in listed["items"]] == ["Customer care", "Other care"]
    provider = token_for("provider")
    refused = app_client.get(
        f"{BASE}/Other care/sla", headers=provider, params={"month": "2026-01"}
    )
    assert refused.status_code == 404
    assert [e["name"] for e in app_client.get(BASE, headers=provider).json()["items"]] == [
        "Customer care"
    ]
    assert _sla(app_client, provider)["engagement"] == "Customer care"  # type: ignore[index]
    assert _sla(app_client, token_for("other_provider"), "Other care") == cached


def test_the_dashboard_shows_each_provider_only_its_own_cached_glances(
    app_client: TestClient, token_for: Headers, signed_in: SignIn
) -> None:
    _measured(app_client, token_for)
    everything = signed_in("analyst").get("/").text
    assert "Customer care" in everything
    assert "Other care" in everything
    own = signed_in("provider").get("/").text
    assert "Customer care" in own
    assert "Other care" not in own
    other = signed_in("other_provider").get("/").text
    assert "Other care" in other
    assert "Customer care" not in other


def test_the_dashboard_follows_a_change_made_through_the_api(
    app_client: TestClient, token_for: Headers, signed_in: SignIn
) -> None:
    january = MEASUREMENTS_CSV.splitlines(keepends=True)[:-1]  # the dashboard's month
    _measured(app_client, token_for, "".join(january), ("Customer care",))
    client = signed_in("analyst")
    before = client.get("/").text
    assert "6,000.01 USD" in before
    _invoice_half_the_fees(app_client, token_for)
    after = client.get("/").text
    assert "6,000.01 USD" not in after
    assert "3,000.00 USD" in after
