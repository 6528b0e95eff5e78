"""Every page route × every role (and anonymous, plain and htmx) × the provider user's own
engagement and another provider's (or the user's own scenario run and someone else's): the
status each must answer.

Anonymous requests are sent to the sign-in page (303; htmx gets 401 with ``HX-Redirect``).
Provider users get 403 on scenarios, locations and the audit log, and 404 on another
provider's engagement pages (existence does not leak); viewers get 403 on the KPI upload and
on running a scenario (analysts and admins only); a run is seen by whoever started it and
admins (404 for anyone else). A provider user never sees the other provider's name, nor any
part of an engagement the disclosure policy keeps internal: the sections in
``INTERNAL_SECTIONS`` are 403 for it whichever engagement is named, and no page it is shown
holds their headings or the seed data's internal text. Decision runs are internal too: every
run page is 403 for provider users; analysts and admins start runs, propose them and link an
engagement to one; only an approver (``approver``, a viewer with the grant) approves or rejects.
A page route added without an entry in
``PAGES`` fails ``test_every_page_route_is_in_the_table``, an engagement section not classified
here ``test_every_section_is_classified``; the API has its own table in
``test_authorisation_matrix.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from api_samples import (
    BUSINESS_CASE,
    HIDDEN_FROM_PROVIDERS,
    MEASUREMENTS_CSV,
    OTHER,
    OWN,
    SAVED_SEGMENT,
    seed,
    seed_saved,
)
from event_samples import seed_events
from fastapi import FastAPI
from fastapi.testclient import TestClient
from run_samples import grant_approver
from tests_web_helpers import SCENARIO_TEXT, login_token, served_routes

from governance_factories import PROVIDER, engagement
from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.governance.corrective_actions import CorrectiveActionPlan
from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.reports.job_results import scenario_work
from sourcewise.reports.run_result import run_result
from sourcewise.security.users import Principal, Role
from sourcewise.services.accounts import add_user, start_session
from sourcewise.services.approvals import propose_run
from sourcewise.services.decision_runs import get_run, record_run, run_saved
from sourcewise.services.job_work import Outcome
from sourcewise.services.scenario_library import get_version, save_scenario
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.auth import CSRF_HEADER, SESSION_COOKIE
from sourcewise.web.jobs import JobPayload, JobRegistry, registry_of
from sourcewise.web.pages.engagements import SECTIONS
from sourcewise.web.pages.run_downloads import pdf_available
from sourcewise.web.settings import WebSettings

PASSWORD = "correct horse battery"
ROLES = (
    "anonymous",
    "anonymous-htmx",
    "admin",
    "analyst",
    "viewer",
    "approver",
    "provider",
    "other_provider",
)
OWNERS = {"provider": "Acme BPO", "other_provider": "Other BPO"}
TARGETS = {"own": (OWN, "Acme BPO"), "other": (OTHER, "Other BPO")}
SAVED = "Matrix plant"
"""The saved scenario of the runs (run 1 is a draft of its version 1, with draws)."""
WRITERS = ("admin", "analyst")
SAVED_NAME = {"name": SAVED_SEGMENT}
"""The saved scenario (the analyst's, shared with the team) in a path."""
SHARED_SECTIONS = frozenset(
    {"sla", "contracts", "kpis", "scorecard", "corrective_actions", "audits"}
)
INTERNAL_SECTIONS = frozenset({"risks", "surveys", "meetings", "pilot", "benefits", "remedies"})
INTERNAL_HEADINGS = (
    "Contract remedies",
    "Risks and playbooks",
    "Stakeholder surveys",
    "Committee meetings",
    "Pilot evaluation",
    "Benefit realisation",
    "Benefits against the business case",
    "High or critical risks",
    "Open risks",
    "Business case",
)
"""What the engagement page and the dashboard title their internal parts."""


@dataclass(frozen=True)
class Page:
    rule: str
    """public, any (signed in), read, submit, internal, run (analysts and admins), job, write
    (a saved scenario, an edit: analysts and admins; sharing the analyst's own), answer (the
    engagement's own provider users only)."""
    ok: int = 200
    goes: str = ""
    """Where a successful 303 leads (the start of its location)."""
    values: tuple[dict[str, str], ...] = ({},)
    """Path parameters other than the target's: one case each."""
    data: Callable[[str], dict[str, str]] | None = None
    """The form fields, given the user."""
    files: tuple[str, str, str] | None = None
    """(file name, content, media type) of a multipart upload."""
    htmx: bool = False
    """Signed-in users ask as htmx does (fragment routes)."""
    pre_session: bool = False
    """The sign-in form: its pre-session CSRF token is fetched first, as a browser would."""
    query: dict[str, str] = field(default_factory=dict)
    before: Callable[[MemoryUnitOfWork], dict[str, str]] | None = None
    """Makes what the case acts on (a run) and gives its path parameters."""

    @property
    def targets(self) -> tuple[str, ...]:
        shown = ("read", "submit", "job", "case", "answer")
        return ("own", "other") if self.rule in shown else ("own",)


def _draft(store: MemoryUnitOfWork) -> dict[str, str]:
    """A new draft run of the saved scenario (its result copied from run 1)."""
    make = lambda: store  # noqa: E731
    kept = record_run(
        make,
        get_version(make, SAVED),
        draws=0,
        seed=1,
        result=get_run(make, 1).result,
        actor="analyst",
    )
    return {"run_id": str(kept.id)}


def _proposed(store: MemoryUnitOfWork) -> dict[str, str]:
    values = _draft(store)
    propose_run(lambda: store, int(values["run_id"]), "", Principal("analyst", Role.ANALYST))
    return values


def _open_plan(store: MemoryUnitOfWork) -> dict[str, str]:
    """A new open corrective-action plan on the provider user's own engagement."""
    with store:
        month = date(2020, 1, 1) + timedelta(days=40 * len(store.corrective_actions.plans()))
        plan = CorrectiveActionPlan(
            OWN,
            "Availability",
            month.replace(day=1),
            month.replace(day=1),
            "Vendor manager",
            date(2027, 1, 1),
            datetime(2026, 12, 1, tzinfo=UTC),
        )
        ident = store.corrective_actions.add(plan)
        store.commit()
    return {"plan_id": str(ident)}


BUILDER_ANSWERS = {"company": "Matrix", "home_country": "US", "fte": "10", "countries": "PH"}
"""The guided builder's form, answered enough to build a scenario."""
RUN = ({"run_id": "1"},)
STALE = {"version": "0" * 32}
"""An edit's version that no record has."""
LEVEL = ({"level": "Availability"},)
NO_RECORD = ({"ident": "0" * 12},)
PDF = 200 if pdf_available() else 404


PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/login"): Page("public"),
    ("POST", "/login"): Page(
        "public",
        303,
        "/",
        data=lambda user: {"username": user, "password": PASSWORD},
        pre_session=True,
    ),
    ("POST", "/logout"): Page("any", 303, "/login"),
    ("GET", "/favicon.ico"): Page("public", 204),
    ("GET", "/"): Page("any"),
    ("GET", "/engagements"): Page("any"),
    ("GET", "/engagements/{name}"): Page("read"),
    ("GET", "/engagements/{name}/sections/{section}"): Page(
        "read", values=tuple({"section": s} for s in ("sla", *SECTIONS)), htmx=True
    ),
    ("POST", "/engagements/{name}/measurements"): Page(
        "submit",
        data=lambda _: {"replace": "true"},
        files=("m.csv", MEASUREMENTS_CSV, "text/csv"),
    ),
    ("GET", "/calendar"): Page("any"),
    ("GET", "/concepts"): Page("any"),
    ("GET", "/calendar.ics"): Page("any"),
    ("GET", "/audit-log"): Page("internal"),
    ("GET", "/inbox"): Page("any", before=seed_events),
    ("POST", "/inbox/{event_id}/acknowledge"): Page("own_event", 303, "/inbox", before=seed_events),
    ("POST", "/inbox/{event_id}/resolve"): Page("own_event", 303, "/inbox", before=seed_events),
    ("POST", "/inbox/subscriptions"): Page(
        "any",
        303,
        "/inbox#subscriptions",
        data=lambda user: {"channel": "email", "target": f"{user}@example.com"},
    ),
    # Another user's subscription (or none) is not found: removing one's own is tested apart.
    ("POST", "/inbox/subscriptions/{subscription_id}/remove"): Page(
        "any", 404, values=({"subscription_id": "999"},)
    ),
    ("GET", "/scenarios"): Page("internal"),
    ("POST", "/scenarios/validate"): Page(
        "internal", data=lambda _: {"text": "version: 1\n"}, htmx=True
    ),
    ("POST", "/scenarios/upload"): Page(
        "internal", files=("s.yaml", "version: 1\n", "application/yaml")
    ),
    ("POST", "/scenarios/run"): Page(
        "run", 303, "/scenarios/jobs/", data=lambda _: {"text": SCENARIO_TEXT, "draws": "0"}
    ),
    ("GET", "/scenarios/jobs/{job_id}"): Page("job"),
    ("GET", "/scenarios/jobs/{job_id}/status"): Page("job", htmx=True),
    ("GET", "/runs"): Page("internal"),
    ("POST", "/runs"): Page(
        "run", 303, "/runs/jobs/", data=lambda _: {"scenario": SAVED, "draws": "0"}
    ),
    ("GET", "/runs/jobs/{job_id}"): Page("job"),
    ("GET", "/runs/jobs/{job_id}/status"): Page("job", htmx=True),
    ("GET", "/runs/compare"): Page("internal", query={"a": "1", "b": "1"}),
    ("GET", "/runs/{run_id}"): Page("internal", values=RUN),
    ("GET", "/runs/{run_id}/result.json"): Page("internal", values=RUN),
    ("GET", "/runs/{run_id}/scenario.yaml"): Page("internal", values=RUN),
    ("GET", "/runs/{run_id}/business-case.html"): Page("internal", values=RUN),
    ("GET", "/runs/{run_id}/business-case.pdf"): Page("internal", PDF, values=RUN),
    ("GET", "/runs/{run_id}/results.xlsx"): Page("internal", values=RUN),
    ("POST", "/runs/{run_id}/propose"): Page("propose", 303, "/runs/", before=_draft),
    ("POST", "/runs/{run_id}/approve"): Page(
        "approve", 303, "/runs/", data=lambda _: {"comment": "ok"}, before=_proposed
    ),
    ("POST", "/runs/{run_id}/reject"): Page(
        "approve", 303, "/runs/", data=lambda _: {"comment": "no"}, before=_proposed
    ),
    # Run 1 is a draft: a writer gets past the checks to the rule that only an approved run
    # governs (linking an approved one would replace the seed plan the markers come from).
    ("POST", "/engagements/{name}/case"): Page("case", 409, data=lambda _: {"run": "1"}),
    ("POST", "/engagements/{name}/corrective-actions/{plan_id}/close"): Page(
        "close_plan",
        303,
        "/engagements/",
        data=lambda _: {"note": "Done"},
        before=_open_plan,
    ),
    # Edits: analysts and admins; a stale version is refused after every other check (409).
    ("GET", "/engagements/{name}/edit"): Page("write"),
    ("POST", "/engagements/{name}/edit"): Page("write", 409, data=lambda _: STALE),
    ("GET", "/engagements/{name}/service-levels/{level}/edit"): Page("write", values=LEVEL),
    ("POST", "/engagements/{name}/service-levels/{level}/edit"): Page(
        "write", 409, values=LEVEL, data=lambda _: STALE
    ),
    # Meeting minutes are internal: refused to providers before the engagement is looked up;
    # writers get past every check to find no such meeting.
    ("POST", "/engagements/{name}/meetings/{ident}/actions/{number}/done"): Page(
        "case",
        404,
        values=({"ident": "0" * 12, "number": "1"},),
        data=lambda _: {**STALE, "done_on": "2026-01-29"},
    ),
    ("POST", "/risks/{code}/playbooks/{ident}/steps/{number}"): Page(
        "case",
        404,
        values=({"code": "R-001", "ident": "0" * 12, "number": "1"},),
        data=lambda _: {**STALE, "done": "true"},
    ),
    ("POST", "/engagements/{name}/audits/{ident}/findings/{reference}/answer"): Page(
        "answer",
        404,
        values=({"ident": "0" * 12, "reference": "QA-1"},),
        data=lambda _: {**STALE, "answer": "Done."},
    ),
    # Adding and editing meetings and audits: writers only, refused to providers first.
    **{
        key: page
        for kind in ("meetings", "audits")
        for key, page in {
            ("GET", f"/engagements/{{name}}/{kind}/new"): Page("case"),
            ("POST", f"/engagements/{{name}}/{kind}/new"): Page(
                "case", 422, data=lambda _: {"title": "Incomplete"}
            ),
            ("GET", f"/engagements/{{name}}/{kind}/{{ident}}/edit"): Page(
                "case", 404, values=NO_RECORD
            ),
            ("POST", f"/engagements/{{name}}/{kind}/{{ident}}/edit"): Page(
                "case", 404, values=NO_RECORD, data=lambda _: STALE
            ),
        }.items()
    },
    ("GET", "/engagements/{name}/risks/new"): Page("case"),
    ("POST", "/engagements/{name}/risks/new"): Page(
        "case", 422, data=lambda _: {"title": "Incomplete"}
    ),
    ("GET", "/engagements/{name}/risks/{code}/edit"): Page(
        "case", 404, values=({"code": "R-999"},)
    ),
    ("POST", "/engagements/{name}/risks/{code}/edit"): Page(
        "case", 404, values=({"code": "R-999"},), data=lambda _: STALE
    ),
    ("GET", "/new-engagement"): Page("write"),
    ("POST", "/new-engagement"): Page("write", 422, data=lambda _: {"provider": "Acme BPO"}),
    ("GET", "/engagements/{name}/credits"): Page("read"),
    # Only the engagement's own provider answers; its stale version is refused (409).
    ("POST", "/engagements/{name}/credits/{month}/answer"): Page(
        "answer",
        409,
        values=({"month": "2026-01"},),
        data=lambda _: {**STALE, "verdict": "acknowledged"},
    ),
    ("GET", "/locations"): Page("internal"),
    ("GET", "/locations/{code}"): Page("internal", values=({"code": "PH"},)),
    ("GET", "/scenarios/new"): Page("internal"),
    ("POST", "/scenarios/new"): Page("internal", data=lambda _: BUILDER_ANSWERS, htmx=True),
    ("POST", "/scenarios/new/live"): Page("internal", data=lambda _: BUILDER_ANSWERS, htmx=True),
    ("GET", "/scenarios/new/roles"): Page("internal", query={"role": "customer"}, htmx=True),
    ("POST", "/scenarios/new/save"): Page(
        "write", data=lambda user: {**BUILDER_ANSWERS, "save_as": f"Built by {user}"}
    ),
    ("GET", "/scenarios/saved"): Page("internal"),
    ("POST", "/scenarios/saved"): Page(
        "write",
        303,
        "/scenarios/saved/",
        data=lambda user: {"text": SCENARIO_TEXT, "name": f"saved by {user}", "note": "matrix"},
    ),
    ("GET", "/scenarios/saved/{name}"): Page("internal", values=(SAVED_NAME,)),
    ("POST", "/scenarios/saved/{name}/share"): Page(
        "write",
        303,
        "/scenarios/saved/",
        values=(SAVED_NAME,),
        data=lambda _: {"visibility": "team"},
    ),
    ("GET", "/scenarios/saved/{name}/versions/{number}"): Page(
        "internal", values=({**SAVED_NAME, "number": "2"},)
    ),
    ("GET", "/scenarios/saved/{name}/versions/{number}/edit"): Page(
        "internal", values=({**SAVED_NAME, "number": "1"},)
    ),
    ("GET", "/scenarios/saved/{name}/versions/{number}/download"): Page(
        "internal", values=({**SAVED_NAME, "number": "1"},)
    ),
    ("GET", "/scenarios/saved/{name}/diff"): Page("internal", values=(SAVED_NAME,)),
}


