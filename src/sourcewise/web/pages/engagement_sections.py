"""What each section of an engagement page shows, gathered from the governance services.

Every function returns the values of its section's template (``engagements/_NAME.html``);
a section without data says so instead of failing the page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sourcewise.governance.kpis import value_range
from sourcewise.governance.records import Engagement
from sourcewise.governance.risks import Rating
from sourcewise.governance.scorecard import DOMAIN_NAMES
from sourcewise.governance.service_levels import Status
from sourcewise.reports.governance_terminal import RULE_TEXT
from sourcewise.security.users import Principal
from sourcewise.services import views
from sourcewise.services.benefits import NoPlanError, benefits
from sourcewise.services.corrective_actions import plans_of
from sourcewise.services.engagement_cases import approved_runs, case_of
from sourcewise.services.engagements import month_starts
from sourcewise.services.finding_answers import answers_by_finding, finding_version
from sourcewise.services.governance_records import audit_report, meeting_report, open_actions
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.monitoring import drift_alerts, scorecards
from sourcewise.services.playbook_steps import playbook_id
from sourcewise.services.record_analysis import RecordError, evaluate_pilot_record, survey_report
from sourcewise.services.record_editing import record_id
from sourcewise.services.record_versions import version_of
from sourcewise.services.remedies import remedy_report
from sourcewise.services.risk_register import Escalation, escalations, risk_register
from sourcewise.services.sla import SlaMonth, sla_report
from sourcewise.web.charts_governance import (
    ControlChart,
    benefits_chart,
    kpi_control_chart,
    scorecard_chart,
)

WARNINGS = (Status.WARNING_50, Status.WARNING_75)
STATUS_TEXT = {
    Status.MET: "met",
    Status.WARNING_50: "warning (≥ 50 %)",
    Status.WARNING_75: "warning (≥ 75 %)",
    Status.BREACH: "breach",
    Status.INSUFFICIENT_SAMPLE: "sample too small",
    Status.NO_DATA: "no data",
}
STATUS_CLASS = {
    Status.MET: "ok",
    Status.WARNING_50: "warn",
    Status.WARNING_75: "warn",
    Status.BREACH: "bad",
    Status.INSUFFICIENT_SAMPLE: "muted",
    Status.NO_DATA: "muted",
}
RATING_CLASS = {Rating.LOW: "ok", Rating.MEDIUM: "warn", Rating.HIGH: "bad", Rating.CRITICAL: "bad"}


def parse_month(text: str | None) -> date | None:
    """``YYYY-MM`` as the month's first day; None if absent or not a month."""
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        return None


def month_list(months: Sequence[date]) -> str:
    """Months as "Mar, Aug and Oct 2026", each with its year when they span two years."""
    if not months:
        return ""
    one_year = len({m.year for m in months}) == 1
    names = [f"{m:%b}" if one_year else f"{m:%b %Y}" for m in months]
    text = names[-1] if len(names) < 2 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{text} {months[0].year}" if one_year else text


@dataclass(frozen=True, slots=True)
class StatusCounts:
    met: int
    warnings: int
    breaches: int
    other: int

    @classmethod
    def of(cls, month: SlaMonth) -> StatusCounts:
        statuses = [r.status for r in month.results]
        return cls(
            sum(s is Status.MET for s in statuses),
            sum(s in WARNINGS for s in statuses),
            sum(s is Status.BREACH for s in statuses),
            sum(s in (Status.NO_DATA, Status.INSUFFICIENT_SAMPLE) for s in statuses),
        )


def sla_section(
    make_uow: UowFactory, engagement: Engagement, asked: str | None, today: date
) -> dict[str, Any]:
    """Service levels and credits of the month asked for (default: the latest with data)."""
    latest = views.latest_measured_month(make_uow, engagement, today)
    months = list(reversed(month_starts(engagement.start, max(latest, today.replace(day=1)))))
    month = parse_month(asked)
    error = None
    if asked and (month is None or month not in months):
        error = f"'{asked}' is not a month of this engagement; showing {latest:%Y-%m}"
        month = None
    report = sla_report(make_uow, engagement.name, month or latest)
    shown = report.last
    net_total = sum((m.credits.net for m in report.months), start=Decimal(0))
    return {
        "month": shown.month,
        "months": months,
        "latest": latest,
        "sla": shown,
        "counts": StatusCounts.of(shown),
        "net_total": net_total,
        "credit_months": month_list(shown.credits.credit_months),
        "since": report.months[0].month,
        "status_text": STATUS_TEXT,
        "status_class": STATUS_CLASS,
        "month_error": error,
    }


def kpi_section(make_uow: UowFactory, engagement: Engagement) -> dict[str, Any]:
    """An XmR chart per KPI series, with the drift alerts of the engagement."""
    targets = {s.metric: s.target for s in engagement.service_levels}
    definitions, measured = views.measured_series(make_uow, engagement.name)
    charts: list[tuple[str, ControlChart]] = []
    too_short: list[str] = []
    for code, series in measured.items():
        groups: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
        for m in series:
            groups[m.series].append((m.period, m.value))
        definition = definitions.get(code)
        name = definition.name if definition else code
        for label, points in groups.items():
            title = f"{name} ({label})" if label else name
            built = kpi_control_chart(
                f"kpi-{len(charts)}",
                title,
                [p for p, _ in points],
                [v for _, v in points],
                definition.unit.value if definition else "",
                targets.get(code),
                value_range(definition) if definition else (None, None),
            )
            if built is None:
                too_short.append(title)
            else:
                charts.append((code, built))
    return {
        "measured": bool(measured),
        "charts": charts,
        "too_short": too_short,
        "alerts": drift_alerts(make_uow, engagement.name)[:20],
        "rule_text": RULE_TEXT,
        "kpi_names": {code: d.name for code, d in definitions.items()},
    }


