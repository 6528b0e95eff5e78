"""The business case: ``sourcewise report FILE --out report.html [--pdf report.pdf]``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from sourcewise.cli.app import (
    EXIT_INVALID,
    DrawsOption,
    ExecutorOption,
    SeedOption,
    app,
    fail,
    write,
    write_file,
)
from sourcewise.cli.scenario_commands import decide_with_progress
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED

PDF_HELP = (
    "PDF output needs WeasyPrint, which is not installed: `pip install weasyprint` in the "
    "sourcewise environment, with its system libraries (Debian/Ubuntu: "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0`). "
    "Or open the HTML in a browser and print it to PDF."
)


@app.command()
def report(
    file: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="HTML file to write (self-contained, offline).")
    ],
    draws: DrawsOption = DEFAULT_DRAWS,
    seed: SeedOption = DEFAULT_SEED,
    pdf: Annotated[
        Path | None,
        typer.Option(help="Also write a PDF (needs the optional WeasyPrint package)."),
    ] = None,
    executor: ExecutorOption = "local",
) -> None:
    """Write the business case for a board: recommendation, savings under uncertainty, hidden
    costs, drivers, locations, ranks, key risks with their playbook, what to learn before
    deciding, pilot plan, assumptions."""
    # Fail before the simulation runs, rather than after, when PDF output cannot work.
    weasyprint = _weasyprint() if pdf is not None else None
    from sourcewise.domain.problems import InputError
    from sourcewise.reports.business_case import render_business_case
    from sourcewise.services.scenarios import load_scenario_with_sources

    try:  # one read of the file gives the scenario and the sources the case cites
        scenario, sources = load_scenario_with_sources(file)
    except InputError as error:
        fail(list(error.problems), f"{file} is not valid")
    # The decision values what to learn before deciding from its own draws.
    decision = decide_with_progress(scenario, draws, seed, executor, information="groups")
    html = render_business_case(decision, sources)
    write(html, out)
    if pdf is not None:
        _write_pdf(weasyprint, html, out, pdf)


def _weasyprint() -> Any:
    """The optional WeasyPrint module (untyped, hence Any), or exit 1 saying what to install."""
    import importlib

    try:
        return importlib.import_module("weasyprint")
    except (ImportError, OSError) as error:  # OSError: the package without its C libraries
        typer.echo(f"error: {PDF_HELP} ({error})", err=True)
        raise typer.Exit(EXIT_INVALID) from error


def _write_pdf(weasyprint: Any, html: str, base: Path, pdf: Path) -> None:
    """Write the PDF atomically, as ``write`` does the HTML."""
    page = weasyprint.HTML(string=html, base_url=str(base.resolve().parent))
    write_file(pdf, lambda temp: page.write_pdf(str(temp)))
