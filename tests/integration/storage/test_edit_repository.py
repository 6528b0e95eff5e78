"""What edits ask of storage, on the in-memory twin, SQLite and PostgreSQL: replacing an audit
or a meeting by its key, locking an engagement, and the providers' responses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.governance.records import (
    Audit,
    Finding,
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    Severity,
)
from sourcewise.governance.responses import CreditResponse, CreditVerdict, FindingResponse
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.repositories import NotFoundError

AUDIT = Audit(
    "Customer care",
    "Q1 quality audit",
    "Internal audit",
    date(2026, 3, 10),
    "Voice queues",
    (
        Finding("QA-1", "Scripts out of date", Severity.MEDIUM, "Update", "QA lead",
                date(2026, 4, 30)),
        Finding("QA-2", "No access review", Severity.HIGH, "Review", "IT lead", date(2026, 5, 31)),
    ),
)  # fmt: skip
MEETING = Meeting(
    "Customer care",
    MeetingKind.STEERING_COMMITTEE,
    date(2026, 1, 20),
    "Steering committee",
    ("A", "B"),
    items=(
        MeetingItem(ItemKind.DECISION, "Pilot first."),
        MeetingItem(ItemKind.ACTION, "QA plan.", "QA lead", date(2026, 1, 31)),
    ),
)
AT = datetime(2026, 2, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def seeded(make_uow: UowFactory) -> UowFactory:
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement())
        uow.records.add_audit(AUDIT)
        uow.records.add_meeting(MEETING)
        uow.commit()
    return make_uow


def test_an_audit_is_replaced_by_its_key_findings_and_all(seeded: UowFactory) -> None:
    closed = replace(AUDIT.findings[0], closed_on=date(2026, 4, 2))
    edited = replace(AUDIT, auditor="External", findings=(closed,))
    with seeded().for_writing() as uow:
        uow.engagements.lock("Customer care")
        uow.records.replace_audit(edited)
        uow.commit()
    with seeded() as uow:
        assert uow.records.audits("Customer care") == [edited]


def test_a_meeting_is_replaced_by_its_key_items_and_all(seeded: UowFactory) -> None:
    done = replace(MEETING.items[1], done_on=date(2026, 1, 29))
    edited = replace(MEETING, attendees=("A",), items=(MEETING.items[0], done))
    with seeded().for_writing() as uow:
        uow.records.replace_meeting(edited)
        uow.commit()
    with seeded() as uow:
        assert uow.records.meetings("Customer care") == [edited]


def test_replacing_a_record_that_is_not_there_is_refused(seeded: UowFactory) -> None:
    with seeded() as uow:
        with pytest.raises(NotFoundError):
            uow.records.replace_audit(replace(AUDIT, title="Another audit"))
        with pytest.raises(NotFoundError):
            uow.records.replace_meeting(replace(MEETING, held_on=date(2026, 1, 21)))
        with pytest.raises(NotFoundError):
            uow.engagements.lock("Nobody")


def test_credit_responses_are_appended_in_order(seeded: UowFactory) -> None:
    first = CreditResponse(
        "Customer care", date(2026, 1, 1), CreditVerdict.DISPUTED, "Network outage",
        Decimal("12000.0100"), "USD", "vendor", AT,
    )  # fmt: skip
    second = replace(first, verdict=CreditVerdict.ACKNOWLEDGED, comment="", at=AT.replace(hour=11))
    with seeded() as uow:
        ids = [uow.responses.add_credit_response(r) for r in (first, second)]
        uow.commit()
    assert ids[0] != ids[1]
    with seeded() as uow:
        stored = uow.responses.credit_responses("Customer care")
    assert stored == [first, second]
    assert stored[0].amount == Decimal("12000.01")
    assert stored[1].at == AT.replace(hour=11)
    with seeded() as uow, pytest.raises(NotFoundError):
        uow.responses.add_credit_response(replace(first, engagement="Nobody"))


def test_finding_responses_survive_an_edit_of_their_audit(seeded: UowFactory) -> None:
    answer = FindingResponse(
        "Customer care", AUDIT.title, AUDIT.held_on, "QA-2", "Review booked for May.", "vendor", AT
    )
    with seeded() as uow:
        uow.responses.add_finding_response(answer)
        uow.records.replace_audit(replace(AUDIT, scope="Voice and chat"))
        uow.commit()
    with seeded() as uow:
        assert uow.responses.finding_responses("Customer care") == [answer]
        with pytest.raises(NotFoundError):
            uow.responses.add_finding_response(replace(answer, audit_title="No such audit"))


def test_a_playbook_step_is_ticked_and_the_run_resolved(seeded: UowFactory) -> None:
    from sourcewise.governance.playbook import PlaybookRecord
    from sourcewise.governance.risks import Assessment, Risk, RiskCategory

    risk = Risk(
        "R-001", "Attrition", RiskCategory.TALENT_SHORTAGE, "Customer care", "Vendor manager",
        Assessment(4, 4), Assessment(3, 3),
    )  # fmt: skip
    due = datetime(2026, 2, 5, 9, 0, tzinfo=UTC)
    run = PlaybookRecord(
        "R-001", "breach streak", "three months", AT,
        (("Call the provider", "engagement manager", due, None),
         ("Plan", "vendor management office", due, None)),
    )  # fmt: skip
    with seeded() as uow:
        uow.risks.add(risk)
        uow.risks.add_playbook(run)
        uow.commit()
    ticked = replace(
        run,
        actions=((*run.actions[0][:3], AT.replace(hour=12)), run.actions[1]),
        resolved_at=AT.replace(day=4),
    )
    with seeded() as uow:
        uow.risks.lock("R-001")
        uow.risks.update_playbook(ticked)
        uow.commit()
    with seeded() as uow:
        assert uow.risks.playbooks("R-001") == [ticked]
        with pytest.raises(NotFoundError):
            uow.risks.update_playbook(replace(run, opened_at=AT.replace(hour=1)))
        with pytest.raises(NotFoundError):
            uow.risks.lock("R-999")


def test_two_saves_of_one_version_at_once_let_one_through(seeded: UowFactory) -> None:
    """Two people save the same service level, started from the same version, at the same
    moment: one save is stored, the other is refused as stale, on every store."""
    import threading

    from sourcewise.security.users import Principal, Role
    from sourcewise.services.engagement_editing import (
        SERVICE_LEVEL_FIELDS,
        edit_service_level,
        service_level_for_edit,
    )
    from sourcewise.services.record_versions import StaleEditError

    people = [Principal("admin", Role.ADMIN), Principal("analyst", Role.ANALYST)]
    shown = service_level_for_edit(seeded, people[0], "Customer care", "Availability")
    fields = {k: v for k, v in shown.values.items() if k in SERVICE_LEVEL_FIELDS and v is not None}
    start = threading.Barrier(len(people))
    outcomes: dict[str, str] = {}

    def save(who: Principal, target: float) -> None:
        start.wait()
        try:
            edit_service_level(
                seeded, who, "Customer care", "Availability", {**fields, "target": target},
                shown.version,
            )  # fmt: skip
            outcomes[who.username] = "saved"
        except StaleEditError:
            outcomes[who.username] = "stale"

    threads = [threading.Thread(target=save, args=(p, 90.0 + i)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["saved", "stale"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    with seeded() as uow:
        stored = uow.engagements.get("Customer care")
        logged = [e for e in uow.audit_log.entries(entity="service_level")]
    assert stored is not None
    level = stored.service_level("Availability")
    assert level is not None
    assert level.target == (90.0 if winner == "admin" else 91.0)
    assert [e.actor for e in logged] == [winner]
