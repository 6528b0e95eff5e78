"""Benchmark: loading a million KPI measurements, against baselines in the same process.

Writes a 1,000,000-row CSV (weekly values of 8 KPIs over 125,000 series labels), loads it into
a fresh SQLite database through the ingestion service (streamed reader, per-batch staging
table and set-based merge, one transaction), then loads it again (idempotent: nothing new).
Baselines: the bare ``csv`` module parsing the file (what reading alone costs), raw ``sqlite3``
``executemany`` of the same rows (no checks: the floor for writing), and the same reader and
checks followed by a per-row lookup-then-insert merge on a 20,000-row slice, scaled up. With
``SOURCEWISE_BENCH_DATABASE_URL`` set, also the load into PostgreSQL against ``COPY``. Peak
memory is the process's maximum resident set size. Run with ``make bench``.
"""

from __future__ import annotations

import csv
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sourcewise.governance.records import Provider, ProviderKind
from sourcewise.services.governance_store import open_store, upgrade_store
from sourcewise.services.kpi_ingest import ingest_measurements

ROWS = 1_000_000
NAIVE_ROWS = 20_000
KPIS = (
    "availability",
    "first_contact_resolution",
    "defect_rate",
    "on_time_delivery",
    "customer_satisfaction",
    "attrition",
    "average_handle_time",
    "cycle_time",
)
ENGAGEMENT = "Benchmark engagement"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(path: Path) -> None:
    start = date(2026, 1, 5)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["engagement", "kpi", "period", "value", "sample_size", "series"])
        for i in range(ROWS):
            kpi = KPIS[i % len(KPIS)]
            series = f"queue {i // (len(KPIS) * 8)}"
            day = start + timedelta(weeks=(i // len(KPIS)) % 8)
            value = 50 + (i * 7919 % 4000) / 100
            out.writerow([ENGAGEMENT, kpi, day.isoformat(), f"{value:.2f}", 100 + i % 900, series])


def setup_engagement(db: str) -> None:
    from sourcewise.governance.records import Engagement

    make_uow = open_store(db)
    with make_uow() as uow:
        uow.engagements.add_provider(Provider("Bench BPO", ProviderKind.VENDOR, "PH"))
        uow.engagements.add(
            Engagement(
                ENGAGEMENT,
                "Customer service",
                "offshore outsourcing",
                "US",
                "PH",
                "Bench BPO",
                date(2026, 1, 1),
                None,
                "USD",
                at_risk_pct=0,
            )  # type: ignore[arg-type]
        )
        uow.commit()


def parse_only(path: Path) -> float:
    began = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return time.perf_counter() - began


def naive(path: Path, folder: Path) -> float:
    """The same reader and checks, then row by row: look the natural key up, insert if absent
    (what a loader built on a per-record repository does)."""
    from itertools import islice

    from sourcewise.adapters.measurement_file import read_measurements
    from sourcewise.governance.kpis import BUILT_IN_KPIS

    connection = sqlite3.connect(folder / "naive.db")
    connection.execute(
        "CREATE TABLE m (engagement TEXT, kpi TEXT, period TEXT, series TEXT, value REAL, "
        "sample_size INTEGER, UNIQUE (engagement, kpi, period, series))"
    )
    # Pre-fill with as many rows as the real load holds at its middle, so lookups hit a
    # table of realistic size rather than an empty one.
    connection.executemany(
        "INSERT INTO m VALUES (?, ?, ?, ?, ?, ?)",
        ((ENGAGEMENT, "filler", str(i), "", 0.0, 0) for i in range(ROWS // 2)),
    )
    began = time.perf_counter()
    rows = (r for batch in read_measurements(path, BUILT_IN_KPIS, None) for r in batch.rows)
    for row in islice(rows, NAIVE_ROWS):
        key = (row.engagement, row.kpi, row.period.isoformat(), row.series)
        found = connection.execute(
            "SELECT value FROM m WHERE engagement=? AND kpi=? AND period=? AND series=?", key
        ).fetchone()
        if found is None:
            connection.execute(
                "INSERT INTO m VALUES (?, ?, ?, ?, ?, ?)", (*key, row.value, row.sample_size)
            )
    connection.commit()
    elapsed = time.perf_counter() - began
    connection.close()
    return elapsed * ROWS / NAIVE_ROWS


def raw_executemany(path: Path, folder: Path) -> float:
    """The floor for writing: csv.reader straight into ``executemany`` on a table with the same
    unique key, no checks, no conflict detection (``INSERT OR IGNORE``)."""
    connection = sqlite3.connect(folder / "raw.db")
    connection.execute(
        "CREATE TABLE m (engagement TEXT, kpi TEXT, period TEXT, series TEXT, value REAL, "
        "sample_size INTEGER, UNIQUE (engagement, kpi, period, series))"
    )
    began = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        connection.executemany(
            "INSERT OR IGNORE INTO m VALUES (?, ?, ?, ?, ?, ?)",
            ((e, k, p, s, float(v), int(n)) for e, k, p, v, n, s in reader),
        )
    connection.commit()
    elapsed = time.perf_counter() - began
    connection.close()
    return elapsed


def postgres(path: Path) -> tuple[float, float] | None:
    """On PostgreSQL when ``SOURCEWISE_BENCH_DATABASE_URL`` is set: the service's load, and
    ``COPY`` of the same CSV into a bare table (the floor)."""
    import os

    url = os.environ.get("SOURCEWISE_BENCH_DATABASE_URL")
    if not url:
        return None
    import psycopg

    from sourcewise.storage import migrate
    from sourcewise.storage.database import create_database_engine, normalise_url

    engine = create_database_engine(normalise_url(url))
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    engine.dispose()
    setup_engagement(normalise_url(url))
    make_uow = open_store(normalise_url(url), source=path.name)
    began = time.perf_counter()
    report = ingest_measurements(make_uow, path)
    load = time.perf_counter() - began
    assert report.inserted == ROWS, report
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as connection, connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE raw (engagement text, kpi text, period text, value float8, "
            "sample_size int, series text)"
        )
        began = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.copy("COPY raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        copied = time.perf_counter() - began
    return load, copied


def line(label: str, seconds: float, note: str) -> str:
    return f"  {label:28}{seconds:7.1f} s {ROWS / seconds:11,.0f} rows/s  {note}"


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "measurements.csv"
        write_file(path)
        size = path.stat().st_size / 1024**2
        db = f"sqlite:///{folder / 'bench.db'}"
        upgrade_store(db)
        setup_engagement(db)
        before = peak_mib()
        make_uow = open_store(db, source=path.name)
        began = time.perf_counter()
        first = ingest_measurements(make_uow, path)
        load = time.perf_counter() - began
        began = time.perf_counter()
        second = ingest_measurements(make_uow, path)
        reload = time.perf_counter() - began
        after = peak_mib()
        floor = parse_only(path)
        raw = raw_executemany(path, folder)
        hand = naive(path, folder)
        on_postgres = postgres(path)
    assert first.inserted == ROWS, first
    assert second.unchanged == ROWS, second
    python = sys.version.split()[0]
    print(f"KPI ingestion: {ROWS:,} rows, {size:.0f} MiB CSV, SQLite, Python {python}")
    print(line("first load", load, f"({first.inserted:,} new)"))
    print(line("same file again", reload, f"({second.unchanged:,} unchanged)"))
    print(line("csv parse only", floor, "(reading alone)"))
    print(line("raw sqlite3 executemany", raw, "(no checks: the floor for writing)"))
    print(line("reader + per-row merge", hand, f"(scaled from {NAIVE_ROWS:,})"))
    print(
        f"  load vs raw executemany: {load / raw:.1f}× slower; vs the per-row merge: "
        f"{hand / load:.2f}× the speed"
    )
    print(
        f"  peak RSS {after:.0f} MiB (before loading {before:.0f} MiB, +{after - before:.0f} MiB)"
    )
    if on_postgres is None:
        print("  PostgreSQL: set SOURCEWISE_BENCH_DATABASE_URL to compare with COPY")
    else:
        pg_load, pg_copy = on_postgres
        print(line("PostgreSQL load", pg_load, "(the service)"))
        print(line("PostgreSQL COPY", pg_copy, "(bare table: the floor)"))
        print(f"  PostgreSQL load vs COPY: {pg_load / pg_copy:.1f}× slower")


if __name__ == "__main__":
    main()
