"""``sourcewise scenario template|import|export``: scenarios as Excel workbooks and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import fail, write, write_bytes
from sourcewise.cli.scenario_group import scenario_app

OutOption = Annotated[Path, typer.Option("--out", "-o", help="The file to write.")]


@scenario_app.command("template")
def template(out: OutOption) -> None:
    """Write an empty scenario workbook with a comment on each column and drop-downs."""
    from sourcewise.services.workbooks import workbook_template

    write_bytes(workbook_template(), out)


@scenario_app.command("import")
def import_workbook(
    file: Annotated[Path, typer.Argument(help="Scenario workbook (.xlsx).")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the YAML here instead of stdout.")
    ] = None,
) -> None:
    """Check a workbook and write it as scenario YAML; problems name sheet!cell and field."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.workbooks import workbook_as_yaml

    try:
        text = workbook_as_yaml(file)
    except InputError as error:
        fail(list(error.problems), f"{file} is not valid")
    write(text, out)


@scenario_app.command("export")
def export_workbook(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: OutOption,
) -> None:
    """Write a scenario YAML file as a workbook in the template's layout."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.workbooks import scenario_as_workbook

    try:
        content = scenario_as_workbook(file)
    except InputError as error:
        fail(list(error.problems), f"{file} is not valid")
    write_bytes(content, out)
