"""`sourcewise risk …` against a SQLite file: add, list, evaluate twice, escalations, history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from governance_factories import PROVIDER, engagement
from sourcewise.cli import app
from sourcewise.reports import risk_documents as documents
from sourcewise.services.governance_store import open_store

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "governance" / "risks.yaml"
runner = CliRunner()


@pytest.fixture
def db(engine: Engine) -> str:
    """A fresh database at head (SQLite, and PostgreSQL when available)."""
    url = engine.url.render_as_string(hide_password=False)
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    make_uow = open_store(url)
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement("Customer service Monterrey", country="MX"))
        uow.commit()
    return url


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_example_register_evaluate_and_escalate(db: str) -> None:
    assert "6 risks added: R-001, R-002, R-003, R-004, R-005, R-006" in run(
        "risk", "add", str(EXAMPLE), "--db", db
    )
    assert "6 risks unchanged" in run("risk", "add", str(EXAMPLE), "--db", db)

    register = json.loads(run("risk", "list", "--db", db, "--format", "json"))
    for entry in register["risks"]:  # as the API's /risks items
        documents.RiskEntry.model_validate(entry)
    assert register["risks"][0]["code"] == "R-002"  # residual 12, the worst
    assert register["summary"] == {"low": 0, "medium": 4, "high": 2, "critical": 0}
    assert "Risk register" in run("risk", "list", "--db", db, "-e", "Customer service Monterrey")

    args = ("risk", "evaluate", "--as-of", "2026-11-25", "--db", db, "--format", "json")
    first = json.loads(run(*args))
    documents.EvaluationDocument.model_validate(first)  # as the API's /risks/evaluate
    # The peso went from 17.47 to 18.43 per dollar between July and October 2026 (+5.5 %).
    assert [run["risk"] for run in first["opened"]] == ["R-001"]
    assert first["opened"][0]["actions"][0]["owner_role"] == "finance"  # the file's playbook
    second = json.loads(run(*args))
    assert second["opened"] == []
    assert "0 playbooks opened" in run("risk", "evaluate", "--as-of", "2026-11-25", "--db", db)

    # Playbooks open now (wall clock), so a moment far ahead is past every level's limit.
    late = json.loads(run("risk", "escalations", "--db", db, "--now", "2099-01-01", "-f", "json"))
    for escalation in late:  # as the API's /escalations
        documents.EscalationDocument.model_validate(escalation)
    assert [(e["risk"], e["level"], e["overdue"]) for e in late] == [("R-001", 3, True)]
    assert late[0]["owner_role"] == "executive sponsor"
    assert "OVERDUE" in run("risk", "escalations", "--db", db, "--now", "2099-01-01")


def test_history_after_a_change(db: str, tmp_path: Path) -> None:
    run("risk", "add", str(EXAMPLE), "--db", db)
    changed = tmp_path / "risks.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    changed.write_text(
        text.replace(
            "residual: {likelihood: 4, impact: 2}", "residual: {likelihood: 3, impact: 2}"
        ),
        encoding="utf-8",
    )
    assert "1 risk updated: R-001" in run("risk", "add", str(changed), "--db", db)
    history = json.loads(run("risk", "history", "R-001", "--db", db, "--format", "json"))
    documents.RiskHistoryDocument.model_validate(history)  # as the API's /risks/{code}/history
    assert [(c["field"], c["before"], c["after"]) for c in history["changes"]] == [
        ("residual.likelihood", "4", "3")
    ]
    assert "residual.likelihood" in run("risk", "history", "R-001", "--db", db)


def test_bad_file_exits_1_with_every_problem(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "risks:\n"
        "  - title: Peso swing\n"
        "    category: currency_shok\n"
        "    owner: Finance\n"
        "    inherent: {likelihood: 2, impact: 3}\n"
        "    residual: {likelihood: 3, impact: 3}\n"
        "  - title: Attrition\n"
        "    category: talent_shortage\n"
        "    owner: Engagement manager\n"
        "    inherent: {likelihood: 2, impact: 3}\n"
        "    residual: {likelihood: 3, impact: 3}\n"
        "    triggers:\n"
        "      - kind: breach_streak\n"
        "        streek: 3\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["risk", "add", str(bad), "--db", db])
    assert result.exit_code == 1
    assert "3 problems" in result.output
    assert f"{bad}:3: risks[0].category:" in result.output
    assert f"{bad}:11: risks[1].residual.likelihood: residual.likelihood (3) exceeds" in (
        result.output.replace("\n", " ")
    )
    assert f"{bad}:14: risks[1].triggers[0].streek: unknown field for breach_streak" in (
        result.output
    )
    assert "Traceback" not in result.output
    listed = json.loads(run("risk", "list", "--db", db, "-f", "json"))
    assert listed["risks"] == []


def test_unknown_engagement_and_code_exit_1(db: str) -> None:
    result = runner.invoke(app, ["risk", "list", "--db", db, "--engagement", "Nope"])
    assert result.exit_code == 1
    assert "no engagement named 'Nope'" in result.output
    result = runner.invoke(app, ["risk", "history", "R-404", "--db", db])
    assert result.exit_code == 1
    assert "no risk with code 'R-404'" in result.output
    result = runner.invoke(app, ["risk", "evaluate", "--as-of", "25/11/2026", "--db", db])
    assert result.exit_code == 2
