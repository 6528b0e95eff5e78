"""The simulate document: ``sourcewise simulate --format json``, ``POST /api/v1/simulations`` and a
simulation job's result. ``sourcewise schema --simulation`` prints it as JSON Schema; the JSON
section of docs/simulate.md lists every key (both generated from the docstrings here).

Every figure is over the Monte Carlo draws, named as in the decide document: ``_distribution``
for the summary of a quantity, ``_mean`` for its mean alone.
"""

from __future__ import annotations

from sourcewise.reports.document import (
    Distribution,
    Document,
    MonthDistribution,
    Record,
    SimulationRun,
)


class UncertainInput(Record):
    """A scenario input given as a distribution."""

    input: str
    """Its field path in the scenario, e.g. functions[0].options[2].hourly_rate."""
    distribution: str
    """The distribution it is drawn from, e.g. "triangular(30, 33, 37)"."""


class TornadoBar(Record):
    """The saving when one input moves from its P10 to its P90, every other input at its mean."""

    input: str
    """The input's field path."""
    low: float
    """The input's P10."""
    high: float
    """The input's P90."""
    savings_at_low: float
    """``savings_vs_status_quo`` with the input at its P10."""
    savings_at_high: float
    """``savings_vs_status_quo`` with the input at its P90."""


class SimulatedOption(Record):
    """One option of the function under uncertainty."""

    name: str
    """The option's name in the scenario."""
    npv_cost_distribution: Distribution
    """The NPV of the option's cost (its total cost of ownership) over the draws."""
    yearly_cost_distribution: list[Distribution]
    """The cost of each year of the horizon over the draws."""
    savings_vs_status_quo_distribution: Distribution
    """The status quo's NPV minus the option's, draw by draw."""
    p_beats_status_quo: float
    """Share of draws in which the option costs less than the status quo."""
    p_beats_status_quo_se: float
    """Its standard error, sqrt(p (1 - p) / draws)."""
    break_even_month_distribution: MonthDistribution
    """The first month from which cumulative savings stay at or above zero, over the draws."""
    price_npv_mean: float
    """Mean NPV of the price alone: salaries, vendor fees or the goods' unit price."""
    hidden_cost_share: float
    """What the option costs beyond its price, as a share of the price: (mean NPV -
    ``price_npv_mean``) / ``price_npv_mean``."""
    components_npv_mean: dict[str, float]
    """Mean NPV of each non-zero cost component, by component (the keys listed under "Cost
    components" in docs/decide-json.md)."""
    tornado: list[TornadoBar]
    """What drives the saving: one bar per uncertain input that acts on this option (the
    company's, the status quo's, the function's and the option's own; not other options'),
    largest swing first."""
    rank_correlations: dict[str, float]
    """Spearman correlation of each uncertain input that acts on this option (as in
    ``tornado``) with the saving across the draws, by the input's field path."""


class SimulatedFunction(Record):
    """One business function under uncertainty."""

    name: str
    """The function's name in the scenario."""
    status_quo_npv_distribution: Distribution
    """NPV of today's cost over the horizon, over the draws (uncertain when its inputs are)."""
    status_quo_yearly_cost_distribution: list[Distribution]
    """The status quo's cost of each year of the horizon, over the draws."""
    options: list[SimulatedOption]
    """The scenario's options in file order (the status quo is the function's own figures)."""


class SimulationDocument(Document):
    """The total cost of ownership of every option under uncertainty."""

    simulation: SimulationRun
    """The Monte Carlo run."""
    uncertain_inputs: list[UncertainInput]
    """Every input given as a distribution, in the order they are drawn."""
    functions: list[SimulatedFunction]
    """The scenario's functions, in file order."""
