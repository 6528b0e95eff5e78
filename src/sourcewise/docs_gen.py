"""Generate reference docs from the code, so they cannot drift: ``make docs``.

``docs/cli.md`` comes from the commands' ``--help``, and ``cli/catalogue.py`` (the command list
``sourcewise --help`` prints without importing the commands) from the commands themselves;
``docs/scenario.md`` from the scenario
schema's field descriptions; the JSON reference in docs/decide-json.md, simulate.md, optimise.md
and locations.md from the documents' docstrings (``reports/*_document.py``).
``tests/integration/test_docs.py`` fails when any is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sourcewise.adapters.field_types import DistributionModel

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _help(args: list[str]) -> str:
    from typer.testing import CliRunner

    from sourcewise.cli import app

    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*args, "--help"], env=env, prog_name="sourcewise")
    return "\n".join(line.rstrip() for line in result.output.splitlines()).strip("\n")


def command_paths() -> list[tuple[str, ...]]:
    """Every command and subcommand of the command line, as the words that run it: each
    top-level command in name order, each followed by its subcommands (depth first, in the
    order its --help lists them). Hidden commands are left out, as --help leaves them out."""
    from typer import _click  # Typer's own copy of Click, which its commands are made of
    from typer.core import TyperGroup

    from sourcewise.cli.catalogue import COMMANDS
    from sourcewise.cli.lazy_group import build

    def walk(path: tuple[str, ...], command: _click.Command) -> list[tuple[str, ...]]:
        found = [path]
        if isinstance(command, TyperGroup):
            context = _click.Context(command, info_name=path[-1])
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    found += walk((*path, name), sub)
        return found

    paths: list[tuple[str, ...]] = []
    for name in sorted(COMMANDS):
        if COMMANDS[name][0] is not None:
            paths += walk((name,), build(name))
    return paths


def cli_markdown() -> str:
    lines = [
        "# Command line reference",
        "",
        "Generated from `--help` by `make docs`: every command and every subcommand with its",
        "options.",
        "",
    ]
    lines += ["## sourcewise", "", "```", _help([]), "```", ""]
    for path in command_paths():
        heading = "#" * min(len(path) + 1, 4)
        lines += [f"{heading} sourcewise {' '.join(path)}", "", "```", _help(list(path)), "```", ""]
    return "\n".join(lines)


CATALOGUE = Path(__file__).resolve().parent / "cli" / "catalogue.py"


def cli_catalogue() -> str:
    """The text of ``cli/catalogue.py``: every top-level command in ``--help`` order (commands,
    then groups, each in the order of ``COMMAND_MODULES``), its summary (``None`` when hidden)
    and the modules whose import registers it or any command under it."""
    import importlib

    import typer.main

    from sourcewise.cli.app import app
    from sourcewise.cli.command_modules import COMMAND_MODULES
    from sourcewise.cli.lazy_group import registered, summary

    for module in COMMAND_MODULES:
        importlib.import_module(module)
    found = []
    for position, info in enumerate(app.registered_commands):
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        found.append((0, {info.callback.__module__}, position, name))
    for position, group in enumerate(app.registered_groups):
        assert group.typer_instance is not None
        assert group.name is not None
        found.append((1, _registering_modules(group.typer_instance), position, group.name))
    entries = []
    for kind, registering, position, name in found:
        ordered = sorted(registering & set(COMMAND_MODULES), key=COMMAND_MODULES.index)
        if not ordered:
            raise LookupError(f"`sourcewise {name}`: add its module to cli/command_modules.py")
        entries.append(((kind, COMMAND_MODULES.index(ordered[0]), position), name, ordered))
    lines = [
        '"""The top-level commands: what ``sourcewise --help`` says of each (``None``: hidden)',
        "and the modules whose import registers it. Generated from cli/command_modules.py by",
        '``make docs``; tests/integration/test_docs.py fails when it is stale."""',
        "",
        "COMMANDS: dict[str, tuple[str | None, tuple[str, ...]]] = {",
    ]
    for _, name, modules in sorted(entries):
        command = registered(name)
        lines += [f"    {_literal(name)}: ("]
        lines += ["        None,"] if command.hidden else _wrapped_literal(summary(command))
        if len(modules) == 1:
            lines += [f"        ({_literal(modules[0])},),"]
        else:
            lines += ["        (", *(f"            {_literal(m)}," for m in modules), "        ),"]
        lines += ["    ),"]
    return "\n".join([*lines, "}", ""])


def _registering_modules(typer_instance: Any) -> set[str]:
    """The modules of the callbacks of a Typer group and of everything under it."""
    found = set()
    if typer_instance.registered_callback is not None:
        found.add(typer_instance.registered_callback.callback.__module__)
    found |= {info.callback.__module__ for info in typer_instance.registered_commands}
    for group in typer_instance.registered_groups:
        found |= _registering_modules(group.typer_instance)
    return found


