"""``/api/v1/calendar``: the contract calendar as JSON, the same dates as the ``/calendar`` page
and its ``.ics`` download, which share the window and visibility rules defined here (a
provider's user: its own engagements' contracts only)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from sourcewise.governance.contract_calendar import LEAD_DAYS
from sourcewise.reports.contract_calendar_json import calendar_json
from sourcewise.reports.governance_documents import CalendarDocument
from sourcewise.security.users import Principal
from sourcewise.services.contract_calendar import (
    CalendarError,
    ContractCalendar,
    contract_calendar,
    default_window,
)
from sourcewise.web.auth import User, uow_factory
from sourcewise.web.problems import ApiError, problems

router = APIRouter(prefix="/api/v1", tags=["engagements"])

First = Annotated[date | None, Query(alias="from", description="YYYY-MM-DD; default a month ago.")]
Last = Annotated[date | None, Query(alias="to", description="YYYY-MM-DD; default a year ahead.")]
LeadDays = Annotated[int, Query(ge=0, le=3660, description="Days ahead that a date is due soon.")]


def visible_calendar(
    request: Request, principal: Principal, first: date | None, last: date | None, lead: int
) -> ContractCalendar:
    """The calendar of what ``principal`` may see; the default window around today."""
    today = datetime.now(UTC).date()
    start, end = default_window(today)
    return contract_calendar(
        uow_factory(request),
        first or start,
        last or end,
        today,
        principal=principal,
        lead_days=lead,
    )


@router.get(
    "/calendar",
    response_model=CalendarDocument,
    response_model_by_alias=True,
    responses=problems(400),
)
def get_calendar(
    request: Request, user: User, first: First = None, last: Last = None, lead: LeadDays = LEAD_DAYS
) -> dict[str, Any]:
    """Notice deadlines, renewals, contract ends, price reviews, benchmarking and the end of
    termination assistance from ``from`` to ``to`` (at most ten years), each with its state
    (overdue, past, due soon within ``lead`` days, upcoming)."""
    try:
        calendar = visible_calendar(request, user, first, last, lead)
    except CalendarError as error:
        raise ApiError(400, "Bad request", str(error)) from None
    return calendar_json(calendar)
