"""KPI measurement files (CSV, XLSX, JSON, JSON Lines), streamed as validated rows and problems.

One record is one measurement: ``kpi`` (a code of the catalogue given), ``period``, ``value``, and
optionally ``unit`` (default: the KPI's), ``sample_size``, ``series`` (a free label such as a
queue or site, default "") and ``engagement`` (default: the caller's). Column names ignore case,
and spaces or hyphens in them read as underscores. Each record is checked in ``measurement_rows``.

Conventions, shared with ``matrix_file``:

* ``period`` is a timezone-aware UTC ``datetime``: ``YYYY-MM-DD`` is that day at 00:00 UTC,
  ``YYYY-MM`` the 1st of the month, an ISO date-time must carry an offset (``Z`` or ``+02:00``)
  and is converted to UTC. An XLSX date cell counts as a date when its time is midnight.
* ``MeasurementRow.row``: the physical line for CSV (header = line 1) and JSON Lines (first
  line = 1), the sheet row for XLSX (with ``sheet``), the 0-based array index for JSON.
* Problems: CSV and JSON Lines give the line and the field as ``path``; XLSX gives no line and
  the cell as ``path`` (``measurements!C5``); JSON gives no line and a path
  (``measurements[4].value``). Every row message starts with the field it is about.
* JSON is a top-level array of objects or an object whose "measurements" member is one (its
  other members are ignored); JSON Lines holds one object per line. Blank lines are skipped.
* A file with a header and no rows (or ``[]``) yields nothing: no rows and no problem.
* Hostile files are bounded by ``input_limits``: a CSV row or JSON Lines line of more than
  ``MAX_RECORD_CHARS``, a workbook whose zip would unzip too far, a sheet row with a value past
  column ``MAX_COLUMNS``, JSON nested deeper than ``MAX_JSON_DEPTH``. A CSV, XLSX or JSON file
  stops there with one problem naming the place; a JSON Lines file goes on with the next line.

A batch holds its valid rows column by column (``MeasurementColumns``). CSV records as wide as
the header are checked a batch at a time, column by column (``_RowChecker.check_table``); if
any field of the batch is not plainly valid, its records are checked one by one instead, which
gives the same rows and names each problem.

Nothing here detects duplicates: (engagement, kpi, period, series) is the natural key, and the
storage layer enforces it. Valid rows are yielded even when other rows have problems; whether a
file with problems is kept is the caller's decision.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path

import ijson  # type: ignore[import-untyped]

from sourcewise.adapters.input_limits import (
    MAX_JSON_DEPTH,
    MAX_RECORD_CHARS,
    CsvRecords,
    TooLargeError,
    json_items,
    nested_deeper_than,
    record_lines,
    sheet_rows,
    xlsx_archive_problem,
)
from sourcewise.adapters.measurement_rows import CheckedColumns, _RowChecker, _show, _text
from sourcewise.domain.problems import Problem, format_path
from sourcewise.governance.kpis import KpiDefinition, Unit

REQUIRED = ("kpi", "period", "value")
COLUMNS = (*REQUIRED, "unit", "sample_size", "series", "engagement")
MAX_BYTES = 2 * 1024**3
MAX_PROBLEMS = 1000
MAX_COLUMNS = 64
"""Columns read from a workbook's sheet: the seven known ones and room for others (reported);
a value in the next column stops the file, and columns further right are not read."""
_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")


@dataclass(frozen=True, slots=True)
class MeasurementRow:
    row: int
    """CSV/JSON Lines line, XLSX sheet row or JSON array index (see the module notes)."""
    engagement: str
    kpi: str
    period: datetime
    """Timezone-aware, UTC."""
    value: float
    """In ``unit``, the KPI's unit, whatever unit the file used."""
    unit: Unit
    sample_size: int | None
    series: str
    sheet: str | None = None
    """The XLSX sheet; None for other formats."""
    where: str = ""
    """``Problem.path`` for the whole row: "" (the line says it), ``Sheet!5:5`` or ``[4]``."""

    def problem(self, file: str, message: str) -> Problem:
        """A problem about this row, located like the reader's own (e.g. a duplicate key)."""
        return Problem(file, None if self.where else self.row, self.where, message)


