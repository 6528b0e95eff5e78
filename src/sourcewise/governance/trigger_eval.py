"""Evaluating the risk triggers of ``triggers`` on the data the service fetched.

See ``sourcewise.governance.triggers`` for the conventions (strictly beyond the threshold fires,
data after ``as_of`` is ignored, Decimal arithmetic, missing data never fires).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sourcewise.governance.triggers import (
    BREACH,
    BreachStreakTrigger,
    ChangeMode,
    FxMoveTrigger,
    IndicatorChangeTrigger,
    KpiThresholdTrigger,
    Movement,
    Trigger,
    TriggerData,
    TriggerFiring,
    TriggerStatus,
    plain_number,
    to_decimal,
)

_HUNDRED = Decimal(100)


def _finite_or_none(value: Decimal | float | None) -> Decimal | None:
    """Data values: None or non-finite means missing (World Bank series have gaps)."""
    if value is None:
        return None
    try:
        return to_decimal(value, "value")
    except ValueError:
        return None


def _month(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _rounded(number: Decimal, places: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _shown(number: Decimal, threshold: Decimal, places: int, *, sign: bool) -> str:
    """``number`` to ``places`` decimals, with more when rounding would make it look equal to
    the threshold it is compared with (so "+5.0 % beyond the 5 % threshold" cannot happen)."""
    for extra in range(5):
        shown = _rounded(number, places + extra)
        if abs(shown) != threshold or abs(number) == threshold:
            break
    text = f"{shown:{'+' if sign else ''}.{places + extra}f}"
    return text.replace("-", "−")


def _short(number: Decimal) -> str:
    """Data values: up to four decimals, trailing zeros dropped; minus as a real minus sign."""
    return plain_number(_rounded(number, 4)).replace("-", "−")


def _beyond(change: Decimal, threshold: Decimal, direction: Movement) -> bool:
    if direction is Movement.UP:
        return change > threshold
    if direction is Movement.DOWN:
        return change < -threshold
    return abs(change) > threshold


def evaluate_trigger(
    trigger: Trigger, data: TriggerData, as_of: date, *, engagement: str | None
) -> TriggerFiring:
    """Evaluate one trigger for a risk on ``engagement`` (None for a risk on no engagement)."""
    if isinstance(trigger, FxMoveTrigger):
        status, reason = _fx_move(trigger, data, as_of)
    elif isinstance(trigger, BreachStreakTrigger):
        status, reason = _breach_streak(trigger, data, as_of, engagement)
    elif isinstance(trigger, IndicatorChangeTrigger):
        status, reason = _indicator_change(trigger, data, as_of)
    elif isinstance(trigger, KpiThresholdTrigger):
        status, reason = _kpi_threshold(trigger, data, as_of, engagement)
    else:
        raise TypeError(f"not a trigger: {trigger!r}")
    return TriggerFiring(trigger, status, reason, as_of)


_Outcome = tuple[TriggerStatus, str]


def _fx_move(trigger: FxMoveTrigger, data: TriggerData, as_of: date) -> _Outcome:
    pair = f"{trigger.quote} per {trigger.base}"
    series, inverted = data.fx.get((trigger.base, trigger.quote)), False
    if series is None:
        series, inverted = data.fx.get((trigger.quote, trigger.base)), True
    if series is None:
        return TriggerStatus.MISSING_DATA, f"no {pair} exchange-rate series"
    # Last observation of each month, so a daily series reads as a monthly one.
    monthly: dict[int, tuple[date, Decimal]] = {}
    for day, raw in series:
        rate = _finite_or_none(raw)
        if day > as_of or rate is None or rate <= 0:
            continue
        key = _month(day)
        if key not in monthly or monthly[key][0] <= day:
            monthly[key] = (day, 1 / rate if inverted else rate)
    if not monthly:
        return TriggerStatus.MISSING_DATA, f"no {pair} rate on or before {as_of.isoformat()}"
    end = max(monthly)
    start = end - trigger.lookback_months
    if start not in monthly:
        return TriggerStatus.MISSING_DATA, (
            f"no {pair} rate for {_month_label(start)} to compare with {_month_label(end)}"
        )
    before, after = monthly[start][1], monthly[end][1]
    change = (after - before) / before * _HUNDRED
    threshold = to_decimal(trigger.threshold_pct, "threshold")
    fired = _beyond(change, threshold, trigger.direction)
    places = 2 if min(before, after) >= 10 else 4
    verdict = "beyond" if fired else "within"
    if not fired and abs(change) > threshold:
        verdict = f"the wrong way (only moves {trigger.direction.phrase} count) for"
    return (TriggerStatus.FIRED if fired else TriggerStatus.NOT_FIRED), (
        f"{pair} moved {_shown(change, threshold, 1, sign=True)} % over "
        f"{trigger.lookback_months} months ({_rounded(before, places)} in {_month_label(start)}"
        f" → {_rounded(after, places)} in {_month_label(end)}), {verdict} the "
        f"{plain_number(threshold)} % threshold"
    )


def _breach_streak(
    trigger: BreachStreakTrigger, data: TriggerData, as_of: date, engagement: str | None
) -> _Outcome:
    if engagement is None:
        return TriggerStatus.MISSING_DATA, "the risk names no engagement to read SLA results for"
    if trigger.service_level is not None:
        keys = [(engagement, trigger.service_level)]
        what = trigger.service_level
    else:
        keys = sorted(key for key in data.sla if key[0] == engagement)
        what = "any service level"
    breached: dict[int, list[str]] = {}
    seen: dict[int, list[str]] = {}
    for key in keys:
        for month, status in data.sla.get(key, ()):
            if month > as_of:
                continue
            seen.setdefault(_month(month), []).append(f"{key[1]} {status}")
            if status.strip().lower() == BREACH:
                breached.setdefault(_month(month), []).append(key[1])
    if not seen:
        return TriggerStatus.MISSING_DATA, (
            f"no SLA results for {what} of {engagement} on or before {as_of.isoformat()}"
        )
    end = max(seen)
    window = range(end - trigger.streak + 1, end + 1)
    span = f"{_month_label(window[0])} to {_month_label(end)}"
    kept = [month for month in window if month in seen and month not in breached]
    if kept:
        last = kept[-1]
        return TriggerStatus.NOT_FIRED, (
            f"no {trigger.streak}-month breach streak for {what} ({span}): "
            f"{_month_label(last)}: {', '.join(sorted(set(seen[last])))}"
        )
    gaps = [_month_label(month) for month in window if month not in seen]
    if gaps:
        return TriggerStatus.MISSING_DATA, (
            f"no SLA results for {what} of {engagement} in {', '.join(gaps)} ({span})"
        )
    if len(keys) == 1:  # one service level: naming it again for each month says nothing
        return TriggerStatus.FIRED, f"{what} breached {trigger.streak} months running ({span})"
    detail = "; ".join(
        f"{_month_label(month)}: {', '.join(sorted(set(breached[month])))}" for month in window
    )
    return TriggerStatus.FIRED, (
        f"{what} breached {trigger.streak} months running ({span}; {detail})"
    )


def _indicator_change(trigger: IndicatorChangeTrigger, data: TriggerData, as_of: date) -> _Outcome:
    name = f"{trigger.indicator} for {trigger.country}"
    series = data.indicators.get((trigger.country, trigger.indicator), ())
    by_year: dict[int, Decimal] = {}
    for year, raw in series:
        value = _finite_or_none(raw)
        if value is not None and year <= as_of.year:
            by_year[year] = value
    if len(by_year) < 2:
        return TriggerStatus.MISSING_DATA, (
            f"{name} has {len(by_year)} year(s) with a value up to {as_of.year}; 2 needed"
        )
    (y0, v0), (y1, v1) = sorted(by_year.items())[-2:]
    change = v1 - v0
    unit = ""
    if trigger.mode is ChangeMode.PERCENT:
        if v0 == 0:
            return TriggerStatus.MISSING_DATA, (
                f"{name} was 0 in {y0}, so a percent change to {y1} is undefined"
            )
        change, unit = change / abs(v0) * _HUNDRED, " %"
    threshold = to_decimal(trigger.threshold, "threshold")
    fired = _beyond(change, threshold, trigger.direction)
    moved = "rose" if change > 0 else "fell" if change < 0 else "did not change"
    places = 1 if trigger.mode is ChangeMode.PERCENT else 2
    by = "" if change == 0 else f" by {_shown(abs(change), threshold, places, sign=False)}{unit}"
    verdict = "beyond" if fired else "not beyond"
    return (TriggerStatus.FIRED if fired else TriggerStatus.NOT_FIRED), (
        f"{name} {moved}{by} ({_short(v0)} in {y0} → {_short(v1)} in {y1}), {verdict} the "
        f"{plain_number(threshold)}{unit} threshold ({trigger.direction.phrase})"
    )


def _kpi_threshold(
    trigger: KpiThresholdTrigger, data: TriggerData, as_of: date, engagement: str | None
) -> _Outcome:
    if engagement is None:
        return TriggerStatus.MISSING_DATA, f"the risk names no engagement to read {trigger.metric}"
    reading = data.kpis.get((engagement, trigger.metric))
    value = None if reading is None or reading[0] > as_of else _finite_or_none(reading[1])
    if reading is None or value is None:
        return TriggerStatus.MISSING_DATA, (
            f"no {trigger.metric} value for {engagement} on or before {as_of.isoformat()}"
        )
    threshold = to_decimal(trigger.threshold, "threshold")
    above = trigger.direction is Movement.UP
    fired = value > threshold if above else value < threshold
    side = "above" if above else "below"
    return (TriggerStatus.FIRED if fired else TriggerStatus.NOT_FIRED), (
        f"{trigger.metric} was {_short(value)} on {reading[0].isoformat()}, "
        f"{'' if fired else 'not '}{side} the {plain_number(threshold)} threshold"
    )
