"""What the edit forms and the editing API share: a form's flat fields as the nested data a
file would hold, problems as errors by field, and versions as ETag and If-Match.

Form fields are named by their place in the record's file (``target``,
``engagement.start``, ``actions[0].due_on``), so a problem the file's validation finds at
``actions[0].due_on`` is shown next to that field. A blank field is left out, as an absent
key is in a file: the file's default applies, or "is required" if it has none. A row of a
list whose fields are all blank (the spare row a form offers for adding one) is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response

from sourcewise.domain.problems import Problem, parse_path
from sourcewise.services.edit_access import EditForbiddenError
from sourcewise.services.governance_store import NotFoundError
from sourcewise.services.record_versions import StaleEditError, normalise
from sourcewise.web.problems import ApiError
from sourcewise.web.templating import render

VERSION_FIELD = "version"
SKIPPED = frozenset({"csrf_token", VERSION_FIELD})


def form_values(form: FormData, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The form's fields by name (a repeated name gives a list), without blank ones and
    without the CSRF token, the version and ``skip``."""
    out: dict[str, Any] = {}
    ignored = SKIPPED | set(skip)
    for name in form:
        if name in ignored:
            continue
        values = [v.strip() for v in form.getlist(name) if isinstance(v, str)]
        values = [v for v in values if v]
        if not values:
            continue
        out[name] = values if len(values) > 1 or name.endswith("[]") else values[0]
    return {k.removesuffix("[]"): v for k, v in out.items()}


def nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"actions[0].text": "x"}`` as ``{"actions": [{"text": "x"}]}``; list rows in index
    order, all-blank rows dropped."""
    root: dict[str, Any] = {}
    for name, value in values.items():
        path = parse_path(name)
        node: Any = root
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = value
    data: dict[str, Any] = _lists(root)
    return data


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_lists(node[k]) for k in sorted(node) if node[k] not in ({}, None)]
    return {k: _lists(v) for k, v in node.items()}


def field_errors(problems: Iterable[Problem]) -> dict[str, str]:
    """Messages by form field; problems at the same field joined."""
    out: dict[str, str] = {}
    for p in problems:
        out[p.path] = f"{out[p.path]}; {p.message}" if p.path in out else p.message
    return out


def etag(version: str) -> str:
    return f'"{version}"'


def if_match(header: str | None) -> str:
    """The version an API edit starts from; 428 without one (an edit must say what it
    saw)."""
    given = normalise(header)
    if not given or given == "*":
        raise ApiError(
            428,
            "Precondition required",
            "send the record's ETag in If-Match (GET it first), so that a change made by "
            "someone else meanwhile is not overwritten",
        )
    return given


def conflict(error: StaleEditError) -> ApiError:
    """409 naming what changed; the current version in the ETag header."""
    return ApiError(409, "Edit conflict", str(error), headers={"ETag": etag(error.current)})


def flat(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The inverse of ``nested``: ``{"actions": [{"text": "x"}]}`` as
    ``{"actions[0].text": "x"}``; a list of plain values stays a list (``attendees``)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            out.update(flat(value, name))
        elif isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    out.update(flat(item, f"{name}[{index}]"))
                else:
                    out[f"{name}[{index}]"] = item
        elif isinstance(value, list) and key == "decisions":
            out.update({f"{name}[{i}]": v for i, v in enumerate(value)})
        else:
            out[name] = value
    return out


@contextmanager
def refusals() -> Iterator[None]:
    """An editing service's refusals as answers (a page or a problem document): a stale
    version 409 with the current ``ETag``, a role that may not 403, nothing to edit 404."""
    try:
        yield
    except StaleEditError as error:
        raise conflict(error) from None
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None


def refused(error: EditForbiddenError | LookupError) -> ApiError:
    """403 for a role that may not make the change, 404 for nothing to change."""
    if isinstance(error, EditForbiddenError):
        return ApiError(403, "Forbidden", str(error))
    return ApiError(404, "Not found", str(error.args[0]) if error.args else "")


def form_data(values: Mapping[str, Any], lines: Iterable[str] = ()) -> dict[str, Any]:
    """A form's fields as the record file's data (``nested``); each field of ``lines`` (a
    textarea with one item a line: attendees, mitigations) as the list of its lines."""
    data = nested(values)
    for name in lines:
        text = data.get(name)
        if isinstance(text, str):
            data[name] = [line.strip() for line in text.splitlines() if line.strip()]
    return data


def form_fields(data: Mapping[str, Any], lines: Iterable[str] = ()) -> dict[str, Any]:
    """The inverse of ``form_data``: what a form shows of the record file's data."""
    joined = {name: data[name] for name in lines if isinstance(data.get(name), list)}
    values = flat({k: v for k, v in data.items() if k not in joined})
    values.update({name: "\n".join(items) for name, items in joined.items()})
    return values


def form_page(
    request: Any,
    template: str,
    values: Mapping[str, Any],
    version: str = "",
    errors: Mapping[str, str] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    """An edit form: its values, the version it edits, each field's problem and a conflict
    (a newer version saved meanwhile), with the page's own ``extra`` values."""
    return render(
        request,
        template,
        status_code=status_code,
        values=values,
        version=version,
        errors=errors or {},
        conflict=conflict,
        **extra,
    )
