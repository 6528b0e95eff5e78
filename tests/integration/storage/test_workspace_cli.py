"""The decision workspace on the command line from a fresh database, on SQLite and PostgreSQL:
scenarios saved with versions and diffed, runs kept, compared, verified and approved with four
eyes, the approved case reported and exported, and an engagement governed against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from sourcewise.cli import app

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
GOVERNANCE = EXAMPLES / "governance"
US = EXAMPLES / "us-customer-service.yaml"
NAME = "us-customer-service"
ENGAGED = "Customer service Monterrey"
MEXICAN = "Mexican BPO vendor (nearshore, bilingual)"
PASSWORD = "correct horse battery"
DRAWS = ("--draws", "200", "--seed", "7")
runner = CliRunner()


@pytest.fixture
def db(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def invoke(db: str, *args: str, actor: str = "ana") -> Result:
    return runner.invoke(app, [*args, "--db", db], env={"SOURCEWISE_ACTOR": actor})


def ok(db: str, *args: str, actor: str = "ana") -> str:
    """The command's standard output; it must succeed."""
    result = invoke(db, *args, actor=actor)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(db: str, *args: str, actor: str = "ana", code: int = 1) -> str:
    """What the command printed; it must fail with ``code``."""
    result = invoke(db, *args, actor=actor)
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


def raised_rate(folder: Path) -> Path:
    """The US example with the Mexican vendor's rate raised: mode 18 → 21, high 20 → 22."""
    original = US.read_text("utf-8")
    changed = original.replace(
        "hourly_rate: {dist: triangular, low: 16.5, mode: 18, high: 20,",
        "hourly_rate: {dist: triangular, low: 16.5, mode: 21, high: 22,",
    )
    assert changed != original
    path = folder / "us-customer-service-raised.yaml"
    path.write_text(changed, "utf-8")
    return path


def add_approver(db: str, name: str = "cfo") -> None:
    ok(db, "user", "add", name, "--role", "viewer", "--approver", "--password", PASSWORD)


