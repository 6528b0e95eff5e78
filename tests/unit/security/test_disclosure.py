"""The disclosure policy: which parts of an engagement each role is shown, field by field."""

from __future__ import annotations

import dataclasses

import pytest

from governance_factories import engagement
from sourcewise.governance.records import BusinessCase, Engagement, MeetingKind
from sourcewise.security.disclosure import (
    ACTION_SOURCES,
    ENGAGEMENT_FIELDS,
    SHARED_WITH_PROVIDERS,
    Part,
    engagement_fields,
    parts,
    sees,
    sees_action,
)
from sourcewise.security.users import Role
from sourcewise.services.governance_store import as_json

INTERNAL = (
    Part.BUSINESS_CASE,
    Part.BENEFITS,
    Part.COSTS,
    Part.RISKS,
    Part.SURVEYS,
    Part.MEETINGS,
    Part.PILOTS,
    # Whether to invoke escalation, withholding or termination is the client's decision.
    Part.REMEDIES,
)


def test_client_roles_see_every_part() -> None:
    for role in (Role.ADMIN, Role.ANALYST, Role.VIEWER):
        assert parts(role) == frozenset(Part), role


def test_a_provider_sees_what_the_contract_shares_and_nothing_internal() -> None:
    assert (
        parts(Role.PROVIDER)
        == SHARED_WITH_PROVIDERS
        == {
            Part.PROFILE,
            Part.CONTRACTS,
            Part.SERVICE_LEVELS,
            Part.SERVICE_CREDITS,
            Part.KPIS,
            Part.SCORECARD,
            # The provider carries the plans out: shared, as vendor-management practice has it.
            Part.CORRECTIVE_ACTIONS,
            Part.AUDITS,
        }
    )
    for part in INTERNAL:
        assert not sees(Role.PROVIDER, part), part
    assert set(INTERNAL) | SHARED_WITH_PROVIDERS == set(Part), "classify every part"


def test_every_engagement_field_has_a_policy_entry() -> None:
    """A field added to ``Engagement`` without an entry here would be dropped for everyone,
    silently: this test names it instead."""
    names = {f.name for f in dataclasses.fields(Engagement)}
    assert sorted(names - set(ENGAGEMENT_FIELDS)) == [], "add these to ENGAGEMENT_FIELDS"
    assert sorted(set(ENGAGEMENT_FIELDS) - names) == [], "ENGAGEMENT_FIELDS names no field"


def test_a_provider_is_not_shown_the_business_case() -> None:
    case = BusinessCase("internal.yaml", "Customer service", "Bilingual nearshore option")
    data = as_json(engagement(business_case=case))
    shown = engagement_fields(Role.PROVIDER, data)
    assert "business_case" not in shown
    assert "Bilingual nearshore option" not in repr(shown)
    assert shown["contracts"] == data["contracts"]
    assert shown["service_levels"] == data["service_levels"]
    assert (shown["at_risk_pct"], shown["annual_cap_pct"]) == ("12", "8.5")
    assert engagement_fields(Role.VIEWER, data) == data


def test_an_unknown_field_is_shown_to_no_one() -> None:
    data = {"name": "Customer care", "margin_target": "18 %"}
    assert engagement_fields(Role.ADMIN, data) == {"name": "Customer care"}
    assert engagement_fields(Role.PROVIDER, data) == {"name": "Customer care"}


def test_every_kind_of_action_has_a_policy_entry() -> None:
    assert set(ACTION_SOURCES) == {"audit", *(k.value for k in MeetingKind)}


@pytest.mark.parametrize(
    ("source", "provider_sees"),
    [("audit", True), ("steering_committee", False), ("milestone_review", False)],
)
def test_a_provider_sees_the_actions_of_its_audits_only(source: str, provider_sees: bool) -> None:
    assert sees_action(Role.PROVIDER, source) is provider_sees
    assert sees_action(Role.VIEWER, source)


def test_an_action_of_an_unknown_kind_is_internal() -> None:
    assert not sees_action(Role.PROVIDER, "board_meeting")
    assert sees_action(Role.ANALYST, "board_meeting")
