"""Read a governance YAML file (engagement, risks, audit, survey, meeting, pilot) into a
pydantic model, with every problem reported at its file, line and field.

Each file kind defines its model; this module does the reading, the validation and the
"did you mean" hints for unknown keys, the same way scenario files do.
"""

from __future__ import annotations

import difflib
from pathlib import Path as FsPath
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from sourcewise.adapters.yaml_source import SourceDocument, read_yaml
from sourcewise.domain.problems import Path, Problem

Model = TypeVar("Model", bound=BaseModel)


class Strict(BaseModel):
    """Unknown keys are errors (a misspelt field must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of ``model`` and of the models nested in it."""
    names: set[str] = set()
    pending: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            names.add(name)
            pending.extend(_nested_models(info.annotation))
    return names


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in getattr(annotation, "__args__", ()) or ():
        found.extend(_nested_models(argument))
    return found


def _friendly(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    return str(error["msg"]).removeprefix("Value error, ")


def problems_from(error: ValidationError, doc: SourceDocument, known: set[str]) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc: Path = tuple(item["loc"])
        message = _friendly(item)
        if item["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown field '{loc[-1]}'{hint}"
        problems.append(doc.problem(loc, message))
    return sorted(problems, key=lambda p: (p.line or 0, p.path))


def load_model(path: FsPath, model: type[Model]) -> tuple[Model | None, SourceDocument]:
    """The validated model, or None with every problem in ``doc.problems``."""
    doc = read_yaml(path)
    if doc.problems or doc.data is None:
        return None, doc
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        doc.problems.append(Problem(doc.file, 1, "", f"expected a mapping at the top, got {kind}"))
        return None, doc
    try:
        return model.model_validate(doc.data), doc
    except ValidationError as error:
        doc.problems.extend(problems_from(error, doc, field_names(model)))
        return None, doc
