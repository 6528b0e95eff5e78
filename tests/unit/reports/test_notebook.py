"""Notebook results: tidy frames with the documented columns, escaped HTML, pandas optional."""

import sys
from pathlib import Path

import numpy as np
import pytest

from sourcewise.reports.notebook import (
    DECISION_COLUMNS,
    DecisionResult,
    LocationResult,
    LocationTable,
    PlanResult,
    RankingResult,
    SimulationResult,
)
from sourcewise.reports.notebook_tables import Column, cell, html_table
from sourcewise.services.decide import STATUS_QUO, Decision, decide_scenario
from sourcewise.services.locations import LocationData, LocationQuery, assess
from sourcewise.services.matrix_ranking import DecisionMatrix, rank_matrix
from sourcewise.services.optimise import plan_portfolio
from sourcewise.services.scenarios import load_scenario

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = "<script>alert(1)</script>"
OPTION = "Indian BPO vendor (night shift)"


@pytest.fixture(scope="module")
def decision(tmp_path_factory: pytest.TempPathFactory) -> Decision:
    """The US example with a hostile option name and company name, 50 draws."""
    text = (ROOT / "examples/us-customer-service.yaml").read_text(encoding="utf-8")
    text = text.replace(OPTION, HOSTILE).replace("Northwind Retail", "<b>Northwind</b>")
    path = tmp_path_factory.mktemp("hostile") / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return decide_scenario(load_scenario(path), draws=50, seed=7)


def test_decision_frame_has_one_row_per_option_and_the_documented_columns(
    decision: Decision,
) -> None:
    result = DecisionResult(decision)
    frame = result.to_frame()
    assert list(frame.columns) == [c.name for c in DECISION_COLUMNS]
    options = decision.functions[0].assessments
    assert list(frame["option"]) == [a.name for a in options]
    assert frame["option"].iloc[0] == STATUS_QUO
    assert frame["recommended"].sum() == 1
    recommended = frame.loc[frame["recommended"], "option"].item()
    assert result.recommendations == {"Customer service": recommended}
    assert frame["p_beats_status_quo"].iloc[1:].between(0, 1).all()
    assert result.decision is decision


def test_user_names_are_escaped_in_the_html(decision: Decision) -> None:
    shown = DecisionResult(decision)._repr_html_()
    assert "<script" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&lt;b&gt;Northwind&lt;/b&gt;" in shown
    # The frame keeps the name as the user wrote it.
    assert HOSTILE in set(DecisionResult(decision).to_frame()["option"])


def test_simulation_and_plan(decision: Decision) -> None:
    assert decision.simulation is not None
    simulation = SimulationResult(decision.simulation)
    frame = simulation.to_frame()
    assert len(frame) == len(decision.functions[0].assessments)
    assert frame["status_quo"].tolist()[0] is True
    assert "<script" not in simulation._repr_html_()
    plan = PlanResult(plan_portfolio(decision), "USD")
    chosen = plan.to_frame()
    assert chosen["function"].tolist() == ["Customer service"]
    assert plan.feasible
    assert plan.risk_adjusted_cost == pytest.approx(chosen["risk_adjusted_cost"].sum())
    assert set(plan.uniform) >= {"in-house", "offshore outsourcing"}
    assert "<script" not in plan._repr_html_()


def test_matrix_ranking_escapes_alternatives_and_marks_the_kernel() -> None:
    matrix = DecisionMatrix(
        (HOSTILE, "B", "C"),
        ("cost", "quality"),
        np.array([[100.0, 7.0], [80.0, 6.0], [70.0, 9.0]]),
    )
    result = RankingResult(
        rank_matrix(matrix, method="electre", weights=[1, 1], directions=[-1, 1])
    )
    frame = result.to_frame()
    assert list(frame.columns) == ["rank", "alternative", "score", "in_kernel"]
    assert frame["alternative"].iloc[0] == "C"
    assert frame["in_kernel"].tolist() == [True, False, False]
    shown = result._repr_html_()
    assert "<script" not in shown
    assert "&lt;script&gt;" in shown
    topsis = RankingResult(rank_matrix(matrix, weights=[1, 1], directions=[-1, 1]))
    assert list(topsis.to_frame().columns) == ["rank", "alternative", "score"]


def test_locations_one_row_per_country_and_per_component() -> None:
    data = LocationData.packaged()
    query = LocationQuery(home="US", languages=("en",), year=2026)
    countries = tuple(assess(data, code, query) for code in ("MX", "PH", "IN"))
    table = LocationTable(countries, query)
    frame = table.to_frame()
    assert frame["country"].tolist() == ["MX", "PH", "IN"]
    assert frame["rank"].tolist() == [1, 2, 3]
    assert "time_zone_fit_score" in frame.columns
    one = LocationResult(countries[0])
    assert one.summary()["country"] == "MX"
    assert len(one.to_frame()) == len(countries[0].score.components)
    assert "Mexico (MX) from US" in one._repr_html_()


def test_to_frame_names_the_extra_when_pandas_is_missing(
    decision: Decision, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'sourcewise\[notebook\]'"):
        DecisionResult(decision).to_frame()
    assert "<table>" in DecisionResult(decision)._repr_html_()  # HTML needs no pandas


def test_cells_and_long_tables() -> None:
    assert [cell(None), cell(float("nan")), cell(True, "check"), cell(False, "check")] == [
        "—",
        "—",
        "✓",
        "",
    ]
    assert cell(1234567.891, ",.0f") == "1,234,568"
    assert cell("a", ",.0f") == "a"
    columns = [Column("n", "N"), Column("hidden", "Hidden", shown=False)]
    shown = html_table("T", columns, [{"n": i, "hidden": i} for i in range(40)], max_rows=30)
    assert shown.count("<tr>") == 31  # the heading and 30 rows
    assert "… and 10 more rows" in shown
    assert "Hidden" not in shown
