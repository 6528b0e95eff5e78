"""The public surface stays small and deliberate."""

from pathlib import Path

import pytest

from sourcewise import api

ROOT = Path(__file__).resolve().parents[2]


def test_public_surface_is_exactly_this() -> None:
    assert sorted(api.__all__) == [
        "Arrangement",
        "Classification",
        "Decision",
        "DecisionResult",
        "Employer",
        "InputError",
        "LocationResult",
        "LocationTable",
        "PlanResult",
        "Problem",
        "RankingResult",
        "Scenario",
        "SimulationResult",
        "SiteFacts",
        "assess_location",
        "check_scenario",
        "classify",
        "classify_split",
        "decide",
        "decision_to_dict",
        "load_scenario",
        "optimise",
        "rank_locations",
        "rank_matrix",
        "simulate",
    ]
    for name in api.__all__:
        assert hasattr(api, name)


def test_load_and_decide_through_the_api() -> None:
    scenario = api.load_scenario(ROOT / "examples/us-customer-service.yaml")
    result = api.decide(scenario, draws=0)
    assert isinstance(result.decision, api.Decision)
    assert (result.scenario, result.functions) == (scenario, result.decision.functions)
    assert result.simulation is None
    data = api.decision_to_dict(result)
    assert data == api.decision_to_dict(result.decision)
    assert data["company"]["home_country"] == "US"
    assert result.to_frame()["p_beats_status_quo"].isna().all()  # no draws, no simulation


def test_simulate_and_optimise_with_a_seed() -> None:
    scenario = api.load_scenario(ROOT / "examples/us-customer-service.yaml")
    done: list[int] = []
    simulated = api.simulate(scenario, draws=50, seed=3, progress=done.append)
    assert (simulated.simulation.draws, simulated.simulation.seed) == (50, 3)
    assert sum(done) == 50 * len(scenario.functions)
    plan = api.optimise(scenario, draws=50, seed=3)
    assert plan.feasible
    assert list(plan.to_frame()["function"]) == [f.profile.name for f in scenario.functions]
    with pytest.raises(ValueError, match="draws must be at least 1"):
        api.optimise(scenario, draws=0)


def test_rank_a_matrix_file() -> None:
    ranked = api.rank_matrix(
        ROOT / "examples/provider-shortlist.csv",
        weights=[0.4, 0.3, 0.2, 0.1],
        directions=[-1, 1, -1, 1],
    )
    assert ranked.ranking.weight_source == "given"
    assert ranked.to_frame()["rank"].tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(api.InputError, match="gives 2 values for 4 criteria"):
        api.rank_matrix(ROOT / "examples/provider-shortlist.csv", weights=[1, 2])


def test_location_queries() -> None:
    # Ranking every country takes seconds: docs/notebook.md's test runs rank_locations.
    mexico = api.assess_location("mx", home="us", kind="customer-service", year=2026)
    assert mexico.summary()["country_name"] == "Mexico"
    assert mexico.assessment.home.iso2 == "US"
    with pytest.raises(api.InputError) as caught:
        api.assess_location("MX", home="US", kind="astrology")
    assert [p.path for p in caught.value.problems] == ["kind"]
    with pytest.raises(api.InputError, match="unknown country code 'ZZ'"):
        api.assess_location("ZZ", home="US")


def test_bad_input_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("company: {name: A, home_country: XX}\nfunctions: []\n")
    with pytest.raises(api.InputError) as caught:
        api.load_scenario(path)
    assert [p.path for p in caught.value.problems] == ["company.home_country", "functions"]
    assert api.check_scenario(path) == list(caught.value.problems)


def test_mcda_public_surface() -> None:
    from sourcewise import mcda

    assert sorted(mcda.__all__) == sorted(
        [
            "AhpResult",
            "ElectreResult",
            "HierarchyResult",
            "PairwiseError",
            "PrometheeResult",
            "Ranking",
            "SmaaResult",
            "TopsisResult",
            "VikorResult",
            "WeightedResult",
            "ahp",
            "ahp_hierarchy",
            "critic_weights",
            "electre_i",
            "entropy_weights",
            "merec_weights",
            "normalise_weights",
            "pairwise_from_judgements",
            "promethee_ii",
            "smaa2",
            "topsis",
            "vikor",
            "wpm",
            "wsm",
        ]
    )
    result = mcda.topsis([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]], [0.5, 0.5], [1, 1])
    assert int(result.ranks[2]) == 1
