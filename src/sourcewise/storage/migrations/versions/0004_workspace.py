"""The decision workspace: named scenarios with immutable versions, decision runs with their
approval, the approved case an engagement is governed against, persisted jobs, and the
approver flag of users.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("visibility", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'team')", name=op.f("ck_scenarios_visibility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("name", name=op.f("uq_scenarios_name")),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("model", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_scenario_versions_version")),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_versions_scenario_id_scenarios"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_versions")),
        sa.UniqueConstraint("scenario_id", "version", name="uq_scenario_versions_version"),
    )
    op.create_index(op.f("ix_scenario_versions_scenario_id"), "scenario_versions", ["scenario_id"])
    op.create_table(
        "decision_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("draws", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("software_version", sa.String(length=40), nullable=False),
        sa.Column("data_version", sa.String(length=80), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("result_digest", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=True),
        sa.Column("proposal_note", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'proposed', 'approved', 'rejected')",
            name=op.f("ck_decision_runs_status"),
        ),
        sa.CheckConstraint("draws >= 0", name=op.f("ck_decision_runs_draws")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["scenario_versions.id"],
            name=op.f("fk_decision_runs_version_id_scenario_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_runs")),
    )
    op.create_index(op.f("ix_decision_runs_version_id"), "decision_runs", ["version_id"])
    op.create_table(
        "engagement_cases",
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("function", sa.String(length=200), nullable=False),
        sa.Column("option", sa.String(length=200), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.Column("linked_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagements.id"],
            name=op.f("fk_engagement_cases_engagement_id_engagements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["decision_runs.id"],
            name=op.f("fk_engagement_cases_run_id_decision_runs"),
        ),
        sa.PrimaryKeyConstraint("engagement_id", name=op.f("pk_engagement_cases")),
    )
    op.create_index(op.f("ix_engagement_cases_run_id"), "engagement_cases", ["run_id"])
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name=op.f("ck_jobs_status")
        ),
        sa.CheckConstraint("kind IN ('decision', 'simulation')", name=op.f("ck_jobs_kind")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["decision_runs.id"], name=op.f("fk_jobs_run_id_decision_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index("ix_jobs_status_created_at", "jobs", ["status", "created_at"])
    # Plain ALTER TABLE (see 0003): batch mode would rebuild users and cascade-delete tokens.
    op.execute("ALTER TABLE users ADD COLUMN approver BOOLEAN NOT NULL DEFAULT false")


def downgrade() -> None:
    op.execute("ALTER TABLE users DROP COLUMN approver")
    op.drop_index("ix_jobs_status_created_at", table_name="jobs")
    op.drop_table("jobs")
    op.drop_index(op.f("ix_engagement_cases_run_id"), table_name="engagement_cases")
    op.drop_table("engagement_cases")
    op.drop_index(op.f("ix_decision_runs_version_id"), table_name="decision_runs")
    op.drop_table("decision_runs")
    op.drop_index(op.f("ix_scenario_versions_scenario_id"), table_name="scenario_versions")
    op.drop_table("scenario_versions")
    op.drop_table("scenarios")
