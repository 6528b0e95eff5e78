"""The contract calendar: each contract's total value, notice period, renewal terms,
price-review and benchmarking dates and termination assistance.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Plain ALTER TABLE, not batch mode: on SQLite batch mode rebuilds the table, and dropping the
# old one with foreign keys on would cascade-delete the statements of work (see 0003). The checks
# are the columns' own, so that SQLite can add and drop them with the column. Existing contracts
# get the defaults: no value, no notice, no renewal, no dates.
CHECKED = {
    "total_value": "CONSTRAINT ck_contracts_total_value CHECK (CAST(total_value AS NUMERIC) >= 0)",
    "notice_unit": "CONSTRAINT ck_contracts_notice_unit CHECK (notice_unit IN ('months', 'days'))",
    "renewal_decision": "NOT NULL DEFAULT 'pending' CONSTRAINT ck_contracts_renewal_decision "
    "CHECK (renewal_decision IN ('pending', 'renew', 'renegotiate', 'terminate'))",
}
COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("notice_period", sa.Integer()),
    sa.Column("auto_renewal", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("renewal_term_months", sa.Integer()),
    sa.Column("price_review_dates", sa.JSON(), nullable=False, server_default="[]"),
    sa.Column("benchmarking_dates", sa.JSON(), nullable=False, server_default="[]"),
    sa.Column("termination_assistance_months", sa.Integer()),
    sa.Column("termination_assistance_terms", sa.Text(), nullable=False, server_default=""),
)


def upgrade() -> None:
    money = "NUMERIC(18, 4)" if op.get_bind().dialect.name == "postgresql" else "VARCHAR(20)"
    types = {"total_value": money, "notice_unit": "VARCHAR(6)", "renewal_decision": "VARCHAR(12)"}
    for name, check in CHECKED.items():
        op.execute(f"ALTER TABLE contracts ADD COLUMN {name} {types[name]} {check}")
    for column in COLUMNS:
        op.add_column("contracts", column)


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_column("contracts", column.name)
    for name in reversed(CHECKED):
        op.execute(f"ALTER TABLE contracts DROP COLUMN {name}")
