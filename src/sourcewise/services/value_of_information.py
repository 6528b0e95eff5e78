"""What to learn before deciding: EVPI, ranked EVPPIs and the value of a pilot, per function.

The simulation keeps every draw's NPV of the status quo and of each option and every uncertain
input's draws (``simulate(keep_draws=True)``); ``decision.value_of_information`` turns them
into the expected value of perfect information (everything known), of partial perfect
information (one input, or every input of one option, known) and of a pilot's sample
information. Costs are NPVs in the scenario's currency, so the values are too.

A pilot measures one input at one option's site on ``n`` people over ``m`` months. Three
inputs can be measured that way, each with the sampling model that makes the prior's effective
sample size ``n0`` explicit:

* ``coordination_loss`` and ``rework_share`` are shares of run cost: each person-month is taken
  as one trial of a rate, ``n0 = a + b`` of the Beta prior with the input's mean and variance.
  A share in [0, 1] with mean ``p`` varies by at most ``p(1 − p)`` per observation, which a
  yes/no trial reaches, so this understates the pilot's value rather than overstating it.
* ``attrition_rate`` is a yearly rate of leaving: the pilot observes ``n·m/12`` person-years,
  ``n0`` the exposure a Gamma prior with the input's mean and variance is worth.

Other inputs (rates negotiated in an RFP, wage inflation, set-up costs) are not measured by a
pilot and get no curve. A pilot costs the scenario's ``pilot.fixed_cost`` plus ``n × m ×`` the
cost per person-month: the scenario's ``pilot.cost_per_person_month``, else its people's run
cost at the option's site (salary per FTE / 12 for own staff, hourly rate × billable hours / 12
for a provider), with nothing credited for the work they do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sourcewise.decision.value_of_information import (
    PartialInformation,
    best_study,
    beta_prior_sample_size,
    evpi,
    evppi,
    evppi_each,
    evsi,
    expected_regret,
    gamma_prior_exposure,
)
from sourcewise.domain.arrangement import Employer
from sourcewise.domain.sampled import FloatArray
from sourcewise.domain.scenario import InputRef, Option, PilotCosts, Scenario, Site
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.executors import Executor
from sourcewise.services.simulate import FunctionDraws, Simulation

STATUS_QUO = "Status quo (in-house)"
EVERYTHING = "Every uncertain input"
"""The group of every uncertain input and exchange rate bearing on the function."""
PILOT_MONTHS = 3
"""Default length of a pilot: a quarter, as the US customer-service example plans."""
CURVE_SIZES = (1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200)
"""Pilot sizes shown on the curve (up to the site's headcount, which is always shown)."""

MEASURES = {
    "coordination_loss": "coordination loss (share of run cost lost to coordination)",
    "rework_share": "rework (share of run cost spent on rework and defects)",
    "attrition_rate": "attrition (share of staff leaving in a year)",
}
"""Inputs a pilot measures, and what it measures in words."""


@dataclass(frozen=True, slots=True)
class InputValue:
    """EVPPI of one uncertain input: what learning it before deciding is worth."""

    label: str
    option: str | None
    value: float


@dataclass(frozen=True, slots=True)
class GroupValue:
    """EVPPI of a group of inputs learnt together, e.g. everything about one option."""

    name: str
    labels: tuple[str, ...]
    value: float


@dataclass(frozen=True, slots=True)
class PilotSize:
    people: int
    value: float
    """Expected value of the pilot's result (EVSI)."""
    cost: float
    net: float


@dataclass(frozen=True, slots=True)
class PilotValue:
    """The value of a pilot measuring one input at one option's site, by size."""

    label: str
    option: str
    measures: str
    months: int
    cost_per_person_month: float
    """The scenario's (``pilot.cost_per_person_month``), else the run cost at the site."""
    fixed_cost: float
    """The scenario's ``pilot.fixed_cost``: paid whatever the pilot's size."""
    prior_sample_size: float
    """``n0``: what today's knowledge of the input is worth in the pilot's own units."""
    sample_unit: str
    """The unit ``n0`` counts: person-months (a share) or person-years (attrition)."""
    perfect: float
    """EVPPI of the input: what any pilot measuring it is worth at most."""
    curve: tuple[PilotSize, ...]
    """The pilot at ``CURVE_SIZES`` up to the site's headcount, and at the best size."""
    best: PilotSize
    """The size with the greatest expected net value (of every size up to the headcount)."""

    @property
    def worth_running(self) -> bool:
        return self.best.net > 0.0


@dataclass(frozen=True, slots=True)
class AgainstRecommended:
    """The value of information seen from the recommended option.

    The recommendation weighs strategic fit and other criteria beside cost, so it need not be
    the cheapest option by expectation, which is what the EVPI takes as today's choice. Committing
    to the recommended option and learning everything first differ by its expected cost above the
    cheapest (``cost_gap``, the price of fit: no information recovers it unless the choice moves
    on cost) plus the EVPI (resolving the uncertainty).
    """

    option: str
    cost_gap: float
    """Expected NPV of cost of the recommended option minus the cheapest's (0 when the same)."""
    value: float
    """``cost_gap`` + EVPI: expected cost of committing to the recommended option minus the
    expected cost of choosing the cheapest option draw by draw."""
    value_se: float

    @property
    def is_cheapest(self) -> bool:
        return self.cost_gap == 0.0


@dataclass(frozen=True, slots=True)
class FunctionInformation:
    name: str
    best_today: str
    """The option with the lowest expected NPV of cost, status quo included."""
    perfect: float
    perfect_se: float
    expected_cost: dict[str, float]
    """Mean NPV of cost of every option over the draws, the status quo first."""
    inputs: tuple[InputValue, ...]
    """Largest first."""
    groups: tuple[GroupValue, ...]
    """Largest first."""
    pilots: tuple[PilotValue, ...]
    """Greatest expected net value first."""
    pilot_planned: bool
    recommended: AgainstRecommended | None = None
    """Against the option ``decide`` recommends; None when it was not given."""


@dataclass(frozen=True, slots=True)
class ValueOfInformation:
    scenario: Scenario
    draws: int
    seed: int
    pilot_months: int
    functions: tuple[FunctionInformation, ...]


def value_of_information(
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    pilot_months: int = PILOT_MONTHS,
    executor: Executor | str = "local",
    progress: Callable[[int], None] | None = None,
) -> ValueOfInformation:
    """Decide the scenario with its draws kept and value what could be learnt first, groups of
    inputs included (``decide_scenario``'s units of ``progress``)."""
    # The decide use case builds on this module, so it is imported here, not at the top.
    from sourcewise.services.decide import decide_scenario

    decision = decide_scenario(
        scenario,
        draws=draws,
        seed=seed,
        executor=executor,
        progress=progress,
        cross_check=False,
        information=InformationScope(pilot_months=pilot_months, groups=True),
    )
    if decision.information is None:
        raise ValueError("value of information needs at least one draw")
    return decision.information


@dataclass(frozen=True, slots=True)
class InformationScope:
    """What the decide use case values besides the decision."""

    pilot_months: int = PILOT_MONTHS
    groups: bool = False
    """Also value groups of inputs (each option's, all of them): a regression on up to ~300
    basis columns each, several times all the single inputs together."""


def information_of(
    simulation: Simulation,
    pilot_months: int = PILOT_MONTHS,
    recommended: Sequence[str] | None = None,
    groups: bool = True,
) -> ValueOfInformation:
    """The value of information of a simulation run with ``keep_draws=True``; ``recommended``
    names each function's recommended option (``AgainstRecommended``)."""
    if pilot_months < 1:
        raise ValueError(f"a pilot lasts at least one month, got {pilot_months}")
    scenario = simulation.scenario
    if recommended is not None and len(recommended) != len(simulation.functions):
        raise ValueError("recommended must name one option per function")
    functions = []
    for index, result in enumerate(simulation.functions):
        if result.draws is None:
            raise ValueError("the simulation did not keep its draws (simulate(keep_draws=True))")
        chosen = None if recommended is None else recommended[index]
        functions.append(
            _function(scenario, index, result.draws, pilot_months, chosen, groups=groups)
        )
    return ValueOfInformation(
        scenario, simulation.draws, simulation.seed, pilot_months, tuple(functions)
    )


def _function(
    scenario: Scenario,
    index: int,
    draws: FunctionDraws,
    months: int,
    recommended: str | None,
    *,
    groups: bool,
) -> FunctionInformation:
    function = scenario.functions[index]
    names = [STATUS_QUO, *(o.name for o in function.options)]
    costs = np.column_stack([draws.status_quo, draws.options.T])
    perfect = evpi(costs)
    means = costs.mean(axis=0)
    refs = {u.ref.label: u.ref for u in scenario.uncertain if u.ref.label in draws.inputs}
    # Exchange-rate paths are learnable too (their discounted mean), owned by their option.
    owners: dict[str, InputRef | int] = {
        **refs,
        **{label: _rate_option(label) for label in draws.exchange_rates},
    }
    values = {**draws.inputs, **draws.exchange_rates}
    partial = dict(zip(owners, evppi_each(costs, [values[x] for x in owners]), strict=True))
    inputs = sorted(
        (
            InputValue(
                label,
                function.options[owner].name
                if isinstance(owner, int)
                else _option_name(function.options, owner),
                partial[label].value,
            )
            for label, owner in owners.items()
        ),
        key=lambda v: -v.value,
    )
    valued_groups = (
        sorted(_groups(costs, values, owners, partial, function.options), key=lambda g: -g.value)
        if groups
        else []
    )
    pilots = [
        _pilot(
            function.options[ref.option],
            ref,
            draws.inputs[label],
            partial[label],
            months,
            function.profile.pilot_costs or PilotCosts(),
        )
        for label, ref in refs.items()
        if ref.field in MEASURES
        and ref.option is not None
        and ref.site is not None
        and np.ptp(draws.inputs[label]) > 0  # a prior with no spread leaves nothing to learn
    ]
    pilots.sort(key=lambda p: (-p.best.net, -p.perfect))
    against = None
    if recommended is not None:
        if recommended not in names:
            raise ValueError(f"{recommended!r} is not an option of {function.profile.name}")
        choice = names.index(recommended)
        regret = expected_regret(costs, choice)
        gap = 0.0 if choice == perfect.best_today else float(means[choice] - means.min())
        against = AgainstRecommended(recommended, gap, regret.value, regret.se)
    return FunctionInformation(
        name=function.profile.name,
        best_today=names[perfect.best_today],
        perfect=perfect.value,
        perfect_se=perfect.se,
        expected_cost={name: float(m) for name, m in zip(names, means, strict=True)},
        inputs=tuple(inputs),
        groups=tuple(valued_groups),
        pilots=tuple(pilots),
        pilot_planned=function.profile.pilot_planned,
        recommended=against,
    )


def _rate_option(label: str) -> int:
    """The option of an exchange-rate label (``functions[0].options[1].exchange_rate_path``)."""
    found = re.search(r"\.options\[(\d+)\]", label)
    if found is None:
        raise ValueError(f"{label!r} names no option")
    return int(found.group(1))


def _option_name(options: Sequence[Option], ref: InputRef) -> str | None:
    return options[ref.option].name if ref.option is not None else None


def _groups(
    costs: FloatArray,
    values: Mapping[str, FloatArray],
    owners: Mapping[str, InputRef | int],
    partial: dict[str, PartialInformation],
    options: Sequence[Option],
) -> list[GroupValue]:
    """Every input of each option learnt together ("everything about the Manila vendor": its
    exchange rate too), the company-wide inputs together, every exchange rate together, and
    every uncertain input and exchange rate at once: what they explain of the EVPI (the rest
    comes from the inputs' joint effects the regression does not capture and from the timing of
    the exchange-rate paths, which are summed up by their discounted mean)."""
    members: dict[str, list[str]] = {}
    for label, owner in owners.items():
        if isinstance(owner, int):  # an exchange rate, by the option whose site pays in it
            members.setdefault(f"Everything about {options[owner].name}", []).append(label)
            members.setdefault("Every exchange rate", []).append(label)
        elif owner.option is not None:
            members.setdefault(f"Everything about {options[owner.option].name}", []).append(label)
        elif owner.function is None:
            members.setdefault("Every company-wide input", []).append(label)
        else:
            members.setdefault("Everything about the function today", []).append(label)
    if len(owners) > 1 and len(members) > 1:
        members[EVERYTHING] = list(owners)
    groups = []
    for name, labels in members.items():
        if len(labels) == 1:  # a group of one is that input: no second regression
            value = partial[labels[0]].value
        else:
            value = evppi(costs, np.column_stack([values[x] for x in labels])).value
        groups.append(GroupValue(name, tuple(labels), value))
    return groups


def _cost_per_person_month(site: Site) -> float:
    if site.employer is Employer.OWN:
        return float(np.mean(site.annual_cost_per_fte)) / 12.0
    return float(np.mean(site.hourly_rate)) * site.billable_hours_per_fte / 12.0


def _pilot(
    option: Option,
    ref: InputRef,
    values: FloatArray,
    partial: PartialInformation,
    months: int,
    costs: PilotCosts,
) -> PilotValue:
    assert ref.site is not None  # pilots are only offered for a site's inputs
    site = option.sites[ref.site]
    mean, variance = float(values.mean()), float(values.var(ddof=1))
    if ref.field == "attrition_rate":
        n0, unit, per_person = gamma_prior_exposure(mean, variance), "person-years", months / 12
    else:
        n0, unit, per_person = beta_prior_sample_size(mean, variance), "person-months", months
    headcount = max(1, int(np.ceil(site.fte)))
    people = np.arange(1, headcount + 1)
    unit_cost = costs.cost_per_person_month or _cost_per_person_month(site)
    design = best_study(
        people,
        evsi(partial, people * per_person, n0),
        costs.fixed_cost + people * months * unit_cost,
    )
    best = int(design.best_size)
    shown = sorted({n for n in CURVE_SIZES if n < headcount} | {headcount, best})

    def point(n: int) -> PilotSize:
        i = n - 1
        return PilotSize(n, float(design.value[i]), float(design.cost[i]), float(design.net[i]))

    return PilotValue(
        label=ref.label,
        option=option.name,
        measures=MEASURES[ref.field],
        months=months,
        cost_per_person_month=unit_cost,
        fixed_cost=costs.fixed_cost,
        prior_sample_size=n0,
        sample_unit=unit,
        perfect=partial.value,
        curve=tuple(point(n) for n in shown),
        best=point(best),
    )
