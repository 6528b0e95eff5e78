"""The records the edit tests change on the provider's engagement (``Customer care``): a
meeting with open actions, a month with a service credit, a risk with an open playbook."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance_factories import measurement
from sourcewise.governance.playbook import PlaybookRecord
from sourcewise.governance.records import (
    Audit,
    Finding,
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    Severity,
)
from sourcewise.governance.risks import Assessment, Risk, RiskCategory
from sourcewise.storage.memory import MemoryUnitOfWork

MEETING = Meeting(
    engagement="Customer care",
    kind=MeetingKind.STEERING_COMMITTEE,
    held_on=date(2026, 1, 20),
    title="Joint steering committee, January",
    attendees=("Vendor manager", "Account director"),
    items=(
        MeetingItem(ItemKind.DECISION, "Start with a pilot."),
        MeetingItem(ItemKind.ACTION, "Agree the QA plan.", "Quality lead", date(2026, 1, 31)),
        MeetingItem(ItemKind.ACTION, "Weekly KPI pack.", "Account director", date(2026, 2, 6)),
    ),
)
CREDIT_MONTH = date(2026, 1, 1)


def add_meeting_and_credit(store: MemoryUnitOfWork) -> None:
    """The meeting, and January availability of 98 % against 99.5 %: a full credit."""
    with store:
        store.records.add_meeting(MEETING)
        store.measurements.ingest([[("2", measurement(15, 98.0))]], replace=False)
        store.commit()


RISK = Risk(
    "R-001", "Agent attrition", RiskCategory.TALENT_SHORTAGE, "Customer care", "Vendor manager",
    Assessment(4, 4), Assessment(3, 3),
)  # fmt: skip
PLAYBOOK = PlaybookRecord(
    "R-001",
    "breach streak",
    "Availability breached three months running",
    datetime(2026, 2, 3, 9, 30, tzinfo=UTC),
    (
        ("Call the provider's account director", "engagement manager",
         datetime(2026, 2, 5, 9, 30, tzinfo=UTC), None),
        ("Agree a recovery plan", "vendor management office",
         datetime(2026, 2, 10, 9, 30, tzinfo=UTC), None),
    ),
)  # fmt: skip


def add_risk_playbook(store: MemoryUnitOfWork) -> None:
    """A risk of ``Customer care`` with an open playbook of two steps."""
    with store:
        store.risks.add(RISK)
        store.risks.add_playbook(PLAYBOOK)
        store.commit()


AUDIT = Audit(
    "Customer care",
    "Q1 quality audit",
    "Internal audit",
    date(2026, 3, 10),
    "Voice queues",
    (
        Finding("QA-1", "Scripts out of date", Severity.MEDIUM, "Update the scripts",
                "BPO quality lead", date(2026, 4, 30)),
    ),
)  # fmt: skip


def add_audit(store: MemoryUnitOfWork) -> None:
    with store:
        store.records.add_audit(AUDIT)
        store.commit()
