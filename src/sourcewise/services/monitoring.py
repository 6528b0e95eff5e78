"""Automated monitoring: statistical drift alerts on every KPI series, and provider
scorecards month by month.

Drift: each KPI series (per engagement and series label) in time order goes through an XmR
chart with the Western Electric rules and an EWMA chart; limits come from the first
``baseline`` points (default 12: a quarter of weekly data, or all points if fewer). Signals on
the good side of a KPI are not alerts. A rule that holds over a run of points is one alert
with its first and last period.

Scorecards: every service level measured in the month is scored 0–100 against its target
and ideal (``scorecard.attainment_score``) into the domain of its KPI; stakeholder surveys of
the engagement score the relationship domain (Likert mean on its scale, NPS mapped from
−100..100), and the open risks of the engagement the risk domain (100 minus 4 points per
residual score point, averaged). SLA compliance scores the ``service_levels`` domain from the
breaches of the months before (``scorecard.sla_compliance_score``, with the engagement's
``ScorecardTerms``). A provider's card pools all its engagements: each engagement's compliance is
one metric of that domain, and the domain weights are the mean of the engagements' weights.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sourcewise.governance.benefits import add_months
from sourcewise.governance.control_charts import Rule, Side, drift_signals, episodes
from sourcewise.governance.kpis import KpiDefinition, ScorecardDomain
from sourcewise.governance.records import Engagement
from sourcewise.governance.remedies import UNJUDGED
from sourcewise.governance.risks import RiskStatus
from sourcewise.governance.scorecard import (
    Scorecard,
    attainment_score,
    mean_weights,
    scorecard_history,
    sla_compliance_score,
)
from sourcewise.governance.service_levels import ServiceLevel, Status, WindowResult, meets_target
from sourcewise.governance.surveys import QuestionKind, net_promoter_score
from sourcewise.services.engagements import engagement_or_error, month_starts
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.kpi_ingest import catalogue
from sourcewise.services.sla import evaluate_months

DEFAULT_BASELINE = 12
RISK_POINTS_PER_SCORE = 4.0
"""A residual score of 25 (the worst) leaves 0 points; 1 leaves 96."""


@dataclass(frozen=True, slots=True)
class DriftAlert:
    engagement: str
    kpi: str
    series: str
    rule: Rule
    side: Side
    first: datetime
    last: datetime
    points: int
    """How many points the rule fired on in this episode."""
    description: str
    """The plain-English description of the episode's first firing."""


def drift_alerts(
    make_uow: UowFactory,
    engagement: str,
    kpi: str | None = None,
    baseline: int | None = None,
) -> list[DriftAlert]:
    """Drift alerts on the engagement's KPI series, one per episode, newest first."""
    found = engagement_or_error(make_uow, engagement)
    with make_uow() as uow:
        definitions = catalogue(uow)
        codes = [kpi] if kpi is not None else uow.measurements.kpis(found.name)
        by_series = {code: uow.measurements.series(found.name, code) for code in codes}
    alerts: list[DriftAlert] = []
    for code, measurements in by_series.items():
        definition: KpiDefinition | None = definitions.get(code)
        groups: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
        for m in measurements:
            groups[m.series].append((m.period, m.value))
        for series, points in groups.items():
            if len(points) < 3:
                continue
            values = [v for _, v in points]
            size = min(len(values), baseline or DEFAULT_BASELINE)
            direction = None if definition is None else definition.direction.value
            signals = drift_signals(values, baseline=max(size, 2), direction=direction)
            alerts.extend(
                DriftAlert(
                    found.name,
                    code,
                    series,
                    e.rule,
                    e.side,
                    points[e.first][0],
                    points[e.last][0],
                    e.points,
                    e.description,
                )
                for e in episodes(signals)
            )
    return sorted(alerts, key=lambda a: (a.last, a.kpi), reverse=True)


