"""Closing a meeting's action (``/engagements/{name}/meetings/{id}/actions/{n}/done``) and
ticking a risk playbook's step (``/risks/{code}/playbooks/{id}/steps/{n}``) in the browser;
analysts and admins only.

The meeting is addressed by ``record_editing.record_id`` and the form carries the version the
page showed: a meeting changed meanwhile gets a 409 naming who changed it, a date the meeting
file would refuse (before the meeting) a 422 naming the field. Both save nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.security.disclosure import Part
from sourcewise.services.playbook_steps import tick_step
from sourcewise.services.record_editing import close_action
from sourcewise.web.auth import PageUser, require_part, require_writer, uow_factory
from sourcewise.web.edit_forms import refusals
from sourcewise.web.path_segments import engagement_path

router = APIRouter(include_in_schema=False)

RecordId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]
ActionNumber = Annotated[int, Path(ge=1, le=1000)]


@router.post(
    "/engagements/{name:segment}/meetings/{ident}/actions/{number}/done",
    response_class=HTMLResponse,
)
def mark_action_done(
    request: Request,
    name: str,
    ident: RecordId,
    number: ActionNumber,
    principal: PageUser,
    done_on: Annotated[date, Form()],
    version: Annotated[str, Form(max_length=100)],
) -> Response:
    """Action ``number`` (1-based, in the minutes' order) done on ``done_on``."""
    require_part(principal, Part.MEETINGS)
    require_writer(principal)
    with refusals():
        close_action(uow_factory(request), principal, name, ident, number - 1, done_on, version)
    return RedirectResponse(f"{engagement_path(name)}#meetings", status_code=303)


@router.post("/risks/{code:segment}/playbooks/{ident}/steps/{number}", response_class=HTMLResponse)
def tick_playbook_step(
    request: Request,
    code: str,
    ident: RecordId,
    number: ActionNumber,
    principal: PageUser,
    done: Annotated[bool, Form()],
    version: Annotated[str, Form(max_length=100)],
    engagement: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Step ``number`` (1-based) of the playbook done now (or, with ``done`` false, not
    done); back to the engagement's risks, or to the register's page."""
    require_part(principal, Part.RISKS)
    require_writer(principal)
    with refusals():
        tick_step(uow_factory(request), principal, code, ident, number - 1, done, version)
    back = f"{engagement_path(engagement)}#risks" if engagement else "/"
    return RedirectResponse(back, status_code=303)
