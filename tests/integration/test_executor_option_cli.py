"""``--executor`` on decide, optimise and report: the simulate option, the same results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.services import executors

ROOT = Path(__file__).resolve().parents[2]
US = ROOT / "examples/us-customer-service.yaml"
runner = CliRunner()


def _args(command: str, tmp_path: Path) -> list[str]:
    args = [command, str(US), "--draws", "200", "--seed", "5"]
    return [*args, "--out", str(tmp_path / "case.html")] if command == "report" else args


@pytest.mark.parametrize("command", ["decide", "optimise", "report"])
def test_an_unreachable_scheduler_fails_with_exit_1_and_says_so(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    result = runner.invoke(app, [*_args(command, tmp_path), "--executor", "dask://127.0.0.1:1"])
    assert result.exit_code == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "case.html").exists()


def test_an_unknown_executor_fails_even_without_draws() -> None:
    args = ["decide", str(US), "--draws", "0", "--executor", "spark"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "unknown executor 'spark'" in result.output


@pytest.mark.parametrize("command", ["decide", "optimise"])
def test_local_gives_the_same_json_as_the_default(command: str, tmp_path: Path) -> None:
    args = [*_args(command, tmp_path), "--format", "json"]
    default = runner.invoke(app, args)
    local = runner.invoke(app, [*args, "--executor", "local"])
    assert local.exit_code == default.exit_code == 0, local.output
    assert json.loads(local.stdout) == json.loads(default.stdout)
