"""Saved scenario pages: Save as… from the editor (versions, problems at their lines, nothing
saved when invalid), the library each role sees, a version read-only, its download, the diff,
sharing, CSRF, and hostile names in every place a name goes."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

import pytest
from api_samples import RATE_UP
from fastapi.testclient import TestClient
from httpx2 import Response
from tests_web_helpers import SCENARIO_TEXT, csrf_of

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user
from sourcewise.services.scenario_library import MAX_NAME
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.pages.saved_scenarios import shown
from sourcewise.web.path_segments import saved_scenario_path

SignIn = Callable[[str], TestClient]
PASSWORD = "correct horse battery"
NAME = "Windows plan"
EDITED = SCENARIO_TEXT.replace(*RATE_UP)
RATE_LINE = SCENARIO_TEXT.splitlines().index("  " + RATE_UP[0]) + 1
HOSTILE = (
    "<script>alert(1)</script>",
    "../x",
    "a/b",
    "a\\b",
    "..",
    "~2F %2F 100%",
    'Plan "quoted" ; filename=x.exe',
    "Ünïcødé plan 計画",
    "x" * MAX_NAME,
)


@pytest.fixture
def colleague(store: MemoryUnitOfWork) -> str:
    """A second analyst, to whom the first's private scenarios are unknown."""
    add_user(lambda: store, "analyst2", PASSWORD, Role.ANALYST)
    return "analyst2"


def save(
    client: TestClient,
    name: str,
    text: str = SCENARIO_TEXT,
    note: str = "",
    visibility: str = "",
    htmx: bool = False,
    token: str | None = None,
) -> Response:
    """Post the editor's "Save as…" form as the browser does (htmx adds its header)."""
    csrf = csrf_of(client, "/scenarios") if token is None else token
    data = {"text": text, "name": name, "note": note, "visibility": visibility}
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf} if htmx else {}
    return client.post("/scenarios/saved", data={**data, "csrf_token": csrf}, headers=headers)


def saved_one(client: TestClient, name: str = NAME, **values: str) -> str:
    """Save and return the new version's page address."""
    response = save(client, name, **values)
    assert response.status_code == 303, response.text[:2000]
    location: str = response.headers["location"]
    return location


def test_save_as_makes_versions_and_the_library_lists_them(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    editor = client.get("/scenarios").text
    assert 'id="save-form"' in editor
    assert 'action="/scenarios/saved"' in editor
    assert saved_one(client, note="as received") == f"{saved_scenario_path(NAME)}/versions/1"
    assert (
        saved_one(client, text=EDITED, note="rate up") == f"{saved_scenario_path(NAME)}/versions/2"
    )
    same = save(client, NAME, EDITED, htmx=True)
    assert same.status_code == 200
    assert "Unchanged" in same.text
    assert "version 2" in same.text
    library = client.get("/scenarios/saved")
    assert library.status_code == 200
    row = re.search(r"<tr>\s*<td class=\"saved-name\">(.*?)</tr>", library.text, re.S)
    assert row is not None
    cells = re.sub(r"<[^>]+>", " ", row.group(1)).split()
    assert cells[:6] == ["Windows", "plan", "analyst", "team", "v2", cells[5]]
    page = client.get(saved_scenario_path(NAME)).text
    assert "as received" in page
    assert "rate up" in page
    assert page.count("analyst") >= 3  # the owner and the author of each version


def test_saving_again_by_htmx_links_the_changes(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    saved_one(client)
    second = save(client, NAME, EDITED, note="rate up", htmx=True)
    assert second.status_code == 200
    assert "<html" not in second.text
    assert "Saved as" in second.text
    assert f'href="{saved_scenario_path(NAME, "diff")}?from=1&amp;to=2"' in second.text


def test_an_invalid_text_is_not_saved_and_its_problems_have_lines(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    broken = SCENARIO_TEXT.replace("home_country: US", "home_country: ZZ", 1)
    line = broken.splitlines().index("  home_country: ZZ") + 1
    plain = save(client, NAME, broken)
    assert plain.status_code == 422
    assert "Nothing saved." in plain.text
    assert f"line {line}</span>" in plain.text
    assert "<code>company.home_country</code>" in plain.text
    assert 'value="Windows plan"' in plain.text  # the form keeps what was typed
    fragment = save(client, NAME, broken, htmx=True)
    assert fragment.status_code == 200
    assert "Nothing saved." in fragment.text
    assert '<aside id="problems" hx-swap-oob="innerHTML">' in fragment.text
    assert f"line {line}</span>" in fragment.text
    assert "No saved scenarios you can see yet" in client.get("/scenarios/saved").text


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "is empty"), ("x" * (MAX_NAME + 1), f"at most {MAX_NAME}"), ("a\tb", "control")],
)
def test_a_bad_name_is_named_and_nothing_is_saved(
    signed_in: SignIn, name: str, message: str
) -> None:
    client = signed_in("analyst")
    for htmx in (False, True):
        response = save(client, name, htmx=htmx)
        assert response.status_code == (200 if htmx else 422)
        assert "Nothing saved." in response.text
        assert message in response.text
    assert "No saved scenarios" in client.get("/scenarios/saved").text


