"""The named read queries, on the in-memory twin."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.governance.kpis import BUILT_IN_KPIS
from sourcewise.governance.records import AuditLogEntry, ChangeAction, Measurement
from sourcewise.services import views
from sourcewise.storage.memory import MemoryUnitOfWork

NAME = "Customer care"


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.engagements.add(engagement())
        memory.engagements.add(engagement("Back office"))
        outcome = memory.measurements.ingest(
            [
                [
                    (
                        "1",
                        Measurement(NAME, "availability", datetime(2026, 3, 9, tzinfo=UTC), 99.0),
                    ),
                    (
                        "2",
                        Measurement(NAME, "availability", datetime(2026, 5, 4, tzinfo=UTC), 99.7),
                    ),
                ]
            ],
            False,
        )
        assert outcome.conflict_count == 0
        memory.commit()
    return memory


def test_engagements_and_their_measurement_counts(uow: MemoryUnitOfWork) -> None:
    rows = views.engagements_with_counts(lambda: uow)
    assert sorted((e.name, count) for e, count in rows) == [("Back office", 0), (NAME, 2)]
    found = views.engagement(lambda: uow, NAME)
    assert found is not None
    assert found.name == NAME
    assert views.engagement(lambda: uow, "Nobody") is None


def test_the_kpi_catalogue_lists_built_in_definitions_first(uow: MemoryUnitOfWork) -> None:
    entries = views.kpi_catalogue(lambda: uow)
    assert [e.kpi.code for e in entries] == list(BUILT_IN_KPIS)
    assert {e.origin for e in entries} == {"built-in"}


def test_measured_kpis_series_and_latest_month(uow: MemoryUnitOfWork) -> None:
    assert views.measured_kpis(lambda: uow, NAME) == ["availability"]
    since_april = views.kpi_measurements(
        lambda: uow, NAME, "availability", datetime(2026, 4, 1, tzinfo=UTC)
    )
    assert [m.value for m in since_april] == [99.7]
    definitions, measured = views.measured_series(lambda: uow, NAME)
    assert "availability" in definitions
    assert [m.value for m in measured["availability"]] == [99.0, 99.7]
    found = views.engagement(lambda: uow, NAME)
    assert found is not None
    assert views.latest_measured_month(lambda: uow, found, date(2026, 11, 20)) == date(2026, 5, 1)


def test_the_audit_log_newest_first(uow: MemoryUnitOfWork) -> None:
    with uow:
        for key in ("a", "b"):
            uow.audit_log.append(
                AuditLogEntry(
                    datetime(2026, 1, 1, tzinfo=UTC), "me", "kpi", key, ChangeAction.INSERT
                )
            )
        uow.commit()
    entries = views.audit_log(lambda: uow, entity="kpi")
    assert [e.key for e in entries] == ["b", "a"]
