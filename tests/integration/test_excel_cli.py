"""``sourcewise scenario template|import|export`` and ``decide --format xlsx`` end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from sourcewise.adapters.scenario_schema import ScenarioModel
from sourcewise.adapters.yaml_source import read_yaml
from sourcewise.cli import app
from sourcewise.reports.decision_workbook import result_workbook_bytes

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
US = ROOT / "examples/us-customer-service.yaml"
runner = CliRunner()


def _dump(path: Path) -> dict[str, object]:
    return ScenarioModel.model_validate(read_yaml(path).data).model_dump()


def test_template_writes_the_input_sheets(tmp_path: Path) -> None:
    out = tmp_path / "scenario.xlsx"
    result = runner.invoke(app, ["scenario", "template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert {"README", "company", "functions", "options", "parts", "portfolio"} <= set(
        book.sheetnames
    )
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.xlsx"], "no temporary file left"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_export_then_import_gives_the_same_scenario(example: Path, tmp_path: Path) -> None:
    workbook, back = tmp_path / "scenario.xlsx", tmp_path / "scenario.yaml"
    exported = runner.invoke(app, ["scenario", "export", str(example), "-o", str(workbook)])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(app, ["scenario", "import", str(workbook), "-o", str(back)])
    assert imported.exit_code == 0, imported.output
    assert _dump(back) == _dump(example)
    assert runner.invoke(app, ["validate", str(back)]).exit_code == 0


def test_import_reports_every_problem_with_sheet_cell_and_field(tmp_path: Path) -> None:
    workbook = tmp_path / "scenario.xlsx"
    runner.invoke(app, ["scenario", "export", str(US), "-o", str(workbook)])
    book = load_workbook(workbook)
    book["functions"]["B2"] = "call_centre"  # kind
    book["company"]["B3"] = "USA"  # home_country
    book.save(workbook)
    result = runner.invoke(app, ["scenario", "import", str(workbook)])
    assert result.exit_code == 1
    assert "2 problems" in result.output
    assert "company!B3: company.home_country: unknown country code 'USA'" in result.output
    assert "use the two-letter code 'US'" in result.output
    assert "functions!B2: functions[0].kind:" in result.output


def test_export_of_an_invalid_scenario_fails_with_its_lines(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(US.read_text(encoding="utf-8").replace("kind: customer_service", "kind: x"))
    result = runner.invoke(app, ["scenario", "export", str(broken), "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 1
    assert "functions[0].kind" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_decide_xlsx_needs_out() -> None:
    result = runner.invoke(app, ["decide", str(US), "--format", "xlsx"])
    assert result.exit_code == 2
    assert "--out" in result.output


def test_commands_without_a_workbook_view_reject_xlsx() -> None:
    result = runner.invoke(app, ["simulate", str(US), "--format", "xlsx"])
    assert result.exit_code == 2
    assert "xlsx" in result.output


def test_decide_xlsx_has_a_sheet_per_view_matching_the_json(tmp_path: Path) -> None:
    out = tmp_path / "results.xlsx"
    args = ["decide", str(US), "--draws", "300", "--seed", "7"]
    result = runner.invoke(app, [*args, "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    book = load_workbook(out)
    assert book.sheetnames == [
        "summary",
        "options",
        "components",
        "rules",
        "dimensions",
        "locations",
        "mcda",
        "criteria",
        "simulation",
        "tornado",
        "about",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row > 1, f"{sheet.title} is empty"
    function = data["functions"][0]
    summary = book["summary"]
    assert summary["A2"].value == function["name"]
    assert summary["E2"].value == function["recommendation"]["option"]
    assert summary["D2"].value == function["status_quo_npv"]
    assert summary["D2"].number_format == "#,##0.00"
    options = {row[1]: row for row in book["options"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["options"][1]]
    for option in function["options"]:
        row = options[option["name"]]
        assert row[header.index("TCO NPV")] == option["npv_cost"]
        assert row[header.index("price NPV")] == option["price_npv"]
        assert row[header.index("savings vs status quo")] == option["savings_vs_status_quo"]
        assert row[header.index("arrangement")] == option["label"]
    simulated = function["options"][1]["npv_cost_distribution"]
    rows = list(book["simulation"].iter_rows(min_row=2, values_only=True))
    tco = next(r for r in rows if r[1] == function["options"][1]["name"] and r[2] == "TCO NPV")
    assert tco[3:8] == (
        simulated["mean"],
        simulated["sd"],
        simulated["p10"],
        simulated["p50"],
        simulated["p90"],
    )
    ranks = {r[1]: r[2] for r in book["mcda"].iter_rows(min_row=2, values_only=True)}
    assert ranks == function["mcda"]["consensus_mean_rank"]
    rules = book["rules"]
    header = [c.value for c in rules[1]]
    assert header[-2:] == ["passage", "source"]
    quoted = [(r["passage"], r["article"]) for o in function["options"] for r in o["rules"]]
    assert [row[-2:] for row in rules.iter_rows(min_row=2, values_only=True)] == quoted


def test_rules_sheet_of_a_stored_result_without_article_names_it_from_its_number() -> None:
    """Runs stored before ``article`` was added carry only ``seed_article``."""
    data = json.loads(runner.invoke(app, ["decide", str(US), "--draws", "0", "-f", "json"]).output)
    for function in data["functions"]:
        for option in function["options"]:
            for rule in option["rules"]:
                del rule["article"]
    book = load_workbook(io.BytesIO(result_workbook_bytes({"decision": data})))
    sources = {row[-1] for row in book["rules"].iter_rows(min_row=2, values_only=True)}
    assert "BusinessVert, “Outsourcing vs offshoring”" in sources
    assert not any(s.isdigit() for s in sources)


def test_decide_xlsx_summary_shows_the_cross_check_beside_the_recommendation(
    tmp_path: Path,
) -> None:
    out = tmp_path / "results.xlsx"
    args = ["decide", str(US), "--draws", "0"]
    assert runner.invoke(app, [*args, "--format", "xlsx", "--out", str(out)]).exit_code == 0
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    rows = load_workbook(out)["summary"].iter_rows(values_only=True)
    header = list(next(rows))
    assert header[header.index("reasons") + 1 :] == [
        "cross-check method",
        "cross-check option",
        "cross-check agrees",
        "cross-check reason",
    ]
    for function, row in zip(data["functions"], rows, strict=True):
        check = function["recommendation"]["cross_check"]
        assert check is not None
        shown = dict(zip(header, row, strict=True))
        assert shown["cross-check method"] == check["method"]
        assert shown["cross-check option"] == check["option"]
        assert shown["cross-check agrees"] is check["agrees"]
        assert shown["cross-check reason"] == check["reason"]
