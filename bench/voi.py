"""Benchmark: value of information against the simulation it is estimated from, same process.

The US customer-service example at 10,000 draws (seed 1): the simulation with its draws kept,
then the EVPPI of every uncertain input and exchange rate (``evppi_each``: 23 regressions of six
relative costs each, sharing one sorted-rank basis, as the value-of-information step runs
them), the EVPPI of every group (each option's inputs, all of them) and the whole
value-of-information step (EVPI, every EVPPI and the pilot curves). Target: all single-input
EVPPIs cost less than the simulation. ``--json PATH`` writes ``voi_inputs_over_simulation`` (the
target ratio), ``voi_groups_over_simulation`` and ``voi_all_over_simulation`` with the raw
timings.

BLAS threads matter on a loaded machine: the group regressions multiply 10,000 × 300 matrices,
which oversubscribed threads slow down severalfold (the single-input regressions use sparse
products and are spared). Compare runs with the same
``OPENBLAS_NUM_THREADS``; the figures are best of five.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from results import arguments, best_of, write

from sourcewise.decision.value_of_information import evppi, evppi_each
from sourcewise.services.scenarios import load_scenario
from sourcewise.services.simulate import simulate
from sourcewise.services.value_of_information import information_of

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "us-customer-service.yaml"
DRAWS = 10_000
RUNS = 5


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    scenario = load_scenario(EXAMPLE)
    simulation = simulate(scenario, DRAWS, seed=1, keep_draws=True)
    draws = simulation.functions[0].draws
    assert draws is not None
    costs = np.column_stack([draws.status_quo, draws.options.T])
    learnable = {**draws.inputs, **draws.exchange_rates}
    labels = list(learnable)
    groups = [
        [label for label in labels if f".options[{j}]." in label]
        for j in range(len(scenario.functions[0].options))
    ] + [labels]

    simulation_time = best_of(RUNS, lambda: simulate(scenario, DRAWS, seed=1, keep_draws=True))
    inputs_time = best_of(RUNS, lambda: evppi_each(costs, [learnable[x] for x in labels]))
    groups_time = best_of(
        RUNS,
        lambda: [
            evppi(costs, np.column_stack([learnable[x] for x in g])) for g in groups if len(g) > 1
        ],
    )
    all_time = best_of(RUNS, lambda: information_of(simulation))

    load = os.getloadavg()[0]
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(
        f"US customer service, {DRAWS:,} draws, {len(labels)} uncertain inputs and exchange "
        "rates, 7 options"
    )
    print(f"  simulation (draws kept)      {simulation_time * 1e3:8.1f} ms")
    print(
        f"  EVPPI of every input         {inputs_time * 1e3:8.1f} ms  "
        f"{inputs_time / simulation_time:.2f}× the simulation (target < 1)"
    )
    print(
        f"  EVPPI of every group         {groups_time * 1e3:8.1f} ms  "
        f"{groups_time / simulation_time:.2f}×"
    )
    print(
        f"  the whole voi step           {all_time * 1e3:8.1f} ms  "
        f"{all_time / simulation_time:.2f}× (EVPI, every EVPPI, the pilot curves)"
    )
    print(f"  load average {load:.2f}, OPENBLAS_NUM_THREADS={threads}, best of {RUNS}")
    write(
        options.json,
        {
            "voi_simulation_seconds": simulation_time,
            "voi_inputs_seconds": inputs_time,
            "voi_groups_seconds": groups_time,
            "voi_all_seconds": all_time,
            "voi_inputs_over_simulation": inputs_time / simulation_time,
            "voi_groups_over_simulation": groups_time / simulation_time,
            "voi_all_over_simulation": all_time / simulation_time,
            "voi_load_average": load,
            "voi_blas_threads": threads,
        },
    )


if __name__ == "__main__":
    main()
