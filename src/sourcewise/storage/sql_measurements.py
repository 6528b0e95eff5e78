"""Measurements in SQL: ingestion batch by batch through a small staging table, so that a
file of a million rows is merged with bounded memory and a few statements per batch.

Each batch (deduplicated in Python first) goes into a temporary table; one join finds the rows
whose natural key is stored already, one INSERT ... SELECT adds the new ones, and the table is
emptied for the next batch. A key stored earlier *by this same load* (its ``ingested_at`` is
this load's timestamp) was an earlier row of the file: the same values count as a repeat,
other values as a conflict with the file itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
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
    delete,
    exists,
    func,
    insert,
    literal,
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
    StagedRow,
    in_file_conflict,
    same_values,
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


@lru_cache(maxsize=4096)  # few distinct periods, many rows each
def _sqlite_datetime(period: datetime) -> str:
    """The text SQLAlchemy's SQLite ``DateTime`` stores, so staged and stored keys compare."""
    return naive_utc(period).isoformat(" ", "microseconds")


def _same_key(a: FromClause, b: FromClause) -> Any:
    return and_(*(a.c[name] == b.c[name] for name in _KEY))


class SqlMeasurements(MeasurementRepository):
    def __init__(self, connection: Connection, source: str = "") -> None:
        self.connection = connection
        self.source = source

    def ingest(self, batches: Iterable[Sequence[StagedRow]], replace: bool) -> IngestOutcome:
        connection = self.connection
        if connection.dialect.name == "postgresql":
            # One load at a time (readers are not blocked): a concurrent load of the same rows
            # would pass the NOT EXISTS check and fail on the unique constraint at insert.
            connection.exec_driver_sql("LOCK TABLE measurements IN SHARE ROW EXCLUSIVE MODE")
        staging.drop(connection, checkfirst=True)
        staging.create(connection)
        connection.exec_driver_sql(
            "CREATE INDEX ix_measurement_staging_key "
            "ON measurement_staging (engagement_id, kpi, period, series)"
        )
        # Straight to the driver: SQLAlchemy's per-row parameter processing would cost more
        # than the database's own work on a million rows.
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        statement = f"INSERT INTO measurement_staging VALUES ({', '.join([marker] * 8)})"
        period = _sqlite_datetime if connection.dialect.name == "sqlite" else naive_utc
        now = datetime.now(UTC).replace(tzinfo=None)
        outcome = IngestOutcome()
        ids: dict[str, int] = {}
        seq = 0
        for batch in batches:
            unique: dict[tuple[str, str, datetime, str], tuple[str, Measurement]] = {}
            for row_ref, m in batch:
                earlier = unique.get(m.key)
                if earlier is None:
                    unique[m.key] = (row_ref, m)
                elif same_values(earlier[1], m):
                    outcome.unchanged += 1
                else:
                    outcome.conflict(row_ref, in_file_conflict(earlier[1], earlier[0]))
            rows = []
            for row_ref, m in unique.values():
                if m.engagement not in ids:
                    ids[m.engagement] = engagement_id(connection, m.engagement)
                seq += 1
                rows.append(
                    (
                        seq,
                        row_ref,
                        ids[m.engagement],
                        m.kpi,
                        period(m.period),
                        m.series,
                        m.value,
                        m.sample_size,
                    )
                )
            if not rows:
                continue
            connection.exec_driver_sql(statement, rows)
            found = self._merge(outcome, replace, now)
            outcome.inserted += len(rows) - found
            connection.execute(delete(staging))
        staging.drop(connection)
        return outcome

    def _merge(self, outcome: IngestOutcome, replace: bool, now: datetime) -> int:
        """Sort the staged rows whose key is stored, insert the others; returns how many
        were stored already."""
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
        new_rows = select(
            staging.c.engagement_id,
            staging.c.kpi,
            staging.c.period,
            staging.c.series,
            staging.c.value,
            staging.c.sample_size,
            literal(self.source, String),
            literal(now, DateTime),
        ).where(~exists().where(_same_key(stored, staging)))
        columns = [*_KEY, "value", "sample_size", "source", "ingested_at"]
        self.connection.execute(insert(stored).from_select(columns, new_rows))
        return len(existing)

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
