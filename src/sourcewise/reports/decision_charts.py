"""Plotly figures (plain JSON-ready dicts) for the decision results: TCO fan chart, cost-component
waterfall, tornado, SMAA-2 rank acceptability, what knowing more is worth
(``information_charts``); and the who × where 2×2 as table cells.

They read the decide/simulate JSON documents (``decision_to_dict``, ``simulation_to_dict``), so
the page shows exactly what the API returns.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sourcewise.domain.arrangement import GRID, WHERE, WHO, Arrangement
from sourcewise.reports.svg_base import PALETTE, STATUS_QUO_COLOUR

if TYPE_CHECKING:
    from sourcewise.services.decide import Decision

Figure = dict[str, Any]

RANK_COLOURS = ("#1e7f4f", "#59a96a", "#a3c96b", "#e9c46a", "#f4a261", "#e76f51", "#b42318")
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0, "font": {"size": 15}},
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.18},
        **extra,
    }


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def colour_of(index: int, status_quo: bool = False) -> str:
    return STATUS_QUO_COLOUR if status_quo else PALETTE[index % len(PALETTE)]


def words(name: str) -> str:
    """'vendor_fees' -> 'Vendor fees'."""
    return name.replace("_", " ").capitalize()


def input_label(label: str, options: list[str]) -> str:
    """'functions[0].options[2].hourly_rate' -> 'Indian BPO vendor: hourly rate'."""
    found = re.match(r"functions\[\d+\]\.(?:options\[(\d+)\]\.)?(?:sites\[(\d+)\]\.)?(.*)", label)
    if found is None:
        return words(label.removeprefix("company."))
    option, site, rest = found.groups()
    where = options[int(option)] if option is not None and int(option) < len(options) else ""
    if site is not None:
        where += f" site {int(site) + 1}"
    field = words(rest.replace(".", " "))
    return f"{where}: {field.lower()}" if where else field


def _dropdown(
    names: list[str], traces_per: int, active: int, layouts: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """A menu showing one option's traces at a time (and its layout changes, if any)."""
    count = len(names) * traces_per
    buttons = []
    for i, name in enumerate(names):
        visible = [i * traces_per <= t < (i + 1) * traces_per for t in range(count)]
        args: list[dict[str, Any]] = [{"visible": visible}]
        if layouts is not None:
            args.append(layouts[i])
        method = "update" if layouts is not None else "restyle"
        buttons.append({"label": name, "method": method, "args": args})
    return [
        {
            "buttons": buttons,
            "active": active,
            "x": 0,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
            "bgcolor": "#ffffff",
            "bordercolor": "#d9e0e8",
            "pad": {"t": 0, "b": 4},
        }
    ]


