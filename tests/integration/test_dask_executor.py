"""The Dask executor on a LocalCluster: bit-identical to the local run for the same seed."""

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from sourcewise.api import load_scenario
from sourcewise.cli import app
from sourcewise.domain.scenario import Scenario
from sourcewise.services import executors
from sourcewise.services.executors import DaskExecutor, LocalExecutor
from sourcewise.services.screening import screen, variations
from sourcewise.services.simulate import _Chunk, _prepare, _run_chunk, simulate

pytestmark = pytest.mark.dask

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples/us-customer-service.yaml"  # own staff in Manila: exchange-rate paths
runner = CliRunner()


@pytest.fixture(scope="module")
def dask() -> Iterator[DaskExecutor]:
    """Two single-threaded workers in this process: quick to start, still out of order."""
    with DaskExecutor.local_cluster(n_workers=2, processes=False) as executor:
        yield executor


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(EXAMPLE)


def test_summaries_are_identical_to_the_local_run(dask: DaskExecutor, scenario: Scenario) -> None:
    done: list[int] = []
    distributed = simulate(scenario, draws=6_000, seed=7, chunk=1_100, executor=dask,
                           progress=done.append)  # fmt: skip
    local = simulate(scenario, draws=6_000, seed=7, chunk=1_100)
    assert distributed.functions == local.functions
    assert sorted(done) == sorted([1_100] * 5 + [500])
    assert local.functions[0].options[1].npv.sd > 0


def test_per_draw_arrays_are_identical(dask: DaskExecutor, scenario: Scenario) -> None:
    def chunks(run: executors.Executor) -> list[_Chunk]:
        prepared = run.submit(_prepare, scenario, 3_000, 7, None)
        parts = [run.submit(_run_chunk, scenario, 0, prepared, 7, a, a + 1_000) for a in
                 (2_000, 0, 1_000)]  # fmt: skip
        return [p.result() for p in parts]

    for mine, theirs in zip(chunks(LocalExecutor()), chunks(dask), strict=True):
        for name in ("base_npv", "base_yearly", "npv", "yearly", "even"):
            assert np.array_equal(getattr(mine, name), getattr(theirs, name), equal_nan=True)
        assert (mine.components, mine.price) == (theirs.components, theirs.price)


def test_screening_many_scenarios_is_identical(dask: DaskExecutor, scenario: Scenario) -> None:
    variants = variations(scenario, 12, seed=3)
    assert screen(variants, draws=200, executor=dask) == screen(variants, draws=200)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_cli_runs_on_a_local_cluster_with_the_same_output() -> None:
    args = ["simulate", str(EXAMPLE), "--draws", "1500", "--seed", "3", "--format", "json"]
    local = runner.invoke(app, args)
    distributed = runner.invoke(app, [*args, "--executor", "dask"])
    assert distributed.exit_code == 0, distributed.output
    assert json.loads(distributed.stdout) == json.loads(local.stdout)


def test_cli_reports_an_unreachable_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    address = f"dask://127.0.0.1:{_closed_port()}"
    result = runner.invoke(app, ["simulate", str(EXAMPLE), "--executor", address])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_cli_refuses_an_unknown_executor() -> None:
    result = runner.invoke(app, ["simulate", str(EXAMPLE), "--executor", "spark"])
    assert result.exit_code == 1
    assert "unknown executor 'spark'" in result.output


def test_dask_is_imported_only_when_asked_for() -> None:
    code = (
        "import sys; import sourcewise.cli, sourcewise.services.simulate; "
        "print(sorted({'dask', 'distributed'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
