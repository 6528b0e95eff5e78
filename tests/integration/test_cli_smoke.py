from pathlib import Path

from typer.testing import CliRunner

from sourcewise.cli import app


def test_demo_example_decides(examples_dir: Path) -> None:
    result = CliRunner().invoke(app, ["decide", str(examples_dir / "us-customer-service.yaml")])
    assert result.exit_code == 0, result.output
    assert "Recommendation" in result.output
