"""Closing a corrective-action plan from the engagement page (analysts and admins): a POST with
the session's CSRF token and a note, logged in the audit log as the user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.security.disclosure import Part
from sourcewise.services.corrective_actions import (
    MAX_NOTE,
    PlanClosedError,
    PlanError,
    close_plan,
)
from sourcewise.web.api.runs import MAX_ID
from sourcewise.web.auth import (
    PageUser,
    require_part,
    require_writer,
    uow_factory,
    visible_engagement,
)
from sourcewise.web.path_segments import engagement_path
from sourcewise.web.problems import ApiError

router = APIRouter(include_in_schema=False)


@router.post(
    "/engagements/{name:segment}/corrective-actions/{plan_id}/close",
    response_class=HTMLResponse,
)
def close(
    request: Request,
    name: str,
    principal: PageUser,
    plan_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    note: Annotated[str, Form(max_length=MAX_NOTE)],
) -> Response:
    require_part(principal, Part.CORRECTIVE_ACTIONS)
    make_uow = uow_factory(request)
    found = visible_engagement(make_uow, principal, name)
    require_writer(principal)
    try:
        close_plan(make_uow, plan_id, principal.username, note, engagement=found.name)
    except ValueError as error:
        raise ApiError(422, "Unprocessable", str(error)) from None
    except PlanClosedError as error:
        raise ApiError(409, "Conflict", str(error)) from None
    except PlanError as error:
        raise ApiError(404, "Not found", str(error)) from None
    return RedirectResponse(f"{engagement_path(found.name)}#corrective_actions", status_code=303)
