"""KPI measurement files (CSV, XLSX, JSON, JSON Lines), streamed as validated rows and problems.

One record is one measurement: ``kpi`` (a code of the catalogue given), ``period``, ``value``, and
optionally ``unit`` (default: the KPI's), ``sample_size``, ``series`` (a free label such as a
queue or site, default "") and ``engagement`` (default: the caller's). Column names ignore case,
and spaces or hyphens in them read as underscores.

Conventions, shared with ``matrix_file``:

* ``period`` is a timezone-aware UTC ``datetime``: ``YYYY-MM-DD`` is that day at 00:00 UTC,
  ``YYYY-MM`` the 1st of the month, an ISO date-time must carry an offset (``Z`` or ``+02:00``)
  and is converted to UTC. An XLSX date cell counts as a date when its time is midnight.
* ``MeasurementRow.row``: the physical line for CSV (header = line 1) and JSON Lines (first
  line = 1), the sheet row for XLSX (with ``sheet``), the 0-based array index for JSON.
* Problems: CSV and JSON Lines give the line and the field as ``path``; XLSX gives no line and
  the cell as ``path`` (``measurements!C5``); JSON gives no line and a path
  (``measurements[4].value``). Every row message starts with the field it is about.
* A file with a header and no rows (or ``[]``) yields nothing: no rows and no problem.

Nothing here detects duplicates: (engagement, kpi, period, series) is the natural key, and the
storage layer enforces it. Valid rows are yielded even when other rows have problems; whether a
file with problems is kept is the caller's decision.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import ijson  # type: ignore[import-untyped]

from sourcewise.domain.problems import Problem, format_path
from sourcewise.governance.kpis import (
    PERIOD_FORMS,
    KpiDefinition,
    Unit,
    UnitMismatch,
    check_value,
    closest_code,
    parse_period,
    parse_unit,
)

REQUIRED = ("kpi", "period", "value")
COLUMNS = (*REQUIRED, "unit", "sample_size", "series", "engagement")
MAX_BYTES = 2 * 1024**3
MAX_PROBLEMS = 1000
MAX_LABEL = 200
"""Longest engagement or series label, in characters."""
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


@dataclass(frozen=True, slots=True)
class Batch:
    rows: tuple[MeasurementRow, ...]
    problems: tuple[Problem, ...]
    rejected: int = 0
    """Records of this batch that had a problem, listed or not (see ``max_problems``)."""


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
        yield Batch((), (Problem(file, None, "", message),))
        return
    early = None
    if suffix not in _SUFFIXES:
        early = f"unsupported file type '{path.suffix}': use {', '.join(_SUFFIXES)}"
    elif size > max_bytes:
        early = f"the file has {size:,} bytes, more than the limit of {max_bytes:,}"
    elif size == 0:
        early = "the file is empty"
    if early is not None:
        yield Batch((), (Problem(file, None, "", early),))
        return
    source: _Source
    if suffix in (".xlsx", ".xlsm"):
        source = _XlsxSource(path, default_engagement)
    elif suffix == ".json":
        source = _JsonSource(path, default_engagement)
    elif suffix == ".csv":
        source = _CsvSource(path, default_engagement)
    else:
        source = _JsonLinesSource(path, default_engagement)
    checker = _RowChecker(kpis, default_engagement)
    yield from _batches(source, checker, batch_size, max_problems)


# --- validation of one record ------------------------------------------------------------------

_Checked = tuple[str, str, datetime, float, Unit, int | None, str]
_Errors = list[tuple[str, str]]


def _show(raw: object) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # an XLSX label typed as a number, e.g. site 12
    return raw.strip() if isinstance(raw, str) else "" if raw is None else str(raw)


@lru_cache(maxsize=4096)  # a file has few distinct periods and many rows per period
def _period_text(text: str) -> datetime | str:
    try:
        return parse_period(text)
    except ValueError as error:
        return str(error)


def _period(raw: object) -> datetime | str:
    if isinstance(raw, datetime):  # an XLSX date cell: Excel stores no time zone
        if raw.tzinfo is None and raw.time() != time(0):
            return f"{raw.isoformat()} has a time but no UTC offset; write it as text with one"
        return raw.replace(tzinfo=UTC) if raw.tzinfo is None else raw.astimezone(UTC)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=UTC)
    if not isinstance(raw, str):
        return f"{_show(raw)} is not a date; use {PERIOD_FORMS}"
    return _period_text(raw)


def _number(raw: object) -> float | str:
    if isinstance(raw, float | int | Decimal) and not isinstance(raw, bool):
        return float(raw)
    try:
        return float(raw) if isinstance(raw, str) else float("x")
    except ValueError:
        hint = ""
        if isinstance(raw, str) and "%" in raw:
            hint = " (give the unit in the unit column)"
        elif isinstance(raw, str) and "," in raw:
            hint = " (use a dot as the decimal separator, no thousands separator)"
        return f"{_show(_text(raw))} is not a number{hint}"


def _whole(raw: object) -> int | str:
    number = _number(raw)
    if isinstance(number, str) or not number.is_integer():
        return f"{_show(_text(raw))} is not a whole number"
    return int(number) if number >= 0 else f"{_show(_text(raw))} is negative"


@lru_cache(maxsize=256)
def _unit(text: str) -> Unit | str:
    try:
        return parse_unit(text)
    except ValueError as error:
        return str(error)


class _RowChecker:
    def __init__(self, kpis: Mapping[str, KpiDefinition], default_engagement: str | None):
        self.kpis, self.default = kpis, (default_engagement or "").strip()
        self.unknown: dict[str, str] = {}  # difflib is slow; a bad code tends to repeat

    def check(self, raw: Mapping[str, object]) -> _Checked | _Errors:
        errors: _Errors = []
        texts = {name: _text(raw.get(name)) for name in COLUMNS}
        for name in REQUIRED:
            if not texts[name]:
                errors.append((name, f"{name} is missing"))
        definition = self.kpis.get(texts["kpi"])
        if definition is None and texts["kpi"]:
            errors.append(("kpi", self._unknown_kpi(texts["kpi"])))
        period = _period(raw["period"]) if texts["period"] else None
        value = _number(raw["value"]) if texts["value"] else None
        unit = _unit(texts["unit"]) if texts["unit"] else None
        size = _whole(raw["sample_size"]) if texts["sample_size"] else None
        for name, result in (("period", period), ("value", value)):
            if isinstance(result, str):
                errors.append((name, f"{name} {result}"))
        if isinstance(unit, str) and not isinstance(unit, Unit):  # a Unit is a str too
            errors.append(("unit", f"unit {unit}"))
            unit = definition = None
        if isinstance(size, str):
            errors.append(("sample_size", f"sample_size {size}"))
        if definition is not None and isinstance(value, float):
            try:
                value = check_value(definition, value, unit)
            except UnitMismatch as error:
                errors.append(("unit", f"unit {error}"))
            except ValueError as error:
                errors.append(("value", f"value {error}"))
        engagement, series = texts["engagement"] or self.default, texts["series"]
        if not engagement:
            errors.append(("engagement", "engagement is missing and no default was given"))
        for name, label in (("engagement", engagement), ("series", series)):
            if len(label) > MAX_LABEL:
                errors.append((name, f"{name} is longer than {MAX_LABEL} characters"))
        if errors or definition is None or not isinstance(period, datetime):
            return errors
        if not isinstance(value, float) or isinstance(size, str):
            return errors
        return engagement, definition.code, period, value, definition.unit, size, series

    def _unknown_kpi(self, code: str) -> str:
        if code not in self.unknown:
            close = closest_code(code, self.kpis)
            hint = f"; did you mean '{close}'?" if close else ""
            if len(self.unknown) > 1000:
                self.unknown.clear()
            self.unknown[code] = f"kpi {_show(code)} is not a known KPI{hint}"
        return self.unknown[code]


# --- file formats -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Issue:
    """A problem found while reading; ``rejects`` if it stands for a record that is lost."""

    problem: Problem
    rejects: bool = True


_Record = tuple[int, Mapping[str, object]]


def _column_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


def _unknown_column(name: str, what: str = "column") -> str:
    close = difflib.get_close_matches(name, COLUMNS, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(COLUMNS)}"
    return f"unknown {what} {_show(name)}{hint}"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Source:
    """One file format: records in order, and where a record or a field of it is."""

    sheet: str | None = None

    def __init__(self, path: Path, default_engagement: str | None) -> None:
        self.path = path
        self.file = str(path)
        self.has_default = bool((default_engagement or "").strip())

    def records(self) -> Iterator[_Record | _Issue]:
        raise NotImplementedError

    def locate(self, pos: int, field: str) -> tuple[int | None, str]:
        return pos, field

    def where(self, pos: int) -> str:
        return ""


class _TableSource(_Source):
    """CSV and XLSX: a header row names the columns."""

    def __init__(self, path: Path, default_engagement: str | None) -> None:
        super().__init__(path, default_engagement)
        self.columns: dict[str, int] = {}

    def header_cell(self, line: int, index: int, name: str) -> tuple[int | None, str]:
        return line, name

    def read_header(self, line: int, cells: tuple[object, ...]) -> tuple[list[_Issue], bool]:
        """The header's problems, and whether a required column is missing."""
        names = [_column_name(_text(cell)) for cell in cells]
        while names and not names[-1]:
            names.pop()
        issues: list[_Issue] = []

        def issue(index: int, name: str, message: str) -> None:
            where = self.header_cell(line, index, name)
            issues.append(_Issue(Problem(self.file, *where, message), rejects=False))

        for index, name in enumerate(names):
            if not name:
                issue(index, "", f"column {_column_letter(index)} has no name")
            elif name in self.columns:
                issue(index, name, f"column {_show(name)} appears twice")
            elif name not in COLUMNS:
                issue(index, name, _unknown_column(name))
            else:
                self.columns[name] = index
        missing = [c for c in REQUIRED if c not in self.columns]
        if "engagement" not in self.columns and not self.has_default:
            missing.append("engagement")
        for name in missing:
            extra = " (or give a default engagement)" if name == "engagement" else ""
            issue(-1, "", f"missing required column {_show(name)}{extra}")
        return issues, bool(missing)

    def rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        """Physical rows with their line or row number; ``_UnreadableError`` if the file is not."""
        raise NotImplementedError

    def records(self) -> Iterator[_Record | _Issue]:
        try:
            yield from self._records()
        except _UnreadableError as error:
            yield _Issue(Problem(self.file, error.line, error.where, error.message), rejects=False)

    def _records(self) -> Iterator[_Record | _Issue]:
        header_line = width = 0
        columns: tuple[tuple[str, int], ...] = ()
        for line, cells in self.rows():
            blank = not any(_text(c) for c in cells)
            if not header_line:
                if blank:
                    continue
                header_line = line
                issues, fatal = self.read_header(line, cells)
                yield from issues
                if fatal:
                    return  # no record can be valid: one problem, not one per row
                width = max(self.columns.values()) + 1
                columns = tuple(self.columns.items())
                continue
            if blank:
                continue
            if len(cells) > width and any(_text(c) for c in cells[width:]):
                where = self.locate(line, "")
                message = f"has values beyond the {width} columns of the header"
                yield _Issue(Problem(self.file, *where, message))
                continue
            yield line, {name: cells[i] for name, i in columns if i < len(cells)}
        if not header_line:
            yield _Issue(Problem(self.file, None, "", "the file is empty"), rejects=False)


