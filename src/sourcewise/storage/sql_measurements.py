"""Measurements in SQL: ingestion batch by batch, so that a file of a million rows is merged
with bounded memory and a few statements per batch.

Each batch arrives as columns and is deduplicated in Python first. PostgreSQL ``COPY``s it into
a temporary staging table and adds the rows whose natural key is new with one INSERT ... SELECT
... ON CONFLICT DO NOTHING; SQLite, where each statement costs microseconds, inserts it straight
into the table by ``executemany`` of plain tuples with ON CONFLICT DO NOTHING. Only if fewer rows
went in than were sent is the batch (on SQLite, then) staged and joined with the rows stored
before it, to sort out repeats, corrections and conflicts; the staging table is then emptied
for the next batch. A key stored earlier *by this same load* (its ``ingested_at`` is this
load's timestamp) was an earlier row of the file: the same values count as a repeat, other
values as a conflict with the file itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from itertools import count, repeat
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import FromClause

from sourcewise.governance.records import Measurement
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import (
    IngestOutcome,
    MeasurementRepository,
    Staged,
    StagedBatch,
    as_batch,
    in_file_conflict,
    stored_conflict,
)
from sourcewise.storage.sql_engagements import engagement_id, engagement_names
from sourcewise.storage.types import naive_utc

_staging_metadata = MetaData()
staging = Table(
    "measurement_staging",
    _staging_metadata,
    Column("seq", Integer, primary_key=True),
    Column("row_ref", String(100), nullable=False),
    Column("engagement_id", Integer, nullable=False),
    Column("kpi", String(64), nullable=False),
    Column("period", DateTime, nullable=False),
    Column("series", String(100), nullable=False),
    Column("value", Float, nullable=False),
    Column("sample_size", Integer, nullable=True),
    prefixes=["TEMPORARY"],
)
_KEY = ("engagement_id", "kpi", "period", "series")
_STAGED = ", ".join(c.name for c in staging.columns)


@lru_cache(maxsize=4096)  # few distinct periods, many rows each
def _sqlite_datetime(period: datetime) -> str:
    """The text SQLAlchemy's SQLite ``DateTime`` stores, so staged and stored keys compare."""
    return naive_utc(period).isoformat(" ", "microseconds")


@lru_cache(maxsize=4096)
def _naive_utc(period: datetime) -> datetime:
    return naive_utc(period)


def _same_key(a: FromClause, b: FromClause) -> Any:
    return and_(*(a.c[name] == b.c[name] for name in _KEY))


def _first_of_each_key(batch: StagedBatch, outcome: IngestOutcome) -> list[int] | None:
    """The positions of the rows to stage, None for all; a later row with an earlier row's
    key is a repeat (same values) or a conflict, counted in ``outcome``."""
    columns = (batch.engagements, batch.kpis, batch.periods, batch.series)
    if len(set(zip(*columns, strict=True))) == len(batch):  # the usual file: every key once
        return None
    keys = list(zip(*columns, strict=True))
    first: dict[tuple[str, str, datetime, str], int] = {}
    for index, key in enumerate(keys):
        earlier = first.setdefault(key, index)
        if earlier == index:
            continue
        if (batch.values[earlier], batch.sample_sizes[earlier]) == (
            batch.values[index],
            batch.sample_sizes[index],
        ):
            outcome.unchanged += 1
        else:
            shown = Measurement(*key[:3], batch.values[earlier], batch.sample_sizes[earlier])
            outcome.conflict(batch.refs[index], in_file_conflict(shown, batch.refs[earlier]))
    return sorted(first.values())


