"""The ``sourcewise scenario`` group, shared by the workspace's commands on saved scenarios
(``workspace_commands``) and the Excel ones (``excel_commands``)."""

from __future__ import annotations

import typer

from sourcewise.cli.app import app

scenario_app = typer.Typer(
    help=(
        "Scenarios saved in the workspace, with immutable versions (save, list, show, diff, "
        "checkout, share), and scenarios as Excel workbooks (template, import, export)."
    ),
    no_args_is_help=True,
)
app.add_typer(scenario_app, name="scenario")