class _UnreadableError(Exception):
    def __init__(self, line: int | None, message: str, where: str = "") -> None:
        super().__init__(message)
        self.line, self.message, self.where = line, message, where


class _CsvSource(_TableSource):
    def rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        with self.path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            end = 0
            try:
                for cells in reader:
                    start, end = end + 1, reader.line_num
                    yield start, tuple(cells)
            except UnicodeDecodeError:
                line, byte = _first_bad_utf8(self.path) or (end + 1, -1)
                raise _UnreadableError(
                    line, f"not UTF-8 text: byte offset {byte:,} is not"
                ) from None
            except csv.Error as error:
                raise _UnreadableError(reader.line_num, f"not readable as CSV: {error}") from None


class _XlsxSource(_TableSource):
    def rows(self) -> Iterator[tuple[int, tuple[object, ...]]]:
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
            raise _UnreadableError(None, f"not a readable XLSX workbook: {error}") from None
        try:
            named = [s for s in book.worksheets if s.title.strip().lower() == "measurements"]
            sheet = named[0] if named else book.worksheets[0]
            self.sheet = str(sheet.title)
            rows = sheet.iter_rows(min_row=1, min_col=1, values_only=True)
            number = 0
            try:
                for number, cells in enumerate(rows, 1):
                    yield number, tuple(cells)
            except Exception as error:  # a damaged sheet fails while streaming, not at open
                where = self.where(number + 1)
                raise _UnreadableError(None, f"not a readable XLSX sheet: {error}", where) from None
        finally:
            book.close()

    def header_cell(self, line: int, index: int, name: str) -> tuple[int | None, str]:
        if index < 0:
            return None, self.where(line)
        return None, f"{self.sheet}!{_column_letter(index)}{line}"

    def locate(self, pos: int, field: str) -> tuple[int | None, str]:
        if field not in self.columns:
            return None, self.where(pos)
        return None, f"{self.sheet}!{_column_letter(self.columns[field])}{pos}"

    def where(self, pos: int) -> str:
        return f"{self.sheet}!{pos}:{pos}"