def expected(page: Page, role: str, target: str, section: str | None = None) -> int:
    if page.rule == "public":
        return page.ok
    if role == "anonymous":
        return 303
    if role == "anonymous-htmx":
        return 401
    owner = OWNERS.get(role)
    if page.rule == "internal":
        return 403 if owner else page.ok
    if page.rule in ("run", "write"):
        # Deciding and simulating spends the shared workers; saving scenarios is writing.
        return page.ok if role in WRITERS else 403
    if page.rule == "propose":
        return 403 if owner else page.ok if role in WRITERS else 403
    if page.rule == "approve":
        return page.ok if role == "approver" else 403
    if page.rule == "case":
        # The business case is internal: refused before the engagement is looked up.
        return 403 if owner else page.ok if role in WRITERS else 403
    if page.rule == "close_plan":
        # Plans are shared with the provider, but only the client's writers close one.
        if owner and TARGETS[target][1] != owner:
            return 404
        return page.ok if role in WRITERS else 403
    if page.rule == "job":
        return 403 if owner else page.ok if target == "own" or role == "admin" else 404
    if page.rule == "any":
        return page.ok
    if page.rule == "own_event":
        # An event of the own engagement: the other provider's user is told there is none.
        return 404 if owner is not None and owner != TARGETS["own"][1] else page.ok
    if owner and section in INTERNAL_SECTIONS:
        # Refused before the engagement is looked up: no existence leaks either way.
        return 403
    if owner and TARGETS[target][1] != owner:
        return 404
    if page.rule == "answer":
        return page.ok if owner else 403
    if page.rule == "submit":
        return page.ok if owner or role in WRITERS else 403
    return page.ok


