"""The governance pages: dashboard, engagements with their sections and KPI upload, audit log."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of
from tests_web_helpers import store_measurements as _store

from governance_factories import measurement
from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user
from sourcewise.services.costs import add_costs
from sourcewise.services.engagements import add_engagement
from sourcewise.services.governance_store import log_change
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.charts_governance import script_json
from sourcewise.web.pages.engagement_sections import month_list

SignIn = Callable[[str], TestClient]
PAGE = "/engagements/Customer%20care"
OTHER = "/engagements/Other%20care"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "governance"
SECTIONS = (
    "kpis",
    "scorecard",
    "corrective_actions",
    "remedies",
    "risks",
    "audits",
    "surveys",
    "meetings",
    "pilot",
    "benefits",
)


@pytest.fixture
def measured(store: MemoryUnitOfWork) -> MemoryUnitOfWork:
    """January 2026: availability 99.0 against 99.5 (a full breach), defects 1.5 % (met)."""
    days = (5, 12, 19, 26)
    _store(
        store,
        *(measurement(d, 99.0) for d in days),
        *(measurement(d, 1.5, kpi="defect_rate", sample_size=500) for d in days),
        measurement(5, 99.9, engagement="Other care"),
    )
    return store


def _count(store: MemoryUnitOfWork, name: str = "Customer care") -> int:
    with store:
        return store.measurements.count(name)


def test_dashboard_shows_status_credits_and_risks_of_every_engagement(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    page = signed_in("analyst").get("/")
    assert page.status_code == 200
    html = page.text
    assert "Customer care" in html
    assert "Other care" in html
    assert "Jan 2026" in html  # a month in a table cell
    assert "1 breach" in html
    assert "1 met" in html
    # 12 % of the 100,000.10 fees at risk, all on availability (a full-credit shortfall),
    # capped at 8.5 % of the contract year's fees: 8,500.01.
    assert "8,500.01 USD" in html
    assert "Upcoming and overdue" in html


def test_engagement_page_shows_the_sla_month_and_its_credits(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    page = signed_in("viewer").get(PAGE, params={"month": "2026-01"})
    assert page.status_code == 200
    html = page.text
    assert "Service levels, January 2026" in html
    assert "≥ 99.5 %" in html
    assert ">99.0 %<" in html  # attained, to the decimals of its 99.5 % target
    assert "breach" in html
    assert "12,000.01 USD" in html
    assert "8,500.01 USD" in html
    assert "capped by the contract year cap" in html
    assert "100,000.10 USD" in html  # the contract's fees
    for section in SECTIONS:
        assert f'hx-get="/engagements/Customer%20care/sections/{section}' in html
    assert 'id="upload"' not in html  # a viewer submits nothing


def test_a_waived_credit_says_how_much_and_which_months_used_the_allowance(
    store: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    # The example pays credits in at most 4 months of a contract year: March, August,
    # September and October 2026 have them, so November's 19,440.00 is waived.
    make = lambda: store  # noqa: E731
    add_engagement(make, EXAMPLES / "engagement.yaml")
    ingest_measurements(make, EXAMPLES / "measurements.csv")
    add_costs(make, EXAMPLES / "costs.csv")
    add_user(make, "monterrey", "correct horse battery", Role.PROVIDER, "Monterrey bilingual BPO")
    page = "/engagements/Customer%20service%20Monterrey"
    for user in ("admin", "monterrey"):
        html = " ".join(signed_in(user).get(page, params={"month": "2026-11"}).text.split())
        assert "credits in at most 4 months of a contract year" in html, user
        assert (
            "19,440.00 USD waived: credits already paid in Mar, Aug, Sep and Oct 2026, "
            "the contract's 4 months a year"
        ) in html, user


def test_months_of_a_contract_year_across_new_year_carry_their_years() -> None:
    assert month_list([date(2026, 3, 1)]) == "Mar 2026"
    across = [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    assert month_list(across) == "Nov 2026, Dec 2026 and Jan 2027"


def test_a_month_before_any_data_and_a_bad_month(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("admin")
    later = client.get(f"{PAGE}/sections/sla", params={"month": "2026-02"})
    assert later.status_code == 200
    assert "Service levels, February 2026" in later.text
    assert "no data" in later.text
    assert later.headers["hx-push-url"] == f"{PAGE}?month=2026-02"
    wrong = client.get(PAGE, params={"month": "2025-13"})
    assert wrong.status_code == 200
    assert "is not a month of this engagement; showing 2026-01" in wrong.text


def test_every_section_renders(measured: MemoryUnitOfWork, signed_in: SignIn) -> None:
    client = signed_in("analyst")
    for section in SECTIONS:
        response = client.get(f"{PAGE}/sections/{section}")
        assert response.status_code == 200, section
        assert f'<section id="{section}"' in response.text
    assert client.get(f"{PAGE}/sections/nope").status_code == 404


def test_kpi_charts_carry_control_limits_as_safe_json(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    html = signed_in("analyst").get(f"{PAGE}/sections/kpis").text
    blocks = re.findall(
        r'<script type="application/json" data-chart="([^"]+)">(.*?)</script>', html
    )
    assert len(blocks) == 2  # availability and defect_rate
    for chart_id, text in blocks:
        assert f'<div id="{chart_id}" class="chart">' in html
        figure = json.loads(text)
        names = [trace["name"] for trace in figure["data"]]
        assert names[0] == "value"
        assert any(n.startswith("centre") for n in names)
        assert any(n.startswith("limits ") for n in names)
    assert "target 99.5" in html


def test_chart_json_cannot_close_its_script_element() -> None:
    text = str(script_json({"title": "</script><script>alert(1)</script> & \u2028"}))
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text)["title"].startswith("</script>")


def test_provider_users_see_only_their_own_engagements(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("provider")
    for path in ("/", "/engagements"):
        html = client.get(path).text
        assert "Customer care" in html, path
        assert "Other care" not in html, path
    assert client.get(PAGE).status_code == 200
    assert 'id="upload"' in client.get(PAGE).text
    missing = client.get(OTHER)
    assert missing.status_code == 404
    assert "Engagement not found" in missing.text
    assert client.get(f"{OTHER}/sections/kpis").status_code == 404
    token = csrf_of(client, "/")
    upload = client.post(
        f"{OTHER}/measurements",
        data={"csrf_token": token},
        files={"file": ("m.csv", b"kpi,period,value\navailability,2026-01-05,99.9\n")},
    )
    assert upload.status_code == 404
    assert _count(measured, "Other care") == 1


def test_a_bad_row_rejects_the_whole_file_and_says_so(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("provider")
    before = _count(measured)
    content = b"kpi,period,value\navailability,2026-02-02,99.7\navailability,2026-02-09,high\n"
    response = client.post(
        f"{PAGE}/measurements",
        data={"csrf_token": csrf_of(client, PAGE)},
        files={"file": ("feb.csv", content, "text/csv")},
    )
    assert response.status_code == 422
    assert "Nothing was stored" in response.text
    assert re.search(r'<td class="num">3</td><td><code>value</code></td>', response.text)
    assert _count(measured) == before


def test_a_good_upload_stores_its_rows(measured: MemoryUnitOfWork, signed_in: SignIn) -> None:
    client = signed_in("analyst")
    before = _count(measured)
    content = b"kpi,period,value\navailability,2026-02-02,99.7\navailability,2026-02-09,99.8\n"
    response = client.post(
        f"{PAGE}/measurements",
        data={"csrf_token": csrf_of(client, PAGE), "replace": "true"},
        files={"file": ("feb.csv", content, "text/csv")},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Stored feb.csv" in response.text
    assert "2 new" in response.text
    assert "<html" not in response.text  # a fragment for htmx
    assert _count(measured) == before + 2
    with measured:
        logged = measured.audit_log.entries(entity="measurements", limit=5)
    assert logged
    assert logged[0].after["inserted"] == 2
    assert logged[0].actor == "analyst"


def test_rows_for_another_engagement_are_refused(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("provider")
    content = b"engagement,kpi,period,value\nOther care,availability,2026-02-02,90\n"
    response = client.post(
        f"{PAGE}/measurements",
        data={"csrf_token": csrf_of(client, PAGE)},
        files={"file": ("sneaky.csv", content, "text/csv")},
    )
    assert response.status_code == 422
    assert "this upload takes rows of" in response.text
    assert _count(measured, "Other care") == 1


def test_upload_needs_csrf_a_writer_and_a_known_file_type(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    files = {"file": ("m.csv", b"kpi,period,value\navailability,2026-02-02,99.7\n")}
    analyst = signed_in("analyst")
    assert analyst.post(f"{PAGE}/measurements", files=files).status_code == 403
    viewer = signed_in("viewer")
    token = csrf_of(viewer, PAGE)
    refused = viewer.post(f"{PAGE}/measurements", data={"csrf_token": token}, files=files)
    assert refused.status_code == 403
    odd = analyst.post(
        f"{PAGE}/measurements",
        data={"csrf_token": csrf_of(analyst, PAGE)},
        files={"file": ("m.exe", b"MZ")},
    )
    assert odd.status_code == 422
    assert "unsupported file type" in odd.text
    assert _count(measured) == 8


def test_uploads_over_the_limit_are_refused(measured: MemoryUnitOfWork, signed_in: SignIn) -> None:
    client = signed_in("analyst")
    big = b"kpi,period,value\n" + b"availability,2026-02-02,99.7\n" * 80_000  # > 2 MiB
    response = client.post(
        f"{PAGE}/measurements",
        data={"csrf_token": csrf_of(client, PAGE)},
        files={"file": ("big.csv", big)},
    )
    assert response.status_code == 413
    assert _count(measured) == 8


def test_audit_log_is_paginated_and_filtered(store: MemoryUnitOfWork, signed_in: SignIn) -> None:
    with store:
        for i in range(60):
            at = datetime(2026, 3, 1, 12, i % 60, tzinfo=UTC)
            log_change(store, "risk", f"R-{i:03d}", None, {"n": i}, "tester", at)
        store.commit()
    client = signed_in("admin")
    first = client.get("/audit-log", params={"entity": "risk"})
    assert first.status_code == 200
    assert "R-059" in first.text
    assert "R-009" not in first.text
    assert "Older →" in first.text
    second = client.get("/audit-log", params={"entity": "risk", "page": 2})
    assert "R-009" in second.text
    assert "R-059" not in second.text
    assert "Older →" not in second.text
    users = client.get("/audit-log", params={"entity": "user"}).text
    assert "provider" in users
    assert "R-001" not in users


def test_audit_log_is_forbidden_for_provider_users(signed_in: SignIn) -> None:
    response = signed_in("provider").get("/audit-log")
    assert response.status_code == 403
    assert "Forbidden" in response.text
    assert "<table" not in response.text


def test_pages_need_a_sign_in(app_client: TestClient) -> None:
    for path in ("/", "/engagements", PAGE, "/audit-log"):
        assert app_client.get(path).status_code == 303, path


def test_the_dashboard_cache_follows_new_data(
    measured: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("analyst")
    first = client.get("/").text
    assert "Jan 2026" in first
    assert first == client.get("/").text  # served again from the cache, unchanged
    february = "kpi,period,value\n" + "".join(
        f"availability,2026-02-{day:02d},99.9\n" for day in (2, 9, 16, 23)
    )
    uploaded = client.post(
        f"{PAGE}/measurements",
        data={"csrf_token": csrf_of(client, PAGE)},
        files={"file": ("february.csv", february.encode(), "text/csv")},
    )
    assert uploaded.status_code == 200, uploaded.text
    assert "Nothing was stored" not in uploaded.text
    # The upload is in the audit log, so the dashboard recomputes and shows February.
    assert "Feb 2026" in client.get("/").text
