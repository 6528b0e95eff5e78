"""Monitoring fires on the contract calendar: notice deadlines, renewals, price reviews and
benchmarking within the lead time, each date once however often the monitor runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from governance_factories import PROVIDER, calendar_contract, engagement
from sourcewise.governance.alerts import Channel, EventKind, Severity
from sourcewise.governance.records import Renewal, RenewalDecision
from sourcewise.security.users import Role, User
from sourcewise.services.monitor_events import find_conditions
from sourcewise.services.monitor_run import run_monitor
from sourcewise.services.notifications import subscribe
from sourcewise.storage.memory import MemoryUnitOfWork

NAME = "Customer care"


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def email(self, to: str, subject: str, body: str) -> None:
        self.sent.append(subject)

    def webhook(self, url: str, text: str, payload: object) -> None:
        self.sent.append(text)


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        plain = engagement(NAME)
        contract = calendar_contract(renewal=Renewal(True, 12))
        memory.engagements.add(replace(plain, contracts=(*plain.contracts, contract)))
        memory.accounts.add_user(User("ana", Role.ANALYST, "x"))
        memory.commit()
    return memory


def _contract_events(
    uow: MemoryUnitOfWork, as_of: date, lead: int = 90
) -> list[tuple[EventKind, str, Severity]]:
    return [
        (c.kind, c.period, c.severity)
        for c in find_conditions(lambda: uow, as_of, notice_days=lead)
        if c.kind.value.startswith("contract_")
    ]


def test_each_kind_of_contract_date_fires_within_the_lead_time(uow: MemoryUnitOfWork) -> None:
    assert _contract_events(uow, date(2026, 12, 1)) == [
        (EventKind.CONTRACT_PRICE_REVIEW, "2027-01-01", Severity.INFO)
    ]
    assert _contract_events(uow, date(2027, 6, 10)) == [
        (EventKind.CONTRACT_BENCHMARKING, "2027-06-30", Severity.WARNING)
    ]
    assert _contract_events(uow, date(2028, 9, 15), lead=120) == [
        (EventKind.CONTRACT_NOTICE_DEADLINE, "2028-09-30", Severity.CRITICAL),
        (EventKind.CONTRACT_RENEWAL, "2028-12-31", Severity.WARNING),
    ]
    assert _contract_events(uow, date(2028, 9, 15), lead=10) == []
    assert _contract_events(uow, date(2028, 9, 15)) == [
        (EventKind.CONTRACT_NOTICE_DEADLINE, "2028-09-30", Severity.CRITICAL)
    ]


def test_a_renewing_contract_fires_for_the_next_term_and_a_final_end_as_ending(
    uow: MemoryUnitOfWork,
) -> None:
    assert _contract_events(uow, date(2029, 9, 1), lead=30) == [
        (EventKind.CONTRACT_NOTICE_DEADLINE, "2029-09-30", Severity.CRITICAL)
    ]
    with uow:
        stored = uow.engagements.get(NAME)
        assert stored is not None
        ending = calendar_contract(renewal=Renewal(True, 12, RenewalDecision.TERMINATE))
        uow.engagements.replace(replace(stored, contracts=(*stored.contracts[:2], ending)))
        uow.commit()
    assert _contract_events(uow, date(2028, 12, 1)) == [
        (EventKind.CONTRACT_ENDING, "2028-12-31", Severity.CRITICAL)
    ]


def test_the_same_date_is_one_event_and_one_notification(uow: MemoryUnitOfWork) -> None:
    subscribe(lambda: uow, "ana", Channel.EMAIL, "ana@example.com", min_severity=Severity.INFO)
    channels = Recorder()
    moment = datetime(2028, 9, 15, 6, tzinfo=UTC)
    first = run_monitor(
        lambda: uow, date(2028, 9, 15), channels=channels, now=moment, notice_days=120
    )
    kinds = sorted(e.kind.value for e in first.recorded.new)
    assert kinds == ["contract_notice_deadline", "contract_renewal"]
    again = run_monitor(
        lambda: uow, date(2028, 9, 16), channels=channels, now=moment, notice_days=120
    )
    assert again.recorded.new == ()
    assert again.recorded.seen_again == 2
    assert len(channels.sent) == 2