class _ObjectSource(_Source):
    """JSON and JSON Lines: a record is an object whose keys are the columns."""

    def __init__(self, path: Path, default_engagement: str | None) -> None:
        super().__init__(path, default_engagement)
        self.names: dict[str, str] = {}
        self.reported: set[str] = set()

    def record(self, pos: int, item: object) -> Iterator[_Record | _Issue]:
        if not isinstance(item, dict):
            message = f"{_show(item)} is not an object with kpi, period and value"
            yield _Issue(Problem(self.file, *self.locate(pos, ""), message))
            return
        raw: dict[str, object] = {}
        for key, value in item.items():
            name = self.names.get(key)
            if name is None:
                name = _column_name(str(key))
                if len(self.names) < 1000:  # a hostile file could use a new key in every object
                    self.names[key] = name
            if name in COLUMNS:
                raw[name] = value
            elif name not in self.reported and len(self.reported) < 1000:
                self.reported.add(name)
                message = _unknown_column(name, "field")
                yield _Issue(Problem(self.file, *self.locate(pos, str(key)), message), False)
        yield pos, raw


class _JsonLinesSource(_ObjectSource):
    def records(self) -> Iterator[_Record | _Issue]:
        with self.path.open("rb") as stream:
            offset, content = 0, False
            for line, raw in enumerate(stream, 1):
                start, offset = offset, offset + len(raw)
                if line == 1 and raw.startswith(_BOM):
                    raw, start = raw[len(_BOM) :], start + len(_BOM)
                if not raw.strip():
                    continue
                content = True
                try:
                    item = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError as error:
                    message = f"not UTF-8 text: byte offset {start + error.start:,} is not"
                    yield _Issue(Problem(self.file, line, "", message))
                except json.JSONDecodeError as error:
                    message = f"malformed JSON at column {error.colno}: {error.msg}"
                    yield _Issue(Problem(self.file, line, "", message))
                else:
                    yield from self.record(line, item)
            if not content:
                yield _Issue(Problem(self.file, None, "", "the file is empty"), rejects=False)