@dataclass(slots=True)
class MeasurementColumns:
    """Valid rows column by column: a million rows are loaded without an object per row.
    ``rows()`` gives them as ``MeasurementRow`` objects, for a file of human size."""

    lines: list[int]
    """Each row's ``MeasurementRow.row``."""
    fields: CheckedColumns
    wheres: list[str]
    sheet: str | None = None

    @classmethod
    def empty(cls, sheet: str | None = None) -> MeasurementColumns:
        return cls([], CheckedColumns([], [], [], [], [], [], []), [], sheet)

    def __len__(self) -> int:
        return len(self.lines)

    def append(self, line: int, checked: tuple[object, ...], where: str) -> None:
        self.lines.append(line)
        for values, value in zip(self.fields, checked, strict=True):
            values.append(value)  # type: ignore[attr-defined]
        self.wheres.append(where)

    def extend(self, lines: list[int], checked: CheckedColumns) -> None:
        """Rows of a CSV file (whose rows are placed by their line alone)."""
        self.lines += lines
        for values, more in zip(self.fields, checked, strict=True):
            values += more  # type: ignore[operator]
        self.wheres += [""] * len(lines)

    def rows(self) -> tuple[MeasurementRow, ...]:
        columns = zip(self.lines, *self.fields, self.wheres, strict=True)
        return tuple(
            MeasurementRow(line, engagement, kpi, period, value, unit, size, series, self.sheet, at)
            for line, engagement, kpi, period, value, unit, size, series, at in columns
        )


@dataclass(frozen=True, slots=True)
class Batch:
    valid: MeasurementColumns
    problems: tuple[Problem, ...]
    rejected: int = 0
    """Records of this batch that had a problem, listed or not (see ``max_problems``)."""

    @property
    def rows(self) -> tuple[MeasurementRow, ...]:
        return self.valid.rows()


def read_measurements(
    path: Path,
    kpis: Mapping[str, KpiDefinition],
    default_engagement: str | None,
    batch_size: int = 10_000,
    *,
    max_bytes: int = MAX_BYTES,
    max_problems: int = MAX_PROBLEMS,
) -> Iterator[Batch]:
    """Batches of at most ``batch_size`` records each, in file order, read lazily.

    A row's engagement is its own, else ``default_engagement``; a row with neither is a problem.
    After ``max_problems`` problems the rest are counted, not listed, and a last problem says how
    many more rows were rejected.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    file = str(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        yield Batch(MeasurementColumns.empty(), (Problem(file, None, "", message),))
        return
    early = None
    if suffix not in _SUFFIXES:
        early = f"unsupported file type '{path.suffix}': use {', '.join(_SUFFIXES)}"
    elif size > max_bytes:
        early = f"the file has {size:,} bytes, more than the limit of {max_bytes:,}"
    elif size == 0:
        early = "the file is empty"
    if early is not None:
        yield Batch(MeasurementColumns.empty(), (Problem(file, None, "", early),))
        return
    place, has_default = _Place(path), bool((default_engagement or "").strip())
    if suffix in (".xlsx", ".xlsm"):
        items = _table_records(place, _xlsx_rows(path, place), has_default)
    elif suffix == ".csv":
        items = _csv_records(path, place, has_default, batch_size)
    elif suffix == ".json":
        items = _json_records(path, place)
    else:
        items = _jsonl_records(path, place)
    checker = _RowChecker(kpis, default_engagement)
    yield from _batches(items, place, checker, batch_size, max_problems)


# --- file formats -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Issue:
    """A problem found while reading; ``rejects`` if it stands for a record that is lost."""

    problem: Problem
    rejects: bool = True


_Record = tuple[int, Mapping[str, object]]


@dataclass(frozen=True, slots=True)
class _Texts:
    """CSV records as wide as the header, with their lines: checked column by column."""

    lines: list[int]
    records: list[list[str]]


_Item = _Record | _Issue | _Texts


@dataclass(frozen=True, slots=True)
class _ValidTexts:
    """Text records found valid column by column, with their lines."""

    lines: list[int]
    checked: CheckedColumns


class _UnreadableError(Exception):
    def __init__(self, line: int | None, message: str, where: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.where = line, message, where


class _Place:
    """Where a record or a field is: a line and a field (CSV, JSON Lines), a cell (XLSX, once
    ``sheet`` is set) or a JSON path (once ``prefix`` is set)."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.sheet: str | None = None
        self.prefix: tuple[str, ...] | None = None
        self.columns: dict[str, int] = {}

    def at(self, pos: int, field: str = "", index: int | None = None) -> tuple[int | None, str]:
        if self.sheet is not None:
            from openpyxl.utils import get_column_letter  # loaded already: the sheet was read

            index = self.columns.get(field) if index is None else index
            cell = f"{get_column_letter(index + 1)}{pos}" if index is not None else f"{pos}:{pos}"
            return None, f"{self.sheet}!{cell}"
        if self.prefix is not None:
            return None, format_path((*self.prefix, pos, field) if field else (*self.prefix, pos))
        return pos, field

    def where(self, pos: int) -> str:
        return "" if self.sheet is None and self.prefix is None else self.at(pos)[1]

    def issue(self, pos: int | None, message: str, field: str = "", rejects: bool = True) -> _Issue:
        line, where = (None, "") if pos is None else self.at(pos, field)
        return _Issue(Problem(self.file, line, where, message), rejects)


