"""The decision as an Excel workbook (``decide --format xlsx``, and a stored run's result with
``run export``): one sheet per view, built from the same data as the JSON output, numbers as
numbers with number formats, frozen headers."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sourcewise.reports.names import article_name
from sourcewise.reports.run_result import run_result
from sourcewise.services.decide import Decision

MONEY = "#,##0.00"
SHARE = "0.0%"
NUMBER = "0.####"
WHOLE = "0"
TEXT = None
MAX_WIDTH = 60

Column = tuple[str, str | None]
"""A header and the cells' number format (None: text or general)."""


def _sheet(book: Any, title: str, columns: list[Column], rows: list[list[Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = book.create_sheet(title)
    sheet.append([header for header, _ in columns])
    for row in rows:
        sheet.append(row)
    fill = PatternFill("solid", fgColor="DDE7F0")
    for c, (header, number_format) in enumerate(columns, start=1):
        head = sheet.cell(row=1, column=c)
        head.font = Font(bold=True)
        head.fill = fill
        width = len(header) + 2
        for r in range(2, len(rows) + 2):
            cell = sheet.cell(row=r, column=c)
            if number_format is not None and isinstance(cell.value, int | float):
                cell.number_format = number_format
            elif isinstance(cell.value, str) and len(cell.value) > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = max(width, min(len(str(cell.value or "")) + 2, MAX_WIDTH))
        sheet.column_dimensions[head.column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _each_option(data: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(f, o) for f in data["functions"] for o in f["options"]]


def _rows(
    data: dict[str, Any], make: Callable[[dict[str, Any], dict[str, Any]], list[list[Any]]]
) -> list[list[Any]]:
    return [row for f, o in _each_option(data) for row in make(f, o)]


def _summary(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("kind", TEXT),
        ("positioning", TEXT),
        ("status quo NPV", MONEY),
        ("recommendation", TEXT),
        ("arrangement", TEXT),
        ("TCO NPV", MONEY),
        ("savings vs status quo", MONEY),
        ("savings share", SHARE),
        ("P(beats status quo)", SHARE),
        ("break-even month", WHOLE),
        ("reasons", TEXT),
        ("cross-check method", TEXT),
        ("cross-check option", TEXT),
        ("cross-check agrees", TEXT),
        ("cross-check reason", TEXT),
    ]
    rows = []
    for f in data["functions"]:
        name = f["recommendation"]["option"]
        chosen = next(o for o in f["options"] if o["name"] == name)
        check = f["recommendation"]["cross_check"] or {}  # None: no multi-criteria ranking
        rows.append(
            [
                f["name"],
                f["kind"],
                f["positioning"],
                f["status_quo_npv"],
                name,
                chosen["label"],
                chosen["npv_cost"],
                chosen["savings_vs_status_quo"],
                chosen["savings_share"],
                chosen["p_beats_status_quo"],
                chosen["break_even_month"],
                "\n".join(f["recommendation"]["reasons"]),
                check.get("method"),
                check.get("option"),
                check.get("agrees"),
                check.get("reason"),
            ]
        )
    return columns, rows


def _options(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    years = max(len(o["yearly_cost"]) for _, o in _each_option(data))
    columns: list[Column] = [
        ("function", TEXT),
        ("option", TEXT),
        ("status quo", TEXT),
        ("arrangement", TEXT),
        ("nearshore", TEXT),
        ("build-operate-transfer", TEXT),
        ("country", TEXT),
        ("provider", TEXT),
        ("price NPV", MONEY),
        ("TCO NPV", MONEY),
        ("hidden costs NPV", MONEY),
        ("savings vs status quo", MONEY),
        ("savings share (TCO)", SHARE),
        ("savings share (price)", SHARE),
        ("break-even month", WHOLE),
        ("fit score", NUMBER),
        ("score", NUMBER),
        *[(f"year {y} cost", MONEY) for y in range(1, years + 1)],
        ("classification", TEXT),
    ]

    def make(f: dict[str, Any], o: dict[str, Any]) -> list[list[Any]]:
        return [
            [
                f["name"],
                o["name"],
                o["status_quo"],
                o["label"],
                o["nearshore"],
                o["build_operate_transfer"],
                o["country"],
                o["provider"],
                o["price_npv"],
                o["npv_cost"],
                round(o["npv_cost"] - o["price_npv"], 2),
                o["savings_vs_status_quo"],
                o["savings_share"],
                o["price_savings_share"],
                o["break_even_month"],
                o["fit_score"],
                o["score"],
                *o["yearly_cost"],
                *[None] * (years - len(o["yearly_cost"])),
                o["reason"],
            ]
        ]

    return columns, _rows(data, make)


def _components(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("option", TEXT),
        ("component", TEXT),
        ("NPV", MONEY),
        ("share of TCO", SHARE),
    ]

    def make(f: dict[str, Any], o: dict[str, Any]) -> list[list[Any]]:
        total = o["npv_cost"] or 1.0
        return [
            [f["name"], o["name"], name, value, value / total]
            for name, value in o["components_npv"].items()
        ]

    return columns, _rows(data, make)


def _rules(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("option", TEXT),
        ("rule", TEXT),
        ("title", TEXT),
        ("stance", TEXT),
        ("weight", NUMBER),
        ("reason", TEXT),
        ("passage", TEXT),
        ("source", TEXT),
    ]

    def make(f: dict[str, Any], o: dict[str, Any]) -> list[list[Any]]:
        return [
            [
                f["name"],
                o["name"],
                r["id"],
                r["title"],
                r["stance"],
                r["weight"],
                r["reason"],
                r["passage"],
                # From the number: stored results written before "article" lack the name.
                article_name(r["seed_article"]),
            ]
            for r in o["rules"]
        ]

    return columns, _rows(data, make)


def _dimensions(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    names = list(data["functions"][0]["options"][0]["dimensions"])
    columns: list[Column] = [("function", TEXT), ("option", TEXT)]
    columns += [(name.replace("_", " "), TEXT) for name in names]

    def make(f: dict[str, Any], o: dict[str, Any]) -> list[list[Any]]:
        return [[f["name"], o["name"], *(o["dimensions"][n] for n in names)]]

    return columns, _rows(data, make)


def _locations(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("country", TEXT),
        ("name", TEXT),
        ("score", NUMBER),
        ("coverage", SHARE),
        ("business city", TEXT),
        ("mean overlap hours", NUMBER),
        ("shared working days", WHOLE),
        ("currency", TEXT),
        ("FX volatility", NUMBER),
        ("inflation mean %", NUMBER),
        ("GDPR transfer", TEXT),
        ("English share", SHARE),
        ("distance km", WHOLE),
        ("data year", WHOLE),
    ]
    rows = [
        [
            f["name"],
            code,
            a["country_name"],
            a["score"],
            a["coverage"],
            a["business_city"],
            a["overlap"]["mean_hours"],
            a["working_days"]["shared"],
            a["currency"],
            a["fx_volatility"],
            a["inflation_mean_pct"],
            a["gdpr_transfer"],
            a["english_share"],
            a["distance_km"],
            a["data_year"],
        ]
        for f in data["functions"]
        for code, a in f["locations"].items()
    ]
    return columns, rows


def _mcda(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    methods = sorted({m for f in data["functions"] if f["mcda"] for m in f["mcda"]["ranks"]})
    columns: list[Column] = [
        ("function", TEXT),
        ("option", TEXT),
        ("consensus mean rank", NUMBER),
        ("SMAA first-rank acceptability", SHARE),
        ("winner", TEXT),
        *[(f"rank {m}", WHOLE) for m in methods],
    ]
    rows = []
    for f in data["functions"]:
        r = f["mcda"]
        if r is None:
            continue
        for option in r["consensus_mean_rank"]:
            rows.append(
                [
                    f["name"],
                    option,
                    r["consensus_mean_rank"][option],
                    r["smaa_rank_acceptability"][option][0],
                    option == r["winner"],
                    *[r["ranks"].get(m, {}).get(option) for m in methods],
                ]
            )
    return columns, rows


def _criteria(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("criterion", TEXT),
        ("direction", WHOLE),
        ("weight", SHARE),
        ("weight source", TEXT),
        ("meaning", TEXT),
    ]
    rows = [
        [
            f["name"],
            c["name"],
            c["direction"],
            c["weight"],
            f["mcda"]["weight_source"],
            c["meaning"],
        ]
        for f in data["functions"]
        if f["mcda"]
        for c in f["mcda"]["criteria"]
    ]
    return columns, rows


def _simulation(data: dict[str, Any]) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("option", TEXT),
        ("measure", TEXT),
        ("mean", MONEY),
        ("sd", MONEY),
        ("P10", MONEY),
        ("P50", MONEY),
        ("P90", MONEY),
        ("P(beats status quo)", SHARE),
        ("break-even P10", NUMBER),
        ("break-even P50", NUMBER),
        ("break-even P90", NUMBER),
        ("never breaks even", SHARE),
    ]

    def make(f: dict[str, Any], o: dict[str, Any]) -> list[list[Any]]:
        b = o["break_even_month_distribution"]
        if b is None:
            return []
        tail = [o["p_beats_status_quo"], b["p10"], b["p50"], b["p90"], b["share_never"]]
        return [
            [
                f["name"],
                o["name"],
                measure,
                *(o[key][p] for p in ("mean", "sd", "p10", "p50", "p90")),
                *tail,
            ]
            for measure, key in (
                ("TCO NPV", "npv_cost_distribution"),
                ("savings", "savings_vs_status_quo_distribution"),
            )
        ]

    return columns, _rows(data, make)


def _tornado(simulation: dict[str, Any] | None) -> tuple[list[Column], list[list[Any]]]:
    columns: list[Column] = [
        ("function", TEXT),
        ("option", TEXT),
        ("input", TEXT),
        ("low value", NUMBER),
        ("high value", NUMBER),
        ("savings at low", MONEY),
        ("savings at high", MONEY),
        ("swing", MONEY),
    ]
    rows = [
        [
            function["name"],
            option["name"],
            bar["input"],
            bar["low"],
            bar["high"],
            bar["savings_at_low"],
            bar["savings_at_high"],
            round(abs(bar["savings_at_high"] - bar["savings_at_low"]), 2),
        ]
        for function in (simulation or {}).get("functions", [])
        for option in function["options"]
        for bar in option["tornado"]
    ]
    return columns, rows


def _about(
    data: dict[str, Any], provenance: Sequence[tuple[str, Any]]
) -> tuple[list[Column], list[list[Any]]]:
    company = data["company"]
    simulation = data["simulation"] or {}
    rows: list[list[Any]] = [
        ["scenario", data["scenario"]],
        ["company", company["name"]],
        ["home country", company["home_country"]],
        ["currency (all amounts)", company["currency"]],
        ["discount rate", company["discount_rate"]],
        ["horizon years", company["horizon_years"]],
        ["simulation draws", simulation.get("draws", 0)],
        ["simulation seed", simulation.get("seed")],
        ["sourcewise version", data["sourcewise_version"]],
        *([item, value] for item, value in provenance),
    ]
    return [("item", TEXT), ("value", NUMBER)], rows


SHEETS = (
    "summary",
    "options",
    "components",
    "rules",
    "dimensions",
    "locations",
    "mcda",
    "criteria",
    "simulation",
    "tornado",
    "about",
)


def decision_workbook_bytes(decision: Decision) -> bytes:
    """The decision's views as an XLSX file."""
    return result_workbook_bytes(run_result(decision))


def result_workbook_bytes(
    result: Mapping[str, Any], provenance: Sequence[tuple[str, Any]] = ()
) -> bytes:
    """A run's stored result (``run_result``: the decide and simulate documents) as an XLSX
    file, with ``provenance`` (the run, its version and review) added to the about sheet."""
    from openpyxl import Workbook

    data = result["decision"]
    views = {
        "summary": _summary(data),
        "options": _options(data),
        "components": _components(data),
        "rules": _rules(data),
        "dimensions": _dimensions(data),
        "locations": _locations(data),
        "mcda": _mcda(data),
        "criteria": _criteria(data),
        "simulation": _simulation(data),
        "tornado": _tornado(result.get("simulation")),
        "about": _about(data, provenance),
    }
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    book.remove(first)
    for title in SHEETS:
        columns, rows = views[title]
        _sheet(book, title, columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
