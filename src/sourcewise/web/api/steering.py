"""``/api/v1/engagements/{name}/corrective-actions`` and ``…/remedies``: the JSON of the engagement
page's *Corrective-action plans* and *Contract remedies* (the same services and the same JSON as
``sourcewise cap list`` and ``sourcewise remedies``).

Plans are shared with the engagement's provider users (``security.disclosure``); closing one is
for writers and is audit-logged; the proposed remedies are internal (403 for provider users)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from sourcewise.reports.governance_documents import CorrectiveActionPlanDocument, RemediesDocument
from sourcewise.reports.steering_json import plan_json, remedies_json
from sourcewise.security.disclosure import Part
from sourcewise.services.corrective_actions import (
    MAX_NOTE,
    PlanClosedError,
    PlanError,
    close_plan,
    plans_of,
)
from sourcewise.services.remedies import remedy_report
from sourcewise.web.api.engagements import engagement_of
from sourcewise.web.api.pagination import Pagination
from sourcewise.web.api.runs import MAX_ID
from sourcewise.web.api.uploads import service_errors
from sourcewise.web.auth import User, require_part, require_writer, uow_factory
from sourcewise.web.problems import ApiError, problems

router = APIRouter(prefix="/api/v1", tags=["corrective actions and remedies"])


class Closing(BaseModel):
    note: str = Field(min_length=1, max_length=MAX_NOTE, description="What was done.")


@router.get(
    "/engagements/{name:segment}/corrective-actions",
    response_model=list[CorrectiveActionPlanDocument],
)
def corrective_actions(
    request: Request,
    user: User,
    page: Pagination,
    name: str,
    closed: Annotated[bool, Query(description="Closed plans too.")] = False,
) -> list[dict[str, Any]]:
    """The corrective-action plans breaches opened (open ones only unless ``closed``)."""
    require_part(user, Part.CORRECTIVE_ACTIONS)
    found = engagement_of(request, user, name)
    with service_errors():
        plans = plans_of(uow_factory(request), found.name, include_closed=closed)
    return page.window([plan_json(p) for p in plans])


@router.post(
    "/engagements/{name:segment}/corrective-actions/{plan_id}/close",
    response_model=CorrectiveActionPlanDocument,
    responses=problems(409),
)
def close(
    request: Request,
    user: User,
    name: str,
    plan_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: Closing,
) -> dict[str, Any]:
    """Close an open plan with a note, as the signed-in user (audit-logged); 409 if closed."""
    require_part(user, Part.CORRECTIVE_ACTIONS)
    found = engagement_of(request, user, name)
    require_writer(user)
    try:
        closed = close_plan(
            uow_factory(request), plan_id, user.username, body.note, engagement=found.name
        )
    except PlanClosedError as error:
        raise ApiError(409, "Conflict", str(error)) from None
    except PlanError as error:
        raise ApiError(404, "Not found", str(error)) from None
    except ValueError as error:
        raise ApiError(422, "Invalid request", str(error)) from None
    return plan_json(closed)


@router.get("/engagements/{name:segment}/remedies", response_model=RemediesDocument)
def remedies(
    request: Request,
    user: User,
    name: str,
    month: Annotated[
        date | None, Query(description="Judge the breaches up to this month; default today.")
    ] = None,
) -> dict[str, Any]:
    """The contract's remedies and those each service level's breaches call for."""
    require_part(user, Part.REMEDIES)
    found = engagement_of(request, user, name)
    with service_errors():
        report = remedy_report(uow_factory(request), found.name, month or datetime.now(UTC).date())
    return remedies_json(report)
