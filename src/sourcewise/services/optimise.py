"""Optimise the portfolio: one option per function, chosen together, risk-adjusted.

Costs come from the simulation (P50 and P90 of each option's NPV), working-hour overlap from
the same site placement ``decide`` uses, and the rules from the scenario's ``portfolio``
section. The result is compared with the best single arrangement applied to every function.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcewise.decision.portfolio import Candidate, Constraints, PortfolioResult, optimise
from sourcewise.domain.arrangement import Arrangement, Employer
from sourcewise.domain.scenario import FunctionKind, Scenario
from sourcewise.services.decide import Decision
from sourcewise.services.simulate import Simulation

UNIFORM = (
    Arrangement.IN_HOUSE,
    Arrangement.DOMESTIC_OUTSOURCING,
    Arrangement.CAPTIVE_OFFSHORING,
    Arrangement.OFFSHORE_OUTSOURCING,
)


@dataclass(frozen=True, slots=True)
class UniformStrategy:
    """The same arrangement for every function (its cheapest option each), if all have one."""

    arrangement: Arrangement
    objective: float | None
    """Total risk-adjusted cost; None when some function has no option of this kind."""


@dataclass(frozen=True, slots=True)
class PortfolioPlan:
    result: PortfolioResult
    candidates: tuple[Candidate, ...]
    uniform: tuple[UniformStrategy, ...]
    risk_aversion: float


def candidates(decision: Decision, simulation: Simulation) -> list[Candidate]:
    """Every option of every function (the status quo included) as a candidate.

    Own staff are a provider only when the scenario's rules say so: a cap on any one
    provider's share is about dependence on a vendor, and the in-house team is not one."""
    home = decision.scenario.company.home_country
    own_counts = decision.scenario.portfolio.own_staff_count_as_provider
    out = []
    for f_index, function in enumerate(decision.functions):
        simulated = {o.name: o for o in simulation.functions[f_index].options}
        status_quo = simulation.functions[f_index].status_quo
        for assessment in function.assessments:
            if assessment.is_status_quo:
                p50, p90, spend = status_quo.p50, status_quo.p90, status_quo.mean
            else:
                s = simulated[assessment.name]
                p50, p90, spend = s.npv.p50, s.npv.p90, s.npv.mean
            sites = assessment.sites
            out.append(
                Candidate(
                    function=function.profile.name,
                    option=assessment.name,
                    arrangement=str(assessment.classification.arrangement),
                    cost_p50=p50,
                    cost_p90=p90,
                    spend=spend,
                    providers=tuple(
                        (f"{p.site.provider} ({p.site.country})", p.site.share)
                        for p in sites
                        if own_counts or p.site.employer is not Employer.OWN
                    ),
                    countries=tuple((p.site.country, p.site.share) for p in sites),
                    min_overlap_hours=min(p.overlap_hours for p in sites),
                    in_house=all(
                        p.site.employer is Employer.OWN and p.site.country == home for p in sites
                    ),
                )
            )
    return out


def constraints_for(scenario: Scenario) -> Constraints:
    rules = scenario.portfolio
    overlap = rules.overlap_functions
    if overlap is None:  # customer-facing work by default
        overlap = tuple(
            f.profile.name
            for f in scenario.functions
            if f.profile.kind is FunctionKind.CUSTOMER_SERVICE
        )
    return Constraints(
        risk_aversion=rules.risk_aversion,
        budget=rules.budget,
        must_stay_in_house=frozenset(rules.must_stay_in_house),
        min_overlap_hours=rules.min_overlap_hours,
        overlap_functions=frozenset(overlap),
        max_provider_share=rules.max_provider_share,
        max_country_share=rules.max_country_share,
        home_country=scenario.company.home_country,
        critical_functions=frozenset(rules.critical_functions),
        min_providers=rules.min_providers,
    )


def uniform_strategies(found: list[Candidate], risk_aversion: float) -> list[UniformStrategy]:
    functions = sorted({k.function for k in found})
    out = []
    for arrangement in UNIFORM:
        total = 0.0
        for f in functions:
            costs = [
                k.risk_adjusted(risk_aversion)
                for k in found
                if k.function == f and k.arrangement == str(arrangement)
            ]
            if not costs:
                total = float("nan")
                break
            total += min(costs)
        out.append(UniformStrategy(arrangement, None if total != total else total))
    return out


def plan_portfolio(decision: Decision) -> PortfolioPlan:
    """The portfolio of a decision made with a simulation (``decide_scenario`` with draws)."""
    if decision.simulation is None:
        raise ValueError("planning the portfolio needs the simulated costs: decide with draws")
    found = candidates(decision, decision.simulation)
    rules = constraints_for(decision.scenario)
    return PortfolioPlan(
        result=optimise(found, rules),
        candidates=tuple(found),
        uniform=tuple(uniform_strategies(found, rules.risk_aversion)),
        risk_aversion=rules.risk_aversion,
    )
