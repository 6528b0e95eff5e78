"""Service-level reports: every service level judged month by month from the stored
measurements, and the service credits those results earn under the contract's terms.

Credits depend on the whole contract so far (annual caps, earn-back), so a month's report
evaluates every month from the engagement's start. The fees a credit is a share of are the
month's invoiced fees when recorded (``sourcewise costs add``), else the contracts' fees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sourcewise.governance.benefits import add_months
from sourcewise.governance.records import Engagement, Measurement
from sourcewise.governance.service_credits import (
    CreditTerms,
    MonthCredits,
    MonthInput,
    assess_credits,
)
from sourcewise.governance.service_levels import (
    Observation,
    ServiceLevel,
    Status,
    WindowResult,
    evaluate_window,
    window_bounds,
)
from sourcewise.services.engagements import engagement_or_error, month_starts
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SlaMonth:
    month: date
    results: tuple[WindowResult, ...]
    credits: MonthCredits
    fees_source: str
    """``invoiced`` (recorded costs) or ``contract`` (the contracts' monthly fees)."""


@dataclass(frozen=True, slots=True)
class SlaReport:
    engagement: Engagement
    months: tuple[SlaMonth, ...]
    """From the engagement's first month to the month asked for."""

    @property
    def last(self) -> SlaMonth:
        return self.months[-1]


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _judged_in(level: ServiceLevel, month: date) -> bool:
    """A quarterly service level is judged in the last month of its quarter."""
    return add_months(window_bounds(level, month)[1], -1) == month


def evaluate_months(
    uow: UnitOfWork, engagement: Engagement, months: Sequence[date]
) -> dict[date, tuple[WindowResult, ...]]:
    """Every service level's result in each month it is judged."""
    if not months:
        return {}
    series: dict[str, list[Measurement]] = {}
    start = _utc(months[0])
    end = _utc(add_months(months[-1], 1))
    for level in engagement.service_levels:
        if level.metric not in series:
            # One query per metric over the whole span, split into windows below.
            series[level.metric] = uow.measurements.series(
                engagement.name, level.metric, _utc(window_bounds(level, months[0])[0]), end
            )
    results: dict[date, tuple[WindowResult, ...]] = {}
    for month in months:
        found = []
        for level in engagement.service_levels:
            if not _judged_in(level, month):
                continue
            first, after = (_utc(d) for d in window_bounds(level, month))
            observations = [
                Observation(m.value, m.sample_size)
                for m in series[level.metric]
                if first <= m.period < after and m.period >= start
            ]
            found.append(evaluate_window(level, observations))
        results[month] = tuple(found)
    return results


def sla_report(make_uow: UowFactory, name: str, month: date) -> SlaReport:
    """Results and credits for every month from the engagement's start to ``month``."""
    engagement = engagement_or_error(make_uow, name)
    month = month.replace(day=1)
    if month < engagement.start.replace(day=1):
        raise ValueError(
            f"{month:%Y-%m} is before the engagement started ({engagement.start:%Y-%m})"
        )
    months = month_starts(engagement.start, month)
    with make_uow() as uow:
        results = evaluate_months(uow, engagement, months)
        invoiced = {c.month: c.fees for c in uow.ledger.costs(name)}
    inputs = [MonthInput(m, invoiced.get(m, engagement.fees_in(m)), results[m]) for m in months]
    terms = CreditTerms(
        at_risk_pct=engagement.at_risk_pct,
        currency=engagement.currency,
        contract_start=engagement.start,
        monthly_cap_pct=engagement.monthly_cap_pct,
        annual_cap_pct=engagement.annual_cap_pct,
        max_credit_months=engagement.max_credit_months,
    )
    credits = assess_credits(terms, inputs, engagement.service_levels)
    return SlaReport(
        engagement,
        tuple(
            SlaMonth(m, results[m], c, "invoiced" if m in invoiced else "contract")
            for m, c in zip(months, credits, strict=True)
        ),
    )


def status_history(report: SlaReport) -> dict[str, list[tuple[date, Status]]]:
    """Each service level's monthly statuses, for breach-streak triggers and charts."""
    history: dict[str, list[tuple[date, Status]]] = {}
    for month in report.months:
        for result in month.results:
            history.setdefault(result.service_level.name, []).append((month.month, result.status))
    return history
