"""What every benchmark script shares: ``--json PATH`` to write its figures and ratios as
JSON (``make bench`` gathers them), next to the lines it prints."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path


def arguments(
    description: str,
    parser: argparse.ArgumentParser | None = None,
    more: Callable[[argparse.ArgumentParser], object] | None = None,
) -> argparse.Namespace:
    """``--json PATH``, with a script's own options: from its ``parser``, or added by ``more``."""
    parser = parser or argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--json", type=Path, metavar="PATH", help="Also write the figures and ratios here."
    )
    if more is not None:
        more(parser)
    return parser.parse_args()


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work``, in seconds (the least disturbed one)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def write(path: Path | None, figures: dict[str, float | int | str]) -> None:
    """Merge ``figures`` into the JSON object at ``path`` (several scripts share one file)."""
    if path is None:
        return
    found = json.loads(path.read_text()) if path.exists() else {}
    found.update(figures)
    path.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")
