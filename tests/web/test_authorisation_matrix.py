"""Every governance route of ``/api/v1`` × every role (and anonymous) × the provider user's own
data and another provider's: the status each must answer.

Provider users get 404 for another provider's engagements (existence does not leak) and 403
for what is not theirs by nature (the audit log, portfolio risks, changes only writers make).
A route added to the governance API modules without an entry in ``TABLE`` fails
``test_every_governance_route_is_in_the_table``.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from api_samples import (
    COSTS_CSV,
    ENGAGEMENT_YAML,
    MEASUREMENTS_CSV,
    OTHER,
    OWN,
    audits_yaml,
    risks_yaml,
    seed,
)
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from governance_factories import PROVIDER, engagement
from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

GOVERNANCE_MODULES = {
    f"sourcewise.web.api.{name}" for name in ("engagements", "kpis", "risks", "records", "accounts")
}
ROLES = ("anonymous", "admin", "analyst", "viewer", "provider", "other_provider")
OWNERS = {"provider": "Acme BPO", "other_provider": "Other BPO"}
TARGETS = {
    # target → (engagement, its provider, a risk code of it)
    "own": (OWN, "Acme BPO", "R-001"),
    "other": (OTHER, "Other BPO", "R-002"),
    "portfolio": (OWN, "Acme BPO", "R-003"),
}


@dataclass(frozen=True)
class Entry:
    rule: str
    """read, submit, write_scoped, global_read, global_write, internal, risk."""
    ok: int = 200
    params: dict[str, str] = field(default_factory=dict)
    files: tuple[str, str, str] | None = None
    """(file name, content, media type) of a multipart upload."""
    json: Callable[[str], dict[str, Any]] | None = None
    before: Callable[[MemoryUnitOfWork, str], None] | None = None
    """Set-up as the user (e.g. a token to delete)."""

    @property
    def targets(self) -> tuple[str, ...]:
        if self.rule == "risk":
            return ("own", "other", "portfolio")
        if self.rule in ("read", "submit", "write_scoped"):
            return ("own", "other")
        return ("own",)


def _token_named(name: str) -> Callable[[MemoryUnitOfWork, str], None]:
    def make(store: MemoryUnitOfWork, username: str) -> None:
        create_token(lambda: store, username, name)

    return make


TABLE: dict[tuple[str, str], Entry] = {
    ("GET", "/api/v1/engagements"): Entry("global_read"),
    ("GET", "/api/v1/engagements/{name}"): Entry("read"),
    ("POST", "/api/v1/engagements"): Entry(
        "global_write", 201, files=("e.yaml", ENGAGEMENT_YAML, "application/yaml")
    ),
    ("GET", "/api/v1/engagements/{name}/sla"): Entry("read", params={"month": "2026-02"}),
    ("GET", "/api/v1/engagements/{name}/benefits"): Entry("read"),
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
    ("GET", "/api/v1/risks"): Entry("global_read"),
    ("GET", "/api/v1/risks/{code}"): Entry("risk"),
    ("GET", "/api/v1/risks/{code}/history"): Entry("risk"),
    ("POST", "/api/v1/risks"): Entry(
        "global_write", files=("risks.yaml", risks_yaml(), "application/yaml")
    ),
    ("POST", "/api/v1/risks/evaluate"): Entry("global_write", params={"as_of": "2026-02-01"}),
    ("GET", "/api/v1/escalations"): Entry("global_read"),
    ("GET", "/api/v1/engagements/{name}/audits"): Entry("read"),
    ("GET", "/api/v1/engagements/{name}/surveys"): Entry("read"),
    ("GET", "/api/v1/engagements/{name}/meetings"): Entry("read"),
    ("GET", "/api/v1/engagements/{name}/pilots"): Entry("read"),
    ("GET", "/api/v1/engagements/{name}/pilots/{pilot}/evaluation"): Entry("read"),
    ("POST", "/api/v1/records"): Entry(
        "global_write", 201, files=("audits.yaml", audits_yaml(), "application/yaml")
    ),
    ("GET", "/api/v1/actions"): Entry("global_read"),
    ("GET", "/api/v1/audit-log"): Entry("internal"),
    ("GET", "/api/v1/me"): Entry("global_read"),
    ("GET", "/api/v1/tokens"): Entry("global_read"),
    ("POST", "/api/v1/tokens"): Entry("global_read", 201, json=lambda u: {"name": f"new {u}"}),
    ("DELETE", "/api/v1/tokens/{name}"): Entry("global_read", 204, before=_token_named("old")),
}


def expected(entry: Entry, role: str, target: str) -> int:
    if role == "anonymous":
        return 401
    owner = OWNERS.get(role)
    visible = owner is None or TARGETS[target][1] == owner
    writer = role in ("admin", "analyst")
    if entry.rule == "global_read":
        return entry.ok
    if entry.rule == "global_write":
        return entry.ok if writer else 403
    if entry.rule == "internal":
        return 403 if owner else entry.ok
    if entry.rule == "risk" and target == "portfolio" and owner:
        return 403
    if not visible:
        return 404
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
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestClient, MemoryUnitOfWork]:
    """One seeded app for the whole matrix (hashing passwords per case would be slow); every
    request in the table is idempotent or names its own new things."""
    store = MemoryUnitOfWork()
    with store:
        store.engagements.add_provider(PROVIDER)
        store.engagements.add_provider(Provider("Other BPO", ProviderKind.VENDOR, "IN"))
        store.engagements.add(engagement(OWN))
        store.engagements.add(engagement(OTHER, provider="Other BPO"))
        store.commit()
    for name in ("admin", "analyst", "viewer"):
        add_user(lambda: store, name, "correct horse battery", Role(name))
    for name, provider in OWNERS.items():
        add_user(lambda: store, name, "correct horse battery", Role.PROVIDER, provider)
    seed(store, tmp_path_factory.mktemp("seed"))
    app = create_app(WebSettings(), make_uow=lambda: store)
    return TestClient(app, base_url="http://testserver"), store


@pytest.fixture(scope="module")
def tokens(world: tuple[TestClient, MemoryUnitOfWork]) -> dict[str, str]:
    _, store = world
    return {role: create_token(lambda: store, role, "matrix") for role in ROLES[1:]}


def test_every_governance_route_is_in_the_table() -> None:
    app = create_app(WebSettings(), make_uow=MemoryUnitOfWork)
    served = set(app.openapi()["paths"])
    found = set()
    for name in GOVERNANCE_MODULES:
        for route in importlib.import_module(name).router.routes:
            assert isinstance(route, APIRoute)
            assert route.path in served, f"{route.path} is not served"
            found |= {(method, route.path) for method in route.methods}
    assert found, "no governance routes found"
    assert sorted(found - set(TABLE)) == [], "add these routes to TABLE"
    assert sorted(set(TABLE) - found) == [], "TABLE names routes that do not exist"


@pytest.mark.parametrize(("method", "path", "role", "target"), list(_cases()))
def test_status(
    world: tuple[TestClient, MemoryUnitOfWork],
    tokens: dict[str, str],
    method: str,
    path: str,
    role: str,
    target: str,
) -> None:
    client, store = world
    entry = TABLE[(method, path)]
    name, provider, code = TARGETS[target]
    username = "nobody" if role == "anonymous" else role
    if entry.before is not None and role != "anonymous":
        entry.before(store, username)
    url = path.format(name=name, provider=provider, code=code, kpi="availability", pilot="Pilot")
    if path == "/api/v1/tokens/{name}":
        url = "/api/v1/tokens/old"
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
    files = None if entry.files is None else {"file": entry.files}
    body = None if entry.json is None else entry.json(f"{username} {target} {method}")
    response = client.request(
        method, url, headers=headers, params=entry.params, files=files, json=body
    )
    assert response.status_code == expected(entry, role, target), response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
