"""The Typer application, shared options, and how commands report problems and write output."""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from sourcewise.cli.lazy_group import LazyCommandGroup
from sourcewise.services.defaults import MAX_DRAWS  # imports nothing: --help stays fast

if TYPE_CHECKING:
    from rich.console import Console

    from sourcewise.domain.problems import Problem
    from sourcewise.domain.scenario import Scenario
    from sourcewise.services.executors import Executor
    from sourcewise.services.governance_store import UowFactory

app = typer.Typer(
    name="sourcewise",
    help=(
        "Decide whether, where and with whom to outsource or offshore a business function: "
        "who does the work (own staff or a third party) and where (home or abroad)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Commands are imported when they run (cli/lazy_group.py); help and errors are Click's plain
    # text: Typer's Rich panels import Rich's Markdown, Pygments and tracebacks, which cost more
    # than the rest of start-up together.
    cls=LazyCommandGroup,
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},  # the terminal's width, up to 100 columns
)


@app.callback()
def root() -> None:
    # Nothing to do before a command: the callback makes Typer build the root as a group even
    # when no command module is imported yet.
    pass


EXIT_INVALID = 1
EXIT_INFEASIBLE = 3
"""optimise: the constraints cannot all hold (the reason is printed)."""


DrawsOption = Annotated[int, typer.Option(min=1, max=MAX_DRAWS, help="Monte Carlo draws.")]
SeedOption = Annotated[int, typer.Option(help="Random seed; the same seed gives the same result.")]
ExecutorOption = Annotated[
    str,
    typer.Option(
        help="Where the chunks of draws run: local, dask (a Dask LocalCluster started for "
        "the run) or dask://HOST:PORT (a running scheduler). Same results for the same seed."
    ),
]


class OutputFormat(enum.StrEnum):
    """The formats of every command that prints a report: terminal tables or JSON. Commands that
    also write HTML or a workbook (decide) have an enum of their own, so `--help` offers only
    what a command can write and any other value is a usage error naming the choices."""

    table = "table"
    json = "json"


def fail(problems: list[Problem], label: str) -> NoReturn:
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    count = len(problems)
    console.print(
        f"[bold red]{label}: {count} problem{'s' if count != 1 else ''}[/]", soft_wrap=True
    )
    for problem in problems:
        console.print(str(problem), markup=False, soft_wrap=True)
    raise typer.Exit(EXIT_INVALID)


def _umask() -> int:
    """The process's umask. Reading it means setting it; the CLI writes from one thread."""
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_mode(target: Path) -> int:
    """The permissions ``target`` gets, as an ordinary ``open(target, "w")`` would give: an
    existing file keeps its own, a new one gets 0666 less the umask (mkstemp's 0600 would
    hide a report from the rest of the user's group)."""
    import stat

    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def write_file(out: Path, fill: Callable[[Path], object]) -> None:
    """Write ``out`` atomically: ``fill`` writes a temporary file beside it, which is then
    renamed into place, so a failed write never leaves a half-written ``out``. The file gets
    the permissions ``output_mode`` gives. A file that cannot be written fails with exit
    code 1, naming it."""
    import os
    import tempfile

    target = out.resolve()
    temp: Path | None = None
    try:
        mode = output_mode(target)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(fd)
        temp = Path(name)
        fill(temp)
        os.chmod(temp, mode)
        os.replace(temp, target)
    except OSError as error:
        from sourcewise.domain.problems import Problem

        fail([Problem(str(out), None, "", f"cannot write: {error.strerror or error}")], "output")
    finally:
        if temp is not None and temp.exists():
            temp.unlink()
    typer.echo(f"wrote {out}", err=True)


def write(text: str, out: Path | None) -> None:
    """Write ``text`` to ``out`` atomically (``write_file``), or to stdout."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_file(out, lambda temp: temp.write_text(text, encoding="utf-8"))


def write_bytes(content: bytes, out: Path) -> None:
    """Write ``content`` to ``out`` atomically (``write_file``)."""
    write_file(out, lambda temp: temp.write_bytes(content))


def load_or_fail(file: Path) -> Scenario:
    """The scenario in ``file``; every problem printed and exit code 1 otherwise."""
    from sourcewise.domain.problems import InputError
    from sourcewise.services.scenarios import load_scenario

    try:
        return load_scenario(file)
    except InputError as error:
        fail(list(error.problems), f"{file} is not valid")


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr while the block runs (shown when stderr is a terminal), and the
    callback that advances it by a number of units of work."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda count: bar.advance(task, count)


@contextmanager
def executor_or_fail(spec: str) -> Iterator[Executor]:
    """The executor ``spec`` names (``local``, ``dask`` or ``dask://HOST:PORT``), closed after
    the block; an unusable one fails with exit code 1."""
    from sourcewise.services.executors import ExecutorError, open_executor

    try:
        runner = open_executor(spec)
    except ExecutorError as error:
        fail_message(str(error))
    with runner:
        yield runner


def print_or_write(render: Callable[[Console], None], out: Path | None) -> None:
    """Render Rich output to the terminal, or as plain text to ``out``."""
    import io

    from rich.console import Console

    if out is None:
        render(Console())
        return
    buffer = io.StringIO()
    render(Console(file=buffer, width=120, no_color=True))
    write(buffer.getvalue(), out)


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=(
            "Database URL (sqlite:///file.db or postgresql://user@host/db); default "
            "$SOURCEWISE_DATABASE_URL, else sourcewise.db in $SOURCEWISE_HOME or "
            "~/.local/share/sourcewise."
        ),
        show_default=False,
    ),
]


def store_or_fail(db: str | None, source: str = "", pool_size: int = 0) -> UowFactory:
    """Units of work on the governance database; a clear message and exit 1 otherwise. A
    long-running command keeps ``pool_size`` connections to PostgreSQL; others, none."""
    from sourcewise.services.governance_store import StoreError, open_store

    try:
        if pool_size:
            return open_store(db, source=source, pooled=True, pool_size=pool_size)
        return open_store(db, source=source)
    except StoreError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INVALID) from error


def fail_message(message: str) -> NoReturn:
    """One problem that is not tied to a file line (an unknown engagement, a duplicate)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(EXIT_INVALID)
