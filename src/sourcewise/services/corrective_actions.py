"""Corrective-action plans: opened by the monitoring run when a service level is breached
(``governance.corrective_actions`` decides when), listed per engagement, closed by a person.

Every opening and closing is in the audit log: an opening as the monitor (``SOURCEWISE_ACTOR``
or the user running it), a closing as whoever closed it. Who may see or close a plan is the
caller's to check (``security.disclosure``: plans are shared with the provider; closing needs a
writer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from sourcewise.governance.alerts import Condition, EventKind
from sourcewise.governance.corrective_actions import (
    CorrectiveActionPlan,
    PlanState,
    plan_for_breach,
)
from sourcewise.governance.remedies import consecutive_breaches
from sourcewise.services.engagements import engagement_or_error
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.sla import sla_report, status_history

ENTITY = "corrective_action_plan"
MAX_NOTE = 2000


class PlanError(LookupError):
    """No such plan (or not one of the engagement asked for)."""


class PlanClosedError(PlanError):
    """The plan was closed already."""


def open_plans_for_breaches(
    make_uow: UowFactory,
    conditions: Sequence[Condition],
    now: datetime | None = None,
    actor: str | None = None,
) -> tuple[CorrectiveActionPlan, ...]:
    """Open a plan for each breach in ``conditions`` that needs one; the plans opened.

    Idempotent: the same breaches found again open nothing (see the rule in
    ``governance.corrective_actions``)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    breaches = sorted(
        (c for c in conditions if c.kind is EventKind.SLA_BREACH),
        key=lambda c: (c.engagement, c.subject, c.period),
    )
    if not breaches:
        return ()
    opened = []
    since = _breaches_since(make_uow, breaches)
    with make_uow().for_writing() as uow:
        terms = {e.name: e.corrective_actions for e in uow.engagements.all()}
        plans = uow.corrective_actions.plans()
        for condition in breaches:
            if condition.engagement not in terms:
                continue
            month = datetime.strptime(condition.period, "%Y-%m").date()
            new, moved = plan_for_breach(
                plans,
                condition.engagement,
                condition.subject,
                month,
                terms[condition.engagement],
                moment,
                since.get((condition.engagement, condition.subject)),
            )
            if moved is not None:
                uow.corrective_actions.update(moved)
                plans = [moved if p.id == moved.id else p for p in plans]
            if new is not None:
                stored = replace(new, id=uow.corrective_actions.add(new))
                log_change(uow, ENTITY, str(stored.id), None, stored, actor, moment)
                plans.append(stored)
                opened.append(stored)
        uow.commit()
    return tuple(opened)


def _breaches_since(
    make_uow: UowFactory, breaches: Sequence[Condition]
) -> dict[tuple[str, str], date]:
    """(engagement, service level) → the first month of the run of breaches ending with the
    condition's month (judged months only, as the remedies count them)."""
    found: dict[tuple[str, str], date] = {}
    for engagement in sorted({c.engagement for c in breaches}):
        last = max(c.period for c in breaches if c.engagement == engagement)
        try:
            history = status_history(
                sla_report(make_uow, engagement, datetime.strptime(last, "%Y-%m").date())
            )
        except (LookupError, ValueError):
            continue  # an engagement gone or not started: the plan starts with its month
        for condition in breaches:
            if condition.engagement != engagement:
                continue
            month = datetime.strptime(condition.period, "%Y-%m").date()
            statuses = [(m, s) for m, s in history.get(condition.subject, []) if m <= month]
            run = consecutive_breaches(statuses)
            if run and run[-1] == month:
                found[(engagement, condition.subject)] = run[0]
    return found


def plans_of(
    make_uow: UowFactory, engagement: str | None = None, include_closed: bool = False
) -> list[CorrectiveActionPlan]:
    """The plans of one engagement (or all), open ones only unless ``include_closed``."""
    if engagement is not None:
        engagement = engagement_or_error(make_uow, engagement).name
    states = None if include_closed else (PlanState.OPEN,)
    with make_uow() as uow:
        return uow.corrective_actions.plans(engagement, states)


def close_plan(
    make_uow: UowFactory,
    plan_id: int,
    actor: str,
    note: str,
    now: datetime | None = None,
    engagement: str | None = None,
) -> CorrectiveActionPlan:
    """Close an open plan with a note saying what was done; logged as ``actor``.

    ``engagement``: when given, the plan must belong to it (a page closes only its own)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    note = note.strip()
    if not note:
        raise ValueError("note: say what was done (or why the plan is closed)")
    if len(note) > MAX_NOTE:
        raise ValueError(f"note: at most {MAX_NOTE} characters, got {len(note)}")
    with make_uow().for_writing() as uow:
        plan = uow.corrective_actions.get(plan_id)
        if plan is None or (engagement is not None and plan.engagement != engagement):
            raise PlanError(f"no corrective-action plan {plan_id}")
        if not plan.is_open:
            raise PlanClosedError(
                f"corrective-action plan {plan_id} was closed already "
                f"by {plan.closed_by} on {plan.closed_at:%Y-%m-%d}"
            )
        closed = replace(
            plan, state=PlanState.CLOSED, closed_by=actor, closed_at=moment, closing_note=note
        )
        uow.corrective_actions.update(closed)
        log_change(uow, ENTITY, str(plan_id), plan, closed, actor, moment)
        uow.commit()
    return closed


def overdue(plans: Sequence[CorrectiveActionPlan], today: date) -> list[CorrectiveActionPlan]:
    return [p for p in plans if p.overdue(today)]
