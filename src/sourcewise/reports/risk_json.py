"""The risk register, trigger evaluations, escalations and a risk's history as JSON-able data
(``sourcewise risk --format json`` and /api/v1/risks). Dates are ISO 8601."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sourcewise.governance.triggers import trigger_to_dict
from sourcewise.services.governance_store import as_json
from sourcewise.services.risk_register import risk_json

if TYPE_CHECKING:
    from sourcewise.governance.playbook import PlaybookRecord
    from sourcewise.governance.risks import Assessment
    from sourcewise.services.risk_register import Escalation, Evaluation, Register, RiskHistory


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "likelihood": assessment.likelihood,
        "impact": assessment.impact,
        "score": assessment.score,
        "rating": str(assessment.rating),
    }


def _playbook_json(run: PlaybookRecord) -> dict[str, Any]:
    return {
        "risk": run.risk,
        "trigger": run.trigger,
        "reason": run.reason,
        "opened_at": run.opened_at.isoformat(),
        "resolved_at": None if run.resolved_at is None else run.resolved_at.isoformat(),
        "actions": [
            {"action": a, "owner_role": o, "due_at": as_json(due), "done_at": as_json(done)}
            for a, o, due, done in run.actions
        ],
    }


def register_json(register: Register) -> dict[str, Any]:
    def cells(grid: dict[tuple[int, int], tuple[str, ...]]) -> list[dict[str, Any]]:
        return [
            {"likelihood": likelihood, "impact": impact, "risks": list(codes)}
            for (likelihood, impact), codes in grid.items()
        ]

    return {
        "risks": [
            {
                **risk_json(risk),
                "inherent": _assessment_json(risk.inherent),
                "residual": _assessment_json(risk.residual),
                "open_playbooks": register.open_playbooks.get(risk.code, 0),
            }
            for risk in register.risks
        ],
        "heat_map": {
            "residual": cells(register.heat_map),
            "inherent": cells(register.inherent_heat_map),
        },
        "summary": {str(rating): count for rating, count in register.summary.items()},
    }


def evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "as_of": evaluation.as_of.isoformat(),
        "risks": [
            {
                "code": item.risk.code,
                "title": item.risk.title,
                "engagement": item.risk.engagement,
                "triggers": [
                    {
                        "trigger": outcome.firing.trigger.description,
                        "definition": trigger_to_dict(outcome.firing.trigger),
                        "status": str(outcome.firing.status),
                        "reason": outcome.firing.reason,
                        "playbook": outcome.playbook,
                    }
                    for outcome in item.outcomes
                ],
            }
            for item in evaluation.risks
        ],
        "opened": [_playbook_json(run) for run in evaluation.opened],
    }


def escalations_json(found: tuple[Escalation, ...]) -> list[dict[str, Any]]:
    return [
        {
            "risk": item.risk.code,
            "title": item.risk.title,
            "engagement": item.risk.engagement,
            "trigger": item.playbook.trigger,
            "opened_at": item.playbook.opened_at.isoformat(),
            "level": item.state.level,
            "level_name": item.state.name,
            "owner_role": item.state.owner_role,
            "level_started_at": item.state.level_started_at.isoformat(),
            "expires_at": item.state.expires_at.isoformat(),
            "overdue": item.state.overdue,
            "next_action": None
            if item.next_action is None
            else {
                "action": item.next_action[0],
                "owner_role": item.next_action[1],
                "due_at": item.next_action[2].isoformat(),
            },
        }
        for item in found
    ]


def history_json(history: RiskHistory) -> dict[str, Any]:
    return {
        "risk": risk_json(history.risk),
        "changes": [
            {
                "at": change.at.isoformat(),
                "actor": change.actor,
                "field": change.field,
                "before": change.before,
                "after": change.after,
            }
            for change in history.changes
        ],
        "playbooks": [_playbook_json(run) for run in history.playbooks],
    }
