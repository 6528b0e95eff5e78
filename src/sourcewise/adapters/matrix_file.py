"""A decision matrix from a CSV or XLSX file: alternatives in rows, criteria in columns.

The first row names the criteria (its first cell is a label for the alternatives column), the
first column names the alternatives, every other cell is a number. Problems name the file and
the line (CSV) or the cell (XLSX, e.g. ``Sheet1!C4``), and all are reported at once.

The file is read row by row, blank rows kept out, and refused as too large at the first row past
``MAX_ALTERNATIVES`` or ``MAX_CRITERIA``; ``input_limits`` bounds the length of a CSV row and
what a workbook may unzip to.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sourcewise.adapters.input_limits import (
    CsvRecords,
    TooLargeError,
    sheet_rows,
    xlsx_archive_problem,
)
from sourcewise.domain.problems import Problem

MAX_BYTES = 20 * 1024 * 1024
MAX_ALTERNATIVES = 10_000
MAX_CRITERIA = 200
_LIMITS = f"{MAX_ALTERNATIVES:,} alternatives and {MAX_CRITERIA} criteria"


class _TooLargeMatrixError(Exception):
    """More alternatives or criteria than the limits."""


@dataclass(frozen=True, slots=True)
class DecisionMatrix:
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    values: npt.NDArray[np.float64]


def _parse(
    rows: list[list[object]], file: str, where: str
) -> tuple[DecisionMatrix | None, list[Problem]]:
    """``where`` is "csv" (problems name lines) or a sheet name (problems name cells)."""

    def place(row: int, col: int) -> tuple[int | None, str]:
        if where == "csv":
            return row + 1, ""
        from openpyxl.utils import get_column_letter  # loaded already: the sheet was read

        return None, f"{where}!{get_column_letter(col + 1)}{row + 1}"

    problems: list[Problem] = []
    rows = [r for r in rows if any(str(c).strip() for c in r if c is not None)]
    if len(rows) < 2:
        return None, [Problem(file, None, "", "needs a header row and at least one alternative")]
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    criteria = header[1:]
    if not criteria:
        return None, [Problem(file, 1, "", "the header names no criteria")]
    if len(criteria) > MAX_CRITERIA or len(rows) - 1 > MAX_ALTERNATIVES:
        return None, [_too_large(file)]
    for col, name in enumerate(criteria, start=1):
        if not name:
            line, cell = place(0, col)
            problems.append(Problem(file, line, cell, f"column {col + 1} has no criterion name"))
    values = np.full((len(rows) - 1, len(criteria)), np.nan)
    names: list[str] = []
    for r, row in enumerate(rows[1:], start=1):
        name = str(row[0]).strip() if row and row[0] is not None else ""
        if not name:
            line, cell = place(r, 0)
            problems.append(Problem(file, line, cell, "the alternative has no name"))
        elif name in names:
            line, cell = place(r, 0)
            problems.append(Problem(file, line, cell, f"alternative '{name}' appears twice"))
        names.append(name)
        if len(row) - 1 != len(criteria):
            line, cell = place(r, 0)
            problems.append(
                Problem(file, line, cell, f"has {len(row) - 1} values for {len(criteria)} criteria")
            )
        for c, raw in enumerate(row[1 : len(criteria) + 1]):
            try:
                number = float(str(raw).strip()) if not isinstance(raw, int | float) else raw
                if not np.isfinite(number):
                    raise ValueError
                values[r - 1, c] = number
            except (TypeError, ValueError):
                line, cell = place(r, c + 1)
                label = f"{cell} " if cell else ""
                problems.append(
                    Problem(
                        file,
                        line,
                        criteria[c] if c < len(criteria) else "",
                        f"{label}'{raw}' is not a number",
                    )
                )
    if problems:
        return None, problems
    return DecisionMatrix(tuple(names), tuple(criteria), values), []


def _too_large(file: str) -> Problem:
    return Problem(file, None, "", f"too large: the limits are {_LIMITS}")


def _kept(rows: Iterator[tuple[int, Sequence[object]]]) -> list[list[object]]:
    """The rows that are not blank, until one too many or too wide for the limits."""
    kept: list[list[object]] = []
    for _, row in rows:
        if not any(str(c).strip() for c in row if c is not None):
            continue
        if len(kept) > MAX_ALTERNATIVES or len(row) > MAX_CRITERIA + 1:
            raise _TooLargeMatrixError
        kept.append(list(row))
    return kept


def read_matrix(path: Path) -> tuple[DecisionMatrix | None, list[Problem]]:
    file = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [Problem(file, None, "", f"larger than {MAX_BYTES:,} bytes")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, None, "", f"cannot read the file: {error.strerror or error}")]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(file, line, "", "not UTF-8 text")]
    records = CsvRecords(io.StringIO(text, newline=""))
    try:
        rows = _kept(records)
    except _TooLargeMatrixError:
        return None, [_too_large(file)]
    except TooLargeError as error:
        return None, [Problem(file, error.line, "", error.message)]
    except csv.Error as error:
        return None, [Problem(file, records.line, "", f"not readable as CSV: {error}")]
    return _parse(rows, file, "csv")


def _read_xlsx(raw: bytes, file: str) -> tuple[DecisionMatrix | None, list[Problem]]:
    from openpyxl import load_workbook

    refused = xlsx_archive_problem(raw)
    if refused is not None:
        return None, [Problem(file, None, "", refused)]
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        return None, [Problem(file, None, "", f"not a readable XLSX workbook: {error}")]
    try:
        sheet = book.worksheets[0]
        rows = _kept(sheet_rows(sheet, MAX_CRITERIA + 1))
    except _TooLargeMatrixError:
        return None, [_too_large(file)]
    except TooLargeError as error:
        return None, [Problem(file, None, error.cell, f"too large: {error.message}")]
    except Exception as error:  # a damaged sheet fails while streaming, not at open
        return None, [Problem(file, None, "", f"not a readable XLSX sheet: {error}")]
    finally:
        book.close()
    return _parse(_as_wide_as_the_header(rows), file, sheet.title)


def _as_wide_as_the_header(rows: list[list[object]]) -> list[list[object]]:
    """Rows without the blank cells a sheet pads them with, those short of the header padded
    back, so that a missing value is a cell, and a row with values past the header too long."""
    trimmed = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        trimmed.append(row[:end])
    width = len(trimmed[0]) if trimmed else 0
    return [row + [None] * (width - len(row)) for row in trimmed]
