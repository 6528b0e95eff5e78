"""`sourcewise user ...` on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from sourcewise.cli import app

runner = CliRunner()
PASSWORD = "correct horse battery"


@pytest.fixture
def db(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_users_and_tokens(db: str) -> None:
    added = runner.invoke(
        app, ["user", "add", "ana", "--role", "analyst", "--password", PASSWORD, "--db", db]
    )
    assert added.exit_code == 0, added.output
    token = runner.invoke(app, ["user", "token", "ana", "--name", "ci", "--days", "30", "--db", db])
    assert token.exit_code == 0, token.output
    assert token.output.strip().startswith("sw_")
    listed = runner.invoke(app, ["user", "list", "--db", db])
    assert "ana: analyst; tokens: ci" in listed.output
    revoked = runner.invoke(app, ["user", "revoke", "ana", "ci", "--db", db])
    assert revoked.exit_code == 0
    assert "ci (revoked)" in runner.invoke(app, ["user", "list", "--db", db]).output


def test_bad_input_is_refused(db: str) -> None:
    role = runner.invoke(
        app, ["user", "add", "bo", "--role", "boss", "--password", PASSWORD, "--db", db]
    )
    assert role.exit_code == 1
    assert "unknown role 'boss'" in role.output
    weak = runner.invoke(app, ["user", "add", "bo", "--password", "short", "--db", db])
    assert weak.exit_code == 1
    assert "at least 12" in weak.output
    provider = runner.invoke(
        app, ["user", "add", "bo", "--role", "provider", "--password", PASSWORD, "--db", db]
    )
    assert "needs --provider" in provider.output


def test_password_from_the_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCEWISE_PASSWORD", PASSWORD)
    added = runner.invoke(app, ["user", "add", "cy", "--role", "viewer", "--db", db])
    assert added.exit_code == 0, added.output
