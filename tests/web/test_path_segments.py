"""``web/path_segments.py``: any name that can be created can be opened. An engagement named
"EMEA / APAC helpdesk" (or "..", "%2F", "?", "#", ...) gets a page, every section of it and
every API resource of it, at the URLs the pages link to."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from api_samples import COSTS_CSV, ENGAGEMENT_YAML, MEASUREMENTS_CSV, audits_yaml, pilot_yaml
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from tests_web_helpers import csrf_of

from governance_factories import engagement
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.pages.engagements import SECTIONS
from sourcewise.web.path_segments import engagement_path, escape, quote_segment, unescape

SignIn = Callable[[str], TestClient]
Headers = Callable[[str], dict[str, str]]
HOSTILE = (
    "EMEA / APAC helpdesk",
    "..",
    ".",
    ".hidden desk",
    "%2F",
    "a%20b",
    "what?",
    "#1 desk",
    "Zürich ☎ 客服",
    "double  spaced name",
    "~2F is not a slash",
    "back\\slash",
    "a/../b",
    "sections",
)


@given(st.text(min_size=1, max_size=40))
def test_every_name_has_one_path_segment_that_gives_it_back(name: str) -> None:
    escaped = escape(name)
    assert not {"/", "\\", "%"} & set(escaped)  # a second decoding changes nothing
    assert not escaped.startswith(".")
    assert unescape(escaped) == name
    quoted = quote_segment(name)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+", quoted)
    assert quoted not in (".", "..")


def test_plain_names_keep_their_urls() -> None:
    assert engagement_path("Customer care") == "/engagements/Customer%20care"
    assert engagement_path("Customer care", "sections", "kpis") == (
        "/engagements/Customer%20care/sections/kpis"
    )
    assert unescape("a~b") == "a~b"  # a '~' written by hand still means itself


def _engagement_yaml(name: str) -> str:
    # A JSON string is a YAML double-quoted scalar: any name, written safely.
    return ENGAGEMENT_YAML.replace("name: Back office", f"name: {json.dumps(name)}")


@pytest.mark.parametrize("name", HOSTILE)
def test_an_engagement_with_any_name_can_be_opened(
    app_client: TestClient, token_for: Headers, signed_in: SignIn, name: str
) -> None:
    admin = token_for("admin")
    added = app_client.post(
        "/api/v1/engagements",
        headers=admin,
        files={"file": ("e.yaml", _engagement_yaml(name), "application/yaml")},
    )
    assert added.status_code == 201, added.text
    assert added.json()["name"] == name
    assert added.headers["location"] == "/api/v1" + engagement_path(name)

    page = engagement_path(name)
    # A browser resolves dot segments ("." and "..", encoded or not) before asking.
    assert not {s.lower().replace("%2e", ".") for s in page.split("/")} & {".", ".."}
    client = signed_in("analyst")
    assert f'href="{page}"' in client.get("/engagements").text
    opened = client.get(page)
    assert opened.status_code == 200, opened.text
    # Every link of the page (sections, month picker, upload form, the open service-level
    # section's edit and credit links) is the engagement's own.
    links = set(re.findall(r'(?:href|hx-get|action|hx-post)="(/engagements/[^"?#]*)', opened.text))
    assert links == {
        page,
        f"{page}/measurements",
        *(engagement_path(name, "sections", s) for s in ("sla", *SECTIONS)),
        engagement_path(name, "edit"),
        engagement_path(name, "credits"),
        engagement_path(name, "service-levels", "Availability", "edit"),
    }
    for link in links - {f"{page}/measurements"}:
        response = client.get(link)
        assert response.status_code == 200, (link, response.text)
    loaded = client.post(
        f"{page}/measurements",
        data={"csrf_token": csrf_of(client, page)},
        files={"file": ("m.csv", MEASUREMENTS_CSV.encode(), "text/csv")},
    )
    assert loaded.status_code == 200, loaded.text

    api = "/api/v1" + page
    costs = app_client.post(
        f"{api}/costs", headers=admin, files={"file": ("c.csv", COSTS_CSV, "text/csv")}
    )
    assert costs.status_code == 200, costs.text
    for records in (audits_yaml(json.dumps(name)), pilot_yaml(json.dumps(name))):
        stored = app_client.post(
            "/api/v1/records", headers=admin, files={"file": ("r.yaml", records, "text/yaml")}
        )
        assert stored.status_code == 201, stored.text
    for resource in ("", "/sla", "/kpis", "/drift", "/audits", "/surveys", "/meetings", "/pilots"):
        response = app_client.get(api + resource, headers=admin)
        assert response.status_code == 200, (resource, response.text)
    assert app_client.get(api, headers=admin).json()["name"] == name
    series = app_client.get(f"{api}/kpis/availability/measurements", headers=admin)
    assert series.json()["total"] == 2
    evaluation = app_client.get(
        "/api/v1" + engagement_path(name, "pilots", "Pilot", "evaluation"), headers=admin
    )
    assert evaluation.status_code == 200, evaluation.text


def test_a_provider_with_a_slash_has_a_scorecard(
    app_client: TestClient, token_for: Headers
) -> None:
    admin = token_for("admin")
    text = _engagement_yaml("Night shift").replace("name: Acme BPO", 'name: "Ops / Partners"')
    added = app_client.post(
        "/api/v1/engagements", headers=admin, files={"file": ("e.yaml", text, "text/yaml")}
    )
    assert added.status_code == 201, added.text
    url = f"/api/v1/providers/{quote_segment('Ops / Partners')}/scorecard"
    response = app_client.get(url, headers=admin)
    assert response.status_code == 200, response.text


def test_a_section_of_a_name_with_a_slash_pushes_its_own_url(
    store: MemoryUnitOfWork, signed_in: SignIn
) -> None:
    with store:
        store.engagements.add(engagement("EMEA / APAC helpdesk"))
        store.commit()
    client = signed_in("admin")
    response = client.get(engagement_path("EMEA / APAC helpdesk", "sections", "sla"))
    assert response.status_code == 200
    pushed = response.headers["hx-push-url"]
    assert pushed.startswith("/engagements/EMEA%20~2F%20APAC%20helpdesk?month=")
