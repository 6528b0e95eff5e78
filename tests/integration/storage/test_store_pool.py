"""The web server keeps a pool of connections to PostgreSQL (each checked with a ping before
use); commands, and SQLite everywhere, open a connection per unit of work."""

from __future__ import annotations

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


def test_a_server_pools_postgresql_connections_and_a_command_does_not(engine: Engine) -> None:
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
    if engine.dialect.name == "sqlite":  # a file is cheap to open: no pool to keep
        assert isinstance(server, NullPool)
        assert isinstance(served, NullPool)
        return
    assert isinstance(server, QueuePool)
    assert (server.size(), server._max_overflow, server._pre_ping) == (3, POOL_OVERFLOW, True)
    assert isinstance(served, QueuePool)
    assert served.size() == 4