def test_a_viewer_reads_team_scenarios_but_cannot_save(signed_in: SignIn) -> None:
    saved_one(signed_in("analyst"))
    viewer = signed_in("viewer")
    assert 'id="save-form"' not in viewer.get("/scenarios").text
    assert NAME in viewer.get("/scenarios/saved").text
    for path in (
        saved_scenario_path(NAME),
        saved_scenario_path(NAME, "versions", 1),
        saved_scenario_path(NAME, "versions", 1, "edit"),
        saved_scenario_path(NAME, "versions", 1, "download"),
        saved_scenario_path(NAME, "diff"),
    ):
        assert viewer.get(path).status_code == 200, path
    version = viewer.get(saved_scenario_path(NAME, "versions", 1)).text
    assert 'action="/runs"' not in version  # running is for analysts and admins
    assert save(viewer, NAME, EDITED).status_code == 403
    assert save(viewer, "Viewer's own").status_code == 403
    assert "only its owner (analyst) or an admin" in viewer.get(saved_scenario_path(NAME)).text


def test_private_scenarios_are_hidden_from_other_analysts(
    signed_in: SignIn, colleague: str
) -> None:
    owner = signed_in("analyst")
    saved_one(owner, "Secret plan", visibility="private")
    other = signed_in(colleague)
    assert "Secret plan" not in other.get("/scenarios/saved").text
    for path in (
        saved_scenario_path("Secret plan"),
        saved_scenario_path("Secret plan", "versions", 1),
        saved_scenario_path("Secret plan", "versions", 1, "download"),
        saved_scenario_path("Secret plan", "diff"),
    ):
        assert other.get(path).status_code == 404, path
    taken = save(other, "Secret plan", EDITED)
    assert taken.status_code == 409
    assert "is taken; choose another" in taken.text
    assert "Secret plan" in signed_in("admin").get("/scenarios/saved").text


def test_a_provider_user_gets_nothing(signed_in: SignIn) -> None:
    saved_one(signed_in("analyst"))
    provider = signed_in("provider")
    assert 'href="/scenarios/saved"' not in provider.get("/").text
    for path in ("/scenarios/saved", saved_scenario_path(NAME), saved_scenario_path(NAME, "diff")):
        answer = provider.get(path)
        assert answer.status_code == 403, path
        assert NAME not in answer.text
    assert save(provider, "Provider plan").status_code == 403


