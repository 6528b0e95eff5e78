"""Models of the records the API answers as stored (``governance_store.as_json`` of a frozen
dataclass): an engagement, a risk, audits, surveys, meetings, pilots and their evaluation.

Each model is derived from the record's dataclass, field by field, so the published schema
cannot drift from the JSON (``as_json`` walks the same fields): a Decimal is an exact decimal
string, a date or time an ISO 8601 string, an enum its value; the descriptions are the
dataclass's own attribute docstrings with the unit its type implies.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import itertools
import textwrap
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, create_model

NAMED_UNITS = {
    "currency": "ISO 4217 currency code.",
    "home_country": "ISO 3166-1 alpha-2 code.",
    "country": "ISO 3166-1 alpha-2 code.",
}


def document_of(
    record: type,
    *,
    nullable_floats: bool = False,
    omittable: Sequence[str] = (),
    replace: Mapping[str, tuple[Any, str]] | None = None,
    exclude: Sequence[str] = (),
    name: str | None = None,
) -> type[BaseModel]:
    """The model of ``as_json(record)``, named ``<Record>Document`` (or ``name``).

    ``nullable_floats``: a number may be null (an answer that turns an infinite interval end
    into null). ``omittable``: top-level fields a role may not be shown (absent, not null).
    ``replace``: fields the answer writes otherwise than ``as_json``, as (type, description).
    ``exclude``: fields the answer leaves out.
    """
    changed = tuple(sorted((replace or {}).items()))
    return _derive(record, nullable_floats, tuple(omittable), changed, tuple(exclude), name)


@functools.cache
def _derive(
    record: type,
    nullable_floats: bool,
    omittable: tuple[str, ...] = (),
    replace: tuple[tuple[str, tuple[Any, str]], ...] = (),
    exclude: tuple[str, ...] = (),
    name: str | None = None,
) -> type[BaseModel]:
    hints = typing.get_type_hints(record)
    notes = _attribute_docstrings(record)
    changed = dict(replace)
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(record):
        if field.name in exclude:
            continue
        hint = hints[field.name]
        if field.name in changed:
            kind, description = changed[field.name]
        else:
            kind = _json_type(hint, nullable_floats)
            description = _describe(field.name, hint, notes)
        if field.name in omittable:
            description += " Absent for the roles not shown it."
            fields[field.name] = (kind | None, Field(None, description=description))
        else:
            fields[field.name] = (kind, Field(description=description))
    suffix = "Document" if not nullable_floats else "Report"
    model: type[BaseModel] = create_model(
        name or f"{record.__name__}{suffix}",
        __config__=ConfigDict(extra="forbid"),
        __doc__=inspect.cleandoc(record.__doc__ or record.__name__),
        **fields,
    )
    return model


def _json_type(hint: Any, nullable_floats: bool) -> Any:
    """The type ``as_json`` turns a value of ``hint`` into."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is type(None):
        return hint
    if origin in (Union, types.UnionType):
        converted = tuple(_json_type(a, nullable_floats) for a in args)
        return functools.reduce(lambda a, b: a | b, converted)
    if origin is Literal:
        return hint
    if origin in (tuple, list, Sequence, frozenset, set):
        if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
            return list[Any]  # a fixed tuple of mixed parts (an action, owner, due, done)
        return list[_json_type(args[0], nullable_floats)] if args else list[Any]  # type: ignore[misc]
    if origin in (dict, Mapping) or hint in (dict, Mapping):
        value = _json_type(args[1], nullable_floats) if args else Any
        return dict[str, value]  # type: ignore[valid-type]
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            return _derive(hint, nullable_floats)
        if issubclass(hint, Enum):
            return Literal[tuple(m.value for m in hint)]
        if issubclass(hint, Decimal | datetime | date | str):
            return str
        if issubclass(hint, bool | int):
            return hint
        if issubclass(hint, float):
            return float | None if nullable_floats else float
    return Any


def _describe(name: str, hint: Any, notes: Mapping[str, str]) -> str:
    parts = [notes[name]] if name in notes else []
    if name in NAMED_UNITS:
        parts.append(NAMED_UNITS[name])
    elif name.endswith("_pct"):
        parts.append("Percentage points (100 = 100 %), exact decimal string.")
    else:
        plain = {a for a in (get_args(hint) or (hint,)) if isinstance(a, type)}
        if plain & {datetime}:
            parts.append("ISO 8601 date-time.")
        elif plain & {date}:
            parts.append("ISO 8601 date.")
        elif plain & {Decimal}:
            parts.append("Exact decimal string.")
    return " ".join(parts) or name.replace("_", " ").capitalize() + "."


def _attribute_docstrings(record: type) -> dict[str, str]:
    """A dataclass's ``field: type`` lines followed by a docstring, as field → text."""
    notes: dict[str, str] = {}
    for cls in reversed(record.__mro__[:-1]):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for line, following in itertools.pairwise(body):
            if (
                isinstance(line, ast.AnnAssign)
                and isinstance(line.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                notes[line.target.id] = " ".join(following.value.value.split())
    return notes
