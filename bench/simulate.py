"""Benchmark: the Monte Carlo engine against its arithmetic floor and a plain-Python loop.

100,000 draws × 10 options × 120 months. The floor is a bare numpy kernel over arrays of the
engine's size (for each option and chunk, a sampled fee escalated yearly and ramped in, as a
(draws, months) array, discounted and summed): the least work a month-by-month engine does.
The engine sums its separable costs by year and looks at months only where the break-even
month needs them, so it does less arithmetic than that kernel, and still draws every input,
summarises and ranks. Each time is the best of five in this process, engine and kernel taking
turns; the CPU time of the process is reported next to the wall-clock time (on a shared
machine, the figure other processes disturb least). Further baselines: the
same cost model one draw at a time (scalars, a Python loop over draws; and the numpy model
called once per draw) on a slice of the draws, scaled up. Peak memory is the process's maximum
resident set size. Run with ``make bench``; ``--json PATH`` writes ``engine_over_bare_kernel``,
``peak_rss_mib`` and the raw figures.
"""

from __future__ import annotations

import platform
import resource
import sys
import time
from collections.abc import Callable
from textwrap import dedent

import numpy as np
from results import arguments, write

from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.domain.cost import project_option, project_status_quo
from sourcewise.services.simulate import Simulation, apply_inputs, simulate

DRAWS = 100_000
RUNS = 5
LOOP_DRAWS = 300
OPTIONS = 10


# The plain-Python baseline models salaries or fees, governance, setup and the handover; the
# hidden-cost defaults and exchange-rate paths are fixed here so both sides run the same model.
FIXED_HIDDEN = """
        governance_overhead: 0.05
        coordination_loss: 0
        rework_share: 0
        vendor_selection_share: 0
        local_currency_share: 0"""


def scenario_text() -> str:
    options = []
    for k in range(OPTIONS):
        if k % 2:
            options.append(
                f"""
      - name: Vendor {k}
        employer: third_party
        country: IN
        hourly_rate: {{dist: triangular, low: {9 + k}, mode: {11 + k}, high: {14 + k}}}
        wage_inflation: {{dist: uniform, low: 0.03, high: 0.07}}
        setup_cost: {{dist: pert, low: 100000, mode: 200000, high: 400000}}
        transition_months: 6{FIXED_HIDDEN}"""
            )
        else:
            options.append(
                f"""
      - name: Captive {k}
        employer: own
        country: PH
        annual_cost_per_fte: {{dist: normal, mean: {15000 + 500 * k}, sd: 1500, low: 8000}}
        wage_inflation: {{dist: uniform, low: 0.03, high: 0.07}}
        setup_cost: {{dist: pert, low: 600000, mode: 900000, high: 1500000}}
        transition_months: 9{FIXED_HIDDEN}"""
            )
    head = """\
    company:
      name: Bench
      home_country: US
      horizon_years: 10
      wage_inflation: {dist: triangular, low: 0.02, mode: 0.03, high: 0.05}
    functions:
      - name: Customer service
        kind: customer_service
        fte: 120
        current_annual_cost: {dist: normal, mean: 7500000, sd: 300000, low: 6000000}
        options:"""
    return dedent(head) + "".join(options) + "\n"


def plain_python(scenario, sampled: dict[str, np.ndarray], n: int) -> list[list[float]]:  # type: ignore[no-untyped-def]
    """The spreadsheet way: the cost model written out in plain Python, a loop over draws,
    options and months. Covers what this benchmark's scenario uses (one own or vendor site per
    option, governance, setup, linear handover with one month of parallel running)."""
    function = scenario.functions[0]
    company = scenario.company
    refs = {u.ref.label: u.ref for u in scenario.uncertain}
    months = 12 * company.horizon_years
    rate = company.discount_rate
    out = []
    for i in range(n):
        values = {refs[label]: float(column[i]) for label, column in sampled.items()}
        company_i, profile, options = apply_inputs(company, function, 0, values)
        home_growth = company_i.wage_inflation
        sq_npv = 0.0
        sq = []
        for m in range(1, months + 1):
            year = (m - 1) // 12
            cost = profile.current_annual_cost / 12 * (1 + home_growth) ** year
            sq.append(cost)
            sq_npv += cost * (1 + rate) ** (-m / 12)
        row = []
        for option in options:
            site = option.sites[0]
            if site.employer.value == "own":
                base = site.fte * site.annual_cost_per_fte / 12
            else:
                base = site.fte * site.hourly_rate * site.billable_hours_per_fte / 12
            t, p = option.transition_months, option.parallel_running_months
            total = 0.0
            for m in range(1, months + 1):
                year = (m - 1) // 12
                new = min(m / t, 1.0) if t > 0 else 1.0
                shifted = m - p
                old = 1.0 - ((min(shifted / t, 1.0) if t > 0 else 1.0) if shifted >= 1 else 0.0)
                run = base * (1 + site.wage_inflation) ** year * new
                cost = run * (1 + site.governance_overhead) + sq[m - 1] * old
                if m == 1:
                    cost += option.setup_cost
                total += cost * (1 + rate) ** (-m / 12)
            row.append(sq_npv - total)
        out.append(row)
    return out


