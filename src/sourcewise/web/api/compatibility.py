"""What would break a client of ``/api/v1`` (docs/api.md, "What may change"): comparing the
published OpenAPI document (docs/openapi.json) with the app's, every operation removed, every
published response model removed or renamed, every field of one removed or renamed, no longer
always present, or of another type (a client parses it by its published type).

A response model is published when a 2xx answer of an operation refers to it, directly or
through the models it holds. Additions (operations, models, fields) are not breaks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

REF = "#/components/schemas/"
METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})
# What a field's schema says a client will parse; titles, descriptions, bounds and examples are
# documentation. Enum values are left out: adding one is an addition the policy allows.
SHAPE_KEYS = ("type", "$ref", "format")
SHAPE_LISTS = ("anyOf", "oneOf", "allOf")
SHAPE_NESTED = ("items", "additionalProperties")


def _refs(node: Any) -> Iterator[str]:
    """The names of the component schemas ``node`` refers to, at any depth."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            yield ref.removeprefix(REF)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def shape(schema: Any) -> str:
    """A field's type as a client reads it, canonical: ``{"type": "string"}`` and the same with
    another description have the same shape; a string that became a number does not."""

    def reduce(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {key: node[key] for key in SHAPE_KEYS if key in node}
        for key in SHAPE_LISTS:
            if key in node:
                out[key] = sorted(json.dumps(reduce(n), sort_keys=True) for n in node[key])
        for key in SHAPE_NESTED:
            if isinstance(node.get(key), dict):
                out[key] = reduce(node[key])
        return out

    return json.dumps(reduce(schema), sort_keys=True)


def operations(document: dict[str, Any]) -> set[str]:
    """Every operation as ``METHOD path``."""
    return {
        f"{method.upper()} {path}"
        for path, item in document.get("paths", {}).items()
        for method in item
        if method in METHODS
    }


def published_models(document: dict[str, Any]) -> set[str]:
    """The component schemas a 2xx answer refers to, and those they refer to in turn."""
    schemas = document.get("components", {}).get("schemas", {})
    answers = [
        response
        for item in document.get("paths", {}).values()
        for method, operation in item.items()
        if method in METHODS
        for status, response in operation.get("responses", {}).items()
        if status.startswith("2")
    ]
    found: set[str] = set()
    waiting = list(_refs(answers))
    while waiting:
        name = waiting.pop()
        if name not in found and name in schemas:
            found.add(name)
            waiting.extend(_refs(schemas[name]))
    return found


def breaking_changes(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Each change from ``published`` to ``current`` that a client of ``published`` would
    notice: an operation gone, a published model gone, a field of one gone, optional or of
    another type."""
    problems = [
        f"operation removed: {op}" for op in sorted(operations(published) - operations(current))
    ]
    before = published.get("components", {}).get("schemas", {})
    after = current.get("components", {}).get("schemas", {})
    for name in sorted(published_models(published)):
        if name not in after:
            problems.append(f"response model removed or renamed: {name}")
            continue
        was, now = before[name].get("properties", {}), after[name].get("properties", {})
        for field in sorted(set(was) - set(now)):
            problems.append(f"field removed or renamed: {name}.{field}")
        for field in sorted(
            set(before[name].get("required", ())) - set(after[name].get("required", ()))
        ):
            if field in now:
                problems.append(f"field no longer always present: {name}.{field}")
        for field in sorted(set(was) & set(now)):
            if shape(was[field]) != shape(now[field]):
                problems.append(f"field type changed: {name}.{field}")
    return problems
