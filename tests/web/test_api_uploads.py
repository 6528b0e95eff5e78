"""``web/api/uploads.py``: an uploaded file is known by the name it was sent with, in problems
and in the audit log, never by the server's temporary path."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable

from api_samples import (
    COSTS_CSV,
    ENGAGEMENT_YAML,
    MEASUREMENTS_CSV,
    audits_yaml,
    pilot_yaml,
    risks_yaml,
)
from fastapi.testclient import TestClient
from tests_web_helpers import csrf_of

from sourcewise.storage.memory import MemoryUnitOfWork

Headers = Callable[[str], dict[str, str]]
SignIn = Callable[[str], TestClient]
NEW = "Back office"


def _logged(store: MemoryUnitOfWork) -> str:
    with store:
        entries = store.audit_log.entries(limit=1000)
    return json.dumps([(e.entity, e.key, e.before, e.after) for e in entries], default=str)


def test_the_audit_log_names_each_uploaded_file_not_a_temporary_path(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    admin = token_for("admin")
    base = "/api/v1/engagements"
    uploads = [
        (base, "engagement.yaml", ENGAGEMENT_YAML),
        (f"{base}/{NEW}/costs", "costs-jan.csv", COSTS_CSV),
        (f"{base}/{NEW}/measurements", "kpis-jan.csv", MEASUREMENTS_CSV),
        ("/api/v1/risks", "risks.yaml", risks_yaml(NEW, "Customer care")),
        ("/api/v1/records", "audits.yaml", audits_yaml(NEW)),
        ("/api/v1/records", "pilot.yaml", pilot_yaml(NEW)),
    ]
    for url, name, text in uploads:
        response = app_client.post(url, headers=admin, files={"file": (name, text.encode())})
        assert response.status_code in (200, 201), (url, response.text)
    logged = _logged(store)
    assert "sourcewise-upload" not in logged
    assert tempfile.gettempdir() not in logged
    with store:
        (entry,) = store.audit_log.entries(entity="measurements")
    assert entry.key == "kpis-jan.csv"
    assert entry.after["file"] == "kpis-jan.csv"
    assert entry.actor == "admin"


def test_a_raw_body_upload_is_logged_under_its_given_name(
    app_client: TestClient, token_for: Headers, store: MemoryUnitOfWork
) -> None:
    response = app_client.post(
        "/api/v1/engagements/Customer care/measurements?filename=feb.csv",
        headers={**token_for("admin"), "content-type": "text/csv"},
        content=MEASUREMENTS_CSV.encode(),
    )
    assert response.status_code == 200, response.text
    with store:
        (entry,) = store.audit_log.entries(entity="measurements")
    assert (entry.key, entry.after["file"]) == ("feb.csv", "feb.csv")


def test_a_page_upload_is_logged_under_the_name_of_the_file(
    signed_in: SignIn, store: MemoryUnitOfWork
) -> None:
    client = signed_in("analyst")
    page = "/engagements/Customer%20care"
    response = client.post(
        f"{page}/measurements",
        data={"csrf_token": csrf_of(client, page)},
        files={"file": ("März KPIs.csv", MEASUREMENTS_CSV.encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert "sourcewise-upload" not in _logged(store)
    with store:
        (entry,) = store.audit_log.entries(entity="measurements")
    assert (entry.key, entry.after["file"]) == ("März KPIs.csv", "März KPIs.csv")
