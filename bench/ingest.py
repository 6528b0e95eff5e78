"""Benchmark: loading a million KPI measurements, against baselines in the same process.

Writes a 1,000,000-row CSV (weekly values of 8 KPIs over 125,000 series labels; ``--rows N``
for another size), loads it into a fresh SQLite database through the ingestion service
(streamed reader checking a batch at a time, new keys inserted with ON CONFLICT DO NOTHING, one
transaction), then loads it again (idempotent: nothing new). Baselines: the bare ``csv`` module
parsing the file (what reading alone costs), raw ``sqlite3`` ``executemany`` of the same rows
(no checks: the floor for writing), and the same reader and checks followed by a per-row
lookup-then-insert merge on a 20,000-row slice, scaled up. With
``SOURCEWISE_BENCH_DATABASE_URL`` set, also the load into PostgreSQL (``COPY`` into the staging
table, one merge per batch) against ``COPY`` of the file into a bare table. The loads and
their baselines are timed best of two, alternating, so that both see the same machine. Peak
memory is the process's maximum resident set size. ``--json PATH`` writes
``sqlite_over_executemany`` and ``postgres_over_copy`` (the load's rows per second as a
fraction of its baseline's), ``ingest_peak_rss_mib`` and the raw figures. Run with
``make bench``.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from results import arguments, write

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
    for row in islice(rows, min(NAIVE_ROWS, ROWS)):
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
    return elapsed * ROWS / min(NAIVE_ROWS, ROWS)


def raw_executemany(path: Path, folder: Path) -> float:
    """The floor for writing: csv.reader straight into ``executemany`` on a table with the same
    unique key, no checks, no conflict detection (``INSERT OR IGNORE``)."""
    (folder / "raw.db").unlink(missing_ok=True)
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


def sqlite_load(path: Path, folder: Path) -> tuple[float, object]:
    """The service's load into a fresh SQLite database: seconds, and its report."""
    (folder / "bench.db").unlink(missing_ok=True)
    db = f"sqlite:///{folder / 'bench.db'}"
    upgrade_store(db)
    setup_engagement(db)
    make_uow = open_store(db, source=path.name)
    began = time.perf_counter()
    report = ingest_measurements(make_uow, path)
    elapsed = time.perf_counter() - began
    assert report.inserted == ROWS, report
    return elapsed, report


def postgres(path: Path) -> tuple[float, float, float] | None:
    """On PostgreSQL when ``SOURCEWISE_BENCH_DATABASE_URL`` is set: the service's load into
    an empty store, ``COPY`` of the same CSV into a bare table (the floor the issue names),
    and ``COPY`` of the loaded rows into an empty table with the measurements table's keys and
    indexes (the floor for writing that table); best of two."""
    import os

    url = os.environ.get("SOURCEWISE_BENCH_DATABASE_URL")
    if not url:
        return None
    loads, copies, indexed = [], [], []
    for _ in range(2):
        loads.append(postgres_load(path, url))
        copies.append(postgres_copy(path, url))
        indexed.append(postgres_indexed_copy(url))
    return min(loads), min(copies), min(indexed)


def postgres_load(path: Path, url: str) -> float:
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
    return load


def postgres_copy(path: Path, url: str) -> float:
    import psycopg

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
        return time.perf_counter() - began


def postgres_indexed_copy(url: str) -> float:
    """``COPY`` of the stored measurements, in their own columns, into an empty table like
    theirs (primary key, unique natural key, index by KPI and period): no checks, no merge."""
    import io

    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    columns = "engagement_id, kpi, period, series, value, sample_size, source, ingested_at"
    buffer = io.BytesIO()
    with psycopg.connect(plain) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY measurements ({columns}) TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
        cursor.execute("CREATE TABLE ingest_floor (LIKE measurements INCLUDING ALL)")
        began = time.perf_counter()
        with cursor.copy(f"COPY ingest_floor ({columns}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        elapsed = time.perf_counter() - began
        connection.rollback()
    return elapsed


def line(label: str, seconds: float, note: str) -> str:
    return f"  {label:28}{seconds:7.1f} s {ROWS / seconds:11,.0f} rows/s  {note}"


def rows_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rows", type=int, default=ROWS, help=f"Rows in the file (default {ROWS:,})."
    )


