"""Migrations go up and down cleanly, match the tables, and keep the audit log append-only."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from sourcewise.governance.records import Renewal
from sourcewise.storage import migrate
from sourcewise.storage.sql_unit_of_work import SqlUnitOfWork
from sourcewise.storage.tables import metadata


def test_the_database_is_at_head_and_matches_the_tables(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_down_to_base_and_up_again(engine: Engine) -> None:
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())


def test_upgrade_twice_changes_nothing(engine: Engine) -> None:
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()


def _one_contract(engine: Engine) -> None:
    """Provider P, engagement E and its master agreement MSA, as the older schemas hold them."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO providers (name, kind, country, notes) "
                "VALUES ('P', 'vendor', 'PH', '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO engagements (name, function, arrangement, home_country, country, "
                "provider_id, start_date, currency, at_risk_pct) "
                "VALUES ('E', 'f', 'offshore', 'US', 'PH', 1, '2026-01-01', 'USD', '12')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO contracts (engagement_id, reference, kind, title, start_date, "
                "monthly_fee) VALUES (1, 'MSA', 'master_agreement', 'Master', '2026-01-01', '0')"
            )
        )


def test_0003_adds_the_month_count_and_keeps_every_engagement_and_contract(
    engine: Engine,
) -> None:
    # Rebuilding the table (Alembic's batch mode on SQLite) would cascade-delete the contracts.
    migrate.downgrade(engine, "0002")
    _one_contract(engine)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM contracts")).scalar_one() == 1
        months = connection.execute(text("SELECT max_credit_months FROM engagements"))
        assert months.scalar_one() is None
    with pytest.raises(DBAPIError, match="max_credit_months"), engine.begin() as connection:
        connection.execute(text("UPDATE engagements SET max_credit_months = 13"))
    migrate.downgrade(engine, "0002")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM contracts")).scalar_one() == 1
    assert "max_credit_months" not in {
        c["name"] for c in inspect(engine).get_columns("engagements")
    }


def test_0007_gives_existing_contracts_an_empty_calendar_and_keeps_them(engine: Engine) -> None:
    migrate.downgrade(engine, "0005")
    _one_contract(engine)
    migrate.upgrade(engine)
    with SqlUnitOfWork(engine, source="test") as uow:
        stored = uow.engagements.get("E")
    assert stored is not None
    (contract,) = stored.contracts
    assert (contract.notice, contract.renewal, contract.price_reviews) == (None, Renewal(), ())
    with pytest.raises(DBAPIError, match="renewal_decision"), engine.begin() as connection:
        connection.execute(text("UPDATE contracts SET renewal_decision = 'maybe'"))
    migrate.downgrade(engine, "0005")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM contracts")).scalar_one() == 1
    assert "notice_unit" not in {c["name"] for c in inspect(engine).get_columns("contracts")}


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"])
def test_the_audit_log_refuses_updates_and_deletes(engine: Engine, statement: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_log (at, actor, entity, entity_key, action) "
                "VALUES ('2026-01-01 00:00:00', 'ana', 'engagement', 'A', 'insert')"
            )
        )
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT actor FROM audit_log")).scalar_one() == "ana"


def test_0004_keeps_every_user_and_token_and_makes_none_an_approver(engine: Engine) -> None:
    # Rebuilding users (batch mode on SQLite) would cascade-delete their tokens and sessions.
    migrate.downgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (username, password_hash, role, disabled, created_at) "
                "VALUES ('ana', 'x', 'analyst', false, '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, revoked) "
                "VALUES (1, 'ci', 'h', '2026-01-01 00:00:00', false)"
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM api_tokens")).scalar_one() == 1
        assert connection.execute(text("SELECT approver FROM users")).scalar_one() in (0, False)
    migrate.downgrade(engine, "0003")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM api_tokens")).scalar_one() == 1
    assert "scenarios" not in inspect(engine).get_table_names()
