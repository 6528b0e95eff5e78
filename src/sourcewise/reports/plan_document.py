"""The optimise document: ``sourcewise optimise --format json``. ``sourcewise schema --plan`` prints
it as JSON Schema; the JSON section of docs/optimise.md lists every key (both generated from the
docstrings here). Costs are NPVs over the simulation's draws, named as in the decide document."""

from __future__ import annotations

from sourcewise.domain.arrangement import Arrangement
from sourcewise.reports.document import Distribution, Document, Record, SimulationRun


class Choice(Record):
    """The option chosen for one function."""

    function: str
    """The function's name in the scenario."""
    option: str
    """The option chosen (possibly the status quo, "Status quo (in-house)")."""
    arrangement: Arrangement
    """Its arrangement (who × where)."""
    npv_cost_distribution: Distribution
    """The NPV of its cost over the draws."""
    risk_adjusted_cost: float
    """P50 + risk_aversion × (P90 - P50) of ``npv_cost_distribution``: what the plan minimises."""


class UniformPlan(Record):
    """The same arrangement for every function: each function's cheapest option of that kind."""

    arrangement: Arrangement
    """The arrangement applied to every function."""
    risk_adjusted_cost: float | None
    """Total risk-adjusted cost; null when some function has no option of that arrangement."""


class PlanDocument(Document):
    """One option per function, chosen together under the scenario's portfolio rules."""

    simulation: SimulationRun
    """The Monte Carlo run behind the costs."""
    risk_aversion: float
    """λ: 0 ranks on the median cost alone, 1 on the P90."""
    feasible: bool
    """Whether some choice meets every rule."""
    message: str
    """The solver's verdict, in words."""
    solver_status: str
    """HiGHS's own status line for the final solve (for example "Optimization terminated
    successfully. (HiGHS Status 7: Optimal)")."""
    mip_gap: float | None
    """Relative gap between the plan's cost and the best bound the solver proved: 0 means
    proven optimal (the solver is asked for gap 0); null when infeasible."""
    conflicts: list[str]
    """When infeasible, the groups of rules whose removal alone makes a choice possible:
    budget, in-house, overlap, provider share, country share, providers."""
    risk_adjusted_cost: float | None
    """Total risk-adjusted cost of the choices; null when infeasible."""
    choices: list[Choice]
    """The option chosen for each function; empty when infeasible."""
    uniform: list[UniformPlan]
    """Each arrangement applied to every function, to compare with."""
    best_uniform: Arrangement | None
    """The uniform arrangement with the lowest risk-adjusted cost; null when none is available
    for every function."""
    savings_vs_best_uniform: float | None
    """``best_uniform``'s risk-adjusted cost minus the plan's; null when either is missing."""
