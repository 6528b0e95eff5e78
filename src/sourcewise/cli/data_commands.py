"""``sourcewise data``: rebuild the packaged reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import EXIT_INVALID, app

data_app = typer.Typer(help="Rebuild the packaged reference data.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("build")
def data_build(
    raw: Annotated[
        Path | None,
        typer.Option(
            help="Raw data folder (default: $SOURCEWISE_RAW_DATA, else the repository data/raw)."
        ),
    ] = None,
) -> None:
    """Rebuild the country-indicator snapshot (indicators, sources, monthly FX) from the raw
    open-data files; names that cannot be mapped to a country are listed on stderr."""
    from sourcewise.data.build_snapshot import run

    try:
        run(raw)
    except (OSError, ValueError, KeyError) as error:
        typer.echo(f"data build failed: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from error
