"""``sourcewise scenario template|import|export``: scenarios as Excel workbooks and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import app, fail, write

scenario_app = typer.Typer(
    help="Scenarios as Excel workbooks: an empty template, YAML to XLSX and XLSX to YAML.",
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")


def write_bytes(content: bytes, out: Path) -> None:
    """Write ``content`` to ``out`` atomically (a temporary file renamed into place)."""
    import os
    import tempfile

    target = out.resolve()
    temp: str | None = None
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temp, target)
    except OSError as error:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)
        from sourcewise.domain.problems import Problem

        fail([Problem(str(out), None, "", f"cannot write: {error.strerror or error}")], "output")
    typer.echo(f"wrote {out}", err=True)


OutOption = Annotated[Path, typer.Option("--out", "-o", help="The file to write.")]


@scenario_app.command("template")
def template(out: OutOption) -> None:
    """Write an empty scenario workbook with a comment on each column and drop-downs."""
    from sourcewise.adapters.scenario_workbook_write import template_bytes

    write_bytes(template_bytes(), out)


@scenario_app.command("import")
def import_workbook(
    file: Annotated[Path, typer.Argument(help="Scenario workbook (.xlsx).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the YAML here instead of stdout.")
    ] = None,
) -> None:
    """Check a workbook and write it as scenario YAML; problems name sheet!cell and field."""
    from sourcewise.adapters.scenario_workbook_read import load_workbook_scenario, scenario_yaml

    model, problems = load_workbook_scenario(file)
    if model is None:
        fail(problems, f"{file} is not valid")
    write(scenario_yaml(model, str(file)), out)


@scenario_app.command("export")
def export_workbook(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: OutOption,
) -> None:
    """Write a scenario YAML file as a workbook in the template's layout."""
    from sourcewise.adapters.scenario_file import from_document
    from sourcewise.adapters.scenario_schema import ScenarioModel
    from sourcewise.adapters.scenario_workbook_write import scenario_bytes
    from sourcewise.adapters.yaml_source import read_yaml

    doc = read_yaml(file)
    _, problems = from_document(doc)
    if problems:
        fail(problems, f"{file} is not valid")
    write_bytes(scenario_bytes(ScenarioModel.model_validate(doc.data)), out)