def fan_chart(fsim: dict[str, Any], currency: str) -> Figure:
    """P10–P90 band and median of each year's cost, per option and the status quo."""
    series = [("Status quo", fsim["status_quo_yearly_cost_distribution"], True)]
    series += [(o["name"], o["yearly_cost_distribution"], False) for o in fsim["options"]]
    data: list[dict[str, Any]] = []
    for i, (name, yearly, status_quo) in enumerate(series):
        colour = colour_of(i - 1, status_quo)
        years = [f"Year {y + 1}" for y in range(len(yearly))]
        common = {"x": years, "legendgroup": name, "type": "scatter", "mode": "lines"}
        data.append(
            {
                **common,
                "y": [y["p90"] for y in yearly],
                "line": {"width": 0},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                **common,
                "y": [y["p10"] for y in yearly],
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": _rgba(colour, 0.18),
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        data.append(
            {
                **common,
                "y": [y["p50"] for y in yearly],
                "name": name,
                "line": {"color": colour, "width": 2.5, "dash": "dot" if status_quo else "solid"},
                "customdata": [[y["p10"], y["p90"]] for y in yearly],
                "hovertemplate": "%{y:,.0f} (P10 %{customdata[0]:,.0f}, P90 %{customdata[1]:,.0f})"
                f"<extra>{name}</extra>",
            }
        )
    return {
        "data": data,
        "layout": _layout(
            "Yearly cost: median with P10–P90 band",
            yaxis={"title": {"text": currency}, "tickformat": ",.3s", "rangemode": "tozero"},
            hovermode="x unified",
            height=420,
        ),
    }


def waterfall_chart(fdec: dict[str, Any], currency: str) -> Figure:
    """From the status quo's TCO to each option's, component by component (present values)."""
    options = [o for o in fdec["options"] if not o["status_quo"]]
    status_quo = fdec["status_quo_npv"]
    names = [o["name"] for o in options]
    recommended = fdec["recommendation"]["option"]
    active = names.index(recommended) if recommended in names else 0
    data = []
    for i, option in enumerate(options):
        parts = sorted(option["components_npv"].items(), key=lambda kv: -abs(kv[1]))
        x = ["Status quo TCO", "In-house cost ends", *(words(k) for k, _ in parts), "Option TCO"]
        y = [status_quo, -status_quo, *(v for _, v in parts), 0]
        data.append(
            {
                "type": "waterfall",
                "name": option["name"],
                "x": x,
                "y": y,
                "measure": ["absolute", "relative", *("relative" for _ in parts), "total"],
                "visible": i == active,
                "connector": {"line": {"color": "#d9e0e8"}},
                "increasing": {"marker": {"color": "#e07b39"}},
                "decreasing": {"marker": {"color": "#1e7f4f"}},
                "totals": {"marker": {"color": STATUS_QUO_COLOUR}},
                "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": _layout(
            "Cost components: status quo → option (NPV)",
            yaxis={"title": {"text": currency}, "tickformat": ",.3s"},
            showlegend=False,
            updatemenus=_dropdown(names, 1, active) if len(names) > 1 else [],
            xaxis={"tickangle": -35, "automargin": True},
            height=460,
            margin={"l": 60, "r": 40, "t": 90, "b": 40},
        ),
    }


def tornado_chart(
    fdec: dict[str, Any], fsim: dict[str, Any], currency: str, top: int = 10
) -> Figure:
    """Saving when each uncertain input moves from its P10 to its P90, the others at their means;
    one option at a time (a menu switches), bars at the saving with the scenario's values."""
    names = [o["name"] for o in fsim["options"]]
    savings = {o["name"]: o["savings_vs_status_quo"] for o in fdec["options"]}
    recommended = fdec["recommendation"]["option"]
    active = names.index(recommended) if recommended in names else 0
    data: list[dict[str, Any]] = []
    axes: list[dict[str, Any]] = []
    for i, option in enumerate(fsim["options"]):
        bars = [b for b in option["tornado"] if b["savings_at_high"] != b["savings_at_low"]][:top]
        base = savings.get(option["name"], 0.0)
        labels = [input_label(b["input"], names) for b in bars]
        axes.append({"yaxis.tickvals": list(range(len(bars))), "yaxis.ticktext": labels})
        for key, value, colour in (
            ("savings_at_low", "low", "#3d8fd1"),
            ("savings_at_high", "high", "#e07b39"),
        ):
            data.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": f"input at its P{10 if value == 'low' else 90}",
                    "y": list(range(len(bars))),
                    "x": [b[key] - base for b in bars],
                    "base": base,
                    "marker": {"color": colour},
                    "customdata": [
                        [label, b[value], b[key]] for label, b in zip(labels, bars, strict=True)
                    ],
                    "hovertemplate": "%{customdata[0]} = %{customdata[1]:.4g}<br>"
                    "saving %{customdata[2]:,.0f}<extra></extra>",
                    "visible": i == active,
                }
            )
    shown = axes[active] if axes else {}
    longest = max((len(a["yaxis.ticktext"]) for a in axes), default=1)
    return {
        "data": data,
        "layout": _layout(
            "What drives the saving: each uncertain input from its P10 to its P90",
            barmode="overlay",
            xaxis={"title": {"text": f"saving vs status quo, {currency}"}, "tickformat": ",.3s"},
            yaxis={
                "autorange": "reversed",
                "automargin": True,
                "tickvals": shown.get("yaxis.tickvals", []),
                "ticktext": shown.get("yaxis.ticktext", []),
            },
            updatemenus=_dropdown(names, 2, active, axes) if len(names) > 1 else [],
            height=max(340, 150 + 30 * longest),
            margin={"l": 20, "r": 20, "t": 90, "b": 80},
        ),
    }


def acceptability_chart(shares: dict[str, list[float]]) -> Figure:
    """SMAA-2 rank acceptability: the share of weight draws giving each option (the keys) each
    rank (the list), as the decide document's ``mcda.smaa_rank_acceptability`` gives it."""
    options = list(shares)
    matrix = list(shares.values())
    last = len(RANK_COLOURS) - 1
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": f"rank {r + 1}",
            "y": options,
            "x": [row[r] for row in matrix],
            "marker": {"color": RANK_COLOURS[round(r * last / max(len(options) - 1, 1))]},
            "hovertemplate": f"rank {r + 1}: " + "%{x:.0%}<extra>%{y}</extra>",
        }
        for r in range(len(options))
    ]
    return {
        "data": data,
        "layout": _layout(
            "Rank acceptability (SMAA-2): share of weight draws per rank",
            barmode="stack",
            xaxis={"tickformat": ".0%", "range": [0, 1]},
            yaxis={"automargin": True, "autorange": "reversed"},
            legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
            height=420,
            margin={"l": 20, "r": 20, "t": 50, "b": 40},
        ),
    }


