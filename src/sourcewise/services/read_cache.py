"""Reads computed once per data version: what many requests of a server share (an engagement,
its SLA report, the dashboard's glances) is computed by the first request after a change and
served from memory until the next change.

The data version is the audit log's newest entry (``AuditLogRepository.version``): every change
to governance data appends one in the change's own transaction, so a new change means a new
version and the next read computes afresh. A request reads the version once, before anything
it computes, so what it computes is at least as new as its version; a request that finds a
newer version than the cache's empties the cache, and one that finds an older (it read before
a change the cache has seen) or none (a change still committing) computes without keeping.

What is cached is the same for every user: each request applies its user's visibility and
disclosure to it (``Principal.sees_provider``, ``security.disclosure``) after reading.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sourcewise.governance.records import Engagement
from sourcewise.services import views
from sourcewise.services.governance_store import UowFactory

T = TypeVar("T")
CACHE_SIZE = 512
"""Results kept for one version, least recently used dropped first."""


@dataclass(slots=True)
class _Slot:
    """One key's result, or the promise of it while the first request computes it."""

    done: threading.Event = field(default_factory=threading.Event)
    value: Any = None
    failed: bool = False


class ReadCache:
    """A server's cache of reads, for one data version at a time."""

    def __init__(self, make_uow: UowFactory, size: int = CACHE_SIZE) -> None:
        self.make_uow = make_uow
        self._size = size
        self._lock = threading.Lock()
        self._version: int | None = None
        self._slots: OrderedDict[Hashable, _Slot] = OrderedDict()

    def current(self) -> VersionedReads:
        """The reads of one request, at the data version now (one small query)."""
        with self.make_uow() as uow:
            version = uow.audit_log.version()
        return VersionedReads(self, version)

    def get(self, version: int | None, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result for ``key`` at ``version``: computed once, by the first
        request to ask; those asking meanwhile wait for it rather than compute it again."""
        if version is None:
            return compute()
        with self._lock:
            if self._version is None or version > self._version:
                self._version = version
                self._slots = OrderedDict()
            if version < self._version:
                slot, owner = None, False
            elif (slot := self._slots.get(key)) is not None:
                self._slots.move_to_end(key)
                owner = False
            else:
                slot, owner = _Slot(), True
                self._slots[key] = slot
                while len(self._slots) > self._size:
                    self._slots.popitem(last=False)
        if slot is None:
            return compute()
        if not owner:
            slot.done.wait()
            return compute() if slot.failed else cast(T, slot.value)
        try:
            slot.value = compute()
        except BaseException:
            # Errors are not kept: each request that asks meets its own.
            slot.failed = True
            with self._lock:
                if self._slots.get(key) is slot:
                    del self._slots[key]
            raise
        finally:
            slot.done.set()
        return cast(T, slot.value)


@dataclass(frozen=True, slots=True)
class VersionedReads:
    """The named reads of one request, all at the version it started at. Results are shared
    between requests: never change one."""

    cache: ReadCache
    version: int | None
    """None while a change is committing: then every read is computed and not kept."""

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self.cache.get(self.version, key, compute)

    def engagement(self, name: str) -> Engagement | None:
        return self.cached(
            ("engagement", name), lambda: views.engagement(self.cache.make_uow, name)
        )

    def engagements(self) -> list[Engagement]:
        """Every engagement, by name (a shared list: copy it before changing it)."""
        return self.cached(("engagements",), lambda: views.engagements(self.cache.make_uow))
