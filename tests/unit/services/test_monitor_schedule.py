"""The monitoring schedule inside the servers: the run is claimed through the database, so of
several servers one runs it each time it falls due; runs are recorded for the inbox."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.services.monitor_run import MONITOR_RUN, run_monitor
from sourcewise.services.monitor_schedule import MonitorScheduler, last_run, run_if_due
from sourcewise.storage.memory import MemoryUnitOfWork

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


class NoChannels:
    def email(self, to: str, subject: str, body: str) -> None:
        raise AssertionError("nothing is subscribed")

    def webhook(self, url: str, text: str, payload: dict[str, Any]) -> None:
        raise AssertionError("nothing is subscribed")


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.engagements.add(engagement("Customer care"))
        memory.commit()
    return memory


def test_the_run_is_due_once_per_interval(uow: MemoryUnitOfWork) -> None:
    make = lambda: uow  # noqa: E731
    assert last_run(make) is None
    first = run_if_due(make, HOUR, NOW, NoChannels())
    assert first is not None
    # A second server, a minute later, finds it taken.
    assert run_if_due(make, HOUR, NOW + timedelta(minutes=1), NoChannels()) is None
    recorded = last_run(make)
    assert recorded is not None
    assert recorded.next_due_at == NOW + HOUR
    assert recorded.last_started_at == NOW
    assert recorded.last_summary == first.summary
    assert recorded.last_error is None
    assert run_if_due(make, HOUR, NOW + HOUR, NoChannels()) is not None
    state = last_run(make)
    assert state is not None
    assert state.next_due_at == NOW + 2 * HOUR


def test_a_run_from_the_command_line_is_recorded_and_a_failure_too(
    uow: MemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    make = lambda: uow  # noqa: E731
    run = run_monitor(make, channels=NoChannels())
    state = last_run(make)
    assert state is not None
    assert (state.name, state.last_summary) == (MONITOR_RUN, run.summary)
    # Not on a schedule: due at once for a server that has one.
    assert run_if_due(make, HOUR, datetime.now(UTC) + timedelta(seconds=1), NoChannels())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr("sourcewise.services.monitor_run.find_conditions", broken)
    with pytest.raises(RuntimeError):
        run_monitor(make, channels=NoChannels(), now=NOW)
    failed = last_run(make)
    assert failed is not None
    assert failed.last_error == "RuntimeError: database went away"
    assert failed.last_summary is None


def test_the_scheduler_thread_runs_and_stops(uow: MemoryUnitOfWork) -> None:
    ran = threading.Event()
    make = lambda: uow  # noqa: E731

    class Recording(NoChannels):
        pass

    scheduler = MonitorScheduler(make, HOUR, poll=timedelta(milliseconds=10), channels=Recording())
    original = uow.monitor.finish_scheduled_run

    def finished(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        ran.set()

    uow.monitor.finish_scheduled_run = finished  # type: ignore[method-assign]
    scheduler.start()
    try:
        assert ran.wait(10), "the scheduler did not run"
    finally:
        scheduler.stop()
    state = last_run(make)
    assert state is not None
    assert state.last_error is None
    with pytest.raises(ValueError, match="every"):
        MonitorScheduler(make, timedelta(seconds=5))