def test_unsafe_requests_need_the_csrf_token(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    refused = client.post("/scenarios/saved", data={"text": SCENARIO_TEXT, "name": NAME})
    assert refused.status_code == 403
    assert "CSRF" in refused.text
    wrong = save(client, NAME, token="not-the-token")
    assert wrong.status_code == 403
    assert "No saved scenarios" in client.get("/scenarios/saved").text
    saved_one(client)
    share = client.post(saved_scenario_path(NAME, "share"), data={"visibility": "private"})
    assert share.status_code == 403
    assert "team</span>" in client.get(saved_scenario_path(NAME)).text


def test_the_owner_shares_and_others_may_not(signed_in: SignIn, colleague: str) -> None:
    owner = signed_in("analyst")
    saved_one(owner)
    token = csrf_of(owner, "/scenarios/saved")
    made = owner.post(
        saved_scenario_path(NAME, "share"), data={"visibility": "private", "csrf_token": token}
    )
    assert made.status_code == 303
    assert made.headers["location"] == saved_scenario_path(NAME)
    assert "private</span>" in owner.get(saved_scenario_path(NAME)).text
    other = signed_in(colleague)
    assert other.get(saved_scenario_path(NAME)).status_code == 404
    admin = signed_in("admin")
    shared = admin.post(
        saved_scenario_path(NAME, "share"),
        data={"visibility": "team", "csrf_token": csrf_of(admin, "/scenarios/saved")},
    )
    assert shared.status_code == 303
    # A colleague sees it again and may add versions, but not change its sharing.
    assert other.get(saved_scenario_path(NAME)).status_code == 200
    assert saved_one(other, text=EDITED).endswith("/versions/2")
    refused = save(other, NAME, SCENARIO_TEXT, visibility="private", htmx=True)
    assert "only the owner (analyst) or an admin may share it" in refused.text
    not_owner = other.post(
        saved_scenario_path(NAME, "share"),
        data={"visibility": "team", "csrf_token": csrf_of(other, "/scenarios/saved")},
    )
    assert not_owner.status_code == 403
    log = admin.get("/audit-log", params={"entity": "scenario"}).text
    assert log.count("visibility") >= 4  # private, then team again: before and after each


def test_a_version_is_shown_read_only_with_its_actions(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    saved_one(client, note="as received")
    saved_one(client, text=EDITED, note="rate up")
    page = client.get(saved_scenario_path(NAME, "versions", 2)).text
    assert f'<span id="L{RATE_LINE}"><b>' in page
    assert RATE_UP[1] in page
    assert "<textarea" not in page
    assert f'href="{saved_scenario_path(NAME, "versions", 2, "edit")}"' in page
    assert f'href="{saved_scenario_path(NAME, "versions", 2, "download")}"' in page
    run = re.search(
        r'<form class="card saved-run" method="post" action="/runs">(.*?)</form>', page, re.S
    )
    assert run is not None
    fields = set(re.findall(r'name="(\w+)"', run.group(1)))
    assert fields == {"csrf_token", "scenario", "version", "draws", "seed"}
    assert 'name="version" value="2"' in run.group(1)
    loaded = client.get(saved_scenario_path(NAME, "versions", 1, "edit")).text
    assert "Loaded" in loaded
    assert "version 1" in loaded
    assert 'name="name" value="Windows plan"' in loaded
    assert RATE_UP[0] in loaded
    assert RATE_UP[1] not in loaded
    assert client.get(saved_scenario_path(NAME, "versions", 3)).status_code == 404


def test_a_version_downloads_as_written(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    saved_one(client)
    answer = client.get(saved_scenario_path(NAME, "versions", 1, "download"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/yaml; charset=utf-8"
    assert answer.content == SCENARIO_TEXT.encode("utf-8")
    disposition = answer.headers["content-disposition"]
    assert disposition == (
        "attachment; filename=\"Windows_plan-v1.yaml\"; filename*=UTF-8''Windows%20plan-v1.yaml"
    )


def test_the_diff_shows_each_change_with_its_lines(signed_in: SignIn) -> None:
    client = signed_in("analyst")
    saved_one(client)
    saved_one(client, text=EDITED)
    page = client.get(saved_scenario_path(NAME, "diff"))  # the latest and the one before
    assert page.status_code == 200
    text = page.text
    assert "1 field changed" in text
    assert "<code>company.discount_rate</code>" in text
    assert "<code>0.08</code>" in text
    assert "<code>0.09</code>" in text
    for version in (1, 2):
        assert (
            f'{saved_scenario_path(NAME, "versions", version)}#L{RATE_LINE}">line {RATE_LINE}'
            in text
        )
    same = client.get(saved_scenario_path(NAME, "diff"), params={"from": 2, "to": 2})
    assert "same version on both sides" in same.text
    missing = client.get(saved_scenario_path(NAME, "diff"), params={"from": 1, "to": 9})
    assert missing.status_code == 404
    assert "versions 1 to 2, not 9" in missing.text
    assert client.get(saved_scenario_path(NAME, "diff"), params={"from": 0}).status_code == 422


@pytest.mark.parametrize("name", HOSTILE, ids=lambda n: n[:24])
def test_hostile_names_are_escaped_and_round_trip(signed_in: SignIn, name: str) -> None:
    client = signed_in("analyst")
    location = saved_one(client, name)
    assert location == saved_scenario_path(name, "versions", 1)
    assert "/" not in unquote(location.split("/")[3]).replace("~2F", "")
    saved_one(client, name, text=EDITED)
    library = client.get("/scenarios/saved").text
    link = re.search(r'<td class="saved-name"><a href="([^"]+)">', library)
    assert link is not None
    assert link.group(1) == saved_scenario_path(name)
    pages = [
        library,
        *(
            client.get(saved_scenario_path(name, *rest)).text
            for rest in ((), ("versions", 2), ("versions", 1, "edit"), ("diff",))
        ),
    ]
    for html in pages:
        assert "<script>alert" not in html
    if name.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1]
    disposition = client.get(saved_scenario_path(name, "versions", 1, "download")).headers[
        "content-disposition"
    ]
    fallback = re.fullmatch(
        r'attachment; filename="([A-Za-z0-9._-]+)"; filename\*=UTF-8\'\'(\S+)', disposition
    )
    assert fallback is not None, disposition
    assert fallback.group(1).endswith("-v1.yaml")
    assert not fallback.group(1).startswith(".")
    assert not set(unquote(fallback.group(2))) & set('/\\"<>:;*?|')


def test_values_show_as_a_file_writes_them() -> None:
    assert [shown(v) for v in (18.0, 0.08, 1e20, None, True, [], "a: b")] == [
        "18",
        "0.08",
        "1e+20",
        "null",
        "true",
        "[]",
        "a: b",
    ]
