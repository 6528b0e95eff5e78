"""Value of information of a scenario: per-draw costs kept by the simulation, EVPI, ranked EVPPIs,
groups by option and the pilot curves, on the US customer-service example."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from sourcewise.services.decide import decide_scenario
from sourcewise.services.scenarios import load_scenario, parse_scenario_text
from sourcewise.services.simulate import simulate
from sourcewise.services.value_of_information import (
    information_of,
    value_of_information,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "us-customer-service.yaml"
MANILA = "functions[0].options[1].coordination_loss"
MANILA_RATE = "functions[0].options[1].exchange_rate_path"
RATE_OF_SPLIT = "functions[0].options[4].parts[0].exchange_rate_path"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return value_of_information(load_scenario(EXAMPLE), draws=3_000, seed=1)


def test_simulate_keeps_the_draws_only_when_asked() -> None:
    scenario = load_scenario(EXAMPLE)
    kept = simulate(scenario, draws=500, seed=3, keep_draws=True, chunk=200)
    plain = simulate(scenario, draws=500, seed=3, chunk=200)
    assert plain.functions[0].draws is None
    draws = kept.functions[0].draws
    assert draws is not None
    assert draws.options.shape == (len(scenario.functions[0].options), 500)
    assert draws.status_quo.mean() == pytest.approx(kept.functions[0].status_quo.mean)
    for j, option in enumerate(kept.functions[0].options):
        assert draws.options[j].mean() == pytest.approx(option.npv.mean)
        assert option == plain.functions[0].options[j]  # the summaries do not change
    assert set(draws.inputs) == {u.ref.label for u in scenario.uncertain}
    assert all(values.shape == (500,) for values in draws.inputs.values())


def test_information_needs_the_draws() -> None:
    with pytest.raises(ValueError, match="keep_draws"):
        information_of(simulate(load_scenario(EXAMPLE), draws=100, seed=1))


def test_values_are_ordered_and_bounded(result) -> None:  # type: ignore[no-untyped-def]
    [function] = result.functions
    assert function.best_today == "Captive Manila (night shift)"
    assert function.perfect > 0.0
    assert function.perfect_se > 0.0
    values = [i.value for i in function.inputs]
    assert values == sorted(values, reverse=True)
    assert all(0.0 <= v <= function.perfect for v in values)
    rates = {"functions[0].options[1].exchange_rate_path", RATE_OF_SPLIT}
    assert {i.label for i in function.inputs} == {
        u.ref.label for u in result.scenario.uncertain
    } | rates
    assert [g.value for g in function.groups] == sorted(
        (g.value for g in function.groups), reverse=True
    )
    groups = {g.name: g for g in function.groups}
    manila = groups["Everything about Captive Manila (night shift)"]
    assert MANILA in manila.labels
    assert all(0.0 <= g.value <= function.perfect for g in function.groups)
    assert groups["Every uncertain input"].value >= max(values)


def test_pilots_measure_what_a_pilot_can_and_cost_their_people(result) -> None:  # type: ignore[no-untyped-def]
    [function] = result.functions
    measured = {p.label for p in function.pilots}
    assert MANILA in measured
    assert not any(
        label.endswith(("hourly_rate", "wage_inflation", "setup_cost")) for label in measured
    )
    pilot = next(p for p in function.pilots if p.label == MANILA)
    # Own staff in Manila: 15,958 USD per FTE a year.
    assert pilot.cost_per_person_month == pytest.approx(15_958 / 12)
    assert pilot.months == 3
    assert pilot.sample_unit == "person-months"
    sizes = [point.people for point in pilot.curve]
    assert sizes[-1] == 126
    assert 15 in sizes
    fifteen = next(point for point in pilot.curve if point.people == 15)
    assert fifteen.cost == pytest.approx(15 * 3 * 15_958 / 12)
    values = [point.value for point in pilot.curve]
    assert all(0.0 <= v <= pilot.perfect for v in values)
    assert values == sorted(values)
    assert pilot.best.net >= max(point.net for point in pilot.curve)  # best of every size


def test_a_pilot_is_worth_running_when_its_input_can_change_the_choice() -> None:
    # Widen the Manila captive's coordination loss until it can turn the choice on its own.
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "        transition_months: 6\n        # Same as the onshore vendor",
        "        coordination_loss: {dist: uniform, low: 0.0, high: 0.8}\n"
        "        transition_months: 6\n        # Same as the onshore vendor",
    )
    assert "high: 0.8" in text
    scenario = parse_scenario_text(text, "wide.yaml")
    [function] = value_of_information(scenario, draws=3_000, seed=2).functions
    assert function.inputs[0].label == MANILA
    pilot = function.pilots[0]
    assert pilot.label == MANILA
    assert pilot.perfect == pytest.approx(function.inputs[0].value)
    assert pilot.worth_running
    assert 0 < pilot.best.value <= pilot.perfect <= function.perfect
    assert pilot.best.net == pytest.approx(pilot.best.value - pilot.best.cost)
    # n0 = a + b of the Beta prior matching U(0, 0.8): mean 0.4, variance 0.8² / 12.
    assert pilot.prior_sample_size == pytest.approx(0.4 * 0.6 / (0.64 / 12) - 1, rel=0.05)


def test_the_status_quo_is_an_option_of_the_decision() -> None:
    scenario = load_scenario(EXAMPLE)
    costs = simulate(scenario, draws=200, seed=1, keep_draws=True).functions[0].draws
    assert costs is not None
    # The status quo costs more than Manila in every draw, so it never becomes best.
    assert np.all(costs.status_quo > costs.options[1])


def test_an_attrition_pilot_counts_person_years() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "        transition_months: 6\n        # Same as the onshore vendor",
        "        attrition_rate: {dist: uniform, low: 0.1, high: 0.9}\n"
        "        replacement_cost_share: 0.5\n"
        "        transition_months: 6\n        # Same as the onshore vendor",
    )
    assert "replacement_cost_share: 0.5" in text
    scenario = parse_scenario_text(text, "attrition.yaml")
    [function] = value_of_information(scenario, draws=2_000, seed=4, pilot_months=6).functions
    label = "functions[0].options[1].attrition_rate"
    pilot = next(p for p in function.pilots if p.label == label)
    assert pilot.sample_unit == "person-years"
    assert pilot.measures.startswith("attrition")
    # n0 = mean / variance of the Gamma prior matching U(0.1, 0.9): 0.5 / (0.8² / 12).
    assert pilot.prior_sample_size == pytest.approx(0.5 / (0.64 / 12), rel=0.05)
    values = [point.value for point in pilot.curve]
    assert values == sorted(values)
    assert all(0.0 <= v <= pilot.perfect for v in values)
    assert next(p for p in pilot.curve if p.people == 10).cost == pytest.approx(
        10 * 6 * 15_958 / 12
    )


def test_kept_draws_stay_in_draw_order() -> None:
    # The summaries sort the NPVs in place; the kept draws must still pair each draw's cost
    # with that draw's inputs (a dearer hourly rate, a dearer vendor).
    scenario = load_scenario(EXAMPLE)
    kept = simulate(scenario, draws=2_000, seed=3, keep_draws=True).functions[0].draws
    assert kept is not None
    rate = kept.inputs["functions[0].options[0].hourly_rate"]
    assert stats.spearmanr(rate, kept.options[0]).statistic > 0.5
    assert not np.all(np.diff(kept.options[0]) >= 0)


def test_values_are_also_given_against_the_recommended_option(result) -> None:  # type: ignore[no-untyped-def]
    # The recommendation weighs fit beside cost: build-operate-transfer, dearer than the captive.
    [function] = result.functions
    against = function.recommended
    assert against is not None
    assert against.option == "Build-operate-transfer Manila"
    assert not against.is_cheapest
    costs = function.expected_cost
    assert against.cost_gap == pytest.approx(costs[against.option] - costs[function.best_today])
    assert against.cost_gap == pytest.approx(costs[against.option] - min(costs.values()))
    assert against.value == pytest.approx(against.cost_gap + function.perfect, rel=1e-9)
    assert against.value_se > 0


def test_the_decision_values_information_from_its_own_draws_and_lets_them_go() -> None:
    scenario = load_scenario(EXAMPLE)
    decision = decide_scenario(scenario, draws=1_000, seed=2)
    assert decision.information is not None
    assert decision.simulation is not None
    assert all(f.draws is None for f in decision.simulation.functions)
    [function] = decision.information.functions
    assert function.groups == ()  # groups are the voi command's
    assert function.recommended is not None
    assert function.recommended.option == decision.functions[0].recommendation.option
    plain = decide_scenario(scenario, draws=1_000, seed=2, information=None)
    assert plain.information is None
    assert plain.simulation == decision.simulation
    assert decide_scenario(scenario, draws=0).information is None


def test_the_scenario_can_say_what_a_pilot_costs() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    pilot_planned: true     # a 3-month pilot with 15 agents before scaling\n",
        "    pilot_planned: true\n    pilot: {fixed_cost: 20000, cost_per_person_month: 2000}\n",
    )
    assert "fixed_cost: 20000" in text
    scenario = parse_scenario_text(text, "pilot-costs.yaml")
    assert scenario.functions[0].profile.pilot_costs is not None
    [function] = value_of_information(scenario, draws=1_000, seed=2).functions
    pilot = next(p for p in function.pilots if p.label == MANILA)
    assert pilot.fixed_cost == 20_000
    assert pilot.cost_per_person_month == 2_000
    for point in pilot.curve:
        assert point.cost == pytest.approx(20_000 + point.people * 3 * 2_000)
        assert point.net == pytest.approx(point.value - point.cost)


def test_a_negative_pilot_cost_is_refused_where_it_is_written() -> None:
    from sourcewise.domain.problems import InputError

    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    pilot_planned: true     # a 3-month pilot with 15 agents before scaling\n",
        "    pilot_planned: true\n    pilot: {fixed_cost: -5}\n",
    )
    line = text.splitlines().index("    pilot: {fixed_cost: -5}") + 1
    with pytest.raises(InputError) as raised:
        parse_scenario_text(text, "bad.yaml")
    assert any(
        p.line == line and "pilot.fixed_cost" in str(p.path) for p in raised.value.problems
    ), raised.value.problems


def test_exchange_rates_are_learnable_and_kept_whatever_the_chunks() -> None:
    scenario = load_scenario(EXAMPLE)
    whole = simulate(scenario, draws=1_200, seed=3, keep_draws=True).functions[0].draws
    chunked = simulate(scenario, draws=1_200, seed=3, keep_draws=True, chunk=500).functions[0]
    assert whole is not None
    assert chunked.draws is not None
    assert set(whole.exchange_rates) == {MANILA_RATE, RATE_OF_SPLIT}
    for label, rates in whole.exchange_rates.items():
        assert np.array_equal(rates, chunked.draws.exchange_rates[label])
        assert 0.8 < rates.mean() < 1.2  # today's rate is 1; the paths are centred
    # A dearer peso makes the Manila captive dearer, draw by draw.
    manila = whole.options[1]
    assert stats.spearmanr(whole.exchange_rates[MANILA_RATE], manila).statistic > 0.3


def test_the_peso_is_what_is_most_worth_learning(result) -> None:  # type: ignore[no-untyped-def]
    [function] = result.functions
    top = function.inputs[0]
    assert top.label == MANILA_RATE
    assert top.option == "Captive Manila (night shift)"
    assert 0 < top.value <= function.perfect
    groups = {g.name: g for g in function.groups}
    assert set(groups["Every exchange rate"].labels) == {MANILA_RATE, RATE_OF_SPLIT}
    assert MANILA_RATE in groups["Everything about Captive Manila (night shift)"].labels
    assert MANILA_RATE in groups["Every uncertain input"].labels
    assert not any(p.label.endswith("exchange_rate_path") for p in function.pilots)
