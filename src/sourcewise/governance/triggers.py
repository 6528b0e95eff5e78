"""Data-driven risk triggers: pure checks over series that the service layer fetches.

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
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import ClassVar

BREACH = "breach"
"""The SLA status that counts towards a breach streak; every other status breaks it."""

_HUNDRED = Decimal(100)


class Direction(StrEnum):
    ANY = "any"
    UP = "up"
    DOWN = "down"


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


def _direction(value: Direction | str, name: str, allowed: Sequence[Direction]) -> Direction:
    try:
        direction = Direction(value)
    except ValueError:
        direction = None
    if direction not in allowed:
        raise ValueError(f"{name} must be one of {[str(d) for d in allowed]}, not {value!r}")
    assert direction is not None
    return direction


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


def _plain(number: Decimal) -> str:
    """A number without trailing zeros or exponent: 5, 0.3, 1200."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


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
    return _plain(_rounded(number, 4)).replace("-", "−")


def _d(value: Decimal | float) -> Decimal:
    """A threshold field, which ``__post_init__`` has already turned into a Decimal."""
    assert isinstance(value, Decimal)
    return value


def _beyond(change: Decimal, threshold: Decimal, direction: Direction) -> bool:
    if direction is Direction.UP:
        return change > threshold
    if direction is Direction.DOWN:
        return change < -threshold
    return abs(change) > threshold


def _watch(direction: Direction) -> str:
    return {Direction.ANY: "either way", Direction.UP: "up", Direction.DOWN: "down"}[direction]


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
    direction: Direction = Direction.ANY

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
            raise ValueError(f"lookback_months must be a whole number, not {self.lookback_months!r}")
        if self.lookback_months < 1:
            raise ValueError(f"lookback_months must be at least 1, not {self.lookback_months}")
        object.__setattr__(
            self, "direction", _direction(self.direction, "direction", tuple(Direction))
        )

    @property
    def description(self) -> str:
        return (
            f"{self.quote} per {self.base} moves more than {_plain(_d(self.threshold_pct))} % "
            f"({_watch(self.direction)}) over {self.lookback_months} months"
        )