class SqlMeasurements(MeasurementRepository):
    def __init__(self, connection: Connection, source: str = "") -> None:
        self.connection = connection
        self.source = source

    def ingest(self, batches: Iterable[Staged], replace: bool) -> IngestOutcome:
        connection = self.connection
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            # One load at a time (readers are not blocked): a concurrent load of the same rows
            # would wait at the unique key, then count as new rows the other load inserted.
            connection.exec_driver_sql("LOCK TABLE measurements IN SHARE ROW EXCLUSIVE MODE")
        staging.drop(connection, checkfirst=True)
        staging.create(connection)
        now = datetime.now(UTC).replace(tzinfo=None)
        outcome = IngestOutcome()
        ids: dict[str, int] = {}
        staged = 0
        for batch in map(as_batch, batches):
            chosen = _first_of_each_key(batch, outcome)
            for name in set(batch.engagements) - ids.keys():
                ids[name] = engagement_id(connection, name)
            rows = len(batch) if chosen is None else len(chosen)
            if not rows:
                continue
            stored = t.measurements
            newest = connection.execute(select(func.coalesce(func.max(stored.c.id), 0)))
            before = newest.scalar_one()  # this batch's rows will have greater ids
            if postgres:
                self._copy(self._columns(batch, chosen, ids), staged)
                inserted = self._insert_staged(now)
            else:
                inserted = self._insert_directly(self._columns(batch, chosen, ids), now)
            if inserted < rows:  # some keys are stored: which, and with what values?
                if not postgres:
                    self._stage(self._columns(batch, chosen, ids), staged)
                self._sort_out_stored(outcome, replace, now, before)
            outcome.inserted += inserted
            staged += rows
            if postgres or inserted < rows:
                emptied = "TRUNCATE" if postgres else "DELETE FROM"
                connection.exec_driver_sql(f"{emptied} measurement_staging")
        staging.drop(connection)
        return outcome

    def _columns(
        self, batch: StagedBatch, chosen: list[int] | None, ids: dict[str, int]
    ) -> list[Iterable[Any]]:
        """Reference, engagement id, KPI, period (as the driver takes it), series, value and
        sample size of the rows ``chosen`` (None: all), each a column."""
        sqlite_text = self.connection.dialect.name == "sqlite"
        columns: list[Iterable[Any]] = [
            batch.refs,
            map(ids.__getitem__, batch.engagements),
            batch.kpis,
            map(_sqlite_datetime if sqlite_text else _naive_utc, batch.periods),
            batch.series,
            batch.values,
            batch.sample_sizes,
        ]
        if chosen is not None:
            columns = [[values[i] for i in chosen] for values in map(list, columns)]
        return columns

    def _driver_cursor(self) -> Any:
        # Straight to the driver, in the unit's transaction: SQLAlchemy's per-row parameter
        # processing would cost more than the database's own work on a million rows.
        return self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]

    def _insert_directly(self, columns: list[Iterable[Any]], now: datetime) -> int:
        """SQLite: the rows into the table, those whose key is new; how many were."""
        cursor = self._driver_cursor()
        fields = ", ".join([*_KEY, "value", "sample_size", "source", "ingested_at"])
        cursor.executemany(
            f"INSERT INTO measurements ({fields}) VALUES ({', '.join('?' * 8)}) "
            f"ON CONFLICT ({', '.join(_KEY)}) DO NOTHING",
            zip(*columns[1:], repeat(self.source), repeat(_sqlite_datetime(now))),
        )
        return int(cursor.rowcount)

    def _stage(self, columns: list[Iterable[Any]], staged: int) -> None:
        """SQLite: the rows into the staging table; ``seq`` counts on from ``staged``."""
        self._driver_cursor().executemany(
            f"INSERT INTO measurement_staging VALUES ({', '.join('?' * 8)})",
            zip(count(staged + 1), *columns),
        )

    def _copy(self, columns: list[Iterable[Any]], staged: int) -> None:
        """PostgreSQL: ``COPY`` into the staging table; psycopg quotes every value (tabs,
        newlines, backslashes) and sends None as NULL."""
        with (
            self._driver_cursor() as cursor,
            cursor.copy(f"COPY measurement_staging ({_STAGED}) FROM STDIN") as copy,
        ):
            write = copy.write_row
            for row in zip(count(staged + 1), *columns):
                write(row)

    def _insert_staged(self, now: datetime) -> int:
        """PostgreSQL: the staged rows whose key is new into the table; how many were."""
        fields = ", ".join([*_KEY, "value", "sample_size"])
        with self._driver_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO measurements ({fields}, source, ingested_at) "
                f"SELECT {fields}, %s, %s FROM measurement_staging "
                f"ON CONFLICT ({', '.join(_KEY)}) DO NOTHING",
                (self.source, now),
            )
            return int(cursor.rowcount)

    def _sort_out_stored(
        self, outcome: IngestOutcome, replace: bool, now: datetime, newest: int
    ) -> None:
        """The staged rows whose key was stored before this batch (ids up to ``newest``):
        repeats, corrections with ``replace``, else conflicts."""
        stored = t.measurements
        existing = self.connection.execute(
            select(
                staging.c.row_ref,
                staging.c.value,
                staging.c.sample_size,
                stored.c.id,
                stored.c.kpi,
                stored.c.period,
                stored.c.value.label("stored_value"),
                stored.c.sample_size.label("stored_sample"),
                stored.c.ingested_at,
            )
            .join(stored, _same_key(stored, staging))
            .where(stored.c.id <= newest)
            .order_by(staging.c.seq)
        ).all()
        corrections = []
        for row in existing:
            shown = Measurement("", row.kpi, row.period, row.stored_value, row.stored_sample)
            if row.value == row.stored_value and row.sample_size == row.stored_sample:
                outcome.unchanged += 1
            elif row.ingested_at == now:
                outcome.conflict(row.row_ref, in_file_conflict(shown))
            elif replace:
                corrections.append(
                    {"key": row.id, "new_value": row.value, "new_sample": row.sample_size}
                )
            else:
                outcome.conflict(row.row_ref, stored_conflict(shown))
        if corrections:
            self.connection.execute(
                update(stored)
                .where(stored.c.id == bindparam("key"))
                .values(
                    value=bindparam("new_value"),
                    sample_size=bindparam("new_sample"),
                    source=self.source,
                    ingested_at=now,
                ),
                corrections,
            )
            outcome.replaced += len(corrections)

    def series(
        self, engagement: str, kpi: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[Measurement]:
        ident = engagement_id(self.connection, engagement)
        m = t.measurements
        query = select(m).where(m.c.engagement_id == ident, m.c.kpi == kpi)
        if start is not None:
            query = query.where(m.c.period >= naive_utc(start))
        if end is not None:
            query = query.where(m.c.period < naive_utc(end))
        rows = self.connection.execute(query.order_by(m.c.period, m.c.series)).mappings()
        return [
            Measurement(
                engagement=engagement,
                kpi=r["kpi"],
                period=r["period"].replace(tzinfo=UTC),
                value=r["value"],
                sample_size=r["sample_size"],
                series=r["series"],
            )
            for r in rows
        ]

    def kpis(self, engagement: str) -> list[str]:
        ident = engagement_id(self.connection, engagement)
        m = t.measurements
        rows = self.connection.execute(
            select(m.c.kpi).where(m.c.engagement_id == ident).distinct().order_by(m.c.kpi)
        )
        return [str(r.kpi) for r in rows]

    def count(self, engagement: str | None = None) -> int:
        m = t.measurements
        query = select(func.count()).select_from(m)
        if engagement is not None:
            names = {v: k for k, v in engagement_names(self.connection).items()}
            query = query.where(m.c.engagement_id == names.get(engagement, -1))
        return int(self.connection.execute(query).scalar_one())
