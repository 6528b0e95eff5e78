"""Simulation results as a ``SimulationDocument`` and as JSON-ready data (``simulate --format
json``; shape and meaning of every key in ``simulation_document``)."""

from __future__ import annotations

from typing import Any

from sourcewise.reports.document import distribution, header, money, month_distribution
from sourcewise.reports.simulation_document import (
    SimulatedFunction,
    SimulatedOption,
    SimulationDocument,
    TornadoBar,
    UncertainInput,
)
from sourcewise.services.simulate import FunctionSimulation, OptionSimulation, Simulation


def simulated_option(o: OptionSimulation) -> SimulatedOption:
    return SimulatedOption(
        name=o.name,
        npv_cost_distribution=distribution(o.npv),
        yearly_cost_distribution=[distribution(y) for y in o.yearly],
        savings_vs_status_quo_distribution=distribution(o.savings),
        p_beats_status_quo=round(o.p_beats_status_quo, 6),
        p_beats_status_quo_se=round(o.p_beats_se, 6),
        break_even_month_distribution=month_distribution(o.break_even),
        price_npv_mean=money(o.price_npv),
        hidden_cost_share=round(o.hidden_cost_share, 6),
        components_npv_mean={name: money(value) for name, value in o.components.items()},
        tornado=[
            TornadoBar(
                input=bar.input,
                low=bar.low_value,
                high=bar.high_value,
                savings_at_low=money(bar.savings_at_low),
                savings_at_high=money(bar.savings_at_high),
            )
            for bar in o.tornado
        ],
        rank_correlations={k: round(v, 4) for k, v in o.rank_correlations.items()},
    )


def _function(f: FunctionSimulation) -> SimulatedFunction:
    return SimulatedFunction(
        name=f.name,
        status_quo_npv_distribution=distribution(f.status_quo),
        status_quo_yearly_cost_distribution=[distribution(y) for y in f.status_quo_yearly],
        options=[simulated_option(o) for o in f.options],
    )


def simulation_document(sim: Simulation) -> SimulationDocument:
    return SimulationDocument(
        **header(sim.scenario, sim),
        uncertain_inputs=[
            UncertainInput(input=u.ref.label, distribution=u.distribution.describe())
            for u in sim.scenario.uncertain
        ],
        functions=[_function(f) for f in sim.functions],
    )


def simulation_to_dict(sim: Simulation) -> dict[str, Any]:
    """The simulate document as JSON-ready data (docs/simulate.md)."""
    return simulation_document(sim).model_dump(mode="json")