def _not_utf8(offset: int) -> str:
    return f"not UTF-8 text: the byte at offset {offset:,} is not valid"


def _column_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _unknown_column(name: str, what: str = "column") -> str:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(COLUMNS)}"
    return f"unknown {what} {_show(name)}{hint}"


def _header(
    place: _Place, line: int, cells: Sequence[object], has_default: bool
) -> tuple[list[_Issue], int]:
    """Fills ``place.columns``; the header's problems, and its width (0 if a column is missing:
    then no record can be valid)."""
    names = [_column_name(_text(cell)) for cell in cells]
    while names and not names[-1]:
        names.pop()
    issues = []
    for index, name in enumerate(names):
        if not name:
            message = f"column {index + 1} has no name"
        elif name in place.columns:
            message = f"column {_show(name)} appears twice"
        elif name not in COLUMNS:
            message = _unknown_column(name)
        else:
            place.columns[name] = index
            continue
        issues.append(_Issue(Problem(place.file, *place.at(line, name, index), message), False))
    missing = [c for c in REQUIRED if c not in place.columns]
    if "engagement" not in place.columns and not has_default:
        missing.append("engagement")
    for name in missing:
        extra = " (or give a default engagement)" if name == "engagement" else ""
        issues.append(place.issue(line, f"missing required column {_show(name)}{extra}", "", False))
    return issues, 0 if missing else len(names)


def _table_records(
    place: _Place,
    rows: Iterable[tuple[int, Sequence[object]]],
    has_default: bool,
    texts: int = 0,
    unreadable: Callable[[Exception], _UnreadableError] | None = None,
) -> Iterator[_Item]:
    """CSV and XLSX: the first non-blank row is the header. With ``texts`` (CSV, whose cells
    are text) the records after it are taken that many at a time, and runs of records as wide
    as the header come as ``_Texts``."""
    rows = iter(rows)
    chunk: list[tuple[int, Sequence[object]]] = []
    columns: tuple[tuple[str, int], ...] = ()
    width = 0
    try:
        for line, cells in rows:
            if _blank(cells):
                continue
            issues, width = _header(place, line, cells, has_default)
            yield from issues
            if not width:
                return  # one problem, not one per row
            columns = tuple(place.columns.items())
            break
        else:
            yield place.issue(None, "the file is empty", rejects=False)
            return
        while True:
            chunk = []
            chunk.extend(islice(rows, texts or 1))  # in C; keeps what it read before an error
            if not chunk:
                return
            yield from _run(place, chunk, columns, width, bool(texts))
    except (_UnreadableError, UnicodeDecodeError, TooLargeError, csv.Error) as error:
        # Only the ``as`` name may hold the raised error: another name would keep it, its
        # frames and the file they hold open in a cycle until the garbage collector runs.
        if isinstance(error, _UnreadableError):
            problem = _named(place, error)
        elif unreadable is not None:  # the file format's own errors, named by its reader
            problem = _named(place, unreadable(error))
        else:
            raise
        yield from _run(place, chunk, columns, width, bool(texts))
        yield _Issue(problem, rejects=False)


