"""KPI API: measurement uploads (all or nothing, size and type limits, provider submission),
reading measurements in pages, the catalogue, drift alerts and scorecards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api_samples import MEASUREMENTS_CSV
from fastapi.testclient import TestClient

from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

Headers = Callable[[str], dict[str, str]]
URL = "/api/v1/engagements/Customer care"


def _upload(client: TestClient, headers: dict[str, str], text: str, name: str = "m.csv") -> Any:
    return client.post(
        f"{URL}/measurements", headers=headers, files={"file": (name, text, "text/csv")}
    )


def test_every_rejected_row_is_listed_and_nothing_is_stored(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    bad = (
        "kpi,period,value,sample_size\n"
        "availability,2026-03-01,99.9,\n"
        "availability,2026-03-15,abc,\n"
        "nope,2026-03-15,1,\n"
    )
    response = app_client.post(
        f"{URL}/measurements",
        headers=token_for("provider"),
        files={"file": ("bad.csv", bad, "text/csv")},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["detail"] == "nothing loaded; 2 of 3 rows rejected"
    assert body["errors"] == [
        {"file": "bad.csv", "line": 3, "field": "value", "message": "value 'abc' is not a number"},
        {"file": "bad.csv", "line": 4, "field": "kpi", "message": "kpi 'nope' is not a known KPI"},
    ]
    with store:
        assert store.measurements.count() == 0


def test_provider_submits_for_its_own_engagement(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    provider = token_for("provider")
    loaded = _upload(app_client, provider, MEASUREMENTS_CSV)
    assert loaded.json() == {
        "engagement": "Customer care",
        "file": "m.csv",
        "rows": 2,
        "inserted": 2,
        "unchanged": 0,
        "replaced": 0,
    }
    assert _upload(app_client, provider, MEASUREMENTS_CSV).json()["unchanged"] == 2
    with store:
        entry = store.audit_log.entries(entity="measurements")[0]
    assert entry.actor == "provider"
    other = app_client.post(
        "/api/v1/engagements/Other care/measurements",
        headers=provider,
        files={"file": ("m.csv", MEASUREMENTS_CSV, "text/csv")},
    )
    assert other.status_code == 404
    assert _upload(app_client, token_for("viewer"), MEASUREMENTS_CSV).status_code == 403


def test_rows_of_another_engagement_are_refused(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    csv = (
        "engagement,kpi,period,value\n"
        "Customer care,availability,2026-01-05,99.9\n"
        "Other care,availability,2026-01-05,10\n"
    )
    response = _upload(app_client, token_for("provider"), csv, "mixed.csv")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "file": "mixed.csv",
            "line": 3,
            "field": "engagement",
            "message": "this upload takes rows of 'Customer care' only",
        }
    ]
    with store:
        assert store.measurements.count() == 0


def test_replace_corrects_a_stored_value(app_client: TestClient, token_for: Headers) -> None:
    analyst = token_for("analyst")
    _upload(app_client, analyst, MEASUREMENTS_CSV)
    corrected = MEASUREMENTS_CSV.replace("99.25", "99.5")
    conflict = _upload(app_client, analyst, corrected)
    assert conflict.status_code == 422
    assert conflict.json()["errors"][0]["line"] == 2
    replaced = app_client.post(
        f"{URL}/measurements",
        headers=analyst,
        params={"replace": "true"},
        files={"file": ("m.csv", corrected, "text/csv")},
    )
    assert (replaced.json()["replaced"], replaced.json()["unchanged"]) == (1, 1)


def test_raw_bodies_types_and_size_limit(
    store: MemoryUnitOfWork, token_for: Headers, app_client: TestClient
) -> None:
    admin = token_for("admin")
    raw = app_client.post(
        f"{URL}/measurements",
        headers={**admin, "Content-Type": "text/csv"},
        params={"filename": "week.csv"},
        content=MEASUREMENTS_CSV.encode(),
    )
    assert raw.json()["file"] == "week.csv"
    jsonl = '{"kpi": "availability", "period": "2026-03-01", "value": 99.7}\n'
    lines = app_client.post(
        f"{URL}/measurements",
        headers={**admin, "Content-Type": "application/x-ndjson"},
        content=jsonl.encode(),
    )
    assert lines.json()["inserted"] == 1, lines.text
    yaml = app_client.post(
        f"{URL}/measurements", headers=admin, files={"file": ("m.yaml", "a: 1", "text/yaml")}
    )
    assert yaml.status_code == 415
    small = TestClient(create_app(WebSettings(max_upload_bytes=200), make_uow=lambda: store))
    big = "kpi,period,value\n" + "availability,2026-01-05,99.9\n" * 20
    for kind in ("multipart", "raw"):
        if kind == "raw":
            response = small.post(
                f"{URL}/measurements",
                headers={**admin, "Content-Type": "text/csv"},
                content=big.encode(),
            )
        else:
            response = small.post(
                f"{URL}/measurements", headers=admin, files={"file": ("m.csv", big)}
            )
        assert response.status_code == 413, kind


def test_measurements_in_pages_with_filters(app_client: TestClient, token_for: Headers) -> None:
    viewer = token_for("viewer")
    csv = "kpi,period,value,series\n" + "".join(
        f"availability,2026-01-{day:02},{99 + day / 100},{'a' if day % 2 else 'b'}\n"
        for day in range(1, 11)
    )
    assert _upload(app_client, token_for("admin"), csv).status_code == 200
    url = f"{URL}/kpis/availability/measurements"
    page = app_client.get(url, headers=viewer, params={"limit": 3, "offset": 3}).json()
    assert page["total"] == 10
    assert [m["value"] for m in page["items"]] == [99.04, 99.05, 99.06]
    window = app_client.get(
        url, headers=viewer, params={"from": "2026-01-03", "to": "2026-01-07", "series": "a"}
    ).json()
    assert [(m["period"][:10], m["series"]) for m in window["items"]] == [
        ("2026-01-03", "a"),
        ("2026-01-05", "a"),
    ]
    codes = app_client.get(f"{URL}/kpis", headers=viewer).json()
    assert codes == {"engagement": "Customer care", "kpis": ["availability"]}


def test_catalogue(app_client: TestClient, token_for: Headers) -> None:
    kpis = app_client.get("/api/v1/kpis", headers=token_for("provider")).json()
    availability = next(k for k in kpis if k["code"] == "availability")
    assert (availability["origin"], availability["direction"]) == ("built-in", "higher_is_better")


def test_drift_alert_on_a_shift(app_client: TestClient, token_for: Headers) -> None:
    values = [99.9, 99.8, 99.9, 99.85, 99.9, 99.8, 99.9, 99.85, 99.9, 99.8, 99.9, 99.85]
    values += [98.0] * 8
    csv = "kpi,period,value\n" + "".join(
        f"availability,2026-{1 + i // 28:02}-{1 + i % 28:02},{v}\n" for i, v in enumerate(values)
    )
    assert _upload(app_client, token_for("admin"), csv).status_code == 200
    alerts = app_client.get(f"{URL}/drift", headers=token_for("provider")).json()
    assert alerts, "a drop of nearly two points after a stable baseline is drift"
    assert {a["kpi"] for a in alerts} == {"availability"}
    three_sigma = next(a for a in alerts if a["rule"] == "beyond_3_sigma")
    # The 8 points of the shift (13th to 20th of January), all below the limits.
    assert (three_sigma["side"], three_sigma["points"]) == ("below", 8)
    assert (three_sigma["first"][:10], three_sigma["last"][:10]) == ("2026-01-13", "2026-01-20")


def test_scorecard_of_a_provider(app_client: TestClient, token_for: Headers) -> None:
    _upload(app_client, token_for("admin"), MEASUREMENTS_CSV)
    cards = app_client.get(
        "/api/v1/providers/Acme BPO/scorecard",
        headers=token_for("provider"),
        params={"month": "2026-02", "months": 2},
    ).json()
    assert [c["period"] for c in cards] == ["2026-01", "2026-02"]
    assert {c["provider"] for c in cards} == {"Acme BPO"}
    hidden = app_client.get("/api/v1/providers/Other BPO/scorecard", headers=token_for("provider"))
    assert hidden.status_code == 404
    unknown = app_client.get("/api/v1/providers/Nobody/scorecard", headers=token_for("admin"))
    assert unknown.status_code == 404
