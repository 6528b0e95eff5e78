"""``/calendar``: what falls due under the contracts the user may see, by month, with the same
dates as an iCalendar download (``/calendar.ics``; as JSON: ``/api/v1/calendar``). Provider
users see their own engagements' contracts only (``services.contract_calendar`` asks
``Principal.sees_provider`` and ``security.disclosure``)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.governance.contract_calendar import LEAD_DAYS, DueState
from sourcewise.reports.icalendar import calendar_ics
from sourcewise.services.contract_calendar import CalendarError, ContractCalendar
from sourcewise.web.api.calendar import First, Last, LeadDays, visible_calendar
from sourcewise.web.auth import PageUser
from sourcewise.web.path_segments import engagement_path
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

STATE_BADGE = {
    DueState.OVERDUE: ("bad", "overdue"),
    DueState.PAST: ("quiet", "past"),
    DueState.DUE_SOON: ("warn", "due soon"),
    DueState.UPCOMING: ("ok", "upcoming"),
}


@router.get("/calendar", response_class=HTMLResponse)
def calendar_page(
    request: Request,
    principal: PageUser,
    first: First = None,
    last: Last = None,
    lead: LeadDays = LEAD_DAYS,
) -> Response:
    error = None
    try:
        calendar = visible_calendar(request, principal, first, last, lead)
    except CalendarError as refused:
        error = str(refused)
        today = datetime.now(UTC).date()
        calendar = ContractCalendar(first or today, last or today, today, lead, ())
    return render(
        request,
        "calendar.html",
        400 if error else 200,
        calendar=calendar,
        months=list(calendar.by_month()),
        badges=STATE_BADGE,
        error=error,
        query=f"from={calendar.first:%Y-%m-%d}&to={calendar.last:%Y-%m-%d}&lead={lead}",
    )


@router.get("/calendar.ics")
def calendar_download(
    request: Request,
    principal: PageUser,
    first: First = None,
    last: Last = None,
    lead: LeadDays = LEAD_DAYS,
) -> Response:
    try:
        calendar = visible_calendar(request, principal, first, last, lead)
    except CalendarError as error:
        return Response(str(error), status_code=400, media_type="text/plain")
    base = str(request.base_url).rstrip("/")
    links = {e.due.engagement: base + engagement_path(e.due.engagement) for e in calendar.entries}
    return Response(
        calendar_ics(calendar, datetime.now(UTC), links),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="contract-calendar.ics"'},
    )
