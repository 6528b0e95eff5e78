"""Simulation results as JSON-ready data (``simulate --format json`` and ``decide``'s
``simulation`` blocks). Documented in docs/simulate.md; amounts in the company currency."""

from __future__ import annotations

from typing import Any

from sourcewise.services.simulate import (
    BreakEven,
    FunctionSimulation,
    OptionSimulation,
    Simulation,
    Summary,
)


def _r(value: float) -> float:
    return round(float(value), 2)


def summary_to_dict(s: Summary) -> dict[str, float]:
    return {
        "mean": _r(s.mean),
        "se": _r(s.se),
        "sd": _r(s.sd),
        "p10": _r(s.p10),
        "p50": _r(s.p50),
        "p90": _r(s.p90),
    }


def _break_even(b: BreakEven) -> dict[str, float | None]:
    return {"p10": b.p10, "p50": b.p50, "p90": b.p90, "share_never": round(b.share_never, 6)}


def option_simulation_to_dict(o: OptionSimulation) -> dict[str, Any]:
    return {
        "name": o.name,
        "npv_cost": summary_to_dict(o.npv),
        "yearly_cost": [summary_to_dict(y) for y in o.yearly],
        "savings": summary_to_dict(o.savings),
        "p_beats_status_quo": round(o.p_beats_status_quo, 6),
        "p_beats_status_quo_se": round(o.p_beats_se, 6),
        "breakeven_month": _break_even(o.break_even),
        "price_npv": _r(o.price_npv),
        "hidden_cost_share": round(o.hidden_cost_share, 6),
        "components": {name: _r(value) for name, value in o.components.items()},
        "tornado": [
            {
                "input": bar.input,
                "low": bar.low_value,
                "high": bar.high_value,
                "savings_at_low": _r(bar.savings_at_low),
                "savings_at_high": _r(bar.savings_at_high),
            }
            for bar in o.tornado
        ],
        "rank_correlations": {k: round(v, 4) for k, v in o.rank_correlations.items()},
    }


def function_simulation_to_dict(f: FunctionSimulation) -> dict[str, Any]:
    return {
        "name": f.name,
        "status_quo_npv": summary_to_dict(f.status_quo),
        "status_quo_yearly": [summary_to_dict(y) for y in f.status_quo_yearly],
        "options": [option_simulation_to_dict(o) for o in f.options],
    }


def simulation_to_dict(sim: Simulation) -> dict[str, Any]:
    from sourcewise import __version__

    company = sim.scenario.company
    return {
        "format_version": 1,
        "sourcewise_version": __version__,
        "scenario": sim.scenario.source,
        "currency": company.currency,
        "draws": sim.draws,
        "seed": sim.seed,
        "uncertain_inputs": [
            {"input": u.ref.label, "distribution": u.distribution.describe()}
            for u in sim.scenario.uncertain
        ],
        "functions": [function_simulation_to_dict(f) for f in sim.functions],
    }
