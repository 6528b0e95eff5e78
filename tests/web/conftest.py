"""A web app on the in-memory store with one user per role, and clients signed in as each."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from run_samples import grant_approver
from tests_web_helpers import PASSWORD, sign_in

from governance_factories import PROVIDER, engagement
from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.jobs import JobRegistry
from sourcewise.web.settings import WebSettings

OTHER_PROVIDER = Provider("Other BPO", ProviderKind.VENDOR, "IN")
ROLES = ("admin", "analyst", "viewer", "provider", "other_provider")
"""Each signs in with its own name; so does ``cfo``, a viewer who approves business cases."""


@pytest.fixture
def store() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.engagements.add_provider(OTHER_PROVIDER)
        memory.engagements.add(engagement("Customer care"))
        memory.engagements.add(engagement("Other care", provider=OTHER_PROVIDER.name))
        memory.commit()
    make = lambda: memory  # noqa: E731
    for name in ("admin", "analyst", "viewer"):
        add_user(make, name, PASSWORD, Role(name))
    add_user(make, "provider", PASSWORD, Role.PROVIDER, PROVIDER.name)
    add_user(make, "other_provider", PASSWORD, Role.PROVIDER, OTHER_PROVIDER.name)
    grant_approver(memory, add_user(make, "cfo", PASSWORD, Role.VIEWER))
    return memory


@pytest.fixture
def app_client(store: MemoryUnitOfWork) -> Iterator[TestClient]:
    app = create_app(WebSettings(max_upload_bytes=2 * 1024 * 1024), make_uow=lambda: store)
    yield TestClient(app, base_url="http://testserver", follow_redirects=False)
    # The job threads a submission started (a served app stops them at shutdown).
    jobs: JobRegistry | None = getattr(app.state, "jobs", None)
    if jobs is not None:
        jobs.stop()


@pytest.fixture
def signed_in(app_client: TestClient) -> Callable[[str], TestClient]:
    """A client with a session cookie for ``username`` (same app, fresh cookie jar)."""

    def client_of(username: str) -> TestClient:
        client = TestClient(app_client.app, base_url="http://testserver", follow_redirects=False)
        response = sign_in(client, username, PASSWORD)
        assert response.status_code == 303, response.text
        return client

    return client_of


@pytest.fixture
def token_for(store: MemoryUnitOfWork) -> Callable[[str], dict[str, str]]:
    """Authorization headers with a fresh API token for ``username``."""
    counter = iter(range(1_000_000))

    def headers(username: str) -> dict[str, str]:
        raw = create_token(lambda: store, username, f"test {next(counter)}")
        return {"Authorization": f"Bearer {raw}"}

    return headers
