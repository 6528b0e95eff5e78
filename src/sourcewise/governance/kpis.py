"""The KPI catalogue: definitions, units, unit conversion, periods and value checks.

BusinessVert's article names two families of metrics, operational ("on-time delivery, defect
rate, and cycle time") and strategic ("innovation velocity, IP protection, and alignment with
customer needs"); the catalogue adds the service-level metrics most contracts carry. Users may
define their own KPIs with a slug code. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType

OPERATIONAL_METRICS_PASSAGE = (
    "Operational metrics like on-time delivery, defect rate, and cycle time reveal process health."
)
STRATEGIC_METRICS_PASSAGE = (
    "Strategic metrics such as innovation velocity, IP protection, and alignment with customer "
    "needs gauge long-term value."
)


class Unit(StrEnum):
    """What a KPI value measures. A period rate (e.g. per month) needs no unit of its own: every
    measurement carries its period. Money amounts use ``CURRENCY``; the ISO code is carried by the
    definition, and amounts are never converted between currencies here."""

    PERCENT = "percent"
    RATIO = "ratio"
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    """Calendar days of 24 hours, not working days."""
    COUNT = "count"
    SCORE = "score"
    """A rating on the definition's scale (``scale_min``..``scale_max``), e.g. 1-5."""
    CURRENCY = "currency"


class Direction(StrEnum):
    """Which way a measure improves: a KPI, a service level, a pilot criterion, a score."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class KpiKind(StrEnum):
    OPERATIONAL = "operational"
    STRATEGIC = "strategic"


class ScorecardDomain(StrEnum):
    """What a provider is scored on (the usual supplier-scorecard areas)."""

    QUALITY = "quality"
    DELIVERY = "delivery"
    COST = "cost"
    RELATIONSHIP = "relationship"
    RISK = "risk"
    SERVICE_LEVELS = "service_levels"
    """SLA compliance: scored from the breaches of the contract's service levels, never a KPI's
    own domain (``governance.scorecard.sla_compliance_score``)."""


class Aggregation(StrEnum):
    """How measurements of one KPI combine over a longer period or across series."""

    MEAN = "mean"
    SUM = "sum"
    MAX = "max"
    MIN = "min"
    LAST = "last"


# The name is the one the ingestion service was promised; an "Error" suffix would add nothing.
class UnitMismatch(ValueError):  # noqa: N818
    """A value in one unit cannot be expressed in another (e.g. hours as a percentage)."""


class UnknownUnitError(ValueError):
    """The text names no unit."""


# Units of one dimension convert by integer factors relative to the dimension's smallest unit,
# so every conversion is one multiplication or one division (a single rounding).
_DIMENSION: Mapping[Unit, tuple[str, int]] = {
    Unit.PERCENT: ("share", 1),
    Unit.RATIO: ("share", 100),
    Unit.SECONDS: ("duration", 1),
    Unit.MINUTES: ("duration", 60),
    Unit.HOURS: ("duration", 3600),
    Unit.DAYS: ("duration", 86400),
    Unit.COUNT: ("count", 1),
    Unit.SCORE: ("score", 1),
    Unit.CURRENCY: ("money", 1),
}

_ALIASES: Mapping[str, Unit] = {
    **{u.value: u for u in Unit},
    "%": Unit.PERCENT,
    "pct": Unit.PERCENT,
    "percentage": Unit.PERCENT,
    "fraction": Unit.RATIO,
    "s": Unit.SECONDS,
    "sec": Unit.SECONDS,
    "secs": Unit.SECONDS,
    "second": Unit.SECONDS,
    "min": Unit.MINUTES,
    "mins": Unit.MINUTES,
    "minute": Unit.MINUTES,
    "h": Unit.HOURS,
    "hr": Unit.HOURS,
    "hrs": Unit.HOURS,
    "hour": Unit.HOURS,
    "d": Unit.DAYS,
    "day": Unit.DAYS,
    "#": Unit.COUNT,
    "n": Unit.COUNT,
    "number": Unit.COUNT,
    "points": Unit.SCORE,
    "money": Unit.CURRENCY,
}

_NATURAL_RANGE: Mapping[Unit, tuple[float | None, float | None]] = {
    Unit.PERCENT: (0.0, 100.0),
    Unit.RATIO: (0.0, 1.0),
    Unit.SECONDS: (0.0, None),
    Unit.MINUTES: (0.0, None),
    Unit.HOURS: (0.0, None),
    Unit.DAYS: (0.0, None),
    Unit.COUNT: (0.0, None),
    Unit.SCORE: (None, None),
    Unit.CURRENCY: (None, None),  # savings and credits may be negative
}

_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
MAX_CODE_LENGTH = 64


def parse_unit(text: str) -> Unit:
    """'%' -> PERCENT, 'hrs' -> HOURS ...; case and surrounding space do not matter."""
    key = text.strip().lower()
    unit = _ALIASES.get(key)
    if unit is None:
        known = ", ".join(u.value for u in Unit)
        close = difflib.get_close_matches(key, list(_ALIASES), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; use one of: {known}"
        raise UnknownUnitError(f"'{text.strip()}' is not a unit{hint}")
    return unit


def compatible(a: Unit, b: Unit) -> bool:
    return _DIMENSION[a][0] == _DIMENSION[b][0]


def convert(value: float, from_unit: Unit, to_unit: Unit) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``; ``UnitMismatch`` if incompatible."""
    (dim_from, f_from), (dim_to, f_to) = _DIMENSION[from_unit], _DIMENSION[to_unit]
    if dim_from != dim_to:
        raise UnitMismatch(f"cannot convert {from_unit} ({dim_from}) to {to_unit} ({dim_to})")
    if f_from == f_to:
        return float(value)
    # Within a dimension each factor divides the next, so this is one multiplication or one
    # division; rounding to 15 significant digits drops its binary noise: 1.025 ratio is
    # 102.5 %, not 102.49999999999999 %.
    exact = value * (f_from // f_to) if f_from > f_to else value / (f_to // f_from)
    return float(f"{exact:.15g}")


def format_quantity(value: float, unit: Unit) -> str:
    """'102.5 %', '3 hours', '0.97 ratio', '4': at most 15 significant digits."""
    number = f"{value:.15g}"
    if unit is Unit.PERCENT:
        return f"{number} %"
    if unit in (Unit.COUNT, Unit.SCORE, Unit.CURRENCY):
        return number
    return f"{number} {unit.value}"


_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]")
PERIOD_FORMS = "YYYY-MM-DD, YYYY-MM or an ISO date-time with a UTC offset"


