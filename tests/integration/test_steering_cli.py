"""Scorecards that reflect service levels, on the governance example end to end: four months of
critical breach drag the Monterrey grade to what the documented weights give, `monitor run`
opens one corrective-action plan however often it runs, the CLI closes it (audit-logged), and
the contract's remedies are proposed from the months of breach."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.reports import governance_documents as documents

NAME = "Customer service Monterrey"
PROVIDER = "Monterrey bilingual BPO"
AS_OF = "2026-11-25"
runner = CliRunner()

# The documented defaults (docs/governance.md, "Scorecard weights"), which the example's file
# writes out: relative domain weights, compliance points per breached month, lookback.
WEIGHTS = {
    "quality": 30,
    "delivery": 25,
    "cost": 20,
    "relationship": 15,
    "risk": 10,
    "service_levels": 25,
}
POINTS = {"critical": 20, "key_measurement": 5}
LOOKBACK = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
BANDS = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def documented_grade(score: float) -> str:
    return next((g for floor, g in BANDS if round(score, 9) >= floor), "F")


def test_four_months_of_critical_breach_drag_the_grade_to_what_the_weights_give(db: str) -> None:
    report = json.loads(
        run("sla", "report", "-e", NAME, "--month", "2026-11", "-f", "json", "--db", db)
    )
    documents.SlaReportDocument.model_validate(report)  # as the API's …/sla
    months = {m["month"]: m for m in [*report["history"], report["month"]]}
    breached: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for month in LOOKBACK:
        for result in months[month]["results"]:
            kinds[result["service_level"]] = result["kind"]
            if result["status"] == "breach":
                breached[result["service_level"]] = breached.get(result["service_level"], 0) + 1
    # First contact resolution, a critical service level, breached August to November.
    assert breached == {"First contact resolution": 4}
    compliance = max(0, 100 - sum(POINTS[kinds[s]] * n for s, n in breached.items()))
    assert compliance == 20

    cards = json.loads(
        run(
            "scorecard",
            "--provider",
            PROVIDER,
            "--month",
            "2026-11",
            "--months",
            "4",
            "-f",
            "json",
            "--db",
            db,
        )
    )
    for card in cards:  # as the API's /providers/{provider}/scorecard
        documents.ScorecardDocument.model_validate(card)
    november = cards[-1]
    scores = {d["domain"]: d["score"] for d in november["domains"]}
    assert scores["service_levels"] == pytest.approx(compliance)
    # The weighted mean of the domains with data (no survey in November: no relationship).
    shown = {d: s for d, s in scores.items() if s is not None}
    expected = math.fsum(WEIGHTS[d] * s for d, s in shown.items()) / sum(WEIGHTS[d] for d in shown)
    assert november["overall"] == pytest.approx(expected, abs=1e-9)
    assert november["grade"] == documented_grade(expected) == "D"
    # Before the breach (July) the same provider graded B; each month of it cost more.
    assert [c["grade"] for c in cards] == ["C", "C", "C", "D"]
    overall = [c["overall"] for c in cards]
    assert overall == sorted(overall, reverse=True)
    july = json.loads(
        run(
            "scorecard",
            "--provider",
            PROVIDER,
            "--month",
            "2026-07",
            "--months",
            "1",
            "-f",
            "json",
            "--db",
            db,
        )
    )
    assert july[0]["grade"] == "B"


def test_the_documented_scorecard_sample_is_the_real_output(db: str) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "governance.md").read_text("utf-8")
    sample = docs.split("Month      Qual Deliv Cost Relat Risk SLA Score Grade     Δ  Data")[1]
    rows = [line.split() for line in sample.split("\n\n")[0].strip().splitlines()]
    out = run(
        "scorecard", "--provider", PROVIDER, "--month", "2026-11", "--months", "12", "--db", db
    )
    shown = [line.split() for line in out.splitlines() if line.strip()[4:8] == "2026"]
    assert rows == shown[-5:]


def test_monitor_run_opens_one_plan_per_breach_and_the_cli_closes_it(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = json.loads(run("monitor", "run", "--all", "--as-of", AS_OF, "-f", "json", "--db", db))
    opened = first["corrective_action_plans_opened"]
    # The first run after four breached months: one plan, for the breach since August.
    found = [(p["service_level"], p["first_breach"], p["last_breach"], p["owner"]) for p in opened]
    assert found == [
        ("First contact resolution", "2026-08", "2026-11", "Vendor manager, customer care")
    ]
    kinds = {e["kind"] for e in first["new"]}
    assert "remedy_proposed" in kinds
    second = json.loads(run("monitor", "run", "--all", "--as-of", AS_OF, "-f", "json", "--db", db))
    assert second["corrective_action_plans_opened"] == []
    text = run("monitor", "run", "--all", "--as-of", AS_OF, "--db", db)
    assert "corrective-action plan" not in text

    plans = json.loads(run("cap", "list", "-e", NAME, "-f", "json", "--db", db))
    assert len(plans) == 1
    plan = plans[0]
    # The API's /engagements/{name}/corrective-actions answers the same documents.
    documents.CorrectiveActionPlanDocument.model_validate(plan)
    table = " ".join(run("cap", "list", "--db", db).split())
    assert f"Corrective-action plans — {NAME}" in table
    assert "First contact" in table
    assert f"{plan['due_on']} open" in table

    monkeypatch.setenv("SOURCEWISE_ACTOR", "ana")
    closed = run("cap", "close", str(plan["id"]), "--note", "Retraining done", "--db", db)
    assert f"#{plan['id']}" in closed
    assert "closed by ana" in closed
    refused = runner.invoke(app, ["cap", "close", str(plan["id"]), "--note", "again", "--db", db])
    assert refused.exit_code == 1
    assert "closed already" in refused.output
    assert json.loads(run("cap", "list", "-f", "json", "--db", db)) == []
    every = json.loads(run("cap", "list", "--closed", "-f", "json", "--db", db))
    assert (every[0]["state"], every[0]["closed_by"], every[0]["closing_note"]) == (
        "closed",
        "ana",
        "Retraining done",
    )
    log = json.loads(run("log", "-f", "json", "--limit", "50", "--db", db))
    changes = [e for e in log if e["entity"] == "corrective_action_plan"]
    assert {(e["action"], e["actor"]) for e in changes} >= {("update", "ana")}
    assert any(e["action"] == "insert" for e in changes)
    # The breach the closed plan covered opens nothing again.
    again = json.loads(run("monitor", "run", "--all", "--as-of", AS_OF, "-f", "json", "--db", db))
    assert again["corrective_action_plans_opened"] == []


def test_repeated_breaches_propose_the_contracts_remedies(db: str) -> None:
    report = json.loads(run("remedies", "-e", NAME, "--month", "2026-11", "-f", "json", "--db", db))
    documents.RemediesDocument.model_validate(report)  # as the API's …/remedies
    proposed = {(p["service_level"], p["remedy"]["kind"]) for p in report["proposed"]}
    assert proposed == {
        ("Service availability", "improvement_plan"),  # March's breach, within 12 months
        ("First contact resolution", "improvement_plan"),
        ("First contact resolution", "escalation"),
        ("First contact resolution", "fee_withholding"),
    }
    # Four breached months are not yet the six within 12 months the termination right needs.
    assert len(report["remedies"]) == 4
    withholding = next(p for p in report["proposed"] if p["remedy"]["kind"] == "fee_withholding")
    assert withholding["breached_months"] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert withholding["remedy"]["clause"] == "SOW-01 §6.4 (withholding)"
    text = " ".join(run("remedies", "-e", NAME, "--month", "2026-11", "--db", db).split())
    assert "Escalation to the joint steering committee" in text
    assert "MSA-2025-014 §15.1" in text
    # Before the first breach of first contact resolution, only March's availability breach.
    july = json.loads(run("remedies", "-e", NAME, "--month", "2026-07", "-f", "json", "--db", db))
    assert [p["service_level"] for p in july["proposed"]] == ["Service availability"]
