"""``/inbox``: the signed-in user's monitoring events (acknowledge, resolve) and their
notification subscriptions (add, remove). Every change is a CSRF-checked POST, logged in the
audit log as the user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.governance.alerts import Channel, EventKind, EventState, Severity
from sourcewise.security.disclosure import sees_event
from sourcewise.security.users import Role
from sourcewise.services.inbox import InboxError, change_state, inbox
from sourcewise.services.monitor_schedule import last_run
from sourcewise.services.notifications import (
    SubscriptionError,
    subscribe,
    subscriptions,
    unsubscribe,
)
from sourcewise.web.auth import PageUser, uow_factory
from sourcewise.web.problems import ApiError
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

EventId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request,
    principal: PageUser,
    resolved: bool = False,
    everything: bool = False,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    make_uow = uow_factory(request)
    try:
        events = inbox(make_uow, principal.username, resolved, everything)
    except InboxError:
        events = []  # a token's user without an account row: nothing to show
    return render(
        request,
        "inbox.html",
        status_code=status_code,
        events=events,
        subscriptions=subscriptions(make_uow, principal.username),
        # How the last run of every engagement went: counts over all of them, for staff only.
        last_run=None if principal.role is Role.PROVIDER else last_run(make_uow),
        resolved=resolved,
        everything=everything,
        kinds=[k for k in EventKind if sees_event(principal.role, k.value)],
        severities=list(Severity),
        error=error,
    )


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    principal: PageUser,
    resolved: Annotated[bool, Query()] = False,
    everything: Annotated[bool, Query(alias="all")] = False,
) -> Response:
    return _page(request, principal, resolved, everything)


def _changed(request: Request, principal: PageUser, event_id: int, state: EventState) -> Response:
    try:
        change_state(uow_factory(request), principal.username, event_id, state)
    except InboxError as error:
        raise ApiError(404, "Not found", str(error)) from None
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/{event_id}/acknowledge", response_class=HTMLResponse)
def acknowledge(request: Request, principal: PageUser, event_id: EventId) -> Response:
    return _changed(request, principal, event_id, EventState.ACKNOWLEDGED)


@router.post("/inbox/{event_id}/resolve", response_class=HTMLResponse)
def resolve(request: Request, principal: PageUser, event_id: EventId) -> Response:
    return _changed(request, principal, event_id, EventState.RESOLVED)


@router.post("/inbox/subscriptions", response_class=HTMLResponse)
def add_subscription(
    request: Request,
    principal: PageUser,
    channel: Annotated[Channel, Form()],
    target: Annotated[str, Form(max_length=500)],
    min_severity: Annotated[Severity, Form()] = Severity.WARNING,
    engagement: Annotated[str, Form(max_length=200)] = "",
    kinds: Annotated[list[EventKind] | None, Form()] = None,
    digest: Annotated[bool, Form()] = False,
) -> Response:
    try:
        subscribe(
            uow_factory(request),
            principal.username,
            channel,
            target,
            engagement.strip() or None,
            min_severity,
            tuple(kinds or ()),
            digest,
        )
    except SubscriptionError as error:
        return _page(request, principal, error=str(error), status_code=422)
    return RedirectResponse("/inbox#subscriptions", status_code=303)


@router.post("/inbox/subscriptions/{subscription_id}/remove", response_class=HTMLResponse)
def remove_subscription(
    request: Request, principal: PageUser, subscription_id: Annotated[int, Path(ge=1)]
) -> Response:
    if not unsubscribe(uow_factory(request), subscription_id, principal.username):
        raise ApiError(404, "Not found", f"no subscription {subscription_id}")
    return RedirectResponse("/inbox#subscriptions", status_code=303)
