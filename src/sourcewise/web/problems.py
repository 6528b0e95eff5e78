"""Errors as ``application/problem+json`` (RFC 9457), naming the fields at fault."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sourcewise.domain.problems import Problem as FileProblem

PROBLEM_JSON = "application/problem+json"


class ProblemEntry(BaseModel):
    """One thing at fault: a request field, or a line and field of an uploaded file."""

    model_config = ConfigDict(extra="allow")

    field: str | None = Field(
        None, description="The field at fault: 'query.limit', 'body.name', a file's 'kpi'."
    )
    message: str | None = Field(None, description="What is wrong with it.")
    file: str | None = Field(None, description="The uploaded file's name, for a file problem.")
    line: int | None = Field(None, description="The file's line (1-based), for a file problem.")


class Problem(BaseModel):
    """An error, as ``application/problem+json`` (RFC 9457)."""

    type: str = Field("about:blank", description="Always about:blank: the status says it.")
    title: str = Field(description="The kind of error, e.g. 'Not found'.")
    status: int = Field(description="The HTTP status code, repeated.")
    detail: str | None = Field(None, description="What happened, for a person to read.")
    errors: list[ProblemEntry] | None = Field(
        None, description="Every field or file line at fault, all at once (422)."
    )


ERRORS: dict[int, str] = {
    400: "The request cannot be answered as asked (the detail says why).",
    401: "Not signed in: send 'Authorization: Bearer <token>' or a session cookie.",
    403: "The signed-in role may not do this, or a cookie-authenticated change failed the "
    "CSRF check.",
    404: "No such resource, or one this user may not see (the two answer alike).",
    409: "A conflict with the stored state: changed since the ETag sent, or already done.",
    413: "The body is larger than the server accepts.",
    415: "The body's Content-Type is not one the operation reads.",
    422: "Invalid request or file: every field (or file line) at fault is listed in errors.",
    428: "An edit needs the ETag of the GET it starts from in If-Match.",
    429: "Too many queued jobs: retry after Retry-After seconds.",
    500: "An unexpected server error (logged; nothing of it is shown).",
}
"""What each error status means across the API (OpenAPI response descriptions)."""


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting these error statuses as problem documents."""
    return {status: problem_doc(status) for status in statuses}


def problem_doc(status: int) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/Problem"}
    return {"description": ERRORS[status], "content": {PROBLEM_JSON: {"schema": schema}}}


class ApiError(Exception):
    """Raised by API routes; rendered as a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        errors: Sequence[dict[str, Any]] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail = status, title, detail
        self.errors = list(errors)
        self.headers = headers


def problem_response(
    status: int,
    title: str,
    detail: str = "",
    errors: Iterable[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    listed = list(errors)
    if listed:
        body["errors"] = listed
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def input_errors(problems: Iterable[FileProblem]) -> list[dict[str, Any]]:
    """File problems as problem-document entries: file, line, field, message."""
    return [
        {"file": p.file, "line": p.line, "field": p.path, "message": p.message} for p in problems
    ]
