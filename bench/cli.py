"""Benchmark: CLI start-up, against importing the CLI's own libraries, same machine and run.

Runs ``sourcewise --help`` and ``python -c "import typer, rich"`` N times each as fresh
processes and prints the median wall time and their ratio (the CLI's own overhead over the
floor set by Typer and Rich). Run with ``make bench``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
BIN = Path(sys.executable).parent


def median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    floor = median_seconds([sys.executable, "-c", "import typer, rich"])
    cli = median_seconds([str(BIN / "sourcewise"), "--help"])
    version = median_seconds(
        [
            str(BIN / "sourcewise"),
            "classify",
            "--home",
            "US",
            "--work-country",
            "PH",
            "--employer",
            "third-party",
        ]
    )
    print(f"CLI start-up, median of {RUNS} fresh processes")
    print(f"  python -c 'import typer, rich'   {floor * 1000:7.0f} ms  (baseline)")
    print(f"  sourcewise --help                 {cli * 1000:7.0f} ms  ({cli / floor:.2f}×)")
    print(f"  sourcewise classify ...           {version * 1000:7.0f} ms  ({version / floor:.2f}×)")


if __name__ == "__main__":
    main()
