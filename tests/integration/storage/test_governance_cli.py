"""The governance commands end to end on the example engagement, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.reports import governance_documents as documents

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples" / "governance"
NAME = "Customer service Monterrey"
runner = CliRunner()


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def loaded(engine: Engine) -> str:
    db = url_of(engine)
    run("engagement", "add", str(EXAMPLES / "engagement.yaml"), "--db", db)
    run("kpi", "ingest", str(EXAMPLES / "measurements.csv"), "--db", db)
    run("costs", "add", str(EXAMPLES / "costs.csv"), "--db", db)
    return db


def test_loading_twice_changes_nothing(loaded: str) -> None:
    again = run("engagement", "add", str(EXAMPLES / "engagement.yaml"), "--db", loaded)
    assert "unchanged" in again
    out = run("kpi", "ingest", str(EXAMPLES / "measurements.csv"), "--db", loaded)
    assert "0 new, 296 already stored" in out
    entries = json.loads(run("log", "--db", loaded, "-f", "json", "--limit", "1000"))
    assert [e["entity"] for e in entries].count("measurements") == 1


def test_sla_report_shows_the_breach_and_its_credit(loaded: str) -> None:
    report = json.loads(
        run("sla", "report", "-e", NAME, "--month", "2026-08", "-f", "json", "--db", loaded)
    )
    # The API's /engagements/{name}/sla answers the same document.
    documents.SlaReportDocument.model_validate(report)
    month = report["month"]
    statuses = {r["service_level"]: r["status"] for r in month["results"]}
    assert statuses["First contact resolution"] == "breach"
    assert statuses["Service availability"] == "met"
    # 324,000 invoiced × 12 % at risk × 50 % allocation = 19,440.00.
    assert month["credit"] == "19440.00"
    assert month["credit_lines"][0]["service_level"] == "First contact resolution"


def test_a_fifth_credited_month_is_waived(loaded: str) -> None:
    # The example pays credits in at most 4 months of a contract year: March, August,
    # September and October 2026 have them, so November's 19,440.00 is waived.
    report = json.loads(
        run("sla", "report", "-e", NAME, "--month", "2026-11", "-f", "json", "--db", loaded)
    )
    month = report["month"]
    assert (month["assessed"], month["credit"], month["waived"]) == ("19440.00", "0", "19440.00")
    assert month["capped_by"] == "month count"
    assert month["credit_months"] == ["2026-03", "2026-08", "2026-09", "2026-10"]
    text = run("sla", "report", "-e", NAME, "--month", "2026-11", "--db", loaded)
    assert "Waived 19,440.00 USD" in " ".join(text.split())


def test_monitor_finds_the_drop_in_first_contact_resolution(loaded: str) -> None:
    alerts = json.loads(run("monitor", "-e", NAME, "-f", "json", "--db", loaded))
    for alert in alerts:  # as the API's /engagements/{name}/drift
        documents.DriftAlertDocument.model_validate(alert)
    fcr = [a for a in alerts if a["kpi"] == "first_contact_resolution"]
    assert fcr
    assert min(a["first"] for a in fcr).startswith("2026-08")


def test_scorecard_and_benefits(loaded: str) -> None:
    cards = json.loads(
        run(
            "scorecard",
            "--provider",
            "Monterrey bilingual BPO",
            "--month",
            "2026-10",
            "--months",
            "3",
            "-f",
            "json",
            "--db",
            loaded,
        )
    )
    for card in cards:  # as the API's /providers/{provider}/scorecard
        documents.ScorecardDocument.model_validate(card)
    assert [c["period"] for c in cards] == ["2026-08", "2026-09", "2026-10"]
    assert all(c["grade"] in "ABCDF" for c in cards)
    benefits = json.loads(run("benefits", "-e", NAME, "-f", "json", "--db", loaded))
    documents.BenefitsDocument.model_validate(benefits)
    assert len(benefits["months"]) == 10
    assert benefits["planned_breakeven"] is not None


def test_a_bad_measurement_file_loads_nothing(loaded: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "engagement,kpi,period,value\n"
        f"{NAME},availability,2026-12-07,99.9\n"
        f"{NAME},availability,2026-12-14,abc\n"
    )
    result = runner.invoke(app, ["kpi", "ingest", str(bad), "--db", loaded])
    assert result.exit_code == 1
    assert "nothing loaded; 1 of 2 rows rejected" in result.output
    assert "bad.csv:3" in result.output
    listed = json.loads(run("engagement", "list", "-f", "json", "--db", loaded))
    assert listed[0]["measurements"] == 296


def test_an_invalid_engagement_file_lists_every_problem(engine: Engine, tmp_path: Path) -> None:
    text = (EXAMPLES / "engagement.yaml").read_text(encoding="utf-8")
    broken = text.replace("metric: availability", "metric: availabilty").replace(
        "country: MX\n  notes", "country: MEX\n  notes"
    )
    path = tmp_path / "engagement.yaml"
    path.write_text(broken, encoding="utf-8")
    result = runner.invoke(app, ["engagement", "add", str(path), "--db", url_of(engine)])
    assert result.exit_code == 1
    assert "provider.country" in result.output
    assert "MX" in result.output


def test_an_empty_database_says_to_upgrade(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new.db'}"
    sqlite3.connect(tmp_path / "new.db").close()
    result = runner.invoke(app, ["engagement", "list", "--db", db])
    assert result.exit_code == 1
    assert "is empty" in result.output
    assert "sourcewise db upgrade" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["kpi", "list"],
        ["engagement", "list"],
        ["log"],
        ["actions"],
        ["risk", "evaluate"],
        ["engagement", "add", str(EXAMPLES / "engagement.yaml")],
        ["db", "downgrade", "base"],
    ],
    ids=" ".join,
)
def test_no_command_but_db_upgrade_creates_a_database(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --db the default lives in SOURCEWISE_HOME; nothing may appear there, not even
    the folder, until `db upgrade` runs."""
    home = tmp_path / "home"
    monkeypatch.setenv("SOURCEWISE_HOME", str(home))
    monkeypatch.delenv("SOURCEWISE_DATABASE_URL", raising=False)
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert f"there is no database at {home / 'sourcewise.db'}" in result.output
    assert "`sourcewise db upgrade` creates it" in result.output
    assert not home.exists()
    run("db", "upgrade")
    assert (home / "sourcewise.db").exists()


def test_terminal_reports_say_what_happened(loaded: str) -> None:
    sla = run("sla", "report", "-e", NAME, "--month", "2026-08", "--db", loaded)
    assert "BREACH" in sla
    assert "Credit this month 19,440.00 USD" in sla
    drift = run("monitor", "-e", NAME, "--kpi", "first_contact_resolution", "--db", loaded)
    assert "first_contact_resolution" in drift
    assert "beyond 3σ" in drift
    card = run(
        "scorecard",
        "--provider",
        "Monterrey bilingual BPO",
        "--month",
        "2026-10",
        "--months",
        "2",
        "--db",
        loaded,
    )
    assert "Oct 2026" in card  # a month in a table, as on the pages
    benefits = run("benefits", "-e", NAME, "--db", loaded)
    assert "Break-even: planned" in benefits
    log = run("log", "--db", loaded)
    assert "engagement" in log
