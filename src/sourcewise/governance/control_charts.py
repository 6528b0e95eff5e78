"""Drift detection on a KPI series: XmR (individuals and moving range) and EWMA control charts.

Conventions:

* The **baseline** is the first ``baseline`` points (default: all). Centre line, MR-bar and sigma
  come from it alone; every point, baseline included, is then tested against those limits, so a
  signal inside the baseline says the baseline itself was not stable.
* **Sigma** is estimated from the average moving range, σ̂ = MR-bar / d2 with d2 = 1.128 for
  ranges of two points (Montgomery, *Introduction to Statistical Quality Control*, table VI;
  Wheeler, *Understanding Variation*). Limits are centre ± 3σ̂ = centre ± 2.66·MR-bar.
* A flat baseline (MR-bar = 0) gives σ̂ = 0: the sigma-based rules (1–3 and EWMA) cannot fire
  because there is no spread to compare against; only the run rule (8 on one side) still can.
* A rule signals at **every** point at which its pattern holds (as Minitab and Nelson do), so a
  sustained shift yields one signal per point; :func:`episodes` groups them into one alert per
  episode of a rule on one side.
  For rules 2 and 3 the signalling point must itself be one of the points beyond the zone, so an
  alert never lands on an ordinary point.
* Comparisons are strict: a point exactly on a limit or on the centre line does not count.
* A measure that cannot leave a range (a count or a rate is never negative, a percentage never
  above 100) has its control limits kept inside it: a count's lower limit is 0, not −3. The
  zones of the rules stay centre ± kσ̂; no value lies beyond the range, so no signal changes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from scipy.signal import lfilter

from sourcewise.governance.kpis import Direction

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Values = Sequence[float] | FloatArray

D2 = 1.128
"""Bias constant d2 for moving ranges of n = 2 points: E[|X₁ − X₂|] = d2·σ = (2/√π)·σ."""

D4 = 3.267
"""Upper limit factor D4 for the moving-range chart (n = 2): UCL_mR = 3.267·MR-bar."""

EWMA_LAMBDA = 0.2
EWMA_WIDTH = 3.0
"""λ = 0.2, L = 3: in-control ARL ≈ 560 points, fewer false alarms than the XmR chart's 370, while
a 1σ shift is caught after ≈ 11 points instead of ≈ 44 and a 0.5σ shift after ≈ 44 instead of
≈ 155 (Markov-chain ARLs as in Lucas & Saccucci 1990; L = 2.962 would give their ARL 500)."""


class Rule(StrEnum):
    """Western Electric rules (Statistical Quality Control Handbook, 1956) and the EWMA limit."""

    BEYOND_3_SIGMA = "beyond_3_sigma"
    TWO_OF_THREE_BEYOND_2_SIGMA = "two_of_three_beyond_2_sigma"
    FOUR_OF_FIVE_BEYOND_1_SIGMA = "four_of_five_beyond_1_sigma"
    EIGHT_ON_ONE_SIDE = "eight_on_one_side"
    EWMA_BEYOND_LIMIT = "ewma_beyond_limit"


WESTERN_ELECTRIC_RULES: tuple[Rule, ...] = (
    Rule.BEYOND_3_SIGMA,
    Rule.TWO_OF_THREE_BEYOND_2_SIGMA,
    Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA,
    Rule.EIGHT_ON_ONE_SIDE,
)

# rule → (points that must be beyond, window length, zone in sigmas); zone 0 is the centre line.
_PATTERNS: dict[Rule, tuple[int, int, int]] = {
    Rule.BEYOND_3_SIGMA: (1, 1, 3),
    Rule.TWO_OF_THREE_BEYOND_2_SIGMA: (2, 3, 2),
    Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA: (4, 5, 1),
    Rule.EIGHT_ON_ONE_SIDE: (8, 8, 0),
}
_RULE_ORDER = {rule: i for i, rule in enumerate(Rule)}


class Side(StrEnum):
    """Which side of the centre line a signal is on."""

    ABOVE = "above"
    BELOW = "below"


@dataclass(frozen=True, slots=True)
class Signal:
    """A rule firing at point ``index`` (0-based, the last point of the pattern)."""

    index: int
    rule: Rule
    side: Side
    description: str


@dataclass(frozen=True, slots=True)
class XmRChart:
    """Limits of an individuals chart; ``moving_ranges[i]`` is |x[i+1] − x[i]| over all points."""

    centre: float
    mr_bar: float
    sigma: float
    upper: float
    lower: float
    mr_upper: float
    moving_ranges: tuple[float, ...]
    baseline: int

    def zone(self, k: float, side: Side) -> float:
        """The line k sigmas from the centre on ``side`` (k = 3 gives the control limit)."""
        return self.centre + k * self.sigma if side is Side.ABOVE else self.centre - k * self.sigma


@dataclass(frozen=True, slots=True)
class EwmaChart:
    """EWMA statistic ``z`` and its time-varying limits, one entry per point."""

    centre: float
    sigma: float
    lam: float
    width: float
    z: tuple[float, ...]
    upper: tuple[float, ...]
    lower: tuple[float, ...]


def _series(values: Values) -> FloatArray:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {x.shape}")
    if x.size < 2:
        raise ValueError(f"a control chart needs at least 2 points, got {x.size}")
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        raise ValueError(f"values[{bad[0]}] is {x[bad[0]]}; every point must be a finite number")
    return x


def _baseline_size(n: int, baseline: int | None) -> int:
    if baseline is None:
        return n
    if isinstance(baseline, bool) or not 2 <= baseline <= n:
        raise ValueError(
            f"baseline must be between 2 and the number of points ({n}), got {baseline}"
        )
    return int(baseline)


def _fmt(x: float) -> str:
    # Four significant figures read well for rates, hours and percentages alike.
    return f"{x:.4g}" if abs(x) < 1e4 else f"{x:,.0f}"


def _baseline_stats(x: FloatArray, m: int) -> tuple[float, float]:
    """Centre and MR-bar of the first ``m`` points."""
    return float(x[:m].mean()), float(np.abs(np.diff(x[:m])).mean())


def xmr_chart(
    values: Values,
    baseline: int | None = None,
    bounds: tuple[float | None, float | None] = (None, None),
) -> XmRChart:
    """Individuals chart: centre = baseline mean, σ̂ = MR-bar / d2, limits = centre ± 3σ̂, kept
    within ``bounds`` (lowest, highest value the measure can take; None: unbounded)."""
    x = _series(values)
    m = _baseline_size(x.size, baseline)
    centre, mr_bar = _baseline_stats(x, m)
    sigma = mr_bar / D2
    low, high = bounds
    upper, lower = centre + 3.0 * sigma, centre - 3.0 * sigma
    return XmRChart(
        centre=centre,
        mr_bar=mr_bar,
        sigma=sigma,
        upper=upper if high is None else min(upper, high),
        lower=lower if low is None else max(lower, low),
        mr_upper=D4 * mr_bar,
        moving_ranges=tuple(np.abs(np.diff(x)).tolist()),
        baseline=m,
    )


def _describe(rule: Rule, side: Side, value: float, chart: XmRChart) -> str:
    line = _fmt(chart.zone(_PATTERNS[rule][2], side))
    match rule:
        case Rule.BEYOND_3_SIGMA:
            limit = "upper" if side is Side.ABOVE else "lower"
            return f"Value {_fmt(value)} is {side} the {limit} control limit ({line})"
        case Rule.TWO_OF_THREE_BEYOND_2_SIGMA:
            return f"2 of the last 3 points {side} {line} (2 sigma from the centre line)"
        case Rule.FOUR_OF_FIVE_BEYOND_1_SIGMA:
            return f"4 of the last 5 points {side} {line} (1 sigma from the centre line)"
        case _:
            return f"8 points in a row {side} the centre line ({line})"


def _pattern_hits(beyond: BoolArray, need: int, window: int) -> npt.NDArray[np.intp]:
    """Indices i where ≥ ``need`` of the ``window`` points ending at i are beyond, i among them.

    The start is padded with points that are not beyond, so two points beyond 2σ at indices 0
    and 1 still signal (at 1): they are 2 of the first 3 points.
    """
    padded = np.concatenate([np.zeros(window - 1, dtype=np.bool_), beyond])
    counts = sliding_window_view(padded, window).sum(axis=1)
    return np.flatnonzero((counts >= need) & beyond)


def _sorted(signals: list[Signal]) -> tuple[Signal, ...]:
    return tuple(sorted(signals, key=lambda s: (s.index, _RULE_ORDER[s.rule], s.side)))


def western_electric_signals(
    values: Values, chart: XmRChart, rules: Collection[Rule] = WESTERN_ELECTRIC_RULES
) -> tuple[Signal, ...]:
    """Points of ``values`` at which the chosen Western Electric rules fire, by index then rule.

    ``values`` is normally the series the chart was built from; a longer one (new points after a
    frozen baseline) is fine too, as only the chart's centre and sigma are used.
    """
    unknown = set(rules) - set(WESTERN_ELECTRIC_RULES)
    if unknown:
        raise ValueError(f"not Western Electric rules: {sorted(unknown)}; use ewma_signals")
    x = _series(values)
    signals: list[Signal] = []
    for rule in rules:
        need, window, k = _PATTERNS[rule]
        if k > 0 and chart.sigma <= 0.0:
            continue  # flat baseline: no spread to measure zones by (module docstring)
        for side in Side:
            line = chart.zone(k, side)
            beyond = x > line if side is Side.ABOVE else x < line
            signals.extend(
                Signal(int(i), rule, side, _describe(rule, side, float(x[i]), chart))
                for i in _pattern_hits(beyond, need, window)
            )
    return _sorted(signals)


def ewma_chart(
    values: Values,
    centre: float | None = None,
    sigma: float | None = None,
    lam: float = EWMA_LAMBDA,
    width: float = EWMA_WIDTH,
    baseline: int | None = None,
) -> EwmaChart:
    """EWMA chart (Roberts 1959): z_t = λ·x_t + (1 − λ)·z_{t−1}, z_0 = centre.

    Limits at point t = 1, 2, … are centre ± L·σ·√(λ/(2 − λ)·(1 − (1 − λ)^{2t})) (Lucas &
    Saccucci 1990, eq. 3): exact variance of z_t, narrow at the start, widening to the asymptote.
    ``centre`` and ``sigma`` default to the baseline mean and MR-bar / d2 as in :func:`xmr_chart`.
    """
    x = _series(values)
    if not 0.0 < lam <= 1.0:
        raise ValueError(f"lam must be in (0, 1], got {lam}")
    if not (np.isfinite(width) and width > 0.0):
        raise ValueError(f"width must be a positive number of sigmas, got {width}")
    if sigma is not None and not (np.isfinite(sigma) and sigma >= 0.0):
        raise ValueError(f"sigma must be a finite number ≥ 0, got {sigma}")
    if centre is not None and not np.isfinite(centre):
        raise ValueError(f"centre must be finite, got {centre}")
    m = _baseline_size(x.size, baseline)
    base_centre, mr_bar = _baseline_stats(x, m)
    c = base_centre if centre is None else float(centre)
    s = mr_bar / D2 if sigma is None else float(sigma)
    # lfilter runs the recursion y_t = λ·x_t + (1 − λ)·y_{t−1}; zi carries (1 − λ)·z_0 into t = 1.
    z = np.asarray(lfilter([lam], [1.0, lam - 1.0], x, zi=[(1.0 - lam) * c])[0], dtype=np.float64)
    t = np.arange(1, x.size + 1, dtype=np.float64)
    half = width * s * np.sqrt(lam / (2.0 - lam) * (1.0 - (1.0 - lam) ** (2.0 * t)))
    return EwmaChart(
        centre=c,
        sigma=s,
        lam=float(lam),
        width=float(width),
        z=tuple(z.tolist()),
        upper=tuple((c + half).tolist()),
        lower=tuple((c - half).tolist()),
    )


def ewma_signals(chart: EwmaChart) -> tuple[Signal, ...]:
    """Points at which z lies strictly outside its limits (none when σ = 0)."""
    if chart.sigma <= 0.0:
        return ()
    z = np.asarray(chart.z, dtype=np.float64)
    signals: list[Signal] = []
    for side, limits in ((Side.ABOVE, chart.upper), (Side.BELOW, chart.lower)):
        lim = np.asarray(limits, dtype=np.float64)
        hits = np.flatnonzero(z > lim if side is Side.ABOVE else z < lim)
        signals.extend(
            Signal(
                int(i),
                Rule.EWMA_BEYOND_LIMIT,
                side,
                f"Smoothed average {_fmt(z[i])} is {side} its limit ({_fmt(lim[i])}): "
                f"a sustained shift {side} the centre line ({_fmt(chart.centre)})",
            )
            for i in hits
        )
    return _sorted(signals)


@dataclass(frozen=True, slots=True)
class Episode:
    """One run of a rule firing on one side: indices of its first and last signalling points,
    how many points signalled, and the description of the first."""

    rule: Rule
    side: Side
    first: int
    last: int
    points: int
    description: str


def rule_window(rule: Rule) -> int:
    """How many points a rule's pattern spans (1 for a single point and for the EWMA)."""
    return _PATTERNS[rule][1] if rule in _PATTERNS else 1


