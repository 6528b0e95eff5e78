"""One contract, three implementations: the in-memory twin, SQLite and PostgreSQL must agree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from governance_factories import PROVIDER, calendar_contract, engagement, measurement
from sourcewise.governance.benefits import PlannedMonth
from sourcewise.governance.pilot import CriterionKind
from sourcewise.governance.playbook import PlaybookRecord
from sourcewise.governance.records import (
    Audit,
    AuditLogEntry,
    ChangeAction,
    Finding,
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    MonthlyCost,
    NoticePeriod,
    PeriodUnit,
    Pilot,
    PilotCriterionSpec,
    Renewal,
    Severity,
    Survey,
    SurveyQuestion,
)
from sourcewise.governance.risks import Assessment, Risk, RiskCategory, RiskChange
from sourcewise.governance.surveys import QuestionKind
from sourcewise.governance.triggers import BreachStreakTrigger, FxMoveTrigger
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.repositories import DuplicateError, NotFoundError


def seed(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement())
        uow.commit()


def test_engagement_round_trip_keeps_contracts_service_levels_and_exact_money(
    make_uow: UowFactory,
) -> None:
    seed(make_uow)
    with make_uow() as uow:
        stored = uow.engagements.get("Customer care")
    assert stored == engagement()
    assert stored is not None
    assert stored.fees_in(date(2026, 3, 1)) == Decimal("100000.10")
    assert stored.contracts[1].parent == "MSA-1"


def test_engagement_round_trip_keeps_each_contracts_calendar(make_uow: UowFactory) -> None:
    plain = engagement()
    dated = engagement(
        contracts=(
            *plain.contracts,
            calendar_contract(),
            calendar_contract(
                "SOW-3",
                notice=NoticePeriod(90, PeriodUnit.DAYS),
                renewal=Renewal(),
                termination_assistance=None,
                price_reviews=(),
                total_value=None,
            ),
        )
    )
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(dated)
        uow.commit()
    with make_uow() as uow:
        stored = uow.engagements.get("Customer care")
        assert stored == dated
        uow.engagements.replace(plain)
        uow.commit()
    with make_uow() as uow:
        assert uow.engagements.get("Customer care") == plain


def test_engagement_round_trip_keeps_the_month_count_of_service_credits(
    make_uow: UowFactory,
) -> None:
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement(max_credit_months=4))
        uow.commit()
    with make_uow() as uow:
        stored = uow.engagements.get("Customer care")
        uow.engagements.replace(engagement(max_credit_months=None))
        uow.commit()
    assert stored is not None
    assert stored.max_credit_months == 4
    assert stored == engagement(max_credit_months=4)
    with make_uow() as uow:
        replaced = uow.engagements.get("Customer care")
    assert replaced is not None
    assert replaced.max_credit_months is None


def test_duplicate_names_are_refused_and_nothing_is_half_written(make_uow: UowFactory) -> None:
    seed(make_uow)
    with make_uow() as uow:
        with pytest.raises(DuplicateError, match="exists already"):
            uow.engagements.add(engagement())
        with pytest.raises(DuplicateError):
            uow.engagements.add_provider(PROVIDER)
    with make_uow() as uow:
        assert [e.name for e in uow.engagements.all()] == ["Customer care"]


def test_leaving_without_commit_rolls_back(make_uow: UowFactory) -> None:
    seed(make_uow)
    with make_uow() as uow:
        uow.engagements.add(engagement("Second"))
    with make_uow() as uow:
        assert uow.engagements.get("Second") is None


def test_an_error_midway_rolls_back_everything_of_the_unit(make_uow: UowFactory) -> None:
    seed(make_uow)

    def add_then_fail() -> None:
        with make_uow() as uow:
            uow.engagements.add(engagement("Second"))
            uow.ledger.put_costs([MonthlyCost("Nobody", date(2026, 1, 1), Decimal(1))])
            uow.commit()

    with pytest.raises(NotFoundError):
        add_then_fail()
    with make_uow() as uow:
        assert uow.engagements.get("Second") is None


def test_replace_keeps_the_measurements(make_uow: UowFactory) -> None:
    seed(make_uow)
    with make_uow() as uow:
        uow.measurements.ingest([[("line 2", measurement(1, 99.9))]], replace=False)
        uow.engagements.replace(engagement(at_risk_pct=Decimal("10")))
        uow.commit()
    with make_uow() as uow:
        assert uow.measurements.count("Customer care") == 1
        stored = uow.engagements.get("Customer care")
        assert stored is not None
        assert stored.at_risk_pct == Decimal("10")


def test_ingest_is_idempotent_and_reports_conflicts(make_uow: UowFactory) -> None:
    seed(make_uow)
    rows = [("line 2", measurement(1, 99.9)), ("line 3", measurement(2, 99.1, sample_size=10))]
    with make_uow() as uow:
        first = uow.measurements.ingest([rows], replace=False)
        uow.commit()
    assert (first.inserted, first.unchanged, first.conflict_count) == (2, 0, 0)
    with make_uow() as uow:
        again = uow.measurements.ingest([rows[:1], rows[1:]], replace=False)
        uow.commit()
    assert (again.inserted, again.unchanged, again.conflict_count) == (0, 2, 0)
    with make_uow() as uow:
        changed = uow.measurements.ingest([[("line 9", measurement(1, 98.0))]], replace=False)
    assert changed.conflict_count == 1
    assert changed.conflicts[0].row == "line 9"
    assert "already recorded as 99.9" in changed.conflicts[0].message
    with make_uow() as uow:
        replaced = uow.measurements.ingest([[("line 9", measurement(1, 98.0))]], replace=True)
        uow.commit()
    assert (replaced.replaced, replaced.conflict_count) == (1, 0)
    with make_uow() as uow:
        values = [m.value for m in uow.measurements.series("Customer care", "availability")]
    assert values == [98.0, 99.1]


def test_a_row_contradicting_an_earlier_row_of_the_file_is_a_conflict(make_uow: UowFactory) -> None:
    seed(make_uow)
    rows = [
        ("line 2", measurement(1, 99.9)),
        ("line 3", measurement(1, 99.9)),
        ("line 4", measurement(1, 97.0)),
        ("line 5", measurement(1, 99.9, series="queue B")),
    ]
    with make_uow() as uow:
        outcome = uow.measurements.ingest([rows[:2], rows[2:]], replace=False)
    assert (outcome.inserted, outcome.unchanged, outcome.conflict_count) == (2, 1, 1)
    assert outcome.conflicts[0].row == "line 4"
    assert "was given as 99.9 earlier in the file" in outcome.conflicts[0].message


def test_series_filters_by_period_and_returns_utc(make_uow: UowFactory) -> None:
    seed(make_uow)
    rows = [(f"line {d}", measurement(d, 99.0 + d / 100)) for d in (5, 1, 20)]
    with make_uow() as uow:
        uow.measurements.ingest([rows], replace=False)
        uow.commit()
    with make_uow() as uow:
        found = uow.measurements.series(
            "Customer care",
            "availability",
            start=datetime(2026, 1, 2, tzinfo=UTC),
            end=datetime(2026, 1, 20, tzinfo=UTC),
        )
        assert uow.measurements.kpis("Customer care") == ["availability"]
    assert [m.period for m in found] == [datetime(2026, 1, 5, tzinfo=UTC)]


def test_ledger_costs_and_plan(make_uow: UowFactory) -> None:
    seed(make_uow)
    cost = MonthlyCost("Customer care", date(2026, 1, 1), Decimal("0.1"), Decimal("0.2"))
    plan = [PlannedMonth(date(2026, 1, 1), Decimal("120000.00"), Decimal("100000.33"))]
    with make_uow() as uow:
        uow.ledger.put_costs([cost, MonthlyCost("Customer care", date(2026, 2, 1), Decimal(5))])
        uow.ledger.put_costs([cost])
        uow.ledger.put_plan("Customer care", plan)
        uow.commit()
    with make_uow() as uow:
        costs = uow.ledger.costs("Customer care")
        assert costs[0].fees + costs[0].internal_costs == Decimal("0.3")
        assert len(costs) == 2
        assert uow.ledger.plan("Customer care") == plan


def risk(**changes: object) -> Risk:
    values: dict[str, object] = {
        "code": "R-001",
        "title": "Peso appreciation",
        "category": RiskCategory.CURRENCY_SHOCK,
        "engagement": "Customer care",
        "owner": "CFO",
        "inherent": Assessment(4, 4),
        "residual": Assessment(3, 3),
        "mitigations": ("Hedge 50 % of fees",),
        "triggers": (
            FxMoveTrigger("USD", "PHP", Decimal("5"), lookback_months=3),
            BreachStreakTrigger(streak=3),
        ),
    }
    values.update(changes)
    return Risk(**values)  # type: ignore[arg-type]


def test_risks_history_and_playbooks(make_uow: UowFactory) -> None:
    seed(make_uow)
    at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    with make_uow() as uow:
        uow.risks.add(risk())
        with pytest.raises(DuplicateError):
            uow.risks.add(risk())
        change = RiskChange(at, "cfo", "residual.impact", "3", "2")
        uow.risks.update(risk(residual=Assessment(3, 2)), [change])
        uow.risks.add_playbook(
            PlaybookRecord("R-001", "fx", "moved", at, (("Review hedge", "Treasurer", at, None),))
        )
        uow.commit()
    with make_uow() as uow:
        assert uow.risks.get("R-001") == risk(residual=Assessment(3, 2))
        assert uow.risks.history("R-001") == [change]
        assert uow.risks.all("Customer care")[0].triggers == risk().triggers
        runs = uow.risks.playbooks("R-001")
    assert runs[0].actions == (("Review hedge", "Treasurer", at, None),)


def test_audits_surveys_meetings_pilots(make_uow: UowFactory) -> None:
    seed(make_uow)
    audit = Audit(
        "Customer care",
        "Q1 quality audit",
        "Internal audit",
        date(2026, 4, 2),
        "Call handling",
        (Finding("F1", "Scripts outdated", Severity.HIGH, "Update", "Ops", date(2026, 5, 1)),),
    )
    survey = Survey(
        "Customer care",
        "Business stakeholders",
        date(2026, 3, 1),
        "Sales",
        (SurveyQuestion("nps", "Recommend?", QuestionKind.NPS, 10, (10, 9, 3)),),
    )
    meeting = Meeting(
        "Customer care",
        MeetingKind.STEERING_COMMITTEE,
        date(2026, 3, 15),
        "Q1 steering committee",
        ("CFO", "Vendor lead"),
        items=(MeetingItem(ItemKind.ACTION, "Fix scripts", "Ops", date(2026, 4, 1)),),
    )
    pilot = Pilot(
        "Customer care",
        "Voice pilot",
        date(2026, 1, 1),
        date(2026, 3, 31),
        (
            PilotCriterionSpec(
                "Defects", CriterionKind.PROPORTION, "lower_is_better", 0.02, events=3, trials=400
            ),
            PilotCriterionSpec(
                "CSAT",
                CriterionKind.MEAN,
                "higher_is_better",
                None,
                values=(4.0, 5.0),
                baseline_values=(4.0,),
                target_is_baseline=True,
            ),
        ),
    )
    with make_uow() as uow:
        uow.records.add_audit(audit)
        uow.records.add_survey(survey)
        uow.records.add_meeting(meeting)
        uow.records.add_pilot(pilot)
        uow.commit()
    with make_uow() as uow:
        with pytest.raises(DuplicateError):
            uow.records.add_audit(audit)
        assert uow.records.audits("Customer care") == [audit]
        assert uow.records.surveys("Customer care") == [survey]
        assert uow.records.meetings("Customer care") == [meeting]
        assert uow.records.pilots("Customer care") == [pilot]


def test_audit_log_is_newest_first_and_filterable(make_uow: UowFactory) -> None:
    at = datetime(2026, 1, 1, tzinfo=UTC)
    with make_uow() as uow:
        uow.audit_log.append(
            AuditLogEntry(at, "ana", "engagement", "A", ChangeAction.INSERT, None, {"fee": "1.00"})
        )
        uow.audit_log.append(
            AuditLogEntry(at, "bo", "risk", "R-1", ChangeAction.UPDATE, {"x": 1}, {"x": 2})
        )
        uow.commit()
    with make_uow() as uow:
        entries = uow.audit_log.entries()
        assert [e.actor for e in entries] == ["bo", "ana"]
        assert uow.audit_log.entries(entity="engagement")[0].after == {"fee": "1.00"}


def test_the_audit_log_version_is_its_newest_entry(make_uow: UowFactory) -> None:
    def entry(actor: str) -> AuditLogEntry:
        at = datetime(2026, 1, 1, tzinfo=UTC)
        return AuditLogEntry(at, actor, "risk", "R-1", ChangeAction.INSERT, None, {"x": 1})

    with make_uow() as uow:
        assert uow.audit_log.version() == 0
        uow.audit_log.append(entry("ana"))
        uow.commit()
    with make_uow() as uow:
        first = uow.audit_log.version()
        assert first == uow.audit_log.entries(limit=1)[0].id
        uow.audit_log.append(entry("bo"))
        uow.commit()
    with make_uow() as uow:
        assert uow.audit_log.version() == uow.audit_log.entries(limit=1)[0].id
        assert (uow.audit_log.version() or 0) > (first or 0)


def test_accounts_users_tokens_sessions_failures(make_uow: UowFactory) -> None:
    from sourcewise.security.users import ApiToken, Role, User, WebSession

    seed(make_uow)
    at = datetime(2026, 1, 1, 9, tzinfo=UTC)
    admin = User("admin", Role.ADMIN, "$argon2id$x", created_at=at)
    vendor = User("vendor", Role.PROVIDER, "$argon2id$y", PROVIDER.name, created_at=at)
    with make_uow() as uow:
        uow.accounts.add_user(admin)
        uow.accounts.add_user(vendor)
        with pytest.raises(DuplicateError):
            uow.accounts.add_user(admin)
        uow.accounts.add_token(ApiToken("ci", "vendor", "h1", at, at + timedelta(days=1)))
        uow.accounts.add_session(WebSession("s1", "admin", "c1", at, at + timedelta(hours=1)))
        uow.accounts.record_failure("user:admin", at)
        uow.accounts.record_failure("user:admin", at + timedelta(minutes=5))
        uow.accounts.record_failure("client:10.0.0.1", at - timedelta(days=2))
        uow.commit()
    with make_uow() as uow:
        assert uow.accounts.user("vendor") == vendor
        assert [u.username for u in uow.accounts.users()] == ["admin", "vendor"]
        token = uow.accounts.token("h1")
        assert token is not None
        assert (token.username, token.expires_at) == ("vendor", at + timedelta(days=1))
        assert uow.accounts.revoke_token("vendor", "ci")
        assert not uow.accounts.revoke_token("vendor", "nope")
        session = uow.accounts.session("s1")
        assert session is not None
        assert session.csrf_token == "c1"
        later = at + timedelta(minutes=5)
        assert uow.accounts.recent_failures("user:admin", at + timedelta(minutes=1)) == (1, later)
        assert uow.accounts.recent_failures("user:admin", at) == (2, later)
        assert uow.accounts.recent_failures("user:nobody", at) == (0, None)
        assert uow.accounts.forget_failures(at - timedelta(days=1)) == 1
        assert uow.accounts.recent_failures("client:10.0.0.1", at - timedelta(days=3))[0] == 0
        uow.accounts.clear_failures("user:admin")
        assert uow.accounts.recent_failures("user:admin", at) == (0, None)
        assert uow.accounts.delete_expired_sessions(at + timedelta(hours=2)) == 1
        uow.commit()
    with make_uow() as uow:
        revoked = uow.accounts.token("h1")
        assert revoked is not None
        assert revoked.revoked
        assert uow.accounts.session("s1") is None