def parse_period(text: str) -> datetime:
    """A measurement period as a timezone-aware UTC datetime: '2024-03-05' is that day at 00:00
    UTC, '2024-03' the 1st of the month, '2024-03-05T09:00+01:00' converted to UTC. A date-time
    without an offset is ambiguous: ``ValueError``, like anything else."""
    text = text.strip()
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    match = _DAY.fullmatch(text) or _MONTH.fullmatch(text)
    try:
        if match:
            year, month, *day = map(int, match.groups())
            return datetime(year, month, day[0] if day else 1, tzinfo=UTC)
        moment = datetime.fromisoformat(text) if _DATE_TIME.match(text) else None
    except ValueError as error:
        kind = "date" if match else "date-time"
        raise ValueError(f"{shown} is not a valid {kind}: {error}") from None
    if moment is None:
        raise ValueError(f"{shown} is not a date; use {PERIOD_FORMS}")
    if moment.tzinfo is None:
        raise ValueError(f"{shown} has no UTC offset; add one, e.g. '{text}Z' or '{text}+02:00'")
    return moment.astimezone(UTC)


def closest_code(text: str, codes: Iterable[str]) -> str | None:
    """The code most like ``text`` (also as people write it: 'On-time delivery'), if any."""
    wanted = re.sub(r"[\s-]+", "_", text.strip().lower())
    close = difflib.get_close_matches(wanted, list(codes), n=1, cutoff=0.6)
    return close[0] if close else None


def validate_code(code: str) -> str:
    """The code itself if it is a slug ('first_contact_resolution'), else ``ValueError``."""
    if not _CODE.fullmatch(code) or len(code) > MAX_CODE_LENGTH:
        raise ValueError(
            f"KPI code '{code}' must be lower-case letters, digits and single underscores, "
            f"start with a letter and have at most {MAX_CODE_LENGTH} characters "
            "(e.g. 'on_time_delivery')"
        )
    return code


