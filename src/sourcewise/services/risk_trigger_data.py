"""The data the risk triggers read: packaged exchange rates and country indicators, SLA
results month by month and the latest KPI values from the store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sourcewise.adapters.indicator_table import load_fx_monthly, load_indicators
from sourcewise.governance.records import Engagement
from sourcewise.governance.risks import Risk
from sourcewise.governance.service_levels import Observation, evaluate_window, window_bounds
from sourcewise.governance.triggers import (
    BreachStreakTrigger,
    FxMoveTrigger,
    IndicatorChangeTrigger,
    KpiThresholdTrigger,
    TriggerData,
)
from sourcewise.storage.unit_of_work import UnitOfWork


def _utc_date(moment: datetime) -> date:
    """The UTC date of a stored instant (naive ones are UTC already)."""
    return moment.date() if moment.tzinfo is None else moment.astimezone(UTC).date()


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _fx_series(base: str, quote: str) -> list[tuple[date, Decimal]]:
    """Monthly ``quote`` per ``base`` from the packaged US$-per-unit rates (a cross rate when
    neither is the dollar), on the months both currencies have."""
    fx = load_fx_monthly()
    if base not in fx or quote not in fx:
        return []

    def by_month(code: str) -> dict[date, Decimal]:
        series = fx[code]
        return {
            month.astype(object): Decimal(repr(float(rate)))
            for month, rate in zip(series.months, series.usd_per_unit, strict=True)
        }

    usd_per_base, usd_per_quote = by_month(base), by_month(quote)
    return [
        (month, usd_per_base[month] / usd_per_quote[month])
        for month in sorted(usd_per_base.keys() & usd_per_quote.keys())
    ]


def _sla_history(
    uow: UnitOfWork, engagement: Engagement, as_of: date, months_back: int
) -> dict[tuple[str, str], list[tuple[date, str]]]:
    """(engagement, service level) → (month, status) over the last ``months_back`` months.

    Each month takes the status of the service level's window containing it, judged on the
    measurements up to ``as_of``; every month of a quarterly window shares the quarter's.
    """
    last = _month_index(as_of)
    first = last - months_back + 1
    first -= first % 3  # whole calendar quarters, so no quarterly window is cut short
    start = datetime.combine(_month_start(first), time(), UTC)
    end = datetime.combine(as_of + timedelta(days=1), time(), UTC)
    history: dict[tuple[str, str], list[tuple[date, str]]] = {}
    for level in engagement.service_levels:
        windows: dict[tuple[date, date], list[Observation]] = {}
        for m in uow.measurements.series(engagement.name, level.metric, start, end):
            bounds = window_bounds(level, _utc_date(m.period))
            windows.setdefault(bounds, []).append(Observation(m.value, m.sample_size))
        months = []
        for (window_start, window_end), observations in sorted(windows.items()):
            status = evaluate_window(level, observations).status
            for index in range(_month_index(window_start), _month_index(window_end)):
                if index <= last:
                    months.append((_month_start(index), str(status)))
        history[(engagement.name, level.name)] = months
    return history


def trigger_data(uow: UnitOfWork, risks: Sequence[Risk], as_of: date) -> TriggerData:
    """What the triggers of ``risks`` need: packaged FX and indicators, SLA results and the
    latest KPI values from the store. Only the series some trigger watches are fetched."""
    fx: dict[tuple[str, str], list[tuple[date, Decimal]]] = {}
    indicators: dict[tuple[str, str], list[tuple[int, float | None]]] = {}
    sla: dict[tuple[str, str], list[tuple[date, str]]] = {}
    kpis: dict[tuple[str, str], tuple[date, float]] = {}
    streaks: dict[str, int] = {}
    end = datetime.combine(as_of + timedelta(days=1), time(), UTC)
    for risk in risks:
        for trigger in risk.triggers:
            if isinstance(trigger, FxMoveTrigger):
                pair = (trigger.base, trigger.quote)
                if pair not in fx:
                    fx[pair] = _fx_series(*pair)
            elif isinstance(trigger, IndicatorChangeTrigger):
                country = load_indicators().get(trigger.country)
                values = country.series.get(trigger.indicator, {}) if country else {}
                indicators[(trigger.country, trigger.indicator)] = sorted(values.items())
            elif risk.engagement is None:
                continue  # the evaluator reports that the risk names no engagement
            elif isinstance(trigger, BreachStreakTrigger):
                known = streaks.get(risk.engagement, 0)
                streaks[risk.engagement] = max(known, trigger.streak)
            elif isinstance(trigger, KpiThresholdTrigger):
                series = uow.measurements.series(risk.engagement, trigger.metric, None, end)
                if series:
                    latest = series[-1]
                    reading = (_utc_date(latest.period), latest.value)
                    kpis[(risk.engagement, trigger.metric)] = reading
    for name, streak in streaks.items():
        engagement = uow.engagements.get(name)
        if engagement is not None:
            # A few months more than the streak, so a gap before it reads as "not fired".
            sla.update(_sla_history(uow, engagement, as_of, streak + 3))
    return TriggerData(fx=fx, sla=sla, indicators=indicators, kpis=kpis)
