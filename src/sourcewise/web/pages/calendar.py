"""``/calendar``: what falls due under the contracts the user may see, by month, with the same
dates as an iCalendar download (``/calendar.ics``). Provider users see their own engagements'
contracts only (``services.contract_calendar`` asks ``Principal.sees_provider`` and
``security.disclosure``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.governance.contract_calendar import LEAD_DAYS, DueState
from sourcewise.reports.icalendar import calendar_ics
from sourcewise.security.users import Principal
from sourcewise.services.contract_calendar import (
    CalendarError,
    ContractCalendar,
    contract_calendar,
    default_window,
)
from sourcewise.web.auth import PageUser, uow_factory
from sourcewise.web.path_segments import engagement_path
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

Day = Annotated[date | None, Query(description="YYYY-MM-DD")]
LeadDays = Annotated[int, Query(ge=0, le=3660)]

STATE_BADGE = {
    DueState.OVERDUE: ("bad", "overdue"),
    DueState.PAST: ("quiet", "past"),
    DueState.DUE_SOON: ("warn", "due soon"),
    DueState.UPCOMING: ("ok", "upcoming"),
}


def _calendar(
    request: Request, principal: Principal, first: date | None, last: date | None, lead: int
) -> ContractCalendar:
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


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request,
    principal: PageUser,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
    lead: LeadDays = LEAD_DAYS,
) -> Response:
    try:
        calendar = _calendar(request, principal, first, last, lead)
    except CalendarError as error:
        today = datetime.now(UTC).date()
        empty = ContractCalendar(first or today, last or today, today, lead, ())
        return render(
            request,
            "calendar.html",
            status_code=400,
            calendar=empty,
            error=str(error),
            months=[],
            badges=STATE_BADGE,
            query="",
        )
    query = f"from={calendar.first:%Y-%m-%d}&to={calendar.last:%Y-%m-%d}&lead={lead}"
    return render(
        request,
        "calendar.html",
        calendar=calendar,
        months=list(calendar.by_month()),
        badges=STATE_BADGE,
        error=None,
        query=query,
    )


@router.get("/calendar.ics")
def calendar_download(
    request: Request,
    principal: PageUser,
    first: Annotated[date | None, Query(alias="from")] = None,
    last: Annotated[date | None, Query(alias="to")] = None,
    lead: LeadDays = LEAD_DAYS,
) -> Response:
    try:
        calendar = _calendar(request, principal, first, last, lead)
    except CalendarError as error:
        return Response(str(error), status_code=400, media_type="text/plain")
    base = str(request.base_url).rstrip("/")
    links = {e.due.engagement: base + engagement_path(e.due.engagement) for e in calendar.entries}
    return Response(
        calendar_ics(calendar, datetime.now(UTC), links),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="contract-calendar.ics"'},
    )
