"""The same file ingested by two processes at once is stored once, and neither fails.

On SQLite the second loader waits for the first (ingestion takes the write lock when it
starts) and then finds every row stored; on PostgreSQL (``SOURCEWISE_TEST_DATABASE_URL``) the
same holds through a table lock taken by the ingestion.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from reliability_support import (
    prepare_store,
    sqlite_url,
    start_ingestion,
    write_measurements,
)

from sourcewise.services.governance_store import open_store
from sourcewise.storage import migrate
from sourcewise.storage.database import create_database_engine

pytestmark = pytest.mark.reliability

ROWS = 50_000
POSTGRES_URL = os.environ.get("SOURCEWISE_TEST_DATABASE_URL")


def database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        url = sqlite_url(folder)
    else:
        if not POSTGRES_URL:
            if os.environ.get("SOURCEWISE_REQUIRE_POSTGRES") == "1":
                pytest.fail("PostgreSQL required: SOURCEWISE_TEST_DATABASE_URL is not set")
            pytest.skip("PostgreSQL case skipped: SOURCEWISE_TEST_DATABASE_URL is not set")
        url = POSTGRES_URL
        engine = create_database_engine(url, pooled=False)
        migrate.downgrade(engine, "base")  # a fresh schema, as the storage tests start from
        engine.dispose()
    prepare_store(url)
    return url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_processes_ingesting_one_file_store_it_once(kind: str, tmp_path: Path) -> None:
    url = database(kind, tmp_path)
    file = tmp_path / "measurements.csv"
    write_measurements(file, ROWS)
    children = [start_ingestion(url, file) for _ in range(2)]
    reports = []
    for child in children:
        output, errors = child.communicate(timeout=300)
        assert child.returncode == 0, errors
        assert "database is locked" not in errors
        reports.append(json.loads(output.splitlines()[-1]))
    assert all(r["written"] and r["rows"] == ROWS for r in reports), reports
    assert sorted(r["inserted"] for r in reports) == [0, ROWS], reports
    with open_store(url)() as uow:
        assert uow.measurements.count() == ROWS
