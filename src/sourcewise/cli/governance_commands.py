"""``sourcewise db``, ``engagement``, ``kpi``, ``sla``, ``monitor``, ``scorecard``,
``benefits``: the governance store and the engagements' service levels."""

from __future__ import annotations

from typing import Annotated

import typer

from sourcewise.cli.app import DbOption, app

db_app = typer.Typer(help="Create or migrate the governance database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    db: DbOption = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Create the governance database or migrate it to the latest schema (safe to repeat)."""
    from sourcewise.services.governance_store import upgrade_store

    url, current = upgrade_store(db, revision)
    typer.echo(f"{url} is at revision {current}")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base' empties it).")],
    db: DbOption = None,
) -> None:
    """Migrate the governance database down to REVISION (``base`` drops every table)."""
    from sourcewise.services.governance_store import downgrade_store

    url, current = downgrade_store(db, revision)
    typer.echo(f"{url} is at revision {current or 'base'}")
