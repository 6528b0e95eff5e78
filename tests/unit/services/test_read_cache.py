"""The server's read cache: one computation per key and data version, never a result older
than the version a request read, errors never kept."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.governance.records import AuditLogEntry, ChangeAction
from sourcewise.services.read_cache import ReadCache
from sourcewise.storage.memory import MemoryUnitOfWork


def _log(store: MemoryUnitOfWork) -> None:
    """A change, as every service records one."""
    with store:
        at = datetime(2026, 1, 1, tzinfo=UTC)
        store.audit_log.append(
            AuditLogEntry(at, "ana", "risk", "R-1", ChangeAction.INSERT, None, {})
        )
        store.commit()


@pytest.fixture
def store() -> MemoryUnitOfWork:
    return MemoryUnitOfWork()


@pytest.fixture
def cache(store: MemoryUnitOfWork) -> ReadCache:
    return ReadCache(lambda: store)


def test_a_read_is_computed_once_per_version(store: MemoryUnitOfWork, cache: ReadCache) -> None:
    calls = count(1)
    first = cache.current()
    assert first.version == 0
    assert first.cached("k", lambda: next(calls)) == 1
    assert cache.current().cached("k", lambda: next(calls)) == 1
    assert cache.current().cached("other", lambda: next(calls)) == 2
    _log(store)
    after = cache.current()
    assert after.version == 1
    assert after.cached("k", lambda: next(calls)) == 3


def test_a_request_behind_the_cache_computes_without_keeping(cache: ReadCache) -> None:
    assert cache.get(5, "k", lambda: "at 5") == "at 5"
    # A request that read version 4 before the change that made 5: its result is its own.
    assert cache.get(4, "k", lambda: "at 4") == "at 4"
    assert cache.get(5, "k", lambda: "again") == "at 5"


def test_no_version_means_nothing_is_kept(cache: ReadCache) -> None:
    """A change committing (PostgreSQL) leaves no settled version to keep a result under."""
    assert cache.get(None, "k", lambda: 1) == 1
    assert cache.get(None, "k", lambda: 2) == 2


def test_errors_are_not_kept(cache: ReadCache) -> None:
    def fail() -> int:
        raise ValueError("no such month")

    with pytest.raises(ValueError, match="no such month"):
        cache.get(1, "k", fail)
    assert cache.get(1, "k", lambda: 7) == 7


def test_the_oldest_results_go_first_when_full(store: MemoryUnitOfWork) -> None:
    cache = ReadCache(lambda: store, size=2)
    for key in "abc":
        cache.get(1, key, lambda key=key: key)
    assert cache.get(1, "a", lambda: "recomputed") == "recomputed"
    assert cache.get(1, "c", lambda: "recomputed") == "c"


def test_requests_asking_at_once_share_one_computation(cache: ReadCache) -> None:
    started, release = threading.Event(), threading.Event()
    calls = count(1)

    def slow() -> int:
        started.set()
        release.wait(5)
        return next(calls)

    results: list[int] = []
    first = threading.Thread(target=lambda: results.append(cache.get(1, "k", slow)))
    first.start()
    started.wait(5)
    waiters = [
        threading.Thread(target=lambda: results.append(cache.get(1, "k", slow))) for _ in range(4)
    ]
    for waiter in waiters:
        waiter.start()
    release.set()
    for thread in (first, *waiters):
        thread.join(5)
    assert results == [1] * 5


def test_named_reads_follow_changes(store: MemoryUnitOfWork, cache: ReadCache) -> None:
    with store:
        store.engagements.add_provider(PROVIDER)
        store.engagements.add(engagement("Customer care"))
        store.commit()
    _log(store)
    before = cache.current()
    assert before.engagement("Customer care") == engagement("Customer care")
    assert [e.name for e in before.engagements()] == ["Customer care"]
    changed = engagement("Customer care", at_risk_pct=Decimal("15"))
    with store:
        store.engagements.replace(changed)
        store.engagements.add(engagement("Other care"))
        store.commit()
    # Not until the change is logged (every service logs its changes in the same unit).
    assert cache.current().engagement("Customer care") == engagement("Customer care")
    _log(store)
    after = cache.current()
    assert after.engagement("Customer care") == changed
    assert [e.name for e in after.engagements()] == ["Customer care", "Other care"]
