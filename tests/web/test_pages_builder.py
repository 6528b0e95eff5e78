"""The guided builder's page without a browser: the steps as plain POSTs (no JavaScript), the
live panel htmx asks for, edited numbers becoming given overrides and reset, cards removed and
added back, the YAML view keeping every answer, saving (audit-logged), and who may do what."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from markupsafe import escape
from tests_web_helpers import csrf_of

from sourcewise.storage.memory import MemoryUnitOfWork

SignIn = Callable[[str], TestClient]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CASE: dict[str, Any] = {
    "company": "Northwind Retail",
    "home_country": "US",
    "kind": "customer_service",
    "role": "Customer Service Representatives",
    "fte": "120",
    "countries": "PH, IN, MX",
    "arrangements_sent": "1",
    "arrangements": ["domestic_outsourcing", "captive_offshoring", "offshore_outsourcing"],
    "data_sensitivity": "personal",
    "languages": "en, es",
    "overlap_hours_needed": "8",
    "last_step": "review",
}


def post(
    client: TestClient, path: str = "/scenarios/new", htmx: bool = False, **fields: Any
) -> Response:
    data = {"csrf_token": csrf_of(client, "/scenarios/new"), **CASE, **fields}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(path, data=data, headers=headers)


def visible_step(page: str) -> str:
    """The title of the step that is not hidden."""
    found = re.findall(r'<fieldset id="step-(\w+)">', page)
    assert len(found) == 1, found
    return found[0]


def test_the_page_opens_on_the_first_step_without_complaints(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    page = client.get("/scenarios/new")
    assert page.status_code == 200
    assert visible_step(page.text) == "company"
    assert "not answered yet" not in page.text
    assert 'href="/scenarios/new"' in page.text  # the nav links it
    for linking in ("/scenarios", "/scenarios/saved"):
        assert 'href="/scenarios/new"' in client.get(linking).text


def test_next_stays_on_a_step_with_problems(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    page = post(client, company="", last_step="company", go="function")
    assert visible_step(page.text) == "company"
    assert re.search(r'id="err-company">not answered yet<', page.text)
    moved = post(client, last_step="company", go="function")
    assert visible_step(moved.text) == "function"


def test_the_answers_give_an_estimate_and_option_cards(signed_in: SignIn) -> None:
    page = post(signed_in("analyst"), go="review").text
    assert visible_step(page) == "review"
    assert "43-4051 Customer Service Representatives" in page
    assert "BLS OEWS May 2023 43-4051" in page  # a source, shown
    cards = re.findall(r'<button type="submit" name="toggle" value="([\w:]+)"', page)
    assert len(cards) == 7
    assert "not answered yet" not in page


def test_an_edited_number_becomes_given_and_is_reset(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    first = post(client, go="review").text
    shown = re.search(r'name="estimated.PH.hourly_rate" value="([^"]+)"', first)
    assert shown is not None
    edited = post(
        client,
        htmx=True,
        **{"value.PH.hourly_rate": "11.5", "estimated.PH.hourly_rate": shown.group(1)},
    ).text
    assert 'name="given.PH.hourly_rate" value="11.5"' in edited
    assert '<span class="badge given">given</span>' in edited
    assert 'name="reset" value="PH.hourly_rate"' in edited
    # Unchanged numbers stay estimates.
    assert 'name="value.IN.hourly_rate"' in edited
    yaml_view = post(client, go="yaml", **{"given.PH.hourly_rate": "11.5"}).text
    assert "hourly_rate: {dist: fixed, value: 11.5, source: &#34;given by the user" in yaml_view
    reset = post(client, reset="PH.hourly_rate", **{"given.PH.hourly_rate": "11.5"}).text
    assert 'name="given.PH.hourly_rate"' not in reset
    assert 'name="value.PH.hourly_rate"' in reset


def test_a_given_number_that_is_no_number_is_named(signed_in: SignIn) -> None:
    page = post(signed_in("analyst"), **{"given.PH.pay": "lots"}).text
    assert "given.PH.pay" in page
    assert 'name="given.PH.pay" value="lots"' in page  # kept as typed, to be fixed


def test_a_card_removed_leaves_its_option_out(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    removed = post(client, toggle="captive_offshoring:IN").text
    assert '<input type="hidden" name="exclude_options" value="captive_offshoring:IN">' in removed
    assert "Add back" in removed
    yaml_view = post(client, go="yaml", exclude_options="captive_offshoring:IN").text
    assert "Own centre in India" not in yaml_view
    assert "Own centre in Mexico" in yaml_view
    back = post(client, exclude_options="captive_offshoring:IN", toggle="captive_offshoring:IN")
    assert 'name="exclude_options"' not in back.text


def test_the_yaml_view_keeps_every_answer(signed_in: SignIn) -> None:
    page = post(signed_in("analyst"), go="yaml", last_step="needs").text
    assert '<section id="step-yaml">' in page
    assert 'class="bld-yaml"' in page
    for name, value in (("company", "Northwind Retail"), ("fte", "120"), ("languages", "en, es")):
        assert f'name="{name}" value="{value}"' in page
    assert '<option value="personal" selected>' in page
    assert 'name="go" value="needs">Back to the form' in page
    back = post(signed_in("analyst"), go="needs", last_step="needs").text
    assert visible_step(back) == "needs"


def test_the_live_panel_names_each_problem_beside_its_field(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    live = post(client, "/scenarios/new/live", htmx=True, fte="-3", languages="en, xx")
    assert live.status_code == 200
    assert '<aside id="live"' in live.text
    assert re.search(r'id="err-fte" hx-swap-oob="true">[^<]*greater than 0', live.text)
    assert re.search(r'id="err-languages" hx-swap-oob="true">[^<]*unknown language', live.text)
    fine = post(client, "/scenarios/new/live", htmx=True).text
    assert 'id="err-fte" hx-swap-oob="true"></p>' in fine


def test_roles_are_suggested_as_typed(signed_in: SignIn) -> None:
    found = signed_in("viewer").get("/scenarios/new/roles", params={"role": "customer serv"})
    assert found.status_code == 200
    assert '<option value="Customer Service Representatives">43-4051' in found.text


def test_saving_keeps_a_version_with_links_to_decide_it(
    signed_in: SignIn, store: MemoryUnitOfWork
) -> None:
    client = signed_in("analyst")
    saved = post(client, "/scenarios/new/save", save_as="Northwind CS", save_note="first")
    assert saved.status_code == 200, saved.text
    assert "Saved version 1 of" in saved.text
    assert 'href="/scenarios/saved/Northwind%20CS/versions/1"' in saved.text
    assert 'href="/runs?scenario=Northwind%20CS"' in saved.text
    with store:
        logged = {e.entity for e in store.audit_log.entries() if e.actor == "analyst"}
        kept = store.workspace.versions("Northwind CS")
    assert {"scenario", "scenario_version"} <= logged
    assert kept[0].note == "first"
    assert 'name: "Northwind Retail"' in kept[0].text
    again = post(client, "/scenarios/new/save", save_as="Northwind CS", htmx=True)
    assert "Unchanged: this is already version 1" in again.text


def test_answers_with_problems_are_not_saved(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    refused = post(client, "/scenarios/new/save", save_as="Broken", fte="")
    assert refused.status_code == 422
    assert "answer every question without a problem first" in refused.text
    unnamed = post(client, "/scenarios/new/save", save_as="")
    assert unnamed.status_code == 422
    assert "give the scenario a name" in unnamed.text


def test_viewers_build_but_do_not_save(signed_in: SignIn) -> None:
    client = signed_in("viewer")
    page = post(client, go="review")
    assert page.status_code == 200
    assert 'id="save-button"' not in page.text
    assert "Saving is for the analyst and admin roles" in page.text
    assert post(client, "/scenarios/new/save", save_as="Viewer's").status_code == 403


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/scenarios/new"),
        ("POST", "/scenarios/new"),
        ("POST", "/scenarios/new/live"),
        ("GET", "/scenarios/new/roles"),
        ("POST", "/scenarios/new/save"),
    ],
)
def test_provider_users_are_refused(signed_in: SignIn, method: str, path: str) -> None:
    client = signed_in("provider")
    token = csrf_of(client, "/")
    data = {"csrf_token": token, **CASE} if method == "POST" else None
    assert client.request(method, path, data=data).status_code == 403


def test_a_post_without_the_csrf_token_is_refused(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    for path in ("/scenarios/new", "/scenarios/new/save"):
        refused = client.post(path, data={**CASE, "save_as": "x"})
        assert refused.status_code == 403
        assert "CSRF check failed" in refused.text


def test_a_hostile_company_name_is_escaped_everywhere(
    signed_in: SignIn, store: MemoryUnitOfWork
) -> None:
    client = signed_in("analyst")
    pages = [post(client, company=HOSTILE, go=view).text for view in ("company", "review", "yaml")]
    pages.append(post(client, "/scenarios/new/live", htmx=True, company=HOSTILE).text)
    saved = post(client, "/scenarios/new/save", company=HOSTILE, save_as=HOSTILE)
    assert saved.status_code == 200, saved.text
    pages.append(saved.text)
    for page in pages:
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    assert str(escape(HOSTILE)) in pages[0]
    with store:
        (version,) = store.workspace.versions(HOSTILE)
    assert f"name: {HOSTILE!r}" not in version.text  # written as a quoted YAML string


def test_the_estimate_and_cards_stay_while_another_answer_is_wrong(signed_in: SignIn) -> None:
    page = post(
        signed_in("analyst"), languages="en, xx", exclude_options="captive_offshoring:IN"
    ).text
    assert "unknown language" in page
    assert "43-4051 Customer Service Representatives" in page
    card = re.search(r'name="toggle" value="captive_offshoring:IN"[^>]*>(\w+ ?\w*)<', page)
    assert card is not None
    assert card.group(1) == "Add back"
