"""The unit of work under test: the in-memory twin, SQLite, and PostgreSQL.

PostgreSQL needs ``SOURCEWISE_TEST_DATABASE_URL`` (``.ci/run`` starts a throwaway cluster and
sets it). Without it the PostgreSQL cases are skipped with the reason shown in the summary,
unless ``SOURCEWISE_REQUIRE_POSTGRES=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from sourcewise.services.governance_store import UowFactory
from sourcewise.storage import migrate
from sourcewise.storage.database import create_database_engine
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.storage.sql_unit_of_work import SqlUnitOfWork

POSTGRES_URL = os.environ.get("SOURCEWISE_TEST_DATABASE_URL")
REQUIRE_POSTGRES = os.environ.get("SOURCEWISE_REQUIRE_POSTGRES") == "1"
NO_POSTGRES = (
    "PostgreSQL tests skipped: SOURCEWISE_TEST_DATABASE_URL is not set "
    "(.ci/run starts a throwaway cluster with scripts/postgres-throwaway and sets it)"
)


def fresh_postgres() -> Engine:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail(NO_POSTGRES.replace("skipped", "required"))
        pytest.skip(NO_POSTGRES)
    engine = create_database_engine(POSTGRES_URL)
    # Every test starts from an empty schema at head, as a new installation would.
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    return engine


def fresh_sqlite(folder: Path) -> Engine:
    engine = create_database_engine(f"sqlite:///{folder / 'governance.db'}")
    migrate.upgrade(engine)
    return engine


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def make_uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UowFactory]:
    if request.param == "memory":
        memory = MemoryUnitOfWork()
        yield lambda: memory
        return
    engine = fresh_sqlite(tmp_path) if request.param == "sqlite" else fresh_postgres()
    yield lambda: SqlUnitOfWork(engine, source="test")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    created = fresh_sqlite(tmp_path) if request.param == "sqlite" else fresh_postgres()
    yield created
    created.dispose()