@dataclass(frozen=True, slots=True)
class KpiDefinition:
    """What a KPI measures and how to judge and combine its measurements."""

    code: str
    name: str
    description: str
    unit: Unit
    direction: Direction
    kind: KpiKind
    domain: ScorecardDomain
    aggregation: Aggregation
    scale_min: float | None = None
    """Lowest acceptable value in ``unit``; required for scores, optional narrowing otherwise."""
    scale_max: float | None = None
    currency: str | None = None
    """ISO 4217 code; required when ``unit`` is CURRENCY, absent otherwise."""
    article_passage: str = ""
    """The sentence of BusinessVert's article the KPI comes from, verbatim (``PLAYBOOK_ARTICLE``;
    empty for catalogue additions)."""

    def __post_init__(self) -> None:
        validate_code(self.code)
        if not self.name.strip():
            raise ValueError(f"KPI '{self.code}' needs a name")
        if self.unit is Unit.SCORE and (self.scale_min is None or self.scale_max is None):
            raise ValueError(f"KPI '{self.code}' is a score: give scale_min and scale_max")
        for bound in (self.scale_min, self.scale_max):
            if bound is not None and not math.isfinite(bound):
                raise ValueError(f"KPI '{self.code}': scale bounds must be finite numbers")
        if (
            self.scale_min is not None
            and self.scale_max is not None
            and self.scale_min >= self.scale_max
        ):
            raise ValueError(f"KPI '{self.code}': scale_min must be below scale_max")
        if self.unit is Unit.CURRENCY:
            if self.currency is None or not re.fullmatch(r"[A-Z]{3}", self.currency):
                raise ValueError(f"KPI '{self.code}' is money: give a currency code like 'EUR'")
        elif self.currency is not None:
            raise ValueError(f"KPI '{self.code}' is in {self.unit}, not money: drop the currency")


def value_range(definition: KpiDefinition) -> tuple[float | None, float | None]:
    """Lowest and highest acceptable value in the definition's unit (None: unbounded)."""
    low, high = _NATURAL_RANGE[definition.unit]
    if definition.scale_min is not None:
        low = definition.scale_min if low is None else max(low, definition.scale_min)
    if definition.scale_max is not None:
        high = definition.scale_max if high is None else min(high, definition.scale_max)
    return low, high


