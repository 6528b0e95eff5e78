"""Every route of ``/api`` × every role (and anonymous) × the provider user's own data and
another provider's (or another user's job): the status each must answer.

Provider users get 404 for another provider's engagements (existence does not leak) and 403
for what is not theirs by nature (the audit log, scenarios, locations, changes only writers
make) and for the parts of any engagement the disclosure policy keeps internal (rule
``hidden``: benefits, surveys, meetings, pilots; the risk register), whichever engagement is
named; a job is seen by its owner and admins only (404 for anyone else). Decision runs and
the business case an engagement is governed against are internal (403 for provider users);
only analysts and admins propose a run or link an engagement to one, and only an approver (a
viewer with the grant here, ``approver``) approves or rejects one. What a provider user
is answered never holds the seed data's internal text (``HIDDEN_FROM_PROVIDERS``) nor an
internal field (``INTERNAL_FIELDS``). An API route added without an entry in ``TABLE`` fails
``test_every_api_route_is_in_the_table``; the pages have their own table in
``test_authorisation_pages.py``.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from api_samples import (
    BUSINESS_CASE,
    COSTS_CSV,
    ENGAGEMENT_YAML,
    HIDDEN_FROM_PROVIDERS,
    MEASUREMENTS_CSV,
    OTHER,
    OWN,
    SAVED_SEGMENT,
    audits_yaml,
    risks_yaml,
    seed,
    seed_saved,
)
from event_samples import seed_events
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from run_samples import grant_approver
from tests_web_helpers import SCENARIO_TEXT, served_routes

from governance_factories import PROVIDER, engagement
from sourcewise.governance.corrective_actions import CorrectiveActionPlan
from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.reports.run_result import run_result
from sourcewise.security.users import Principal, Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.services.approvals import propose_run
from sourcewise.services.decision_runs import get_run, record_run, run_saved
from sourcewise.services.scenario_library import get_version, save_scenario
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.jobs import JobPayload, JobRegistry, registry_of
from sourcewise.web.settings import WebSettings

ROLES = ("anonymous", "admin", "analyst", "viewer", "approver", "provider", "other_provider")
OWNERS = {"provider": "Acme BPO", "other_provider": "Other BPO"}
TARGETS = {
    # target → (engagement, its provider, a risk code of it)
    "own": (OWN, "Acme BPO", "R-001"),
    "other": (OTHER, "Other BPO", "R-002"),
    "portfolio": (OWN, "Acme BPO", "R-003"),
}
SCENARIO = ("scenario.yaml", SCENARIO_TEXT, "application/yaml")
SAVED_NAME = {"name": SAVED_SEGMENT}
"""The saved scenario (the analyst's, shared with the team: only it and admins share it)."""


SAVED = "Matrix plant"
"""The saved scenario of the runs (run 1 is a draft of its version 1)."""
INTERNAL_FIELDS = frozenset(
    {
        "business_case",
        "baseline_cost",
        "planned_cost",
        "planned_saving",
        "internal_costs",
        "one_off_costs",
        "inherent",
        "residual",
        "triggers",
        "open_playbooks",
    }
)
"""JSON keys that only internal parts have (business case, benefits, costs, risks)."""


@dataclass(frozen=True)
class Entry:
    rule: str
    """read, hidden (an internal part of an engagement), submit, write_scoped, global_read,
    global_write, internal, risk, job, answer (the engagement's own provider users only)."""
    ok: int = 200
    params: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    """Path parameters other than the target's (e.g. a location's code)."""
    files: tuple[str, str, str] | None = None
    """(file name, content, media type) of a multipart upload."""
    json: Callable[[str], dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    before: Callable[[MemoryUnitOfWork, str], dict[str, str] | None] | None = None
    """Set-up as the user (e.g. a token to delete); it may give path parameters (the id of a
    run it made for the case)."""

    @property
    def targets(self) -> tuple[str, ...]:
        if self.rule == "risk":
            return ("own", "other", "portfolio")
        if self.rule in ("read", "hidden", "submit", "write_scoped", "job", "case", "answer"):
            return ("own", "other")
        return ("own",)


def _token_named(name: str) -> Callable[[MemoryUnitOfWork, str], None]:
    def make(store: MemoryUnitOfWork, username: str) -> None:
        create_token(lambda: store, username, name)

    return make


def _draft(store: MemoryUnitOfWork, username: str) -> dict[str, str]:
    """A new draft run of the saved scenario for the case to act on."""
    make = lambda: store  # noqa: E731
    shown = get_run(make, 1)
    kept = record_run(
        make, get_version(make, SAVED), draws=0, seed=1, result=shown.result, actor="analyst"
    )
    return {"run_id": str(kept.id)}


def _open_plan(store: MemoryUnitOfWork, username: str) -> dict[str, str]:
    """A new open corrective-action plan on the provider user's own engagement."""
    with store:
        month = date(2020, 1, 1) + timedelta(days=40 * len(store.corrective_actions.plans()))
        first = month.replace(day=1)
        plan = CorrectiveActionPlan(
            OWN, "Availability", first, first, "Vendor manager", date(2027, 1, 1), datetime.now(UTC)
        )
        ident = store.corrective_actions.add(plan)
        store.commit()
    return {"plan_id": str(ident)}


def _proposed(store: MemoryUnitOfWork, username: str) -> dict[str, str]:
    """A new run the analyst proposed."""
    values = _draft(store, username)
    propose_run(lambda: store, int(values["run_id"]), "", Principal("analyst", Role.ANALYST))
    return values


STALE = {"If-Match": '"' + "0" * 32 + '"'}
"""An edit's version that no record has."""
LEVEL = {"level": "Availability"}

TABLE: dict[tuple[str, str], Entry] = {
    ("GET", "/api/v1/engagements"): Entry("global_read"),
    ("GET", "/api/v1/engagements/{name}"): Entry("read"),
    ("POST", "/api/v1/engagements"): Entry(
        "global_write", 201, files=("e.yaml", ENGAGEMENT_YAML, "application/yaml")
    ),
    ("GET", "/api/v1/engagements/{name}/sla"): Entry("read", params={"month": "2026-02"}),
    ("GET", "/api/v1/engagements/{name}/benefits"): Entry("hidden"),
    ("POST", "/api/v1/engagements/{name}/costs"): Entry(
        "write_scoped", files=("costs.csv", COSTS_CSV, "text/csv")
    ),
    ("GET", "/api/v1/kpis"): Entry("global_read"),
    ("GET", "/api/v1/engagements/{name}/kpis"): Entry("read"),
    ("GET", "/api/v1/engagements/{name}/kpis/{kpi}/measurements"): Entry("read"),
    ("POST", "/api/v1/engagements/{name}/measurements"): Entry(
        "submit", files=("m.csv", MEASUREMENTS_CSV, "text/csv")
    ),
    ("GET", "/api/v1/engagements/{name}/drift"): Entry("read"),
    ("GET", "/api/v1/providers/{provider}/scorecard"): Entry("read", params={"month": "2026-02"}),
    ("GET", "/api/v1/risks"): Entry("internal"),
    ("GET", "/api/v1/risks/{code}"): Entry("risk"),
    ("GET", "/api/v1/risks/{code}/history"): Entry("risk"),
    ("POST", "/api/v1/risks"): Entry(
        "global_write", files=("risks.yaml", risks_yaml(), "application/yaml")
    ),
    ("POST", "/api/v1/risks/evaluate"): Entry("global_write", params={"as_of": "2026-02-01"}),
    ("GET", "/api/v1/escalations"): Entry("internal"),
    ("GET", "/api/v1/engagements/{name}/audits"): Entry("read"),
    ("GET", "/api/v1/engagements/{name}/corrective-actions"): Entry("read"),
    ("POST", "/api/v1/engagements/{name}/corrective-actions/{plan_id}/close"): Entry(
        # Anonymous requests make no plan: they are refused before any is looked up.
        "close_plan",
        json=lambda _: {"note": "Done"},
        before=_open_plan,
        values={"plan_id": "1"},
    ),
    ("GET", "/api/v1/engagements/{name}/remedies"): Entry("hidden", params={"month": "2026-02-01"}),
    ("GET", "/api/v1/engagements/{name}/surveys"): Entry("hidden"),
    ("GET", "/api/v1/engagements/{name}/meetings"): Entry("hidden"),
    ("GET", "/api/v1/engagements/{name}/pilots"): Entry("hidden"),
    ("GET", "/api/v1/engagements/{name}/pilots/{pilot}/evaluation"): Entry("hidden"),
    ("POST", "/api/v1/records"): Entry(
        "global_write", 201, files=("audits.yaml", audits_yaml(), "application/yaml")
    ),
    ("GET", "/api/v1/actions"): Entry("global_read"),
    ("GET", "/api/v1/calendar"): Entry("global_read"),
    ("GET", "/api/v1/events"): Entry("global_read", before=seed_events),
    ("POST", "/api/v1/events/{event_id}/acknowledge"): Entry(
        "own_event", values={"event_id": "1"}, before=seed_events
    ),
    ("POST", "/api/v1/events/{event_id}/resolve"): Entry(
        "own_event", values={"event_id": "1"}, before=seed_events
    ),
    # Edits: a version no record has is refused (409) after every other check.
    ("GET", "/api/v1/engagements/{name}/service-levels/{level}"): Entry("read", values=LEVEL),
    ("PATCH", "/api/v1/engagements/{name}/service-levels/{level}"): Entry(
        "global_write", 409, values=LEVEL, json=lambda _: {"target": 99}, headers=STALE
    ),
    ("GET", "/api/v1/engagements/{name}/terms"): Entry("read"),
    ("PATCH", "/api/v1/engagements/{name}/terms"): Entry(
        "global_write",
        409,
        json=lambda _: {"engagement": {"function": "Care"}},
        headers=STALE,
    ),
    ("GET", "/api/v1/engagements/{name}/meetings/{ident}"): Entry(
        "hidden", 404, values={"ident": "0" * 12}
    ),
    ("POST", "/api/v1/engagements/{name}/meetings/{ident}/actions/{number}/done"): Entry(
        "case",
        404,
        values={"ident": "0" * 12, "number": "1"},
        json=lambda _: {"done_on": "2026-01-29"},
        headers=STALE,
    ),
    ("GET", "/api/v1/risks/{code}/playbooks/{ident}"): Entry(
        "hidden", 404, values={"ident": "0" * 12}
    ),
    ("POST", "/api/v1/risks/{code}/playbooks/{ident}/steps/{number}"): Entry(
        "case",
        404,
        values={"ident": "0" * 12, "number": "1"},
        json=lambda _: {"done": True},
        headers=STALE,
    ),
    ("GET", "/api/v1/engagements/{name}/audits/{ident}/findings/{reference}"): Entry(
        "read", 404, values={"ident": "0" * 12, "reference": "QA-1"}
    ),
    ("POST", "/api/v1/engagements/{name}/audits/{ident}/findings/{reference}/answer"): Entry(
        "answer",
        404,
        values={"ident": "0" * 12, "reference": "QA-1"},
        json=lambda _: {"answer": "Done."},
        headers=STALE,
    ),
    ("GET", "/api/v1/engagements/{name}/credits"): Entry("read"),
    ("POST", "/api/v1/engagements/{name}/credits/{month}/answer"): Entry(
        "answer",
        409,
        values={"month": "2026-01"},
        json=lambda _: {"verdict": "acknowledged"},
        headers=STALE,
    ),
    ("GET", "/api/v1/audit-log"): Entry("internal"),
    ("GET", "/api/v1/me"): Entry("global_read"),
    ("GET", "/api/v1/tokens"): Entry("global_read"),
    ("POST", "/api/v1/tokens"): Entry("global_read", 201, json=lambda u: {"name": f"new {u}"}),
    ("DELETE", "/api/v1/tokens/{name}"): Entry("global_read", 204, before=_token_named("old")),
    ("POST", "/api/v1/scenarios/validate"): Entry("internal", files=SCENARIO),
    ("POST", "/api/v1/decisions"): Entry("run", params={"draws": "0"}, files=SCENARIO),
    ("POST", "/api/v1/simulations"): Entry("run", params={"draws": "1"}, files=SCENARIO),
    ("POST", "/api/v1/jobs"): Entry("run", 202, params={"draws": "0"}, files=SCENARIO),
    ("GET", "/api/v1/jobs/{job_id}"): Entry("job"),
    ("GET", "/api/v1/runs"): Entry("internal"),
    ("POST", "/api/v1/runs"): Entry("run", 202, json=lambda _: {"scenario": SAVED, "draws": 0}),
    ("GET", "/api/v1/runs/compare"): Entry("internal", params={"a": "1", "b": "1"}),
    ("GET", "/api/v1/runs/{run_id}"): Entry("internal"),
    ("POST", "/api/v1/runs/{run_id}/propose"): Entry("propose", before=_draft),
    ("POST", "/api/v1/runs/{run_id}/approve"): Entry(
        "approve", json=lambda _: {"comment": "ok"}, before=_proposed
    ),
    ("POST", "/api/v1/runs/{run_id}/reject"): Entry(
        "approve", json=lambda _: {"comment": "no"}, before=_proposed
    ),
    # No engagement of the seed data is linked (a link would replace the plan the benefits'
    # markers come from): reading answers 404, linking run 1 (a draft) 409, past the checks.
    ("GET", "/api/v1/engagements/{name}/case"): Entry("hidden", 404),
    ("POST", "/api/v1/engagements/{name}/case"): Entry("case", 409, json=lambda _: {"run_id": 1}),
    ("GET", "/api/v1/locations"): Entry("internal", params={"limit": "3"}),
    ("GET", "/api/v1/locations/{code}"): Entry("internal", values={"code": "PH"}),
    ("GET", "/api/v1/estimates/roles"): Entry("internal", params={"q": "customer service"}),
    ("POST", "/api/v1/estimates"): Entry(
        "internal", json=lambda _: {"home": "US", "countries": ["PH"], "fte": 10}
    ),
    # Building changes nothing (every colleague may); saving it is writing (save_as, below).
    ("POST", "/api/v1/scenarios/build"): Entry(
        "internal",
        json=lambda _: {"company": "Matrix", "home_country": "US", "fte": 10, "countries": ["PH"]},
    ),
    ("GET", "/api/v1/scenarios/saved"): Entry("internal"),
    ("POST", "/api/v1/scenarios/saved"): Entry(
        "global_write", 201, json=lambda u: {"name": u, "text": SCENARIO_TEXT, "note": "matrix"}
    ),
    ("GET", "/api/v1/scenarios/saved/{name}"): Entry("internal", values=SAVED_NAME),
    ("PATCH", "/api/v1/scenarios/saved/{name}"): Entry(
        "global_write", values=SAVED_NAME, json=lambda _: {"visibility": "team"}
    ),
    ("GET", "/api/v1/scenarios/saved/{name}/versions/{version}"): Entry(
        "internal", values={**SAVED_NAME, "version": "2"}
    ),
    ("GET", "/api/v1/scenarios/saved/{name}/diff"): Entry(
        "internal", values=SAVED_NAME, params={"from": "1", "to": "2"}
    ),
}


def expected(entry: Entry, role: str, target: str) -> int:
    if role == "anonymous":
        return 401
    owner = OWNERS.get(role)
    visible = owner is None or TARGETS[target][1] == owner
    writer = role in ("admin", "analyst")
    if entry.rule == "global_read":
        return entry.ok
    if entry.rule == "own_event":
        # An event of the own engagement: the other provider's user is told there is none.
        return 404 if owner is not None and owner != TARGETS["own"][1] else entry.ok
    if entry.rule == "global_write":
        return entry.ok if writer else 403
    if entry.rule == "internal":
        return 403 if owner else entry.ok
    if entry.rule == "run":
        # Deciding and simulating spends the shared workers: analysts and admins only.
        return entry.ok if writer else 403
    if entry.rule in ("propose", "case"):
        # The business case is internal; proposing and linking are the writers'.
        return 403 if owner else entry.ok if writer else 403
    if entry.rule == "approve":
        return entry.ok if role == "approver" else 403
    if entry.rule == "job":
        # Another user's job is "not found" for anyone but an admin.
        return 403 if owner else entry.ok if target == "own" or role == "admin" else 404
    if entry.rule == "close_plan":
        # Plans are shared with the provider, but only the client's writers close one.
        return entry.ok if visible and writer else 404 if not visible else 403
    if entry.rule in ("hidden", "risk") and owner:
        # Refused before the engagement is looked up: no existence leaks either way.
        return 403
    if not visible:
        return 404
    if entry.rule == "answer":
        return entry.ok if owner else 403
    if entry.rule == "submit":
        return entry.ok if writer or owner else 403
    if entry.rule == "write_scoped":
        return entry.ok if writer else 403
    return entry.ok


def _cases() -> Iterator[Any]:
    for (method, path), entry in TABLE.items():
        for role, target in itertools.product(ROLES, entry.targets):
            yield pytest.param(method, path, role, target, id=f"{method} {path} {role} {target}")


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[TestClient, MemoryUnitOfWork]]:
    """One seeded app for the whole matrix (hashing passwords per case would be slow); every
    request in the table is idempotent or names its own new things."""
    store = MemoryUnitOfWork()
    with store:
        store.engagements.add_provider(PROVIDER)
        store.engagements.add_provider(Provider("Other BPO", ProviderKind.VENDOR, "IN"))
        store.engagements.add(engagement(OWN, business_case=BUSINESS_CASE))
        store.engagements.add(engagement(OTHER, provider="Other BPO", business_case=BUSINESS_CASE))
        store.commit()
    for name in ("admin", "analyst", "viewer"):
        add_user(lambda: store, name, "correct horse battery", Role(name))
    approver = add_user(lambda: store, "approver", "correct horse battery", Role.VIEWER)
    grant_approver(store, approver)
    for name, provider in OWNERS.items():
        add_user(lambda: store, name, "correct horse battery", Role.PROVIDER, provider)
    seed(store, tmp_path_factory.mktemp("seed"))
    seed_saved(store)

    save_scenario(lambda: store, SCENARIO_TEXT, SAVED)
    run_saved(lambda: store, SAVED, render=run_result, draws=0)  # run 1, a draft
    app = create_app(WebSettings(), make_uow=lambda: store)
    # Room for every job the table starts (each decides with no draws: milliseconds).
    registry = JobRegistry(lambda: store, max_active=100, max_per_user=100)
    app.state.jobs = registry
    yield TestClient(app, base_url="http://testserver"), store
    registry.stop()


@pytest.fixture(scope="module")
def tokens(world: tuple[TestClient, MemoryUnitOfWork]) -> dict[str, str]:
    _, store = world
    return {role: create_token(lambda: store, role, "matrix") for role in ROLES[1:]}


@pytest.fixture(scope="module")
def jobs(world: tuple[TestClient, MemoryUnitOfWork]) -> dict[str, str]:
    """A (trivial) job of each user, and of someone else: owner → job id."""
    app = world[0].app
    assert isinstance(app, FastAPI)
    registry = registry_of(app)
    owners = (*ROLES[1:], "someone")
    # Trivial: nothing in the store runs them but the registry's threads, whose result is
    # not what the table checks.
    payload = JobPayload(SCENARIO_TEXT, "scenario.yaml", 0, 1)
    return {o: registry.submit(o, "decision", "matrix", 1, payload).id for o in owners}


def test_every_api_route_is_in_the_table() -> None:
    app = create_app(WebSettings(), make_uow=MemoryUnitOfWork)
    found = {(method, path) for method, path in served_routes(app) if path.startswith("/api/")}
    assert found, "no API routes found"
    assert sorted(found - set(TABLE)) == [], "add these routes to TABLE"
    assert sorted(set(TABLE) - found) == [], "TABLE names routes that do not exist"


def test_every_engagement_route_asks_the_disclosure_policy() -> None:
    """A route of an engagement's data names the part it holds (``require_part``) or filters
    the engagement's fields (``engagement_fields``): the policy in ``security.disclosure``
    decides who is shown it, not the route. A new route of that kind must do one or the
    other, or this names it."""
    app = create_app(WebSettings(), make_uow=MemoryUnitOfWork)
    silent = []
    for route in iter_route_contexts(app.routes):
        for method in route.methods or ():
            entry = TABLE.get((method, route.path_format or ""))
            if entry is None or entry.rule not in ("read", "hidden", "submit", "risk", "case"):
                continue
            source = inspect.getsource(route.endpoint)
            if "require_part(" not in source and "engagement_fields(" not in source:
                silent.append(f"{method} {route.path_format}")
    assert silent == []


@pytest.mark.parametrize(("method", "path", "role", "target"), list(_cases()))
def test_status(
    world: tuple[TestClient, MemoryUnitOfWork],
    tokens: dict[str, str],
    jobs: dict[str, str],
    method: str,
    path: str,
    role: str,
    target: str,
) -> None:
    client, store = world
    entry = TABLE[(method, path)]
    name, provider, code = TARGETS[target]
    username = "nobody" if role == "anonymous" else role
    made = None
    if entry.before is not None and role != "anonymous":
        made = entry.before(store, username)
    job_id = jobs.get(username if target == "own" else "someone", "none")
    values = {"kpi": "availability", "pilot": "Pilot", "job_id": job_id, "run_id": "1"}
    values.update({**entry.values, **(made or {})})
    url = path.format(**{"name": name, "provider": provider, "code": code, **values})
    if path == "/api/v1/tokens/{name}":
        url = "/api/v1/tokens/old"
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
    headers.update(entry.headers)
    files = None if entry.files is None else {"file": entry.files}
    body = None if entry.json is None else entry.json(f"{username} {target} {method}")
    response = client.request(
        method, url, headers=headers, params=entry.params, files=files, json=body
    )
    assert response.status_code == expected(entry, role, target), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    if role in OWNERS:
        assert _internal_text(response.text) == [], f"{role} is shown internal data"
        if response.status_code < 300 and response.content:
            assert sorted(_keys(response.json()) & INTERNAL_FIELDS) == [], f"{role}: fields"


def _internal_text(text: str) -> list[str]:
    return [m for marks in HIDDEN_FROM_PROVIDERS.values() for m in marks if m in text]


def _keys(value: Any) -> set[str]:
    """Every key of a JSON value, at any depth."""
    if isinstance(value, dict):
        return set(value).union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value))
    return set()


