"""Errors as ``application/problem+json`` (RFC 9457), naming the fields at fault."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import JSONResponse

from sourcewise.domain.problems import Problem

PROBLEM_JSON = "application/problem+json"


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


def input_errors(problems: Iterable[Problem]) -> list[dict[str, Any]]:
    """File problems as problem-document entries: file, line, field, message."""
    return [
        {"file": p.file, "line": p.line, "field": p.path, "message": p.message} for p in problems
    ]
