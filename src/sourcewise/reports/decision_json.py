"""The decision as a ``DecisionDocument`` and as JSON-ready data: the stable machine interface of
``sourcewise decide`` (shape and meaning of every key in ``decision_document``)."""

from __future__ import annotations

from typing import Any

from sourcewise.domain.criteria import CRITERIA
from sourcewise.domain.fit import FiredRule
from sourcewise.domain.recommendation import OptionAssessment
from sourcewise.domain.scenario import Scenario
from sourcewise.reports.business_case_inputs import input_name
from sourcewise.reports.decision_document import (
    Contribution,
    Criterion,
    CrossCheck,
    DecisionDocument,
    Dimensions,
    Function,
    InformationSummary,
    Mcda,
    Option,
    PilotSummary,
    Recommendation,
    Rule,
    Site,
)
from sourcewise.reports.document import distribution, header, money, month_distribution
from sourcewise.reports.information_json import input_information, pilot_point
from sourcewise.reports.information_words import findings
from sourcewise.reports.location_json import location_document
from sourcewise.services.decide import Decision, FunctionDecision
from sourcewise.services.simulate import FunctionSimulation
from sourcewise.services.sourcing_mcda import SourcingRanking
from sourcewise.services.value_of_information import FunctionInformation

TOP_INPUTS = 5
"""Inputs the decide document lists; ``sourcewise voi`` lists every one."""


def _rule(fired: FiredRule) -> Rule:
    return Rule(
        id=fired.rule,
        title=fired.title,
        stance=fired.stance,
        weight=fired.weight,
        reason=fired.reason,
        seed_article=fired.citation.seed,
        article=fired.citation.article.cited,
        passage=fired.citation.passage,
    )


def _option(assessment: OptionAssessment, simulated: FunctionSimulation | None) -> Option:
    c = assessment.classification
    savings = assessment.savings
    projection = assessment.projection
    found = None
    if simulated is not None:
        found = next((o for o in simulated.options if o.name == assessment.name), None)
    npv_draws = simulated.status_quo if simulated and assessment.is_status_quo else None
    if found is not None:
        npv_draws = found.npv
    return Option(
        name=assessment.name,
        status_quo=assessment.is_status_quo,
        arrangement=c.arrangement,
        label=c.label,
        nearshore=c.nearshore,
        build_operate_transfer=c.build_operate_transfer,
        becomes=c.becomes,
        reason=c.reason,
        country="+".join(p.site.country for p in assessment.sites),
        provider=" + ".join(p.site.provider for p in assessment.sites),
        sites=[
            Site(
                country=p.site.country,
                country_name=p.relation.work.name,
                employer=p.site.employer,
                provider=p.site.provider,
                share=p.site.share,
                arrangement=p.classification.arrangement,
                timezone_gap_hours=p.relation.timezone_gap_hours,
                overlap_hours=p.overlap_hours,
                follows_home_hours=p.site.follows_home_hours,
            )
            for p in assessment.sites
        ],
        yearly_cost=[money(v) for v in projection.yearly],
        npv_cost=money(projection.npv),
        npv_cost_distribution=None if npv_draws is None else distribution(npv_draws),
        price_npv=money(projection.price_npv if savings else projection.npv),
        components_npv={
            name: money(projection.component_npv(name))
            for name in projection.components
            if projection.component_npv(name) != 0
        },
        components_npv_mean=None
        if found is None
        else {name: money(value) for name, value in found.components.items()},
        savings_vs_status_quo=money(savings.npv_savings if savings else 0.0),
        savings_vs_status_quo_distribution=None if found is None else distribution(found.savings),
        savings_share=round(savings.savings_share, 6) if savings else 0.0,
        price_savings_share=round(savings.price_savings_share, 6) if savings else 0.0,
        p_beats_status_quo=None if found is None else round(found.p_beats_status_quo, 6),
        break_even_month=savings.break_even_month if savings else None,
        break_even_month_distribution=None
        if found is None
        else month_distribution(found.break_even),
        fit_score=assessment.fit_score,
        score=round(assessment.score, 6),
        rules=[_rule(f) for f in assessment.rules],
        dimensions=Dimensions(**assessment.dimensions.as_dict()),
    )


