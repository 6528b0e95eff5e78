"""The unit of work: every write of a use case commits together or not at all.

Use it as a context manager; leaving the block without ``commit()`` (or with an exception)
rolls everything back::

    with uow:
        uow.engagements.add(engagement)
        uow.audit_log.append(entry)
        uow.commit()
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from sourcewise.storage.repositories import (
    AccountRepository,
    AuditLogRepository,
    CorrectiveActionRepository,
    EngagementRepository,
    JobRepository,
    KpiRepository,
    LedgerRepository,
    MeasurementRepository,
    MonitorRepository,
    RecordRepository,
    ResponseRepository,
    RiskRepository,
    WorkspaceRepository,
)


class UnitOfWork(ABC):
    engagements: EngagementRepository
    kpis: KpiRepository
    measurements: MeasurementRepository
    ledger: LedgerRepository
    risks: RiskRepository
    records: RecordRepository
    responses: ResponseRepository
    audit_log: AuditLogRepository
    accounts: AccountRepository
    workspace: WorkspaceRepository
    jobs: JobRepository
    monitor: MonitorRepository
    corrective_actions: CorrectiveActionRepository

    def __enter__(self) -> Self:
        self._begin()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Whatever was not committed is undone; a committed unit has nothing left to undo.
        self.rollback()
        self._end()

    def for_writing(self) -> Self:
        """Ask for the write lock when the unit begins (before ``with``), for a use case that
        reads, then writes, and must not be refused at the write by a concurrent writer."""
        return self

    @abstractmethod
    def _begin(self) -> None: ...
    @abstractmethod
    def _end(self) -> None: ...
    @abstractmethod
    def commit(self) -> None: ...
    @abstractmethod
    def rollback(self) -> None: ...