def rank_acceptability(decision: Decision) -> list[dict[str, Any] | None]:
    """Full SMAA-2 rank acceptabilities per function, as the decision drew them."""
    out: list[dict[str, Any] | None] = []
    for function in decision.functions:
        ranking = function.ranking
        if ranking is None:
            out.append(None)
            continue
        out.append(
            {
                "options": list(ranking.options),
                "acceptability": [[round(v, 4) for v in row] for row in ranking.rank_acceptability],
            }
        )
    return out


def grid(fdec: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The who × where 2×2: rows (where) of cells (who), each with its arrangement and the
    options placed there; a split option appears in each of its sites' cells with its share."""
    cells: list[list[dict[str, Any]]] = [
        [{"title": str(arrangement), "entries": []} for arrangement in row] for row in GRID
    ]
    recommended = fdec["recommendation"]["option"]
    for option in fdec["options"]:
        split = len(option["sites"]) > 1
        for site in option["sites"]:
            row, col = Arrangement(site["arrangement"]).cell
            cells[row][col]["entries"].append(
                {
                    "name": option["name"],
                    "share": site["share"] if split else None,
                    "country": site["country_name"],
                    "recommended": option["name"] == recommended,
                    "status_quo": option["status_quo"],
                    "nearshore": option["nearshore"],
                }
            )
    return [(WHERE[r], cells[r]) for r in range(2)]


def function_view(payload: dict[str, Any], index: int) -> dict[str, Any]:
    """Everything the results template shows for one function: figures and the 2×2."""
    decision = payload["decision"]
    fdec = decision["functions"][index]
    currency = decision["company"]["currency"]
    simulation = payload.get("simulation")
    fsim = simulation["functions"][index] if simulation else None
    mcda = fdec["mcda"]
    charts: dict[str, Figure] = {"waterfall": waterfall_chart(fdec, currency)}
    if fsim is not None:
        charts["fan"] = fan_chart(fsim, currency)
        if any(o["tornado"] for o in fsim["options"]):
            charts["tornado"] = tornado_chart(fdec, fsim, currency)
    if mcda is not None:
        charts["acceptability"] = acceptability_chart(mcda["smaa_rank_acceptability"])
    # Imported here: information_charts draws in this module's style (FONT).
    from sourcewise.reports.information_charts import information_charts

    charts |= information_charts(fdec.get("information"), currency)
    return {"function": fdec, "charts": charts, "grid": grid(fdec), "who": WHO}
