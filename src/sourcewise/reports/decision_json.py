"""The decision as JSON-ready data: the stable machine interface of ``sourcewise decide``.

Documented in docs/decide-json.md; ``tests/integration/test_cli.py`` checks every key is documented.
Amounts are in the company currency, rounded to cents; shares are fractions (0.25 = 25%).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sourcewise import __version__
from sourcewise.domain.fit import FiredRule
from sourcewise.domain.recommendation import CrossCheck, OptionAssessment
from sourcewise.reports.location_json import location_to_dict
from sourcewise.reports.simulation_json import option_simulation_to_dict
from sourcewise.services.decide import Decision, FunctionDecision
from sourcewise.services.simulate import OptionSimulation
from sourcewise.services.sourcing_mcda import CRITERIA, SourcingRanking

FORMAT_VERSION = 1


def _money(value: float) -> float:
    return round(float(value), 2)


def _rule(fired: FiredRule) -> dict[str, Any]:
    return {
        "id": fired.rule,
        "title": fired.title,
        "stance": str(fired.stance),
        "weight": fired.weight,
        "reason": fired.reason,
        "seed": fired.citation.seed,
        "passage": fired.citation.passage,
    }


def _option(assessment: OptionAssessment, baseline_npv: float) -> dict[str, Any]:
    c = assessment.classification
    savings = assessment.savings
    projection = assessment.projection
    sites = [
        {
            "country": p.site.country,
            "country_name": p.relation.work.name,
            "employer": str(p.site.employer),
            "provider": p.site.provider,
            "share": p.site.share,
            "arrangement": str(p.classification.arrangement),
            "timezone_gap_hours": p.relation.timezone_gap_hours,
            "overlap_hours": p.overlap_hours,
            "follows_home_hours": p.site.follows_home_hours,
        }
        for p in assessment.sites
    ]
    return {
        "name": assessment.name,
        "status_quo": assessment.is_status_quo,
        "arrangement": str(c.arrangement),
        "label": c.label,
        "nearshore": c.nearshore,
        "build_operate_transfer": c.build_operate_transfer,
        "becomes": None if c.becomes is None else str(c.becomes),
        "reason": c.reason,
        "country": "+".join(p.site.country for p in assessment.sites),
        "provider": " + ".join(p.site.provider for p in assessment.sites),
        "sites": sites,
        "yearly_cost": [_money(v) for v in projection.yearly],
        "npv_cost": _money(projection.npv),
        "price_npv": _money(projection.price_npv if savings else projection.npv),
        "components_npv": {
            name: _money(projection.component_npv(name))
            for name in projection.components
            if projection.component_npv(name) != 0
        },
        "savings_vs_status_quo": _money(savings.npv_savings if savings else 0.0),
        "savings_share": round(savings.savings_share, 6) if savings else 0.0,
        "price_savings_share": round(savings.price_savings_share, 6) if savings else 0.0,
        "break_even_month": savings.break_even_month if savings else None,
        "fit_score": assessment.fit_score,
        "score": round(assessment.score, 6),
        "rules": [_rule(f) for f in assessment.rules],
        "dimensions": assessment.dimensions.as_dict(),
    }


def _simulated(name: str, simulated: Sequence[OptionSimulation] | None) -> dict[str, Any] | None:
    """The option's simulation summary (the status quo has none)."""
    if simulated is None:
        return None
    found = next((o for o in simulated if o.name == name), None)
    if found is None:
        return None
    full = option_simulation_to_dict(found)
    keys = ("npv_cost", "p_beats_status_quo", "breakeven_month", "components", "savings")
    return {key: full[key] for key in keys}


def _function(
    decision: FunctionDecision, simulated: Sequence[OptionSimulation] | None
) -> dict[str, Any]:
    profile = decision.profile
    baseline = decision.assessments[0].projection.npv
    return {
        "name": profile.name,
        "kind": str(profile.kind),
        "positioning": str(profile.positioning),
        "status_quo_npv": _money(baseline),
        "recommendation": {
            "option": decision.recommendation.option,
            "reasons": list(decision.recommendation.reasons),
            "cross_check": _cross_check(decision.recommendation.cross_check),
        },
        "options": [
            {
                **_option(a, baseline),
                "simulation": _simulated(a.name, simulated),
            }
            for a in decision.assessments
        ],
        "locations": {code: location_to_dict(found) for code, found in decision.locations.items()},
        "mcda": None if decision.ranking is None else ranking_to_dict(decision.ranking),
    }


def _cross_check(check: CrossCheck | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        "method": check.method,
        "option": check.option,
        "agrees": check.agrees,
        "reason": check.reason,
    }


def ranking_to_dict(r: SourcingRanking) -> dict[str, Any]:
    return {
        "criteria": [
            {"name": name, "direction": direction, "meaning": meaning, "weight": round(float(w), 6)}
            for (name, direction, meaning), w in zip(CRITERIA, r.weights, strict=True)
        ],
        "weight_source": r.weight_source,
        "consistency_ratio": None if r.consistency_ratio is None else round(r.consistency_ratio, 4),
        "warnings": list(r.warnings),
        "matrix": {
            option: dict(zip(r.criteria, (round(float(v), 4) for v in row), strict=True))
            for option, row in zip(r.options, r.matrix, strict=True)
        },
        "ranks": {
            method: dict(zip(r.options, ranks, strict=True))
            for method, ranks in r.method_ranks.items()
        },
        "consensus_mean_rank": dict(zip(r.options, r.consensus, strict=True)),
        "winner": r.winner,
        "smaa_first_rank_acceptability": {
            option: round(share, 4)
            for option, share in zip(r.options, r.first_rank_acceptability, strict=True)
        },
        "smaa_weights": r.smaa_weights,
        "lead": [{"criterion": name, "contribution": round(v, 6)} for name, v in r.lead],
    }


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    company = decision.scenario.company
    return {
        "format_version": FORMAT_VERSION,
        "sourcewise_version": __version__,
        "scenario": decision.scenario.source,
        "company": {
            "name": company.name,
            "home_country": company.home_country,
            "currency": company.currency,
            "discount_rate": company.discount_rate,
            "horizon_years": company.horizon_years,
        },
        "simulation": None
        if decision.simulation is None
        else {"draws": decision.simulation.draws, "seed": decision.simulation.seed},
        "functions": [
            _function(
                f,
                None if decision.simulation is None else decision.simulation.functions[i].options,
            )
            for i, f in enumerate(decision.functions)
        ],
    }
