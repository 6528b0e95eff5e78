"""The command line end to end, through Typer's runner."""

import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise import api
from sourcewise.cli import app
from sourcewise.domain.articles import article

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
runner = CliRunner()

BROKEN = """\
company:
  name: Acme
  home_country: USA
functions:
  - name: Support
    kind: it_support
    fte: -1
    current_annual_cost: 100
    options:
      - name: Vendor
        employer: third_party
        country: IN
        hourly_rte: 20
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_examples_exist() -> None:
    names = {p.name for p in EXAMPLES}
    assert {
        "us-customer-service.yaml",
        "de-software-development.yaml",
        "windows-offshore-plant.yaml",
    } <= names


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_validates_and_decides(example: Path) -> None:
    assert runner.invoke(app, ["validate", str(example)]).exit_code == 0
    result = runner.invoke(app, ["decide", str(example), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for function in data["functions"]:
        names = [o["name"] for o in function["options"]]
        assert function["recommendation"]["option"] in names
        assert function["options"][0]["status_quo"] is True


def test_validate_reports_every_problem_with_line(tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "4 problems" in result.output  # the typo also leaves hourly_rate missing
    assert f"{path}:3: company.home_country: unknown country code 'USA'" in result.output
    assert f"{path}:7: functions[0].fte:" in result.output
    assert f"{path}:13: functions[0].options[0].hourly_rte: unknown field" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"a: [1,\n", "invalid YAML"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"- a\n- b\n", "expected a mapping"),
    ],
)
def test_bad_files_never_show_a_traceback(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    for command in ("validate", "decide"):
        result = runner.invoke(app, [command, str(path)])
        assert result.exit_code == 1
        assert message in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_says_where_a_file_stops_being_utf8(tmp_path: Path) -> None:
    """The same words as the web editor and the API (a Latin-1 'é' on line 2)."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"company:\n  name: Caf\xe9 Ltd\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"{path}:2: not UTF-8 text: the first bad byte, 0xe9, is at line 2, column 12"
        " (byte offset 20)"
    ) in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["decide", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 1
    assert "cannot read the file" in result.output


def test_schema_is_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"company", "functions"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("work", "employer", "expected"),
    [
        ("US", "own", "in-house"),
        ("US", "third-party", "domestic outsourcing"),
        ("PH", "own", "captive offshoring"),
        ("PH", "third-party", "offshore outsourcing"),
        ("MX", "third-party", "offshore outsourcing (nearshore)"),
        ("CA", "own", "captive offshoring (nearshore)"),
    ],
)
def test_classify_every_cell(work: str, employer: str, expected: str) -> None:
    args = ["classify", "--home", "US", "--work-country", work, "--employer", employer]
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == expected


def test_classify_json_and_build_operate_transfer() -> None:
    args = ["classify", "--home", "DE", "--work-country", "in", "--employer", "third-party"]
    result = runner.invoke(app, [*args, "--transfer-month", "24", "--json"])
    data = json.loads(result.output)
    assert data["arrangement"] == "offshore outsourcing"
    assert data["becomes"] == "captive offshoring"
    assert data["build_operate_transfer"] is True
    assert "month 24" in data["reason"]