def _level_score(level: ServiceLevel, attained: float) -> float:
    if level.error_budget == 0:  # target is the ideal: met or not
        return 100.0 if meets_target(level, attained) else 0.0
    return attainment_score(attained, level.target, level.direction, level.ideal)


def _survey_score(kind: QuestionKind, scale_max: int, responses: Sequence[int]) -> float | None:
    if not responses:
        return None
    mean = sum(responses) / len(responses)
    if kind is QuestionKind.NPS:
        return (net_promoter_score(responses) + 100.0) / 2.0  # −100..100 onto 0..100
    return 100.0 * (mean - 1.0) / (scale_max - 1.0)


def _compliance(
    engagement: Engagement, results: dict[date, tuple[WindowResult, ...]], month: date
) -> float | None:
    """The engagement's SLA compliance in ``month``; None when no level was judged in it."""
    if not any(r.status not in UNJUDGED for r in results.get(month, ())):
        return None
    terms = engagement.scorecard
    window = [add_months(month, -k) for k in range(terms.lookback_months)]
    breaches = [
        (
            level.kind,
            sum(
                r.status is Status.BREACH and r.service_level.name == level.name
                for m in window
                for r in results.get(m, ())
            ),
        )
        for level in engagement.service_levels
    ]
    return sla_compliance_score(breaches, terms.breach_points)


def scorecards(
    make_uow: UowFactory,
    provider: str,
    until: date,
    months: int = 12,
    weights: dict[ScorecardDomain, float] | None = None,
) -> tuple[Scorecard, ...]:
    """The provider's monthly scorecards over the ``months`` up to ``until``, oldest first.

    ``weights`` overrides the engagements' own (``Engagement.scorecard``)."""
    last = until.replace(day=1)
    first = add_months(last, -(months - 1))
    with make_uow() as uow:
        engagements: list[Engagement] = [e for e in uow.engagements.all() if e.provider == provider]
        if not engagements:
            names = sorted({e.provider for e in uow.engagements.all()})
            raise LookupError(
                f"no engagement with provider '{provider}'; providers: {', '.join(names) or 'none'}"
            )
        definitions = catalogue(uow)
        per_month: dict[date, dict[ScorecardDomain, list[float]]] = {
            m: defaultdict(list) for m in month_starts(first, last)
        }
        for engagement in engagements:
            start = engagement.start.replace(day=1)
            span = [m for m in per_month if m >= start]
            # The months before the first card count towards its compliance (the lookback).
            remembered = add_months(first, -(engagement.scorecard.lookback_months - 1))
            results = evaluate_months(uow, engagement, month_starts(max(start, remembered), last))
            for month in span:
                for result in results[month]:
                    if result.attained is None or result.status is Status.INSUFFICIENT_SAMPLE:
                        continue
                    level = result.service_level
                    definition = definitions.get(level.metric)
                    domain = definition.domain if definition else ScorecardDomain.QUALITY
                    per_month[month][domain].append(_level_score(level, result.attained))
                compliance = _compliance(engagement, results, month)
                if compliance is not None:
                    per_month[month][ScorecardDomain.SERVICE_LEVELS].append(compliance)
            for survey in uow.records.surveys(engagement.name):
                month = survey.period.replace(day=1)
                if month not in per_month:
                    continue
                for question in survey.questions:
                    score = _survey_score(question.kind, question.scale_max, question.responses)
                    if score is not None:
                        per_month[month][ScorecardDomain.RELATIONSHIP].append(score)
            open_risks = [
                r for r in uow.risks.all(engagement.name) if r.status is not RiskStatus.CLOSED
            ]
            if open_risks:
                mean = sum(r.residual.score for r in open_risks) / len(open_risks)
                for month in span:
                    per_month[month][ScorecardDomain.RISK].append(
                        100.0 - RISK_POINTS_PER_SCORE * mean
                    )
    periods = [(month, dict(domains)) for month, domains in sorted(per_month.items())]
    chosen = weights or mean_weights([e.scorecard.weights for e in engagements])
    return scorecard_history(provider, periods, chosen)
