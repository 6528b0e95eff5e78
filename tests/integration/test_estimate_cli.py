"""`sourcewise estimate` and `sourcewise scenario new` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app, estimate_commands
from sourcewise.reports.estimate_document import CostEstimateDocument

runner = CliRunner()
US_SERVICE = [
    "--home",
    "US",
    "--role",
    "Customer Service Representatives",
    "--country",
    "PH",
    "--country",
    "IN",
    "--fte",
    "120",
]
NEW_FLAGS = [
    "--company",
    "Northwind Retail",
    "--home",
    "US",
    "--role",
    "Customer Service Representatives",
    "--fte",
    "120",
    "-c",
    "PH",
    "-c",
    "IN",
    "-c",
    "MX",
    "--data-sensitivity",
    "personal",
    "-l",
    "en",
    "-l",
    "es",
    "--overlap",
    "8",
]


def test_estimate_table_shows_the_bls_figures_and_numbered_sources() -> None:
    result = runner.invoke(app, ["estimate", *US_SERVICE], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Customer Service Representatives (SOC 43-4051)" in out
    assert "mean 43,520 · P10 29,560 · P25 34,780 · median 39,680 · P75 48,480 · P90 61,250" in out
    assert "Philippines (PH), candidate, pay data 2022" in out
    assert "[1] BLS OEWS May 2023 43-4051" in out
    assert "ILO EAR_4MTH PH 2022: 811.12 PPP$/month × PPP 19.0785 / rate 54.4778" in out


def test_estimate_json_is_the_documented_shape(tmp_path: Path) -> None:
    out = tmp_path / "estimate.json"
    result = runner.invoke(
        app,
        ["estimate", *US_SERVICE, "--given", "PH.hourly_rate=11", "-f", "json", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    document = CostEstimateDocument.model_validate_json(out.read_text(encoding="utf-8"))
    assert [c.country for c in document.countries] == ["US", "PH", "IN"]
    home = document.countries[0]
    assert home.market_pay is not None
    assert home.market_pay.mean == 43_520
    ph = document.countries[1]
    rate = next(line for line in ph.lines if line.key == "hourly_rate")
    assert (rate.mean, rate.given) == (11.0, True)
    assert ph.vendor_hourly_rate == 11.0


def test_estimate_search_lists_roles() -> None:
    result = runner.invoke(app, ["estimate", "--search", "software developers", "-f", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found[0]["soc_code"] == "15-1252"
    assert found[0]["mean"] == 138_110


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--home", "US", "--role", "zzz qqq"], "role: 'zzz qqq' is not an occupation"),
        (["--home", "XX"], "home: 'XX' is not an ISO"),
        (["--home", "US", "--given", "PH.hourly_rate"], "--given 'PH.hourly_rate': write"),
        (["--home", "US", "--given", "PH.rate=11"], "given: 'PH.rate' is not an estimated"),
        (["--role", "43-4051"], "--home is needed"),
    ],
)
def test_estimate_refusals_name_the_field(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["estimate", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_scenario_new_with_flags_only_writes_a_scenario_that_decide_runs(tmp_path: Path) -> None:
    out = tmp_path / "northwind.yaml"
    result = runner.invoke(app, ["scenario", "new", "--out", str(out), *NEW_FLAGS])
    assert result.exit_code == 0, result.output
    assert "7 options:" in result.output
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0
    decided = runner.invoke(app, ["decide", str(out), "--format", "json", "--draws", "200"])
    assert decided.exit_code == 0, decided.output
    document = json.loads(decided.output)
    assert len(document["functions"][0]["options"]) == 8  # the status quo and seven options


def test_scenario_new_keeps_an_existing_file_and_refuses_missing_answers(tmp_path: Path) -> None:
    out = tmp_path / "kept.yaml"
    out.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["scenario", "new", "--out", str(out), *NEW_FLAGS])
    assert result.exit_code == 1
    assert "exists; use --force" in result.output
    assert out.read_text(encoding="utf-8") == "mine"
    missing = runner.invoke(app, ["scenario", "new", "--out", str(tmp_path / "x.yaml")])
    assert missing.exit_code == 1
    assert "--company is needed" in missing.output
    assert not (tmp_path / "x.yaml").exists()
    bad = runner.invoke(
        app, ["scenario", "new", "--out", str(tmp_path / "y.yaml"), *NEW_FLAGS, "-l", "english"]
    )
    assert bad.exit_code == 1
    assert "languages" in bad.output
    assert not (tmp_path / "y.yaml").exists()


def test_scenario_new_prompts_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(estimate_commands, "_interactive", lambda: True)
    out = tmp_path / "asked.yaml"
    result = runner.invoke(
        app,
        ["scenario", "new", "--out", str(out), "--role", "43-4051"],
        input="Prompted Co\nUS\n40\nPH,MX\n",
    )
    assert result.exit_code == 0, result.output
    assert "Company name" in result.output
    text = out.read_text(encoding="utf-8")
    assert 'name: "Prompted Co"' in text
    assert "country: MX" in text


def test_scenario_new_can_save_into_the_workspace(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'ws.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    out = tmp_path / "northwind.yaml"
    result = runner.invoke(
        app, ["scenario", "new", "--out", str(out), *NEW_FLAGS, "--save", "--db", db]
    )
    assert result.exit_code == 0, result.output
    assert "saved northwind v1" in result.output
    listed = runner.invoke(app, ["scenario", "list", "--db", db, "--format", "json"])
    assert "northwind" in listed.output


def test_the_sample_in_the_docs_is_what_the_command_prints() -> None:
    docs = Path(__file__).parents[2] / "docs/estimates.md"
    text = docs.read_text(encoding="utf-8")
    marker = "<!-- sample: estimate "
    start = text.index(marker)
    args = text[start + len(marker) : text.index(" -->", start)]
    block = text.index("```text\n", start) + len("```text\n")
    sample = text[block : text.index("```", block)]
    import shlex

    result = runner.invoke(app, ["estimate", *shlex.split(args)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    printed = "".join(line.rstrip() + "\n" for line in result.output.splitlines())
    assert sample == printed, "docs/estimates.md: paste the command's output again"