def check_value(definition: KpiDefinition, value: float, unit: Unit | None = None) -> float:
    """``value`` (in ``unit``, default the definition's) in the definition's unit, or
    ``ValueError`` with a readable reason; ``UnitMismatch`` (a ``ValueError``) for the unit."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("NaN is not a measurement" if value != value else f"{value} is not finite")
    given = definition.unit if unit is None else unit
    converted = value if given is definition.unit else None
    if converted is None:
        if not compatible(given, definition.unit):
            raise UnitMismatch(
                f"{given} cannot be converted to {definition.unit}, the unit of {definition.code}"
            )
        converted = convert(value, given, definition.unit)
    low, high = value_range(definition)
    # Messages are built only on failure: this runs once per row of files with millions.
    if low is not None and converted < low:
        raise ValueError(_out_of_range(definition, converted, "below", low, value, given))
    if high is not None and converted > high:
        raise ValueError(_out_of_range(definition, converted, "above", high, value, given))
    if definition.unit is Unit.COUNT and not converted.is_integer():
        raise ValueError(f"{format_quantity(converted, Unit.COUNT)} is not a whole count")
    return converted


def _out_of_range(
    definition: KpiDefinition, converted: float, side: str, bound: float, value: float, given: Unit
) -> str:
    unit = definition.unit
    note = "" if given is unit else f" (given as {format_quantity(value, given)})"
    if unit is Unit.SCORE:
        note += f" on the {definition.scale_min:g}-{definition.scale_max:g} scale"
    return f"{format_quantity(converted, unit)} is {side} {format_quantity(bound, unit)}{note}"


def _kpi(
    code: str,
    name: str,
    description: str,
    unit: Unit,
    direction: Direction,
    kind: KpiKind,
    domain: ScorecardDomain,
    aggregation: Aggregation,
    *,
    scale: tuple[float, float] | None = None,
    article_passage: str = "",
) -> KpiDefinition:
    low, high = scale if scale is not None else (None, None)
    return KpiDefinition(
        code, name, description, unit, direction, kind, domain, aggregation, low, high,
        article_passage=article_passage,
    )  # fmt: skip


_HIGHER, _LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER
_OPS, _STRAT = KpiKind.OPERATIONAL, KpiKind.STRATEGIC
_D = ScorecardDomain
_A = Aggregation

_CATALOGUE = (
    _kpi(
        "on_time_delivery", "On-time delivery",
        "Share of deliveries made by the agreed date; with defect rate and cycle time it "
        "reveals process health.",
        Unit.PERCENT, _HIGHER, _OPS, _D.DELIVERY, _A.MEAN,
        article_passage=OPERATIONAL_METRICS_PASSAGE,
    ),
    _kpi(
        "defect_rate", "Defect rate",
        "Share of delivered items with a defect; with on-time delivery and cycle time it "
        "reveals process health.",
        Unit.PERCENT, _LOWER, _OPS, _D.QUALITY, _A.MEAN,
        article_passage=OPERATIONAL_METRICS_PASSAGE,
    ),
    _kpi(
        "cycle_time", "Cycle time",
        "Time from the start of a work item to its delivery; with on-time delivery and defect "
        "rate it reveals process health.",
        Unit.DAYS, _LOWER, _OPS, _D.DELIVERY, _A.MEAN,
        article_passage=OPERATIONAL_METRICS_PASSAGE,
    ),
    _kpi(
        "innovation_velocity", "Innovation velocity",
        "Process improvements and new capabilities delivered in the period; a strategic metric "
        "that gauges long-term value.",
        Unit.COUNT, _HIGHER, _STRAT, _D.RELATIONSHIP, _A.SUM,
        article_passage=STRATEGIC_METRICS_PASSAGE,
    ),
    _kpi(
        "ip_protection_incidents", "IP protection incidents",
        "Incidents that exposed or endangered intellectual property in the period; IP "
        "protection is a strategic metric that gauges long-term value.",
        Unit.COUNT, _LOWER, _STRAT, _D.RISK, _A.SUM,
        article_passage=STRATEGIC_METRICS_PASSAGE,
    ),
    _kpi(
        "customer_alignment", "Customer alignment",
        "Rating of alignment with customer needs (1 = poor, 5 = excellent); a strategic metric "
        "that gauges long-term value.",
        Unit.SCORE, _HIGHER, _STRAT, _D.RELATIONSHIP, _A.MEAN,
        scale=(1.0, 5.0), article_passage=STRATEGIC_METRICS_PASSAGE,
    ),
    _kpi(
        "availability", "Availability",
        "Share of the agreed service hours in which the service was available.",
        Unit.PERCENT, _HIGHER, _OPS, _D.DELIVERY, _A.MEAN,
    ),
    _kpi(
        "first_contact_resolution", "First-contact resolution",
        "Share of contacts resolved without a follow-up contact.",
        Unit.PERCENT, _HIGHER, _OPS, _D.QUALITY, _A.MEAN,
    ),
    _kpi(
        "average_handle_time", "Average handle time",
        "Mean time spent per contact, talk and after-call work included; it drives the cost "
        "per contact.",
        Unit.SECONDS, _LOWER, _OPS, _D.COST, _A.MEAN,
    ),
    _kpi(
        "customer_satisfaction", "Customer satisfaction",
        "Share of surveyed customers who rated the service satisfactory or better.",
        Unit.PERCENT, _HIGHER, _OPS, _D.QUALITY, _A.MEAN,
    ),
    _kpi(
        "attrition", "Attrition",
        "Share of the team that left in the period; high attrition puts knowledge and "
        "continuity at risk.",
        Unit.PERCENT, _LOWER, _OPS, _D.RISK, _A.MEAN,
    ),
)  # fmt: skip

BUILT_IN_KPIS: Mapping[str, KpiDefinition] = MappingProxyType({k.code: k for k in _CATALOGUE})
