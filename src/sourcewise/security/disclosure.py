"""What each role is shown of an engagement: the one disclosure policy, part by part and field
by field. Pages and API answers ask it; nothing else decides.

The client's own staff (admin, analyst, viewer) see every part. A provider's users see what
the client shares with its vendor: the engagement's terms (contracts and their fees, service
levels, service-credit terms), how the service performs against them (KPI measurements, the
monthly service-level results and credits, the provider's scorecard and how it is weighted),
the corrective-action plans its breaches opened (the provider carries them out, so they are
shared, as vendor-management practice has it) and the audits of its engagements with their
findings and actions. They never see what the client keeps to itself: the business case and
its planned savings, benefit realisation, the company's in-house and one-off costs, the risk
register with its triggers and playbooks, stakeholder surveys, committee minutes and their
actions, pilot evaluations (the client's go/stop decision), and the contract remedies
repeated breaches call for (escalation, withholding, termination: the client decides whether
to invoke them, and tells the provider when it does).

Which engagements a provider user sees at all is ``Principal.sees_provider``; this module
only says which parts of those. Anything it has no entry for is internal: an unknown field of
an engagement is shown to no one (a test names every field), an unknown kind of action to the
client's staff only.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from sourcewise.security.users import Role


class Part(StrEnum):
    """A part of an engagement's data, shown or withheld as a whole."""

    PROFILE = "profile"
    """Name, function, arrangement, provider, countries, dates and currency."""
    CONTRACTS = "contracts"
    """Master agreements and statements of work with their monthly fees."""
    SERVICE_LEVELS = "service_levels"
    """The service levels and each month's results against them."""
    SERVICE_CREDITS = "service_credits"
    """The credit terms (fees at risk, caps) and each month's credits and earn-back."""
    KPIS = "kpis"
    """KPI measurements, control charts and drift alerts."""
    SCORECARD = "scorecard"
    """The provider's monthly scorecard (domain scores, grade, trend)."""
    AUDITS = "audits"
    """Audits of the engagement, their findings and the findings' actions."""
    BUSINESS_CASE = "business_case"
    """The scenario and option the engagement was chosen from."""
    BENEFITS = "benefits"
    """Planned against actual savings: the in-house baseline, planned cost, realisation."""
    COSTS = "costs"
    """The company's own monthly costs: internal (retained organisation) and one-off."""
    RISKS = "risks"
    """The risk register, triggers, playbooks and escalations."""
    SURVEYS = "surveys"
    """Stakeholder surveys of the client's own people."""
    MEETINGS = "meetings"
    """Steering committee and milestone review minutes, decisions and actions."""
    PILOTS = "pilots"
    """Pilots, their acceptance criteria and go/extend/stop evaluation."""
    CORRECTIVE_ACTIONS = "corrective_actions"
    """The corrective-action plans breaches opened, their owners, due dates and closing."""
    REMEDIES = "remedies"
    """The contract's remedies for repeated breaches and which ones the breaches call for."""


SHARED_WITH_PROVIDERS = frozenset(
    {
        Part.PROFILE,
        Part.CONTRACTS,
        Part.SERVICE_LEVELS,
        Part.SERVICE_CREDITS,
        Part.KPIS,
        Part.SCORECARD,
        Part.CORRECTIVE_ACTIONS,
        Part.AUDITS,
    }
)

VISIBLE: Mapping[Role, frozenset[Part]] = {
    Role.ADMIN: frozenset(Part),
    Role.ANALYST: frozenset(Part),
    Role.VIEWER: frozenset(Part),
    Role.PROVIDER: SHARED_WITH_PROVIDERS,
}

ENGAGEMENT_FIELDS: Mapping[str, Part] = {
    "name": Part.PROFILE,
    "function": Part.PROFILE,
    "arrangement": Part.PROFILE,
    "home_country": Part.PROFILE,
    "country": Part.PROFILE,
    "provider": Part.PROFILE,
    "start": Part.PROFILE,
    "end": Part.PROFILE,
    "currency": Part.PROFILE,
    "at_risk_pct": Part.SERVICE_CREDITS,
    "monthly_cap_pct": Part.SERVICE_CREDITS,
    "annual_cap_pct": Part.SERVICE_CREDITS,
    "max_credit_months": Part.SERVICE_CREDITS,
    "contracts": Part.CONTRACTS,
    "service_levels": Part.SERVICE_LEVELS,
    "business_case": Part.BUSINESS_CASE,
    "scorecard": Part.SCORECARD,
    "corrective_actions": Part.CORRECTIVE_ACTIONS,
    "remedies": Part.REMEDIES,
}
"""Each field of ``governance.records.Engagement`` and the part it belongs to."""

ACTION_SOURCES: Mapping[str, Part] = {
    "audit": Part.AUDITS,
    "steering_committee": Part.MEETINGS,
    "milestone_review": Part.MEETINGS,
}
"""Where an open action comes from (``OpenAction.source``) and the part it belongs to."""


EVENT_KINDS: Mapping[str, Part] = {
    "sla_breach": Part.SERVICE_LEVELS,
    "sla_at_risk": Part.SERVICE_LEVELS,
    "kpi_drift": Part.KPIS,
    "contract_ending": Part.CONTRACTS,
    "contract_notice_deadline": Part.CONTRACTS,
    "contract_renewal": Part.CONTRACTS,
    "contract_price_review": Part.CONTRACTS,
    "contract_benchmarking": Part.CONTRACTS,
    "audit_action_overdue": Part.AUDITS,
    "risk_trigger": Part.RISKS,
    "playbook_overdue": Part.RISKS,
    "meeting_action_overdue": Part.MEETINGS,
    "pilot_verdict": Part.PILOTS,
    "remedy_proposed": Part.REMEDIES,
}
"""Each kind of monitoring event (``governance.alerts.EventKind``) and the part it tells of."""


def parts(role: Role) -> frozenset[Part]:
    """The parts of its engagements ``role`` is shown (none for a role without an entry)."""
    return VISIBLE.get(role, frozenset())


def sees(role: Role, part: Part) -> bool:
    return part in parts(role)


def sees_all(role: Role) -> bool:
    return parts(role) == frozenset(Part)


def engagement_fields(role: Role, data: Mapping[str, Any]) -> dict[str, Any]:
    """An engagement's fields (as JSON data) that ``role`` is shown, in their order."""
    shown = parts(role)
    return {
        k: v for k, v in data.items() if k in ENGAGEMENT_FIELDS and ENGAGEMENT_FIELDS[k] in shown
    }


def sees_action(role: Role, source: str) -> bool:
    """Whether ``role`` is shown an open action from ``source`` (an audit or a meeting kind)."""
    part = ACTION_SOURCES.get(source)
    return sees(role, part) if part is not None else sees_all(role)


def sees_event(role: Role, kind: str) -> bool:
    """Whether ``role`` is shown (and notified of) a monitoring event of ``kind``; an unknown
    kind only to the client's staff."""
    part = EVENT_KINDS.get(kind)
    return sees(role, part) if part is not None else sees_all(role)
