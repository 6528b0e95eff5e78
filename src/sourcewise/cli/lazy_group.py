"""The root ``sourcewise`` group: it lists the commands from ``cli/catalogue.py`` and imports a
command's modules, and builds its Click command, only when that command is looked up (run, or
asked for its help). ``sourcewise --help`` so loads none of them: building every command's
parameters from its signature costs more than Python's own start-up.

Typer builds the same commands as it would for the whole app (``typer.main`` builds one
registered command or group at a time); only the moment changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import typer.main
from typer import _click  # Typer's own copy of Click: the classes its groups are made of
from typer.core import TyperGroup

from sourcewise.cli import catalogue
from sourcewise.cli.command_modules import COMMAND_MODULES


def summary(command: _click.Command) -> str:
    """What a command list says about a command: its short help, else the first paragraph of
    its help on one line (Click would cut it at the terminal's width; this keeps it whole)."""
    if command.short_help:
        return " ".join(command.short_help.split())
    return " ".join((command.help or "").split("\n\n")[0].split())


def settle_lists(command: _click.Command) -> None:
    """The command lists under ``command``, the same whatever was imported before: every
    subcommand with its whole summary; commands before groups (as Typer lists them), each in
    the order of ``COMMAND_MODULES`` (a group's commands may come from several modules, whose
    import order a long-lived process such as a test run does not fix)."""
    children = getattr(command, "commands", None)
    if not children:
        return
    for child in children.values():
        child.short_help = summary(child)
        settle_lists(child)
    ordered = sorted(children.items(), key=lambda item: _place(item[1]))
    children.clear()
    children.update(ordered)


def _place(command: _click.Command) -> tuple[bool, int]:
    """Where ``command`` goes in its group's list (the sort is stable: within one module, the
    order in which it registers its commands)."""
    return hasattr(command, "commands"), min(_module_ranks(command), default=len(COMMAND_MODULES))


def _module_ranks(command: _click.Command) -> Iterator[int]:
    module = getattr(command.callback, "__module__", None)
    if module in COMMAND_MODULES:
        yield COMMAND_MODULES.index(module)
    for child in getattr(command, "commands", {}).values():
        yield from _module_ranks(child)


def build(name: str) -> _click.Command:
    """The Click command for the top-level command ``name``, after importing its modules."""
    for module in catalogue.COMMANDS[name][1]:
        importlib.import_module(module)
    return registered(name)


def registered(name: str) -> _click.Command:
    """The Click command Typer builds for the top-level command ``name`` as registered so far,
    its lists settled."""
    from sourcewise.cli.app import app

    settings: dict[str, Any] = {
        "pretty_exceptions_short": app.pretty_exceptions_short,
        "rich_markup_mode": app.rich_markup_mode,
    }
    command: _click.Command | None = None
    for group in app.registered_groups:
        if group.name == name:
            command = typer.main.get_group_from_info(
                group, suggest_commands=app.suggest_commands, **settings
            )
    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            command = typer.main.get_command_from_info(info, **settings)
    if command is None:
        raise LookupError(f"no module registers `sourcewise {name}` (make docs?)")
    settle_lists(command)
    return command


class LazyCommands(MutableMapping[str, _click.Command]):
    """The root's commands: every catalogued name is a key; a command is built the first time
    it is read, once all its modules are imported."""

    def __init__(self, built: Mapping[str, _click.Command]) -> None:
        # Typer has built what the modules imported so far register (in a test run, some of
        # them): a group of several modules may lack the commands of the others, so catalogued
        # commands are built again when read.
        self._built = {n: c for n, c in built.items() if n not in catalogue.COMMANDS}
        for command in self._built.values():
            settle_lists(command)

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self._built:
            if name not in catalogue.COMMANDS:
                raise KeyError(name)
            self._built[name] = build(name)
        return self._built[name]

    def __contains__(self, name: object) -> bool:
        return name in catalogue.COMMANDS or name in self._built

    def __iter__(self) -> Iterator[str]:
        yield from catalogue.COMMANDS
        yield from (name for name in self._built if name not in catalogue.COMMANDS)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


class LazyCommandGroup(TyperGroup):
    """The root group (``typer.Typer(cls=LazyCommandGroup)``); see the module's docstring."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands)

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(self.commands)  # the names only: nothing is built

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in catalogue.COMMANDS:
                said = catalogue.COMMANDS[name][0]
            else:
                command = self.commands[name]
                said = None if command.hidden else summary(command)
            if said is not None:
                rows.append((name, said))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