class _JsonSource(_ObjectSource):
    prefix: tuple[str, ...] = ()

    def locate(self, pos: int, field: str) -> tuple[int | None, str]:
        return None, format_path((*self.prefix, pos, field) if field else (*self.prefix, pos))

    def where(self, pos: int) -> str:
        return format_path((*self.prefix, pos))

    def records(self) -> Iterator[_Record | _Issue]:
        def issue(message: str, line: int | None = None) -> _Issue:
            return _Issue(Problem(self.file, line, "", message), rejects=False)

        with self.path.open("rb") as stream:
            skip = len(_BOM) if stream.read(len(_BOM)) == _BOM else 0
            stream.seek(skip)
            first = b""
            while (chunk := stream.read(4096)) and not (first := chunk.lstrip()[:1]):
                pass
            stream.seek(skip)
            if not first:
                yield issue("the file is empty")
                return
            if first not in (b"[", b"{"):
                yield issue("not a JSON array of measurements or an object with 'measurements'")
                return
            self.prefix = () if first == b"[" else ("measurements",)
            count = 0
            try:
                for item in _json_items(stream, "item" if first == b"[" else "measurements.item"):
                    yield from self.record(count, item)
                    count += 1
            except _JSON_ERROR as error:
                after = f" after {self.where(count - 1)}" if count else ""
                bad = _first_bad_utf8(self.path)
                if bad is not None:
                    yield issue(f"not UTF-8 text: byte offset {bad[1]:,} is not", bad[0])
                    return
                # ijson's C parser names no line or column; its first line says what is wrong.
                reason = (str(error).strip() or "invalid").splitlines()[0]
                yield issue(f"malformed JSON{after}: {reason}")
                return
        if count == 0 and first == b"{":
            kind = _json_member_kind(self.path, skip, "measurements")
            if kind is None:
                yield issue("the object has no 'measurements' array")
            elif kind != "start_array":
                yield issue("'measurements' is not an array")


