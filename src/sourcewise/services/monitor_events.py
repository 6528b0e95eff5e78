"""Automated monitoring: everything that can fire, for every engagement, found and stored once.

``find_conditions`` evaluates, as of a date: each service level's latest judged month (breach,
or at risk when its error budget is 50 or 75 % spent), the KPI drift alerts
(``services.monitoring``), the risk triggers that fire (without opening playbooks: that stays
``risk evaluate``), the playbook steps, audit actions and meeting actions past due, the latest
pilot's verdict, the contract dates (ends, notice deadlines, renewals, price reviews,
benchmarking) within the lead time, and the contract remedies that repeated breaches call for
(``services.remedies``; one event per remedy and service level while it applies).
``record_conditions`` stores
each condition once under its key (``governance.alerts``): found again, only its last-seen time
moves; no longer found, it is resolved; found after being resolved, it is open again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from sourcewise.governance.alerts import Condition, EventKind, EventState, MonitorEvent, Severity
from sourcewise.governance.benefits import add_months
from sourcewise.governance.contract_calendar import LEAD_DAYS, DueDate, DueKind, engagement_dates
from sourcewise.governance.pilot import Recommendation
from sourcewise.governance.records import Engagement, RenewalDecision
from sourcewise.governance.remedies import RemedyKind
from sourcewise.governance.risks import Rating, RiskStatus, evaluate_triggers
from sourcewise.governance.service_levels import ServiceLevelKind, Status
from sourcewise.services.engagements import engagement_or_error, month_starts
from sourcewise.services.governance_records import open_actions
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.kpi_ingest import known_kpis
from sourcewise.services.monitoring import drift_alerts
from sourcewise.services.record_analysis import RecordError, evaluate_pilot_record
from sourcewise.services.remedies import remedy_report
from sourcewise.services.risk_trigger_data import trigger_data
from sourcewise.services.sla import evaluate_months

CONTRACT_NOTICE_DAYS = LEAD_DAYS
"""A contract's dates are events this many days ahead (critical in the last 30)."""
SLA_LOOKBACK_MONTHS = 3
"""Months back from the as-of date searched for each service level's latest judged month."""

NO_ENGAGEMENT = ""
"""The engagement of an event about a risk on no single engagement (a country-wide risk)."""


