"""Forms that add and edit an engagement's meetings (with their decisions and actions) and
audits (with their findings): ``/engagements/{name}/meetings/new``,
``…/meetings/{id}/edit``, and the same under ``audits``. Analysts and admins only.

The form's fields are the record file's (``actions[0].due_on``), so the file's checks name the
field at fault. Rows left blank are dropped (a spare row adds one, a cleared row removes it);
a form shown again after a problem shows the rows as read, numbered as the problems are. An
edit carries the version it was shown with: a record changed meanwhile is shown as it is now
with the conflict (409). The key fields (a meeting's kind, date and title; an audit's title
and date) identify the record and are fixed once it exists.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sourcewise.domain.problems import InputError
from sourcewise.governance.records import Severity
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import EditForbiddenError
from sourcewise.services.governance_store import NotFoundError
from sourcewise.services.record_editing import add_record, edit_record, record_for_edit
from sourcewise.services.record_versions import StaleEditError
from sourcewise.web.auth import PageUser, require_part, require_writer, uow_factory
from sourcewise.web.edit_forms import (
    VERSION_FIELD,
    field_errors,
    form_data,
    form_fields,
    form_page,
    form_values,
    refused,
)
from sourcewise.web.path_segments import engagement_path

router = APIRouter(include_in_schema=False)

SPARE_ROWS = 2
"""Blank rows offered under a list's rows, for adding to it."""
PARTS = {"meeting": Part.MEETINGS, "audit": Part.AUDITS}
ROWS = {"meeting": ("decisions", "actions"), "audit": ("findings",)}
SECTION = {"meeting": "meetings", "audit": "audits"}


def _rows(values: dict[str, Any], kind: str) -> dict[str, int]:
    """How many rows each list of the form shows: its rows and the spare ones."""
    out = {}
    for name in ROWS[kind]:
        found = [int(m[1]) for k in values if (m := re.match(rf"{name}\[(\d+)\]", k))]
        out[name] = (max(found) + 1 if found else 0) + SPARE_ROWS
    return out


LINES = ("attendees",)
"""Fields given one item a line."""


def _page(
    request: Request,
    kind: str,
    name: str,
    values: dict[str, Any],
    ident: str | None = None,
    version: str = "",
    errors: dict[str, str] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    return form_page(
        request, f"edit/{kind}.html", values, version, errors, conflict, status_code,
        engagement_name=name, rows=_rows(values, kind), ident=ident, section=SECTION[kind],
        severities=[s.value for s in Severity],
    )  # fmt: skip


def _allowed(principal: Principal, kind: str) -> None:
    require_part(principal, PARTS[kind])
    require_writer(principal)


def _new_form(kind: str) -> Callable[..., Response]:
    def new_form(request: Request, name: str, principal: PageUser) -> Response:
        _allowed(principal, kind)
        return _page(request, kind, name, {})

    return new_form


def _add(kind: str) -> Callable[..., Awaitable[Response]]:
    async def add(request: Request, name: str, principal: PageUser) -> Response:
        _allowed(principal, kind)
        form = await request.form()
        data = form_data(form_values(form), LINES)
        try:
            await run_in_threadpool(add_record, uow_factory(request), principal, kind, name, data)
        except InputError as error:
            errors = field_errors(error.problems)
            return _page(
                request, kind, name, form_fields(data, LINES), errors=errors, status_code=422
            )
        except (EditForbiddenError, NotFoundError) as error:
            raise refused(error) from None
        return RedirectResponse(f"{engagement_path(name)}#{SECTION[kind]}", status_code=303)

    return add


def _edit_form(kind: str) -> Callable[..., Response]:
    def edit_form(request: Request, name: str, ident: str, principal: PageUser) -> Response:
        _allowed(principal, kind)
        try:
            _, shown = record_for_edit(uow_factory(request), principal, kind, name, ident)
        except (EditForbiddenError, NotFoundError) as error:
            raise refused(error) from None
        return _page(request, kind, name, form_fields(shown.values, LINES), ident, shown.version)

    return edit_form


def _save(kind: str) -> Callable[..., Awaitable[Response]]:
    async def save(request: Request, name: str, ident: str, principal: PageUser) -> Response:
        _allowed(principal, kind)
        form = await request.form()
        data = form_data(form_values(form), LINES)
        version = str(form.get(VERSION_FIELD) or "")
        make_uow = uow_factory(request)
        try:
            await run_in_threadpool(
                edit_record, make_uow, principal, kind, name, ident, data, version
            )
        except InputError as error:
            errors = field_errors(error.problems)
            return _page(
                request,
                kind,
                name,
                form_fields(data, LINES),
                ident,
                version,
                errors,
                status_code=422,
            )
        except StaleEditError as error:
            _, now = await run_in_threadpool(
                record_for_edit, make_uow, principal, kind, name, ident
            )
            return _page(
                request, kind, name, form_fields(now.values, LINES), ident, now.version,
                conflict=str(error), status_code=409,
            )  # fmt: skip
        except (EditForbiddenError, NotFoundError) as error:
            raise refused(error) from None
        return RedirectResponse(f"{engagement_path(name)}#{SECTION[kind]}", status_code=303)

    return save


for _kind, _plural in SECTION.items():
    _base = f"/engagements/{{name:segment}}/{_plural}"
    router.add_api_route(f"{_base}/new", _new_form(_kind), response_class=HTMLResponse)
    router.add_api_route(f"{_base}/new", _add(_kind), methods=["POST"], response_class=HTMLResponse)
    router.add_api_route(f"{_base}/{{ident}}/edit", _edit_form(_kind), response_class=HTMLResponse)
    router.add_api_route(
        f"{_base}/{{ident}}/edit", _save(_kind), methods=["POST"], response_class=HTMLResponse
    )
