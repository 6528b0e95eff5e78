"""Schema migrations with Alembic, configured in code so no ``alembic.ini`` is needed.

``upgrade`` and ``downgrade`` run in one transaction: PostgreSQL rolls DDL back on error, and on
SQLite Alembic's batch mode rebuilds tables inside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    with_config = ScriptDirectory(str(MIGRATIONS))
    head = with_config.get_current_head()
    assert head is not None
    return head


def revision(message: str, engine: Engine) -> None:
    """Autogenerate a new revision from the difference between the tables and the database
    (a developer command: ``python -m sourcewise.storage.migrate "message"``)."""
    from alembic import command

    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)


if __name__ == "__main__":  # pragma: no cover - developer tool
    import sys
    import tempfile

    from sourcewise.storage.database import create_database_engine

    with tempfile.TemporaryDirectory() as folder:
        scratch = create_database_engine(f"sqlite:///{folder}/scratch.db")
        upgrade(scratch)
        revision(sys.argv[1], scratch)
