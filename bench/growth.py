"""Benchmark: how time and peak memory grow with the size of the problem.

Five series, each varying one size from a middle workload (5,000 draws × 10 options × 120
months, one function) and fitting the exponent ``k`` of ``time ∝ size^k`` by least squares on
the logarithms (``numpy.polyfit``): draws, options and months through the simulation
(``api.simulate``); functions, 1 to 100 of 3 options each, through the whole decision
(``api.decide``, 1,000 draws); and alternatives through TOPSIS, PROMETHEE II (20 criteria) and
SMAA-2 (10 criteria, 10,000 weight draws) from ``sourcewise.mcda``.

Each point runs in a fresh process, so its peak resident memory is its own: the process first
runs the same work at a tiny size (imports, reference data, caches), then the point; the peak
above the resident size after the warm-up is the point's memory, whose exponent is fitted on
the points above the noise (≥ 4 MiB) when three or more are ("—" otherwise). Run with ``make
bench``; ``--json PATH`` writes ``growth_<series>_time_exponent`` and
``growth_<series>_memory_exponent`` and the raw points. About 2 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
from results import arguments, write

DRAWS, OPTIONS, YEARS, FUNCTIONS = 5_000, 10, 10, 1
DECISION_DRAWS, FUNCTION_OPTIONS = 1_000, 3
SERIES: dict[str, tuple[str, tuple[int, ...]]] = {
    # series: (what grows, the sizes)
    "draws": ("draws, simulation", (1_250, 2_500, 5_000, 10_000, 20_000)),
    "options": ("options, simulation", (2, 5, 10, 20, 40)),
    "months": ("months, simulation", (12, 24, 60, 120, 360)),
    "functions": ("functions × 3 options, decision", (1, 3, 10, 30, 100)),
    "topsis": ("alternatives × 20, TOPSIS", (1_000, 2_000, 4_000, 8_000, 16_000)),
    "promethee": ("alternatives × 20, PROMETHEE II", (500, 1_000, 2_000, 4_000, 8_000)),
    "smaa": ("alternatives × 10, SMAA-2", (25, 50, 100, 200, 400)),
}
WARM_UP_DRAWS = 100
NOISE_MIB = 4.0


def option_text(k: int) -> str:
    """The k-th option: an offshore vendor or an own centre, every cost uncertain."""
    if k % 2:
        return f"""
      - name: Vendor {k}
        employer: third_party
        country: IN
        hourly_rate: {{dist: triangular, low: {9 + k}, mode: {11 + k}, high: {14 + k}}}
        wage_inflation: {{dist: uniform, low: 0.03, high: 0.07}}
        setup_cost: {{dist: pert, low: 100000, mode: 200000, high: 400000}}
        transition_months: 6"""
    return f"""
      - name: Captive {k}
        employer: own
        country: PH
        annual_cost_per_fte: {{dist: normal, mean: {15000 + 500 * k}, sd: 1500, low: 8000}}
        wage_inflation: {{dist: uniform, low: 0.03, high: 0.07}}
        setup_cost: {{dist: pert, low: 600000, mode: 900000, high: 1500000}}
        transition_months: 9"""


def scenario_text(options: int, years: int, functions: int) -> str:
    head = f"""\
company:
  name: Growth
  home_country: US
  horizon_years: {years}
  wage_inflation: {{dist: triangular, low: 0.02, mode: 0.03, high: 0.05}}
