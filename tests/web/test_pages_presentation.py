"""How the pages read: names instead of codes, one date style, measures to consistent decimals,
an engagement without data that says so, links from the dashboard, folded sections."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from api_samples import audits_yaml
from fastapi.testclient import TestClient
from tests_web_helpers import store_measurements

from governance_factories import engagement, measurement
from sourcewise.services.governance_records import add_records
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.charts_governance import kpi_control_chart, scorecard_chart

SignIn = Callable[[str], TestClient]
PAGE = "/engagements/Customer%20care"
NEW = "/engagements/New%20care"
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


@pytest.fixture
def drifting(store: MemoryUnitOfWork) -> MemoryUnitOfWork:
    """Customer care: availability steady for 12 days of January, then 8 days far below; a
    second engagement of the same provider, New care, with no measurement at all."""
    steady = [99.8, 99.9] * 6
    store_measurements(
        store,
        *(measurement(d + 1, v) for d, v in enumerate(steady)),
        *(measurement(d, 97.0) for d in range(13, 21)),
        *(measurement(d, 1.25, kpi="defect_rate", sample_size=400) for d in (5, 12, 19, 26)),
    )
    with store:
        store.engagements.add(engagement("New care"))
        store.commit()
    return store


@pytest.fixture
def audited(drifting: MemoryUnitOfWork, tmp_path: Path) -> MemoryUnitOfWork:
    """With the sample audit of Customer care: held 18 Mar 2026, an action due 15 Apr 2026."""
    path = tmp_path / "audits.yaml"
    path.write_text(audits_yaml("Customer care"), encoding="utf-8")
    add_records(lambda: drifting, path)
    return drifting


def _section(client: TestClient, page: str, key: str) -> str:
    response = client.get(f"{page}/sections/{key}")
    assert response.status_code == 200, key
    return response.text


def test_an_engagement_without_measurements_says_so_and_draws_no_chart(
    drifting: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("analyst")
    kpis = _section(client, NEW, "kpis")
    assert "No measurements yet" in kpis
    assert "No drift" not in kpis  # nothing measured is not "in control"
    assert "data-chart" not in kpis
    # The provider's other engagement is measured, but it is not this one's record.
    scorecard = _section(client, NEW, "scorecard")
    assert "No measurements yet" in scorecard
    assert "data-chart" not in scorecard
    assert "data-chart" in _section(client, PAGE, "scorecard")


def test_measures_read_to_the_decimals_of_their_target_and_kpis_by_name(
    drifting: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("analyst")
    page = client.get(PAGE, params={"month": "2026-01"}).text
    assert "≤ 2.00 %" in page  # the defects target: three significant figures
    assert ">1.25 %<" in page  # attained, to the target's decimals
    assert "(availability)" not in page  # the service level's name, not its metric code
    assert "United States → Philippines" in page
    assert "US → PH" not in page
    kpis = _section(client, PAGE, "kpis")
    alerts = kpis.split("<h3>Drift alerts</h3>")[1]
    assert "<td>Availability</td>" in alerts  # the catalogue's name of the KPI
    assert ">availability<" not in alerts
    assert "13 Jan 2026" in alerts  # the first point below the limits, as a date
    assert not ISO_DATE.search(alerts)


def test_dates_read_one_way_on_the_engagement_sections(
    audited: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    client = signed_in("analyst")
    audits = _section(client, PAGE, "audits")
    assert "18 Mar 2026" in audits  # held on
    assert '<td class="nowrap">15 Apr 2026' in audits  # due, kept on one line
    assert not ISO_DATE.search(audits)
    scorecard = _section(client, PAGE, "scorecard")
    assert "Score January 2026" in scorecard  # a month in a label
    assert '<td class="nowrap">Jan 2026</td>' in scorecard  # a month in a table cell


def test_dashboard_tiles_and_due_items_lead_somewhere(
    audited: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    html = signed_in("analyst").get("/").text
    for anchor in ("service-levels", "open-risks", "upcoming"):
        assert f'<a class="tile" href="#{anchor}">' in html
        assert f'id="{anchor}"' in html
    assert '<a class="tile" href="/engagements">' in html
    # An overdue audit action links to the audits of its engagement's page.
    assert f'<a href="{PAGE}#audits">' in html
    assert 'href="/inbox"' in html


def test_engagement_sections_fold_under_their_headings(
    drifting: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    page = signed_in("analyst").get(PAGE).text
    folds = re.findall(r'<details class="fold card" id="(\w+)-fold">\s*<summary><h2>', page)
    assert folds == [
        "contracts",
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
    ]
    for key in folds:
        assert f'<a href="#{key}">' in page  # the section index opens its fold (app.js)
    assert '<section id="sla" class="card section">' in page  # the month's SLAs stay open


def test_a_count_kpi_has_no_negative_lower_limit() -> None:
    periods = [datetime(2026, m, 1, tzinfo=UTC) for m in range(1, 8)]
    counts = [0.0, 0.0, 1.0, 0.0, 0.0, 3.0, 0.0]
    built = kpi_control_chart("k", "Incidents", periods, counts, "count", bounds=(0.0, None))
    assert built is not None
    assert built.limits.lower == 0.0
    figure = json.loads(built.chart.json)
    lower = next(t for t in figure["data"] if t["name"] == "lower limit")
    assert lower["y"] == [0.0, 0.0]
    assert any(t["name"] == "limits 0–4.118" for t in figure["data"])


def test_the_scorecard_chart_names_its_months_and_draws_sparse_domains(
    drifting: MemoryUnitOfWork,
) -> None:
    from sourcewise.services.monitoring import scorecards

    cards = scorecards(lambda: drifting, "Acme BPO", datetime(2026, 1, 1).date(), months=1)
    figure = json.loads(scorecard_chart("s", cards).json)
    assert figure["layout"]["xaxis"]["type"] == "category"  # one month: no axis of milliseconds
    assert figure["data"][0]["x"] == ["Jan 2026"]
    domains = [t for t in figure["data"] if t["name"] not in ("overall", "on target (80)")]
    assert all(t["mode"] == "lines+markers" and t["connectgaps"] for t in domains)


def test_country_page_names_languages_and_indicators(signed_in: SignIn) -> None:
    page = signed_in("viewer").get("/locations/MX", params={"home": "US"}).text
    assert "from United States" in page
    assert "Spanish" in page
    assert "Rule of law (WGI estimate)" in page
    assert "wgi rl est" not in page
    ranking = signed_in("viewer").get("/locations", params={"home": "DE"}).text
    assert "countries for other from Germany" in ranking
    assert 'class="loc-table-wrap" tabindex="0" role="region"' in ranking