def loop_over_draws(scenario, sampled: dict[str, np.ndarray], n: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The same model, one draw at a time: what the vectorised engine replaces."""
    function = scenario.functions[0]
    refs = {u.ref.label: u.ref for u in scenario.uncertain}
    out = np.empty((n, OPTIONS))
    for i in range(n):
        values = {refs[label]: float(column[i]) for label, column in sampled.items()}
        company, profile, options = apply_inputs(scenario.company, function, 0, values)
        base = project_status_quo(company, profile).npv
        for j, option in enumerate(options):
            out[i, j] = base - project_option(company, profile, option).npv
    return out


def bare_kernel(draws: int, options: int, months: int, chunk: int = 10_000) -> float:
    """The floor: the least numpy work over arrays of the engine's size — for each option, a
    (draws, months) cost array from a sampled fee, yearly escalation and a linear handover,
    discounted and summed — with no model, no components, no exchange rates. Seconds."""
    rng = np.random.default_rng(2)
    month = np.arange(1, months + 1, dtype=np.float64)
    discount = (1.08) ** (-month / 12)
    ramp = np.clip(month / 9, 0, 1)
    began = time.perf_counter()
    for start in range(0, draws, chunk):
        n = min(chunk, draws - start)
        for _ in range(options):
            fee = rng.triangular(50_000, 60_000, 80_000, n)[:, None]
            growth = rng.triangular(0.02, 0.03, 0.05, n)[:, None]
            monthly = fee / 12 * (1 + growth) ** ((month - 1) // 12) * ramp
            _npv = (monthly * discount).sum(axis=1)
    return time.perf_counter() - began


def alternating(runs: int, *works: Callable[[], object]) -> list[tuple[float, float]]:
    """Each work's best wall-clock and best CPU time (this process) over ``runs`` rounds, the
    works taking turns, so that a machine's changing load falls on all of them alike."""
    wall: list[list[float]] = [[] for _ in works]
    cpu: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for k, work in enumerate(works):
            began, began_cpu = time.perf_counter(), time.process_time()
            work()
            wall[k].append(time.perf_counter() - began)
            cpu[k].append(time.process_time() - began_cpu)
    return [(min(w), min(c)) for w, c in zip(wall, cpu, strict=True)]


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    scenario, problems = load_scenario_text(scenario_text(), "bench")
    assert scenario is not None, problems
    print(f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}")
    print(
        f"workload: {DRAWS:,} draws x {OPTIONS} options x 120 months, "
        f"{len(scenario.uncertain)} uncertain inputs"
    )

    found: list[Simulation] = []
    (engine_seconds, engine_cpu), (kernel_seconds, kernel_cpu) = alternating(
        RUNS,
        lambda: found.append(simulate(scenario, draws=DRAWS, seed=1)),
        lambda: bare_kernel(DRAWS, OPTIONS, 120),
    )
    engine_rate = DRAWS / engine_seconds

    rng = np.random.default_rng(1)
    sampled = {u.ref.label: u.distribution.sample(LOOP_DRAWS, rng) for u in scenario.uncertain}
    start = time.perf_counter()
    plain = np.array(plain_python(scenario, sampled, LOOP_DRAWS))
    plain_seconds = time.perf_counter() - start
    plain_rate = LOOP_DRAWS / plain_seconds

    start = time.perf_counter()
    per_draw = loop_over_draws(scenario, sampled, LOOP_DRAWS)
    loop_seconds = time.perf_counter() - start
    loop_rate = LOOP_DRAWS / loop_seconds
    agreement = float(np.max(np.abs(plain - per_draw) / np.abs(per_draw)))

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine: {engine_seconds:.2f} s, {engine_rate:,.0f} draws/s (best of {RUNS})")
    print(
        f"bare numpy kernel over the same array sizes: {kernel_seconds:.2f} s (best of {RUNS}); "
        f"the engine takes {engine_seconds / kernel_seconds:.2f}x the floor (target <= 1.0x)"
    )
    print(
        f"in CPU time of this process: engine {engine_cpu:.2f} s, kernel {kernel_cpu:.2f} s, "
        f"{engine_cpu / kernel_cpu:.2f}x"
    )
    print(
        f"plain-Python loop over draws and months ({LOOP_DRAWS} draws): "
        f"{plain_seconds:.2f} s, {plain_rate:,.0f} draws/s"
    )
    print(
        f"numpy model called once per draw ({LOOP_DRAWS} draws): {loop_seconds:.2f} s, "
        f"{loop_rate:,.0f} draws/s"
    )
    print(f"ratio engine / plain-Python loop: {engine_rate / plain_rate:,.0f}x")
    print(f"ratio engine / numpy-per-draw loop: {engine_rate / loop_rate:,.1f}x")
    print(f"the two baselines agree to a relative {agreement:.1e}")
    print(f"peak memory (max RSS): {peak_mib:,.0f} MiB (target < 1024 MiB)")
    best = max(found[-1].functions[0].options, key=lambda o: o.savings.mean)
    print(f"check: best option {best.name}, P(beats) {best.p_beats_status_quo:.1%}")
    sys.stdout.flush()
    write(
        options.json,
        {
            "engine_over_bare_kernel": engine_seconds / kernel_seconds,
            "peak_rss_mib": peak_mib,
            "simulation_engine_seconds": engine_seconds,
            "simulation_engine_draws_per_second": engine_rate,
            "simulation_bare_kernel_seconds": kernel_seconds,
            "simulation_engine_cpu_seconds": engine_cpu,
            "simulation_bare_kernel_cpu_seconds": kernel_cpu,
            "engine_over_bare_kernel_cpu": engine_cpu / kernel_cpu,
            "simulation_plain_python_draws_per_second": plain_rate,
            "simulation_numpy_per_draw_draws_per_second": loop_rate,
            "simulation_engine_over_plain_python": engine_rate / plain_rate,
        },
    )


if __name__ == "__main__":
    main()
