"""Where the governance database lives and how to open it.

The URL comes from, in order: the ``--db`` option, ``SOURCEWISE_DATABASE_URL``, else a SQLite
file ``sourcewise.db`` in the data directory: ``SOURCEWISE_HOME`` when set, else
``$XDG_DATA_HOME/sourcewise`` (``~/.local/share/sourcewise``). Engines are built on request,
never at import.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

URL_VARIABLE = "SOURCEWISE_DATABASE_URL"
HOME_VARIABLE = "SOURCEWISE_HOME"
POOL_SIZE = 5
"""Connections a pooled engine keeps open by default (the web app: ``SOURCEWISE_DB_POOL_SIZE``)."""
POOL_OVERFLOW = 10
"""Connections a pooled engine opens beyond its pool at a peak, closed when returned."""
DATABASE_FILE = "sourcewise.db"
SQLITE_BEGIN = "sourcewise_sqlite_begin"
"""Execution option of a connection: how its SQLite transactions begin ("" or "IMMEDIATE")."""


def data_directory() -> Path:
    """The directory holding the default SQLite database."""
    home = os.environ.get(HOME_VARIABLE)
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "sourcewise"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: the explicit one, the environment's, or the default SQLite file."""
    if explicit:
        return normalise_url(explicit)
    from_env = os.environ.get(URL_VARIABLE)
    if from_env:
        return normalise_url(from_env)
    return f"sqlite:///{data_directory() / DATABASE_FILE}"


def normalise_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the driver we install), not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names, or None (another database, or SQLite in memory)."""
    if not url.startswith("sqlite"):
        return None
    database = url.split("///", 1)[1] if "///" in url else ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database.split("?", 1)[0]).expanduser()


def create_database_engine(url: str, pooled: bool = True, pool_size: int = POOL_SIZE) -> Engine:
    """An engine for ``url``; SQLite files get their folder, foreign keys and a busy timeout.

    ``pooled=False`` opens a connection per unit of work and closes it after: right for a
    command-line process, which would otherwise leave pooled connections to the garbage
    collector at exit. Pooled, a database keeps ``pool_size`` connections open (and up to
    ``POOL_OVERFLOW`` more at a peak); a server database's are checked with a ping before use,
    since the server may have closed one while idle. A SQLite file's connections are pooled
    too: opening one and setting its pragmas costs about half a millisecond, a unit of work of
    a web request often less.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    is_sqlite = url.startswith("sqlite")
    options: dict[str, Any] = {"future": True}
    file = sqlite_file(url) if is_sqlite else None
    if not pooled:
        options["poolclass"] = NullPool
    elif not is_sqlite:
        options.update(pool_size=pool_size, max_overflow=POOL_OVERFLOW, pool_pre_ping=True)
    elif file is not None:  # SQLite in memory keeps SQLAlchemy's one connection per thread
        options.update(pool_size=pool_size, max_overflow=POOL_OVERFLOW)
    if is_sqlite:
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        options["connect_args"] = {"timeout": 30}
    engine = create_engine(url, **options)
    if is_sqlite:

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLite leaves foreign keys off by default; the schema relies on them.
            dbapi_connection.execute("PRAGMA foreign_keys = ON")
            # Write-ahead logging: readers do not block the writer, and with it NORMAL
            # synchronisation is still safe against corruption (a crash may lose the last
            # commit, never half of one).
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = NORMAL")
            # pysqlite's own transaction handling would defer BEGIN; SQLAlchemy emits it.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # IMMEDIATE (see SqlUnitOfWork.for_writing) takes the write lock at BEGIN, waiting
            # up to the busy timeout, rather than failing at the first write when another
            # writer committed since this transaction's snapshot.
            mode = connection.get_execution_options().get(SQLITE_BEGIN, "")
            connection.exec_driver_sql(f"BEGIN {mode}".rstrip())

    return engine