# --- helpers around the file formats -----------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_JSON_ERROR: type[Exception] = ijson.JSONError


def _json_items(stream: BinaryIO, prefix: str) -> Iterator[object]:
    """ijson's items with floats for non-integers (ijson's default is ``Decimal``)."""
    items: Iterator[object] = ijson.items(stream, prefix, use_float=True)
    return items


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


def _batches(
    source: _Source, checker: _RowChecker, batch_size: int, max_problems: int
) -> Iterator[Batch]:
    rows: list[MeasurementRow] = []
    problems: list[Problem] = []
    rejected = count = listed = hidden_problems = hidden_rows = 0
    for item in source.records():
        if isinstance(item, _Issue):
            found, rejects = [item.problem], item.rejects
        else:
            pos, raw = item
            result = checker.check(raw)
            if isinstance(result, list):
                found = [Problem(source.file, *source.locate(pos, f), m) for f, m in result]
                rejects = True
            else:
                found, rejects = [], False
                where = source.where(pos)
                rows.append(MeasurementRow(pos, *result, sheet=source.sheet, where=where))
        room = max(0, min(len(found), max_problems - listed))
        problems += found[:room]
        listed, hidden_problems = listed + room, hidden_problems + len(found) - room
        count += rejects or not found
        rejected += rejects
        hidden_rows += rejects and not room
        if count >= batch_size:
            yield Batch(tuple(rows), tuple(problems), rejected)
            rows, problems, rejected, count = [], [], 0, 0
    if hidden_problems:
        message = (
            f"only the first {max_problems:,} problems are listed: {hidden_problems:,} more, "
            f"and {hidden_rows:,} more rows were rejected"
        )
        problems.append(Problem(source.file, None, "", message))
    if rows or problems or rejected:
        yield Batch(tuple(rows), tuple(problems), rejected)
