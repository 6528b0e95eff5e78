"""Plotly figures of the governance pages, built server-side as plain figure dicts.

Every figure leaves here through ``chart``, whose JSON is safe inside a
``<script type="application/json">`` block (``static/app.js`` draws it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from sourcewise.governance.benefits import BenefitReport
from sourcewise.governance.control_charts import XmRChart, xmr_chart
from sourcewise.governance.scorecard import DOMAIN_NAMES, Scorecard
from sourcewise.reports.numbers import UNIT_SUFFIX, measure, month_short, readable

Figure = dict[str, Any]

INK, MUTED, ACCENT = "#1d2733", "#5b6b7c", "#1f5fa8"
OK, WARN, BAD = "#1e7f4f", "#b7791f", "#b42318"
DOMAIN_COLOURS = ("#1f5fa8", "#6b8e23", "#8e5ea2", "#c27c0e", "#3a9ca6", "#b23b3b")
BASELINE_POINTS = 12
"""As the drift alerts: limits from the first 12 points, or all of them if fewer."""


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    json: Markup
    """The figure as JSON that cannot end its ``<script>`` element."""


def script_json(value: Any) -> Markup:
    """``value`` as JSON for a ``<script type="application/json">`` block: ``<``, ``>``, ``&``
    and the JavaScript line separators are escaped, so no ``</script>`` can appear."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False, default=str)
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return Markup(text)  # escaped above: JSON that no HTML parser can end early


def chart(chart_id: str, figure: Figure) -> Chart:
    return Chart(chart_id, script_json(figure))


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 14, "color": INK}},
        "margin": {"l": 56, "r": 16, "t": 40, "b": 40},
        "height": 300,
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": INK},
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "xaxis": {"gridcolor": "#eef1f4"},
        "yaxis": {"gridcolor": "#eef1f4", "zeroline": False},
        "hovermode": "x unified",
    }
    layout.update(extra)
    return layout


def _line(x: Sequence[Any], y: float, name: str, colour: str, dash: str) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "x": [x[0], x[-1]],
        "y": [y, y],
        "name": name,
        "line": {"color": colour, "dash": dash, "width": 1.5},
        "hoverinfo": "skip",
    }


@dataclass(frozen=True, slots=True)
class ControlChart:
    chart: Chart
    limits: XmRChart
    beyond: int
    """Points beyond the control limits."""


def kpi_control_chart(
    chart_id: str,
    title: str,
    periods: Sequence[datetime],
    values: Sequence[float],
    unit: str = "",
    target: float | None = None,
    bounds: tuple[float | None, float | None] = (None, None),
) -> ControlChart | None:
    """An individuals (XmR) chart: the values, centre line and ±3σ limits (kept within the
    ``bounds`` the measure can take), the points beyond them in red, and the service-level
    target if any. None below two points."""
    if len(values) < 2:
        return None
    baseline = max(2, min(len(values), BASELINE_POINTS))
    limits = xmr_chart(values, baseline=baseline, bounds=bounds)
    x = [p.date().isoformat() for p in periods]
    out = [i for i, v in enumerate(values) if v > limits.upper or v < limits.lower]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": list(values),
            "name": "value",
            "line": {"color": ACCENT, "width": 1.5},
            "marker": {"size": 5},
        },
        _line(x, limits.centre, f"centre {readable(limits.centre)}", OK, "solid"),
        _line(
            x,
            limits.upper,
            f"limits {readable(limits.lower)}–{readable(limits.upper)}",
            BAD,
            "dash",
        ),
        {**_line(x, limits.lower, "lower limit", BAD, "dash"), "showlegend": False},
    ]
    if target is not None:
        data.append(_line(x, target, f"target {measure(target, unit)}", WARN, "dot"))
    if out:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [x[i] for i in out],
                "y": [values[i] for i in out],
                "name": "beyond the limits",
                "marker": {"color": BAD, "size": 11, "symbol": "circle-open", "line": {"width": 2}},
            }
        )
    suffix = UNIT_SUFFIX.get(unit, "")
    layout = _layout(title, yaxis={"gridcolor": "#eef1f4", "ticksuffix": suffix})
    return ControlChart(chart(chart_id, {"data": data, "layout": layout}), limits, len(out))


