"""Monthly actual costs from a CSV file: ``engagement, month, fees, internal_costs,
one_off_costs`` (the last two optional, ``engagement`` optional when given on the command
line). Every bad row is reported with its line and column; amounts are read as exact decimals.
A row longer than ``input_limits.MAX_RECORD_CHARS``, or more than ``MAX_ROWS`` rows, stops the
file with one problem at that line.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sourcewise.adapters.input_limits import CsvRecords, TooLargeError
from sourcewise.domain.problems import Problem
from sourcewise.governance.records import MonthlyCost

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
"""A month per engagement in each row: 100,000 rows is 8,000 engagement-years."""
REQUIRED = ("month", "fees")
OPTIONAL = ("engagement", "internal_costs", "one_off_costs")
MAX_AMOUNT = Decimal("1e12")


def _month(text: str) -> date:
    parts = text.strip().split("-")
    if len(parts) not in (2, 3):
        raise ValueError
    day = date(int(parts[0]), int(parts[1]), 1 if len(parts) == 2 else int(parts[2]))
    if day.day != 1:
        raise ValueError
    return day


def _amount(text: str) -> Decimal:
    value = Decimal(text.strip().replace(",", "")) if text.strip() else Decimal(0)
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        raise InvalidOperation
    return value


def read_costs(path: Path, engagement: str | None) -> tuple[list[MonthlyCost], list[Problem]]:
    file = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return [], [Problem(file, None, "", f"the file is larger than {MAX_BYTES:,} bytes")]
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [Problem(file, None, "", f"cannot read the file: {error}")]
    records = CsvRecords(io.StringIO(text, newline=""))
    try:
        return _costs(records, file, engagement)
    except TooLargeError as error:
        return [], [Problem(file, error.line, "", error.message)]
    except csv.Error as error:
        return [], [Problem(file, records.line, "", f"not readable as CSV: {error}")]


def _costs(
    records: CsvRecords, file: str, engagement: str | None
) -> tuple[list[MonthlyCost], list[Problem]]:
    rows = ((line, cells) for line, cells in records if cells)  # blank lines are skipped
    header = [h.strip() for h in next(rows, (1, []))[1]]
    problems = [Problem(file, 1, name, "missing column") for name in REQUIRED if name not in header]
    problems += [
        Problem(file, 1, name, f"unknown column (expected {', '.join(REQUIRED + OPTIONAL)})")
        for name in header
        if name not in REQUIRED + OPTIONAL
    ]
    if "engagement" not in header and not engagement:
        problems.append(
            Problem(file, 1, "engagement", "no engagement column: give --engagement NAME")
        )
    if problems:
        return [], problems
    costs: list[MonthlyCost] = []
    seen: dict[tuple[str, date], int] = {}
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            return [], [Problem(file, line, "", f"more than {MAX_ROWS:,} rows")]
        row = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        name = row.get("engagement", "").strip() or (engagement or "")
        try:
            month = _month(row["month"])
        except (ValueError, KeyError):
            problems.append(Problem(file, line, "month", f"'{row.get('month')}' is not YYYY-MM"))
            continue
        amounts: dict[str, Decimal] = {}
        for column in ("fees", "internal_costs", "one_off_costs"):
            try:
                amounts[column] = _amount(row.get(column, ""))
            except InvalidOperation:
                problems.append(
                    Problem(file, line, column, f"'{row.get(column)}' is not an amount ≥ 0")
                )
        if not name:
            problems.append(Problem(file, line, "engagement", "is required"))
        if (name, month) in seen:
            problems.append(
                Problem(file, line, "month", f"{month:%Y-%m} repeats line {seen[(name, month)]}")
            )
        seen[(name, month)] = line
        if len(amounts) == 3 and name:
            costs.append(MonthlyCost(name, month, **amounts))
    return costs, problems