def _named(place: _Place, error: _UnreadableError) -> Problem:
    return Problem(place.file, error.line, error.where, error.message)


def _run(
    place: _Place,
    chunk: list[tuple[int, Sequence[object]]],
    columns: tuple[tuple[str, int], ...],
    width: int,
    texts: bool,
) -> Iterator[_Item]:
    """The records after the header: a run of text records all as wide as the header and none
    blank as one ``_Texts`` (the usual CSV file), others one by one."""
    if texts and chunk:
        lines, cells = zip(*chunk, strict=True)
        if set(map(len, cells)) == {width} and all(map(str.strip, map(itemgetter(0), cells))):
            yield _Texts(list(lines), list(cells))
            return
    usual: list[tuple[int, Sequence[object]]] = []
    for line, row in chunk:
        if texts and len(row) == width and str(row[0]).strip():
            usual.append((line, row))
            continue
        if _blank(row):
            continue
        if usual:  # in file order
            yield _texts(usual)
            usual = []
        if len(row) > width and _any_text(row[width:]):
            yield place.issue(line, f"has values beyond the {width} columns of the header")
        else:
            yield line, {name: row[i] for name, i in columns if i < len(row)}
    if usual:
        yield _texts(usual)


def _blank(cells: Sequence[object]) -> bool:
    return not (cells and _text(cells[0])) and not any(_text(c) for c in cells)


def _texts(records: list[tuple[int, Sequence[object]]]) -> _Texts:
    lines, cells = zip(*records, strict=True)
    return _Texts(list(lines), list(cells))  # CSV cells are text


def _any_text(cells: Sequence[object]) -> bool:
    """Whether a cell holds more than blanks; a sheet's rows are mostly padding (None)."""
    return cells.count(None) < len(cells) and any(_text(c) for c in cells)


def _csv_records(path: Path, place: _Place, has_default: bool, texts: int) -> Iterator[_Item]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        records = CsvRecords(stream)

        def unreadable(error: Exception) -> _UnreadableError:
            if isinstance(error, UnicodeDecodeError):
                line, byte = _first_bad_utf8(path) or (records.line, -1)
                return _UnreadableError(line, _not_utf8(byte))
            if isinstance(error, TooLargeError):
                return _UnreadableError(error.line, error.message)
            return _UnreadableError(records.lines_read, f"not readable as CSV: {error}")

        # The records straight from the csv module (no generator of their own in between:
        # this is once per row of million-row files), its errors named here.
        yield from _table_records(place, records, has_default, texts, unreadable)


def _xlsx_rows(path: Path, place: _Place) -> Iterator[tuple[int, Sequence[object]]]:
    from openpyxl import load_workbook

    refused = xlsx_archive_problem(path)
    if refused is not None:
        raise _UnreadableError(None, refused)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise _UnreadableError(None, f"not a readable XLSX workbook: {error}") from None
    try:
        named = [s for s in book.worksheets if s.title.strip().lower() == "measurements"]
        sheet = named[0] if named else book.worksheets[0]
        place.sheet = str(sheet.title)
        number = 0
        try:
            for number, cells in sheet_rows(sheet, MAX_COLUMNS):
                yield number, cells
        except TooLargeError as error:
            raise _UnreadableError(None, error.message, error.cell) from None
        except Exception as error:  # a damaged sheet fails while streaming, not at open
            where = place.at(number + 1)[1]
            raise _UnreadableError(None, f"not a readable XLSX sheet: {error}", where) from None
    finally:
        book.close()


