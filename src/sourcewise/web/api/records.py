"""Governance records: audits, stakeholder surveys, committee meetings and milestone reviews,
pilots and their evaluation, and the open actions they leave.

Provider users are shown the audits of their engagements and those audits' open actions; the
client's surveys, meeting minutes and pilots are internal (403, ``security.disclosure``)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from sourcewise.governance.records import Pilot
from sourcewise.reports.record_documents import document_of
from sourcewise.security.disclosure import Part, sees_action
from sourcewise.services import views
from sourcewise.services.governance_records import (
    AuditReport,
    MeetingReport,
    add_records,
    audit_report,
    evaluate_pilot_record,
    meeting_report,
    open_actions,
    survey_report,
)
from sourcewise.services.governance_store import acting_as, as_json
from sourcewise.services.record_analysis import PilotReport, SurveyReport
from sourcewise.web.api.engagements import engagement_of
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.api.uploads import YAML, Upload, read_upload, saved, service_errors, upload_body
from sourcewise.web.auth import (
    User,
    require_part,
    require_writer,
    uow_factory,
    visible_engagements,
)
from sourcewise.web.problems import ApiError, problems

router = APIRouter(prefix="/api/v1", tags=["records"])
Today = Annotated[date | None, Query(description="Judge due dates on this day; default today.")]
Confidence = Annotated[
    float, Query(gt=0, lt=1, description="Of the intervals, a fraction (0.95 = 95 %).")
]
# Infinite interval ends are answered as null, so their numbers may be null.
AuditReportDocument = document_of(AuditReport, nullable_floats=True)
SurveyReportDocument = document_of(SurveyReport, nullable_floats=True)
MeetingReportDocument = document_of(MeetingReport, nullable_floats=True)
PilotDocument = document_of(Pilot, nullable_floats=True)
PilotEvaluationDocument = document_of(PilotReport, nullable_floats=True)


class RecordsAdded(BaseModel):
    kind: str
    added: list[str]
    unchanged: list[str]


class OpenActionOut(BaseModel):
    engagement: str
    source: str
    origin: str
    held_on: date
    reference: str | None
    text: str
    owner: str
    due_on: date | None
    severity: str | None
    overdue: bool
    days_overdue: int


def finite(value: Any) -> Any:
    """JSON has no NaN or infinity (an unbounded interval end): those become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [finite(v) for v in value]
    return value


def _today(day: date | None) -> date:
    return day or datetime.now(UTC).date()


@router.get("/engagements/{name:segment}/audits", response_model=AuditReportDocument)
def audits(request: Request, user: User, name: str, today: Today = None) -> dict[str, Any]:
    """The engagement's audits, oldest first, with open and overdue findings."""
    require_part(user, Part.AUDITS)
    found = engagement_of(request, user, name)
    with service_errors():
        report = audit_report(uow_factory(request), found.name, _today(today))
    return finite(as_json(report))  # type: ignore[no-any-return]


@router.get("/engagements/{name:segment}/surveys", response_model=SurveyReportDocument)
def surveys(
    request: Request, user: User, name: str, confidence: Confidence = 0.95
) -> dict[str, Any]:
    """Per question: Likert mean and top-2-box or NPS with intervals, period by period."""
    require_part(user, Part.SURVEYS)
    found = engagement_of(request, user, name)
    with service_errors():
        report = survey_report(uow_factory(request), found.name, confidence)
    return finite(as_json(report))  # type: ignore[no-any-return]


@router.get("/engagements/{name:segment}/meetings", response_model=MeetingReportDocument)
def meetings(request: Request, user: User, name: str, today: Today = None) -> dict[str, Any]:
    """Steering committees and milestone reviews with their decisions and actions."""
    require_part(user, Part.MEETINGS)
    found = engagement_of(request, user, name)
    with service_errors():
        report = meeting_report(uow_factory(request), found.name, _today(today))
    return finite(as_json(report))  # type: ignore[no-any-return]


@router.get("/engagements/{name:segment}/pilots", response_model=list[PilotDocument])  # type: ignore[valid-type]
def pilots(request: Request, user: User, page: Pagination, name: str) -> list[dict[str, Any]]:
    """The engagement's pilots as stored, with their criteria."""
    require_part(user, Part.PILOTS)
    found = engagement_of(request, user, name)
    return page.window([finite(as_json(p)) for p in views.pilots(uow_factory(request), found.name)])


@router.get(
    "/engagements/{name:segment}/pilots/{pilot:segment}/evaluation",
    response_model=PilotEvaluationDocument,
)
def pilot_evaluation(
    request: Request, user: User, name: str, pilot: str, confidence: Confidence = 0.95
) -> dict[str, Any]:
    """Go, extend or stop, criterion by criterion, on the pilot's data."""
    require_part(user, Part.PILOTS)
    found = engagement_of(request, user, name)
    names = [p.name for p in views.pilots(uow_factory(request), found.name)]
    if pilot not in names:
        raise ApiError(404, "Not found", f"'{found.name}' has no pilot named '{pilot}'")
    with service_errors():
        report = evaluate_pilot_record(uow_factory(request), found.name, pilot, confidence)
    return finite(as_json(report))  # type: ignore[no-any-return]


@router.post(
    "/records",
    status_code=201,
    response_model=RecordsAdded,
    openapi_extra=upload_body("application/yaml"),
)
def post_records(
    request: Request,
    user: User,
    upload: Annotated[Upload, Depends(read_upload)],
    kind: Annotated[
        Literal["audit", "survey", "meeting", "pilot"] | None,
        Query(description="Refuse a file of another kind."),
    ] = None,
) -> RecordsAdded:
    """Add the audits, surveys, meetings or pilots of a YAML file, all or nothing."""
    require_writer(user)
    with saved(upload, YAML) as path, acting_as(user.username), service_errors():
        outcome = add_records(uow_factory(request), path, kind)
    return RecordsAdded(
        kind=outcome.kind, added=list(outcome.added), unchanged=list(outcome.unchanged)
    )


@router.get("/actions", response_model=Page[OpenActionOut], responses=problems(404))
def actions(
    request: Request,
    user: User,
    page: Pagination,
    engagement: str | None = None,
    overdue: Annotated[bool | None, Query(description="Only overdue (or not overdue).")] = None,
    today: Today = None,
) -> Page[OpenActionOut]:
    """Open actions from audits and meetings, by due date (those this user's role is shown:
    a provider user, its engagements' audit findings' only)."""
    make_uow = uow_factory(request)
    if engagement is not None:
        engagement_of(request, user, engagement)
    names = {e.name for e in visible_engagements(make_uow, user)}
    with service_errors():
        report = open_actions(make_uow, _today(today), engagement)
    return page.page(
        [
            OpenActionOut(**as_json(a))
            for a in report.actions
            if a.engagement in names
            and sees_action(user.role, a.source)
            and (overdue is None or a.overdue is overdue)
        ]
    )
