"""The portfolio plan as a ``PlanDocument`` (JSON-ready data; shape and meaning of every key in
``plan_document``) and as a Rich table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from sourcewise.domain.arrangement import Arrangement
from sourcewise.reports import document
from sourcewise.reports.document import Distribution, distribution
from sourcewise.reports.numbers import compact
from sourcewise.reports.plan_document import Choice, PlanDocument, UniformPlan
from sourcewise.services.decide import Decision
from sourcewise.services.optimise import PortfolioPlan


def _cents(value: float) -> float:
    return round(value, 2)


def _npv_distributions(decision: Decision) -> dict[tuple[str, str], Distribution]:
    """The simulated NPV of every (function, option), the status quo included."""
    assert decision.simulation is not None, "a plan is made from a simulated decision"
    out = {}
    for function, simulated in zip(decision.functions, decision.simulation.functions, strict=True):
        by_name = {o.name: o.npv for o in simulated.options}
        for a in function.assessments:
            npv = simulated.status_quo if a.is_status_quo else by_name[a.name]
            out[(function.profile.name, a.name)] = distribution(npv)
    return out


def plan_document(plan: PortfolioPlan, decision: Decision) -> PlanDocument:
    """The plan made from ``decision`` (which carries its simulation)."""
    result = plan.result
    feasible_uniform = [u for u in plan.uniform if u.objective is not None]
    best = min(feasible_uniform, key=lambda u: u.objective or 0.0) if feasible_uniform else None
    npv = _npv_distributions(decision)
    return PlanDocument(
        **document.header(decision.scenario, decision.simulation),
        risk_aversion=plan.risk_aversion,
        feasible=result.feasible,
        message=result.message,
        solver_status=result.solver_status,
        mip_gap=result.mip_gap,
        conflicts=list(result.conflicts),
        risk_adjusted_cost=_cents(result.objective) if result.feasible else None,
        choices=[
            Choice(
                function=k.function,
                option=k.option,
                arrangement=Arrangement(k.arrangement),
                npv_cost_distribution=npv[(k.function, k.option)],
                risk_adjusted_cost=_cents(k.risk_adjusted(plan.risk_aversion)),
            )
            for k in result.chosen
        ],
        uniform=[
            UniformPlan(
                arrangement=u.arrangement,
                risk_adjusted_cost=None if u.objective is None else _cents(u.objective),
            )
            for u in plan.uniform
        ],
        best_uniform=None if best is None else best.arrangement,
        savings_vs_best_uniform=None
        if best is None or best.objective is None or not result.feasible
        else _cents(best.objective - result.objective),
    )


def plan_to_dict(plan: PortfolioPlan, decision: Decision) -> dict[str, Any]:
    """The optimise document as JSON-ready data (docs/optimise.md)."""
    return plan_document(plan, decision).model_dump(mode="json")


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
            compact(k.cost_p50),
            compact(k.cost_p90),
            compact(k.risk_adjusted(lam)),
        )
    proof = (
        "proven optimal"
        if result.mip_gap == 0
        else f"within {result.mip_gap:.2g} of the proven bound"
        if result.mip_gap is not None
        else "optimality not reported by the solver"
    )
    table.caption = f"Total risk-adjusted cost {compact(result.objective, currency)} ({proof})."
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
            compact(u.objective, currency),
            compact(u.objective - result.objective, currency),
        )
    console.print(uniform)
