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
        "Employer",
        "InputError",
        "Problem",
        "Scenario",
        "SiteFacts",
        "check_scenario",
        "classify",
        "classify_split",
        "decide",
        "decision_to_dict",
        "load_scenario",
    ]
    for name in api.__all__:
        assert hasattr(api, name)


def test_load_and_decide_through_the_api() -> None:
    scenario = api.load_scenario(ROOT / "examples/us-customer-service.yaml")
    decision = api.decide(scenario, draws=0)
    data = api.decision_to_dict(decision)
    assert data["company"]["home_country"] == "US"


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