INTERNAL_READS = (
    f"/api/v1/engagements/{OWN}",
    f"/api/v1/engagements/{OWN}/benefits",
    "/api/v1/risks",
    f"/api/v1/engagements/{OWN}/surveys",
    f"/api/v1/engagements/{OWN}/meetings",
    "/api/v1/actions",
)


def test_internal_users_are_shown_what_providers_are_not(
    world: tuple[TestClient, MemoryUnitOfWork], tokens: dict[str, str]
) -> None:
    """The markers are real: each is in what a viewer is answered (so their absence for a
    provider user means something)."""
    client, _ = world
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    answers = [client.get(url, headers=headers) for url in INTERNAL_READS]
    assert [a.status_code for a in answers] == [200] * len(answers)
    text = "".join(a.text for a in answers)
    missing = [m for marks in HIDDEN_FROM_PROVIDERS.values() for m in marks if m not in text]
    assert missing == ["30,000.00"], "only the page form of the planned saving is not JSON"
    keys = set().union(*(_keys(a.json()) for a in answers))
    assert sorted(INTERNAL_FIELDS - keys - {"internal_costs", "one_off_costs"}) == []


def test_a_provider_is_shown_its_engagement_terms_and_audits(
    world: tuple[TestClient, MemoryUnitOfWork], tokens: dict[str, str]
) -> None:
    client, _ = world
    headers = {"Authorization": f"Bearer {tokens['provider']}"}
    found = client.get(f"/api/v1/engagements/{OWN}", headers=headers).json()
    assert set(found) == {
        "name",
        "function",
        "arrangement",
        "home_country",
        "country",
        "provider",
        "start",
        "end",
        "currency",
        "at_risk_pct",
        "monthly_cap_pct",
        "annual_cap_pct",
        "max_credit_months",
        "contracts",
        "service_levels",
        # How its scorecard is weighted and who owns the plans a breach opens; the contract
        # remedies (``remedies``) stay internal.
        "scorecard",
        "corrective_actions",
    }
    audits = client.get(f"/api/v1/engagements/{OWN}/audits", headers=headers).json()
    assert [a["audit"]["title"] for a in audits["audits"]] == ["Q1 quality audit"]
    actions = client.get("/api/v1/actions", headers=headers).json()
    assert {(a["source"], a["engagement"]) for a in actions["items"]} == {("audit", OWN)}
