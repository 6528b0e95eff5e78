"""What the business case asks the board to prepare: the key risks of the chosen option with
their default playbook, and a pilot plan with acceptance criteria and the sample it needs.

Key risks come from the option's cautioning fit rules (each quotes an article) and from the
risk factors of its arrangement in the outsourcing-vs-offshoring explainer's comparison
(``DIMENSIONS_ARTICLE``): "communication issues, security concerns, quality inconsistencies"
for outsourcing, "political instability, international law changes, currency risks, longer
supply chains" for offshoring.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sourcewise.domain.arrangement import Employer
from sourcewise.domain.articles import DIMENSIONS_ARTICLE
from sourcewise.domain.fit import Stance
from sourcewise.domain.recommendation import OptionAssessment
from sourcewise.domain.scenario import FunctionProfile
from sourcewise.governance.kpis import Direction
from sourcewise.governance.pilot import SampleStats, mean_more_needed, proportion_more_needed
from sourcewise.governance.playbook import DEFAULT_PLAYBOOKS, PlaybookAction
from sourcewise.governance.risks import RiskCategory

RC = RiskCategory

# Which playbook answers each cautioning rule (rule ids from domain.fit).
RULE_RISKS: Mapping[str, tuple[RiskCategory, ...]] = {
    "data-third-party": (RC.DATA_SECURITY,),
    "data-cross-border": (RC.DATA_SECURITY, RC.REGULATORY_CHANGE),
    "ip": (RC.INTELLECTUAL_PROPERTY,),
    "strategic": (RC.INTELLECTUAL_PROPERTY,),
    "time-zones": (RC.TIME_ZONE_AND_COMMUNICATION,),
    "language": (RC.TIME_ZONE_AND_COMMUNICATION, RC.QUALITY),
    "political-economic": (RC.GEOPOLITICAL_VOLATILITY, RC.CURRENCY_SHOCK, RC.REGULATORY_CHANGE),
    "partner-track-record": (RC.VENDOR_FAILURE,),
    "oversight": (RC.QUALITY,),
}

ARTICLE_RISK_FACTORS = f"Risk factors in {DIMENSIONS_ARTICLE.cited}"


@dataclass(frozen=True, slots=True)
class KeyRisk:
    category: RiskCategory
    title: str
    why: tuple[tuple[str, str], ...]
    """(reason, citation) pairs: the rule's reason and the passage it quotes with its article."""
    weight: float
    """Sum of the cautioning rules' weights behind it (0 for an article's risk factor alone)."""
    actions: tuple[PlaybookAction, ...]


def _title(category: RiskCategory) -> str:
    return category.value.replace("_", " ").capitalize()


def key_risks(option: OptionAssessment) -> tuple[KeyRisk, ...]:
    """The option's risks by playbook category, heaviest first, each with the default actions."""
    found: dict[RiskCategory, list[tuple[str, str]]] = {}
    weight: dict[RiskCategory, float] = {}
    for fired in option.rules:
        if fired.stance is not Stance.CAUTIONS:
            continue
        for category in RULE_RISKS.get(fired.rule, ()):
            quote = f"“{fired.citation.passage}” ({fired.citation.article.cited})"
            found.setdefault(category, []).append((fired.reason, quote))
            weight[category] = weight.get(category, 0.0) + fired.weight
    third_party = [p for p in option.sites if p.site.employer is Employer.THIRD_PARTY]
    abroad = [p for p in option.sites if p.relation.abroad]
    factors: list[tuple[RiskCategory, str]] = []
    if third_party:
        names = ", ".join(sorted({p.site.provider for p in third_party}))
        factors += [
            (RC.QUALITY, f"Quality inconsistencies with a provider ({names})."),
            (RC.VENDOR_FAILURE, f"Dependence on {names} to deliver the function."),
        ]
    if abroad:
        countries = ", ".join(sorted({p.relation.work.name for p in abroad}))
        factors += [
            (RC.GEOPOLITICAL_VOLATILITY, f"Political instability in {countries}."),
            (RC.REGULATORY_CHANGE, f"International law changes affecting work in {countries}."),
        ]
        if any(p.relation.work.currency != p.relation.home.currency for p in abroad):
            factors.append((RC.CURRENCY_SHOCK, f"Currency risks: costs incurred in {countries}."))
        own_abroad = [p for p in abroad if p.site.employer is Employer.OWN]
        if own_abroad or option.classification.build_operate_transfer:
            factors.append((RC.TALENT_SHORTAGE, f"Hiring and keeping own staff in {countries}."))
    for category, reason in factors:
        found.setdefault(category, []).append((reason, ARTICLE_RISK_FACTORS))
    order = list(RiskCategory)
    risks = [
        KeyRisk(
            category=category,
            title=_title(category),
            why=tuple(dict.fromkeys(reasons)),
            weight=round(weight.get(category, 0.0), 2),
            actions=DEFAULT_PLAYBOOKS[category],
        )
        for category, reasons in found.items()
    ]
    return tuple(sorted(risks, key=lambda r: (r.weight, order.index(r.category))))


