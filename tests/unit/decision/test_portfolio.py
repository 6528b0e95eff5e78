"""Portfolio MILP: each constraint group bites, and conflicts are named."""

import pytest

from sourcewise.decision.portfolio import Candidate, Constraints, optimise


def cand(
    function: str,
    option: str,
    cost: float,
    *,
    provider: str = "own",
    country: str = "US",
    overlap: float = 8.0,
    in_house: bool = False,
    spread: float = 0.0,
) -> Candidate:
    return Candidate(
        function=function,
        option=option,
        arrangement="in-house" if in_house else "offshore outsourcing",
        cost_p50=cost,
        cost_p90=cost + spread,
        spend=cost,
        providers=((provider, 1.0),),
        countries=((country, 1.0),),
        min_overlap_hours=overlap,
        in_house=in_house,
    )


SUPPORT = [
    cand("support", "status quo", 100, in_house=True),
    cand("support", "vendor A", 60, provider="A", country="IN", overlap=0),
    cand("support", "vendor B", 70, provider="B", country="PH", overlap=8),
]
FINANCE = [
    cand("finance", "status quo", 80, in_house=True),
    cand("finance", "vendor A", 50, provider="A", country="IN", overlap=2),
    cand("finance", "vendor C", 55, provider="C", country="PL", overlap=6),
]
ALL = SUPPORT + FINANCE


def chosen(result: object) -> dict[str, str]:
    return {k.function: k.option for k in result.chosen}  # type: ignore[attr-defined]


def test_cheapest_per_function_without_constraints() -> None:
    result = optimise(ALL, Constraints())
    assert result.feasible
    assert chosen(result) == {"support": "vendor A", "finance": "vendor A"}
    assert result.objective == pytest.approx(110)


def test_risk_aversion_weighs_the_p90_tail() -> None:
    risky = [cand("x", "cheap but risky", 50, spread=100), cand("x", "steady", 80)]
    assert chosen(optimise(risky, Constraints(risk_aversion=0.0))) == {"x": "cheap but risky"}
    assert chosen(optimise(risky, Constraints(risk_aversion=0.5))) == {"x": "steady"}


def test_must_stay_in_house() -> None:
    result = optimise(ALL, Constraints(must_stay_in_house=frozenset({"finance"})))
    assert chosen(result) == {"support": "vendor A", "finance": "status quo"}


def test_minimum_overlap_for_customer_facing_work() -> None:
    rules = Constraints(min_overlap_hours=4, overlap_functions=frozenset({"support"}))
    assert chosen(optimise(ALL, rules))["support"] == "vendor B"


def test_provider_concentration_limit() -> None:
    # Vendor A for both is 110 of 110 spend; at most 60% per provider forces a second one.
    result = optimise(ALL, Constraints(max_provider_share=0.6))
    picked = chosen(result)
    assert picked != {"support": "vendor A", "finance": "vendor A"}
    assert result.objective == pytest.approx(60 + 55)  # A for support, C for finance


def test_country_concentration_ignores_home() -> None:
    result = optimise(ALL, Constraints(max_country_share=0.6, home_country="US"))
    assert result.feasible
    assert sorted(chosen(result).values()) != ["vendor A", "vendor A"]


def test_minimum_number_of_providers_for_critical_functions() -> None:
    rules = Constraints(critical_functions=frozenset({"support", "finance"}), min_providers=2)
    picked = chosen(optimise(ALL, rules))
    assert len(set(picked.values()) - {"status quo"}) == 2


def test_budget() -> None:
    assert optimise(ALL, Constraints(budget=120)).feasible
    result = optimise(ALL, Constraints(budget=100))
    assert not result.feasible
    assert result.conflicts == ("budget",)
    assert "budget" in result.message


def test_conflicting_constraints_are_named() -> None:
    rules = Constraints(budget=150, must_stay_in_house=frozenset({"support", "finance"}))
    result = optimise(ALL, rules)
    assert not result.feasible
    assert set(result.conflicts) == {"budget", "in-house"}


def test_no_candidates() -> None:
    with pytest.raises(ValueError, match="no candidates"):
        optimise([], Constraints())
