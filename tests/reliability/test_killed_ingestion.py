"""An ingestion killed with SIGKILL leaves the SQLite database consistent.

A child process ingests 200,000 rows and is killed at seeded moments 20 times; after each kill
the database passes ``PRAGMA integrity_check`` and holds either the rows it held before or
all of the file's rows, never some of them. A last, uninterrupted run stores the file once.
"""

from __future__ import annotations

import json
import random
import signal
import time
from pathlib import Path

import pytest
from reliability_support import (
    integrity,
    prepare_store,
    sqlite_count,
    sqlite_url,
    start_ingestion,
    write_measurements,
)

pytestmark = pytest.mark.reliability

ROWS = 200_000
KILLS = 20
LATEST_KILL_S = 3.5
"""Ingesting the file takes about 3-5 s here; later kills would mostly find it finished."""


def test_sigkill_during_ingestion_leaves_before_or_after(
    tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    url = sqlite_url(tmp_path)
    prepare_store(url)
    database = tmp_path / "governance.db"
    file = tmp_path / "measurements.csv"
    write_measurements(file, ROWS)
    moments = random.Random(20261125)
    killed = finished = 0
    for _ in range(KILLS):
        before = sqlite_count(database)
        child = start_ingestion(url, file)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr
        time.sleep(moments.uniform(0.0, LATEST_KILL_S))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed += 1
        else:
            finished += 1
        _, errors = child.communicate(timeout=60)
        assert child.returncode in (0, -signal.SIGKILL), errors
        assert integrity(database) == "ok"
        after = sqlite_count(database)
        assert after == before or (before == 0 and after == ROWS), (before, after)
    record_property("sigkill_killed", killed)
    print(f"{killed} runs killed while ingesting, {finished} finished before their kill")
    record_property("sigkill_finished_first", finished)
    assert killed >= KILLS // 2, "most runs must be killed while ingesting"

    child = start_ingestion(url, file)
    output, errors = child.communicate(timeout=300)
    assert child.returncode == 0, errors
    report = json.loads(output.splitlines()[-1])
    assert report["written"]
    assert report["rows"] == ROWS
    assert report["inserted"] + report["unchanged"] == ROWS
    assert sqlite_count(database) == ROWS
    assert integrity(database) == "ok"
