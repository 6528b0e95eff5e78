"""The decide use case: one function from a scenario to its complete decision."""

from dataclasses import replace
from textwrap import dedent

import pytest

from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.domain.arrangement import Classification, SiteFacts, classify
from sourcewise.domain.scenario import Scenario
from sourcewise.reports.decision_json import decision_to_dict
from sourcewise.services import decide as decide_module
from sourcewise.services.decide import (
    MCDA_METHOD,
    decide,
    decide_scenario,
    mcda_cross_check,
    progress_total,
)
from sourcewise.services.executors import LocalExecutor
from sourcewise.services.simulate import simulate
from sourcewise.services.value_of_information import information_of

# A vendor cheaper on paper but with uncertain rates, and a captive centre with steadier costs.
SCENARIO = """\
company:
  name: Acme
  home_country: US
  horizon_years: 3
functions:
  - name: Support
    kind: it_support
    fte: 10
    current_annual_cost: 1200000
    options:
      - name: Captive
        employer: own
        country: IN
        annual_cost_per_fte: {dist: triangular, low: 15000, mode: 20000, high: 30000}
      - name: Vendor
        employer: third_party
        country: PH
        hourly_rate: {dist: pert, low: 14, mode: 16, high: 30}
  - name: Finance
    kind: finance_and_accounting
    fte: 5
    current_annual_cost: 700000
    options:
      - name: Shared services
        employer: third_party
        country: PL
        hourly_rate: 30
      - name: Split
        parts:
          - share: 0.5
            employer: own
            country: US
            fte: 3
            annual_cost_per_fte: 140000
          - share: 0.5
            employer: third_party
            country: PL
            hourly_rate: 30
"""


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    found, problems = load_scenario_text(dedent(SCENARIO))
    assert problems == [], problems
    assert found is not None
    return found


def test_the_use_case_is_the_simulation_then_the_decision_with_it(scenario: Scenario) -> None:
    whole = decide_scenario(scenario, draws=300, seed=5, information=None)
    simulation = simulate(scenario, 300, 5)
    by_hand = decide(scenario, simulation=simulation, seed=5)
    assert decision_to_dict(whole) == decision_to_dict(by_hand)
    assert whole.simulation == simulation
    # Then what knowing more is worth, from the same draws kept whole.
    valued = decide_scenario(scenario, draws=300, seed=5)
    kept = simulate(scenario, 300, 5, keep_draws=True)
    recommended = [f.recommendation.option for f in by_hand.functions]
    assert valued.information == information_of(kept, recommended=recommended, groups=False)
    assert valued.simulation == simulation


def test_an_executor_by_name_or_open_gives_the_same_decision(scenario: Scenario) -> None:
    named = decide_scenario(scenario, draws=300, seed=5, executor="local")
    with LocalExecutor() as runner:
        given = decide_scenario(scenario, draws=300, seed=5, executor=runner)
    assert decision_to_dict(named) == decision_to_dict(given)


def test_no_draws_no_simulation(scenario: Scenario) -> None:
    decision = decide_scenario(scenario, draws=0, seed=5)
    assert decision.simulation is None
    assert all(f.recommendation.cross_check is not None for f in decision.functions)


def test_the_seed_moves_the_simulation_and_the_smaa_draws_not_the_answer(
    scenario: Scenario,
) -> None:
    first = decide_scenario(scenario, draws=300, seed=5)
    other = decide_scenario(scenario, draws=300, seed=6)
    assert first.simulation != other.simulation
    assert [f.recommendation.option for f in first.functions] == [
        f.recommendation.option for f in other.functions
    ]


def test_progress_counts_every_unit_of_work(scenario: Scenario) -> None:
    done: list[int] = []
    decide_scenario(scenario, draws=300, seed=5, progress=done.append)
    assert sum(done) == progress_total(scenario, 300) == 2 * 301
    done.clear()
    decide_scenario(scenario, draws=0, progress=done.append)
    assert sum(done) == progress_total(scenario, 0) == 2


def test_without_the_cross_check_no_ranking_is_computed(scenario: Scenario) -> None:
    decision = decide_scenario(scenario, draws=100, seed=5, cross_check=False)
    for function in decision.functions:
        assert function.ranking is None
        assert function.recommendation.cross_check is None
    full = decide_scenario(scenario, draws=100, seed=5)
    assert [f.recommendation for f in decision.functions] == [
        replace(f.recommendation, cross_check=None) for f in full.functions
    ]


def test_the_cross_check_names_the_consensus_and_says_why_it_differs(scenario: Scenario) -> None:
    function = decide_scenario(scenario, draws=300, seed=5).functions[0]
    ranking = function.ranking
    assert ranking is not None
    check = function.recommendation.cross_check
    assert check is not None
    assert (check.method, check.option) == (MCDA_METHOD, ranking.winner)
    assert check.agrees is (ranking.winner == function.recommendation.option)

    agreeing = mcda_cross_check(ranking, ranking.winner)
    assert agreeing.agrees
    assert f"also give {ranking.winner} the best mean rank" in agreeing.reason
    other = next(name for name in ranking.options if name != ranking.winner)
    differing = mcda_cross_check(ranking, other)
    assert (differing.option, differing.agrees) == (ranking.winner, False)
    assert f"give {ranking.winner} the best mean rank, led by" in differing.reason
    assert "The recommendation stays the best cost-and-fit score" in differing.reason


def test_each_site_is_classified_once(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted(facts: SiteFacts) -> Classification:
        calls.append(facts.work_country)
        return classify(facts)

    monkeypatch.setattr(decide_module, "classify", counted)
    decide_scenario(scenario, draws=0)
    sites = sum(1 + sum(len(o.sites) for o in f.options) for f in scenario.functions)
    assert len(calls) == sites  # the status quo's home site and every option's sites