def main() -> None:
    global ROWS  # the size every function of this script works at
    options = arguments(__doc__.splitlines()[0], more=rows_option)
    ROWS = options.rows
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "measurements.csv"
        write_file(path)
        size = path.stat().st_size / 1024**2
        before = peak_mib()
        loads, raws = [], []
        for _ in range(2):  # alternating, so that the load and its floor see the same machine
            loads.append(sqlite_load(path, folder))
            raws.append(raw_executemany(path, folder))
        load, first = min(loads, key=lambda timed: timed[0])
        raw = min(raws)
        make_uow = open_store(f"sqlite:///{folder / 'bench.db'}", source=path.name)
        began = time.perf_counter()
        second = ingest_measurements(make_uow, path)
        reload = time.perf_counter() - began
        after = peak_mib()
        floor = parse_only(path)
        hand = naive(path, folder)
        on_postgres = postgres(path)
    assert second.unchanged == ROWS, second
    python = sys.version.split()[0]
    print(f"KPI ingestion: {ROWS:,} rows, {size:.0f} MiB CSV, SQLite, Python {python}")
    print(line("first load", load, f"({first.inserted:,} new)"))  # type: ignore[attr-defined]
    print(line("same file again", reload, f"({second.unchanged:,} unchanged)"))
    print(line("csv parse only", floor, "(reading alone)"))
    print(line("raw sqlite3 executemany", raw, "(no checks: the floor for writing)"))
    print(line("reader + per-row merge", hand, f"(scaled from {min(NAIVE_ROWS, ROWS):,})"))
    print(
        f"  load vs raw executemany: {raw / load:.2f}× its rows/s; vs the per-row merge: "
        f"{hand / load:.2f}× the speed"
    )
    print(
        f"  peak RSS {after:.0f} MiB (before loading {before:.0f} MiB, +{after - before:.0f} MiB)"
    )
    figures: dict[str, float | int | str] = {
        "ingest_rows": ROWS,
        "ingest_sqlite_rows_per_s": round(ROWS / load),
        "ingest_sqlite_reload_rows_per_s": round(ROWS / reload),
        "ingest_executemany_rows_per_s": round(ROWS / raw),
        "ingest_csv_parse_rows_per_s": round(ROWS / floor),
        "ingest_per_row_merge_rows_per_s": round(ROWS / hand),
        "sqlite_over_executemany": round(raw / load, 3),
        "ingest_peak_rss_mib": round(after, 1),
    }
    if on_postgres is None:
        print("  PostgreSQL: set SOURCEWISE_BENCH_DATABASE_URL to compare with COPY")
    else:
        pg_load, pg_copy, pg_indexed = on_postgres
        print(line("PostgreSQL load", pg_load, "(the service)"))
        print(line("PostgreSQL COPY", pg_copy, "(bare table: the floor)"))
        print(line("PostgreSQL COPY, indexed", pg_indexed, "(a table like measurements)"))
        print(
            f"  PostgreSQL load vs COPY: {pg_copy / pg_load:.2f}× its rows/s; vs COPY into "
            f"a table like measurements: {pg_indexed / pg_load:.2f}×"
        )
        figures["ingest_postgres_rows_per_s"] = round(ROWS / pg_load)
        figures["ingest_copy_rows_per_s"] = round(ROWS / pg_copy)
        figures["ingest_indexed_copy_rows_per_s"] = round(ROWS / pg_indexed)
        figures["postgres_over_copy"] = round(pg_copy / pg_load, 3)
        figures["postgres_over_indexed_copy"] = round(pg_indexed / pg_load, 3)
    write(options.json, figures)


if __name__ == "__main__":
    main()
