"""Opening the governance store, and the audit trail every write leaves.

``open_store`` is the composition root of the governance services: it resolves the URL,
builds the engine (never at import), checks the schema is at the migration head and returns
a factory of units of work.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sourcewise.governance.records import AuditLogEntry, ChangeAction

# Entrypoints catch a missing record by this name, from here: they never import storage.
from sourcewise.storage.repositories import NotFoundError as NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
"""What every governance service takes: a new unit of work per call (``open_store`` makes one;
tests pass the in-memory twin's)."""
ACTOR_VARIABLE = "SOURCEWISE_ACTOR"
_ACTING_AS: ContextVar[str | None] = ContextVar("sourcewise_actor", default=None)


class StoreError(RuntimeError):
    """The database cannot be used as it is (unreachable, or its schema is not current)."""


def open_store(
    url: str | None = None, source: str = "", pooled: bool = False, pool_size: int = 5
) -> UowFactory:
    """Units of work on the database at ``url`` (see ``storage.database`` for defaults).

    A command opens a connection per unit of work; a server passes ``pooled`` to keep a pool of
    ``pool_size`` connections (the web app's ``db_pool_size``): a new connection per request
    costs round trips and a server process on PostgreSQL, and on SQLite opening the file and
    setting its pragmas, which is more than many of a request's queries take."""
    from sqlalchemy.exc import SQLAlchemyError

    from sourcewise.storage import migrate
    from sourcewise.storage.database import create_database_engine, database_url, describe_url
    from sourcewise.storage.sql_unit_of_work import SqlUnitOfWork

    resolved = database_url(url)
    _refuse_missing_file(resolved)
    engine = create_database_engine(resolved, pooled=pooled, pool_size=pool_size)
    try:
        current = migrate.current_revision(engine)
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        raise StoreError(f"cannot open {describe_url(resolved)}: {reason}") from error
    head = migrate.head_revision()
    if current != head:
        state = "is empty" if current is None else f"is at revision {current}"
        raise StoreError(
            f"the database {describe_url(resolved)} {state}, the code needs {head}: "
            "run `sourcewise db upgrade` first"
        )
    return lambda: SqlUnitOfWork(engine, source=source)


def store_url(url: str | None = None) -> tuple[str, str]:
    """The URL ``open_store(url)`` would open, and the same with any password hidden."""
    from sourcewise.storage.database import database_url, describe_url

    resolved = database_url(url)
    return resolved, describe_url(resolved)


def _refuse_missing_file(url: str) -> None:
    """Only `db upgrade` creates a database: a command that reads (or a typo in --db) must not
    leave an empty file, with its WAL and SHM companions, behind."""
    from sourcewise.storage.database import sqlite_file

    file = sqlite_file(url)
    if file is not None and not file.exists():
        raise StoreError(
            f"there is no database at {file}: `sourcewise db upgrade` creates it "
            "(with the same --db or SOURCEWISE_DATABASE_URL)"
        )


def upgrade_store(url: str | None = None, revision: str = "head") -> tuple[str, str | None]:
    """Migrate the database to ``revision``; returns (its URL for display, the new revision)."""
    from sourcewise.storage import migrate
    from sourcewise.storage.database import create_database_engine, database_url, describe_url

    resolved = database_url(url)
    engine = create_database_engine(resolved, pooled=False)
    migrate.upgrade(engine, revision)
    return describe_url(resolved), migrate.current_revision(engine)


def downgrade_store(url: str | None, revision: str) -> tuple[str, str | None]:
    from sourcewise.storage import migrate
    from sourcewise.storage.database import create_database_engine, database_url, describe_url

    resolved = database_url(url)
    _refuse_missing_file(resolved)
    engine = create_database_engine(resolved, pooled=False)
    migrate.downgrade(engine, revision)
    return describe_url(resolved), migrate.current_revision(engine)


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Changes made inside are logged as ``actor`` (the web's signed-in user, not the server's
    login name); a context variable, so concurrent requests do not mix."""
    token = _ACTING_AS.set(actor)
    try:
        yield
    finally:
        _ACTING_AS.reset(token)


def set_actor(actor: str) -> None:
    """From here on in this context (a web request), changes are logged as ``actor``."""
    _ACTING_AS.set(actor)


def current_actor() -> str:
    """Who is making the change: ``acting_as``, ``SOURCEWISE_ACTOR``, else the login name."""
    acting = _ACTING_AS.get()
    if acting:
        return acting
    explicit = os.environ.get(ACTOR_VARIABLE)
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def as_json(value: Any) -> Any:
    """A record as JSON-able data for the audit log (Decimals as strings, dates in ISO)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, Mapping):  # a dict, or a read-only default (MappingProxyType)
        return {str(k): as_json(v) for k, v in value.items()}
    return value


def log_change(
    uow: UnitOfWork,
    entity: str,
    key: str,
    before: Any,
    after: Any,
    actor: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one audit-log entry in the same unit of work as the change it records."""
    if before is None:
        action = ChangeAction.INSERT
    elif after is None:
        action = ChangeAction.DELETE
    else:
        action = ChangeAction.UPDATE
    uow.audit_log.append(
        AuditLogEntry(
            at=at or datetime.now(UTC),
            actor=actor or current_actor(),
            entity=entity,
            key=key,
            action=action,
            before=as_json(before),
            after=as_json(after),
        )
    )
