"""What would break a client of ``/api/v1`` (docs/api.md, "What may change"): comparing the
published OpenAPI document (docs/openapi.json) with the app's, every operation removed, every
published response model removed or renamed, every field of one removed or renamed.

A response model is published when a 2xx answer of an operation refers to it, directly or
through the models it holds. Additions (operations, models, fields) are not breaks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

REF = "#/components/schemas/"
METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


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
    notice: an operation gone, a published model gone, a field of one gone."""
    problems = [
        f"operation removed: {op}" for op in sorted(operations(published) - operations(current))
    ]
    before = published.get("components", {}).get("schemas", {})
    after = current.get("components", {}).get("schemas", {})
    for name in sorted(published_models(published)):
        if name not in after:
            problems.append(f"response model removed or renamed: {name}")
            continue
        kept = set(after[name].get("properties", {}))
        for field in sorted(set(before[name].get("properties", {})) - kept):
            problems.append(f"field removed or renamed: {name}.{field}")
    return problems
