"""Estimated numbers that say how they were made.

An :class:`Estimate` is a labelled number with an optional range (low, mode, high: a PERT
distribution) and the ``source`` text that goes into the scenario file beside it, so the
business case's assumptions table and the Excel export show where every estimated cost came
from. Estimates combine by evaluating the same formula at the low ends, the modes and the high
ends together, a deliberately wide range for a first estimate, and say so in their source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

MAX_SOURCE = 300
"""The longest ``source`` a scenario file accepts."""
GIVEN = "given by the user (a quote or the company's own figure)"


@dataclass(frozen=True, slots=True)
class Estimate:
    key: str
    """What it is: ``pay``, ``benefits_load``, ``cost_per_fte``, ``hourly_rate`` …"""
    label: str
    mode: float
    low: float | None = None
    high: float | None = None
    unit: str = ""
    source: str = ""
    given: bool = False
    """True when the user gave the number instead of the estimate."""
    detail: str = ""
    """The longer explanation written as a comment above the number in a scenario file."""

    def __post_init__(self) -> None:
        if (self.low is None) != (self.high is None):
            raise ValueError(f"{self.key}: give both ends of a range or neither")
        if (
            self.low is not None
            and self.high is not None
            and not (self.low <= self.mode <= self.high)
        ):
            raise ValueError(
                f"{self.key}: {self.low:g} <= {self.mode:g} <= {self.high:g} does not hold"
            )

    @property
    def uncertain(self) -> bool:
        return self.low is not None and self.high is not None and self.high > self.low

    @property
    def mean(self) -> float:
        """The mean of the PERT distribution, or the number itself."""
        if self.low is None or self.high is None:
            return self.mode
        return (self.low + 4 * self.mode + self.high) / 6

    def ends(self) -> tuple[float, float, float]:
        low = self.mode if self.low is None else self.low
        high = self.mode if self.high is None else self.high
        return low, self.mode, high

    def given_as(self, value: float) -> Estimate:
        """The same quantity, replaced by a number the user gave."""
        return replace(self, mode=value, low=None, high=None, source=GIVEN, given=True, detail="")

    def distribution(self) -> dict[str, float | str]:
        """The scenario file's form: ``{dist: pert, …, source}`` or ``{dist: fixed, …}``."""
        source = self.source[:MAX_SOURCE]
        if not self.uncertain:
            return {"dist": "fixed", "value": _round(self.mode), "source": source}
        low, mode, high = self.ends()
        return {
            "dist": "pert",
            "low": _round(low),
            "mode": _round(mode),
            "high": _round(high),
            "source": source,
        }


def _round(value: float) -> float:
    """Whole units for amounts of a thousand or more (a quote of 7,570,891 stays exact), six
    significant digits below (rates, shares): short in a file, exact enough."""
    return float(round(value)) if abs(value) >= 1000 else float(f"{value:.6g}")


def combine(
    key: str,
    label: str,
    formula: Callable[..., float],
    parts: tuple[Estimate, ...],
    *,
    unit: str,
    source: str,
    detail: str = "",
) -> Estimate:
    """``formula`` at every part's low end, mode and high end together. It must increase in
    each part, so that the low ends give the low end."""
    lows, modes, highs = zip(*(part.ends() for part in parts), strict=True)
    low, mode, high = formula(*lows), formula(*modes), formula(*highs)
    if high - low <= abs(mode) * 1e-12:
        return Estimate(key, label, mode, unit=unit, source=source, detail=detail)
    return Estimate(key, label, mode, low, high, unit=unit, source=source, detail=detail)


def pert_with_mean(low: float, mean: float, high: float) -> float:
    """The mode that gives a PERT(low, mode, high) distribution the mean ``mean``, kept inside
    the range (a mean far from the middle cannot be matched exactly)."""
    return min(max((6 * mean - low - high) / 4, low), high)


def ppp_to_usd(amount_ppp: float, ppp_factor: float, lcu_per_usd: float) -> float:
    """An amount in international (PPP) dollars in US dollars at the official rate of the same
    year: PPP$ × (LCU per PPP$) / (LCU per US$)."""
    return amount_ppp * ppp_factor / lcu_per_usd


def thousands(value: float) -> str:
    """``43520.0`` -> ``43,520``; small numbers keep two decimals."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def span(estimate: Estimate) -> str:
    """``1.3 (1.25-1.45)`` for a source text."""
    text = _short(estimate.mode)
    if estimate.uncertain:
        low, _, high = estimate.ends()
        text += f" ({_short(low)}-{_short(high)})"
    return text


def _short(value: float) -> str:
    return thousands(value) if abs(value) >= 100 else f"{value:.3g}"
