"""What changed between two versions of a scenario, field by field.

Models are compared as flat paths to leaf values. Lists whose items all carry a distinct
``name`` (functions, options, sites) are matched by name, not by position, so inserting an
option reports one added option rather than every later option as changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Change = Literal["changed", "added", "removed"]
_MISSING = object()


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: str
    """``functions[Customer service].options[Mexico BPO].hourly_rate.mode``."""
    change: Change
    before: Any = None
    after: Any = None


def _named(items: list[Any]) -> bool:
    names = [i.get("name") for i in items if isinstance(i, dict)]
    return (
        len(names) == len(items)
        and all(isinstance(n, str) and n for n in names)
        and len(set(names)) == len(names)
    )


def flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of ``value`` with its path; empty mappings and lists are leaves too."""
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value:
        if _named(value):
            for item in value:
                yield from flatten(item, f"{prefix}[{item['name']}]")
        else:
            for index, item in enumerate(value):
                yield from flatten(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def diff_models(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Every leaf that differs, in the order the fields appear (``before``'s, then new ones)."""
    old = dict(flatten(before))
    new = dict(flatten(after))
    changes = []
    for path, value in old.items():
        other = new.get(path, _MISSING)
        if other is _MISSING:
            changes.append(FieldChange(path, "removed", before=value))
        elif other != value:
            changes.append(FieldChange(path, "changed", before=value, after=other))
    changes += [FieldChange(p, "added", after=v) for p, v in new.items() if p not in old]
    return changes


def source_of(model: Mapping[str, Any], path: str) -> str | None:
    """The ``source`` the model gives at ``path`` or at its nearest ancestor that has one (an
    uncertain input's distribution carries its own)."""
    node: Any = model
    found: str | None = None
    for step in _steps(path):
        if isinstance(node, Mapping):
            given = node.get("source")
            if isinstance(given, str) and given.strip():
                found = given.strip()
        node = _child(node, step)
        if node is _MISSING:
            break
    if isinstance(node, Mapping):
        given = node.get("source")
        if isinstance(given, str) and given.strip():
            found = given.strip()
    return found


def _steps(path: str) -> Iterator[str]:
    """``a.b[x].c`` → ``a``, ``b``, ``[x]``, ``c``."""
    token = ""
    depth = 0
    for char in path:
        if char == "[" and depth == 0:
            if token:
                yield token
            token, depth = "[", 1
        elif char == "]" and depth == 1:
            yield token + "]"
            token, depth = "", 0
        elif char == "." and depth == 0:
            if token:
                yield token
            token = ""
        else:
            token += char
    if token:
        yield token


def _child(node: Any, step: str) -> Any:
    if step.startswith("[") and isinstance(node, list):
        key = step[1:-1]
        if _named(node):
            return next((i for i in node if i["name"] == key), _MISSING)
        return node[int(key)] if key.isdigit() and int(key) < len(node) else _MISSING
    if isinstance(node, Mapping):
        return node.get(step, _MISSING)
    return _MISSING


def path_in_file(model: Mapping[str, Any], path: str) -> tuple[str | int, ...]:
    """``path`` with named list items replaced by their positions in ``model``: the path a
    parsed file's line table uses."""
    node: Any = model
    out: list[str | int] = []
    for step in _steps(path):
        if step.startswith("[") and isinstance(node, list):
            key = step[1:-1]
            if _named(node):
                index = next((i for i, item in enumerate(node) if item["name"] == key), None)
            else:
                index = int(key) if key.isdigit() else None
            if index is None:
                break
            out.append(index)
            node = node[index]
        else:
            out.append(step)
            node = node.get(step) if isinstance(node, Mapping) else None
    return tuple(out)
