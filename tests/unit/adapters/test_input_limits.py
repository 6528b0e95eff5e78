"""Bounded readers of CSV, XLSX and JSON: refused with a place before the work blows up."""

import io
import json
import zipfile
from pathlib import Path
from typing import IO

import ijson
import pytest
from openpyxl import load_workbook

from hostile_files import (
    SHEET,
    lying_zip_bomb_xlsx,
    sparse_xlsx,
    workbook_bytes,
    zip_bomb_xlsx,
)
from sourcewise.adapters import input_limits
from sourcewise.adapters.input_limits import (
    MAX_JSON_DEPTH,
    MAX_RECORD_CHARS,
    CsvRecords,
    TooLargeError,
    json_items,
    sheet_rows,
    xlsx_archive_problem,
)

# --- XLSX archives -------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unzipped(tmp_path: Path) -> None:
    raw = zip_bomb_xlsx()
    assert len(raw) < 1024 * 1024
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(raw)
    for source in (raw, path):
        message = xlsx_archive_problem(source)
        assert message is not None
        assert "'xl/worksheets/sheet1.xml'" in message
        assert "zip bomb" in message


def test_an_ordinary_workbook_and_a_file_that_is_no_zip_pass() -> None:
    assert xlsx_archive_problem(workbook_bytes("Sheet1", (("a", 1),))) is None
    assert xlsx_archive_problem(b"kpi,period,value\n") is None  # openpyxl says what it is


def test_the_unzipped_total_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(input_limits, "MAX_XLSX_UNZIPPED_BYTES", 10_000)
    message = xlsx_archive_problem(workbook_bytes())
    assert message is not None
    assert "the limit is 10,000" in message


def test_too_many_entries_are_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(input_limits.MAX_XLSX_ENTRIES + 1):
            archive.writestr(f"x/{n}.xml", b"")
    message = xlsx_archive_problem(out.getvalue())
    assert message is not None
    assert f"{input_limits.MAX_XLSX_ENTRIES + 1:,} entries" in message


def test_declared_sizes_that_lie_stop_at_the_declared_size() -> None:
    """The lie passes the check, but zipfile unzips no more than declared and then fails the
    CRC: openpyxl's reader sees an error, never 200 MB."""
    raw = lying_zip_bomb_xlsx()
    assert xlsx_archive_problem(raw) is None
    unzipped: list[int] = []
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as archive,
        archive.open(SHEET) as stream,
        pytest.raises(zipfile.BadZipFile, match="CRC"),
    ):
        _read_all(stream, unzipped)
    assert sum(unzipped) <= 2000


def _read_all(stream: IO[bytes], sizes: list[int]) -> None:
    while chunk := stream.read(100):
        sizes.append(len(chunk))


# --- XLSX sheets ---------------------------------------------------------------------------------


def test_a_sheet_claiming_the_whole_grid_is_read_as_wide_as_asked() -> None:
    book = load_workbook(io.BytesIO(sparse_xlsx("S", ("a", "b"))), read_only=True)
    try:
        rows = list(sheet_rows(book["S"], max_columns=3, max_rows=2_000_000))
    finally:
        book.close()
    assert rows[0] == (1, ("a", "b", None))
    assert len(rows) == 1_048_576
    assert all(row == () for _, row in rows[1:])  # blank rows come back empty


def test_rows_and_columns_past_the_limits_are_refused_with_their_cell() -> None:
    raw = workbook_bytes("S", (("a", "b", "c"), (1, 2), (3, 4, 5, 6)))
    book = load_workbook(io.BytesIO(raw), read_only=True)
    try:
        with pytest.raises(TooLargeError) as wide:
            list(sheet_rows(book["S"], max_columns=3))
        with pytest.raises(TooLargeError) as long:
            list(sheet_rows(book["S"], max_columns=4, max_rows=2))
    finally:
        book.close()
    assert (wide.value.cell, wide.value.message) == ("S!D3", "a value beyond column C")
    assert (long.value.cell, long.value.message) == ("S!3:3", "more than 2 rows")


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_records_name_their_first_line() -> None:
    text = 'a,b\n1,"two\nlines"\n\n3,4\n'
    assert list(CsvRecords(io.StringIO(text, newline=""))) == [
        (1, ["a", "b"]),
        (2, ["1", "two\nlines"]),
        (4, []),
        (5, ["3", "4"]),
    ]


@pytest.mark.parametrize(
    "record",
    [
        "x," * MAX_RECORD_CHARS,  # one long line
        '"' + "x\n" * MAX_RECORD_CHARS + '"',  # one quoted field over many lines
        '"' + "x" * (10 * MAX_RECORD_CHARS) + '"',  # one giant field
    ],
    ids=["long-line", "long-quoted-field", "giant-field"],
)
def test_a_record_past_the_limit_is_refused_at_its_first_line(record: str) -> None:
    text = "a,b\n1,2\n" + record + "\n3,4\n"
    records = CsvRecords(io.StringIO(text, newline=""))
    assert next(records) == (1, ["a", "b"])
    assert next(records) == (2, ["1", "2"])
    with pytest.raises(TooLargeError) as refused:
        next(records)
    assert refused.value.line == 3
    assert refused.value.message == f"the row is longer than {MAX_RECORD_CHARS:,} characters"


# --- JSON ----------------------------------------------------------------------------------------


def test_json_items_are_what_ijson_reads() -> None:
    data = [{"kpi": "a", "value": 1.5, "n": [1, {"x": None, "y": True}]}, 2, "s", [], {}]
    raw = json.dumps(data).encode()
    expected = list(ijson.items(io.BytesIO(raw), "item", use_float=True))
    assert list(json_items(io.BytesIO(raw))) == expected == data
    wrapped = json.dumps({"other": [[1]], "measurements": data, "after": {"a": [2]}}).encode()
    assert list(json_items(io.BytesIO(wrapped), "measurements")) == data


@pytest.mark.parametrize("member", [None, "measurements"])
def test_deep_nesting_is_refused_before_it_is_built(member: str | None) -> None:
    deep = b"[" * 1_000_000 + b"]" * 1_000_000
    raw = b"[1, " + deep + b"]" if member is None else b'{"measurements": [1, ' + deep + b"]}"
    items = json_items(io.BytesIO(raw), member)
    assert next(items) == 1
    with pytest.raises(TooLargeError) as refused:
        next(items)
    assert refused.value.item == 1
    assert refused.value.message == f"nested more than {MAX_JSON_DEPTH} levels deep"


def test_an_item_of_too_many_values_is_refused() -> None:
    raw = json.dumps([{"a": 1}, {"a": list(range(input_limits.MAX_JSON_ITEM_VALUES))}]).encode()
    items = json_items(io.BytesIO(raw))
    assert next(items) == {"a": 1}
    with pytest.raises(TooLargeError) as refused:
        next(items)
    assert refused.value.item == 1
    assert f"more than {input_limits.MAX_JSON_ITEM_VALUES:,} values" in refused.value.message
