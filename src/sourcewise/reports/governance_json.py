"""Governance results as JSON-able data: SLA months and credits, drift alerts, scorecards,
benefit realisation. Money is a string (exact decimal), dates are ISO 8601."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sourcewise.governance.benefits import BenefitReport
from sourcewise.governance.scorecard import Scorecard
from sourcewise.governance.service_levels import WindowResult
from sourcewise.services.monitoring import DriftAlert
from sourcewise.services.sla import SlaMonth, SlaReport


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def window_result(result: WindowResult) -> dict[str, Any]:
    level = result.service_level
    return {
        "service_level": level.name,
        "metric": level.metric,
        "kind": level.kind.value,
        "target": level.target,
        "direction": level.direction.value,
        "unit": level.unit,
        "attained": result.attained,
        "sample": result.sample,
        "consumption": result.consumption,
        "status": result.status.value,
        "shortfall": result.shortfall,
    }


def sla_month(month: SlaMonth) -> dict[str, Any]:
    c = month.credits
    return {
        "month": f"{month.month:%Y-%m}",
        "fees": money(c.fees),
        "fees_source": month.fees_source,
        "at_risk": money(c.at_risk),
        "results": [window_result(r) for r in month.results],
        "credit_lines": [
            {
                "service_level": line.service_level,
                "allocation_pct": money(line.allocation_pct),
                "factor": money(line.factor),
                "amount": money(line.amount),
                "credited": money(line.credited),
            }
            for line in c.lines
        ],
        "assessed": money(c.assessed),
        "capped_by": c.capped_by,
        "credit": money(c.credit),
        "waived": money(c.waived),
        "credit_months": [f"{m:%Y-%m}" for m in c.credit_months],
        "earned_back": money(c.earned_back),
        "net": money(c.net),
        "warnings": [r.service_level.name for r in c.warnings],
    }


def sla_report_json(report: SlaReport) -> dict[str, Any]:
    e = report.engagement
    credits = [m.credits for m in report.months]
    return {
        "engagement": e.name,
        "provider": e.provider,
        "currency": e.currency,
        "month": sla_month(report.last),
        "to_date": {
            "credits": money(sum((c.credit for c in credits), Decimal(0))),
            "earned_back": money(sum((c.earned_back for c in credits), Decimal(0))),
            "net": money(sum((c.net for c in credits), Decimal(0))),
        },
        "history": [sla_month(m) for m in report.months[:-1]],
    }


def drift_json(alerts: Sequence[DriftAlert]) -> list[dict[str, Any]]:
    return [
        {
            "engagement": a.engagement,
            "kpi": a.kpi,
            "series": a.series,
            "rule": a.rule.value,
            "side": a.side.value,
            "first": a.first.isoformat(),
            "last": a.last.isoformat(),
            "points": a.points,
            "description": a.description,
        }
        for a in alerts
    ]


def scorecards_json(cards: Sequence[Scorecard]) -> list[dict[str, Any]]:
    return [
        {
            "provider": c.provider,
            "period": f"{c.period:%Y-%m}",
            "overall": c.overall,
            "grade": c.grade,
            "coverage": c.coverage,
            "change": c.change,
            "change_3_periods": c.change_3_periods,
            "domains": [
                {
                    "domain": d.domain.value,
                    "score": d.score,
                    "weight": d.weight,
                    "metrics": d.metrics,
                }
                for d in c.domains
            ],
        }
        for c in cards
    ]


def benefits_json(name: str, report: BenefitReport, planned_case: str | None) -> dict[str, Any]:
    """``planned_case``: the approved case the plan comes from (``services.benefits.
    planned_case``), None when it comes from the scenario file the engagement file names."""

    def month(d: Any) -> str | None:
        return None if d is None else f"{d:%Y-%m}"

    return {
        "engagement": name,
        "planned_case": planned_case,
        "planned_breakeven": month(report.planned_breakeven),
        "actual_breakeven": month(report.actual_breakeven),
        "forecast_breakeven": month(report.forecast_breakeven),
        "forecast_note": report.forecast_note,
        "run_rate": money(report.run_rate),
        "cumulative_variance": money(report.cumulative_variance),
        "realisation": None if report.realisation is None else float(report.realisation),
        "months": [
            {
                "month": f"{m.month:%Y-%m}",
                "baseline_cost": money(m.baseline_cost),
                "planned_cost": money(m.planned_cost),
                "actual_cost": money(m.actual_cost),
                "planned_saving": money(m.planned_saving),
                "actual_saving": money(m.actual_saving),
                "variance": money(m.variance),
                "cumulative_planned": money(m.cumulative_planned),
                "cumulative_actual": money(m.cumulative_actual),
                "cumulative_variance": money(m.cumulative_variance),
            }
            for m in report.months
        ],
    }
