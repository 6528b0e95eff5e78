"""The web server keeps a pool of connections (to PostgreSQL each checked with a ping before
use); commands open a connection per unit of work."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool, Pool, QueuePool

from sourcewise.services.governance_store import UowFactory, open_store
from sourcewise.storage.database import POOL_OVERFLOW
from sourcewise.storage.sql_unit_of_work import SqlUnitOfWork
from sourcewise.web.app import create_app
from sourcewise.web.settings import WebSettings


def engine_of(make_uow: UowFactory) -> Engine:
    uow = make_uow()
    assert isinstance(uow, SqlUnitOfWork)
    return uow.engine


def test_a_server_pools_connections_and_a_command_does_not(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    app = create_app(WebSettings(database_url=url, db_pool_size=4))
    with app.state.make_uow() as uow:
        assert uow.jobs.get("none") is None
    engines = [
        engine_of(open_store(url)),
        engine_of(open_store(url, pooled=True, pool_size=3)),
        engine_of(app.state.make_uow),
    ]
    pools: list[Pool] = [e.pool for e in engines]
    for opened in engines:  # pooled connections closed now, not by the garbage collector
        opened.dispose()
    command, server, served = pools
    assert isinstance(command, NullPool)
    assert isinstance(server, QueuePool)
    # A ping per checkout guards against a server closing idle connections; a file does not.
    pings = engine.dialect.name != "sqlite"
    assert (server.size(), server._max_overflow, server._pre_ping) == (3, POOL_OVERFLOW, pings)
    assert isinstance(served, QueuePool)
    assert served.size() == 4


def test_no_version_while_a_change_may_still_commit_below_the_newest(engine: Engine) -> None:
    """PostgreSQL hands out audit-log ids before commit: while a writing transaction is open,
    a version read then might not move when it commits, so there is none. SQLite's writers take
    turns, so its version is always settled."""
    with SqlUnitOfWork(engine) as reader:
        settled = reader.audit_log.version()
    assert settled is not None
    with engine.connect() as writer, writer.begin():
        writer.execute(
            text(
                "INSERT INTO audit_log (at, actor, entity, entity_key, action) "
                "VALUES ('2026-01-01', 'ana', 'risk', 'R-1', 'insert')"
            )
        )
        with SqlUnitOfWork(engine) as reader:
            during = reader.audit_log.version()
        assert during == (settled if engine.dialect.name == "sqlite" else None)
    with SqlUnitOfWork(engine) as reader:
        assert (reader.audit_log.version() or 0) > settled
