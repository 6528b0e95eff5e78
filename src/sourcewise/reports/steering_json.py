"""Corrective-action plans and proposed remedies as JSON (the CLI's ``--output json`` and the
engagement's API answer alike)."""

from __future__ import annotations

from typing import Any

from sourcewise.governance.corrective_actions import CorrectiveActionPlan
from sourcewise.governance.remedies import ProposedRemedy, Remedy
from sourcewise.services.remedies import RemedyReport


def plan_json(plan: CorrectiveActionPlan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "engagement": plan.engagement,
        "service_level": plan.service_level,
        "first_breach": f"{plan.first_breach:%Y-%m}",
        "last_breach": f"{plan.last_breach:%Y-%m}",
        "owner": plan.owner,
        "due_on": plan.due_on.isoformat(),
        "opened_at": plan.opened_at.isoformat(),
        "state": plan.state.value,
        "closed_by": plan.closed_by,
        "closed_at": None if plan.closed_at is None else plan.closed_at.isoformat(),
        "closing_note": plan.closing_note,
    }


def remedy_json(remedy: Remedy) -> dict[str, Any]:
    return {
        "kind": remedy.kind.value,
        "title": remedy.title,
        "clause": remedy.clause,
        "trigger": remedy.trigger,
        "after_breaches": remedy.after_breaches,
        "consecutive": remedy.consecutive,
        "within_months": remedy.within_months,
        "applies_to": [k.value for k in remedy.applies_to],
        "level": remedy.level,
        "withhold_pct": None if remedy.withhold_pct is None else str(remedy.withhold_pct),
        "note": remedy.note,
    }


def proposed_json(proposed: ProposedRemedy) -> dict[str, Any]:
    return {
        "service_level": proposed.service_level,
        "breached_months": [f"{m:%Y-%m}" for m in proposed.breached_months],
        "as_of": f"{proposed.as_of:%Y-%m}",
        "remedy": remedy_json(proposed.remedy),
    }


def remedies_json(report: RemedyReport) -> dict[str, Any]:
    return {
        "engagement": report.engagement,
        "month": f"{report.month:%Y-%m}",
        "proposed": [proposed_json(p) for p in report.proposed],
        "remedies": [remedy_json(r) for r in report.remedies],
    }
