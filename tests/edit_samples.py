"""The records the edit tests change: a meeting with an open action and a month with a
service credit on the provider's engagement (``Customer care``)."""

from __future__ import annotations

from datetime import date

from governance_factories import measurement
from sourcewise.governance.records import ItemKind, Meeting, MeetingItem, MeetingKind
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
