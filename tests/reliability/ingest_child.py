"""Run by the reliability tests in a child process: ``ingest_child.py URL FILE``.

Prints ``ready`` once set up, then one JSON line with the report; exits 0 when the load was
written, 2 when it was refused (problems), 1 with a traceback if the ingestion failed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sourcewise.services.governance_store import open_store
from sourcewise.services.kpi_ingest import ingest_measurements


def main(url: str, file: str) -> int:
    make_uow = open_store(url)
    print("ready", flush=True)  # imports done: the parent times its kill from here
    report = ingest_measurements(make_uow, Path(file))
    print(
        json.dumps(
            {
                "written": report.written,
                "rows": report.rows,
                "inserted": report.inserted,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "problems": [str(p) for p in report.problems[:5]],
            }
        ),
        flush=True,
    )
    return 0 if report.written else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
