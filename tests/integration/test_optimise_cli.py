"""`sourcewise optimise` end to end."""

import json
from pathlib import Path

from typer.testing import CliRunner

from sourcewise.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
EXAMPLE = (ROOT / "examples/de-software-development.yaml").read_text(encoding="utf-8")


def run(tmp_path: Path, extra: str) -> tuple[int, str]:
    path = tmp_path / "s.yaml"
    path.write_text(EXAMPLE + extra, encoding="utf-8")
    result = runner.invoke(app, ["optimise", str(path), "--draws", "500", "-f", "json"])
    return result.exit_code, result.stdout


def test_optimum_beats_or_matches_every_uniform_strategy(tmp_path: Path) -> None:
    code, out = run(tmp_path, "")
    assert code == 0
    plan = json.loads(out)
    assert plan["feasible"] is True
    assert len(plan["choices"]) == 2
    for uniform in plan["uniform"]:
        if uniform["risk_adjusted_cost"] is not None:
            assert uniform["risk_adjusted_cost"] >= plan["risk_adjusted_cost"] - 0.01
    assert plan["savings_vs_best_uniform"] >= 0


def test_portfolio_rules_from_the_scenario(tmp_path: Path) -> None:
    extra = "\nportfolio:\n  must_stay_in_house: [Customer platform development]\n"
    code, out = run(tmp_path, extra)
    assert code == 0
    choices = {c["function"]: c for c in json.loads(out)["choices"]}
    assert choices["Customer platform development"]["arrangement"] == "in-house"


def test_infeasible_says_which_constraints_conflict(tmp_path: Path) -> None:
    extra = (
        "\nportfolio:\n  budget: 1000\n"
        "  must_stay_in_house:\n"
        "    - Customer platform development\n"
        "    - Application maintenance and testing\n"
    )
    code, out = run(tmp_path, extra)
    assert code == 3
    plan = json.loads(out)
    assert plan["feasible"] is False
    assert "budget" in plan["conflicts"]


def test_unknown_function_in_portfolio_rules(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(EXAMPLE + "\nportfolio:\n  critical_functions: [Payroll]\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "portfolio.critical_functions[0]: 'Payroll' is not a function" in result.output


def test_the_plan_says_the_solver_proved_its_optimum(tmp_path: Path) -> None:
    code, out = run(tmp_path, "")
    assert code == 0
    plan = json.loads(out)
    assert plan["mip_gap"] == 0
    assert "Optimal" in plan["solver_status"]


def test_own_staff_are_not_a_provider_for_the_concentration_rules(tmp_path: Path) -> None:
    # Both functions kept in-house is all own staff: no provider takes any spend, so a 60 %
    # cap on any one provider cannot forbid it.
    both_home = (
        "\nportfolio:\n  max_provider_share: 0.6\n"
        "  must_stay_in_house:\n"
        "    - Customer platform development\n"
        "    - Application maintenance and testing\n"
    )
    code, out = run(tmp_path, both_home)
    assert code == 0, out
    assert {c["arrangement"] for c in json.loads(out)["choices"]} == {"in-house"}
    # Counting own staff as a provider (the scenario says so) makes the team one provider
    # with all the spend, which the cap forbids.
    code, out = run(tmp_path, both_home + "  own_staff_count_as_provider: true\n")
    assert code == 3
    assert "provider share" in json.loads(out)["conflicts"]


PORTFOLIO = ROOT / "examples/us-shared-services-portfolio.yaml"
BENGALURU = "Bengaluru shared-services vendor"


def _plan(path: Path) -> dict[str, object]:
    result = runner.invoke(app, ["optimise", str(path), "--draws", "1000", "-f", "json"])
    assert result.exit_code == 0, result.output
    plan: dict[str, object] = json.loads(result.stdout)
    return plan


def test_the_portfolio_example_validates_and_its_rules_do_what_it_says(tmp_path: Path) -> None:
    """examples/us-shared-services-portfolio.yaml uses every field of `portfolio:`, and the
    comment on that section describes what the rules change."""
    from sourcewise.adapters.scenario_schema import PortfolioModel

    assert runner.invoke(app, ["validate", str(PORTFOLIO)]).exit_code == 0
    text = PORTFOLIO.read_text(encoding="utf-8")
    rules = text.split("\nportfolio:\n", 1)[1]
    used = {line.split(":")[0].strip() for line in rules.splitlines() if line.startswith("  ")}
    assert used - {"#"} >= set(PortfolioModel.model_fields) - {"own_staff_count_as_provider"}

    ruled = _plan(PORTFOLIO)
    assert ruled["feasible"] is True
    chosen = {c["function"]: c["option"] for c in ruled["choices"]}  # type: ignore[attr-defined]
    assert chosen == {
        "Customer service": "Indian BPO vendor (night shift)",
        "IT service desk": "US managed service provider",
        "Accounts payable": "Captive Manila (day shift)",
        "Pricing analytics": "Status quo (in-house)",
    }
    assert ruled["risk_aversion"] == 1.0

    free = tmp_path / "free.yaml"
    free.write_text(text.split("\nportfolio:\n", 1)[0] + "\n", encoding="utf-8")
    unruled = _plan(free)
    choices = unruled["choices"]
    by_option = {c["option"]: c["npv_cost_distribution"]["mean"] for c in choices}  # type: ignore[attr-defined]
    assert "Indian vendor (day shift, follow the sun)" in by_option
    indian = sum(v for k, v in by_option.items() if k.startswith("Indian"))
    assert 0.8 < indian / sum(by_option.values()) < 0.95  # "close to 90% of the spend"
    assert unruled["risk_adjusted_cost"] < ruled["risk_adjusted_cost"]  # type: ignore[operator]
