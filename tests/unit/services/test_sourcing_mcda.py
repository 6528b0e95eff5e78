"""The sourcing decision as a multi-criteria problem."""

from pathlib import Path

import numpy as np
import pytest

from sourcewise.api import load_scenario
from sourcewise.domain.scenario import FunctionKind
from sourcewise.services.decide import decide, mcda_cross_check
from sourcewise.services.simulate import simulate
from sourcewise.services.sourcing_mcda import NAMES, criteria_matrix, rank_options, resolve_weights

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def us_decision():  # type: ignore[no-untyped-def]
    scenario = load_scenario(ROOT / "examples/us-customer-service.yaml")
    simulation = simulate(scenario, draws=1_000, seed=2)
    return decide(scenario, simulation=simulation, seed=2), simulation


def test_criteria_come_from_the_other_modules(us_decision) -> None:  # type: ignore[no-untyped-def]
    decision, simulation = us_decision
    function = decision.functions[0]
    matrix = criteria_matrix(function.assessments, simulation.functions[0])
    column = {name: matrix[:, i] for i, name in enumerate(NAMES)}
    status_quo, captive = 0, 2
    assert column["tco_p50"][status_quo] == simulation.functions[0].status_quo.p50
    assert column["p_beats_status_quo"][status_quo] == 0.5
    assert column["control"][status_quo] == 1.0  # own staff
    assert column["control"][1] == 0.0  # a vendor
    assert column["fit"][captive] == function.assessments[captive].fit_score
    assert 0 < column["location"][captive] < 100
    assert np.all(column["tco_p90"] >= column["tco_p50"])


def test_ranking_is_reported_with_methods_consensus_and_smaa(us_decision) -> None:  # type: ignore[no-untyped-def]
    decision, _ = us_decision
    ranking = decision.functions[0].ranking
    assert ranking is not None
    assert set(ranking.method_ranks) == {"weighted sum", "TOPSIS", "VIKOR", "PROMETHEE II"}
    for ranks in ranking.method_ranks.values():
        assert sorted(ranks)[0] == 1
    assert sum(ranking.first_rank_acceptability) == pytest.approx(1.0)
    assert ranking.winner in ranking.options
    assert all(v > 0 for _, v in ranking.lead)
    check = decision.functions[0].recommendation.cross_check
    assert check is not None
    assert check.option == ranking.winner
    assert "SMAA" in check.reason


def test_weights_from_preset_scenario_or_ahp() -> None:
    preset, source, ratio = resolve_weights(FunctionKind.CUSTOMER_SERVICE, None, None)
    assert preset.sum() == pytest.approx(1.0)
    assert source == "preset for customer service"
    assert ratio is None
    given, source, _ = resolve_weights(FunctionKind.OTHER, {"tco_p50": 3, "fit": 1}, None)
    assert given[NAMES.index("tco_p50")] == pytest.approx(0.75)
    assert source == "scenario weights"
    # Every criterion equally important: AHP gives equal weights and a perfect consistency.
    equal = {a: {b: 1.0 for b in NAMES[i + 1 :]} for i, a in enumerate(NAMES[:-1])}
    weights, source, ratio = resolve_weights(FunctionKind.OTHER, None, equal)
    assert weights == pytest.approx(np.full(len(NAMES), 1 / len(NAMES)))
    assert ratio == pytest.approx(0.0, abs=1e-9)


def test_inconsistent_judgements_warn(us_decision) -> None:  # type: ignore[no-untyped-def]
    decision, simulation = us_decision
    judgements = {a: {b: 1.0 for b in NAMES[i + 1 :]} for i, a in enumerate(NAMES[:-1])}
    # cost > fit > control but control > cost, strongly: a circular preference.
    judgements["tco_p50"]["fit"] = 9
    judgements["fit"]["control"] = 9
    judgements["tco_p50"]["control"] = 1 / 9
    ranking = rank_options(
        decision.functions[0].assessments,
        simulation.functions[0],
        FunctionKind.CUSTOMER_SERVICE,
        np.random.default_rng(1),
        judgements=judgements,
        smaa_draws=500,
    )
    assert ranking.consistency_ratio is not None
    assert ranking.consistency_ratio > 0.1
    assert "consistency ratio" in mcda_cross_check(ranking, ranking.winner).reason
