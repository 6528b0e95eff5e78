"""Start-up: ``sourcewise --help`` imports no heavy library and no command module, a command
imports only its own modules, and every command's help still lists all its options."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer import _click
from typer.testing import CliRunner

from sourcewise.cli import app, catalogue
from sourcewise.cli.lazy_group import LazyCommands, build

runner = CliRunner()

# Libraries the help path must never load: the numeric stack, the database, the web app, the
# file formats, and Rich's Markdown and syntax highlighting (what Typer's Rich help pulls in).
HEAVY = {
    "numpy",
    "pandas",
    "scipy",
    "sqlalchemy",
    "alembic",
    "psycopg",
    "pydantic",
    "yaml",
    "jinja2",
    "fastapi",
    "starlette",
    "uvicorn",
    "plotly",
    "openpyxl",
    "dask",
    "highspy",
    "rich",
    "markdown_it",
    "pygments",
}

LOADED = """
import json, sys
sys.argv = ["sourcewise", *json.loads(sys.argv[1])]
from sourcewise.cli import main
try:
    main()
except SystemExit:
    pass
print("\\nLOADED " + json.dumps(sorted(sys.modules)))
"""


def run_and_list_modules(*args: str) -> tuple[str, set[str]]:
    """What the command prints, and every module loaded once it has run (a fresh process)."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    )
    printed, _, modules = done.stdout.rpartition("\nLOADED ")
    return printed, set(json.loads(modules))


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def command_modules(modules: set[str]) -> set[str]:
    return {m for m in modules if m.startswith("sourcewise.cli.") and m.endswith("_commands")}


def test_help_imports_no_heavy_library_and_no_command_module() -> None:
    printed, modules = run_and_list_modules("--help")
    assert top_level(modules) & HEAVY == set()
    assert command_modules(modules) == set()
    assert {m for m in modules if m.startswith("sourcewise")} == {
        "sourcewise",
        "sourcewise.cli",
        "sourcewise.cli.app",
        "sourcewise.cli.catalogue",
        "sourcewise.cli.command_modules",
        "sourcewise.cli.lazy_group",
        "sourcewise.services",
        "sourcewise.services.defaults",
    }
    for name, (said, _) in catalogue.COMMANDS.items():
        assert f"  {name} " in printed
        assert said is not None
        assert " ".join(said.split()[:4]) in " ".join(printed.split())


def test_a_command_imports_its_own_modules_only() -> None:
    printed, modules = run_and_list_modules(
        "classify", "--home", "US", "--work-country", "PH", "--employer", "third-party"
    )
    assert printed.startswith("offshore outsourcing")
    assert command_modules(modules) == {"sourcewise.cli.scenario_commands"}
    assert top_level(modules) & {"sqlalchemy", "fastapi", "jinja2", "pandas"} == set()


def test_a_group_of_several_modules_has_all_its_commands_whatever_was_imported_before() -> None:
    # `scenario` gathers commands from excel_commands, workspace_commands and estimate_commands;
    # a process that imported one of them first still lists them all, in the same order.
    code = (
        "import sourcewise.cli.workspace_commands\n"
        "from typer.testing import CliRunner\n"
        "from sourcewise.cli import app\n"
        "print(CliRunner().invoke(app, ['scenario', '--help']).output)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed = [
        line.split()[0]
        for line in done.stdout.split("Commands:")[1].splitlines()
        if line[2:3].isalpha()
    ]
    fresh = runner.invoke(app, ["scenario", "--help"]).output
    assert done.stdout.strip() == fresh.strip()
    assert listed[:3] == ["template", "import", "export"]
    assert "new" in listed


def test_python_m_sourcewise_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sourcewise", "--help"], capture_output=True, text=True, check=True
    )
    assert "Commands:" in done.stdout
    assert "decide" in done.stdout


def every_command() -> list[object]:
    """Every command and group under the root, with the words that name it."""
    found: list[object] = []

    def walk(path: list[str], command: _click.Command) -> None:
        found.append(pytest.param(path, command, id=" ".join(path)))
        for name, child in getattr(command, "commands", {}).items():
            walk([*path, name], child)

    for name in catalogue.COMMANDS:
        walk([name], build(name))
    return found


@pytest.mark.parametrize(("path", "command"), every_command())
def test_every_commands_help_lists_its_arguments_and_options(
    path: list[str], command: _click.Command
) -> None:
    result = runner.invoke(app, [*path, "--help"], prog_name="sourcewise")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: sourcewise {' '.join(path)} ")
    for parameter in command.params:
        if parameter.param_type_name == "option":
            assert max(parameter.opts, key=len) in result.output, parameter.name
        else:
            assert parameter.name in result.output
    for name, child in getattr(command, "commands", {}).items():
        assert f"  {name} " in result.output
        # The whole summary, wrapped, not one cut at the terminal's width.
        assert " ".join((child.short_help or "").split()) in " ".join(result.output.split())


def test_a_typo_is_answered_with_the_closest_command() -> None:
    result = runner.invoke(app, ["decid"], prog_name="sourcewise")
    assert result.exit_code == 2
    assert "No such command 'decid'. Did you mean 'decide'?" in result.output


def test_lazy_commands_know_their_names_before_building_them() -> None:
    commands = LazyCommands({})
    assert "decide" in commands
    assert "no-such-command" not in commands
    assert commands.get("no-such-command") is None
    assert list(commands) == list(catalogue.COMMANDS)
    assert commands["decide"].name == "decide"


def test_a_command_whose_module_is_not_listed_stops_the_catalogue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.models import CommandInfo

    from sourcewise import docs_gen

    def probe() -> None:
        """A command registered from a module cli/command_modules.py does not list."""

    registered = [*app.registered_commands, CommandInfo(name="probe", callback=probe)]
    monkeypatch.setattr(app, "registered_commands", registered)
    with pytest.raises(LookupError, match="`sourcewise probe`: add its module"):
        docs_gen.cli_catalogue()
