"""The governance example loaded as `make demo` loads it, for the end-to-end tests of the
commands that work on it (``db``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app

GOV = Path(__file__).resolve().parents[2] / "examples" / "governance"


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every file of the governance example on a new SQLite database, with one analyst."""
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    _run("db", "upgrade", "--db", url)
    _run("engagement", "add", str(GOV / "engagement.yaml"), "--db", url)
    _run("kpi", "ingest", str(GOV / "measurements.csv"), "--db", url)
    _run("costs", "add", str(GOV / "costs.csv"), "--db", url)
    for command, file in (
        ("audit", "audits.yaml"),
        ("survey", "surveys.yaml"),
        ("meeting", "meetings.yaml"),
        ("pilot", "pilot.yaml"),
        ("risk", "risks.yaml"),
    ):
        _run(command, "add", str(GOV / file), "--db", url)
    monkeypatch.setenv("SOURCEWISE_PASSWORD", "a long enough password")
    _run("user", "add", "ana", "--role", "analyst", "--db", url)
    return url
