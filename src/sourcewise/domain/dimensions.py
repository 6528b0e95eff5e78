"""The explainer's five comparison dimensions, said of one option.

The untitled outsourcing-vs-offshoring explainer (``domain.articles.DIMENSIONS_ARTICLE``)
compares the two on geography, focus, cost structure, control and oversight, and risk factors.
Every option is described on all five, in the explainer's words where they fit and with the
option's own facts (countries, time gap, savings) filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcewise.domain.arrangement import Arrangement, Classification, Employer
from sourcewise.domain.cost import Savings
from sourcewise.domain.fit import PlacedSite
from sourcewise.domain.location_score import Component

DIMENSIONS = ("geography", "focus", "cost_structure", "control_and_oversight", "risk_factors")


@dataclass(frozen=True, slots=True)
class Dimensions:
    geography: str
    focus: str
    cost_structure: str
    control_and_oversight: str
    risk_factors: str

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in DIMENSIONS}


def _geography(sites: tuple[PlacedSite, ...]) -> str:
    parts = []
    for placed in sites:
        relation = placed.relation
        share = f"{placed.site.share:.0%} " if len(sites) > 1 else ""
        if not relation.abroad:
            parts.append(f"{share}in the home country ({relation.home.name})")
            continue
        near = ", nearshore" if placed.classification.nearshore else ""
        shift = " on a home-hours shift" if placed.site.follows_home_hours else ""
        parts.append(
            f"{share}in {relation.work.name} ({relation.work.business_city}, "
            f"{relation.timezone_gap_hours:+g} h from home, {placed.overlap_hours:g} h "
            f"shared working day{shift}{near})"
        )
    return "; ".join(parts) + "."


_FOCUS = {
    Arrangement.IN_HOUSE: "Own staff keep the work; no expertise bought in, no labour arbitrage.",
    Arrangement.DOMESTIC_OUTSOURCING: (
        "Delegating specific tasks or services to an external provider for its expertise and "
        "scale, without relocating overseas."
    ),
    Arrangement.CAPTIVE_OFFSHORING: (
        "Relocating the function to an own centre abroad, primarily for lower labour and "
        "operational costs and a skilled talent pool."
    ),
    Arrangement.OFFSHORE_OUTSOURCING: (
        "Delegating the function to a provider abroad: external expertise combined with "
        "lower wages."
    ),
    Arrangement.HYBRID: (
        "A hybrid approach, blending outsourcing for specialized work with offshoring for "
        "core operations."
    ),
}

_CONTROL = {
    Arrangement.IN_HOUSE: "Full control: own managers supervise own staff on site.",
    Arrangement.DOMESTIC_OUTSOURCING: (
        "Varies by agreement; you retain oversight through the contract and SLAs but the "
        "provider manages the workers."
    ),
    Arrangement.CAPTIVE_OFFSHORING: (
        "More control, as the teams are your own, but logistical challenges and reduced "
        "direct supervision due to distance."
    ),
    Arrangement.OFFSHORE_OUTSOURCING: (
        "Least direct control: the provider manages the workers at a distance; oversight "
        "rests on SLAs, audits and a steering committee."
    ),
    Arrangement.HYBRID: "Mixed: direct control of own teams, contractual oversight of providers.",
}


def _cost_structure(classification: Classification, savings: Savings | None) -> str:
    third_party = (
        any(c.arrangement.is_outsourcing for _, c in classification.parts)
        or classification.arrangement.is_outsourcing
    )
    basis = (
        "Variable provider fees that scale with volume"
        if third_party
        else "Fixed own payroll and facilities"
    )
    if savings is None:
        return f"{basis}; the status quo against which savings are measured."
    return (
        f"{basis}; {savings.savings_share:+.0%} net present saving on total cost of ownership "
        f"against {savings.price_savings_share:+.0%} on price alone."
    )


def _risks(classification: Classification, sites: tuple[PlacedSite, ...]) -> str:
    risks = []
    if any(p.site.employer is Employer.THIRD_PARTY for p in sites):
        risks.append("communication issues, security concerns, quality inconsistencies")
    abroad = [p for p in sites if p.relation.abroad]
    if abroad:
        risks.append(
            "political instability, international law changes, currency risks, longer supply "
            f"chains ({', '.join(sorted({p.relation.work.name for p in abroad}))})"
        )
    for placed in abroad:
        if placed.location is None:
            continue
        known = [
            placed.location.component(c)
            for c in (Component.GOVERNANCE, Component.ECONOMIC)
            if placed.location.component(c).score is not None
        ]
        if known:
            facts = "; ".join(c.explanation.split(" (2%")[0] for c in known)
            risks.append(f"in {placed.relation.work.name}: {facts}")
    if classification.build_operate_transfer:
        risks.append("the transfer itself: staff retention and knowledge at hand-over")
    return ("; ".join(risks) or "no new sourcing risk; the existing operation's risks remain") + "."


def describe(
    classification: Classification, sites: tuple[PlacedSite, ...], savings: Savings | None
) -> Dimensions:
    return Dimensions(
        geography=_geography(sites),
        focus=_FOCUS[classification.arrangement],
        cost_structure=_cost_structure(classification, savings),
        control_and_oversight=_CONTROL[classification.arrangement],
        risk_factors=_risks(classification, sites),
    )
