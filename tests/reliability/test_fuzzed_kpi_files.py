"""Fuzzed KPI files are stored whole or not at all.

Hypothesis writes CSV and JSON Lines files mixing valid measurements (over a small key space, so
that repeats, contradictions within the file and contradictions with stored rows all occur) and
broken records, and ingests each into one SQLite database that keeps what earlier examples
stored. After every call the report says written and the database holds what it held plus the
file's rows, or the report lists problems and the database is exactly as before.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import ENGAGEMENT, prepare_store, sqlite_rows, sqlite_url

from sourcewise.services.governance_store import UowFactory
from sourcewise.services.kpi_ingest import ingest_measurements

pytestmark = pytest.mark.reliability

HEADER = "engagement,kpi,period,value,unit,sample_size,series"


@dataclass(frozen=True)
class Valid:
    kpi: str
    day: int
    series: str
    value: float
    sample: int | None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kpi, f"2026-01-{self.day:02d}", self.series

    def csv(self) -> bytes:
        sample = "" if self.sample is None else str(self.sample)
        fields = [ENGAGEMENT, self.kpi, self.key[1], repr(self.value), "percent", sample]
        return ",".join([*fields, self.series]).encode()

    def jsonl(self) -> bytes:
        record = {
            "engagement": ENGAGEMENT,
            "kpi": self.kpi,
            "period": self.key[1],
            "value": self.value,
            "sample_size": self.sample,
            "series": self.series,
        }
        return json.dumps(record).encode()


valid_rows = st.builds(
    Valid,
    kpi=st.sampled_from(["availability", "defect_rate"]),
    day=st.integers(1, 6),
    series=st.sampled_from(["", "north", "south"]),
    value=st.sampled_from([0.0, 12.25, 50.0, 99.5, 100.0]),
    sample=st.sampled_from([None, 0, 250]),
)

BROKEN_CSV = [
    f"{ENGAGEMENT},no_such_kpi,2026-01-02,50,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02,abc,percent,,",
    f'{ENGAGEMENT},availability,2026-01-02,"99,5",percent,,',
    f"{ENGAGEMENT},availability,2026-01-02,150,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02,-1,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02,nan,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02,inf,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02,1e999,percent,,",
    f"{ENGAGEMENT},availability,2026-02-30,50,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02T10:00,50,percent,,",
    f"{ENGAGEMENT},availability,,50,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02,50,kg,,",
    f"{ENGAGEMENT},availability,2026-01-02,50,percent,-1,",
    f"{ENGAGEMENT},availability,2026-01-02,50,percent,2.5,",
    f"{ENGAGEMENT},availability,2026-01-02,50,percent,,{'s' * 300}",
    "Nobody,availability,2026-01-02,50,percent,,",
    f"{ENGAGEMENT},availability,2026-01-02",
    f"{ENGAGEMENT},availability,2026-01-02,50,percent,,,extra,columns",
    f'{ENGAGEMENT},availability,2026-01-02,"50,percent,,',
]
BROKEN_JSONL = [
    "{",
    "[1, 2, 3]",
    '"just text"',
    "null",
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": 20260102, "value": 5}}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": "2026-01-02", '
    '"value": true}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": "2026-01-02", '
    '"value": {"a": 1}}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": "2026-01-02", '
    '"value": NaN}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": "2026-01-02", '
    '"value": 1e400}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": "2026-01-02"}}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": "availability", "period": "2026-01-02", '
    '"value": 5, "surprise": 1}',
    '{"engagement": "Nobody", "kpi": "availability", "period": "2026-01-02", "value": 5}',
    f'{{"engagement": "{ENGAGEMENT}", "kpi": ["availability"], "period": "2026-01-02", '
    '"value": 5}',
]
# Bytes that are not UTF-8, or a NUL, in the middle of a record.
BROKEN_BYTES = [b"\xff\xfe", b"\x00", b"\xc3"]


@st.composite
def files(draw: st.DrawFn, kind: str) -> tuple[bytes, list[Valid], bool]:
    """A file's bytes, the valid rows in it, and whether it holds a broken record."""
    broken_lines = BROKEN_CSV if kind == "csv" else BROKEN_JSONL
    lines: list[bytes] = [HEADER.encode()] if kind == "csv" else []
    valid: list[Valid] = []
    broken = False
    for _ in range(draw(st.integers(0, 12))):
        choice = draw(st.integers(0, 9))
        if choice < 7:  # mostly valid rows, so that some files are accepted
            row = draw(valid_rows)
            valid.append(row)
            lines.append(row.csv() if kind == "csv" else row.jsonl())
        elif choice < 9:
            broken = True
            lines.append(draw(st.sampled_from(broken_lines)).encode())
        else:
            broken = True
            row = draw(valid_rows)
            text = row.csv() if kind == "csv" else row.jsonl()
            at = draw(st.integers(0, len(text)))
            lines.append(text[:at] + draw(st.sampled_from(BROKEN_BYTES)) + text[at:])
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    # A JSON Lines file without a record is refused as empty (a CSV has its header).
    broken = broken or not lines
    return ending.join(lines) + draw(st.sampled_from([ending, b""])), valid, broken