def episodes(signals: Sequence[Signal]) -> tuple[Episode, ...]:
    """The signals of each rule and side split into episodes, in order of their first point.

    Two signals of a rule belong to one episode when the patterns that made them touch or
    overlap: index j follows index i by at most the rule's window (consecutive points for the
    3σ rule and the EWMA; within 3 points for 2 of 3, 5 for 4 of 5). Two spikes weeks apart
    are two episodes; a sustained shift, signalling at every point, is one.
    """
    found: list[Episode] = []
    open_: dict[tuple[Rule, Side], Episode] = {}
    for signal in sorted(signals, key=lambda s: s.index):
        key = (signal.rule, signal.side)
        current = open_.get(key)
        if current is not None and signal.index - current.last <= rule_window(signal.rule):
            open_[key] = Episode(
                current.rule,
                current.side,
                current.first,
                signal.index,
                current.points + 1,
                current.description,
            )
            continue
        if current is not None:
            found.append(current)
        open_[key] = Episode(
            signal.rule, signal.side, signal.index, signal.index, 1, signal.description
        )
    found.extend(open_.values())
    return tuple(sorted(found, key=lambda e: (e.first, _RULE_ORDER[e.rule], e.side)))


def bad_side(direction: Direction) -> Side:
    """The side of the centre line a KPI worsens on; a move the good way is not an alert."""
    return Side.BELOW if direction is Direction.HIGHER_IS_BETTER else Side.ABOVE


def drift_signals(
    values: Values, baseline: int | None = None, direction: Direction | str | None = None
) -> tuple[Signal, ...]:
    """Western Electric and EWMA signals (default λ, L) with limits from the same baseline.

    With a ``direction`` only signals on the bad side are kept (a KPI that improves is no alert).
    """
    bad = None if direction is None else bad_side(Direction(direction))
    x = _series(values)
    chart = xmr_chart(x, baseline)
    ewma = ewma_chart(x, centre=chart.centre, sigma=chart.sigma, baseline=chart.baseline)
    signals = [*western_electric_signals(x, chart), *ewma_signals(ewma)]
    return _sorted([s for s in signals if bad is None or s.side is bad])