def scorecard_section(
    make_uow: UowFactory, engagement: Engagement, asked: str | None, today: date
) -> dict[str, Any]:
    """The provider's scorecards over the 12 months up to the month shown; none before the
    engagement has a measurement (the provider's other engagements are not its record)."""
    if not views.is_measured(make_uow, engagement.name):
        return {"cards": (), "chart": None}
    until = parse_month(asked) or views.latest_measured_month(make_uow, engagement, today)
    cards = scorecards(make_uow, engagement.provider, until, months=12)
    cards = tuple(c for c in cards if c.period >= engagement.start.replace(day=1)) or cards
    if not any(c.overall is not None for c in cards):
        # No month scored: no chart of empty months.
        return {
            "cards": (),
            "chart": None,
            "domain_names": DOMAIN_NAMES,
            "terms": engagement.scorecard,
        }
    return {
        "cards": cards,
        "chart": scorecard_chart("scorecard-chart", cards),
        "domain_names": DOMAIN_NAMES,
        "terms": engagement.scorecard,
    }


def plan_section(make_uow: UowFactory, engagement: Engagement, today: date) -> dict[str, Any]:
    """The corrective-action plans breaches opened: open ones first, then the closed."""
    plans = plans_of(make_uow, engagement.name, include_closed=True)
    ordered = sorted(plans, key=lambda p: (not p.is_open, p.due_on))
    return {"plans": ordered, "today": today, "terms": engagement.corrective_actions}


def remedy_section(
    make_uow: UowFactory, engagement: Engagement, asked: str | None, today: date
) -> dict[str, Any]:
    """The contract's remedies and those the breaches up to the month shown call for."""
    until = parse_month(asked) or views.latest_measured_month(make_uow, engagement, today)
    return {"report": remedy_report(make_uow, engagement.name, until), "month_list": month_list}


def risk_section(make_uow: UowFactory, engagement: Engagement, now: datetime) -> dict[str, Any]:
    """The register with its residual heat map, and the playbooks still open."""
    register = risk_register(make_uow, engagement.name)
    codes = {r.code for r in register.risks}
    running: list[Escalation] = [e for e in escalations(make_uow, now) if e.risk.code in codes]
    cells = {cell: codes for cell, codes in register.heat_map.items()}
    return {
        "register": register,
        "cells": cells,
        "escalations": running,
        "rating_class": RATING_CLASS,
        "heat_class": heat_class,
        # What the forms that tick a playbook step address the playbook by, and its version.
        "playbook_id": playbook_id,
        "version_of": version_of,
    }


def heat_class(likelihood: int, impact: int) -> str:
    score = likelihood * impact
    return "low" if score <= 4 else "medium" if score <= 9 else "high" if score <= 16 else "crit"


def audit_section(make_uow: UowFactory, engagement: Engagement, today: date) -> dict[str, Any]:
    return {
        "report": audit_report(make_uow, engagement.name, today),
        "today": today,
        # The provider's answers to the findings, and what its answer forms carry.
        "answers": answers_by_finding(make_uow, engagement.name),
        "record_id": record_id,
        "finding_version": finding_version,
    }


def survey_section(make_uow: UowFactory, engagement: Engagement) -> dict[str, Any]:
    return {"report": survey_report(make_uow, engagement.name)}


def meeting_section(make_uow: UowFactory, engagement: Engagement, today: date) -> dict[str, Any]:
    return {
        "report": meeting_report(make_uow, engagement.name, today),
        "actions": open_actions(make_uow, today, engagement.name),
        # What the forms that close an action address the meeting by, and its version.
        "record_id": record_id,
        "version_of": version_of,
        "today": today,
    }


def pilot_section(make_uow: UowFactory, engagement: Engagement) -> dict[str, Any]:
    try:
        return {"pilot": evaluate_pilot_record(make_uow, engagement.name), "note": None}
    except RecordError as error:
        return {"pilot": None, "note": str(error)}


def benefit_section(make_uow: UowFactory, engagement: Engagement) -> dict[str, Any]:
    """Planned against actual savings, naming the approved case the plan comes from."""
    linked = case_of(make_uow, engagement.name)
    try:
        report = benefits(make_uow, engagement.name)
    except NoPlanError as error:
        return {"report": None, "note": str(error), "chart": None, "linked": linked}
    chart = benefits_chart("benefits-chart", report, engagement.currency)
    return {"report": report, "note": None, "chart": chart, "linked": linked}


def case_section(
    make_uow: UowFactory, engagement: Engagement, principal: Principal
) -> dict[str, Any]:
    """The approved case the engagement is governed against (or where its plan comes from
    otherwise); for writers, the approved runs it may be linked to, with their options."""
    choices = approved_runs(make_uow, principal) if principal.can_write else []
    functions: dict[str, set[str]] = defaultdict(set)
    for choice in choices:
        for function, options, _ in choice.functions:
            functions[function].update(options)
    linked = case_of(make_uow, engagement.name)
    current = linked.case if linked is not None else engagement.business_case
    return {
        "linked": linked,
        "file_case": engagement.business_case,
        "choices": choices,
        "functions": {f: sorted(options) for f, options in sorted(functions.items())},
        # The form starts from the function and option the engagement carries out now.
        "function": current.function if current is not None else None,
        "option": current.option if current is not None else None,
    }
