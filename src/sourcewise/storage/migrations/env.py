"""Alembic environment: runs migrations on the connection that ``storage.migrate`` hands over."""

from __future__ import annotations

from alembic import context

from sourcewise.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - migrate.py always passes one
    raise RuntimeError("run migrations through sourcewise.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