functions:"""
    body = "".join(
        f"""
  - name: Function {f}
    kind: customer_service
    fte: {20 + f}
    current_annual_cost: {{dist: normal, mean: {1_250_000 + 10_000 * f}, sd: 50000, low: 900000}}
    options:"""
        + "".join(option_text(k) for k in range(options))
        for f in range(functions)
    )
    return head + body + "\n"


def work(series: str, size: int, draws: int | None = None) -> Callable[[], object]:
    """The work of one point, ready to run (its inputs built outside the timing); ``draws``
    instead of the series' own, for the warm-up."""
    from sourcewise import api, mcda
    from sourcewise.services.scenarios import parse_scenario_text

    if series in ("draws", "options", "months"):
        draws = draws or (size if series == "draws" else DRAWS)
        options = size if series == "options" else OPTIONS
        years = size // 12 if series == "months" else YEARS
        scenario = parse_scenario_text(scenario_text(options, years, FUNCTIONS), "growth")
        return lambda: api.simulate(scenario, draws=draws, seed=1)
    if series == "functions":
        scenario = parse_scenario_text(scenario_text(FUNCTION_OPTIONS, YEARS, size), "growth")
        return lambda: api.decide(scenario, draws=draws or DECISION_DRAWS, seed=1)
    rng = np.random.default_rng(3)
    criteria = 10 if series == "smaa" else 20
    matrix = rng.uniform(1, 100, (size, criteria))
    weights = np.full(criteria, 1 / criteria)
    directions = np.where(np.arange(criteria) % 3 == 0, -1.0, 1.0)
    if series == "topsis":
        return lambda: mcda.topsis(matrix, weights, directions)
    if series == "promethee":
        return lambda: mcda.promethee_ii(matrix, weights, directions)
    return lambda: mcda.smaa2(matrix, directions, draws=10_000, rng=np.random.default_rng(4))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_point(series: str, size: int) -> dict[str, float]:
    """One point, in this process: seconds (best of 3 when quick) and MiB above the warm-up."""
    # The warm-up: imports, reference data and caches, at a size that leaves no mark on the
    # peak (100 draws of the smallest point, or 10 alternatives).
    if series in ("topsis", "promethee", "smaa"):
        work(series, 10)()
    else:
        work(series, SERIES[series][1][0], draws=WARM_UP_DRAWS)()
    run = work(series, size)
    before = peak_mib()
    began = time.perf_counter()
    run()
    seconds = time.perf_counter() - began
    # When it is quick, the best of 3 (of 5 under 0.2 s): the least disturbed.
    if seconds < 1:
        for _ in range(2 if seconds >= 0.2 else 4):
            began = time.perf_counter()
            run()
            seconds = min(seconds, time.perf_counter() - began)
    return {"seconds": seconds, "peak_mib": peak_mib(), "extra_mib": peak_mib() - before}


def point_in_fresh_process(series: str, size: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--point", series, str(size)],
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return found


def shown(value: float) -> str:
    """Three significant figures, without an exponent."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def exponent(sizes: list[int], values: list[float]) -> float:
    """k in value ∝ size^k, by least squares on the logarithms."""
    slope, _ = np.polyfit(np.log(sizes), np.log(values), 1)
    return float(slope)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--point":
        print(json.dumps(measure_point(sys.argv[2], int(sys.argv[3]))))
        return
    options = arguments(__doc__.splitlines()[0])
    one, five, fifteen = os.getloadavg()
    print(
        f"Growth, one fresh process per point ({os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load average {one:.1f} {five:.1f} {fifteen:.1f} at the start)"
    )
    print(
        "\n| grows | sizes | time, ms | time ∝ n^k | memory above the warm-up, MiB | memory ∝ n^k |"
    )
    print("|---|---|---|---|---|---|")
    figures: dict[str, float | int | str] = {}
    began = time.perf_counter()
    for series, (label, sizes) in SERIES.items():
        points = [point_in_fresh_process(series, size) for size in sizes]
        seconds = [p["seconds"] for p in points]
        extra = [p["extra_mib"] for p in points]
        time_k = exponent(list(sizes), seconds)
        # Memory's exponent from the points whose peak stands above the noise, if three do.
        above = [(n, e) for n, e in zip(sizes, extra, strict=True) if e >= NOISE_MIB]
        memory_k = (
            exponent([n for n, _ in above], [e for _, e in above]) if len(above) >= 3 else None
        )
        memory = f"{memory_k:.2f}" if memory_k is not None else "—"
        print(
            f"| {label} | {', '.join(f'{n:,}' for n in sizes)} | "
            f"{', '.join(shown(s * 1000) for s in seconds)} | {time_k:.2f} | "
            f"{', '.join(f'{e:,.0f}' for e in extra)} | {memory} |"
        )
        figures[f"growth_{series}_sizes"] = " ".join(str(s) for s in sizes)
        figures[f"growth_{series}_seconds"] = " ".join(f"{s:.4g}" for s in seconds)
        figures[f"growth_{series}_extra_mib"] = " ".join(f"{e:.1f}" for e in extra)
        figures[f"growth_{series}_peak_mib"] = round(max(p["peak_mib"] for p in points), 1)
        figures[f"growth_{series}_time_exponent"] = round(time_k, 3)
        if memory_k is not None:
            figures[f"growth_{series}_memory_exponent"] = round(memory_k, 3)
    print(f"\n{time.perf_counter() - began:.0f} s in all")
    figures["growth_load_average_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    write(options.json, figures)


if __name__ == "__main__":
    main()
