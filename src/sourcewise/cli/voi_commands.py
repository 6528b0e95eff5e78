"""``sourcewise voi``: what it is worth to know more before deciding."""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated

import typer

from sourcewise.cli.app import (
    DrawsOption,
    ExecutorOption,
    SeedOption,
    app,
    executor_or_fail,
    load_or_fail,
    print_or_write,
    progress_bar,
    write,
)
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED


class InformationFormat(enum.StrEnum):
    table = "table"
    json = "json"


@app.command("voi")
def voi_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    output_format: Annotated[
        InformationFormat, typer.Option("--format", "-f", help="table or json.")
    ] = InformationFormat.table,
    pilot_months: Annotated[
        int, typer.Option(min=1, max=36, help="How long a pilot runs, in months.")
    ] = 3,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    executor: ExecutorOption = "local",
) -> None:
    """Value of information: what knowing everything (EVPI), one input or one option's inputs
    (EVPPI) or a pilot's result (EVSI, by pilot size against its cost) would save before
    choosing, for every function."""
    from sourcewise.services.decide import progress_total
    from sourcewise.services.value_of_information import value_of_information

    scenario = load_or_fail(file)
    with (
        executor_or_fail(executor) as runner,
        progress_bar(f"simulating ({runner.name})", progress_total(scenario, draws)) as advance,
    ):
        result = value_of_information(
            scenario, draws, seed, pilot_months, executor=runner, progress=advance
        )
    if output_format is InformationFormat.json:
        from sourcewise.reports.information_json import information_to_dict

        write(json.dumps(information_to_dict(result), indent=2), out)
        return
    from sourcewise.reports.information_terminal import render_information

    print_or_write(lambda console: render_information(result, console), out)
