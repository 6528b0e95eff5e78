"""Benchmark: CLI start-up, against importing the CLI's own libraries, same machine and run.

Runs ``sourcewise --help``, ``sourcewise classify ...`` and ``python -c "import typer, rich"``
as fresh processes, taking turns so that a change in the machine's load hits all three alike,
and prints the best and the median wall time of each and their ratios to the floor set by
Typer and Rich (``help_over_import``: target <= 1.5). Every process may write its bytecode
cache (one warm-up run each first), as an installed CLI has it. Run with ``make bench``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from results import arguments, write

RUNS = 21
BIN = Path(sys.executable).parent
COMMANDS = {
    "import": [sys.executable, "-c", "import typer, rich"],
    "help": [str(BIN / "sourcewise"), "--help"],
    "classify": [
        str(BIN / "sourcewise"),
        "classify",
        "--home",
        "US",
        "--work-country",
        "PH",
        "--employer",
        "third-party",
    ],
}
# With PYTHONDONTWRITEBYTECODE set, the project's modules would be compiled on every start
# while the installed libraries' caches were written at install: an unfair comparison.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=ENVIRONMENT)
    return time.perf_counter() - began


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    for command in COMMANDS.values():
        seconds(command)  # warm-up: bytecode caches, the page cache
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(RUNS):
        for name, command in COMMANDS.items():
            times[name].append(seconds(command))
    best = {name: min(found) for name, found in times.items()}
    median = {name: statistics.median(found) for name, found in times.items()}
    load = os.getloadavg()[0]
    print(f"CLI start-up, best and median of {RUNS} fresh processes (load average {load:.1f})")
    labels = {
        "import": "python -c 'import typer, rich'",
        "help": "sourcewise --help",
        "classify": "sourcewise classify ...",
    }
    for name, label in labels.items():
        ratio = "(baseline)" if name == "import" else f"({best[name] / best['import']:.2f}×)"
        print(
            f"  {label:33} {best[name] * 1000:5.0f} ms  median {median[name] * 1000:5.0f} ms  "
            f"{ratio}"
        )
    write(
        options.json,
        {
            "help_over_import": round(best["help"] / best["import"], 3),
            "classify_over_import": round(best["classify"] / best["import"], 3),
            "cli_import_typer_rich_ms": round(best["import"] * 1000, 1),
            "cli_help_ms": round(best["help"] * 1000, 1),
            "cli_classify_ms": round(best["classify"] * 1000, 1),
            "cli_help_median_over_import_median": round(median["help"] / median["import"], 3),
            "cli_load_average": round(load, 2),
        },
    )


if __name__ == "__main__":
    main()