def _literal(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _wrapped_literal(text: str, indent: str = " " * 8, width: int = 100) -> list[str]:
    """``text`` as one string literal, or as adjacent literals when it is too long for a line."""
    if len(indent + _literal(text) + ",") <= width:
        return [indent + _literal(text) + ","]
    pieces, piece = [], ""
    for word in text.split(" "):
        if piece and len(indent + _literal(piece + word)) > width - 8:
            pieces.append(piece)
            piece = ""
        piece += word + " "
    pieces.append(piece.removesuffix(" "))
    return [indent + "(", *(indent + "    " + _literal(p) for p in pieces), indent + "),"]


def _type_name(annotation: Any) -> str:
    """A reader's name for a field type: enums list their values, optionals drop None."""
    import enum
    import types
    import typing

    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is typing.Literal:
        return " or ".join(f"`{a}`" for a in typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if annotation is DistributionModel:
        return "distribution"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: Any) -> str:
    if field.default is PydanticUndefined and field.default_factory is None:
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
        return "`{}`" if isinstance(value, BaseModel) else f"`{value!r}`"
    value = field.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{getattr(value, 'value', value)}`"


def _model_table(title: str, model: type[BaseModel], intro: str) -> list[str]:
    lines = [
        f"## {title}",
        "",
        intro,
        "",
        "| field | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, field in model.model_fields.items():
        kind = _type_name(field.annotation)
        meaning = (field.description or "").replace("|", "/")
        lines.append(f"| `{name}` | {kind} | {_default(field)} | {meaning} |")
    return [*lines, ""]


def scenario_markdown() -> str:
    from sourcewise.adapters import scenario_schema as s

    lines = [
        "# Scenario file reference",
        "",
        "Generated from `src/sourcewise/adapters/scenario_schema.py` by `make docs`. A scenario is",
        "a YAML file; `sourcewise schema` prints the same as JSON Schema and `sourcewise validate`",
        "checks a file, reporting every problem with its line. Amounts are per year in the",
        "company currency unless the field says otherwise. See `examples/` for complete files.",
        "",
        "Rules across fields: own staff need `annual_cost_per_fte`; a third party needs",
        "`hourly_rate` or `monthly_fee`; a function with `goods` needs `goods` terms on every site",
        "and a service function needs `fte`; a hybrid option puts `employer` and `country` in",
        "each of its `parts`, whose shares total 1; `transfer_month` (build-operate-transfer)",
        "needs a third-party employer; option names are unique within a function and function",
        "names within the file.",
        "",
    ]
    lines += _model_table("Top level", s.ScenarioModel, "The sections of a scenario file.")
    lines += _model_table("`company`", s.CompanyModel, "Who is deciding.")
    lines += _model_table(
        "`functions[]`", s.FunctionModel, "Each business function in scope and its profile."
    )
    lines += _model_table("`functions[].goals`", s.GoalsModel, "What the move is for.")
    lines += _model_table("`functions[].goods`", s.GoodsModel, "For physical goods.")
    lines += _model_table(
        "`functions[].options[]`",
        s.OptionModel,
        "A candidate arrangement: who employs the workers, where, and on what terms.",
    )
    lines += _model_table(
        "`functions[].options[].parts[]`",
        s.PartModel,
        "Hybrid: one site of a split; the site fields of an option plus its share.",
    )
    lines += _model_table(
        "`goods` terms on an option or part", s.GoodsTermsModel, "Landed cost per unit."
    )
    lines += _model_table(
        "Distributions",
        DistributionModel,
        "Any field typed *number or distribution* takes a mapping instead of a number, e.g. "
        "`hourly_rate: {dist: triangular, low: 10, mode: 11, high: 13, source: RFP answers}`. "
        "uniform needs low and high; triangular and pert low, mode and high; normal mean and sd "
        "(low and high truncate it); lognormal median and sigma (of the log); empirical values; "
        "fixed value. Every value it can take must lie in the field's range. `decide` uses the "
        "mean; `simulate` draws from it.",
    )
    lines += _model_table(
        "`correlations[]`",
        s.CorrelationModel,
        "Rank correlations between uncertain inputs, imposed by the Iman-Conover method.",
    )
    lines += _model_table(
        "`indicators[]`",
        s.IndicatorModel,
        "Your own value for a country indicator, replacing the packaged series (latest value, "
        "means and trends of that indicator then rest on it alone). Indicator ids are listed in "
        "docs/locations.md.",
    )
    return "\n".join(lines)


BEGIN = "<!-- generated by `make docs` from {source}: edit the docstrings there -->"
END = "<!-- end of generated reference -->"


def _shapes() -> tuple[type[BaseModel], ...]:
    """Small records used in many places: documented once each, by name."""
    from sourcewise.reports.document import Distribution, MonthDistribution

    return (Distribution, MonthDistribution)


def _json_type(annotation: Any, shapes: set[type[BaseModel]]) -> str:
    """A reader's name for the JSON type of a document's field."""
    import enum
    import types
    import typing

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        kinds = [_json_type(a, shapes) for a in args if a is not type(None)]
        return " or ".join(kinds) + (" or null" if type(None) in args else "")
    if origin is list:
        return f"list of {_json_type(args[0], shapes)}"
    if origin is dict:
        return f"mapping to {_json_type(args[1], shapes)}"
    if origin is typing.Literal:
        return " or ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in _shapes():
            shapes.add(annotation)
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        return "object"
    return {str: "string", float: "number", int: "integer", bool: "true or false"}[annotation]


def _records(annotation: Any) -> list[tuple[str, type[BaseModel]]]:
    """The objects a field holds that have keys of their own, with the path suffix to reach
    them: "" for an object, "[]" for a list's items, "{}" for a mapping's values."""
    import typing

    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is list:
        return [("[]" + s, m) for s, m in _records(args[0])]
    if origin is dict:
        return [("{}" + s, m) for s, m in _records(args[1])]
    if origin is not None:
        return [found for a in args for found in _records(a)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [] if annotation in _shapes() else [("", annotation)]
    return []


def json_field_rows(
    model: type[BaseModel], shapes: set[type[BaseModel]], prefix: str = ""
) -> list[str]:
    """One table row per key of ``model``'s documents, by its full path."""
    rows = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        kind = _json_type(field.annotation, shapes)
        meaning = " ".join((field.description or "").split()).replace("|", "/")
        rows.append(f"| `{path}` | {kind} | {meaning} |")
        for suffix, inner in _records(field.annotation):
            rows += json_field_rows(inner, shapes, f"{path}{suffix}.")
    return rows


def json_reference(model: type[BaseModel], source: str) -> str:
    """The generated reference of a JSON document: every key by its path, then the shapes."""
    shapes: set[type[BaseModel]] = set()
    lines = [BEGIN.format(source=source), "", "| key | type | meaning |", "|---|---|---|"]
    lines += json_field_rows(model, shapes)
    for shape in sorted(shapes, key=lambda m: m.__name__):
        lines += ["", f"#### {shape.__name__}", "", " ".join((shape.__doc__ or "").split()), ""]
        lines += ["| key | type | meaning |", "|---|---|---|", *json_field_rows(shape, set())]
    return "\n".join([*lines, "", END])


def json_references() -> dict[str, str]:
    """The generated reference of each JSON document, by the doc it goes in."""
    from sourcewise.reports.decision_document import DecisionDocument
    from sourcewise.reports.estimate_document import CostEstimateDocument
    from sourcewise.reports.information_document import InformationDocument
    from sourcewise.reports.location_document import LocationDocument
    from sourcewise.reports.plan_document import PlanDocument
    from sourcewise.reports.simulation_document import SimulationDocument

    return {
        "decide-json.md": json_reference(
            DecisionDocument, "src/sourcewise/reports/decision_document.py"
        ),
        "simulate.md": json_reference(
            SimulationDocument, "src/sourcewise/reports/simulation_document.py"
        ),
        "optimise.md": json_reference(PlanDocument, "src/sourcewise/reports/plan_document.py"),
        "locations.md": json_reference(
            LocationDocument, "src/sourcewise/reports/location_document.py"
        ),
        "estimates.md": json_reference(
            CostEstimateDocument, "src/sourcewise/reports/estimate_document.py"
        ),
        "value-of-information.md": json_reference(
            InformationDocument, "src/sourcewise/reports/information_document.py"
        ),
    }


def with_reference(text: str, reference: str) -> str:
    """``text`` with its generated reference replaced by ``reference``."""
    start = text.index(reference.split(" from ", 1)[0])
    end = text.index(END, start) + len(END)
    return text[:start] + reference + text[end:]


def main() -> None:
    import importlib

    from sourcewise.cli import catalogue

    CATALOGUE.write_text(cli_catalogue(), encoding="utf-8")
    importlib.reload(catalogue)  # docs/cli.md lists the commands as written just now
    print("wrote src/sourcewise/cli/catalogue.py", file=sys.stderr)
    DOCS.mkdir(exist_ok=True)
    for name, text in (("cli.md", cli_markdown()), ("scenario.md", scenario_markdown())):
        (DOCS / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/{name}", file=sys.stderr)
    for name, reference in json_references().items():
        path = DOCS / name
        path.write_text(with_reference(path.read_text(encoding="utf-8"), reference), "utf-8")
        print(f"wrote the JSON reference in docs/{name}", file=sys.stderr)


if __name__ == "__main__":
    main()
