"""An engagement's steering terms (scorecard weights, corrective-action defaults, remedies) as
the JSON of ``engagements.steering``: small, read and written whole with the engagement, so a
column rather than three tables. None (an engagement stored before 0006) reads as the defaults."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sourcewise.governance.corrective_actions import PlanTerms
from sourcewise.governance.kpis import ScorecardDomain
from sourcewise.governance.remedies import Remedy, RemedyKind
from sourcewise.governance.scorecard import ScorecardTerms
from sourcewise.governance.service_levels import ServiceLevelKind


def steering_json(
    scorecard: ScorecardTerms, plans: PlanTerms, remedies: tuple[Remedy, ...]
) -> dict[str, Any]:
    return {
        "scorecard": {
            "weights": {str(d): float(w) for d, w in scorecard.weights.items()},
            "breach_points": {str(k): float(p) for k, p in scorecard.breach_points.items()},
            "lookback_months": scorecard.lookback_months,
        },
        "corrective_actions": {"owner": plans.owner, "due_days": plans.due_days},
        "remedies": [
            {
                "kind": r.kind.value,
                "clause": r.clause,
                "after_breaches": r.after_breaches,
                "consecutive": r.consecutive,
                "within_months": r.within_months,
                "applies_to": [k.value for k in r.applies_to],
                "level": r.level,
                "withhold_pct": None if r.withhold_pct is None else str(r.withhold_pct),
                "note": r.note,
            }
            for r in remedies
        ],
    }


def scorecard_terms(data: dict[str, Any] | None) -> ScorecardTerms:
    if not data:
        return ScorecardTerms()
    terms = data["scorecard"]
    return ScorecardTerms(
        weights={ScorecardDomain(d): float(w) for d, w in terms["weights"].items()},
        breach_points={ServiceLevelKind(k): float(p) for k, p in terms["breach_points"].items()},
        lookback_months=int(terms["lookback_months"]),
    )


def plan_terms(data: dict[str, Any] | None) -> PlanTerms:
    if not data:
        return PlanTerms()
    terms = data["corrective_actions"]
    return PlanTerms(str(terms["owner"]), int(terms["due_days"]))


def remedies(data: dict[str, Any] | None) -> tuple[Remedy, ...]:
    if not data:
        return ()
    return tuple(
        Remedy(
            kind=RemedyKind(r["kind"]),
            clause=r["clause"],
            after_breaches=int(r["after_breaches"]),
            consecutive=bool(r["consecutive"]),
            within_months=int(r["within_months"]),
            applies_to=tuple(ServiceLevelKind(k) for k in r["applies_to"]),
            level=r["level"],
            withhold_pct=None if r["withhold_pct"] is None else Decimal(r["withhold_pct"]),
            note=r["note"],
        )
        for r in data["remedies"]
    )
