"""The dashboard: every engagement the user may see at a glance — this month's service levels
and credits, open risks, what is due or overdue, and benefits against the business case.

A glance is computed once for everyone per day and data version (the server's read cache);
each user is shown what ``security.disclosure`` shows their role of it (a provider user: no
risks, benefits or meeting actions)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.governance.benefits import BenefitReport
from sourcewise.governance.records import Engagement
from sourcewise.governance.risks import Rating
from sourcewise.security.disclosure import Part, parts, sees, sees_action
from sourcewise.security.users import Role
from sourcewise.services import views
from sourcewise.services.benefits import NoPlanError, benefits
from sourcewise.services.engagement_cases import LinkedCase, case_of
from sourcewise.services.governance_records import OpenAction, open_actions
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.read_cache import VersionedReads
from sourcewise.services.risk_register import escalations, open_playbooks, risk_register
from sourcewise.services.sla import SlaMonth, sla_report
from sourcewise.web.auth import PageUser, reads, uow_factory, visible_cached_engagements
from sourcewise.web.charts_governance import portfolio_benefits_chart
from sourcewise.web.pages.engagement_sections import RATING_CLASS, StatusCounts
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)
AHEAD_DAYS = 45
"""Dates due within this many days count as upcoming; overdue ones are always listed."""
MAX_UPCOMING = 15


@dataclass(frozen=True, slots=True)
class Glance:
    engagement: Engagement
    sla: SlaMonth
    counts: StatusCounts
    risks: dict[Rating, int]
    actions: tuple[OpenAction, ...]
    benefits: BenefitReport | None
    benefits_note: str
    case: LinkedCase | None = None
    """The approved business case the plan comes from, if the engagement is linked to one."""

    @property
    def open_actions(self) -> int:
        return len(self.actions)

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    def disclosed(self, role: Role) -> Glance:
        """The glance as ``role`` is shown it."""
        benefits = sees(role, Part.BENEFITS)
        return replace(
            self,
            risks=self.risks if sees(role, Part.RISKS) else {},
            actions=tuple(a for a in self.actions if sees_action(role, a.source)),
            benefits=self.benefits if benefits else None,
            benefits_note=self.benefits_note if benefits else "",
            case=self.case if sees(role, Part.BUSINESS_CASE) else None,
        )


@dataclass(frozen=True, slots=True)
class Due:
    """Something to review: an open action, a playbook step or an escalation deadline."""

    when: date
    engagement: str
    kind: str
    text: str
    owner: str
    overdue: bool
    section: str = ""
    """The section of the engagement page that shows it (``audits``, ``meetings``, ``risks``)."""


def _glance(make_uow: UowFactory, engagement: Engagement, today: date) -> Glance:
    month = views.latest_measured_month(make_uow, engagement, today)
    shown = sla_report(make_uow, engagement.name, month).last
    register = risk_register(make_uow, engagement.name)
    actions = open_actions(make_uow, today, engagement.name)
    try:
        report: BenefitReport | None = benefits(make_uow, engagement.name)
        note = ""
    except NoPlanError as error:
        report, note = None, str(error)
    return Glance(
        engagement,
        shown,
        StatusCounts.of(shown),
        register.summary,
        actions.actions,
        report,
        note,
        case_of(make_uow, engagement.name),
    )


def _action_due(action: OpenAction) -> Due:
    assert action.due_on is not None
    origin = "audit finding" if action.source == "audit" else action.source.replace("_", " ")
    reference = f"{action.reference}: " if action.reference else ""
    return Due(
        action.due_on,
        action.engagement,
        f"action ({origin})",
        f"{reference}{action.text}",
        action.owner,
        action.overdue,
        "audits" if action.source == "audit" else "meetings",
    )


def _escalations_due(shared: VersionedReads, names: set[str], now: datetime) -> list[Due]:
    make_uow = shared.cache.make_uow
    # The stored playbooks are read once per data version; where they stand depends on now.
    stored = shared.cached(("open playbooks",), lambda: open_playbooks(make_uow))
    found = []
    for e in escalations(make_uow, now, stored):
        if e.risk.engagement not in names:
            continue
        where = e.risk.engagement or ""
        state = e.state
        found.append(
            Due(
                state.expires_at.date(),
                where,
                f"escalation level {state.level} ({state.name})",
                f"{e.risk.code} {e.risk.title}: {e.playbook.trigger}",
                state.owner_role,
                state.overdue,
                "risks",
            )
        )
        if e.next_action is not None:
            action, owner, due = e.next_action
            found.append(
                Due(
                    due.date(),
                    where,
                    f"playbook step ({e.risk.code})",
                    action,
                    owner,
                    due < now,
                    "risks",
                )
            )
    return found


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, principal: PageUser) -> Response:
    make_uow = uow_factory(request)
    shared = reads(request)
    now = datetime.now(UTC)
    today = now.date()
    role = principal.role
    glances: list[Glance] = []
    due: list[Due] = []
    engagements = sorted(visible_cached_engagements(request, principal), key=lambda e: e.name)
    for engagement in engagements:
        # The SLA history and benefits behind a glance take most of a dashboard's time.
        compute = functools.partial(_glance, make_uow, engagement, today)
        glance = shared.cached(("glance", engagement.name, today), compute).disclosed(role)
        glances.append(glance)
        due += [_action_due(a) for a in glance.actions if a.due_on is not None]
    if sees(role, Part.RISKS):
        due += _escalations_due(shared, {e.name for e in engagements}, now)
    horizon = date.fromordinal(today.toordinal() + AHEAD_DAYS)
    due = sorted((d for d in due if d.overdue or d.when <= horizon), key=lambda d: d.when)
    risks = {rating: sum(g.risks.get(rating, 0) for g in glances) for rating in reversed(Rating)}
    totals = {
        "breaches": sum(g.counts.breaches for g in glances),
        "warnings": sum(g.counts.warnings for g in glances),
        "overdue": sum(1 for d in due if d.overdue),
        "high_risks": risks[Rating.CRITICAL] + risks[Rating.HIGH],
    }
    credits: dict[str, Decimal] = {}
    for g in glances:
        credits[g.engagement.currency] = credits.get(g.engagement.currency, Decimal(0)) + (
            g.sla.credits.net
        )
    planned = [
        (g.engagement.name, g.engagement.currency, g.benefits) for g in glances if g.benefits
    ]
    return render(
        request,
        "dashboard.html",
        benefits_chart=portfolio_benefits_chart("benefits-chart", planned) if planned else None,
        glances=glances,
        due=due[:MAX_UPCOMING],
        more_due=max(0, len(due) - MAX_UPCOMING),
        risks=risks,
        totals=totals,
        credits=credits,
        rating_class=RATING_CLASS,
        today=today,
        horizon=AHEAD_DAYS,
        parts=parts(role),
    )
