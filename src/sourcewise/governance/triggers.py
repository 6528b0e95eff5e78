"""Data-driven risk triggers: what each watches, the data handed in, and the result shape.

``trigger_eval.evaluate_trigger`` does the checks, over data the service layer fetched.
``trigger_to_dict``/``trigger_from_dict`` convert to and from JSON-ready mappings.

Conventions shared by every trigger:

* A trigger fires only when the change is *strictly* beyond its threshold; a change equal to the
  threshold does not fire.
* Data dated after ``as_of`` is ignored, so a past evaluation can be replayed.
* Arithmetic is in ``Decimal``; floats are read through their shortest ``repr`` (``83.1`` is
  ``Decimal("83.1")``), so a change exactly at the threshold is not tipped over by binary noise.
* Missing data never fires: the result has status ``missing_data`` and says what was missing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

BREACH = "breach"
"""The SLA status that counts towards a breach streak; every other status breaks it."""


class Movement(StrEnum):
    """Which way a watched value moved (not which way is better: that is ``kpis.Direction``)."""

    ANY = "any"
    UP = "up"
    DOWN = "down"

    @property
    def phrase(self) -> str:
        return "either way" if self is Movement.ANY else str(self)


class ChangeMode(StrEnum):
    ABSOLUTE = "absolute"
    PERCENT = "percent"


class TriggerKind(StrEnum):
    """Discriminator for storing triggers (e.g. a ``kind`` column or YAML key)."""

    FX_MOVE = "fx_move"
    BREACH_STREAK = "breach_streak"
    INDICATOR_CHANGE = "indicator_change"
    KPI_THRESHOLD = "kpi_threshold"


class TriggerStatus(StrEnum):
    FIRED = "fired"
    NOT_FIRED = "not_fired"
    MISSING_DATA = "missing_data"


def to_decimal(value: Decimal | float, name: str) -> Decimal:
    """``value`` as a finite Decimal (floats via ``repr``); ValueError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, Decimal | float | int):
        raise ValueError(f"{name} must be a number, not {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        number = Decimal(repr(value)) if math.isfinite(value) else Decimal("NaN")
    if not number.is_finite():
        raise ValueError(f"{name} must be finite, not {value!r}")
    return number


def _positive(value: Decimal | float, name: str) -> Decimal:
    number = to_decimal(value, name)
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0, not {value!r}")
    return number


def _text(value: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-blank string, not {value!r}")
    return value.strip()


def _direction(value: Movement | str, name: str, allowed: Sequence[Movement]) -> Movement:
    try:
        direction = Movement(value)
    except ValueError:
        direction = None
    if direction not in allowed:
        raise ValueError(f"{name} must be one of {[str(d) for d in allowed]}, not {value!r}")
    assert direction is not None
    return direction


def plain_number(number: Decimal) -> str:
    """A number without trailing zeros or exponent: 5, 0.3, 1200."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _d(value: Decimal | float) -> Decimal:
    """A threshold field, which ``__post_init__`` has already turned into a Decimal."""
    assert isinstance(value, Decimal)
    return value


@dataclass(frozen=True, slots=True)
class FxMoveTrigger:
    """Fires when ``quote`` per ``base`` moved more than ``threshold_pct`` % over
    ``lookback_months`` (latest monthly rate against the one ``lookback_months`` earlier).

    ``up`` means more ``quote`` per ``base`` (the quote currency weakened against the base).
    """

    kind: ClassVar[TriggerKind] = TriggerKind.FX_MOVE
    base: str
    quote: str
    threshold_pct: Decimal | float
    lookback_months: int = 3
    direction: Movement = Movement.ANY

    def __post_init__(self) -> None:
        for name in ("base", "quote"):
            code = getattr(self, name)
            if not (isinstance(code, str) and len(code) == 3 and code.isascii() and code.isalpha()):
                raise ValueError(f"{name} must be a three-letter currency code, not {code!r}")
            object.__setattr__(self, name, code.upper())
        if self.base == self.quote:
            raise ValueError(f"base and quote must differ, both are {self.base}")
        object.__setattr__(self, "threshold_pct", _positive(self.threshold_pct, "threshold_pct"))
        if isinstance(self.lookback_months, bool) or not isinstance(self.lookback_months, int):
            raise ValueError(
                f"lookback_months must be a whole number, not {self.lookback_months!r}"
            )
        if self.lookback_months < 1:
            raise ValueError(f"lookback_months must be at least 1, not {self.lookback_months}")
        object.__setattr__(
            self, "direction", _direction(self.direction, "direction", tuple(Movement))
        )

    @property
    def description(self) -> str:
        return (
            f"{self.quote} per {self.base} moves more than "
            f"{plain_number(_d(self.threshold_pct))} % ({self.direction.phrase}) "
            f"over {self.lookback_months} months"
        )


@dataclass(frozen=True, slots=True)
class BreachStreakTrigger:
    """Fires when each of the last ``streak`` calendar months was a breach.

    With a ``service_level`` only that service level counts; with ``None`` a month counts when
    at least one service level of the engagement breached in it. The window ends at the latest
    month with a status on or before ``as_of``; a month without any status is missing data.
    """

    kind: ClassVar[TriggerKind] = TriggerKind.BREACH_STREAK
    streak: int = 3
    service_level: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.streak, bool) or not isinstance(self.streak, int) or self.streak < 1:
            raise ValueError(f"streak must be a whole number of months ≥ 1, not {self.streak!r}")
        if self.service_level is not None:
            object.__setattr__(self, "service_level", _text(self.service_level, "service_level"))

    @property
    def description(self) -> str:
        what = self.service_level or "any service level"
        return f"{what} breached {self.streak} months running"


@dataclass(frozen=True, slots=True)
class IndicatorChangeTrigger:
    """Fires when a country indicator changed by more than ``threshold`` between the last two
    years with a value (e.g. the World Bank governance "political stability" estimate).

    ``percent`` mode divides by the absolute earlier value, so ``up`` still means "rose" for the
    governance estimates, which are often negative; an earlier value of 0 is missing data.
    """

    kind: ClassVar[TriggerKind] = TriggerKind.INDICATOR_CHANGE
    country: str
    indicator: str
    threshold: Decimal | float
    direction: Movement = Movement.ANY
    mode: ChangeMode = ChangeMode.ABSOLUTE

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", _text(self.country, "country"))
        object.__setattr__(self, "indicator", _text(self.indicator, "indicator"))
        object.__setattr__(self, "threshold", _positive(self.threshold, "threshold"))
        object.__setattr__(
            self, "direction", _direction(self.direction, "direction", tuple(Movement))
        )
        try:
            object.__setattr__(self, "mode", ChangeMode(self.mode))
        except ValueError:
            raise ValueError(f"mode must be 'absolute' or 'percent', not {self.mode!r}") from None

    @property
    def description(self) -> str:
        unit = " %" if self.mode is ChangeMode.PERCENT else ""
        return (
            f"{self.indicator} for {self.country} changes by more than "
            f"{plain_number(_d(self.threshold))}{unit} ({self.direction.phrase}) year on year"
        )


@dataclass(frozen=True, slots=True)
class KpiThresholdTrigger:
    """Fires when the engagement's latest value of ``metric`` is strictly above (``up``) or
    strictly below (``down``) ``threshold``."""

    kind: ClassVar[TriggerKind] = TriggerKind.KPI_THRESHOLD
    metric: str
    threshold: Decimal | float
    direction: Movement

    def __post_init__(self) -> None:
        object.__setattr__(self, "metric", _text(self.metric, "metric"))
        object.__setattr__(self, "threshold", to_decimal(self.threshold, "threshold"))
        object.__setattr__(
            self,
            "direction",
            _direction(self.direction, "direction", (Movement.UP, Movement.DOWN)),
        )

    @property
    def description(self) -> str:
        side = "above" if self.direction is Movement.UP else "below"
        return f"{self.metric} {side} {plain_number(_d(self.threshold))}"


Trigger = FxMoveTrigger | BreachStreakTrigger | IndicatorChangeTrigger | KpiThresholdTrigger
TRIGGER_TYPES = (FxMoveTrigger, BreachStreakTrigger, IndicatorChangeTrigger, KpiThresholdTrigger)

FxSeries = Sequence[tuple[date, Decimal | float]]
SlaHistory = Sequence[tuple[date, str]]
IndicatorSeries = Sequence[tuple[int, Decimal | float | None]]
KpiReading = tuple[date, Decimal | float]


@dataclass(frozen=True, slots=True)
class TriggerData:
    """What the service fetched for the triggers; every mapping may be partial.

    * ``fx``: (base, quote) → monthly series of (date, quote per base); a series stored the
      other way round, under (quote, base), is inverted.
    * ``sla``: (engagement, service level) → (month, status) with status ``"breach"``, ``"met"``…
    * ``indicators``: (country, indicator) → (year, value or None).
    * ``kpis``: (engagement, metric) → latest (date, value).
    """

    fx: Mapping[tuple[str, str], FxSeries] = field(default_factory=dict)
    sla: Mapping[tuple[str, str], SlaHistory] = field(default_factory=dict)
    indicators: Mapping[tuple[str, str], IndicatorSeries] = field(default_factory=dict)
    kpis: Mapping[tuple[str, str], KpiReading] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TriggerFiring:
    """The outcome of evaluating one trigger, fired or not, with a plain-English reason."""

    trigger: Trigger
    status: TriggerStatus
    reason: str
    as_of: date

    @property
    def fired(self) -> bool:
        return self.status is TriggerStatus.FIRED


_BY_KIND: Mapping[str, type[Trigger]] = {cls.kind: cls for cls in TRIGGER_TYPES}
_DECIMAL_FIELDS = frozenset({"threshold", "threshold_pct"})


def trigger_to_dict(trigger: Trigger) -> dict[str, str | int | None]:
    """JSON-ready form: ``kind`` plus the fields; thresholds as strings to stay exact."""
    out: dict[str, str | int | None] = {"kind": str(trigger.kind)}
    for spec in fields(trigger):
        value = getattr(trigger, spec.name)
        if isinstance(value, Decimal):
            out[spec.name] = plain_number(value)
        elif isinstance(value, StrEnum):
            out[spec.name] = str(value)
        else:
            out[spec.name] = value
    return out


def trigger_from_dict(raw: Mapping[str, object], where: str = "trigger") -> Trigger:
    """The trigger a ``trigger_to_dict`` mapping (or YAML) describes; ValueError names the field
    as ``{where}.{field}``. Thresholds may be numbers or numeric strings."""
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where}: expected a mapping with a 'kind'")
    kind = raw.get("kind")
    cls = _BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"{where}.kind must be one of {sorted(_BY_KIND)}, not {kind!r}")
    names = {spec.name for spec in fields(cls)}
    unknown = sorted(str(key) for key in raw if key != "kind" and key not in names)
    if unknown:
        raise ValueError(f"{where}.{unknown[0]}: unknown field for {kind}")
    for spec in fields(cls):
        if spec.default is MISSING and spec.name not in raw:
            raise ValueError(f"{where}.{spec.name}: missing")
    kwargs: dict[str, Any] = {}
    for name, value in raw.items():
        if name in _DECIMAL_FIELDS and isinstance(value, str):
            try:
                value = Decimal(value.strip())
            except ArithmeticError:
                raise ValueError(f"{where}.{name} must be a number, not {value!r}") from None
        if name != "kind":
            kwargs[str(name)] = value
    try:
        return cls(**kwargs)
    except ValueError as error:
        raise ValueError(f"{where}.{error}") from None