def test_classify_unknown_country() -> None:
    args = ["classify", "--home", "XX", "--work-country", "PH", "--employer", "own"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "--home: unknown country code 'XX'" in result.output


def test_classify_bad_employer_is_a_usage_error() -> None:
    args = ["classify", "--home", "US", "--work-country", "PH", "--employer", "vendor"]
    assert runner.invoke(app, args).exit_code == 2


def test_decide_table_shows_comparison_and_recommendation() -> None:
    result = runner.invoke(app, ["decide", str(ROOT / "examples/us-customer-service.yaml")])
    assert result.exit_code == 0
    for text in (
        "Options compared",
        "Status quo",
        "Recommendation:",
        "Strategic-fit rules",
        "Cross-check (multi-criteria consensus):",
    ):
        assert text in result.output


@pytest.mark.parametrize(
    ("flag", "keys"),
    [
        ("--decision", {"functions"}),
        ("--simulation", {"uncertain_inputs", "functions"}),
        ("--plan", {"choices", "uniform"}),
    ],
)
def test_schema_of_a_commands_json(flag: str, keys: set[str]) -> None:
    """Each JSON output has a published schema (every example's output validates against it:
    test_json_documents.py; every key is documented: test_docs.py)."""
    schema = json.loads(runner.invoke(app, ["schema", flag]).output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    header = {"schema_version", "sourcewise_version", "scenario", "company", "simulation"}
    assert header | keys <= set(schema["required"])
    assert schema["properties"]["schema_version"]["const"] == "2.3.0"
    assert schema["additionalProperties"] is False


def test_schema_takes_one_document_at_a_time() -> None:
    result = runner.invoke(app, ["schema", "--decision", "--plan"])
    assert result.exit_code == 2
    assert "at most one of --decision, --simulation and --plan" in result.output


def test_decide_json_is_the_api_decision_byte_for_byte() -> None:
    example = ROOT / "examples/us-customer-service.yaml"
    result = runner.invoke(app, ["decide", str(example), "--format", "json", "--seed", "7"])
    assert result.exit_code == 0, result.output
    decision = api.decide(api.load_scenario(example), seed=7)
    expected = json.dumps(api.decision_to_dict(decision), indent=2, ensure_ascii=False)
    assert result.stdout == expected + "\n"
    for function in decision.functions:  # one answer, cross-checked
        check = function.recommendation.cross_check
        assert check is not None
        assert check.agrees is (check.option == function.recommendation.option)


def test_decide_writes_html_atomically(tmp_path: Path) -> None:
    out = tmp_path / "decision.html"
    example = str(ROOT / "examples/de-software-development.yaml")
    result = runner.invoke(app, ["decide", example, "--format", "html", "--out", str(out)])
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "Recommendation:" in html
    assert "Cross-check (multi-criteria consensus):" in html
    assert "captive offshoring" in html
    assert "Where the work would be done" in html
    assert "Multi-criteria ranks" in html
    assert "Poland" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external resources"
    assert [p.name for p in tmp_path.iterdir()] == ["decision.html"]


def test_decide_names_the_articles_its_rules_quote(tmp_path: Path) -> None:
    """Every output names the article a rule quotes as a reader would, never by file number."""
    example = str(ROOT / "examples/us-customer-service.yaml")
    data = json.loads(runner.invoke(app, ["decide", example, "-f", "json", "--draws", "0"]).output)
    rules = [r for o in data["functions"][0]["options"] for r in o["rules"]]
    assert rules
    for rule in rules:
        assert rule["article"] == article(rule["seed_article"]).cited
    table = runner.invoke(app, ["decide", example, "--draws", "0"], env={"COLUMNS": "160"})
    assert "Source" in table.output
    assert "BusinessVert" in table.output
    assert "Untitled web explainer" in table.output
    out = tmp_path / "decision.html"
    runner.invoke(app, ["decide", example, "--draws", "0", "-f", "html", "--out", str(out)])
    # The names link to the passage in the page's sources section.
    html = re.sub(r"<a [^>]*>|</a>", "", unescape(out.read_text(encoding="utf-8")))
    assert "(BusinessVert, “Outsourcing vs offshoring”)" in html
    explainer = "an untitled web explainer on outsourcing vs offshoring and when to choose which"
    assert f"({explainer})" in html
    assert "Sara Schmidt, “What is the Difference Between Outsourcing and Offshoring?”" in html
    assert not re.search(r"seed (passage|article|00\d)", html, re.IGNORECASE)


def test_decide_into_missing_directory_fails_cleanly(tmp_path: Path) -> None:
    example = str(ROOT / "examples/us-customer-service.yaml")
    out = tmp_path / "no" / "such" / "dir.json"
    result = runner.invoke(app, ["decide", example, "-f", "json", "-o", str(out)])
    assert result.exit_code == 1
    assert "cannot write" in result.output


def test_scenario_indicator_overrides_reach_decide(tmp_path: Path) -> None:
    example = (ROOT / "examples/us-customer-service.yaml").read_text(encoding="utf-8")
    override = (
        "\nindicators:\n"
        "  - country: PH\n    indicator: wgi_pv_est\n    value: -2.5\n    year: 2025\n"
        "    source: analyst view after an election\n"
    )
    path = write(tmp_path, example + override)
    plain = json.loads(
        runner.invoke(
            app, ["decide", str(ROOT / "examples/us-customer-service.yaml"), "-f", "json"]
        ).output
    )
    changed = json.loads(runner.invoke(app, ["decide", str(path), "-f", "json"]).output)

    def philippines(data: dict) -> dict:  # type: ignore[type-arg]
        return data["functions"][0]["locations"]["PH"]  # type: ignore[no-any-return]

    assert philippines(changed)["indicators"]["wgi_pv_est"] == {
        "value": -2.5,
        "year": 2025,
        "source": "scenario: analyst view after an election",
    }
    assert philippines(changed)["score"] < philippines(plain)["score"]

    def political_weight(data: dict, option: str) -> float:  # type: ignore[type-arg]
        found = next(o for o in data["functions"][0]["options"] if o["name"] == option)
        return next(r["weight"] for r in found["rules"] if r["id"] == "political-economic")

    option = "Captive Manila (night shift)"
    assert political_weight(changed, option) < political_weight(plain, option)


def test_the_start_year_is_stated_with_the_results(tmp_path: Path) -> None:
    text = (ROOT / "examples/us-customer-service.yaml").read_text(encoding="utf-8")
    given = runner.invoke(app, ["decide", str(write(tmp_path, text)), "-f", "json"])
    assert given.exit_code == 0
    company = json.loads(given.stdout)["company"]
    assert (company["start_year"], company["start_year_given"]) == (2026, True)
    # Without it the run's year is used, stored in the document and said in the table.
    path = write(tmp_path, text.replace("  start_year: 2026\n", ""), "no-year.yaml")
    loose = json.loads(runner.invoke(app, ["decide", str(path), "-f", "json"]).stdout)
    assert loose["company"]["start_year"] == date.today().year
    assert loose["company"]["start_year_given"] is False
    table = runner.invoke(app, ["decide", str(path)], terminal_width=200)
    assert "the year of this run" in table.stdout
