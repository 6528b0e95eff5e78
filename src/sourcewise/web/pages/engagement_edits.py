"""Adding an engagement in the browser (``/new-engagement``) and editing one: its core fields
and credit terms (``/engagements/{name}/edit``) and one service level
(``…/service-levels/{level}/edit``).

Analysts and admins only (viewers and provider users get 403). The form carries the version
it was shown with; a save over a newer version shows the current values with the conflict
(409), a save with problems shows each next to its field (422). Both save nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sourcewise.domain.problems import InputError
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import EditForbiddenError
from sourcewise.services.engagement_editing import (
    CORE_FIELDS,
    NEW_FIELDS,
    SERVICE_LEVEL_FIELDS,
    Editable,
    create_engagement,
    edit_engagement,
    edit_service_level,
    engagement_for_edit,
    providers,
    service_level_for_edit,
)
from sourcewise.services.governance_store import NotFoundError
from sourcewise.services.record_versions import StaleEditError
from sourcewise.web.auth import PageUser, require_writer, uow_factory
from sourcewise.web.edit_forms import VERSION_FIELD, field_errors, form_page, form_values, refused
from sourcewise.web.path_segments import engagement_path

router = APIRouter(include_in_schema=False)


def _level_form(
    request: Request,
    name: str,
    level: str,
    editable: Editable,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    shown = values if values is not None else editable.values
    return form_page(
        request, "edit/service_level.html", shown, editable.version, errors, conflict,
        status_code, engagement_name=name, level=level, fields=SERVICE_LEVEL_FIELDS,
        metric=editable.values.get("metric", ""),
    )  # fmt: skip


def _editable_level(request: Request, principal: Principal, name: str, level: str) -> Editable:
    require_writer(principal)
    try:
        return service_level_for_edit(uow_factory(request), principal, name, level)
    except LookupError as error:
        raise refused(error) from None


@router.get("/engagements/{name:segment}/service-levels/{level:segment}/edit")
def service_level_form(request: Request, name: str, level: str, principal: PageUser) -> Response:
    return _level_form(request, name, level, _editable_level(request, principal, name, level))


@router.post(
    "/engagements/{name:segment}/service-levels/{level:segment}/edit",
    response_class=HTMLResponse,
)
async def save_service_level(
    request: Request, name: str, level: str, principal: PageUser
) -> Response:
    require_writer(principal)
    form = await request.form()
    values = form_values(form)
    version = str(form.get(VERSION_FIELD) or "")
    try:
        await run_in_threadpool(
            edit_service_level, uow_factory(request), principal, name, level, values, version
        )
    except InputError as error:
        editable = await run_in_threadpool(_editable_level, request, principal, name, level)
        shown = {**editable.values, **{f: None for f in SERVICE_LEVEL_FIELDS}, **values}
        return _level_form(
            request, name, level, Editable(editable.values, version), shown,
            field_errors(error.problems), status_code=422,
        )  # fmt: skip
    except StaleEditError as error:
        editable = await run_in_threadpool(_editable_level, request, principal, name, level)
        return _level_form(request, name, level, editable, conflict=str(error), status_code=409)
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None
    return RedirectResponse(f"{engagement_path(name)}#sla", status_code=303)


def _engagement_form(
    request: Request,
    name: str,
    editable: Editable,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    shown = values if values is not None else editable.values
    return form_page(
        request, "edit/engagement.html", shown, editable.version, errors, conflict,
        status_code, engagement_name=name, fields=CORE_FIELDS,
    )  # fmt: skip


def _editable_engagement(request: Request, principal: Principal, name: str) -> Editable:
    require_writer(principal)
    try:
        return engagement_for_edit(uow_factory(request), principal, name)
    except LookupError as error:
        raise refused(error) from None


@router.get("/engagements/{name:segment}/edit", response_class=HTMLResponse)
def engagement_form(request: Request, name: str, principal: PageUser) -> Response:
    return _engagement_form(request, name, _editable_engagement(request, principal, name))


@router.post("/engagements/{name:segment}/edit", response_class=HTMLResponse)
async def save_engagement(request: Request, name: str, principal: PageUser) -> Response:
    require_writer(principal)
    form = await request.form()
    values = form_values(form)
    version = str(form.get(VERSION_FIELD) or "")
    try:
        await run_in_threadpool(
            edit_engagement, uow_factory(request), principal, name, values, version
        )
    except InputError as error:
        editable = await run_in_threadpool(_editable_engagement, request, principal, name)
        return _engagement_form(
            request, name, Editable(editable.values, version), values,
            field_errors(error.problems), status_code=422,
        )  # fmt: skip
    except StaleEditError as error:
        editable = await run_in_threadpool(_editable_engagement, request, principal, name)
        return _engagement_form(request, name, editable, conflict=str(error), status_code=409)
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None
    return RedirectResponse(engagement_path(name), status_code=303)


def _new_form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return form_page(
        request, "edit/new_engagement.html", values, errors=errors, status_code=status_code,
        fields=(*NEW_FIELDS, "provider"),
        providers=[(p, p) for p in providers(uow_factory(request))],
    )  # fmt: skip


@router.get("/new-engagement", response_class=HTMLResponse)
def new_engagement_form(request: Request, principal: PageUser) -> Response:
    """A new engagement (its own path: ``/engagements/new`` would hide an engagement named
    "new")."""
    require_writer(principal)
    return _new_form(request, {})


@router.post("/new-engagement", response_class=HTMLResponse)
async def add_engagement(request: Request, principal: PageUser) -> Response:
    require_writer(principal)
    values = form_values(await request.form())
    provider = str(values.pop("provider", ""))
    try:
        added = await run_in_threadpool(
            create_engagement, uow_factory(request), principal, provider, values
        )
    except InputError as error:
        shown = {**values, "provider": provider}
        return _new_form(request, shown, field_errors(error.problems), status_code=422)
    except EditForbiddenError as error:
        raise refused(error) from None
    return RedirectResponse(engagement_path(added.name), status_code=303)
