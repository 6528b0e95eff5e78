"""The decision workspace as JSON-able data: saved scenarios and their versions, the diff of
two versions, decision runs with their review, and the comparison of two runs. Dates are ISO
8601 in UTC; a run's stored result is its own document (``run_result``) and is not repeated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sourcewise.services.run_comparison import OptionSide, RunComparison
from sourcewise.services.scenario_library import InputChange, ScenarioDiff
from sourcewise.workspace.records import DecisionRun, Review, SavedScenario, ScenarioVersion

DRIVERS_NOTE = (
    "First-order estimates: each changed uncertain input's shift in mean times the slope of "
    "the option's saving across that input's range in the later run's tornado, one input at a "
    "time with the others at their means. They need not add up to the change in saving, and a "
    "changed fixed input (not a distribution) has no estimate."
)


def when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def recommendations_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each function's recommended option in a stored result, with its saving (the simulated
    mean when there were draws), P(beats status quo) and first reason."""
    decision = result.get("decision") or {}
    currency = (decision.get("company") or {}).get("currency")
    found = []
    for function in decision.get("functions", []):
        recommendation = function.get("recommendation") or {}
        name = recommendation.get("option")
        options = function.get("options", [])
        option: dict[str, Any] = next((o for o in options if o["name"] == name), {})
        distribution = option.get("savings_vs_status_quo_distribution") or {}
        reasons = recommendation.get("reasons") or []
        found.append(
            {
                "function": function["name"],
                "option": name,
                "status_quo": bool(option.get("status_quo")),
                "saving": distribution.get("mean", option.get("savings_vs_status_quo")),
                "p_beats_status_quo": option.get("p_beats_status_quo"),
                "currency": currency,
                "reason": reasons[0] if reasons else None,
            }
        )
    return found


def scenarios_json(rows: Sequence[tuple[SavedScenario, ScenarioVersion | None]]) -> list[Any]:
    return [
        {
            "name": s.name,
            "owner": s.owner,
            "sharing": s.visibility.value,
            "latest_version": s.latest_version,
            "created_at": when(s.created_at),
            "updated_at": when(latest.created_at if latest else None),
            "updated_by": latest.author if latest else None,
        }
        for s, latest in rows
    ]


def version_json(version: ScenarioVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "saved_at": when(version.created_at),
        "author": version.author,
        "note": version.note,
        "digest": version.digest,
        "bytes": len(version.text.encode("utf-8")),
    }


def versions_json(scenario: SavedScenario, versions: Sequence[ScenarioVersion]) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "owner": scenario.owner,
        "sharing": scenario.visibility.value,
        "created_at": when(scenario.created_at),
        "versions": [version_json(v) for v in versions],
    }


def change_json(change: InputChange) -> dict[str, Any]:
    return {
        "path": change.path,
        "change": change.change,
        "before": change.before,
        "after": change.after,
        "source_before": change.source_before,
        "source_after": change.source_after,
        "line_before": change.line_before,
        "line_after": change.line_after,
    }


def diff_json(diff: ScenarioDiff) -> dict[str, Any]:
    return {
        "scenario": diff.after.scenario,
        "before": version_json(diff.before),
        "after": version_json(diff.after),
        "changes": [change_json(c) for c in diff.changes],
    }


def review_json(review: Review) -> dict[str, Any]:
    return {
        "proposed_by": review.proposed_by,
        "proposed_at": when(review.proposed_at),
        "proposal_note": review.proposal_note,
        "reviewed_by": review.reviewed_by,
        "reviewed_at": when(review.reviewed_at),
        "review_comment": review.review_comment,
    }


def run_json(run: DecisionRun) -> dict[str, Any]:
    """A run without its result (``run show --format json`` gives the result)."""
    return {
        "id": run.id,
        "scenario": run.scenario,
        "version": run.version,
        "status": run.status.value,
        "created_at": when(run.created_at),
        "actor": run.actor,
        "draws": run.draws,
        "seed": run.seed,
        "software_version": run.software_version,
        "data_version": run.data_version,
        "result_digest": run.result_digest,
        "review": review_json(run.review),
    }


def _side(side: OptionSide | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {
        "saving": side.saving,
        "p_beats_status_quo": side.p_beats_status_quo,
        "rank": side.rank,
    }


def comparison_json(comparison: RunComparison) -> dict[str, Any]:
    def run(r: DecisionRun) -> dict[str, Any]:
        return {"id": r.id, "scenario": r.scenario, "version": r.version, "status": r.status.value}

    return {
        "before": run(comparison.before),
        "after": run(comparison.after),
        "recommendations": [
            {"function": f, "before": a, "after": b, "changed": a != b}
            for f, a, b in comparison.recommendations
        ],
        "options": [
            {
                "function": o.function,
                "option": o.option,
                "before": _side(o.before),
                "after": _side(o.after),
                "saving_change": o.saving_change,
            }
            for o in comparison.options
        ],
        "changes": [change_json(c) for c in comparison.changes],
        "drivers": [
            {
                "input": d.input,
                "option": d.option,
                "mean_before": d.mean_before,
                "mean_after": d.mean_after,
                "estimated_effect": d.estimated_effect,
            }
            for d in comparison.drivers
        ],
        "drivers_note": DRIVERS_NOTE,
    }
