"""`sourcewise voi` end to end: EVPI, ranked EVPPIs and a pilot EVSI curve for the US
customer-service example, with 0 ≤ EVSI(n) ≤ EVPPI ≤ EVPI and EVSI increasing in n."""

import json
from pathlib import Path

from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.reports.information_document import InformationDocument
from sourcewise.services.scenarios import load_scenario

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples/us-customer-service.yaml")
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, ["voi", EXAMPLE, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_gives_the_values_in_order_and_within_their_bounds() -> None:
    text = run("--format", "json", "--seed", "1")
    document = json.loads(text)
    InformationDocument.model_validate_json(text, strict=True)
    assert document["simulation"] == {"draws": 10_000, "seed": 1}
    [function] = document["functions"]
    perfect = function["perfect_value"]
    assert perfect > 0
    assert 0 < function["perfect_value_se"] < perfect
    assert function["best_today"] == "Captive Manila (night shift)"
    # decide recommends on cost and fit: a dearer option, and the document says by how much.
    assert function["recommended"] == "Build-operate-transfer Manila"
    assert function["cost_gap"] > 0
    assert abs(function["recommended_value"] - function["cost_gap"] - perfect) < 0.02
    assert function["summary"][0].startswith(
        "The recommended option, Build-operate-transfer Manila, is not the cheapest"
    )
    values = [i["value"] for i in function["inputs"]]
    # Every uncertain input of the file, and the exchange rates of the two sites paid in pesos.
    uncertain = len(load_scenario(Path(EXAMPLE)).uncertain)
    assert len(values) == uncertain + 2
    assert sum(i["input"].endswith(".exchange_rate_path") for i in function["inputs"]) == 2
    assert values == sorted(values, reverse=True)
    assert all(0 <= v <= perfect for v in values)
    assert all(0 <= g["value"] <= perfect for g in function["groups"])
    partial = {i["input"]: i["value"] for i in function["inputs"]}
    criteria = {c["name"]: c for c in function["acceptance_criteria"]}
    assert criteria["Defect rate"]["target"] == "≤ 2 %"
    assert criteria["Defect rate"]["sample_needed"] > 0
    assert function["pilots"]
    for pilot in function["pilots"]:
        assert pilot["perfect_value"] == partial[pilot["input"]]
        worth = [point["value"] for point in pilot["curve"]]
        assert all(0 <= w <= pilot["perfect_value"] for w in worth)
        assert worth == sorted(worth)
        assert pilot["best"] in pilot["curve"]
        assert pilot["best"]["net_value"] == max(p["net_value"] for p in pilot["curve"])
        assert pilot["worth_running"] == (pilot["best"]["net_value"] > 0)


def test_the_same_seed_gives_the_same_values() -> None:
    args = ("--format", "json", "--draws", "2000", "--seed", "4")
    assert run(*args) == run(*args)


def test_the_table_says_what_knowing_more_is_worth() -> None:
    text = run("--draws", "2000", "--pilot-months", "6")
    assert "Knowing everything before deciding would lower the expected cost" in text
    assert "is not the cheapest by expected cost" in " ".join(text.split())
    assert "What learning one input first is worth (EVPPI)" in text
    assert "A 6-month pilot at" in text
    assert "To confirm its targets at 95 % (the pilot plan), a pilot needs" in " ".join(
        text.split()
    )
