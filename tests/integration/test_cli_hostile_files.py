"""`sourcewise validate` on files that stand for far more work than their size: refused at once,
with the line that would start the blow-up."""

from pathlib import Path

from typer.testing import CliRunner

from hostile_files import LAUGHS
from sourcewise.cli import app

runner = CliRunner()


def test_validate_refuses_a_billion_laughs_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    for command in ("validate", "decide"):
        result = runner.invoke(app, [command, str(path)])
        assert result.exit_code == 1
        assert f"{path}:5: the alias '*d'" in result.output
        assert "20,000 values" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
