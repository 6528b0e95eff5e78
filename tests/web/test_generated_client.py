"""A Python client generated from the OpenAPI document (openapi-python-client, as integrators
would) drives a live server: sign in with a token, list engagements, read an SLA report, rank
locations, submit a decision job and read its result, each answer parsed into the generated
classes."""

from __future__ import annotations

import importlib
import io
import json
import socket
import sys
import threading
import time
import types
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from sourcewise.security.users import Role
from sourcewise.services.accounts import add_user, create_token
from sourcewise.services.engagements import add_engagement
from sourcewise.services.governance_store import open_store, upgrade_store
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GOVERNANCE = ROOT / "examples" / "governance"
SCENARIO = ROOT / "examples" / "us-customer-service.yaml"
ENGAGED = "Customer service Monterrey"
PACKAGE = "sourcewise_api_client"
TEMPLATES = Path(__file__).with_name("client_templates")
"""The generator's own templates but one, fixed (see its header)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """The app served by uvicorn on loopback over a SQLite file with the example governance
    data, an admin's API token, and the OpenAPI document the app publishes."""
    folder = tmp_path_factory.mktemp("served")
    url = f"sqlite:///{folder / 'governance.db'}"
    upgrade_store(url)
    make_uow = open_store(url)
    add_engagement(make_uow, GOVERNANCE / "engagement.yaml")
    assert ingest_measurements(make_uow, GOVERNANCE / "measurements.csv").written
    add_user(make_uow, "admin", "correct horse battery", Role.ADMIN)
    token = create_token(make_uow, "admin", "generated client")
    app = create_app(WebSettings(database_url=url))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=10) as answer:
                document = json.load(answer)
                break
        except OSError:  # refused until it listens (URLError), or slow on a busy machine
            time.sleep(0.1)
    else:  # pragma: no cover - the server did not come up
        pytest.fail("the server did not start")
    yield base, token, document
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def client_package(
    served: tuple[str, str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[types.ModuleType]:
    """The client generated from the served document, imported from a temporary folder."""
    from openapi_python_client import generate
    from openapi_python_client.config import Config, ConfigFile, MetaType

    folder = tmp_path_factory.mktemp("client")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(served[2]), "utf-8")
    config = Config.from_sources(
        ConfigFile(post_hooks=[]),  # no formatter run: the code is imported, not read
        MetaType.NONE,
        spec,
        "utf-8",
        True,
        folder / PACKAGE,
    )
    errors = generate(config=config, custom_template_path=TEMPLATES)
    # Warnings name the operations whose YAML or CSV bodies the generator skips (their
    # multipart form stays); an error would be a document it cannot read.
    assert [e for e in errors if e.level.value == "error"] == []
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def module(name: str) -> types.ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_the_generated_client_drives_the_api_typed_end_to_end(
    served: tuple[str, str, dict[str, Any]], client_package: types.ModuleType
) -> None:
    base, token, _ = served
    models = module("models")
    types_ = module("types")
    client = client_package.AuthenticatedClient(
        base_url=base, token=token, raise_on_unexpected_status=True
    )

    with client:
        me = module("api.accounts.me_api_v1_me_get").sync(client=client)
        assert isinstance(me, models.Me)
        assert (me.username, me.role) == ("admin", "admin")

        listing = module("api.engagements.list_engagements_api_v1_engagements_get")
        page = listing.sync(client=client)
        assert isinstance(page, models.PageEngagementSummary)
        assert [type(e) for e in page.items] == [models.EngagementSummary]
        assert page.items[0].name == ENGAGED

        sla = module("api.engagements.get_sla_api_v1_engagements_name_sla_get")
        report = sla.sync(client=client, name=ENGAGED, month="2026-10")
        assert report is not None
        assert not isinstance(report, dict)
        assert type(report).__module__.startswith(f"{PACKAGE}.models.")
        assert report.to_dict()["engagement"] == ENGAGED

        ranking = module("api.locations.list_locations_api_v1_locations_get")
        countries = ranking.sync(client=client, home="US", limit=3)
        assert isinstance(countries, models.LocationPage)
        assert [type(c) for c in countries.items] == [models.RankedLocation] * 3
        assert [c.rank for c in countries.items] == [1, 2, 3]

        submit = module("api.scenarios.create_job_api_v1_jobs_post")
        body = models.CreateJobApiV1JobsPostFilesBody(
            file=types_.File(payload=io.BytesIO(SCENARIO.read_bytes()), file_name="scenario.yaml")
        )
        job = submit.sync(
            client=client,
            body=body,
            kind=models.CreateJobApiV1JobsPostKind.DECISION,
            draws=200,
            seed=7,
        )
        assert isinstance(job, models.Job)
        assert job.status in (
            models.JobStatus.QUEUED,
            models.JobStatus.RUNNING,
            models.JobStatus.DONE,
        )

        poll = module("api.scenarios.get_job_api_v1_jobs_job_id_get")
        deadline = time.monotonic() + 120
        while job.status not in (models.JobStatus.DONE, models.JobStatus.FAILED):
            assert time.monotonic() < deadline, "the decision job did not finish"
            time.sleep(0.2)
            job = poll.sync(client=client, job_id=job.id)
            assert isinstance(job, models.Job)
        assert job.status == models.JobStatus.DONE, job.error
        decision = job.result
        assert isinstance(decision, models.DecisionDocument)
        assert decision.simulation.draws == 200
        function = decision.functions[0]
        assert isinstance(function, models.Function)
        assert isinstance(function.options[0], models.Option)
        assert function.recommendation.option in [o.name for o in function.options]
        assert isinstance(decision.company.currency, str)
