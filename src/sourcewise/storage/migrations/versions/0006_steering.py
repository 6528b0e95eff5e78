"""Scorecards that reflect service levels: each engagement's steering terms (scorecard weights,
corrective-action defaults, remedies) in engagements.steering, and the corrective-action plans
that breaches open.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN, not batch mode (see 0003): a nullable column, read as the defaults.
    op.add_column("engagements", sa.Column("steering", sa.JSON(), nullable=True))
    op.create_table(
        "corrective_action_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("engagement", sa.String(length=200), nullable=False),
        sa.Column("service_level", sa.String(length=200), nullable=False),
        sa.Column("first_breach", sa.Date(), nullable=False),
        sa.Column("last_breach", sa.Date(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'closed')", name=op.f("ck_corrective_action_plans_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrective_action_plans")),
        sa.UniqueConstraint(
            "engagement",
            "service_level",
            "first_breach",
            name=op.f("uq_corrective_action_plans_breach"),
        ),
    )
    op.create_index(
        op.f("ix_corrective_action_plans_engagement"), "corrective_action_plans", ["engagement"]
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_corrective_action_plans_engagement"), table_name="corrective_action_plans"
    )
    op.drop_table("corrective_action_plans")
    op.execute("ALTER TABLE engagements DROP COLUMN steering")
