"""Files written with ``--out``: atomic, and with the permissions an ordinary write would give."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples/us-customer-service.yaml")
runner = CliRunner()


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process's umask whatever a test sets."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_honours_the_umask(
    tmp_path: Path, umask: None, mask: int, expected: int
) -> None:
    os.umask(mask)
    out = tmp_path / "case.json"
    result = runner.invoke(
        app, ["decide", EXAMPLE, "--draws", "0", "-f", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert mode(out) == expected
    assert [p.name for p in tmp_path.iterdir()] == ["case.json"]  # no temporary file left


def test_a_binary_file_honours_the_umask_too(tmp_path: Path, umask: None) -> None:
    os.umask(0o027)
    out = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["scenario", "template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o640


def test_an_existing_file_keeps_its_permissions(tmp_path: Path, umask: None) -> None:
    out = tmp_path / "case.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    os.umask(0o022)
    result = runner.invoke(
        app, ["decide", EXAMPLE, "--draws", "0", "-f", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o640
    assert out.read_text(encoding="utf-8").startswith("{")
