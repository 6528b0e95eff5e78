"""Corrective-action plans and engagements' steering terms on the in-memory twin, SQLite and
PostgreSQL alike: one plan per breach (a unique key), closing stored, terms round-trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.governance.corrective_actions import CorrectiveActionPlan, PlanState, PlanTerms
from sourcewise.governance.kpis import ScorecardDomain
from sourcewise.governance.remedies import Remedy, RemedyKind
from sourcewise.governance.scorecard import ScorecardTerms
from sourcewise.governance.service_levels import ServiceLevelKind
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.repositories import DuplicateError, NotFoundError

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def plan(engagement: str = "Customer care", level: str = "Availability") -> CorrectiveActionPlan:
    return CorrectiveActionPlan(
        engagement,
        level,
        date(2026, 8, 1),
        date(2026, 8, 1),
        "Vendor manager",
        date(2026, 12, 25),
        NOW,
    )


def test_one_plan_per_breach_and_its_closing_is_kept(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        first = uow.corrective_actions.add(plan())
        second = uow.corrective_actions.add(plan(level="Defects"))
        uow.commit()
    with make_uow() as uow, pytest.raises(DuplicateError):
        uow.corrective_actions.add(plan())
    later = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)
    with make_uow() as uow:
        stored = uow.corrective_actions.get(first)
        assert stored == replace(plan(), id=first)
        closed = replace(
            stored,
            last_breach=date(2026, 10, 1),
            state=PlanState.CLOSED,
            closed_by="ana",
            closed_at=later,
            closing_note="Retrained",
        )
        uow.corrective_actions.update(closed)
        uow.commit()
    with make_uow() as uow:
        assert uow.corrective_actions.get(first) == closed
        assert [p.id for p in uow.corrective_actions.plans(states=(PlanState.OPEN,))] == [second]
        assert [p.id for p in uow.corrective_actions.plans("Customer care")] == [first, second]
        assert uow.corrective_actions.plans("Other") == []
        assert uow.corrective_actions.get(999) is None
        with pytest.raises(NotFoundError):
            uow.corrective_actions.update(replace(closed, id=999))


def test_leaving_without_commit_opens_no_plan(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        uow.corrective_actions.add(plan())
    with make_uow() as uow:
        assert uow.corrective_actions.plans() == []


def test_the_engagements_steering_terms_round_trip(make_uow: UowFactory) -> None:
    steered = engagement(
        scorecard=ScorecardTerms(
            weights={ScorecardDomain.QUALITY: 2.0, ScorecardDomain.SERVICE_LEVELS: 1.5},
            breach_points={ServiceLevelKind.CRITICAL: 30.0, ServiceLevelKind.KEY_MEASUREMENT: 0.0},
            lookback_months=3,
        ),
        corrective_actions=PlanTerms("Head of vendor management", 14),
        remedies=(
            Remedy(
                RemedyKind.FEE_WITHHOLDING,
                "SOW-01 §6.4",
                after_breaches=3,
                consecutive=True,
                withhold_pct=Decimal("2.5"),
                note="From the next invoice",
            ),
            Remedy(
                RemedyKind.ESCALATION,
                "MSA §15",
                after_breaches=2,
                applies_to=(ServiceLevelKind.CRITICAL, ServiceLevelKind.KEY_MEASUREMENT),
                level="the executive sponsor",
            ),
        ),
    )
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(steered)
        uow.engagements.add(engagement("Defaults"))
        uow.commit()
    with make_uow() as uow:
        assert uow.engagements.get("Customer care") == steered
        defaults = uow.engagements.get("Defaults")
    assert defaults is not None
    assert (defaults.scorecard, defaults.corrective_actions, defaults.remedies) == (
        ScorecardTerms(),
        PlanTerms(),
        (),
    )