def _number(value: float) -> str:
    """At most two decimals, no trailing zeros: 66, 368.97."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _sla_conditions(make_uow: UowFactory, engagement: Engagement, as_of: date) -> list[Condition]:
    last = as_of.replace(day=1)
    if last < engagement.start.replace(day=1):
        return []
    first = max(engagement.start.replace(day=1), add_months(last, -(SLA_LOOKBACK_MONTHS - 1)))
    with make_uow() as uow:
        results = evaluate_months(uow, engagement, month_starts(first, last))
    latest = {}
    for month in sorted(results):
        for result in results[month]:
            if result.status not in (Status.NO_DATA, Status.INSUFFICIENT_SAMPLE):
                latest[result.service_level.name] = (month, result)
    found = []
    for name, (month, result) in sorted(latest.items()):
        level = result.service_level
        critical = level.kind is ServiceLevelKind.CRITICAL
        evidence = {
            "month": f"{month:%Y-%m}",
            "metric": level.metric,
            "target": level.target,
            "attained": result.attained,
            "sample": result.sample,
            "budget_consumed": result.consumption,
            "status": result.status.value,
            "critical": critical,
        }
        attained = "no value" if result.attained is None else _number(result.attained)
        if result.status is Status.BREACH:
            kind, severity = (
                EventKind.SLA_BREACH,
                Severity.CRITICAL if critical else Severity.WARNING,
            )
            what = f"breached: {attained} against a target of {_number(level.target)}"
        elif result.status in (Status.WARNING_50, Status.WARNING_75):
            kind = EventKind.SLA_AT_RISK
            severity = Severity.WARNING if result.status is Status.WARNING_75 else Severity.INFO
            spent = 75 if result.status is Status.WARNING_75 else 50
            what = f"at risk: {spent} % of its error budget spent ({attained})"
        else:
            continue
        summary = f"{name} {what} in {month:%Y-%m}"
        found.append(
            Condition(kind, severity, engagement.name, name, f"{month:%Y-%m}", summary, evidence)
        )
    return found


def _drift_conditions(make_uow: UowFactory, engagement: Engagement, as_of: date) -> list[Condition]:
    found = []
    names = {code: d.name for code, d in known_kpis(make_uow).items()}
    for alert in drift_alerts(make_uow, engagement.name):
        if alert.first.date() > as_of:
            continue
        what = names.get(alert.kpi, alert.kpi) + (f" ({alert.series})" if alert.series else "")
        subject = f"{alert.kpi}/{alert.series}/{alert.rule.value}/{alert.side.value}"
        found.append(
            Condition(
                EventKind.KPI_DRIFT,
                Severity.WARNING,
                engagement.name,
                subject,
                f"{alert.first:%Y-%m-%d}",
                f"Drift in {what}: {alert.description}",
                {
                    "kpi": alert.kpi,
                    "series": alert.series,
                    "rule": alert.rule.value,
                    "side": alert.side.value,
                    "first": alert.first.isoformat(),
                    "last": alert.last.isoformat(),
                    "points": alert.points,
                },
            )
        )
    return found


def _risk_conditions(
    make_uow: UowFactory, names: set[str], as_of: date, include_unassigned: bool
) -> list[Condition]:
    found = []
    with make_uow() as uow:
        risks = [
            r
            for r in uow.risks.all()
            if r.status is not RiskStatus.CLOSED
            and (r.engagement in names or (r.engagement is None and include_unassigned))
        ]
        data = trigger_data(uow, risks, as_of)
        playbooks = [p for p in uow.risks.playbooks() if p.resolved_at is None]
    by_code = {r.code: r for r in risks}
    for risk in risks:
        engagement = risk.engagement or NO_ENGAGEMENT
        serious = risk.residual.rating in (Rating.HIGH, Rating.CRITICAL)
        for firing in evaluate_triggers(risk, data, as_of):
            if not firing.fired:
                continue
            description = firing.trigger.description
            found.append(
                Condition(
                    EventKind.RISK_TRIGGER,
                    Severity.CRITICAL if serious else Severity.WARNING,
                    engagement,
                    f"{risk.code}: {description}",
                    "",
                    f"Risk {risk.code} ({risk.title}): {firing.reason}",
                    {"risk": risk.code, "trigger": description, "reason": firing.reason},
                )
            )
    for run in playbooks:
        owner_risk = by_code.get(run.risk)
        if owner_risk is None:
            continue
        for action, owner, due_at, done_at in run.actions:
            if done_at is not None or due_at.date() >= as_of:
                continue
            found.append(
                Condition(
                    EventKind.PLAYBOOK_OVERDUE,
                    Severity.WARNING,
                    owner_risk.engagement or NO_ENGAGEMENT,
                    f"{run.risk}: {run.trigger}: {action}",
                    f"{due_at:%Y-%m-%d}",
                    f"Playbook step for {run.risk} overdue since {due_at:%Y-%m-%d}: {action}",
                    {"risk": run.risk, "trigger": run.trigger, "action": action, "owner": owner},
                )
            )
    return found


def _action_conditions(make_uow: UowFactory, engagement: str, as_of: date) -> list[Condition]:
    found = []
    for action in open_actions(make_uow, as_of, engagement).actions:
        if not action.overdue or action.due_on is None:
            continue
        kind = (
            EventKind.AUDIT_ACTION_OVERDUE
            if action.source == "audit"
            else EventKind.MEETING_ACTION_OVERDUE
        )
        label = action.reference or action.text
        found.append(
            Condition(
                kind,
                Severity.WARNING,
                engagement,
                f"{action.origin}: {label}",
                f"{action.due_on:%Y-%m-%d}",
                f"Action overdue {action.days_overdue} days ({action.origin}): {action.text}",
                {
                    "source": action.source,
                    "origin": action.origin,
                    "action": action.text,
                    "owner": action.owner,
                    "due_on": action.due_on.isoformat(),
                    "days_overdue": action.days_overdue,
                },
            )
        )
    return found


def _pilot_conditions(make_uow: UowFactory, engagement: str, as_of: date) -> list[Condition]:
    with make_uow() as uow:
        pilots = [p for p in uow.records.pilots(engagement) if p.start <= as_of]
    if not pilots:
        return []
    latest = max(pilots, key=lambda p: (p.start, p.end))
    try:
        report = evaluate_pilot_record(make_uow, engagement, latest.name)
    except RecordError:
        return []  # a pilot without the data to judge it is not an event yet
    verdict = report.evaluation.recommendation
    severity = {
        Recommendation.GO: Severity.INFO,
        Recommendation.EXTEND: Severity.WARNING,
        Recommendation.STOP: Severity.CRITICAL,
    }[verdict]
    reasons = list(report.evaluation.reasons)
    return [
        Condition(
            EventKind.PILOT_VERDICT,
            severity,
            engagement,
            latest.name,
            verdict.value,
            f"Pilot '{latest.name}': {verdict.value}" + (f" ({reasons[0]})" if reasons else ""),
            {"pilot": latest.name, "recommendation": verdict.value, "reasons": reasons},
        )
    ]


CONTRACT_EVENTS = {
    DueKind.END: EventKind.CONTRACT_ENDING,
    DueKind.NOTICE_DEADLINE: EventKind.CONTRACT_NOTICE_DEADLINE,
    DueKind.RENEWAL: EventKind.CONTRACT_RENEWAL,
    DueKind.PRICE_REVIEW: EventKind.CONTRACT_PRICE_REVIEW,
    DueKind.BENCHMARKING: EventKind.CONTRACT_BENCHMARKING,
}
"""The contract dates that are events (the end of termination assistance is not)."""
URGENT_DAYS = 30


def _contract_severity(due: DueDate, days: int) -> Severity:
    if due.kind in (DueKind.END, DueKind.NOTICE_DEADLINE):
        if due.decision is RenewalDecision.RENEW:
            return Severity.INFO  # renewing as decided: nothing to do by the deadline
        return Severity.CRITICAL if days <= URGENT_DAYS else Severity.WARNING
    if due.kind is DueKind.RENEWAL:
        return Severity.WARNING
    return Severity.WARNING if days <= URGENT_DAYS else Severity.INFO


def _contract_conditions(engagement: Engagement, as_of: date, notice_days: int) -> list[Condition]:
    """The contract dates (``governance.contract_calendar``) from ``as_of`` to ``notice_days``
    ahead; each date is its own condition, keyed by contract and date."""
    found = []
    for due in engagement_dates(engagement, as_of, as_of + timedelta(days=notice_days)):
        kind = CONTRACT_EVENTS.get(due.kind)
        if kind is None:
            continue
        days = (due.on - as_of).days
        if due.kind is DueKind.END:
            summary = f"{due.contract} ({due.title}) ends on {due.on:%Y-%m-%d}, in {days} days"
        else:
            summary = f"{due.kind.label} on {due.on:%Y-%m-%d}, in {days} days: {due.summary}"
        evidence = {
            "contract": due.contract,
            "kind": due.kind.value,
            "date": due.on.isoformat(),
            "days": days,
            "term_end": None if due.term_end is None else due.term_end.isoformat(),
        }
        if due.decision is not None:
            evidence["decision"] = due.decision.value
        found.append(
            Condition(
                kind,
                _contract_severity(due, days),
                engagement.name,
                due.contract,
                due.on.isoformat(),
                summary,
                evidence,
            )
        )
    return found


REMEDY_SEVERITY = {
    RemedyKind.IMPROVEMENT_PLAN: Severity.WARNING,
    RemedyKind.ESCALATION: Severity.WARNING,
    RemedyKind.FEE_WITHHOLDING: Severity.CRITICAL,
    RemedyKind.TERMINATION_RIGHT: Severity.CRITICAL,
}


def _remedy_conditions(
    engagement: Engagement, make_uow: UowFactory, as_of: date
) -> list[Condition]:
    report = remedy_report(make_uow, engagement.name, as_of)
    found = []
    for proposal in report.proposed:
        remedy = proposal.remedy
        months = [f"{m:%Y-%m}" for m in proposal.breached_months]
        found.append(
            Condition(
                EventKind.REMEDY_PROPOSED,
                REMEDY_SEVERITY[remedy.kind],
                engagement.name,
                f"{proposal.service_level}: {remedy.kind.value}: {remedy.clause}",
                "",
                f"{proposal.service_level} {proposal.record} ({', '.join(months)}): "
                f"{remedy.title}, {remedy.trigger}, under {remedy.clause}",
                {
                    "service_level": proposal.service_level,
                    "remedy": remedy.kind.value,
                    "title": remedy.title,
                    "clause": remedy.clause,
                    "trigger": remedy.trigger,
                    "breached_months": months,
                    "as_of": f"{proposal.as_of:%Y-%m}",
                },
            )
        )
    return found


def find_conditions(
    make_uow: UowFactory,
    as_of: date,
    engagement: str | None = None,
    notice_days: int = CONTRACT_NOTICE_DAYS,
) -> list[Condition]:
    """Every condition that holds on ``as_of``, for one engagement or all."""
    if engagement is not None:
        engagements = [engagement_or_error(make_uow, engagement)]
    else:
        with make_uow() as uow:
            engagements = uow.engagements.all()
    found: list[Condition] = []
    for e in engagements:
        found += _sla_conditions(make_uow, e, as_of)
        found += _drift_conditions(make_uow, e, as_of)
        found += _action_conditions(make_uow, e.name, as_of)
        found += _pilot_conditions(make_uow, e.name, as_of)
        found += _contract_conditions(e, as_of, notice_days)
        found += _remedy_conditions(e, make_uow, as_of)
    found += _risk_conditions(
        make_uow, {e.name for e in engagements}, as_of, include_unassigned=engagement is None
    )
    # One condition per key (two identical open actions in one meeting are one event).
    return list({c.key: c for c in found}.values())


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    new: tuple[MonitorEvent, ...]
    seen_again: int
    reopened: tuple[MonitorEvent, ...]
    resolved: tuple[MonitorEvent, ...]


def record_conditions(
    make_uow: UowFactory,
    conditions: Sequence[Condition],
    scope: set[str],
    now: datetime | None = None,
) -> RecordOutcome:
    """Store each condition once; resolve the unresolved events of the engagements in
    ``scope`` whose condition was not found."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    new, reopened, resolved = [], [], []
    seen_again = 0
    with make_uow().for_writing() as uow:
        keys = set()
        for condition in conditions:
            keys.add(condition.key)
            stored = uow.monitor.event_by_key(condition.key)
            if stored is None:
                event = MonitorEvent.first(condition, moment)
                new.append(replace(event, id=uow.monitor.add_event(event)))
                continue
            changed = replace(
                stored,
                severity=condition.severity,
                summary=condition.summary,
                evidence=condition.evidence,
                last_seen=moment,
            )
            if stored.state is EventState.RESOLVED:
                changed = replace(changed, state=EventState.OPEN, changed_by=None, changed_at=None)
                reopened.append(changed)
            else:
                seen_again += 1
            uow.monitor.update_event(changed)
        live = (EventState.OPEN, EventState.ACKNOWLEDGED)
        for event in uow.monitor.events(states=live):
            if event.engagement in scope and event.key not in keys:
                gone = replace(event, state=EventState.RESOLVED, changed_by=None, changed_at=moment)
                uow.monitor.update_event(gone)
                resolved.append(gone)
        uow.commit()
    return RecordOutcome(tuple(new), seen_again, tuple(reopened), tuple(resolved))


def monitor_scope(make_uow: UowFactory, engagement: str | None) -> set[str]:
    """The engagements a run covers (with the risks on none, for a run over all)."""
    if engagement is not None:
        return {engagement_or_error(make_uow, engagement).name}
    with make_uow() as uow:
        return {e.name for e in uow.engagements.all()} | {NO_ENGAGEMENT}