def expected(
    before: list[tuple[object, ...]], valid: list[Valid], broken: bool
) -> list[tuple[object, ...]] | None:
    """The rows after a load, or None if it must be refused."""
    stored = {(str(r[1]), str(r[2])[:10], str(r[3])): (r[4], r[5]) for r in before}
    given: dict[tuple[str, str, str], tuple[float, int | None]] = {}
    for row in valid:
        values = (row.value, row.sample)
        if given.setdefault(row.key, values) != values:
            return None  # the file contradicts itself
        if stored.get(row.key, values) != values:
            return None  # the file contradicts a stored row
    if broken:
        return None
    merged = {**stored, **given}
    return [(*key, *merged[key]) for key in sorted(merged)]


def comparable(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [(str(r[1]), str(r[2])[:10], str(r[3]), r[4], r[5]) for r in rows]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kpi-template")
    prepare_store(sqlite_url(folder))
    return folder / "governance.db"


@pytest.fixture
def store(template: Path, tmp_path: Path) -> tuple[Path, UowFactory]:
    from sourcewise.services.governance_store import open_store

    shutil.copy(template, tmp_path / "governance.db")
    return tmp_path / "governance.db", open_store(sqlite_url(tmp_path))


def check_load(
    store: tuple[Path, UowFactory], case: tuple[bytes, list[Valid], bool], suffix: str
) -> None:
    database, make_uow = store
    raw, valid, broken = case
    before = sqlite_rows(database)
    want = expected(before, valid, broken)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"measurements{suffix}"
        path.write_bytes(raw)
        report = ingest_measurements(make_uow, path)
    after = sqlite_rows(database)
    if report.written:
        assert want is not None, f"a file that should be refused was written: {raw[:300]!r}"
        assert comparable(after) == want
        assert report.inserted == len(after) - len(before)
    else:
        assert report.problems, "refused without a reason"
        assert after == before, "a refused load changed the database"
        assert want is None, [str(p) for p in report.problems]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=files("csv"))
def test_fuzzed_csv_is_stored_whole_or_not_at_all(
    store: tuple[Path, UowFactory], case: tuple[bytes, list[Valid], bool]
) -> None:
    check_load(store, case, ".csv")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=files("jsonl"))
def test_fuzzed_json_lines_are_stored_whole_or_not_at_all(
    store: tuple[Path, UowFactory], case: tuple[bytes, list[Valid], bool]
) -> None:
    check_load(store, case, ".jsonl")


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_unreadable_bytes_after_many_rows_store_nothing(
    store: tuple[Path, UowFactory], suffix: str
) -> None:
    """Rows read before a stretch that is not UTF-8 are not kept on their own (they were)."""
    rows = [Valid("availability", 1 + i % 6, f"s{i}", 99.5, None) for i in range(5000)]
    encode = Valid.csv if suffix == ".csv" else Valid.jsonl
    lines = [HEADER.encode()] if suffix == ".csv" else []
    lines += [encode(row) for row in rows]
    lines.insert(4000, b"\xff" + lines[4000])
    check_load(store, (b"\n".join(lines) + b"\n", rows, True), suffix)
