"""The summary of a ``make bench`` run: each target of issue 19 beside its measured figure.

``python bench/report.py --begin PATH`` starts a run's results file with the machine, the date
and the load average; the bench scripts then add their figures (``--json PATH``); and
``python bench/report.py PATH`` rewrites the table between the markers in docs/performance.md,
saying of each target whether it is met, not met or not measured. ``make bench`` does all three.
Nothing here is imported by the package or the tests' other modules (the tests load it by path).
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
BEGIN = "<!-- bench summary: written by bench/report.py from `make bench`; do not edit -->"
END = "<!-- end of bench summary -->"


@dataclass(frozen=True)
class Target:
    key: str
    workload: str
    relation: str  # "<=", ">=" or "<"
    bound: float

    def met(self, value: float) -> bool:
        compare: Callable[[float, float], bool] = {
            "<=": operator.le,
            ">=": operator.ge,
            "<": operator.lt,
        }[self.relation]
        return compare(value, self.bound)


TARGETS = (
    Target("engine_over_bare_kernel", "TCO simulation engine / bare numpy kernel", "<=", 1.0),
    Target("peak_rss_mib", "simulation peak memory (MiB)", "<", 1024),
    Target("smaa_over_reference", "SMAA-2 / batched-numpy reference", "<=", 1.2),
    Target("topsis_speedup_vs_pymcdm", "TOPSIS speed-up over pymcdm, 1,000 × 20", ">=", 1),
    Target("vikor_speedup_vs_pymcdm", "VIKOR speed-up over pymcdm, 1,000 × 20", ">=", 1),
    Target(
        "promethee_speedup_vs_pymcdm", "PROMETHEE II speed-up over pymcdm, 1,000 × 20", ">=", 20
    ),
    Target("sqlite_over_executemany", "KPI ingestion, SQLite / raw executemany", ">=", 0.5),
    Target("postgres_over_copy", "KPI ingestion, PostgreSQL / bare COPY", ">=", 0.2),
    Target("sla_p95_over_healthz", "web, SLA month API p95 / /healthz p95", "<=", 5),
    Target("dashboard_p95_over_healthz", "web, dashboard p95 / /healthz p95", "<=", 5),
    Target("locations_cold_s", "locations page, cold start (s)", "<", 1),
    Target("help_over_import", "`sourcewise --help` / `import typer, rich`", "<=", 1.5),
)


def machine(now: datetime | None = None) -> dict[str, str | int | float]:
    """This machine and the moment, as the results file records them at the start of a run."""
    one, five, fifteen = os.getloadavg()
    return {
        "machine_platform": platform.platform(),
        "machine_processor": platform.processor() or platform.machine(),
        "machine_cores": os.cpu_count() or 0,
        "machine_python": platform.python_version(),
        "run_started": (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_start": f"{one:.2f} {five:.2f} {fifteen:.2f}",
    }


def status(target: Target, figures: Mapping[str, object]) -> tuple[str, str]:
    """The measured figure as the table shows it, and met / not met / not measured."""
    value = figures.get(target.key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "", "not measured"
    shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return shown, "met" if target.met(value) else "**not met**"


def summary(figures: Mapping[str, object], load_at_end: str) -> str:
    """The generated block: the machine, then one row per target."""
    lines = [
        BEGIN,
        "",
        f"Measured {figures.get('run_started', 'at a date not recorded')} on "
        f"{figures.get('machine_processor', '?')}, {figures.get('machine_cores', '?')} cores, "
        f"{figures.get('machine_platform', '?')}, Python {figures.get('machine_python', '?')}; "
        f"load average (1, 5, 15 min) {figures.get('load_average_at_start', '?')} at the start, "
        f"{load_at_end} at the end. Every figure is from that one run; a script that did not run "
        "leaves its targets not measured.",
        "",
        "| key | workload | target | measured | |",
        "|---|---|---|---|---|",
    ]
    for target in TARGETS:
        measured, verdict = status(target, figures)
        bound = f"{target.relation} {target.bound:g}"
        lines.append(f"| `{target.key}` | {target.workload} | {bound} | {measured} | {verdict} |")
    met = sum(status(t, figures)[1] == "met" for t in TARGETS)
    lines += ["", f"{met} of {len(TARGETS)} targets met.", "", END]
    return "\n".join(lines)


def refreshed(document: str, block: str) -> str:
    """``document`` with the text between the markers replaced by ``block``."""
    start, end = document.find(BEGIN), document.find(END)
    if start == -1 or end < start:
        raise ValueError(f"the markers are missing: {BEGIN} ... {END}")
    return document[:start] + block + document[end + len(END) :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="The run's JSON results file.")
    parser.add_argument(
        "--begin", action="store_true", help="Start the file: the machine, date and load."
    )
    parser.add_argument("--doc", type=Path, default=DOC, help="The page whose table to refresh.")
    options = parser.parse_args()
    if options.begin:
        options.results.parent.mkdir(parents=True, exist_ok=True)
        options.results.write_text(json.dumps(machine(), indent=2, sort_keys=True) + "\n")
        return
    figures = json.loads(options.results.read_text())
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    block = summary(figures, load)
    options.doc.write_text(refreshed(options.doc.read_text(encoding="utf-8"), block), "utf-8")
    print(block)


if __name__ == "__main__":
    main()
