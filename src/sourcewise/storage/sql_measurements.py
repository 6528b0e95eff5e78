"""Measurements in SQL: ingestion through a staging table, so that a file of a million rows
is checked and merged by the database in a few set operations with bounded memory.

Each batch goes into a temporary table with its row position and file order; then three
queries find rows that contradict an earlier row of the file or a stored measurement, count
the identical ones, and insert the new ones (the first row of each natural key).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
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
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import FromClause

from sourcewise.governance.records import Measurement
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import (
    MAX_REPORTED_CONFLICTS,
    IngestOutcome,
    MeasurementRepository,
    StagedRow,
)
from sourcewise.storage.sql_engagements import engagement_id, engagement_names

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


def _naive_utc(period: datetime) -> datetime:
    """Stored without zone (SQLite has none); the domain's periods are UTC."""
    if period.tzinfo is None:
        return period
    return period.astimezone(UTC).replace(tzinfo=None)


def _same_key(a: FromClause, b: FromClause) -> Any:
    return and_(*(a.c[name] == b.c[name] for name in _KEY))


def _differs(a: FromClause, b: FromClause) -> Any:
    return or_(a.c.value != b.c.value, a.c.sample_size.is_distinct_from(b.c.sample_size))


class SqlMeasurements(MeasurementRepository):
    def __init__(self, connection: Connection, source: str = "") -> None:
        self.connection = connection
        self.source = source

    def ingest(self, batches: Iterable[Sequence[StagedRow]], replace: bool) -> IngestOutcome:
        connection = self.connection
        staging.drop(connection, checkfirst=True)
        staging.create(connection)
        ids: dict[str, int] = {}
        seq = 0
        for batch in batches:
            rows = []
            for row_ref, m in batch:
                if m.engagement not in ids:
                    ids[m.engagement] = engagement_id(connection, m.engagement)
                seq += 1
                rows.append(
                    {
                        "seq": seq,
                        "row_ref": row_ref,
                        "engagement_id": ids[m.engagement],
                        "kpi": m.kpi,
                        "period": _naive_utc(m.period),
                        "series": m.series,
                        "value": m.value,
                        "sample_size": m.sample_size,
                    }
                )
            if rows:
                connection.execute(insert(staging), rows)
        connection.exec_driver_sql(
            "CREATE INDEX ix_measurement_staging_key "
            "ON measurement_staging (engagement_id, kpi, period, series, seq)"
        )
        outcome = IngestOutcome()
        self._conflicts_in_file(outcome)
        stored = t.measurements
        earlier = staging.alias("earlier")
        first_of_key = ~exists().where(_same_key(earlier, staging), earlier.c.seq < staging.c.seq)
        is_new = ~exists().where(_same_key(stored, staging))
        identical = exists().where(_same_key(stored, staging), ~_differs(stored, staging))
        # Counted before anything is written: afterwards every row would look identical.
        already_stored = connection.execute(
            select(func.count()).select_from(staging).where(first_of_key, identical)
        ).scalar_one()
        repeats = connection.execute(
            select(func.count()).select_from(staging).where(~first_of_key)
        ).scalar_one()
        outcome.unchanged = int(already_stored) + int(repeats) - outcome.conflict_count
        self._conflicts_with_stored(outcome, replace)
        now = datetime.now(UTC).replace(tzinfo=None)
        new_rows = select(
            staging.c.engagement_id,
            staging.c.kpi,
            staging.c.period,
            staging.c.series,
            staging.c.value,
            staging.c.sample_size,
            literal(self.source, String),
            literal(now, DateTime),
        ).where(first_of_key, is_new)
        columns = [*_KEY, "value", "sample_size", "source", "ingested_at"]
        # Counted, not taken from rowcount: drivers differ on INSERT ... SELECT (psycopg: -1).
        outcome.inserted = int(
            connection.execute(
                select(func.count()).select_from(staging).where(first_of_key, is_new)
            ).scalar_one()
        )
        connection.execute(insert(stored).from_select(columns, new_rows))
        staging.drop(connection)
        return outcome

    def _conflicts_in_file(self, outcome: IngestOutcome) -> None:
        earlier = staging.alias("earlier")
        later = staging.alias("later")
        query = (
            select(
                later.c.row_ref,
                earlier.c.row_ref.label("first"),
                earlier.c.kpi,
                earlier.c.period,
                earlier.c.value,
                earlier.c.sample_size,
            )
            .join(earlier, and_(_same_key(earlier, later), earlier.c.seq < later.c.seq))
            .where(
                _differs(earlier, later),
                # Compare with the key's first row only, so each bad row is reported once.
                ~exists().where(_same_key(staging, earlier), staging.c.seq < earlier.c.seq),
            )
            .order_by(later.c.seq)
        )
        for row in self.connection.execute(query):
            count_only = len(outcome.conflicts) >= MAX_REPORTED_CONFLICTS
            message = (
                ""
                if count_only
                else (
                    f"{row.kpi} for {row.period:%Y-%m-%d %H:%M} was given as {row.value:g}"
                    f"{_sample(row.sample_size)} earlier in the file ({row.first})"
                )
            )
            outcome.conflict(row.row_ref, message)

    def _conflicts_with_stored(self, outcome: IngestOutcome, replace: bool) -> None:
        stored = t.measurements
        earlier = staging.alias("earlier")
        first_of_key = ~exists().where(_same_key(earlier, staging), earlier.c.seq < staging.c.seq)
        contradicting = and_(_same_key(stored, staging), _differs(stored, staging), first_of_key)
        if replace:
            value = select(staging.c.value).where(_same_key(stored, staging), first_of_key)
            sample = select(staging.c.sample_size).where(_same_key(stored, staging), first_of_key)
            now = datetime.now(UTC).replace(tzinfo=None)
            outcome.replaced = int(
                self.connection.execute(
                    select(func.count())
                    .select_from(staging)
                    .where(
                        first_of_key,
                        exists().where(_same_key(stored, staging), _differs(stored, staging)),
                    )
                ).scalar_one()
            )
            self.connection.execute(
                update(stored)
                .where(exists().where(contradicting))
                .values(
                    value=value.scalar_subquery(),
                    sample_size=sample.scalar_subquery(),
                    source=self.source,
                    ingested_at=now,
                )
            )
            return
        query = (
            select(
                staging.c.row_ref,
                stored.c.kpi,
                stored.c.period,
                stored.c.value,
                stored.c.sample_size,
            )
            .join(stored, _same_key(stored, staging))
            .where(contradicting)
            .order_by(staging.c.seq)
        )
        for row in self.connection.execute(query):
            outcome.conflict(
                row.row_ref,
                f"{row.kpi} for {row.period:%Y-%m-%d %H:%M} is already recorded as "
                f"{row.value:g}{_sample(row.sample_size)}; load it with --replace to correct it",
            )

    def series(
        self, engagement: str, kpi: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[Measurement]:
        ident = engagement_id(self.connection, engagement)
        m = t.measurements
        query = select(m).where(m.c.engagement_id == ident, m.c.kpi == kpi)
        if start is not None:
            query = query.where(m.c.period >= _naive_utc(start))
        if end is not None:
            query = query.where(m.c.period < _naive_utc(end))
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


def _sample(size: int | None) -> str:
    return f" (sample {size})" if size is not None else ""
