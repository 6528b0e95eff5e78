"""KPI measurements from CSV, XLSX, JSON or JSON Lines into the store, all or nothing.

The file is streamed in batches, so memory stays bounded whatever its length; each batch goes
to storage column by column (no object per row), which merges it set-wise. Rows with problems
and rows that contradict stored measurements are all reported; if there is any, the
transaction is rolled back and nothing is written. Loading the same file again changes nothing
(each measurement's natural key is engagement, KPI, period and series). One audit-log entry
records the load: file, checksum, counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sourcewise.adapters.measurement_file import (
    Batch,
    MeasurementColumns,
    MeasurementRow,
    read_measurements,
)
from sourcewise.domain.problems import Problem
from sourcewise.governance.kpis import BUILT_IN_KPIS, KpiDefinition
from sourcewise.governance.records import Measurement
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.storage.repositories import StagedBatch
from sourcewise.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class IngestReport:
    file: str
    rows: int = 0
    inserted: int = 0
    unchanged: int = 0
    replaced: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.rejected == 0


def _ref(row: MeasurementRow) -> str:
    # Conflicts come back from storage with this reference; digits mean a file line.
    return row.where or str(row.row)


def _problem(file: str, ref: str, message: str) -> Problem:
    return (
        Problem(file, int(ref), "", message) if ref.isdigit() else Problem(file, None, ref, message)
    )


def foreign_row(row: MeasurementRow, file: str, engagement: str | None) -> Problem:
    """The problem of a row naming another engagement than the one its upload is for."""
    message = f"this upload takes rows of '{engagement}' only"
    return Problem(file, None if row.where else row.row, row.where or "engagement", message)


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def catalogue(uow: UnitOfWork) -> dict[str, KpiDefinition]:
    """Every KPI a measurement may name: the built-in ones and those defined by users."""
    return {**BUILT_IN_KPIS, **{k.code: k for k in uow.kpis.all()}}


def known_kpis(make_uow: UowFactory) -> dict[str, KpiDefinition]:
    with make_uow() as uow:
        return catalogue(uow)


def _staged(valid: MeasurementColumns) -> StagedBatch:
    """A batch's rows as they are staged, column by column."""
    refs = (
        list(map(str, valid.lines))
        if valid.sheet is None and not any(valid.wheres)
        else [where or str(line) for line, where in zip(valid.lines, valid.wheres, strict=True)]
    )
    fields = valid.fields
    return StagedBatch(
        refs,
        fields.engagements,
        fields.kpis,
        fields.periods,
        fields.series,
        fields.values,
        fields.sample_sizes,
    )


def _known_rows(
    batch: Batch, report: IngestReport, engagements: set[str], only: bool, engagement: str | None
) -> Iterator[tuple[str, Measurement]]:
    """The rows of a batch that name an engagement this load may write, the others reported."""
    for row in batch.rows:
        if only and row.engagement != engagement:
            report.rejected += 1
            report.problems.append(foreign_row(row, report.file, engagement))
        elif row.engagement not in engagements:
            report.rejected += 1
            message = f"no engagement named '{row.engagement}'"
            report.problems.append(row.problem(report.file, message))
        else:
            measurement = Measurement(
                row.engagement, row.kpi, row.period, row.value, row.sample_size, row.series
            )
            yield _ref(row), measurement


def ingest_measurements(
    make_uow: UowFactory,
    path: Path,
    engagement: str | None = None,
    replace: bool = False,
    batch_size: int = 10_000,
    file_name: str | None = None,
    only: bool = False,
) -> IngestReport:
    """Load ``path``; ``engagement`` applies to rows without an ``engagement`` column.

    ``file_name`` is what the report and the audit log call the file when ``path`` is not
    the sender's (an upload's name, not the server's temporary copy). With ``only`` the file
    is for ``engagement`` alone (an upload to its page or URL): a row naming another
    engagement is rejected, and with it the whole file."""
    file = file_name or str(path)
    report = IngestReport(file)
    kpis = known_kpis(make_uow)
    # Two loads at once would otherwise both find a key missing and both insert it; the
    # second now waits for the first to commit, then finds its rows stored.
    with make_uow().for_writing() as uow:
        engagements = {e.name for e in uow.engagements.all()}

        def staged() -> Iterator[StagedBatch]:
            for batch in read_measurements(path, kpis, engagement, batch_size):
                report.rows += len(batch.valid) + batch.rejected
                report.rejected += batch.rejected
                report.problems.extend(batch.problems)
                names = set(batch.valid.fields.engagements)
                if names <= engagements and (not only or names <= {engagement}):
                    yield _staged(batch.valid)
                else:
                    yield StagedBatch.of(_known_rows(batch, report, engagements, only, engagement))

        outcome = uow.measurements.ingest(staged(), replace=replace)
        report.rejected += outcome.conflict_count
        report.problems.extend(_problem(file, c.row, c.message) for c in outcome.conflicts)
        # Any problem refuses the file, not only rejected rows: an unreadable stretch (bytes
        # that are not UTF-8, broken CSV quoting) ends the reading with a located problem
        # but no rejected row, and the rows before it must not be kept on their own.
        if report.rejected or report.problems:
            report.rejected = max(report.rejected, 1)
            return report  # leaving the unit without commit rolls every row back
        report.inserted, report.unchanged = outcome.inserted, outcome.unchanged
        report.replaced = outcome.replaced
        if outcome.inserted or outcome.replaced:
            log_change(
                uow,
                "measurements",
                file_name or path.name,
                None,
                {
                    "file": file,
                    "sha256": checksum(path),
                    "rows": report.rows,
                    "inserted": outcome.inserted,
                    "replaced": outcome.replaced,
                    "unchanged": outcome.unchanged,
                },
            )
            uow.commit()
    return report