def test_from_draft_to_the_approved_case_governing_an_engagement(db: str, tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.yaml")):
        assert ok(db, "scenario", "save", str(example), "--note", "as received").startswith(
            f"saved {example.stem} v1 (shared with the team, owner ana)"
        )
    listed = json.loads(ok(db, "scenario", "list", "-f", "json"))
    assert [(s["name"], s["latest_version"]) for s in listed] == [
        ("de-software-development", 1),
        (NAME, 1),
        ("us-shared-services-portfolio", 1),
        ("windows-offshore-plant", 1),
    ]

    raised = raised_rate(tmp_path)
    note = "Monterrey quotes 21 USD"
    saved = ok(db, "scenario", "save", str(raised), "--name", NAME, "--note", note)
    assert saved.startswith(f"saved {NAME} v2")
    again = ok(db, "scenario", "save", str(raised), "--name", NAME)
    assert again.strip() == f"{NAME}: unchanged: identical to v2"
    versions = ok(db, "scenario", "show", NAME)
    assert "v2" in versions
    assert note in " ".join(versions.split())
    assert ok(db, "scenario", "show", NAME, "--version", "1") == US.read_text("utf-8")

    diff = json.loads(ok(db, "scenario", "diff", NAME, "1", "2", "-f", "json"))
    changes = {c["path"].rsplit(".", 1)[-1]: c for c in diff["changes"]}
    assert sorted(changes) == ["high", "mode"]
    mode = changes["mode"]
    assert mode["path"].startswith(f"functions[Customer service].options[{MEXICAN}]")
    assert (mode["before"], mode["after"], mode["line_before"], mode["line_after"]) == (
        18,
        21,
        197,
        197,
    )
    assert mode["source_after"] == "assumption: RFP spread around the 18 USD above"
    shown = ok(db, "scenario", "diff", NAME, "1", "2")
    assert f"{mode['path']}\n  18.0 → 21.0\n  line 197; source: assumption: RFP" in shown

    first = ok(db, "run", "start", NAME, "--version", "1", *DRAWS)
    second = ok(db, "run", "start", NAME, *DRAWS)
    assert first.startswith(f"run 1: {NAME} v1, 200 draws, seed 7 (draft)")
    assert second.startswith(f"run 2: {NAME} v2, 200 draws, seed 7 (draft)")
    assert "Customer service: Build-operate-transfer Manila, saves" in second

    comparison = json.loads(ok(db, "run", "compare", "1", "2", "-f", "json"))
    assert comparison["recommendations"][0]["changed"] is False
    mexican = next(o for o in comparison["options"] if o["option"] == MEXICAN)
    assert mexican["saving_change"] < 0
    assert len(comparison["changes"]) == 2
    top = comparison["drivers"][0]
    assert top["input"] == f"Customer service / {MEXICAN} / hourly_rate"
    assert top["option"] == MEXICAN
    assert top["estimated_effect"] < 0
    assert comparison["drivers_note"].startswith("First-order estimates")
    compared = " ".join(ok(db, "run", "compare", "1", "2").split())
    assert "Drivers (first-order estimates)" in compared
    assert "First-order estimates:" in compared

    assert ok(db, "run", "propose", "2", "--note", "for the board").strip() == (
        f"run 2 ({NAME} v2) proposed by ana"
    )
    add_approver(db)
    approved = ok(db, "run", "approve", "2", "--comment", "Go", actor="cfo")
    assert approved.strip() == f"run 2 ({NAME} v2) approved by cfo"
    shown = " ".join(ok(db, "run", "show", "2").split())
    assert "Status approved" in shown
    assert "Proposed by ana on" in shown
    assert "for the board" in shown
    assert set(json.loads(ok(db, "run", "show", "2", "-f", "json"))) == {"decision", "simulation"}
    runs = json.loads(ok(db, "run", "list", "--scenario", NAME, "-f", "json"))
    assert [(r["id"], r["status"]) for r in runs] == [(2, "approved"), (1, "draft")]

    ok(db, "engagement", "add", str(GOVERNANCE / "engagement.yaml"))
    ok(db, "costs", "add", str(GOVERNANCE / "costs.csv"))
    before = ok(db, "benefits", "-e", ENGAGED)
    assert "no approved case is linked" in " ".join(before.split())
    linked = ok(
        db, "engagement", "link", ENGAGED, "--scenario", NAME, "--version", "2",
        "--option", MEXICAN,
    )  # fmt: skip
    label = f"{NAME} v2, run 2, approved by cfo on "
    assert linked.startswith(f"{ENGAGED} is governed against {label}")
    assert linked.strip().endswith(f"Customer service / {MEXICAN}")
    report = json.loads(ok(db, "benefits", "-e", ENGAGED, "-f", "json"))
    assert report["planned_case"].startswith(label)
    assert report["months"]
    assert f"Plan: the approved case {label}" in " ".join(ok(db, "benefits", "-e", ENGAGED).split())

    logged = json.loads(ok(db, "log", "-f", "json", "--limit", "1000"))
    kinds = {e["entity"] for e in logged}
    assert {"scenario", "scenario_version", "decision_run", "engagement_case", "user"} <= kinds


def test_a_run_is_verified_reported_and_exported_and_a_changed_result_refused(
    db: str, engine: Engine, tmp_path: Path
) -> None:
    ok(db, "scenario", "save", str(US))
    ok(db, "run", "start", NAME, *DRAWS)
    assert ok(db, "run", "verify", "1").startswith(f"run 1 ({NAME} v1): identical (sha256 ")

    page = tmp_path / "case.html"
    ok(db, "run", "report", "1", "--out", str(page))
    html = page.read_text("utf-8")
    assert f"Decision run 1 of {NAME} v1 · draft, not proposed for approval" in html
    assert "result reproduced" in html
    assert f"<code>{NAME} v1</code>" in html

    book = tmp_path / "run.xlsx"
    ok(db, "run", "export", "1", "--out", str(book))
    about = dict(load_workbook(book)["about"].iter_rows(values_only=True))
    assert (about["decision run"], about["scenario version"], about["status"]) == (
        1,
        f"{NAME} v1",
        "draft",
    )
    assert len(str(about["result digest (sha256)"])) == 64

    with engine.begin() as connection:  # as if the stored result had been altered
        connection.execute(text("UPDATE decision_runs SET result_digest = :d"), {"d": "0" * 64})
    verified = refused(db, "run", "verify", "1")
    assert f"run 1 ({NAME} v1): NOT identical: stored sha256 {'0' * 64}" in verified
    assert "the software and the data are the versions the run used" in verified
    other = tmp_path / "other.html"
    assert "Nothing written; --force" in refused(db, "run", "report", "1", "--out", str(other))
    assert not other.exists()
    ok(db, "run", "report", "1", "--out", str(other), "--force")
    assert "RESULT DIFFERS FROM THE STORED RUN" in other.read_text("utf-8")


def test_unknown_names_get_a_did_you_mean(db: str) -> None:
    ok(db, "scenario", "save", str(US))
    shown = refused(db, "scenario", "show", "us-customer-servce")
    assert f"no saved scenario named 'us-customer-servce' (did you mean '{NAME}'?)" in shown
    assert "has versions 1 to 1, not 3" in refused(db, "scenario", "diff", NAME, "1", "3")
    assert "no decision run 9" in refused(db, "run", "show", "9")
    assert "known: none yet" in refused(db, "engagement", "link", "Nowhere", "--run", "1")
    empty = refused(db, "run", "list", "--scenario", "nothing")
    assert "no saved scenario named 'nothing'" in empty


def test_an_invalid_file_is_not_saved_and_each_problem_named(db: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(US.read_text("utf-8").replace("discount_rate: 0.08", "discount_rate: lots"))
    problems = refused(db, "scenario", "save", str(broken))
    assert f"{broken} is not valid; nothing saved: 1 problem" in problems
    assert f"{broken}:51: company.discount_rate: Input should be a valid number" in problems
    missing = refused(db, "scenario", "save", str(tmp_path / "missing.yaml"))
    assert "missing.yaml: cannot read the file" in missing
    assert json.loads(ok(db, "scenario", "list", "-f", "json")) == []


def test_checkout_writes_the_text_as_saved_and_never_overwrites_unasked(
    db: str, tmp_path: Path
) -> None:
    ok(db, "scenario", "save", str(US), "--name", "US")
    out = tmp_path / "checked-out.yaml"
    out.write_text("mine\n")
    assert "give --force to overwrite it" in refused(
        db, "scenario", "checkout", "US", "-o", str(out)
    )
    assert out.read_text() == "mine\n"
    ok(db, "scenario", "checkout", "US", "-o", str(out), "--force")
    assert out.read_bytes() == US.read_bytes()


def test_four_eyes_and_who_may_approve(db: str) -> None:
    ok(db, "scenario", "save", str(US), "--private")
    ok(db, "run", "start", NAME, "--draws", "0")
    ok(db, "engagement", "add", str(GOVERNANCE / "engagement.yaml"))
    assert "is draft; only an approved run" in refused(
        db, "engagement", "link", ENGAGED, "--run", "1"
    )
    add_approver(db)
    add_approver(db, "cto")
    ok(db, "run", "propose", "1", actor="cfo")
    own = refused(db, "run", "approve", "1", "--comment", "mine", actor="cfo")
    assert "cfo proposed run 1 (us-customer-service v1); another approver must review it" in own
    assert "ana may not approve" in refused(db, "run", "approve", "1", "--comment", "ok")
    no_reason = refused(db, "run", "reject", "1", "--comment", " ", actor="cto")
    assert "needs a comment saying why" in no_reason
    rejected = ok(db, "run", "reject", "1", "--comment", "Mexican quote missing", actor="cto")
    assert rejected.strip() == f"run 1 ({NAME} v1) rejected by cto"
    assert "is rejected; only a proposed run" in refused(
        db, "run", "approve", "1", "--comment", "after all", actor="cfo"
    )
    assert "was decided without draws" in refused(db, "run", "report", "1", "-o", "x.html")
    link = refused(db, "engagement", "link", ENGAGED, "--run", "1")
    assert "is rejected; only an approved run can govern an engagement" in link
    assert "give --run ID" in refused(db, "engagement", "link", ENGAGED, code=2)

    provider = "Monterrey bilingual BPO"
    refusal = refused(
        db, "user", "add", "pat", "--role", "provider", "--provider", provider, "--approver"
    )
    assert "a provider user cannot approve business cases" in refusal
    ok(
        db,
        "user",
        "add",
        "pat",
        "--role",
        "provider",
        "--provider",
        provider,
        "--password",
        PASSWORD,
    )
    granted = refused(db, "user", "approver", "pat", "--grant")
    assert "'pat' is a provider user: a provider user cannot approve" in granted
    assert (
        ok(db, "user", "approver", "cto", "--revoke").strip()
        == "'cto' may not approve business cases"
    )
    assert "cfo: viewer, approver;" in ok(db, "user", "list")
    entries = json.loads(ok(db, "log", "--entity", "user", "-f", "json"))
    assert entries[0]["before"] == {"approver": True}
    assert entries[0]["after"] == {"approver": False}


def test_sharing_takes_one_of_team_and_private(db: str) -> None:
    ok(db, "scenario", "save", str(US), "--private")
    assert json.loads(ok(db, "scenario", "list", "-f", "json"))[0]["sharing"] == "private"
    refused(db, "scenario", "share", NAME, code=2)
    assert ok(db, "scenario", "share", NAME, "--team").strip() == f"{NAME} is shared with the team"
    assert json.loads(ok(db, "scenario", "list", "-f", "json"))[0]["sharing"] == "team"
