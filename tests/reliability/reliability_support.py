"""Shared set-up of the reliability tests: a governance database with one engagement, the
measurements it holds, and a child process that ingests a file into it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from governance_factories import PROVIDER, engagement
from sourcewise.services.governance_store import UowFactory, open_store, upgrade_store

ENGAGEMENT = "Customer care"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHILD = HERE / "ingest_child.py"


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'governance.db'}"


def prepare_store(url: str) -> UowFactory:
    """Migrate ``url`` to head and add the provider and engagement the files refer to."""
    upgrade_store(url)
    make_uow = open_store(url)
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement(ENGAGEMENT))
        uow.commit()
    return make_uow


def sqlite_rows(path: Path) -> list[tuple[object, ...]]:
    """Every stored measurement, in key order, read without the application's code."""
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT engagement_id, kpi, period, series, value, sample_size FROM measurements "
            "ORDER BY engagement_id, kpi, period, series"
        ).fetchall()


def sqlite_count(path: Path) -> int:
    with sqlite3.connect(path, timeout=30) as connection:
        count: int = connection.execute("SELECT count(*) FROM measurements").fetchone()[0]
        return count


def integrity(path: Path) -> str:
    with sqlite3.connect(path, timeout=30) as connection:
        verdict: str = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return verdict


def start_ingestion(url: str, file: Path) -> subprocess.Popen[str]:
    """A child process running ``ingest_measurements`` on ``file``; it prints its report."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, str(file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def write_measurements(path: Path, rows: int) -> None:
    """A valid CSV of ``rows`` distinct availability measurements (100 series a day)."""
    from datetime import date, timedelta

    start = date(2020, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("engagement,kpi,period,value,unit,sample_size,series\n")
        for i in range(rows):
            day = start + timedelta(days=i // 100)
            handle.write(f"{ENGAGEMENT},availability,{day},{90 + i % 10},percent,,q{i % 100}\n")
