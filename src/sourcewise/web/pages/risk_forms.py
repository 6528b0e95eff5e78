"""Forms that add a risk to an engagement's register and edit one
(``/engagements/{name}/risks/new``, ``…/risks/{code}/edit``): analysts and admins only; the
register is internal, so refused to provider users whichever engagement is named.

The risk file's checks name the field at fault (``residual.impact``); mitigations are one a
line. A save over a newer version shows the risk as it is now with the conflict (409).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sourcewise.domain.problems import InputError
from sourcewise.governance.risks import RiskCategory, RiskStatus
from sourcewise.security.disclosure import Part
from sourcewise.services.edit_access import EditForbiddenError
from sourcewise.services.governance_store import NotFoundError
from sourcewise.services.record_versions import StaleEditError
from sourcewise.services.risk_editing import FIELDS, add_risk, edit_risk, risk_for_edit
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


LINES = ("mitigations",)
"""Fields given one item a line."""


def _page(
    request: Request,
    name: str,
    values: dict[str, Any],
    code: str | None = None,
    version: str = "",
    errors: dict[str, str] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    return form_page(
        request, "edit/risk.html", values, version, errors, conflict, status_code,
        engagement_name=name, code=code, fields=FIELDS,
        categories=[(c.value, c.value.replace("_", " ")) for c in RiskCategory],
        statuses=[(s.value, s.value) for s in RiskStatus],
        scale=[(str(n), str(n)) for n in range(1, 6)],
    )  # fmt: skip


@router.get("/engagements/{name:segment}/risks/new", response_class=HTMLResponse)
def new_risk(request: Request, name: str, principal: PageUser) -> Response:
    require_part(principal, Part.RISKS)
    require_writer(principal)
    return _page(request, name, {"status": "open"})


@router.post("/engagements/{name:segment}/risks/new", response_class=HTMLResponse)
async def add(request: Request, name: str, principal: PageUser) -> Response:
    require_part(principal, Part.RISKS)
    require_writer(principal)
    data = form_data(form_values(await request.form()), LINES)
    try:
        await run_in_threadpool(add_risk, uow_factory(request), principal, name, data)
    except InputError as error:
        return _page(request, name, form_fields(data, LINES), errors=field_errors(error.problems),
                     status_code=422)  # fmt: skip
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None
    return RedirectResponse(f"{engagement_path(name)}#risks", status_code=303)


@router.get("/engagements/{name:segment}/risks/{code:segment}/edit", response_class=HTMLResponse)
def risk_form(request: Request, name: str, code: str, principal: PageUser) -> Response:
    require_part(principal, Part.RISKS)
    require_writer(principal)
    try:
        _, shown = risk_for_edit(uow_factory(request), principal, name, code)
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None
    return _page(request, name, form_fields(shown.values, LINES), code, shown.version)


@router.post("/engagements/{name:segment}/risks/{code:segment}/edit", response_class=HTMLResponse)
async def save(request: Request, name: str, code: str, principal: PageUser) -> Response:
    require_part(principal, Part.RISKS)
    require_writer(principal)
    form = await request.form()
    data = form_data(form_values(form), LINES)
    version = str(form.get(VERSION_FIELD) or "")
    make_uow = uow_factory(request)
    try:
        await run_in_threadpool(edit_risk, make_uow, principal, name, code, data, version)
    except InputError as error:
        errors = field_errors(error.problems)
        return _page(
            request, name, form_fields(data, LINES), code, version, errors, status_code=422
        )
    except StaleEditError as error:
        _, now = await run_in_threadpool(risk_for_edit, make_uow, principal, name, code)
        return _page(request, name, form_fields(now.values, LINES), code, now.version,
                     conflict=str(error), status_code=409)  # fmt: skip
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None
    return RedirectResponse(f"{engagement_path(name)}#risk-{code}", status_code=303)
