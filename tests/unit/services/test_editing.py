"""The editing services on the in-memory store: the files' validation naming each field, a
stale version refused with nothing written, the audit-log entry of each change, and who may
make it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from edit_samples import (
    AUDIT,
    CREDIT_MONTH,
    MEETING,
    PLAYBOOK,
    add_audit,
    add_meeting_and_credit,
    add_risk_playbook,
)
from governance_factories import PROVIDER, engagement, measurement
from sourcewise.domain.problems import InputError
from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.governance.responses import CreditVerdict
from sourcewise.security.users import Principal, Role
from sourcewise.services.credit_responses import credit_statements, respond_to_credit
from sourcewise.services.edit_access import EditForbiddenError
from sourcewise.services.engagement_editing import (
    edit_engagement,
    edit_service_level,
    engagement_for_edit,
    service_level_for_edit,
)
from sourcewise.services.finding_answers import (
    answer_finding,
    answers_by_finding,
    finding_version,
)
from sourcewise.services.playbook_steps import playbook_id, tick_step
from sourcewise.services.record_editing import add_record, close_action, edit_record, record_id
from sourcewise.services.record_versions import StaleEditError, normalise, version_of
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.storage.repositories import NotFoundError

ADMIN = Principal("admin", Role.ADMIN)
ANALYST = Principal("analyst", Role.ANALYST)
VIEWER = Principal("viewer", Role.VIEWER)
VENDOR = Principal("vendor", Role.PROVIDER, PROVIDER.name)
OTHER_VENDOR = Principal("other", Role.PROVIDER, "Other BPO")
NAME = "Customer care"


@pytest.fixture
def store() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.engagements.add_provider(Provider("Other BPO", ProviderKind.VENDOR, "IN"))
        memory.engagements.add(engagement())
        memory.commit()
    add_meeting_and_credit(memory)
    return memory


def _log(store: MemoryUnitOfWork, entity: str) -> list[object]:
    return [e for e in store.committed.audit_log if e.entity == entity]


def _level_fields(store: MemoryUnitOfWork, **changes: object) -> tuple[dict[str, object], str]:
    shown = service_level_for_edit(lambda: store, ADMIN, NAME, "Availability")
    fields = {
        k: v
        for k, v in shown.values.items()
        if k not in ("name", "metric", "direction", "aggregation", "best")
    }
    fields.update(changes)
    return {k: v for k, v in fields.items() if v is not None}, shown.version  # fmt: skip


def test_versions_are_content_hashes() -> None:
    assert version_of(MEETING) == version_of(replace(MEETING))
    assert version_of(MEETING) != version_of(replace(MEETING, attendees=()))
    assert len(version_of(MEETING)) == 32
    assert normalise('W/"abc"') == normalise('"abc"') == "abc"


def test_a_service_level_edit_is_checked_like_the_file(store: MemoryUnitOfWork) -> None:
    fields, version = _level_fields(store, target="high", earn_back_months=99)
    with pytest.raises(InputError) as raised:
        edit_service_level(lambda: store, ADMIN, NAME, "Availability", fields, version)
    paths = {p.path: p.message for p in raised.value.problems}
    assert set(paths) == {"target", "earn_back_months"}
    assert "less than or equal to 24" in paths["earn_back_months"]
    assert all(p.file == "form" and p.line is None for p in raised.value.problems)
    with pytest.raises(InputError, match="cannot be edited here"):
        edit_service_level(lambda: store, ADMIN, NAME, "Availability", {"metric": "x"}, version)
    assert _log(store, "service_level") == []


def test_a_stale_service_level_edit_writes_nothing(store: MemoryUnitOfWork) -> None:
    fields, version = _level_fields(store, target=99.0)
    edit_service_level(lambda: store, ADMIN, NAME, "Availability", fields, version)
    with pytest.raises(StaleEditError) as raised:
        edit_service_level(
            lambda: store, ANALYST, NAME, "Availability", {**fields, "target": 1}, version
        )
    assert raised.value.changed_by == "admin"
    assert (
        raised.value.current
        == service_level_for_edit(lambda: store, ADMIN, NAME, "Availability").version
    )
    level = store.committed.engagements[NAME].service_level("Availability")
    assert level is not None
    assert level.target == 99.0
    (entry,) = _log(store, "service_level")
    assert (entry.before["target"], entry.after["target"]) == (99.5, 99.0)


@pytest.mark.parametrize("who", [VIEWER, VENDOR])
def test_viewers_and_providers_edit_no_service_level(
    store: MemoryUnitOfWork, who: Principal
) -> None:
    fields, version = _level_fields(store)
    with pytest.raises(EditForbiddenError):
        edit_service_level(lambda: store, who, NAME, "Availability", fields, version)


def test_the_engagement_terms_are_edited_and_logged(store: MemoryUnitOfWork) -> None:
    shown = engagement_for_edit(lambda: store, ANALYST, NAME)
    fields = {k: v for k, v in shown.values.items() if v is not None}
    bad = {**fields, "engagement.currency": "usd!", "service_credits.max_credit_months": 13}
    with pytest.raises(InputError) as raised:
        edit_engagement(lambda: store, ANALYST, NAME, bad, shown.version)
    assert {p.path for p in raised.value.problems} == {
        "engagement.currency",
        "service_credits.max_credit_months",
    }
    good = {**fields, "service_credits.at_risk_pct": "10", "service_credits.max_credit_months": 3}
    changed = edit_engagement(lambda: store, ANALYST, NAME, good, shown.version)
    assert (changed.at_risk_pct, changed.max_credit_months) == (Decimal("10"), 3)
    assert changed.service_levels == engagement().service_levels
    (entry,) = _log(store, "engagement")
    assert (entry.before["at_risk_pct"], entry.after["at_risk_pct"]) == ("12", "10")
    with pytest.raises(StaleEditError):
        edit_engagement(lambda: store, ADMIN, NAME, fields, shown.version)


def test_closing_an_action(store: MemoryUnitOfWork) -> None:
    ident, version = record_id(MEETING), version_of(MEETING)
    with pytest.raises(InputError) as raised:
        close_action(lambda: store, ANALYST, NAME, ident, 0, date(2026, 1, 1), version)
    assert [p.path for p in raised.value.problems] == ["done_on"]
    after = close_action(lambda: store, ANALYST, NAME, ident, 0, date(2026, 1, 29), version)
    assert after.items[1].done_on == date(2026, 1, 29)
    (entry,) = _log(store, "meeting")
    assert (
        entry.key == "Customer care/steering_committee/2026-01-20/Joint steering committee, January"
    )
    assert entry.actor == "analyst"
    with pytest.raises(StaleEditError):
        close_action(lambda: store, ANALYST, NAME, ident, 1, date(2026, 2, 1), version)
    with pytest.raises(NotFoundError):
        close_action(lambda: store, ANALYST, NAME, ident, 5, date(2026, 2, 1), version_of(after))
    with pytest.raises(EditForbiddenError):
        close_action(lambda: store, VIEWER, NAME, ident, 1, date(2026, 2, 1), version_of(after))


def test_a_meeting_is_added_and_edited_with_the_files_checks(store: MemoryUnitOfWork) -> None:
    data = {
        "kind": "milestone_review",
        "held_on": "2026-03-02",
        "title": "Pilot go-live",
        "actions": [{"text": "Route overflow.", "owner": "Telephony lead", "due_on": "2026-03-01"}],
    }
    with pytest.raises(InputError) as raised:
        add_record(lambda: store, ANALYST, "meeting", NAME, data)
    messages = {p.path: p.message for p in raised.value.problems}
    assert "actions[0].due_on" in messages
    assert any("milestone" in m for m in messages.values())
    data["actions"][0]["due_on"] = "2026-03-15"
    data |= {"milestone": "Pilot live", "milestone_status": "done"}
    added = add_record(lambda: store, ANALYST, "meeting", NAME, data)
    with pytest.raises(InputError, match="exists already"):
        add_record(lambda: store, ANALYST, "meeting", NAME, data)
    edited = edit_record(
        lambda: store, ADMIN, "meeting", NAME, record_id(added),
        {**data, "title": "Renamed?", "milestone_status": "late"}, version_of(added),
    )  # fmt: skip
    assert edited.title == "Pilot go-live"  # the key stays
    assert edited.milestone_status == "late"
    assert [e.action.value for e in _log(store, "meeting")] == ["insert", "update"]


def test_a_provider_answers_its_own_credits_only(store: MemoryUnitOfWork) -> None:
    until = date(2026, 1, 1)
    (statement,) = credit_statements(lambda: store, VENDOR, NAME, until)
    assert statement.month == CREDIT_MONTH
    assert statement.credit > 0
    with pytest.raises(InputError, match="say why"):
        respond_to_credit(
            lambda: store, VENDOR, NAME, CREDIT_MONTH, CreditVerdict.DISPUTED, " ",
            statement.version,
        )  # fmt: skip
    for who, error in ((ANALYST, EditForbiddenError), (OTHER_VENDOR, NotFoundError)):
        with pytest.raises(error):
            respond_to_credit(
                lambda: store, who, NAME, CREDIT_MONTH, CreditVerdict.ACKNOWLEDGED, "",
                statement.version,
            )  # fmt: skip
    now = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
    answer = respond_to_credit(
        lambda: store, VENDOR, NAME, CREDIT_MONTH, CreditVerdict.DISPUTED, "Our network was up.",
        statement.version, now,
    )  # fmt: skip
    assert (answer.actor, answer.amount, answer.at) == ("vendor", statement.credit, now)
    with pytest.raises(StaleEditError):
        respond_to_credit(
            lambda: store, VENDOR, NAME, CREDIT_MONTH, CreditVerdict.ACKNOWLEDGED, "",
            statement.version,
        )  # fmt: skip
    (entry,) = _log(store, "credit_response")
    assert entry.key == "Customer care/2026-01"
    assert entry.after["comment"] == "Our network was up."
    (seen,) = credit_statements(lambda: store, ANALYST, NAME, until)
    assert seen.response == answer
    with pytest.raises(NotFoundError):
        credit_statements(lambda: store, OTHER_VENDOR, NAME, until)


def test_a_credit_that_changed_since_it_was_shown_is_a_conflict(store: MemoryUnitOfWork) -> None:
    (statement,) = credit_statements(lambda: store, VENDOR, NAME, date(2026, 1, 1))
    with store:  # corrected data: a better availability, so a smaller credit
        store.measurements.ingest([[("2", measurement(15, 99.3))]], replace=True)
        store.commit()
    with pytest.raises(StaleEditError):
        respond_to_credit(
            lambda: store, VENDOR, NAME, CREDIT_MONTH, CreditVerdict.ACKNOWLEDGED, "",
            statement.version,
        )  # fmt: skip


def test_a_provider_answers_findings_of_its_own_engagement(store: MemoryUnitOfWork) -> None:
    add_audit(store)
    ident, finding = record_id(AUDIT), AUDIT.findings[0]
    version = finding_version(finding, None)
    with pytest.raises(InputError, match="write what was done"):
        answer_finding(lambda: store, VENDOR, NAME, ident, "QA-1", "  ", version)
    for who, error in ((ANALYST, EditForbiddenError), (OTHER_VENDOR, NotFoundError)):
        with pytest.raises(error):
            answer_finding(lambda: store, who, NAME, ident, "QA-1", "Done.", version)
    with pytest.raises(NotFoundError):
        answer_finding(lambda: store, VENDOR, NAME, ident, "QA-9", "Done.", version)
    given = answer_finding(lambda: store, VENDOR, NAME, ident, "QA-1", "Done.", version)
    assert given.actor == "vendor"
    with pytest.raises(StaleEditError):
        answer_finding(lambda: store, VENDOR, NAME, ident, "QA-1", "Again.", version)
    assert answers_by_finding(lambda: store, NAME) == {(ident, "QA-1"): [given]}
    (entry,) = _log(store, "finding_response")
    assert entry.before is None


def test_a_playbook_step_is_ticked_once(store: MemoryUnitOfWork) -> None:
    add_risk_playbook(store)
    ident, version = playbook_id(PLAYBOOK), version_of(PLAYBOOK)
    now = datetime(2026, 2, 4, 8, 0, tzinfo=UTC)
    for who in (VIEWER, VENDOR):
        with pytest.raises(EditForbiddenError):
            tick_step(lambda: store, who, "R-001", ident, 0, True, version, now)
    after = tick_step(lambda: store, ANALYST, "R-001", ident, 0, True, version, now)
    assert after.actions[0][3] == now
    assert store.committed.playbooks == [after]
    with pytest.raises(StaleEditError):
        tick_step(lambda: store, ADMIN, "R-001", ident, 1, True, version, now)
    with pytest.raises(NotFoundError):
        tick_step(lambda: store, ADMIN, "R-001", ident, 2, True, version_of(after), now)
    (entry,) = _log(store, "playbook")
    assert entry.actor == "analyst"
