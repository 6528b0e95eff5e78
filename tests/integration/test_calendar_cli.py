"""``sourcewise engagement calendar`` and the contract columns of ``engagement list`` on the
governance example (MSA to 2030-12-31, SOW to 2028-12-31 renewing yearly, 3 months' notice)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.reports.governance_documents import CalendarDocument

GOV = Path(__file__).resolve().parents[2] / "examples" / "governance"
runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    for args in (
        ["db", "upgrade", "--db", url],
        ["engagement", "add", str(GOV / "engagement.yaml"), "--db", url],
        ["costs", "add", str(GOV / "costs.csv"), "--db", url],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return url


def calendar(db: str, *args: str) -> str:
    result = runner.invoke(app, ["engagement", "calendar", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_calendar_as_text_by_month(db: str) -> None:
    text = calendar(db, "--from", "2028-09-01", "--to", "2028-12-31", "--as-of", "2028-10-05")
    assert "Contract calendar 2028-09-01 to 2028-12-31 (as of 2028-10-05" in text
    assert "September 2028" in text
    assert "2028-09-30  Notice deadline  OVERDUE  Customer service Monterrey · SOW-01" in text
    assert "December 2028" in text
    assert "2028-12-31  Renewal  due soon" in text


def test_the_calendar_as_json_rolls_the_renewal_forward_to_the_masters_end(db: str) -> None:
    data = json.loads(
        calendar(
            db, "--from", "2029-01-01", "--to", "2031-12-31", "--as-of", "2029-01-01", "-f", "json"
        )
    )
    CalendarDocument.model_validate(data)  # the API's /calendar answers the same document
    dates = [(d["date"], d["kind"], d["contract"]) for d in data["dates"]]
    assert dates == [
        ("2029-09-30", "notice_deadline", "SOW-01"),
        ("2029-12-31", "renewal", "SOW-01"),
        ("2030-03-31", "benchmarking", "MSA-2025-014"),
        ("2030-06-30", "notice_deadline", "MSA-2025-014"),
        ("2030-09-30", "notice_deadline", "SOW-01"),
        ("2030-12-31", "end", "MSA-2025-014"),
        # A statement of work does not outlive its master: no renewal past 2030-12-31.
        ("2030-12-31", "end", "SOW-01"),
        ("2031-06-30", "termination_assistance_end", "MSA-2025-014"),
    ]
    assert data["dates"][0]["state"] == "upcoming"


def test_the_calendar_as_an_icalendar_file(db: str, tmp_path: Path) -> None:
    out = tmp_path / "contracts.ics"
    calendar(db, "--from", "2028-09-30", "--to", "2028-09-30", "--ics", str(out), "-f", "json")
    body = out.read_bytes().decode()
    assert body.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20280930\r\nDTEND;VALUE=DATE:20281001\r\n" in body
    assert "SUMMARY:Notice deadline: SOW-01 (Customer service Monterrey)\r\n" in body


def test_a_window_ending_before_it_starts_is_an_error(db: str) -> None:
    result = runner.invoke(
        app, ["engagement", "calendar", "--db", db, "--from", "2029-01-01", "--to", "2028-01-01"]
    )
    assert result.exit_code == 1
    assert "before it starts" in result.output


def test_the_list_shows_contract_end_notice_deadline_and_spend(db: str) -> None:
    result = runner.invoke(app, ["engagement", "list", "--db", db, "-f", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["contract_value"] == "11664000"
    assert row["spend_to_date"] == "2754000"
    assert row["notice_deadline"]["contract"] == "SOW-01"


def test_the_sample_in_the_governance_docs_is_the_real_output(db: str) -> None:
    docs = (GOV.parents[1] / "docs" / "governance.md").read_text()
    section = docs[docs.index("## Contract calendar") :]
    sample = section[
        section.index("```text\n") + 8 : section.index("\n```", section.index("```text"))
    ]
    text = calendar(db, "--from", "2028-09-01", "--to", "2028-12-31", "--as-of", "2028-10-05")
    lines = "\n".join(line.rstrip() for line in text.splitlines())
    assert sample in lines


def test_one_engagement_by_name_and_an_unknown_one(db: str) -> None:
    one = calendar(
        db, "-e", "Customer service Monterrey", "--from", "2027-01-01", "--to", "2027-01-01"
    )
    assert "Price review" in one
    result = runner.invoke(app, ["engagement", "calendar", "--db", db, "-e", "Customer service"])
    assert result.exit_code == 1
    assert "no engagement named 'Customer service'" in result.output
