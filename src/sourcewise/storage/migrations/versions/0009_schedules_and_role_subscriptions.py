"""Monitoring on a schedule inside the servers (scheduled_runs) and subscriptions for a role
(subscriptions.role and .provider).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Plain ALTER TABLE ADD COLUMN, not batch mode: on SQLite batch mode rebuilds the table, and
# dropping the old subscriptions table would cascade-delete its delivery log (see 0003).


def upgrade() -> None:
    op.execute(
        "ALTER TABLE subscriptions ADD COLUMN role VARCHAR(10) CONSTRAINT ck_subscriptions_role "
        "CHECK (role IS NULL OR role IN ('admin', 'analyst', 'viewer', 'provider'))"
    )
    op.execute("ALTER TABLE subscriptions ADD COLUMN provider VARCHAR(200)")
    op.create_table(
        "scheduled_runs",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("next_due_at", sa.DateTime(), nullable=False),
        sa.Column("last_started_at", sa.DateTime(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=True),
        sa.Column("last_summary", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_scheduled_runs")),
    )


def downgrade() -> None:
    op.drop_table("scheduled_runs")
    op.execute("ALTER TABLE subscriptions DROP COLUMN provider")
    op.execute("ALTER TABLE subscriptions DROP COLUMN role")
