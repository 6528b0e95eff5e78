"""`make unit` is the fast loop: it leaves out the tests marked slow or property (every Hypothesis
test is, by tests/conftest.py), and `make test` runs every test. Read from `make -n`, so what is
checked is the command make would run."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAST_LOOP_LEAVES_OUT = ("slow", "property")

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def pytest_commands(target: str) -> list[list[str]]:
    """The pytest commands of a make target, as make would run them (-n: printed, not run)."""
    printed = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    commands = [shlex.split(line) for line in printed.splitlines()]
    return [c[c.index("pytest") + 1 :] for c in commands if c[1:3] == ["-m", "pytest"]]


def registered_markers() -> set[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lines = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    return {line.split(":")[0].strip() for line in lines}


def test_make_unit_runs_the_unit_tests_without_the_slow_and_property_ones() -> None:
    [arguments] = pytest_commands("unit")
    assert "tests/unit" in arguments
    expression = arguments[arguments.index("-m") + 1]
    assert expression == " and ".join(f"not {marker}" for marker in FAST_LOOP_LEAVES_OUT)
    assert set(FAST_LOOP_LEAVES_OUT) <= registered_markers()


def test_make_test_runs_every_test() -> None:
    [arguments] = pytest_commands("test")
    assert "-m" not in arguments
    assert not [a for a in arguments if not a.startswith("-")]  # no path: all of testpaths


PILOT = "tests/unit/governance/test_pilot.py"
MEASUREMENTS = "tests/unit/adapters/test_measurement_file.py"


def test_make_unit_leaves_out_a_slow_test_and_a_hypothesis_test_and_keeps_the_others() -> None:
    [arguments] = pytest_commands("unit")
    at = arguments.index("tests/unit")
    collect = [*arguments[:at], PILOT, MEASUREMENTS, *arguments[at + 1 :], "--collect-only"]
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", *collect, "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kept = {line.split("[")[0] for line in listed.splitlines() if "::" in line}
    assert f"{PILOT}::test_wilson_hand_values_for_ten_trials" in kept
    # A Hypothesis search with no mark of its own, and a test marked slow.
    assert f"{PILOT}::test_probability_better_is_complementary_and_antisymmetric" not in kept
    assert f"{MEASUREMENTS}::test_a_million_rows_stream_in_bounded_memory" not in kept


def test_make_bench_runs_every_script_into_one_results_file_then_the_report() -> None:
    printed = subprocess.run(
        ["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    commands = [shlex.split(line) for line in printed.splitlines() if " bench/" in line]
    scripts = [c[1] for c in commands]
    helpers = {"bench/results.py", "bench/report.py"}
    on_disk = {f"bench/{p.name}" for p in (ROOT / "bench").glob("*.py")} - helpers
    assert set(scripts) - helpers == on_disk
    assert commands[0][1:] == ["bench/report.py", "--begin", "out/bench-results.json"]
    assert commands[-1][1:] == ["bench/report.py", "out/bench-results.json"]
    for command in commands[1:-1]:
        assert command[2:] == ["--json", "out/bench-results.json"], command
