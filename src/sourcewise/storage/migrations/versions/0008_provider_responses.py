"""Provider responses: a provider's acknowledgement or dispute of a month's service credit, and
its answers to the audit findings of its engagements (both appended, never edited).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sourcewise.storage.types import ExactDecimal

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: nothing existing is altered, so no batch mode (see 0003).
    op.create_table(
        "credit_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("amount", ExactDecimal(18, 4), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('acknowledged', 'disputed')", name=op.f("ck_credit_responses_verdict")
        ),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_credit_responses_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_responses")),
    )
    op.create_index(
        op.f("ix_credit_responses_engagement_id"), "credit_responses", ["engagement_id"]
    )
    op.create_table(
        "finding_responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audits.id"],
            name=op.f("fk_finding_responses_audit_id_audits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_responses")),
    )
    op.create_index("ix_finding_responses_audit", "finding_responses", ["audit_id", "reference"])


def downgrade() -> None:
    op.drop_index("ix_finding_responses_audit", table_name="finding_responses")
    op.drop_table("finding_responses")
    op.drop_index(op.f("ix_credit_responses_engagement_id"), table_name="credit_responses")
    op.drop_table("credit_responses")
