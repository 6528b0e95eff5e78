"""Persistence for governance: SQLAlchemy 2 tables, Alembic migrations, repositories and the
unit of work (with an in-memory twin for unit tests). Nothing here connects at import."""
