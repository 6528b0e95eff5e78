"""`sourcewise rank` on a matrix the analyst brings."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app

runner = CliRunner()
MATRIX = "option,cost,quality,risk\nA,100,7,0.2\nB,80,6,0.4\nC,120,9,0.1\n"


@pytest.fixture
def matrix(tmp_path: Path) -> Path:
    path = tmp_path / "m.csv"
    path.write_text(MATRIX, encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["wsm", "wpm", "topsis", "vikor", "promethee", "electre"])
def test_every_method_ranks_all_alternatives(matrix: Path, method: str) -> None:
    args = ["rank", str(matrix), "--method", method, "--weights", "0.2,0.3,0.5"]
    result = runner.invoke(app, [*args, "--directions=-1,1,-1", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(a["name"] for a in data["alternatives"]) == ["A", "B", "C"]
    assert data["alternatives"][0]["rank"] == 1
    assert data["weights"] == [0.2, 0.3, 0.5]


def test_dominating_alternative_wins_with_derived_weights(matrix: Path) -> None:
    # C has the best quality and the lowest risk; make it the cheapest too.
    matrix.write_text(MATRIX.replace("C,120", "C,70"), encoding="utf-8")
    for weights in ("entropy", "critic", "merec"):
        args = ["rank", str(matrix), "--weights", weights, "--directions=-1,1,-1", "-f", "json"]
        data = json.loads(runner.invoke(app, args).stdout)
        assert data["alternatives"][0]["name"] == "C", weights
        assert sum(data["weights"]) == pytest.approx(1.0, abs=1e-5)  # rounded to 6 places


def test_bad_options_and_files(matrix: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["rank", str(matrix), "--weights", "1,2"])
    assert result.exit_code == 1
    assert "--weights: gives 2 values for 3 criteria" in result.output
    result = runner.invoke(app, ["rank", str(matrix), "--directions", "x"])
    assert result.exit_code == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("option,cost\nA,cheap\n", encoding="utf-8")
    result = runner.invoke(app, ["rank", str(bad)])
    assert result.exit_code == 1
    assert "'cheap' is not a number" in result.output
    assert runner.invoke(app, ["rank", str(matrix), "--method", "magic"]).exit_code == 2


def test_electre_discordance_scale_changes_the_kernel(tmp_path: Path) -> None:
    # Marks out of 20; the thresholds are the means of each matrix.
    path = tmp_path / "sites.csv"
    path.write_text("site,g1,g2,g3\na1,12,7,15\na2,16,6,16\na3,13,17,17\na4,15,10,11\n")
    args = ["rank", str(path), "--method", "electre", "--weights", "0.5,0.3,0.2", "-f", "json"]
    own = json.loads(runner.invoke(app, args).stdout)
    classic = json.loads(runner.invoke(app, [*args, "--discordance-scale", "largest-range"]).stdout)
    assert (own["discordance_scale"], own["kernel"]) == ("per-criterion", ["a2", "a3"])
    assert (classic["discordance_scale"], classic["kernel"]) == ("largest-range", ["a3"])
    table = runner.invoke(app, [*args[:-2], "--discordance-scale", "largest-range"])
    assert "Kernel: a3 (discordance scale largest-range)" in " ".join(table.output.split())


def test_discordance_scale_is_for_electre_only(matrix: Path) -> None:
    result = runner.invoke(app, ["rank", str(matrix), "--discordance-scale", "largest-range"])
    assert result.exit_code == 1
    assert "--discordance-scale: applies to electre only" in result.output