# ---------------------------------------------------------------------------------------------
# Pilot plan

CONFIDENCE = 0.95
PLANNING_DEFECT_RATE = 0.01
"""A pilot expected to run at half the 2% ceiling: the usual margin to plan a sample on."""
PLANNING_ON_TIME_RATE = 0.98
PLANNING_SATISFACTION_GAIN = 0.25
"""Points on a 1–5 survey scale the pilot is planned to beat the baseline by."""
PLANNING_SATISFACTION_SD = 1.0
"""Typical spread of 1–5 satisfaction answers."""


@dataclass(frozen=True, slots=True)
class PilotCriterion:
    name: str
    target: str
    planning: str
    needed: int | None
    unit: str


@dataclass(frozen=True, slots=True)
class PilotPlan:
    option: str
    planned: bool
    criteria: tuple[PilotCriterion, ...]
    confidence: float


def _proportion_needed(rate: float, target: float, direction: Direction) -> int | None:
    # Start from a notional 100 items at the planning rate; the Wilson interval is extended at
    # that rate, so the total does not depend on the starting size.
    start = 100
    events = round(rate * start)
    more = proportion_more_needed(events, start, target, direction, CONFIDENCE)
    return None if more is None else start + more


def pilot_plan(option: str, profile: FunctionProfile) -> PilotPlan:
    """Acceptance criteria from BusinessVert's operational metrics (``PLAYBOOK_ARTICLE``), with
    the items a pilot needs to confirm each at 95% (Wilson for rates, Student t for the
    satisfaction mean)."""
    goods = profile.is_goods
    items = "units inspected" if goods else "work items (calls, tickets, transactions)"
    deliveries = "deliveries" if goods else "work items due"
    start = 2
    satisfaction = SampleStats(3.5 + PLANNING_SATISFACTION_GAIN, PLANNING_SATISFACTION_SD, start)
    more = mean_more_needed(satisfaction, 3.5, Direction.HIGHER_IS_BETTER, CONFIDENCE)
    criteria = (
        PilotCriterion(
            "Defect rate",
            "≤ 2 %",
            f"pilot runs at {PLANNING_DEFECT_RATE:.0%}",
            _proportion_needed(PLANNING_DEFECT_RATE, 0.02, Direction.LOWER_IS_BETTER),
            items,
        ),
        PilotCriterion(
            "On-time delivery",
            "≥ 95 %",
            f"pilot runs at {PLANNING_ON_TIME_RATE:.0%}",
            _proportion_needed(PLANNING_ON_TIME_RATE, 0.95, Direction.HIGHER_IS_BETTER),
            deliveries,
        ),
        PilotCriterion(
            "Satisfaction",
            "≥ in-house baseline",
            f"pilot {PLANNING_SATISFACTION_GAIN:+.2f} points above the baseline on a 1–5 "
            f"scale, answers spread ±{PLANNING_SATISFACTION_SD:g}",
            None if more is None else start + more,
            "survey answers",
        ),
    )
    return PilotPlan(option, profile.pilot_planned, criteria, CONFIDENCE)
