"""Scenario, decision-result and location pages: rendering, inline validation, background runs
with progress, chart JSON and who may see them."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
CHART = re.compile(r'<script type="application/json" data-chart="([^"]+)">(.*?)</script>', re.S)


def htmx(client: TestClient) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": csrf_of(client, "/scenarios")}


def charts(html: str) -> dict[str, dict[str, object]]:
    """Chart id -> figure of every JSON block; none may hold a raw '<'."""
    found = {}
    for chart_id, body in CHART.findall(html):
        assert "<" not in body, f"unescaped '<' in chart {chart_id}"
        found[chart_id] = json.loads(body)
        assert f'<div id="{chart_id}"' in html
    return found


def run_to_completion(client: TestClient, text: str, draws: int = 200) -> str:
    headers = htmx(client)
    started = client.post(
        "/scenarios/run", data={"text": text, "draws": draws, "seed": 7}, headers=headers
    )
    assert started.status_code == 200, started.text
    found = re.search(
        r'hx-get="/scenarios/jobs/([\w-]+)/status" hx-trigger="every 1s"', started.text
    )
    if found is None:  # already done
        return started.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = client.get(f"/scenarios/jobs/{found.group(1)}/status", headers=headers)
        assert page.status_code == 200
        if 'hx-trigger="every 1s"' not in page.text:
            return page.text
        assert "<progress" in page.text
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_scenarios_page_shows_each_example_valid(
    signed_in: Callable[[str], TestClient], example: Path
) -> None:
    page = signed_in("viewer").get("/scenarios", params={"example": example.stem})
    assert page.status_code == 200
    assert "not stored" in page.text
    assert f'value="{example.stem}" selected' in page.text
    assert "Cedar Ridge Windows" in page.text  # every example is listed
    assert 'class="badge ok">valid' in page.text
    first = example.read_text(encoding="utf-8").splitlines()[0]
    assert first.replace("'", "&#39;") in page.text


def test_validation_errors_are_listed_with_their_lines(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("analyst")
    text = (EXAMPLES[0]).read_text(encoding="utf-8")
    broken = text.replace("home_country: DE", "home_country: ZZ", 1)
    line = broken.splitlines().index("  home_country: ZZ") + 1
    fragment = client.post("/scenarios/validate", data={"text": broken}, headers=htmx(client))
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert f"line {line}</span>" in fragment.text
    assert "<code>company.home_country</code>" in fragment.text
    assert "unknown country code" in fragment.text
    assert f'<span class="at"><b>{line:4d}</b>   home_country: ZZ</span>' in fragment.text

    bad_yaml = client.post("/scenarios/validate", data={"text": "a: [1,\n"}, headers=htmx(client))
    assert "line 2</span>" in bad_yaml.text
    assert "invalid YAML" in bad_yaml.text


def test_running_an_invalid_scenario_shows_its_problems(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("analyst")
    response = client.post(
        "/scenarios/run", data={"text": "version: 1\n", "draws": 200}, headers=htmx(client)
    )
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#problems"
    assert "<code>company</code>" in response.text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_run_finishes_with_the_results_and_charts(
    signed_in: Callable[[str], TestClient], example: Path
) -> None:
    client = signed_in("analyst")
    html = run_to_completion(client, example.read_text(encoding="utf-8"))
    assert "Recommended:" in html
    assert "Cross-check (multi-criteria consensus):" in html
    assert "Who × where" in html
    assert "captive offshoring" in html or "offshore outsourcing" in html
    # Each fit rule's reason is followed by its passage and the article named as a reader would,
    # the name linking to the passage on the concepts page.
    named = "(BusinessVert|an untitled web explainer|Sara Schmidt)"
    cited = r"” \(<a [^>]*href=\"/concepts#rule-[\w-]+\">" + named
    assert re.search(cited, unescape(html))
    assert not re.search(r"seed (passage|article|00\d)", html, re.IGNORECASE)
    figures = charts(html)
    for kind in ("fan", "waterfall", "tornado", "acceptability"):
        assert f"{kind}-0" in figures, kind
    fan = figures["fan-0"]["data"]  # type: ignore[index]
    assert fan[1]["fill"] == "tonexty"  # the P10-P90 band of the status quo
    assert fan[2]["name"] == "Status quo"
    waterfall = figures["waterfall-0"]["data"]  # type: ignore[index]
    assert waterfall[0]["type"] == "waterfall"
    assert waterfall[0]["measure"][-1] == "total"
    shares = figures["acceptability-0"]["data"]  # type: ignore[index]
    options = len(shares)
    totals = [sum(trace["x"][i] for trace in shares) for i in range(options)]
    assert totals == pytest.approx([1.0] * options, abs=1e-3)


def test_a_plain_form_run_redirects_to_its_page_kept_for_its_owner(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("analyst")
    token = csrf_of(client, "/scenarios")
    text = EXAMPLES[-1].read_text(encoding="utf-8")
    response = client.post("/scenarios/run", data={"text": text, "draws": 200, "csrf_token": token})
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.startswith("/scenarios/jobs/")
    page = client.get(target)
    assert page.status_code == 200
    assert 'id="run-output"' in page.text
    assert signed_in("viewer").get(target).status_code == 404
    assert signed_in("admin").get(target).status_code == 200


def test_an_uploaded_file_goes_into_the_editor(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("analyst")
    token = csrf_of(client, "/scenarios")
    text = EXAMPLES[1].read_text(encoding="utf-8")
    page = client.post(
        "/scenarios/upload",
        data={"csrf_token": token},
        files={"file": ("mine.yaml", text.encode(), "application/yaml")},
    )
    assert page.status_code == 200
    assert "Northwind Retail" in page.text
    assert 'class="badge ok">valid' in page.text


def test_locations_page_has_a_sortable_table_and_a_choropleth(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("viewer")
    page = client.get("/locations", params={"home": "DE", "kind": "software_development"})
    assert page.status_code == 200
    figures = charts(page.text)
    (world,) = figures.values()
    trace = world["data"][0]  # type: ignore[index]
    assert trace["type"] == "choropleth"
    assert trace["locationmode"] == "ISO-3"
    assert "POL" in trace["locations"]
    assert "DEU" not in trace["locations"]  # home is not ranked
    assert '<a href="/locations/PL?home=DE&amp;kind=software_development">Poland</a>' in page.text

    fragment = client.get(
        "/locations",
        params={"home": "DE", "sort": "name", "dir": "desc", "q": "po"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in fragment.text
    names = re.findall(r'<a href="/locations/\w\w\?[^"]*">([^<]+)</a>', fragment.text)
    assert names == sorted(names, reverse=True)
    assert "Poland" in names
    assert "Portugal" in names


def test_country_page_has_indicators_with_sources_and_overlap(
    signed_in: Callable[[str], TestClient],
) -> None:
    page = signed_in("viewer").get("/locations/IN", params={"home": "US"})
    assert page.status_code == 200
    assert "India" in page.text
    assert "World Bank" in page.text
    assert "wdi:" in page.text
    figures = charts(page.text)
    overlap = figures["overlap-chart"]["data"]  # type: ignore[index]
    assert len(overlap[0]["x"]) == 12
    assert len(overlap[1]["x"]) > 200
    assert signed_in("viewer").get("/locations/QQ").status_code == 404


@pytest.mark.parametrize("path", ["/scenarios", "/locations", "/locations/IN"])
def test_providers_are_refused_and_anonymous_users_sent_to_sign_in(
    signed_in: Callable[[str], TestClient], app_client: TestClient, path: str
) -> None:
    assert signed_in("provider").get(path).status_code == 403
    response = app_client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_provider_cannot_run_scenarios(signed_in: Callable[[str], TestClient]) -> None:
    client = signed_in("provider")
    token = csrf_of(client, "/")
    response = client.post(
        "/scenarios/run",
        data={"text": "version: 1\n", "draws": 200},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 403


def test_an_upload_that_is_not_utf8_says_where_its_first_bad_byte_is(
    signed_in: Callable[[str], TestClient],
) -> None:
    client = signed_in("analyst")
    latin1 = b"company:\n  name: Caf\xe9 Ltd\n  home_country: FR\n"
    page = client.post(
        "/scenarios/upload",
        data={"csrf_token": csrf_of(client, "/scenarios")},
        files={"file": ("latin1.yaml", latin1, "application/yaml")},
    )
    assert page.status_code == 422
    assert "the file is empty" not in page.text
    assert "not UTF-8 text: the first bad byte, 0xe9, is at line 2, column 12" in page.text
    assert "(byte offset 20)" in page.text
    assert "line 2" in page.text
    assert "Caf\ufffd Ltd" in page.text  # the editor shows the text, the bad byte marked
