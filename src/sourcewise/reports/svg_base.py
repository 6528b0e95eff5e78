"""Drawing primitives for the inline SVG charts: scales, ticks, labels that fit, and the
accessible ``<svg>`` wrapper. Coordinates are rounded to one decimal so output is stable."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = (
    "#1f5fa8",
    "#e07b39",
    "#2a9d8f",
    "#b5487a",
    "#7a6cc4",
    "#8c9c2f",
    "#c0392b",
    "#3d8fd1",
    "#a0522d",
)
STATUS_QUO_COLOUR = "#5b6b7c"
INK = "#1d2330"
MUTED = "#5b6475"
GRID = "#e3e6ec"
COST_UP = "#d0643a"
COST_DOWN = "#1e7f4f"
RANK_COLOURS = ("#1e7f4f", "#59a96a", "#a3c96b", "#e9c46a", "#f4a261", "#e76f51", "#b42318")
WIDTH = 760
CHAR_WIDTH = 6.4
"""Average width of a 12 px system-font character, to keep labels inside their room."""


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def num(x: float) -> str:
    """A coordinate with one decimal: stable bytes, sub-pixel precision is invisible."""
    text = f"{x:.1f}"
    return "0.0" if text == "-0.0" else text


def _room(width: float, size: float, bold: bool) -> int:
    # Bold glyphs run about a tenth wider.
    return max(4, int(width / (CHAR_WIDTH * size / 12.0 * (1.1 if bold else 1.0))))


def fit(text: str, width: float, size: float = 12.0, bold: bool = False) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels at font ``size``."""
    room = _room(width, size, bold)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values from at or below ``low`` to at or above ``high`` (1, 2, 2.5 or 5 times
    a power of ten apart)."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    ticks = [math.floor(low / step) * step]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(ticks[0] + step * len(ticks))
    return [round(t, 10) for t in ticks]


def tick_label(value: float) -> str:
    """An axis label: '7.5 M', '10 M', '250 k' (no trailing zeros)."""
    magnitude = abs(value)
    for size, suffix in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if magnitude >= size:
            return f"{value / size:,.2f}".rstrip("0").rstrip(".").replace("-", "−") + suffix
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace("-", "−")


def wrap(
    text: str, width: float, size: float = 12.0, lines: int = 2, bold: bool = False
) -> list[str]:
    """``text`` split at spaces into at most ``lines`` lines of ``width`` pixels (the last one
    cut with an ellipsis if it still does not fit)."""
    room = _room(width, size, bold)
    out: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= room or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    out.append(current)
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :])]
    return [fit(line, width, size, bold) for line in out]


class Scale:
    """Linear map from data to pixels."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.start + (value - self.low) / span * (self.end - self.start)


def svg_text(
    x: float,
    y: float,
    text: str,
    anchor: str = "start",
    size: float = 12,
    weight: str = "normal",
    fill: str = INK,
    extra: str = "",
) -> str:
    bold = ' font-weight="600"' if weight == "bold" else ""
    return (
        f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}" font-size="{size:g}"'
        f'{bold} fill="{fill}"{extra}>{escape(text)}</text>'
    )


def svg_element(chart_id: str, height: float, title: str, desc: str, body: Sequence[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" '
        f'viewBox="0 0 {WIDTH} {num(height)}" width="{WIDTH}" height="{num(height)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def x_axis(scale: Scale, ticks: Sequence[float], top: float, bottom: float, unit: str) -> str:
    parts = []
    for tick in ticks:
        x = scale(tick)
        parts.append(
            f'<line x1="{num(x)}" y1="{num(top)}" x2="{num(x)}" y2="{num(bottom)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(svg_text(x, bottom + 15, tick_label(tick), "middle", 11, fill=MUTED))
    if unit:
        parts.append(svg_text(scale.end, bottom + 30, unit, "end", 11, fill=MUTED))
    return "".join(parts)