class _Objects:
    """JSON and JSON Lines records: objects whose keys are the columns."""

    def __init__(self, place: _Place) -> None:
        self.place = place
        self.names: dict[str, str] = {}
        self.reported: set[str] = set()

    def record(self, pos: int, item: object) -> Iterator[_Item]:
        if not isinstance(item, dict):
            yield self.place.issue(pos, f"{_show(item)} is not an object with kpi, period, value")
            return
        raw: dict[str, object] = {}
        for key, value in item.items():
            name = self.names.get(key) or _column_name(str(key))
            if len(self.names) < 1000:  # a hostile file could use a new key in every object
                self.names[key] = name
            if name in COLUMNS:
                raw[name] = value
            elif name not in self.reported and len(self.reported) < 1000:
                self.reported.add(name)
                yield self.place.issue(pos, _unknown_column(name, "field"), str(key), False)
        yield pos, raw


def _jsonl_records(path: Path, place: _Place) -> Iterator[_Item]:
    objects, content = _Objects(place), False
    deep = f"malformed JSON: nested more than {MAX_JSON_DEPTH} levels deep"
    with path.open("rb") as stream:
        for line, start, raw in record_lines(stream):
            if raw is None:
                content = True
                yield place.issue(line, f"the line is longer than {MAX_RECORD_CHARS:,} bytes")
                continue
            if line == 1 and raw.startswith(_BOM):
                raw, start = raw[len(_BOM) :], start + len(_BOM)
            if not raw.strip():
                continue
            content = True
            try:
                item = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield place.issue(line, _not_utf8(start + error.start))
            except json.JSONDecodeError as error:
                yield place.issue(line, f"malformed JSON at column {error.colno}: {error.msg}")
            except RecursionError:  # deeper than the interpreter's stack, so than the limit
                yield place.issue(line, deep)
            else:
                if nested_deeper_than(item, MAX_JSON_DEPTH):
                    yield place.issue(line, deep)
                else:
                    yield from objects.record(line, item)
    if not content:
        yield place.issue(None, "the file is empty", rejects=False)


def _json_records(path: Path, place: _Place) -> Iterator[_Item]:
    objects, count = _Objects(place), 0
    with path.open("rb") as stream:
        skip = len(_BOM) if stream.read(len(_BOM)) == _BOM else 0
        stream.seek(skip)
        first = b""
        while not first and (chunk := stream.read(4096)):
            first = chunk.lstrip()[:1]
        stream.seek(skip)
        if first not in (b"[", b"{"):
            message = "the file is empty" if not first else "not a JSON array or object"
            yield place.issue(None, message, rejects=False)
            return
        place.prefix = () if first == b"[" else ("measurements",)
        try:
            for item in json_items(stream, None if first == b"[" else "measurements"):
                yield from objects.record(count, item)
                count += 1
        except TooLargeError as error:
            yield place.issue(error.item, error.message, rejects=False)
            return
        except _JSON_ERROR as error:
            if (bad := _first_bad_utf8(path)) is not None:
                yield _Issue(Problem(place.file, bad[0], "", _not_utf8(bad[1])), rejects=False)
                return
            # ijson's C parser names no line or column; its first line says what is wrong.
            after = f" after {place.at(count - 1)[1]}" if count else ""
            reason = (str(error).strip() or "invalid").splitlines()[0]
            yield place.issue(None, f"malformed JSON{after}: {reason}", rejects=False)
            return
    if count == 0 and first == b"{":
        kind = _json_member_kind(path, skip, "measurements")
        if kind != "start_array":
            message = "'measurements' is not an array" if kind else "no 'measurements' array"
            yield place.issue(None, message, rejects=False)


# --- helpers around the file formats -----------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_JSON_ERROR: type[Exception] = ijson.JSONError


