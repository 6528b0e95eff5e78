"""Service credits in at most N months of a contract year: engagements.max_credit_months.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, valid on SQLite (3.35+ for DROP COLUMN) and PostgreSQL alike. Not batch
# mode: on SQLite it rebuilds the table, and dropping the old one with foreign keys on would
# cascade-delete every engagement's contracts, service levels and measurements.


def upgrade() -> None:
    op.execute(
        "ALTER TABLE engagements ADD COLUMN max_credit_months INTEGER "
        "CONSTRAINT ck_engagements_max_credit_months CHECK (max_credit_months BETWEEN 1 AND 12)"
    )


def downgrade() -> None:
    # The column's own check constraint goes with it (SQLite and PostgreSQL both allow that).
    op.execute("ALTER TABLE engagements DROP COLUMN max_credit_months")
