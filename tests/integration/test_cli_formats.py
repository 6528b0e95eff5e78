"""Each command offers only the --format values it can write: --help lists them, and any other
value is a usage error naming the choices (never a terminal table written into a .html file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app
from sourcewise.docs_gen import command_paths

runner = CliRunner()
EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "us-customer-service.yaml")
# The commands that render HTML themselves; every other --format is table or json.
WRITES_HTML = {("decide",)}


def _format_choices() -> dict[tuple[str, ...], list[str]]:
    from typer.core import TyperGroup

    from sourcewise.cli.lazy_group import build

    found = {}
    for path in command_paths():
        command = build(path[0])
        for word in path[1:]:
            assert isinstance(command, TyperGroup)
            sub = command.get_command(None, word)  # type: ignore[arg-type]
            assert sub is not None
            command = sub
        for parameter in command.params:
            if "--format" in getattr(parameter, "opts", []):
                # typer turns the format enum into a click.Choice of its values.
                choices = getattr(parameter.type, "choices", ())
                found[path] = [getattr(c, "value", c) for c in choices]
    return found


def test_only_decide_offers_html() -> None:
    choices = _format_choices()
    assert len(choices) > 20
    offering_html = {path for path, values in choices.items() if "html" in values}
    assert offering_html == WRITES_HTML


@pytest.mark.parametrize(
    "args",
    [
        ["simulate", EXAMPLE, "--draws", "10"],
        ["optimise", EXAMPLE, "--draws", "10"],
        ["monitor", "-e", "Customer service Monterrey"],
        ["locations", "rank", "--home", "US"],
        ["scorecard", "--provider", "P", "--month", "2026-10"],
        ["risk", "list"],
        ["run", "list"],
    ],
    ids=lambda args: " ".join(a for a in args[:2] if a != EXAMPLE),
)
def test_html_is_rejected_where_it_cannot_be_written(args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    result = runner.invoke(app, [*args, "--format", "html"], env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    assert "'html' is not one of 'table', 'json'" in result.output
    assert not out.exists()


def test_rank_file_layout_rejects_html_too(tmp_path: Path) -> None:
    matrix = tmp_path / "m.csv"
    matrix.write_text("alternative,cost\nA,1\nB,2\n", encoding="utf-8")
    result = runner.invoke(app, ["rank", str(matrix), "--format", "html"])
    assert result.exit_code == 2
    assert "'html' is not one of" in result.output
