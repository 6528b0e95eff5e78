"""``/api/v1/events``: the signed-in user's monitoring inbox, and acknowledging or resolving an
event. What a user sees follows the disclosure policy (``services.inbox``): a provider's user
only events of its own engagements and of the kinds shared with providers; another event
answers 404 as if it did not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from sourcewise.governance.alerts import EventKind, EventState, MonitorEvent, Severity
from sourcewise.services.inbox import InboxError, change_state, inbox
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.auth import User, uow_factory
from sourcewise.web.problems import ApiError

router = APIRouter(prefix="/api/v1", tags=["events"])

EventId = Annotated[int, Path(ge=1, le=2**31 - 1)]


EvidenceValue = str | int | float | bool | list[str] | None
EVIDENCE = (
    "The figures behind the event, by kind (dates ISO 8601, months YYYY-MM). sla_breach, "
    "sla_at_risk: month, metric, target, attained, sample, budget_consumed (share of the error "
    "budget, a fraction), status, critical. kpi_drift: kpi, series, rule, side, first, last, "
    "points. risk_trigger: risk, trigger, reason. playbook_overdue: risk, trigger, action, "
    "owner. audit_action_overdue, meeting_action_overdue: source, origin, action, owner, "
    "due_on, days_overdue. pilot_verdict: pilot, recommendation, reasons. contract_*: "
    "contract, kind, date, days, term_end, decision (when one was taken). remedy_proposed: "
    "service_level, remedy, title, clause, trigger, breached_months, as_of."
)


class MonitorEventOut(BaseModel):
    """A condition the monitoring found, once per kind, engagement, subject and period."""

    id: int
    kind: EventKind = Field(description="What was found.")
    severity: Severity
    engagement: str = Field(description="The engagement's name.")
    subject: str = Field(description="What it is about: a service level, KPI, risk, action.")
    period: str = Field(description="The month (YYYY-MM) or day (YYYY-MM-DD) it concerns.")
    summary: str = Field(description="The event in one sentence.")
    # Open by design: each kind has its own figures, listed in the description.
    evidence: dict[str, EvidenceValue] = Field(description=EVIDENCE)
    first_seen: datetime = Field(description="When the monitoring first found it (ISO 8601).")
    last_seen: datetime = Field(description="When it last found it (ISO 8601).")
    state: EventState
    changed_by: str | None = Field(description="Who last acknowledged or resolved it.")
    changed_at: datetime | None = Field(description="When (ISO 8601); null if never.")


def event_out(event: MonitorEvent) -> MonitorEventOut:
    assert event.id is not None
    return MonitorEventOut(
        id=event.id,
        kind=event.kind,
        severity=event.severity,
        engagement=event.engagement,
        subject=event.subject,
        period=event.period,
        summary=event.summary,
        evidence=event.evidence,
        first_seen=event.first_seen,
        last_seen=event.last_seen,
        state=event.state,
        changed_by=event.changed_by,
        changed_at=event.changed_at,
    )


@router.get("/events", response_model=Page[MonitorEventOut])
def list_events(
    request: Request,
    user: User,
    paging: Pagination,
    resolved: Annotated[bool, Query(description="Include resolved events.")] = False,
    everything: Annotated[
        bool, Query(alias="all", description="Ignore the user's subscriptions' filters.")
    ] = False,
) -> Page[MonitorEventOut]:
    """The user's events, newest first: those their subscriptions want (all they may see
    when they have none)."""
    try:
        found = inbox(uow_factory(request), user.username, resolved, everything)
    except InboxError as error:
        raise ApiError(404, "Not found", str(error)) from None
    return paging.page([event_out(e) for e in found])


def _change(request: Request, user: User, event_id: int, state: EventState) -> MonitorEventOut:
    try:
        changed = change_state(uow_factory(request), user.username, event_id, state)
    except InboxError as error:
        raise ApiError(404, "Not found", str(error)) from None
    return event_out(changed)


@router.post("/events/{event_id}/acknowledge", response_model=MonitorEventOut)
def acknowledge_event(request: Request, user: User, event_id: EventId) -> MonitorEventOut:
    """Acknowledge an event: seen and being dealt with (logged in the audit log)."""
    return _change(request, user, event_id, EventState.ACKNOWLEDGED)


@router.post("/events/{event_id}/resolve", response_model=MonitorEventOut)
def resolve_event(request: Request, user: User, event_id: EventId) -> MonitorEventOut:
    """Resolve an event by hand; the monitor opens it again if its condition still holds."""
    return _change(request, user, event_id, EventState.RESOLVED)
