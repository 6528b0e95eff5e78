"""Benchmark: screening many scenarios, local executor against a Dask LocalCluster, same run.

1,000 variations of examples/us-customer-service.yaml (pay levels and today's cost each scaled
by a factor uniform in 1 ± 20%), 500 draws each. The baseline is the local executor (this
process); the Dask figure runs the same tasks on ``LocalCluster(n_workers=2)``, one thread per
worker process, and is reported with and without the cluster's start-up. The ratio is
scenarios per second of Dask over local; both give the same results, which is checked. Run with
``make bench`` (``--scenarios N --draws D`` for a shorter run).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from results import arguments, write

from sourcewise.api import load_scenario
from sourcewise.services.executors import DaskExecutor
from sourcewise.services.screening import screen, variations

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=1_000)
    parser.add_argument("--draws", type=int, default=500)
    args = arguments(parser.description or "", parser)
    base = load_scenario(ROOT / "examples/us-customer-service.yaml")
    scenarios = variations(base, args.scenarios)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    options = sum(len(f.options) for f in base.functions)
    print(
        f"workload: {args.scenarios:,} scenarios x {args.draws:,} draws, {options} options, "
        f"{12 * base.company.horizon_years} months, {len(base.uncertain)} uncertain inputs"
    )

    start = time.perf_counter()
    local = screen(scenarios, args.draws)
    local_seconds = time.perf_counter() - start
    local_rate = args.scenarios / local_seconds

    start = time.perf_counter()
    with DaskExecutor.local_cluster(n_workers=WORKERS) as executor:
        ready = time.perf_counter()
        distributed = screen(scenarios, args.draws, executor=executor)
        done = time.perf_counter()
    dask_rate = args.scenarios / (done - ready)
    with_start = args.scenarios / (done - start)

    print(f"local executor: {local_seconds:.1f} s, {local_rate:,.1f} scenarios/s")
    print(
        f"dask LocalCluster({WORKERS} workers): {done - ready:.1f} s, {dask_rate:,.1f} "
        f"scenarios/s ({ready - start:.1f} s to start the cluster; {with_start:,.1f}/s with it)"
    )
    print(f"ratio dask / local: {dask_rate / local_rate:.2f}x ({with_start / local_rate:.2f}x)")
    print(f"identical results: {distributed == local}")
    best = {row.best for row in local}
    print(f"check: {len(best)} different best options across the variations")
    sys.stdout.flush()
    write(
        args.json,
        {
            "screening_scenarios": args.scenarios,
            "screening_draws": args.draws,
            "screening_local_per_s": round(local_rate, 2),
            "screening_dask_per_s": round(dask_rate, 2),
            "screening_dask_start_s": round(ready - start, 2),
            "screening_dask_over_local": round(dask_rate / local_rate, 3),
            "screening_dask_with_start_over_local": round(with_start / local_rate, 3),
            "screening_identical_results": str(distributed == local).lower(),
        },
    )


if __name__ == "__main__":
    main()