def _cases() -> Iterator[Any]:
    for (method, path), page in PAGES.items():
        for values, role, target in itertools.product(page.values, ROLES, page.targets):
            shown = " ".join(values.values())
            case = f"{method} {path}{f' {shown}' if shown else ''} {role} {target}"
            yield pytest.param(method, path, values, role, target, id=case)


@dataclass
class World:
    app: FastAPI
    store: MemoryUnitOfWork
    jobs: dict[str, str] = field(default_factory=dict)
    """Owner → the id of a decided scenario run of theirs."""

    def client(self, role: str) -> tuple[TestClient, dict[str, str]]:
        """A fresh client as ``role`` (a new session: signing out ends only its own), and the
        headers its requests send."""
        client = TestClient(self.app, base_url="http://testserver", follow_redirects=False)
        if role.startswith("anonymous"):
            return client, {"HX-Request": "true"} if role == "anonymous-htmx" else {}
        raw, session = start_session(lambda: self.store, role)
        client.cookies.set(SESSION_COOKIE, raw)
        return client, {CSRF_HEADER: session.csrf_token}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One seeded app for the whole table (hashing passwords per case would be slow); every
    request in it is idempotent or makes its own new things."""
    store = MemoryUnitOfWork()
    with store:
        store.engagements.add_provider(PROVIDER)
        store.engagements.add_provider(Provider("Other BPO", ProviderKind.VENDOR, "IN"))
        store.engagements.add(engagement(OWN, business_case=BUSINESS_CASE))
        store.engagements.add(engagement(OTHER, provider="Other BPO", business_case=BUSINESS_CASE))
        store.commit()
    for name in ("admin", "analyst", "viewer"):
        add_user(lambda: store, name, PASSWORD, Role(name))
    grant_approver(store, add_user(lambda: store, "approver", PASSWORD, Role.VIEWER))
    for name, provider in OWNERS.items():
        add_user(lambda: store, name, PASSWORD, Role.PROVIDER, provider)
    seed(store, tmp_path_factory.mktemp("seed"))
    seed_saved(store)

    save_scenario(lambda: store, SCENARIO_TEXT, SAVED)
    run_saved(lambda: store, SAVED, render=run_result, draws=20)  # run 1, a draft
    app = create_app(WebSettings(), make_uow=lambda: store)
    scenario, problems = load_scenario_text(SCENARIO_TEXT, "scenario.yaml")
    assert scenario is not None, problems
    _, work = scenario_work(scenario, "decision", 0, 1)
    result = work(lambda _: None)
    # Room for every run the table starts (each decides with no draws: milliseconds); the
    # jobs submitted here all give that result.
    app.state.jobs = JobRegistry(
        lambda: store,
        max_active=100,
        max_per_user=100,
        perform_job=lambda job, progress: Outcome(result),
    )
    registry = registry_of(app)
    owners = (*OWNERS, *WRITERS, "viewer", "approver", "someone")
    payload = JobPayload(SCENARIO_TEXT, "scenario.yaml", 0, 1)
    jobs = {o: registry.submit(o, "decision", "matrix", 1, payload).id for o in owners}
    yield World(app, store, jobs)
    registry.stop()


def test_every_page_route_is_in_the_table() -> None:
    app = create_app(WebSettings(), make_uow=MemoryUnitOfWork)
    found = {(method, path) for method, path in served_routes(app) if not path.startswith("/api/")}
    assert ("GET", "/engagements/{name}") in found, "the page routes were not found"
    assert sorted(found - set(PAGES)) == [], "add these routes to PAGES"
    assert sorted(set(PAGES) - found) == [], "PAGES names routes that do not exist"


@pytest.mark.parametrize(("method", "path", "values", "role", "target"), list(_cases()))
def test_status(
    world: World, method: str, path: str, values: dict[str, str], role: str, target: str
) -> None:
    page = PAGES[(method, path)]
    client, headers = world.client(role)
    signed_in = not role.startswith("anonymous")
    if page.htmx and signed_in:
        headers["HX-Request"] = "true"
    name = TARGETS[target][0]
    job_id = world.jobs.get(role if target == "own" else "someone", "none")
    made = page.before(world.store) if page.before is not None else {}
    url = path.format(**{"name": name, "job_id": job_id, **values, **made})
    user = role if signed_in else "viewer"
    data = None if page.data is None else page.data(user)
    if page.pre_session:
        data = {**(data or {}), "csrf_token": login_token(client)}
    files = None if page.files is None else {"file": page.files}
    response = client.request(
        method, url, headers=headers, data=data, files=files, params=page.query
    )
    status = expected(page, role, target, values.get("section"))
    assert response.status_code == status, response.text[:2000]
    location = response.headers.get("location", "")
    if status == 303:
        to_login = not signed_in and page.rule != "public"
        assert location.startswith("/login?next=/" if to_login else page.goes), location
    if status == 401:
        assert response.headers["hx-redirect"] == "/login"
    if role in OWNERS:
        other = next(p for p in OWNERS.values() if p != OWNERS[role])
        assert other not in response.text, f"{role} sees {other}"
        assert _internal_text(response.text) == [], f"{role} is shown internal parts"


def _internal_text(text: str) -> list[str]:
    marks = [m for found in HIDDEN_FROM_PROVIDERS.values() for m in found]
    return [m for m in (*INTERNAL_HEADINGS, *marks) if m in text]


def test_every_section_is_classified() -> None:
    assert {"sla", *SECTIONS} == SHARED_SECTIONS | INTERNAL_SECTIONS, "classify new sections"
    assert not SHARED_SECTIONS & INTERNAL_SECTIONS


def _pages(world: World, role: str) -> str:
    """The dashboard, the engagement page and every section of it as ``role`` sees them."""
    client, headers = world.client(role)
    page = f"/engagements/{OWN}"
    sections = [f"{page}/sections/{s}" for s in ("sla", *SECTIONS)]
    answers = [client.get(url, headers=headers) for url in ("/", page, *sections)]
    return "".join(a.text for a in answers if a.status_code == 200)


def test_internal_users_are_shown_what_providers_are_not(world: World) -> None:
    """The markers are real: a viewer is shown each (so their absence means something)."""
    text = _pages(world, "viewer")
    assert [h for h in INTERNAL_HEADINGS if h not in text] == []
    shown = {part for part, marks in HIDDEN_FROM_PROVIDERS.items() if any(m in text for m in marks)}
    # The business case's scenario and option are in the engagement page's Business case.
    assert shown == set(HIDDEN_FROM_PROVIDERS)


def test_a_provider_is_shown_service_levels_kpis_scorecard_and_audits(world: World) -> None:
    text = _pages(world, "provider")
    for shown in ('id="sla"', 'id="kpis"', 'id="scorecard"', 'id="audits"', "Mask card numbers."):
        assert shown in text, shown
    client, headers = world.client("provider")
    # Its audits' open actions are addressed to it: they are on its dashboard.
    assert "QA-1: Mask card numbers." in client.get("/", headers=headers).text
    for hidden in INTERNAL_SECTIONS:
        assert f'id="{hidden}"' not in text, hidden
