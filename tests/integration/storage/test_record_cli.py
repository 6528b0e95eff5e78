"""Audits, surveys, meetings, open actions and pilots through the command line, on SQLite."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from governance_factories import PROVIDER, engagement
from sourcewise.cli import app
from sourcewise.governance.records import Measurement
from sourcewise.storage.database import create_database_engine
from sourcewise.storage.sql_unit_of_work import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "governance"
NAME = "Customer service Monterrey"
FILES = {"audit": "audits", "survey": "surveys", "meeting": "meetings", "pilot": "pilot"}
runner = CliRunner()

# Pilot months: (defect rate %, on-time %, contacts). Defects: 1.4 % of 1200 + 1.2 % of 1350 +
# 1.1 % of 1400 = 16.8 + 16.2 + 15.4 = 48.4 -> 48 of 3950. On time: 1158 + 1309.5 + 1360.8 =
# 3828.3 -> 3828.
MONTHS = [(1.4, 96.5, 1200), (1.2, 97.0, 1350), (1.1, 97.2, 1400)]


@pytest.fixture
def db(engine: Engine) -> str:
    """A fresh database at head (SQLite, and PostgreSQL when available)."""
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    with SqlUnitOfWork(engine, source="test") as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement(NAME))
        rows = []
        for month, (defects, on_time, n) in enumerate(MONTHS, start=1):
            period = datetime(2026, month, 1, tzinfo=UTC)
            rows.append((f"d{month}", Measurement(NAME, "defect_rate", period, defects, n)))
            rows.append((f"o{month}", Measurement(NAME, "on_time_delivery", period, on_time, n)))
        assert not uow.measurements.ingest([rows], replace=False).conflicts
        uow.commit()
    return url


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def report(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def add_all(db: str) -> None:
    for command, name in FILES.items():
        result = run(command, "add", str(EXAMPLES / f"{name}.yaml"), "--db", db)
        assert result.exit_code == 0, result.output
        assert "added" in result.output


def test_examples_add_then_are_unchanged_and_logged_once(db: str) -> None:
    add_all(db)
    for command, name in FILES.items():
        result = run(command, "add", str(EXAMPLES / f"{name}.yaml"), "--db", db)
        assert result.exit_code == 0, result.output
        assert "unchanged" in result.output
        assert "added " not in result.output
    engine = create_database_engine(db)
    with SqlUnitOfWork(engine) as uow:
        logged = {k: len(uow.audit_log.entries(entity=k)) for k in FILES}
    engine.dispose()
    assert logged == {"audit": 2, "survey": 2, "meeting": 4, "pilot": 1}


def test_bad_file_exits_1_with_file_and_line_and_adds_nothing(db: str, tmp_path: Path) -> None:
    text = (EXAMPLES / "surveys.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "surveys.yaml"
    bad.write_text(text.replace("[4, 5, 3, 4, 4, 2,", "[4, 5, 3, 4, 9, 2,"), encoding="utf-8")
    line = next(i for i, x in enumerate(bad.read_text().splitlines(), 1) if "4, 9, 2" in x)
    result = run("survey", "add", str(bad), "--db", db)
    assert result.exit_code == 1
    assert f"{bad}:{line}: surveys[0].questions[1].responses[4]: 9 is outside" in result.output
    assert "Traceback" not in result.output
    assert report("survey", "report", "-e", NAME, "--db", db)["surveys"] == 0
    wrong = run("audit", "add", str(EXAMPLES / "pilot.yaml"), "--db", db)
    assert wrong.exit_code == 1
    assert "holds pilots, not audits: use `sourcewise pilot add`" in wrong.output


def test_reports_in_json(db: str) -> None:
    add_all(db)
    audits = report("audit", "list", "-e", NAME, "--today", "2026-06-20", "--db", db)
    assert (audits["open"], audits["overdue"]) == (4, 2)
    assert audits["open_by_severity"] == {"critical": 0, "high": 1, "medium": 2, "low": 1}

    surveys = report("survey", "report", "-e", NAME, "--db", db)
    by_code = {q["code"]: q["trend"] for q in surveys["questions"]}
    quality = by_code["quality"]["periods"]
    assert [p["label"] for p in quality] == ["2026-03", "2026-06"]
    assert quality[0]["value"] == pytest.approx(132 / 35)
    assert [p["value"] for p in by_code["nps"]["periods"]] == pytest.approx(
        [100 * 4 / 35, 100 * 12 / 34]
    )

    meetings = report("meeting", "list", "-e", NAME, "--today", "2026-05-18", "--db", db)
    assert (meetings["open_actions"], meetings["overdue"]) == (4, 2)
    assert [m["status"] for m in meetings["milestones"]] == ["done", "at_risk"]

    actions = report("actions", "--today", "2026-05-18", "--db", db)
    assert (len(actions["actions"]), actions["overdue"]) == (8, 2)
    dues = [a["due_on"] for a in actions["actions"]]
    assert dues == sorted(dues)
    assert dues[0] == "2026-03-15"


def test_pilot_evaluate_recommends(db: str) -> None:
    add_all(db)
    data = report("pilot", "evaluate", "-e", NAME, "--db", db)
    counts = {d["name"]: (d["events"], d["trials"]) for d in data["data"]}
    assert counts["Defect rate"] == (48, 3950)
    assert counts["On-time delivery"] == (3828, 3950)
    evaluation = data["evaluation"]
    assert evaluation["recommendation"] == "go"
    assert [r["verdict"] for r in evaluation["results"]] == ["pass", "pass", "pass"]
    table = run("pilot", "evaluate", "-e", NAME, "--pilot", "Returns and order-status pilot",
                "--db", db)  # fmt: skip
    assert table.exit_code == 0, table.output
    assert "Go: all 3 criteria pass" in table.output
    missing = run("pilot", "evaluate", "-e", "Customer service Monterey", "--db", db)
    assert missing.exit_code == 1
    assert "did you mean 'Customer service Monterrey'" in missing.output


def test_tables_render(db: str) -> None:
    add_all(db)
    for args in (
        ("audit", "list", "-e", NAME),
        ("survey", "report", "-e", NAME),
        ("meeting", "list", "-e", NAME),
        ("actions", "-e", NAME),
    ):
        result = run(*args, "--db", db)
        assert result.exit_code == 0, result.output
        assert NAME in result.output or "Open actions" in result.output
