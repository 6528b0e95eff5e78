"""bench/report.py: the summary of a `make bench` run, each target met, not met or not measured,
written between the markers of docs/performance.md. The script is loaded by path (bench/ is not
a package)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "report.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_report", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


report = load()

SAMPLE = {
    "machine_platform": "Linux-6.1-x86_64",
    "machine_processor": "x86_64",
    "machine_cores": 2,
    "machine_python": "3.11.7",
    "run_started": "2026-12-02 21:00 UTC",
    "load_average_at_start": "0.10 0.20 0.30",
    "help_over_import": 1.09,  # <= 1.5: met
    "promethee_speedup_vs_pymcdm": 12.5,  # >= 20: not met
    "peak_rss_mib": 1024,  # < 1024: not met (strict)
    "topsis_speedup_vs_pymcdm": 1,  # >= 1: met (at the bound)
    "postgres_over_copy": "n/a",  # not a number: not measured
    "cli_help_ms": 50.0,  # a raw figure: no target, not in the table
}


def row(block: str, key: str) -> list[str]:
    [line] = [line for line in block.splitlines() if line.startswith(f"| `{key}` |")]
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_each_target_is_met_not_met_or_not_measured() -> None:
    block = report.summary(SAMPLE, "0.40 0.50 0.60")
    assert row(block, "help_over_import")[2:] == ["<= 1.5", "1.09", "met"]
    assert row(block, "promethee_speedup_vs_pymcdm")[2:] == [">= 20", "12.5", "**not met**"]
    assert row(block, "peak_rss_mib")[2:] == ["< 1024", "1,024", "**not met**"]
    assert row(block, "topsis_speedup_vs_pymcdm")[4] == "met"
    assert row(block, "postgres_over_copy")[3:] == ["", "not measured"]
    assert row(block, "engine_over_bare_kernel")[3:] == ["", "not measured"]
    assert "cli_help_ms" not in block
    assert "2 of 12 targets met." in block


def test_every_key_the_issue_names_has_a_row() -> None:
    keys = [t.key for t in report.TARGETS]
    assert keys == sorted(set(keys), key=keys.index)  # no key twice
    assert set(keys) == {
        "engine_over_bare_kernel",
        "smaa_over_reference",
        "topsis_speedup_vs_pymcdm",
        "vikor_speedup_vs_pymcdm",
        "promethee_speedup_vs_pymcdm",
        "sqlite_over_executemany",
        "postgres_over_copy",
        "sla_p95_over_healthz",
        "dashboard_p95_over_healthz",
        "help_over_import",
        "peak_rss_mib",
        "locations_cold_s",
    }


def test_the_summary_names_the_machine_date_and_load() -> None:
    block = report.summary(SAMPLE, "0.40 0.50 0.60")
    assert "2026-12-02 21:00 UTC on x86_64, 2 cores, Linux-6.1-x86_64, Python 3.11.7" in block
    assert "0.10 0.20 0.30 at the start, 0.40 0.50 0.60 at the end" in block


def test_the_machine_record_has_what_the_summary_reads() -> None:
    found = report.machine(datetime(2026, 12, 2, 21, 5, tzinfo=UTC))
    assert found["run_started"] == "2026-12-02 21:05 UTC"
    assert isinstance(found["machine_cores"], int)
    assert len(str(found["load_average_at_start"]).split()) == 3


def test_only_the_text_between_the_markers_changes() -> None:
    page = f"# Performance\n\nintro\n\n{report.BEGIN}\nold table\n{report.END}\n\n## Rest\n"
    block = report.summary(SAMPLE, "1 2 3")
    new = report.refreshed(page, block)
    assert new.startswith("# Performance\n\nintro\n\n")
    assert new.endswith("\n\n## Rest\n")
    assert "old table" not in new
    assert report.refreshed(new, block) == new  # a second run changes nothing


def test_a_page_without_the_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match="markers are missing"):
        report.refreshed("# Performance\n", "block")


def test_the_page_in_the_repository_has_the_markers() -> None:
    page = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert report.refreshed(page, report.summary({}, "")).count(report.BEGIN) == 1


def test_begin_then_refresh_from_the_command_line(tmp_path: Path) -> None:
    results, page = tmp_path / "out" / "bench.json", tmp_path / "performance.md"
    page.write_text(f"# P\n\n{report.BEGIN}\n{report.END}\n", encoding="utf-8")
    subprocess.run([sys.executable, str(SCRIPT), "--begin", str(results)], check=True)
    started = json.loads(results.read_text())
    results.write_text(json.dumps({**started, "help_over_import": 2.0}))
    subprocess.run(
        [sys.executable, str(SCRIPT), str(results), "--doc", str(page)],
        check=True,
        capture_output=True,
    )
    text = page.read_text(encoding="utf-8")
    assert started["run_started"] in text
    assert (
        "| `help_over_import` | `sourcewise --help` / `import typer, rich` | <= 1.5 | 2 |" in text
    )
    assert "**not met**" in text
