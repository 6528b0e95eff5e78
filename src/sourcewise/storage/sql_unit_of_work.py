"""The unit of work on a database: one connection and one transaction per use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from sourcewise.storage.database import SQLITE_BEGIN
from sourcewise.storage.sql_accounts import SqlAccounts
from sourcewise.storage.sql_corrective_actions import SqlCorrectiveActions
from sourcewise.storage.sql_engagements import SqlEngagements, SqlKpis, SqlLedger
from sourcewise.storage.sql_jobs import SqlJobs
from sourcewise.storage.sql_measurements import SqlMeasurements
from sourcewise.storage.sql_monitor import SqlMonitor
from sourcewise.storage.sql_records import SqlAuditLog, SqlRecords, SqlRisks
from sourcewise.storage.sql_responses import SqlResponses
from sourcewise.storage.sql_workspace import SqlWorkspace
from sourcewise.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine, RootTransaction


class SchemaOutOfDateError(RuntimeError):
    """The database is not at the code's migration head; ``sourcewise db upgrade`` fixes it."""


class SqlUnitOfWork(UnitOfWork):
    def __init__(self, engine: Engine, source: str = "") -> None:
        self.engine = engine
        self.source = source
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._immediate = False

    def for_writing(self) -> Self:
        # SQLite only; on PostgreSQL the ingestion locks its table itself (SqlMeasurements),
        # and the job queue takes an advisory lock or locks rows (SqlJobs).
        self._immediate = True
        return self

    def _begin(self) -> None:
        connection = self.engine.connect()
        if self._immediate:
            connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        self._connection = connection
        self._transaction = connection.begin()
        self.engagements = SqlEngagements(connection)
        self.kpis = SqlKpis(connection)
        self.measurements = SqlMeasurements(connection, self.source)
        self.ledger = SqlLedger(connection)
        self.risks = SqlRisks(connection)
        self.records = SqlRecords(connection)
        self.responses = SqlResponses(connection)
        self.audit_log = SqlAuditLog(connection)
        self.accounts = SqlAccounts(connection)
        self.workspace = SqlWorkspace(connection)
        self.jobs = SqlJobs(connection)
        self.monitor = SqlMonitor(connection)
        self.corrective_actions = SqlCorrectiveActions(connection)

    def _end(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        self._transaction = None

    def commit(self) -> None:
        assert self._connection is not None
        assert self._transaction is not None
        self._transaction.commit()
        self._transaction = self._connection.begin()

    def rollback(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