MONTH_AXIS = {"type": "category", "gridcolor": "#eef1f4"}
"""Months as named categories: a single month is one labelled tick, not an axis of
milliseconds around one date."""


def scorecard_chart(chart_id: str, cards: Sequence[Scorecard]) -> Chart:
    """Overall score and each domain's, month by month; 80 is on target. A domain scored in
    some months only (the relationship, from the surveys) shows its points, joined across the
    months between."""
    x = [month_short(c.period) for c in cards]
    data: list[dict[str, Any]] = []
    if cards:
        for index, domain in enumerate(d.domain for d in cards[-1].domains):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": x,
                    "y": [c.domain(domain).score for c in cards],
                    "name": DOMAIN_NAMES[domain],
                    "line": {"color": DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)], "width": 1.5},
                    "marker": {"size": 5},
                    "connectgaps": True,
                    "opacity": 0.85,
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": x,
                "y": [c.overall for c in cards],
                "name": "overall",
                "line": {"color": INK, "width": 3},
            }
        )
        data.append(_line(x, 80.0, "on target (80)", OK, "dot"))
    layout = _layout(
        "Scorecard, 0–100",
        xaxis=MONTH_AXIS,
        yaxis={"range": [0, 100], "gridcolor": "#eef1f4"},
        height=320,
    )
    return chart(chart_id, {"data": data, "layout": layout})


def benefits_chart(chart_id: str, report: BenefitReport, currency: str) -> Chart:
    """Cumulative planned and actual savings, with each month's variance as bars."""
    x = [month_short(m.month) for m in report.months]
    data = [
        {
            "type": "bar",
            "x": x,
            "y": [float(m.variance) for m in report.months],
            "name": "monthly variance",
            "marker": {"color": [OK if m.variance >= 0 else BAD for m in report.months]},
            "opacity": 0.45,
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": [float(m.cumulative_planned) for m in report.months],
            "name": "planned (cumulative)",
            "line": {"color": MUTED, "dash": "dash", "width": 2},
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": x,
            "y": [float(m.cumulative_actual) for m in report.months],
            "name": "actual (cumulative)",
            "line": {"color": ACCENT, "width": 3},
        },
    ]
    layout = _layout(
        f"Savings against the business case ({currency})",
        height=340,
        xaxis=MONTH_AXIS,
        yaxis={"gridcolor": "#eef1f4", "tickformat": "~s"},
    )
    return chart(chart_id, {"data": data, "layout": layout})


def portfolio_benefits_chart(
    chart_id: str, reports: Sequence[tuple[str, str, BenefitReport]]
) -> Chart:
    """Each engagement's cumulative actual saving (solid) against its plan (dashed)."""
    data: list[dict[str, Any]] = []
    for index, (name, currency, report) in enumerate(reports):
        colour = DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)]
        x = [f"{m.month:%Y-%m}" for m in report.months]
        for label, values, dash in (
            ("plan", [float(m.cumulative_planned) for m in report.months], "dash"),
            ("actual", [float(m.cumulative_actual) for m in report.months], "solid"),
        ):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": x,
                    "y": values,
                    "name": f"{name}: {label} ({currency})",
                    "line": {
                        "color": colour,
                        "dash": dash,
                        "width": 2.5 if dash == "solid" else 1.5,
                    },
                }
            )
    layout = _layout(
        "Cumulative savings against plan",
        height=300,
        yaxis={"gridcolor": "#eef1f4", "tickformat": "~s"},
        legend={"orientation": "h", "y": -0.2, "x": 0},
    )
    return chart(chart_id, {"data": data, "layout": layout})
