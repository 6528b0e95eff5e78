"""The decision-run pages: a saved version run in the background and kept, its permalink drawn
from the stored result, its documents, two runs compared, the four-eyes approval, and an
engagement governed against the approved case. Names are hostile; providers see none of it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from run_samples import (
    ANALYST,
    CFO,
    NAME,
    RAW,
    VERSION_2,
    follow_job,
    grant_approver,
    run,
    save,
)
from tests_web_helpers import SCENARIO_TEXT, csrf_of

from sourcewise.services.approvals import approve_run, propose_run
from sourcewise.services.decision_runs import get_run, record_run
from sourcewise.services.scenario_library import get_version
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.pages.run_downloads import pdf_available
from sourcewise.workspace.records import RunStatus

SignedIn = Callable[[str], TestClient]
ENGAGEMENT = "/engagements/Customer care"


def post(client: TestClient, url: str, data: dict[str, str], page: str = "/runs") -> Response:
    return client.post(url, data=data, headers={"X-CSRF-Token": csrf_of(client, page)})


def alert(html: str) -> list[str]:
    """The messages a page shows as alerts."""
    return re.findall(r'role="alert">([^<]*)<', html)


def approved(store: MemoryUnitOfWork) -> int:
    """A run proposed by the analyst and approved by the CFO."""
    save(store)
    kept = run(store)
    make = lambda: store  # noqa: E731
    propose_run(make, kept.id, "as agreed", ANALYST)
    approve_run(make, kept.id, "fits the plan", CFO)
    return kept.id


def test_an_analyst_runs_a_saved_version_and_lands_on_its_permalink(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    analyst = signed_in("analyst")
    listed = analyst.get("/runs")
    assert "Decide and keep the run" in listed.text
    assert RAW not in listed.text
    assert "Plant &lt;script&gt;" in listed.text
    started = post(analyst, "/runs", {"scenario": NAME, "version": "1", "draws": "40"})
    assert started.status_code == 303, started.text
    assert started.headers["location"].startswith("/runs/jobs/")
    job_page = started.headers["location"]
    assert follow_job(analyst, job_page) == "/runs/1"
    status = analyst.get(f"{job_page}/status", headers={"HX-Request": "true"})
    assert status.headers["hx-redirect"] == "/runs/1"
    # The scenario editor's job pages send a kept run's job to the run.
    job_id = job_page.rsplit("/", 1)[1]
    assert analyst.get(f"/scenarios/jobs/{job_id}").headers["location"] == job_page
    editor = analyst.get(f"/scenarios/jobs/{job_id}/status", headers={"HX-Request": "true"})
    assert editor.headers["hx-redirect"] == "/runs/1"
    page = analyst.get("/runs/1")
    assert page.status_code == 200
    kept = get_run(lambda: store, 1)
    assert (kept.draws, kept.actor, kept.status) == (40, "analyst", RunStatus.DRAFT)
    for shown in (kept.result_digest, kept.data_version, "40 draws, seed", "Recommended:"):
        assert shown in page.text, shown
    assert RAW not in page.text
    assert "/runs/1/scenario.yaml" in page.text
    # The decision view is drawn from the stored result: the same charts as the editor's.
    assert 'data-chart="waterfall-0"' in page.text
    assert 'data-chart="fan-0"' in page.text
    rows = analyst.get("/runs").text
    assert re.search(r'<a href="/runs/1">Plant &lt;script&gt;.*? v1</a>', rows)


def test_an_unknown_version_is_said_on_the_runs_page(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    analyst = signed_in("analyst")
    answer = post(analyst, "/runs", {"scenario": NAME, "version": "9", "draws": "0"})
    assert answer.status_code == 404
    assert "has versions 1 to 1, not 9" in alert(answer.text)[0]
    assert RAW not in answer.text
    wrong = post(analyst, "/runs", {"scenario": NAME, "version": "v2", "draws": "0"})
    assert wrong.status_code == 422
    assert "the version is a number" in wrong.text


def test_viewers_read_runs_but_start_none(store: MemoryUnitOfWork, signed_in: SignedIn) -> None:
    save(store)
    run(store)
    viewer = signed_in("viewer")
    listed = viewer.get("/runs")
    assert listed.status_code == 200
    assert "/runs/1" in listed.text
    assert "Decide and keep the run" not in listed.text
    refused = post(viewer, "/runs", {"scenario": NAME, "draws": "0"})
    assert refused.status_code == 403
    page = viewer.get("/runs/1")
    assert page.status_code == 200
    assert "Propose for approval</button>" in page.text
    assert "the viewer role cannot propose business cases" in page.text
    assert post(viewer, "/runs/1/propose", {"note": ""}, "/runs/1").status_code == 403


def test_providers_see_no_runs(store: MemoryUnitOfWork, signed_in: SignedIn) -> None:
    save(store)
    run(store)
    provider = signed_in("provider")
    for url in ("/runs", "/runs/1", "/runs/compare?a=1&b=1", "/runs/1/result.json"):
        answer = provider.get(url)
        assert answer.status_code == 403, url
        assert NAME not in answer.text
        assert "Plant" not in answer.text
    assert 'href="/runs"' not in provider.get("/").text


def test_a_proposal_needs_the_session_s_csrf_token(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    run(store)
    analyst = signed_in("analyst")
    assert analyst.post("/runs/1/propose", data={"note": "x"}).status_code == 403
    other = csrf_of(signed_in("admin"), "/runs")
    forged = analyst.post("/runs/1/propose", data={"note": "x", "csrf_token": other})
    assert forged.status_code == 403
    assert get_run(lambda: store, 1).status is RunStatus.DRAFT
    done = analyst.post(
        "/runs/1/propose", data={"note": "x", "csrf_token": csrf_of(analyst, "/runs")}
    )
    assert done.status_code == 303


def test_four_eyes_a_proposer_cannot_approve_their_own_run(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    run(store)
    cfo = signed_in("cfo")
    # The CFO may approve but not propose (a viewer): the page says why the button is off.
    page = cfo.get("/runs/1").text
    assert "the viewer role cannot propose business cases" in page
    analyst = signed_in("analyst")
    proposed = post(analyst, "/runs/1/propose", {"note": "Rates <b>checked</b>"}, "/runs/1")
    assert proposed.status_code == 303
    assert proposed.headers["location"] == "/runs/1#review"
    page = analyst.get("/runs/1").text
    assert "Rates &lt;b&gt;checked&lt;/b&gt;" in page
    assert "analyst may not approve or reject business cases" in page  # not an approver
    assert 'action="/runs/1/approve"' not in page
    # An approver who proposed the run is refused by the four-eyes rule, said on the page.
    with store:
        analyst_user = store.accounts.user("analyst")
    assert analyst_user is not None
    grant_approver(store, analyst_user)
    page = analyst.get("/runs/1").text
    assert "another approver must review it (four eyes)" in page
    assert 'action="/runs/1/approve"' not in page
    refused = post(analyst, "/runs/1/approve", {"comment": "mine"}, "/runs/1")
    assert refused.status_code == 409
    assert alert(refused.text) == [
        "analyst proposed run 1 (Plant &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co"
        " v1); another approver must review it (four eyes)"
    ]
    assert get_run(lambda: store, 1).status is RunStatus.PROPOSED


def test_an_approval_needs_a_comment_and_freezes_the_run(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    run(store)
    analyst = signed_in("analyst")
    post(analyst, "/runs/1/propose", {"note": ""}, "/runs/1")
    viewer = signed_in("viewer")
    assert post(viewer, "/runs/1/approve", {"comment": "ok"}, "/runs/1").status_code == 403
    cfo = signed_in("cfo")
    assert 'action="/runs/1/approve"' in cfo.get("/runs/1").text
    bare = post(cfo, "/runs/1/approve", {"comment": "  "}, "/runs/1")
    assert bare.status_code == 409
    assert alert(bare.text) == ["approval needs a comment saying why"]
    done = post(cfo, "/runs/1/approve", {"comment": "Within the <i>budget</i>"}, "/runs/1")
    assert done.status_code == 303
    page = cfo.get("/runs/1").text
    assert "Approved</strong> by cfo" in page
    assert "Within the &lt;i&gt;budget" in page
    assert '<span class="badge ok">approved</span> <span class="badge quiet"' in page
    assert ">frozen</span>" in page
    again = post(analyst, "/runs/1/propose", {"note": ""}, "/runs/1")
    assert again.status_code == 409
    assert "approved; only a draft can be proposed" in alert(again.text)[0]
    with store:
        entries = [e for e in store.audit_log.entries() if e.entity == "decision_run"]
    assert {e.actor for e in entries} >= {"analyst", "cfo"}


def test_a_rejection_says_why(store: MemoryUnitOfWork, signed_in: SignedIn) -> None:
    save(store)
    run(store)
    post(signed_in("analyst"), "/runs/1/propose", {"note": ""}, "/runs/1")
    cfo = signed_in("cfo")
    assert post(cfo, "/runs/1/reject", {"comment": "Freight too low"}, "/runs/1").status_code == 303
    page = cfo.get("/runs/1").text
    assert "Rejected</strong> by cfo" in page
    assert "Freight too low" in page
    assert get_run(lambda: store, 1).status is RunStatus.REJECTED


def test_the_documents_of_a_run(store: MemoryUnitOfWork, signed_in: SignedIn) -> None:
    run_id = approved(store)
    viewer = signed_in("viewer")
    kept = get_run(lambda: store, run_id)
    result = viewer.get(f"/runs/{run_id}/result.json")
    assert result.status_code == 200
    assert hashlib.sha256(result.content).hexdigest() == kept.result_digest
    assert "attachment" in result.headers["content-disposition"]
    text = viewer.get(f"/runs/{run_id}/scenario.yaml")
    assert text.text == SCENARIO_TEXT
    assert text.headers["content-type"].startswith("text/plain")
    page = viewer.get(f"/runs/{run_id}").text
    assert "not checked here yet" in page
    case = viewer.get(f"/runs/{run_id}/business-case.html")
    assert case.status_code == 200
    assert "approved by cfo on" in case.text
    assert "identical to the stored result" in case.text
    assert RAW not in case.text
    book = viewer.get(f"/runs/{run_id}/results.xlsx")
    assert book.status_code == 200
    assert book.content[:2] == b"PK"
    assert '<span class="badge ok">identical</span>' in viewer.get(f"/runs/{run_id}").text
    if not pdf_available():
        assert "business-case.pdf" not in page
        assert viewer.get(f"/runs/{run_id}/business-case.pdf").status_code == 404


def test_a_result_that_is_not_reproduced_is_said(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    honest = run(store)
    changed = dict(honest.result)
    changed["decision"] = {**changed["decision"], "sourcewise_version": "0.0.1"}
    version = get_version(lambda: store, NAME, 1)
    kept = record_run(
        lambda: store, version, draws=honest.draws, seed=honest.seed, result=changed, actor="x"
    )
    analyst = signed_in("analyst")
    case = analyst.get(f"/runs/{kept.id}/business-case.html").text
    assert "NOT identical to the stored result" in case
    assert '<span class="badge bad">differs</span>' in analyst.get(f"/runs/{kept.id}").text


def test_a_run_without_draws_has_no_business_case(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    save(store)
    run(store, draws=0)
    analyst = signed_in("analyst")
    page = analyst.get("/runs/1").text
    assert 'href="/runs/1/business-case.html"' not in page
    assert "needs a run with draws" in page
    book = analyst.get("/runs/1/results.xlsx")
    assert book.status_code == 200
    assert book.content[:2] == b"PK"
    refused = analyst.get("/runs/1/business-case.html")
    assert refused.status_code == 409
    assert "decided without draws" in refused.text


def test_two_runs_side_by_side(store: MemoryUnitOfWork, signed_in: SignedIn) -> None:
    save(store)
    save(store, VERSION_2)
    run(store, 1)
    run(store, 2)
    viewer = signed_in("viewer")
    page = viewer.get("/runs/2").text
    assert 'action="/runs/compare"' in page
    assert '<option value="1">run 1 · Plant &lt;' in page
    # Asked either way round, the earlier run is first.
    compared = viewer.get("/runs/compare", params={"a": 2, "b": 1})
    assert compared.status_code == 200
    html = compared.text
    assert RAW not in html
    assert html.index('<a href="/runs/1">Run 1</a>') < html.index('<a href="/runs/2">Run 2</a>')
    assert "unit_price" in html
    assert "re-quoted by the supplier in May" in html
    assert "First-order estimates from run 2’s tornado" in html
    assert '<th class="num">Rank</th>' in html
    assert "Custom window manufacturing" in html
    assert viewer.get("/runs/compare", params={"a": 1, "b": 99}).status_code == 404


def test_an_engagement_is_governed_against_the_approved_case(
    store: MemoryUnitOfWork, signed_in: SignedIn
) -> None:
    run_id = approved(store)
    analyst = signed_in("analyst")
    page = analyst.get(ENGAGEMENT).text
    assert 'id="case"' in page
    assert "Govern against this case" in page
    linked = post(analyst, f"{ENGAGEMENT}/case", {"run": str(run_id)}, ENGAGEMENT)
    assert linked.status_code == 303, alert(linked.text)
    assert linked.headers["location"] == "/engagements/Customer%20care#case"
    label = f"{NAME} v1, run {run_id}, approved by cfo on"
    escaped = label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&#34;")
    page = analyst.get(ENGAGEMENT).text
    assert escaped in page
    assert RAW not in page
    assert f'<a href="/runs/{run_id}">' in page
    benefits = analyst.get(f"{ENGAGEMENT}/sections/benefits").text
    assert "Planned months from the approved business case" in benefits
    assert escaped in benefits
    assert escaped in analyst.get("/").text
    assert "/engagements/Customer%20care#case" in analyst.get(f"/runs/{run_id}").text
    viewer = signed_in("viewer").get(ENGAGEMENT).text
    assert escaped in viewer
    assert "Govern against" not in viewer
    provider = signed_in("provider")
    for text in (provider.get(ENGAGEMENT).text, provider.get("/").text):
        assert "Business case" not in text
        assert "Plant" not in text
        assert "cfo" not in text
    refused = post(provider, f"{ENGAGEMENT}/case", {"run": str(run_id)}, ENGAGEMENT)
    assert refused.status_code == 403


def test_only_an_approved_run_governs(store: MemoryUnitOfWork, signed_in: SignedIn) -> None:
    approved(store)
    draft = run(store)
    analyst = signed_in("analyst")
    refused = post(analyst, f"{ENGAGEMENT}/case", {"run": str(draft.id)}, ENGAGEMENT)
    assert refused.status_code == 409
    assert alert(refused.text)[0].endswith(
        "is draft; only an approved run can govern an engagement"
    )
    viewer = signed_in("viewer")
    assert post(viewer, f"{ENGAGEMENT}/case", {"run": "1"}, ENGAGEMENT).status_code == 403
    unknown = post(analyst, f"{ENGAGEMENT}/case", {"run": "1", "option": "Nope"}, ENGAGEMENT)
    assert unknown.status_code == 409
    assert "has no option &#39;Nope&#39;" in unknown.text


@pytest.mark.parametrize("role", ["admin", "analyst"])
def test_writers_without_approved_runs_are_told_how_to_get_one(
    store: MemoryUnitOfWork, signed_in: SignedIn, role: str
) -> None:
    page = signed_in(role).get(ENGAGEMENT).text
    assert "No approved run to link to yet" in page
