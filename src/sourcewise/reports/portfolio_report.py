"""The portfolio plan as JSON-ready data and as a Rich table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from sourcewise.reports.decision_terminal import money
from sourcewise.services.optimise import PortfolioPlan


def plan_to_dict(plan: PortfolioPlan, currency: str) -> dict[str, Any]:
    result = plan.result
    uniform = [
        {
            "arrangement": str(u.arrangement),
            "objective": None if u.objective is None else round(u.objective, 2),
        }
        for u in plan.uniform
    ]
    feasible_uniform = [u for u in plan.uniform if u.objective is not None]
    best = min(feasible_uniform, key=lambda u: u.objective or 0.0) if feasible_uniform else None
    return {
        "currency": currency,
        "risk_aversion": plan.risk_aversion,
        "feasible": result.feasible,
        "message": result.message,
        "conflicts": list(result.conflicts),
        "objective": round(result.objective, 2) if result.feasible else None,
        "choices": [
            {
                "function": k.function,
                "option": k.option,
                "arrangement": k.arrangement,
                "npv_p50": round(k.cost_p50, 2),
                "npv_p90": round(k.cost_p90, 2),
                "risk_adjusted": round(k.risk_adjusted(plan.risk_aversion), 2),
            }
            for k in result.chosen
        ],
        "uniform": uniform,
        "best_uniform": None if best is None else str(best.arrangement),
        "saving_vs_best_uniform": None
        if best is None or best.objective is None or not result.feasible
        else round(best.objective - result.objective, 2),
    }


def render_plan(plan: PortfolioPlan, currency: str, console: Console | None = None) -> None:
    console = console or Console()
    result = plan.result
    lam = plan.risk_aversion
    if not result.feasible:
        console.print(f"[bold red]{result.message}[/]")
        return
    table = Table(
        title=f"Optimal portfolio (risk-adjusted cost P50 + {lam:g}·(P90 − P50))",
        title_justify="left",
    )
    for header in ("Function", "Option", "Arrangement"):
        table.add_column(header, ratio=1)
    for header in ("NPV P50", "NPV P90", "Risk-adjusted"):
        table.add_column(header, justify="right", no_wrap=True)
    for k in result.chosen:
        table.add_row(
            k.function,
            k.option,
            k.arrangement,
            money(k.cost_p50, "").strip(),
            money(k.cost_p90, "").strip(),
            money(k.risk_adjusted(lam), "").strip(),
        )
    table.caption = f"Total risk-adjusted cost {money(result.objective, currency)}."
    table.caption_justify = "left"
    console.print(table)
    uniform = Table(title="The same arrangement for every function", title_justify="left")
    uniform.add_column("Arrangement")
    uniform.add_column("Risk-adjusted cost", justify="right")
    uniform.add_column("Against the optimum", justify="right")
    for u in plan.uniform:
        if u.objective is None:
            uniform.add_row(str(u.arrangement), "not available for every function", "")
            continue
        uniform.add_row(
            str(u.arrangement),
            money(u.objective, currency),
            money(u.objective - result.objective, currency),
        )
    console.print(uniform)
