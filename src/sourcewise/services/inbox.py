"""A user's inbox: the monitoring events they may see and asked for, to acknowledge or resolve.

What a user sees follows the disclosure policy (``notifications.may_see``). With subscriptions,
the inbox holds what any of them wants (whatever its channel); without, every event the user
may see. Acknowledging or resolving is logged in the audit log; a resolved event the monitor
finds again is open again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sourcewise.governance.alerts import EventState, MonitorEvent
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.notifications import may_see, providers_by_engagement
from sourcewise.storage.repositories import NotFoundError

LIVE = (EventState.OPEN, EventState.ACKNOWLEDGED)


class InboxError(LookupError):
    """No such event for this user (or no such user)."""


def inbox(
    make_uow: UowFactory,
    username: str,
    include_resolved: bool = False,
    everything: bool = False,
) -> list[MonitorEvent]:
    """The user's events, newest first; ``everything`` ignores the subscriptions' filters."""
    with make_uow() as uow:
        user = uow.accounts.user(username)
        if user is None:
            raise InboxError(f"no user named '{username}'")
        events = uow.monitor.events(states=None if include_resolved else LIVE)
        providers = providers_by_engagement(uow)
        subs = [] if everything else uow.monitor.subscriptions(username)
    return [
        e
        for e in events
        if may_see(user, providers, e) and (not subs or any(s.wants(e) for s in subs))
    ]


def change_state(
    make_uow: UowFactory,
    username: str,
    event_id: int,
    state: EventState,
    now: datetime | None = None,
) -> MonitorEvent:
    """Acknowledge or resolve an event the user may see, logged as the user."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    with make_uow() as uow:
        user = uow.accounts.user(username)
        event = uow.monitor.event(event_id)
        if user is None or event is None or not may_see(user, providers_by_engagement(uow), event):
            raise InboxError(f"no event {event_id}")
        changed = replace(event, state=state, changed_by=username, changed_at=moment)
        try:
            uow.monitor.update_event(changed)
        except NotFoundError as error:
            raise InboxError(str(error)) from error
        log_change(uow, "monitor_event", f"{event_id}", event, changed, username, moment)
        uow.commit()
    return changed
