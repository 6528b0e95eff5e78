"""Limits on the work a user's CSV, XLSX or JSON file may cause, and the readers that keep them.

A small file can stand for a great deal of work: a zip of a few hundred kilobytes that unzips to
gigabytes, a sheet that declares every cell of the grid, a CSV line of millions of fields, a few
megabytes of ``[`` that a JSON parser turns into terabytes of paths. Each reader of user files
(KPI measurements, monthly costs, decision matrices, scenario workbooks) goes through these, so
a hostile file is refused with a place (line, cell or item) before the work blows up, and the
limits are named here once. YAML has its own in ``yaml_source``. docs/governance.md lists them
all under "Limits on input files".
"""

from __future__ import annotations

import csv
import io
import itertools
import struct
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import IO, Any, BinaryIO

import ijson  # type: ignore[import-untyped]

MAX_RECORD_CHARS = 65_536
"""Longest CSV row (its quoted line breaks included) or JSON Lines line: a measurement or cost
row is under 200, a matrix row of 200 criteria a few thousand. It also bounds every field, below
the csv module's own 131,072, so one message covers both."""
MAX_XLSX_ENTRIES = 1_000
"""Most parts in a workbook's zip: a workbook has about ten plus three per sheet."""
MAX_XLSX_DIRECTORY_BYTES = 1024 * 1024
"""Largest zip directory (the table of entries) read before the entries are counted."""
MAX_XLSX_UNZIPPED_BYTES = 256 * 1024 * 1024
"""Most bytes a workbook may unzip to, all parts together: about 700,000 rows of seven columns
as openpyxl writes them. Larger measurement sets go in CSV or JSON Lines."""
MAX_XLSX_RATIO = 200
"""Most a part of over ``_RATIO_FLOOR`` bytes may shrink when zipped: workbooks shrink 5 to 20
times; a zip bomb about 1,000."""
_RATIO_FLOOR = 1024 * 1024
MAX_SHEET_ROWS = 1_048_576
"""Most rows read from a sheet, blank ones included: Excel's own limit. The XML may claim more."""
MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects in a JSON file; a measurement file needs 3."""
MAX_JSON_ITEM_VALUES = 1_000
"""Most values (keys not counted) in one item of a JSON array; a measurement has 7 at most."""


class TooLargeError(Exception):
    """Input past a limit: ``message`` says which; ``line`` (CSV, JSON Lines), ``cell`` (XLSX,
    ``Sheet!D7`` or ``Sheet!7:7``) or ``item`` (the JSON array's index) says where, if known."""

    def __init__(
        self, message: str, *, line: int | None = None, cell: str = "", item: int | None = None
    ) -> None:
        super().__init__(message)
        self.message, self.line, self.cell, self.item = message, line, cell, item


# --- XLSX archives -------------------------------------------------------------------------------

_END_OF_DIRECTORY = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"


def xlsx_archive_problem(source: Path | bytes) -> str | None:
    """Why the workbook's zip is refused unopened, or None (also for a file that is no zip: the
    workbook reader then says what it is).

    Sizes are the ones the zip declares. A part that declares less than it holds cannot unzip to
    more: Python's zipfile stops at the declared size and the CRC check then fails, which the
    reader reports as an unreadable workbook.
    """
    try:
        with io.BytesIO(source) if isinstance(source, bytes) else source.open("rb") as stream:
            entries, directory = _directory_size(stream)
            if entries > MAX_XLSX_ENTRIES:
                return _too_many(entries)
            if directory > MAX_XLSX_DIRECTORY_BYTES:
                limit = MAX_XLSX_DIRECTORY_BYTES
                return (
                    f"the workbook's zip directory is {directory:,} bytes; the limit is {limit:,}"
                )
            with zipfile.ZipFile(stream) as archive:
                parts = archive.infolist()
    except Exception:  # zipfile raises many kinds for a damaged file; the reader names it
        return None
    if len(parts) > MAX_XLSX_ENTRIES:
        return _too_many(len(parts))
    total = sum(part.file_size for part in parts)
    if total > MAX_XLSX_UNZIPPED_BYTES:
        return f"the workbook unzips to {total:,} bytes; the limit is {MAX_XLSX_UNZIPPED_BYTES:,}"
    for part in parts:
        if part.file_size > _RATIO_FLOOR and part.file_size > MAX_XLSX_RATIO * part.compress_size:
            ratio = part.file_size / max(part.compress_size, 1)
            return (
                f"refused as a likely zip bomb: its part '{part.filename}' unzips to "
                f"{part.file_size:,} bytes from {part.compress_size:,}, {ratio:,.0f} times "
                f"larger; a workbook part may grow at most {MAX_XLSX_RATIO} times"
            )
    return None


def _too_many(entries: int) -> str:
    return f"the workbook's zip holds {entries:,} entries; the limit is {MAX_XLSX_ENTRIES:,}"


def _directory_size(stream: BinaryIO) -> tuple[int, int]:
    """(entries, bytes) of the zip's directory as its end record declares them; (0, 0) if none is
    found. A zip64 archive declares 0xFFFF entries here, which is past the limit too."""
    end = stream.seek(0, io.SEEK_END)
    start = max(0, end - _END_OF_DIRECTORY.size - 0xFFFF)  # the record, then a comment
    stream.seek(start)
    tail = stream.read()
    at = tail.rfind(_END_SIGNATURE)
    stream.seek(0)
    if at < 0 or at + _END_OF_DIRECTORY.size > len(tail):
        return 0, 0
    fields = _END_OF_DIRECTORY.unpack_from(tail, at)
    return int(fields[4]), int(fields[5])


# --- XLSX sheets ---------------------------------------------------------------------------------


def sheet_rows(
    sheet: Any, max_columns: int, max_rows: int = MAX_SHEET_ROWS
) -> Iterator[tuple[int, tuple[object, ...]]]:
    """A read-only openpyxl sheet's rows of values, numbered from 1, each ``max_columns`` wide
    and a blank one as ``()``; ``TooLargeError`` at the first row past ``max_rows`` or the first
    value in column ``max_columns + 1``. Columns further right are not read.

    openpyxl pads every row to the width the sheet declares and yields a row for every row
    number it skips, so a sheet of a few kilobytes that declares ``A1:XFD1048576`` would cost 17
    billion values; read at a fixed width, it costs its rows, and a blank row next to nothing.
    """
    from openpyxl.utils import get_column_letter

    title = sheet.title
    number = 0
    for row in sheet.iter_rows(max_col=max_columns + 1, values_only=True):
        number += 1
        if number > max_rows:
            raise TooLargeError(f"more than {max_rows:,} rows", cell=f"{title}!{number}:{number}")
        if row.count(None) == len(row):
            yield number, ()
            continue
        if len(row) > max_columns and row[max_columns] is not None:
            letter = get_column_letter(max_columns + 1)
            last = get_column_letter(max_columns)
            raise TooLargeError(f"a value beyond column {last}", cell=f"{title}!{letter}{number}")
        yield number, tuple(row[:max_columns])


# --- CSV -----------------------------------------------------------------------------------------


def record_lines(stream: BinaryIO) -> Iterator[tuple[int, int, bytes | None]]:
    """Each line of a binary stream (its end included) with its number and byte offset; None
    instead of a line of more than ``MAX_RECORD_CHARS`` bytes, which is skipped unkept."""
    offset = 0
    for number in itertools.count(1):
        raw = stream.readline(MAX_RECORD_CHARS + 1)
        if not raw:
            return
        start, offset = offset, offset + len(raw)
        if len(raw) <= MAX_RECORD_CHARS:
            yield number, start, raw
            continue
        while not raw.endswith(b"\n") and (raw := stream.readline(1 << 20)):
            offset += len(raw)
        yield number, start, None


class CsvRecords:
    """Each CSV record of a text stream (a blank line is ``[]``) with the line it starts on;
    ``TooLargeError`` for a record of more than ``MAX_RECORD_CHARS``, naming that line.
    ``csv.Error`` passes through; ``lines_read`` then says how far the reader got.

    ``stream`` must be opened with ``newline=""``, as the csv module asks. The lines are read
    at most ``MAX_RECORD_CHARS + 1`` characters at a time, so an endless line costs no more.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.line = 1
        """The line where the record being read (or last read) starts."""
        self._chars = 0  # of the record being read
        self._reader = csv.reader(self._lines(stream))
        self._records = self._each()

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        return self._records  # a generator, not __next__: this runs for millions of records

    def __next__(self) -> tuple[int, list[str]]:
        return next(self._records)

    def _each(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        for cells in reader:
            yield self.line, cells
            self.line, self._chars = reader.line_num + 1, 0

    @property
    def lines_read(self) -> int:
        """Lines (or pieces of an overlong line) handed to the csv reader so far."""
        return self._reader.line_num

    def _lines(self, stream: IO[str]) -> Iterator[str]:
        for line in iter(partial(stream.readline, MAX_RECORD_CHARS + 1), ""):
            self._chars += len(line)
            if self._chars > MAX_RECORD_CHARS:
                message = f"the row is longer than {MAX_RECORD_CHARS:,} characters"
                raise TooLargeError(message, line=self.line)
            yield line


# --- JSON ----------------------------------------------------------------------------------------

_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")


def json_items(stream: BinaryIO, member: str | None = None) -> Iterator[object]:
    """The items of the top-level array, or of the array that is the top-level object's member
    ``member``, one at a time, non-integers as floats; ``TooLargeError`` for nesting deeper than
    ``MAX_JSON_DEPTH`` anywhere in the file, or an item of more than ``MAX_JSON_ITEM_VALUES``.
    Malformed JSON raises ``ijson.JSONError`` as ``ijson.items`` would.

    ``ijson.items`` tracks every event's path as a string, which a few megabytes of ``[`` turn
    into terabytes; the events of ``basic_parse`` carry no path, and the items are built here.
    """
    base = 1 if member is None else 2  # the depth of the wanted array's items
    depth, index, values = 0, 0, 0
    inside = member is None
    key: object = None  # the member being read, in the top-level object
    open_items: list[Any] = []  # the item being built and its open arrays and objects
    keys: list[object] = []  # each open object's current key
    for event, value in ijson.basic_parse(stream, use_float=True):
        if event == "map_key":
            if open_items:
                keys[-1] = value
            elif depth == 1:
                key = value
            continue
        if event in _STARTS:
            depth += 1
            if depth > MAX_JSON_DEPTH:
                message = f"nested more than {MAX_JSON_DEPTH} levels deep"
                raise TooLargeError(message, item=index if inside else None)
            if not inside:
                inside = depth == 2 and key == member and event == "start_array"
                continue
            if depth == base:
                continue  # the array of items itself
            container: Any = {} if event == "start_map" else []
        elif event in _ENDS:
            depth -= 1
            if inside and depth < base:
                inside = False  # the end of the array of items
            elif inside and depth >= base:
                done = open_items.pop()
                keys.pop()
                if depth == base:
                    yield done
                    index, values = index + 1, 0
            continue
        elif not inside or depth < base:
            continue
        elif depth == base:
            yield value  # an item that is a single value
            index += 1
            continue
        else:
            container = value
        values += 1
        if values > MAX_JSON_ITEM_VALUES:
            raise TooLargeError(
                f"more than {MAX_JSON_ITEM_VALUES:,} values in one item", item=index
            )
        if open_items:
            parent = open_items[-1]
            if isinstance(parent, dict):
                parent[keys[-1]] = container
            else:
                parent.append(container)
        if event in _STARTS:
            open_items.append(container)
            keys.append(None)


def nested_deeper_than(value: object, limit: int) -> bool:
    """Whether ``value`` (as ``json.loads`` gives it) nests lists and dicts more than ``limit``
    levels deep; the top level counts as one."""
    pending: list[tuple[object, int]] = [(value, 1)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict):
            children = list(current.values())
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False
