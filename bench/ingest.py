"""Benchmark: loading a million KPI measurements, against baselines in the same process.

Writes a 1,000,000-row CSV (weekly values of 8 KPIs over 125,000 series labels), loads it
into a fresh SQLite database through the ingestion service (streamed reader, staging table,
set-based merge, one transaction), then loads it again (idempotent: nothing new). Baselines:
parsing the same file with the bare ``csv`` module (the floor: what reading alone costs) and
the same reader and checks followed by the naive merge (per row: look the key up, then
insert) on a 20,000-row slice, scaled up.
Peak memory is the process's maximum resident set size. Run with ``make bench``.
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
        hand = naive(path, folder)
    assert first.inserted == ROWS and second.unchanged == ROWS, (first, second)
    print(
        f"KPI ingestion: {ROWS:,} rows, {size:.0f} MiB CSV, SQLite, Python {sys.version.split()[0]}"
    )
    print(f"  first load     {load:7.1f} s  {ROWS / load:10,.0f} rows/s  ({first.inserted:,} new)")
    print(
        f"  same file again{reload:7.1f} s  {ROWS / reload:10,.0f} rows/s  ({second.unchanged:,} unchanged)"
    )
    print(f"  csv parse only {floor:7.1f} s  {ROWS / floor:10,.0f} rows/s  (reading alone)")
    print(
        f"  reader + per-row merge{hand:7.1f} s  {ROWS / hand:10,.0f} rows/s  (scaled from {NAIVE_ROWS:,})"
    )
    print(
        f"  speed-up over the per-row merge: {hand / load:.1f}×; load / parse-only: {load / floor:.1f}×"
    )
    print(
        f"  peak RSS {after:.0f} MiB (before loading {before:.0f} MiB, +{after - before:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