def _json_member_kind(path: Path, skip: int, key: str) -> str | None:
    """ijson's start event of the top-level object's member ``key``, None if it has none."""
    with path.open("rb") as stream:
        stream.seek(skip)
        events: Iterator[tuple[str, str, object]] = ijson.parse(stream)
        try:
            for prefix, event, _ in events:
                if prefix == key and event != "map_key":
                    return event
        except _JSON_ERROR:
            return None
    return None


def _first_bad_utf8(path: Path) -> tuple[int, int] | None:
    """(line, byte offset) of the first byte that is not UTF-8, streaming; None if all are."""
    offset, line, carry = 0, 1, b""
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(1 << 20)
            data = carry + chunk
            if not data:
                return None
            try:
                data.decode("utf-8")
                good = len(data)
            except UnicodeDecodeError as error:
                if not (chunk and error.reason == "unexpected end of data"):
                    return line + data.count(b"\n", 0, error.start), offset + error.start
                good = error.start  # a character split across two chunks
            line += data.count(b"\n", 0, good)
            offset += good
            carry = data[good:]


class _Batcher:
    """Gathers valid rows, problems and rejected records into batches of ``size`` records."""

    def __init__(self, place: _Place, size: int) -> None:
        self.place, self.size = place, size
        self.rows = MeasurementColumns.empty(place.sheet)
        self.problems: list[Problem] = []
        self.rejected = self.count = 0

    def take(self) -> Batch:
        batch = Batch(self.rows, tuple(self.problems), self.rejected)
        self.rows = MeasurementColumns.empty(self.place.sheet)
        self.problems, self.rejected, self.count = [], 0, 0
        return batch

    @property
    def full(self) -> bool:
        return self.count >= self.size


def _batches(
    items: Iterator[_Item], place: _Place, checker: _RowChecker, batch_size: int, max_problems: int
) -> Iterator[Batch]:
    batch = _Batcher(place, batch_size)
    listed = hidden_problems = hidden_rows = 0
    for item in _records(items, place, checker):
        if isinstance(item, _ValidTexts):
            if batch.count + len(item.lines) > batch_size:
                yield batch.take()
            batch.rows.extend(item.lines, item.checked)
            batch.count += len(item.lines)
            if batch.full:
                yield batch.take()
            continue
        if isinstance(item, _Issue):
            found, rejects = [item.problem], item.rejects
        else:
            pos, raw = item
            result = checker.check(raw)
            if isinstance(result, tuple):
                batch.rows.sheet = place.sheet  # an XLSX sheet is named once it is opened
                batch.rows.append(pos, result, place.where(pos))
                batch.count += 1
                if batch.full:
                    yield batch.take()
                continue
            found = [Problem(place.file, *place.at(pos, f), m) for f, m in result]
            rejects = True
        room = max(0, min(len(found), max_problems - listed))
        batch.problems += found[:room]
        listed, hidden_problems = listed + room, hidden_problems + len(found) - room
        batch.count += rejects
        batch.rejected += rejects
        hidden_rows += rejects and not room
        if batch.full:
            yield batch.take()
    if hidden_problems:
        message = (
            f"only the first {max_problems:,} problems are listed: {hidden_problems:,} more, "
            f"and {hidden_rows:,} more rows were rejected"
        )
        batch.problems.append(Problem(place.file, None, "", message))
    if batch.rows or batch.problems or batch.rejected:
        yield batch.take()


def _records(
    items: Iterator[_Item], place: _Place, checker: _RowChecker
) -> Iterator[_Record | _Issue | _ValidTexts]:
    """The items, with text records checked column by column where all are valid, else
    handed on one by one (to be checked, and their problems named, like any record)."""
    columns: tuple[tuple[str, int], ...] = ()
    for item in items:
        if not isinstance(item, _Texts):
            yield item
            continue
        checked = checker.check_table(item.records, place.columns)
        if checked is not None:
            yield _ValidTexts(item.lines, checked)
            continue
        columns = columns or tuple(place.columns.items())
        for line, cells in zip(item.lines, item.records, strict=True):
            yield line, {name: cells[i] for name, i in columns}
