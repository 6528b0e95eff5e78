"""Charts as inline SVG, drawn in Python: no JavaScript, so a page that holds them works offline,
prints and converts to PDF.

Every chart is a ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming what it shows,
text labels on every bar, and coordinates rounded to one decimal so the same data gives the same
bytes. Data points carry ``data-*`` attributes (kind, option, value) that tests and readers of
the source can check without parsing geometry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from sourcewise.domain import arrangement
from sourcewise.reports.numbers import compact
from sourcewise.reports.svg_base import (
    COST_DOWN,
    COST_UP,
    GRID,
    INK,
    MUTED,
    PALETTE,
    RANK_COLOURS,
    STATUS_QUO_COLOUR,
    WIDTH,
    Scale,
    colour,
    fit,
    nice_ticks,
    num,
    svg_element,
    svg_text,
    tick_label,
    wrap,
    x_axis,
)

__all__ = [
    "COST_DOWN",
    "COST_UP",
    "FanSeries",
    "GridEntry",
    "TornadoRow",
    "WaterfallStep",
    "acceptability",
    "fan_chart",
    "fit",
    "nice_ticks",
    "tick_label",
    "tornado",
    "waterfall",
    "who_where",
    "wrap",
]


# ---------------------------------------------------------------------------------------------
# Waterfall of hidden costs


@dataclass(frozen=True, slots=True)
class WaterfallStep:
    """One bar: ``kind`` is ``reference`` (the status quo), ``price`` (the rate card or quote),
    ``component`` (a cost added or removed on the way to TCO) or ``total`` (the TCO)."""

    label: str
    value: float
    kind: str
    key: str = ""
    """A stable name for the step (a cost component's), for readers of the source."""


def waterfall(chart_id: str, steps: Sequence[WaterfallStep], currency: str, title: str) -> Markup:
    """Horizontal waterfall: price first, each hidden cost from where the last one ended, TCO."""
    label_w, right_pad, row_h, top = 230.0, 110.0, 26.0, 12.0
    running = 0.0
    spans: list[tuple[float, float]] = []
    for step in steps:
        if step.kind == "component":
            spans.append((running, running + step.value))
            running += step.value
        else:
            spans.append((0.0, step.value))
            if step.kind == "price":
                running = step.value
    low = min(0.0, *(min(s) for s in spans))
    high = max(0.0, *(max(s) for s in spans))
    ticks = nice_ticks(low, high)
    scale = Scale(ticks[0], ticks[-1], label_w, WIDTH - right_pad)
    bottom = top + row_h * len(steps)
    body = [x_axis(scale, ticks, top, bottom, f"present value, {currency}")]
    fills = {"reference": STATUS_QUO_COLOUR, "price": PALETTE[0], "total": INK}
    for i, (step, (start, end)) in enumerate(zip(steps, spans, strict=True)):
        y = top + i * row_h
        x0, x1 = sorted((scale(start), scale(end)))
        fill = fills.get(step.kind) or (COST_UP if step.value >= 0 else COST_DOWN)
        sign = "+" if step.value >= 0 else "−"
        shown = (
            f"{sign}{compact(abs(step.value))}"
            if step.kind == "component"
            else compact(step.value, currency)
        )
        weight = "normal" if step.kind == "component" else "bold"
        body.append(
            f'<g class="step" data-kind="{step.kind}" data-name="{escape(step.key or step.label)}" '
            f'data-value="{step.value:.2f}">'
            + svg_text(
                label_w - 8, y + row_h / 2 + 4, fit(step.label, label_w - 12), "end", weight=weight
            )
            + f'<rect x="{num(x0)}" y="{num(y + 4)}" width="{num(max(x1 - x0, 1.0))}" '
            f'height="{num(row_h - 8)}" fill="{fill}"/>'
            + svg_text(max(x0, x1) + 6, y + row_h / 2 + 4, shown, size=11, weight=weight)
            + "</g>"
        )
        if step.kind == "component" or (step.kind == "price" and i + 1 < len(steps)):
            edge = scale(end)
            body.append(
                f'<line x1="{num(edge)}" y1="{num(y + row_h - 4)}" x2="{num(edge)}" '
                f'y2="{num(y + row_h + 4)}" stroke="{MUTED}" stroke-dasharray="2 2"/>'
            )
    components = [s for s in steps if s.kind == "component"]
    desc = (
        f"From the price to the total cost of ownership in {len(components)} steps: "
        + "; ".join(f"{s.label} {s.value:+,.0f} {currency}" for s in components)
        + "."
    )
    return svg_element(chart_id, bottom + 40, title, desc, body)


# ---------------------------------------------------------------------------------------------
# Fan chart: yearly cost P10–P50–P90, one panel per option


@dataclass(frozen=True, slots=True)
class FanSeries:
    name: str
    p10: Sequence[float]
    p50: Sequence[float]
    p90: Sequence[float]
    highlight: bool = False


def fan_chart(
    chart_id: str, reference: FanSeries, series: Sequence[FanSeries], currency: str, title: str
) -> Markup:
    """Small multiples on one shared scale: each option's P10–P90 band and median per year,
    against the status quo's median (dashed), so bands never hide each other."""
    columns = 3 if len(series) > 2 else max(len(series), 1)
    gap, left_pad, panel_h, head = 14.0, 58.0, 150.0, 34.0
    panel_w = (WIDTH - left_pad - gap * (columns - 1)) / columns
    rows = math.ceil(len(series) / columns) if series else 1
    high = max([*reference.p90, *(v for s in series for v in s.p90)], default=1.0)
    ticks = nice_ticks(0.0, high, 4)
    years = len(reference.p50)
    body = [svg_text(0, 14, f"yearly cost, {currency}", size=11, fill=MUTED)]
    for k, s in enumerate(series):
        row, col = divmod(k, columns)
        x0 = left_pad + col * (panel_w + gap)
        y0 = 24 + row * (panel_h + head)
        top, bottom = y0 + head - 8, y0 + head + panel_h - 30
        ys = Scale(ticks[0], ticks[-1], bottom, top)
        xs = Scale(1, max(years, 2), x0 + 10, x0 + panel_w - 10)
        name = ("★ " if s.highlight else "") + s.name
        body.append(
            svg_text(
                x0,
                y0 + 14,
                fit(name, panel_w - 6, bold=s.highlight),
                weight="bold" if s.highlight else "normal",
            )
        )
        for tick in ticks:
            y = ys(tick)
            body.append(
                f'<line x1="{num(x0)}" y1="{num(y)}" x2="{num(x0 + panel_w)}" y2="{num(y)}" '
                f'stroke="{GRID}"/>'
            )
            if col == 0:
                body.append(svg_text(x0 - 6, y + 4, tick_label(tick), "end", 10, fill=MUTED))
        for year in range(1, years + 1):
            body.append(svg_text(xs(year), bottom + 14, f"Y{year}", "middle", 10, fill=MUTED))
        upper = [(xs(i + 1), ys(v)) for i, v in enumerate(s.p90)]
        lower = [(xs(i + 1), ys(v)) for i, v in enumerate(s.p10)][::-1]
        points = " ".join(f"{num(x)},{num(y)}" for x, y in [*upper, *lower])
        tint = colour(k)
        body.append(
            f'<path class="band" data-option="{escape(s.name)}" d="M{points}Z" fill="{tint}" '
            f'fill-opacity="0.22" stroke="none"/>'
        )
        median = " ".join(f"{num(xs(i + 1))},{num(ys(v))}" for i, v in enumerate(s.p50))
        body.append(
            f'<polyline class="median" points="{median}" fill="none" stroke="{tint}" '
            'stroke-width="2.5"/>'
        )
        base = " ".join(f"{num(xs(i + 1))},{num(ys(v))}" for i, v in enumerate(reference.p50))
        body.append(
            f'<polyline class="reference" points="{base}" fill="none" '
            f'stroke="{STATUS_QUO_COLOUR}" stroke-width="1.5" stroke-dasharray="5 3"/>'
        )
        last = len(s.p50) - 1
        body.append(
            svg_text(
                x0 + panel_w,
                y0 + 28,
                f"Y{last + 1} P50 {compact(s.p50[last])}",
                "end",
                10,
                fill=MUTED,
            )
        )
    legend_y = 24 + rows * (panel_h + head) - 4
    body.append(
        f'<rect x="{num(left_pad)}" y="{num(legend_y - 9)}" width="18" height="10" '
        f'fill="{PALETTE[0]}" fill-opacity="0.22"/>'
        + svg_text(left_pad + 24, legend_y, "P10–P90 of the option", size=11, fill=MUTED)
        + f'<line x1="{num(left_pad + 180)}" y1="{num(legend_y - 4)}" x2="{num(left_pad + 198)}" '
        f'y2="{num(legend_y - 4)}" stroke="{PALETTE[0]}" stroke-width="2.5"/>'
        + svg_text(left_pad + 204, legend_y, "median (P50)", size=11, fill=MUTED)
        + f'<line x1="{num(left_pad + 300)}" y1="{num(legend_y - 4)}" x2="{num(left_pad + 318)}" '
        f'y2="{num(legend_y - 4)}" stroke="{STATUS_QUO_COLOUR}" stroke-width="1.5" '
        'stroke-dasharray="5 3"/>'
        + svg_text(left_pad + 324, legend_y, "status quo median", size=11, fill=MUTED)
    )
    desc = "; ".join(
        f"{s.name}: year 1 P50 {s.p50[0]:,.0f}, year {len(s.p50)} P50 {s.p50[-1]:,.0f} "
        f"(P10 {s.p10[-1]:,.0f}, P90 {s.p90[-1]:,.0f}) {currency}"
        for s in series
    )
    return svg_element(chart_id, legend_y + 10, title, desc + ".", body)


# ---------------------------------------------------------------------------------------------
# Tornado


@dataclass(frozen=True, slots=True)
class TornadoRow:
    label: str
    low_value: str
    high_value: str
    at_low: float
    at_high: float


def tornado(
    chart_id: str, base: float, rows: Sequence[TornadoRow], currency: str, title: str
) -> Markup:
    """Saving with each input at its P10 (blue) and P90 (orange), the others at their means;
    the line is the saving with every input at its mean. Largest swing first."""
    label_w, pad, row_h, top = 250.0, 70.0, 28.0, 26.0
    values = [base, *(v for r in rows for v in (r.at_low, r.at_high))]
    ticks = nice_ticks(min(values), max(values))
    # Room left of the axis for the value label of a bar that reaches its low end.
    scale = Scale(ticks[0], ticks[-1], label_w + 60, WIDTH - pad)
    bottom = top + row_h * max(len(rows), 1)
    body = [
        x_axis(scale, ticks, top, bottom, f"saving against the status quo, {currency}"),
        f'<rect x="{num(label_w)}" y="4" width="12" height="10" fill="{PALETTE[7]}"/>',
        svg_text(label_w + 16, 13, "input at its P10", size=11, fill=MUTED),
        f'<rect x="{num(label_w + 130)}" y="4" width="12" height="10" fill="{COST_UP}"/>',
        svg_text(label_w + 146, 13, "input at its P90", size=11, fill=MUTED),
    ]
    for i, r in enumerate(rows):
        y = top + i * row_h
        body.append(f'<g class="bar" data-low="{r.at_low:.2f}" data-high="{r.at_high:.2f}">')
        body.append(svg_text(label_w - 8, y + row_h / 2 + 4, fit(r.label, label_w - 12), "end"))
        for value, fill, shown in (
            (r.at_low, PALETTE[7], r.low_value),
            (r.at_high, COST_UP, r.high_value),
        ):
            x0, x1 = sorted((scale(base), scale(value)))
            body.append(
                f'<rect x="{num(x0)}" y="{num(y + 5)}" width="{num(max(x1 - x0, 1.0))}" '
                f'height="{num(row_h - 10)}" fill="{fill}"><title>{escape(shown)}: saving '
                f"{value:,.0f} {escape(currency)}</title></rect>"
            )
        low_x, high_x = scale(min(r.at_low, r.at_high)), scale(max(r.at_low, r.at_high))
        body.append(
            svg_text(
                low_x - 4,
                y + row_h / 2 + 4,
                compact(min(r.at_low, r.at_high)),
                "end",
                10,
                fill=MUTED,
            )
        )
        body.append(
            svg_text(
                high_x + 4,
                y + row_h / 2 + 4,
                compact(max(r.at_low, r.at_high)),
                size=10,
                fill=MUTED,
            )
        )
        body.append("</g>")
    centre = scale(base)
    body.append(
        f'<line x1="{num(centre)}" y1="{num(top - 4)}" x2="{num(centre)}" y2="{num(bottom)}" '
        f'stroke="{INK}" stroke-width="1.5"/>'
    )
    desc = (
        f"Saving at every input's mean: {base:,.0f} {currency}. "
        + "; ".join(
            f"{r.label}: {r.at_low:,.0f} at P10 ({r.low_value}), {r.at_high:,.0f} at P90 "
            f"({r.high_value})"
            for r in rows
        )
        + "."
    )
    return svg_element(chart_id, bottom + 40, title, desc, body)


# ---------------------------------------------------------------------------------------------
# SMAA-2 rank acceptability


def acceptability(
    chart_id: str, options: Sequence[str], shares: Sequence[Sequence[float]], title: str
) -> Markup:
    """One stacked bar per option: the share of weight draws that give it rank 1, 2, …"""
    label_w, row_h, top = 250.0, 28.0, 30.0
    scale = Scale(0.0, 1.0, label_w, WIDTH - 20)
    count = len(options)
    last = len(RANK_COLOURS) - 1
    tints = [RANK_COLOURS[round(r * last / max(count - 1, 1))] for r in range(count)]
    body = []
    for r in range(count):
        x = label_w + r * 62
        body.append(
            f'<rect x="{num(x)}" y="6" width="12" height="10" fill="{tints[r]}"/>'
            + svg_text(x + 16, 15, f"rank {r + 1}", size=11, fill=MUTED)
        )
    for i, (name, row) in enumerate(zip(options, shares, strict=True)):
        y = top + i * row_h
        body.append(f'<g class="option" data-option="{escape(name)}">')
        body.append(svg_text(label_w - 8, y + row_h / 2 + 4, fit(name, label_w - 12), "end"))
        start = 0.0
        for r, share in enumerate(row):
            if share <= 0:
                continue
            x0, x1 = scale(start), scale(start + share)
            body.append(
                f'<rect class="rank" data-rank="{r + 1}" data-share="{share:.4f}" x="{num(x0)}" '
                f'y="{num(y + 4)}" width="{num(x1 - x0)}" height="{num(row_h - 8)}" '
                f'fill="{tints[r]}"><title>rank {r + 1}: {share:.0%}</title></rect>'
            )
            if x1 - x0 >= 30:
                text_fill = "#ffffff" if r in (0, count - 1) else INK
                body.append(
                    svg_text(
                        (x0 + x1) / 2,
                        y + row_h / 2 + 4,
                        f"{share:.0%}",
                        "middle",
                        11,
                        fill=text_fill,
                    )
                )
            start += share
        body.append("</g>")
    bottom = top + row_h * count
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        body.append(svg_text(scale(tick), bottom + 14, f"{tick:.0%}", "middle", 10, fill=MUTED))
    desc = "; ".join(
        f"{name}: " + ", ".join(f"rank {r + 1} {s:.0%}" for r, s in enumerate(row) if s >= 0.005)
        for name, row in zip(options, shares, strict=True)
    )
    return svg_element(chart_id, bottom + 24, title, desc + ".", body)


# ---------------------------------------------------------------------------------------------
# Who × where 2×2


@dataclass(frozen=True, slots=True)
class GridEntry:
    name: str
    row: int
    """0: home country, 1: another country."""
    column: int
    """0: own staff, 1: third party."""
    recommended: bool = False
    status_quo: bool = False


# The domain's 2×2 (domain.arrangement.GRID) as headings.
GRID_ROWS = tuple(where.capitalize() for where in arrangement.WHERE)
GRID_COLUMNS = tuple(who.capitalize() for who in arrangement.WHO)
GRID_CELLS = tuple(tuple(str(a).capitalize() for a in row) for row in arrangement.GRID)


def who_where(chart_id: str, entries: Sequence[GridEntry], title: str) -> Markup:
    """The articles' 2×2: rows where the work is done, columns who employs the workers; each
    option sits in the cell of its arrangement (a split option in each of its sites' cells)."""
    head_w, head_h, gap, line_h = 130.0, 26.0, 10.0, 17.0
    cell_w = (WIDTH - head_w - gap) / 2
    per_cell = [
        [[e for e in entries if (e.row, e.column) == (r, c)] for c in range(2)] for r in range(2)
    ]
    labels = {
        id(e): wrap(
            e.name + (" (recommended)" if e.recommended else ""), cell_w - 40, bold=e.recommended
        )
        for e in entries
    }

    def needed(cell: list[GridEntry]) -> float:
        return 40 + sum(line_h * len(labels[id(e)]) + 4 for e in cell)

    heights = [max(70.0, *(needed(per_cell[r][c]) for c in range(2))) for r in range(2)]
    body = [
        svg_text(
            head_w + c * (cell_w + gap) + cell_w / 2, 17, name, "middle", weight="bold", fill=MUTED
        )
        for c, name in enumerate(GRID_COLUMNS)
    ]
    y = head_h
    for r in range(2):
        middle = y + (heights[r] - 8) / 2 + 4
        body.append(svg_text(head_w - 10, middle, GRID_ROWS[r], "end", weight="bold", fill=MUTED))
        for c in range(2):
            x = head_w + c * (cell_w + gap)
            body.append(
                f'<g class="cell" data-arrangement="{escape(GRID_CELLS[r][c])}">'
                f'<rect x="{num(x)}" y="{num(y)}" width="{num(cell_w)}" '
                f'height="{num(heights[r] - 8)}" '
                'rx="6" fill="#f0f4fb" stroke="#c9d6ec"/>'
                + svg_text(
                    x + 10,
                    y + 18,
                    GRID_CELLS[r][c].upper(),
                    size=11,
                    weight="bold",
                    fill=PALETTE[0],
                )
            )
            ty = y + 38
            for e in per_cell[r][c]:
                if e.status_quo:
                    dot = STATUS_QUO_COLOUR
                else:
                    dot = COST_DOWN if e.recommended else PALETTE[0]
                weight = "bold" if e.recommended else "normal"
                body.append(
                    f'<g class="entry" data-option="{escape(e.name)}">'
                    f'<circle cx="{num(x + 16)}" cy="{num(ty - 4)}" r="5" fill="{dot}"/>'
                    + "".join(
                        svg_text(x + 28, ty + k * line_h, line, weight=weight)
                        for k, line in enumerate(labels[id(e)])
                    )
                    + "</g>"
                )
                ty += line_h * len(labels[id(e)]) + 4
            body.append("</g>")
        y += heights[r]
    desc = "; ".join(
        f"{GRID_CELLS[r][c]}: " + (", ".join(e.name for e in per_cell[r][c]) or "no option")
        for r in range(2)
        for c in range(2)
    )
    return svg_element(chart_id, y + 4, title, desc + ".", body)
