"""The OpenAPI document, completed where FastAPI cannot know: every ``/api/`` operation lists
the problem documents (``application/problem+json``) it may answer, and every list names the
fields its ``sort`` accepts.

What an operation may answer is read from its shape (a path parameter: 404; a body: 413 and
422; an upload: 415; ``If-Match``: 409 and 428; a queued job: 429; a signed-in user: 401 and
403); what only its handler knows (a 400, a 409 of a closed plan, a 404 from a filter) it
declares itself with ``responses=problems(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from sourcewise.web.api.pagination import SORTABLE, route_sort_fields
from sourcewise.web.auth import api_user
from sourcewise.web.problems import Problem, ProblemEntry, problem_doc

UNSAFE = ("post", "put", "patch", "delete")


def api_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's document: FastAPI's (which it builds once and keeps), completed once."""
    document = FastAPI.openapi(app)
    if app.state.__dict__.get("_completed_openapi") is not document:
        complete(document, app)
        app.state._completed_openapi = document
    return document


def complete(document: dict[str, Any], app: FastAPI) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, ProblemEntry):
        schemas[model.__name__] = model.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
    routes = {(r.path_format, m.lower()): r for r in _api_routes(app) for m in r.methods or ()}
    for path, item in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            route = routes.get((path, method))
            if route is not None:
                _add_problems(operation, method, route)
                _name_sort_fields(operation, route)
    # FastAPI's own validation-error schemas describe an answer this API never gives.
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _api_routes(app: FastAPI) -> Iterator[APIRoute]:
    """The app's operations, those of included routers too (FastAPI includes them lazily)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema:
            yield route


def _add_problems(operation: dict[str, Any], method: str, route: APIRoute) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody")
    statuses = {500}
    if _needs(route.dependant, api_user):
        statuses |= {401, 403}
    if any(p["in"] == "path" for p in parameters):
        statuses.add(404)
    if parameters or body:
        statuses.add(422)
    if body:
        statuses.add(413)
        if set(body.get("content", {})) - {"application/json"}:
            statuses.add(415)
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in parameters):
        statuses |= {409, 428}
    if method == "post" and "202" in responses:
        statuses.add(429)
    if method in UNSAFE and 401 in statuses:
        statuses.add(403)  # a cookie-authenticated change without its CSRF token
    for status in sorted(statuses):
        key = str(status)
        if key == "422" or key not in responses:
            # FastAPI's 422 describes its default validation error, not this API's problem.
            responses[key] = problem_doc(status)
        else:
            responses[key].setdefault("content", problem_doc(status)["content"])


def _needs(dependant: Dependant, call: Any) -> bool:
    return any(d.call is call or _needs(d, call) for d in dependant.dependencies)


def _name_sort_fields(operation: dict[str, Any], route: APIRoute) -> None:
    parameters = operation.get("parameters", [])
    sort = next((p for p in parameters if p["in"] == "query" and p["name"] == "sort"), None)
    if sort is None:
        return
    fields = list(route_sort_fields(route))
    operation[SORTABLE] = fields
    named = ", ".join(fields) if fields else "none: the list has one order"
    sort["description"] = f"{sort.get('description', '')} Fields: {named}."
    if SORTABLE in (route.openapi_extra or {}):
        return  # the route's own sort parameter, as it declares it
    if fields:
        choice = "|".join(field.replace(".", r"\.") for field in fields)
        pattern = f"^-?({choice})(,-?({choice}))*$"
        sort["schema"] = {**_string_of(sort["schema"]), "pattern": pattern}
    else:
        sort["schema"] = {**_string_of(sort["schema"]), "maxLength": 0}


def _string_of(schema: dict[str, Any]) -> dict[str, Any]:
    """The string branch of ``str | None``'s schema (``anyOf`` string, null)."""
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "string":
            return {k: v for k, v in branch.items() if k != "pattern"}
    return {"type": "string"}
