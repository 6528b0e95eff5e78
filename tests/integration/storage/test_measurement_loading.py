"""Loading measurements batch by batch, column by column: what reaches the store is what the
file said, whatever its labels hold (PostgreSQL's COPY quotes them), and a file with one bad
row anywhere leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance_factories import PROVIDER, engagement, measurement
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.storage.repositories import StagedBatch

AWKWARD_LABELS = [
    "queue A, Manila",  # a comma
    'the "priority" queue',  # quotes
    "tab\there",
    "two\nlines",
    "carriage\r\nreturn",
    "back\\slash",
    "\\N",  # COPY's text format spells NULL this way
    "\\.",  # and the end of data this way
    "Zürich – 東京 ✓",
    "",
]


def seed(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement())
        uow.commit()


def test_labels_that_need_quoting_and_missing_sample_sizes_are_stored_as_given(
    make_uow: UowFactory,
) -> None:
    seed(make_uow)
    rows = [
        (
            str(line),
            measurement(1, 90.0 + line, series=label, sample_size=line if line % 2 else None),
        )
        for line, label in enumerate(AWKWARD_LABELS, start=2)
    ]
    with make_uow() as uow:
        outcome = uow.measurements.ingest([StagedBatch.of(rows)], replace=False)
        uow.commit()
    assert (outcome.inserted, outcome.conflict_count) == (len(rows), 0)
    with make_uow() as uow:
        stored = uow.measurements.series("Customer care", "availability")
    assert sorted(stored, key=lambda m: m.series) == sorted(
        (m for _, m in rows), key=lambda m: m.series
    )


def test_a_batch_repeating_a_key_counts_the_repeat_and_refuses_the_contradiction(
    make_uow: UowFactory,
) -> None:
    seed(make_uow)
    batch = StagedBatch.of(
        [
            ("2", measurement(1, 99.0)),
            ("3", measurement(2, 98.0)),
            ("4", measurement(1, 99.0)),  # the same again
            ("5", measurement(1, 97.0)),  # the same key, another value
        ]
    )
    with make_uow() as uow:
        outcome = uow.measurements.ingest([batch], replace=False)
    assert (outcome.inserted, outcome.unchanged, outcome.conflict_count) == (2, 1, 1)
    assert outcome.conflicts[0].row == "5"
    assert "earlier in the file (line 2)" in outcome.conflicts[0].message


def write_csv(path: Path, rows: int, bad: dict[int, str] | None = None) -> Path:
    """``rows`` valid rows of a week each (line 2 on), the lines in ``bad`` replaced."""
    lines = ["engagement,kpi,period,value,sample_size,series"]
    for index in range(rows):
        day = datetime(2026, 1, 5, tzinfo=UTC).toordinal() + 7 * index
        period = datetime.fromordinal(day).date().isoformat()
        lines.append(f'Customer care,availability,{period},{95 + index % 5},{100 + index},"q, 1"')
    for line, text in (bad or {}).items():
        lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changed", "problem"),
    [
        (  # a bad value in the last batch
            {39: "Customer care,availability,2026-01-05,ninety,100,q"},
            (39, "value", "value 'ninety' is not a number"),
        ),
        (  # the first row's key again, another value, three batches later
            {41: 'Customer care,availability,2026-01-05,50,100,"q, 1"'},
            (41, "", "was given as 95 (sample 100) earlier in the file"),
        ),
    ],
    ids=["bad-value", "contradiction"],
)
def test_a_problem_in_the_last_batch_leaves_nothing_written(
    make_uow: UowFactory, tmp_path: Path, changed: dict[int, str], problem: tuple[int, str, str]
) -> None:
    seed(make_uow)
    path = write_csv(tmp_path / "m.csv", 40, changed)
    report = ingest_measurements(make_uow, path, batch_size=10)
    assert not report.written
    assert [(p.line, p.path) for p in report.problems] == [problem[:2]]
    assert problem[2] in report.problems[0].message
    with make_uow() as uow:
        assert uow.measurements.count() == 0


def test_loading_a_file_of_many_batches_twice_stores_it_once(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    seed(make_uow)
    path = write_csv(tmp_path / "m.csv", 45)
    first = ingest_measurements(make_uow, path, batch_size=10)
    again = ingest_measurements(make_uow, path, batch_size=10)
    assert (first.rows, first.inserted, first.unchanged) == (45, 45, 0)
    assert (again.rows, again.inserted, again.unchanged) == (45, 0, 45)
    with make_uow() as uow:
        stored = uow.measurements.series("Customer care", "availability")
    assert [m.sample_size for m in stored] == list(range(100, 145))
    assert {m.series for m in stored} == {"q, 1"}
