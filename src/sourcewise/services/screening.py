"""Screening many scenarios: each simulated with a modest number of draws, on any executor.

``variations`` makes perturbed copies of a scenario (what-ifs on pay levels and today's cost);
``screen`` simulates them all as one set of tasks and keeps, per scenario and function, the
option with the largest mean saving.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from sourcewise.domain.scenario import Scenario
from sourcewise.services.executors import Executor
from sourcewise.services.simulate import DEFAULT_SEED, simulate_many

SCREENING_DRAWS = 1_000


@dataclass(frozen=True, slots=True)
class Screened:
    """The best option of one function of one scenario, by mean saving."""

    scenario: str
    function: str
    best: str
    saving: float
    saving_se: float
    p_beats_status_quo: float


def variations(
    scenario: Scenario, count: int, spread: float = 0.2, seed: int = DEFAULT_SEED
) -> list[Scenario]:
    """``count`` copies of ``scenario`` with every function's current annual cost and every
    site's pay (cost per FTE, hourly rate) scaled by its own factor, uniform in 1 ± ``spread``.

    Fields the scenario gives as distributions keep their distributions.
    """
    if not 0 <= spread < 1:
        raise ValueError("spread must be in [0, 1)")
    sites = [len(o.sites) for f in scenario.functions for o in f.options]
    fields = len(scenario.functions) + 2 * sum(sites)
    factors = np.random.default_rng(seed).uniform(1 - spread, 1 + spread, size=(count, fields))
    out = []
    for v, row in enumerate(factors.tolist()):
        scale = iter(row)
        functions = []
        for function in scenario.functions:
            profile = replace(
                function.profile,
                current_annual_cost=function.profile.current_annual_cost * next(scale),
            )
            options = tuple(
                replace(
                    option,
                    sites=tuple(
                        replace(
                            site,
                            annual_cost_per_fte=site.annual_cost_per_fte * next(scale),
                            hourly_rate=site.hourly_rate * next(scale),
                        )
                        for site in option.sites
                    ),
                )
                for option in function.options
            )
            functions.append(replace(function, profile=profile, options=options))
        out.append(replace(scenario, functions=tuple(functions), source=f"{scenario.source}#{v}"))
    return out


def screen(
    scenarios: Sequence[Scenario],
    draws: int = SCREENING_DRAWS,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Screened]:
    """Simulate every scenario (scenarios × functions × chunks of draws on ``executor``) and
    keep each function's option with the largest mean saving against the status quo."""
    rows = []
    for sim in simulate_many(scenarios, draws, seed, progress=progress, executor=executor):
        for function in sim.functions:
            best = max(function.options, key=lambda o: o.savings.mean)
            rows.append(
                Screened(
                    sim.scenario.source,
                    function.name,
                    best.name,
                    best.savings.mean,
                    best.savings.se,
                    best.p_beats_status_quo,
                )
            )
    return rows