def information_block(f: FunctionInformation, scenario: Scenario) -> InformationSummary:
    """The decide document's summary of the value of information of one function."""
    against = f.recommended
    gap = 0.0 if against is None else against.cost_gap
    return InformationSummary(
        cheapest=f.best_today,
        recommended_is_cheapest=against is None or against.is_cheapest,
        cost_gap=money(gap),
        perfect_value=money(f.perfect),
        perfect_value_se=money(f.perfect_se),
        recommended_value=money(f.perfect if against is None else against.value),
        recommended_value_se=money(f.perfect_se if against is None else against.value_se),
        summary=findings(f, scenario),
        inputs=[input_information(i, f.perfect, scenario) for i in f.inputs[:TOP_INPUTS]],
        pilots=[
            PilotSummary(
                input=p.label,
                name=input_name(p.label, scenario),
                option=p.option,
                months=p.months,
                perfect_value=money(p.perfect),
                curve=[pilot_point(point) for point in p.curve],
                best=pilot_point(p.best),
                worth_running=p.worth_running,
            )
            for p in f.pilots
        ],
    )


def _function(
    decision: FunctionDecision,
    simulated: FunctionSimulation | None,
    information: InformationSummary | None = None,
) -> Function:
    profile = decision.profile
    recommendation = decision.recommendation
    check = recommendation.cross_check
    return Function(
        name=profile.name,
        kind=profile.kind,
        positioning=profile.positioning,
        status_quo_npv=money(decision.assessments[0].projection.npv),
        recommendation=Recommendation(
            option=recommendation.option,
            reasons=list(recommendation.reasons),
            cross_check=None
            if check is None
            else CrossCheck(
                method=check.method, option=check.option, agrees=check.agrees, reason=check.reason
            ),
        ),
        options=[_option(a, simulated) for a in decision.assessments],
        locations={code: location_document(found) for code, found in decision.locations.items()},
        mcda=None if decision.ranking is None else ranking_document(decision.ranking),
        information=information,
    )


def ranking_document(r: SourcingRanking) -> Mcda:
    return Mcda(
        criteria=[
            Criterion(name=name, direction=direction, meaning=meaning, weight=round(float(w), 6))
            for (name, direction, meaning), w in zip(CRITERIA, r.weights, strict=True)
        ],
        weight_source=r.weight_source,
        consistency_ratio=None if r.consistency_ratio is None else round(r.consistency_ratio, 4),
        warnings=list(r.warnings),
        matrix={
            option: dict(zip(r.criteria, (round(float(v), 4) for v in row), strict=True))
            for option, row in zip(r.options, r.matrix, strict=True)
        },
        ranks={
            method: dict(zip(r.options, ranks, strict=True))
            for method, ranks in r.method_ranks.items()
        },
        consensus_mean_rank=dict(zip(r.options, r.consensus, strict=True)),
        winner=r.winner,
        smaa_rank_acceptability={
            option: [round(share, 4) for share in row]
            for option, row in zip(r.options, r.rank_acceptability, strict=True)
        },
        smaa_weights=r.smaa_weights,
        lead=[Contribution(criterion=name, contribution=round(v, 6)) for name, v in r.lead],
    )


def decision_document(decision: Decision) -> DecisionDocument:
    simulation = decision.simulation
    valued = decision.information
    return DecisionDocument(
        **header(decision.scenario, simulation),
        functions=[
            _function(
                f,
                None if simulation is None else simulation.functions[i],
                None
                if valued is None
                else information_block(valued.functions[i], decision.scenario),
            )
            for i, f in enumerate(decision.functions)
        ],
    )


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """The decide document as JSON-ready data (docs/decide-json.md)."""
    return decision_document(decision).model_dump(mode="json")
