"""Plotly figures (plain JSON-ready dicts) of what knowing more before deciding is worth: the
inputs ranked by EVPPI against the EVPI, and a pilot's expected value against its cost by size.

They read the decide document's ``functions[].information`` block (``decision_json``), so the web
results show exactly what the API returns; a stored result older than that block has none and
gets no figure.
"""

from __future__ import annotations

import html
import textwrap
from typing import Any

from sourcewise.reports.decision_charts import FONT
from sourcewise.reports.numbers import compact

Figure = dict[str, Any]

VALUE, COST, NET, REFERENCE = "#1f5fa8", "#b7791f", "#1e7f4f", "#b42318"
LABEL_WIDTH = 40
"""Characters a line of an input's name holds above its bar: fits a phone's width."""
TICKS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
"""People marked on the pilot chart's log axis."""


def plotly_text(text: str, wrap: int | None = None) -> str:
    """``text`` as Plotly shows it: Plotly reads a few HTML tags and the entities in labels, so
    ``&``, ``<`` and ``>`` are written as entities (a name shows as typed, never as markup);
    ``wrap``: lines of at most that many characters, broken at spaces."""
    escaped = html.escape(text, quote=False)
    if wrap is None:
        return escaped
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(text, wrap))


def _layout(**extra: Any) -> dict[str, Any]:
    """No title: the page heads each chart, so a long option name wraps on a phone."""
    return {
        "font": FONT,
        "margin": {"l": 20, "r": 20, "t": 20, "b": 110},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        # Below the axis title, whatever the chart's height.
        "legend": {"orientation": "h", "y": 0, "yref": "container", "yanchor": "bottom"},
        **extra,
    }


def inputs_chart(information: dict[str, Any], currency: str) -> Figure:
    """The inputs most worth learning first, largest at the top, with the EVPI (everything
    learnt) as a dashed reference line: no single input can be worth more."""
    inputs = information["inputs"]
    perfect = information["perfect_value"]
    names = [i["name"] for i in inputs]
    rows = list(range(len(inputs)))
    # Each input's name stands above its bar, from the left edge: long names need no margin
    # that would squeeze the bars on a phone.
    labels = [
        {
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": row - 0.22,
            "yanchor": "bottom",
            "text": plotly_text(name, wrap=LABEL_WIDTH),
            "showarrow": False,
            "align": "left",
            "font": {"size": 12},
        }
        for row, name in zip(rows, names, strict=True)
    ]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "learning this input first (EVPPI)",
                "y": rows,
                "width": 0.4,
                "x": [i["value"] for i in inputs],
                "marker": {"color": VALUE},
                # Each bar says its amount: an input worth nothing has no bar to see.
                "text": [compact(i["value"], currency) for i in inputs],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [round(100 * i["share_of_perfect"], 1) for i in inputs],
                "hovertext": [plotly_text(name) for name in names],
                "hovertemplate": "%{hovertext}<br>worth %{x:,.0f} "
                + currency
                + " (%{customdata}% of everything)<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "learning everything first (EVPI)",
                "x": [perfect, perfect],
                "y": [-0.5, len(rows) - 0.5],
                "line": {"color": REFERENCE, "dash": "dash", "width": 2},
                "hovertemplate": f"EVPI %{{x:,.0f}} {currency}<extra></extra>",
            },
        ],
        "layout": _layout(
            annotations=labels,
            xaxis={
                "title": {"text": f"expected saving, {currency}"},
                "tickformat": ",.3s",
                "rangemode": "tozero",
                "range": [0, 1.08 * max(perfect, *(i["value"] for i in inputs), 1.0)],
            },
            yaxis={
                "autorange": "reversed",
                "showticklabels": False,
                "range": [len(rows) - 0.5, -0.9],
            },
            height=max(340, 150 + 64 * len(inputs)),
        ),
    }


def pilot_chart(pilot: dict[str, Any], currency: str) -> Figure:
    """A pilot's expected value (EVSI) and cost by its size in people, with the most any pilot
    measuring the input is worth (its EVPPI): it pays where the value line is above the cost."""
    curve = pilot["curve"]
    people = [point["people"] for point in curve]
    best = pilot["best"]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "what its result is worth (EVSI)",
            "x": people,
            "y": [point["value"] for point in curve],
            "line": {"color": VALUE, "width": 2},
            "hovertemplate": f"%{{x}} people: worth %{{y:,.0f}} {currency}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "what it costs",
            "x": people,
            "y": [point["cost"] for point in curve],
            "line": {"color": COST, "width": 2},
            "hovertemplate": f"%{{x}} people: costs %{{y:,.0f}} {currency}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "learning the input exactly (EVPPI)",
            "x": [people[0], people[-1]] if people else [],
            "y": [pilot["perfect_value"]] * (2 if people else 0),
            "line": {"color": REFERENCE, "dash": "dash", "width": 1.5},
            "hoverinfo": "skip",
        },
    ]
    if pilot["worth_running"]:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "best size",
                "x": [best["people"]],
                "y": [best["value"]],
                "marker": {"color": NET, "size": 12, "symbol": "diamond"},
                "hovertemplate": f"best: %{{x}} people, net %{{customdata:,.0f}} {currency}"
                "<extra></extra>",
                "customdata": [best["net_value"]],
            }
        )
    costs = [point["cost"] for point in curve]
    # The cost line soon dwarfs the value of a pilot that cannot change the choice: the axis
    # stops a little above the larger of the EVPPI and the best size's cost.
    top = max(pilot["perfect_value"], best["cost"], min(costs, default=0.0), 1.0)
    return {
        "data": traces,
        "layout": _layout(
            xaxis={
                "title": {"text": "people in the pilot"},
                "type": "log",
                "automargin": True,
                "tickvals": [n for n in TICKS if n <= max(people, default=1)],
            },
            yaxis={
                "title": {"text": currency},
                "tickformat": ",.3s",
                "range": [0, 1.15 * top],
                "automargin": True,
            },
            height=380,
        ),
    }


def information_charts(information: dict[str, Any] | None, currency: str) -> dict[str, Figure]:
    """The figures of one function's ``information`` block, by name; none without the block."""
    if not information or not information["inputs"]:
        return {}
    charts = {"information_inputs": inputs_chart(information, currency)}
    if information["pilots"]:
        charts["information_pilot"] = pilot_chart(information["pilots"][0], currency)
    return charts
