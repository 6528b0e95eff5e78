"""Read a scenario workbook into the plain data a YAML scenario parses to, then validate it
through the same path as YAML, so each problem names its sheet, cell and field; and write the
result as YAML."""

from __future__ import annotations

import difflib
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from sourcewise.adapters.input_limits import TooLargeError, sheet_rows, xlsx_archive_problem
from sourcewise.adapters.scenario_workbook import (
    LOOKS_LIKE_DISTRIBUTION,
    RECORD_SHEETS,
    SHEET_ORDER,
    Column,
    DistributionSyntaxError,
    number_text,
    parse_distribution,
    parse_list,
    record_fields,
    table_columns,
)
from sourcewise.adapters.yaml_source import SourceDocument
from sourcewise.domain.problems import Path, Problem, format_path

if TYPE_CHECKING:
    from sourcewise.adapters.scenario_schema import ScenarioModel

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
"""Columns read from each sheet, twice the widest (options, 46): a value in the next column is a
problem, and columns further right are not read (``input_limits.sheet_rows``)."""

# Workbooks saved by Excel may carry data-validation or conditional-formatting extensions that
# openpyxl cannot keep; it warns and drops them. Only the values matter here, so these two
# warnings (and no others) are silenced while loading.
_HARMLESS_WARNINGS = (
    r"Data Validation extension is not supported and will be removed",
    r"Conditional Formatting extension is not supported and will be removed",
)

_ABSENT = object()


@dataclass
class WorkbookDocument(SourceDocument):
    """A SourceDocument whose places are cells (``options!F7``) instead of lines."""

    cells: dict[Path, str] = field(default_factory=dict)

    def cell_of(self, path: Path) -> str:
        for end in range(len(path), -1, -1):
            cell = self.cells.get(tuple(path[:end]))
            if cell is not None:
                return cell
        return ""

    def line_of(self, path: Path) -> int | None:
        return None

    def problem(self, path: Path, message: str) -> Problem:
        where = self.cell_of(path)
        dotted = format_path(path)
        place = ": ".join(part for part in (where, dotted) if part)
        return Problem(self.file, None, place, message)


def _order(problem: Problem) -> tuple[int, int, int, str]:
    """Sheets in workbook order, then rows, then columns."""
    match = re.match(r"(\w+)!([A-Z]+)(\d+)", problem.path)
    if match is None:
        return (-1, 0, 0, problem.path)
    sheet, letters, row = match.groups()
    rank = SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else len(SHEET_ORDER)
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return (rank, int(row), col, problem.path)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _decode(raw: Any, column: Column) -> tuple[Any, str | None]:
    """A cell's value as the YAML loader would have produced it, or a problem message.

    Values of the wrong type pass through unchanged: the scenario model then reports them in
    its own words, exactly as it does for a YAML file.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return _ABSENT, None
    match column.kind:
        case "uncertain" if isinstance(raw, str):
            if LOOKS_LIKE_DISTRIBUTION.match(raw):
                try:
                    return parse_distribution(raw), None
                except DistributionSyntaxError as error:
                    return raw, f"'{raw.strip()}' is not a distribution: {error}"
            return raw.strip(), None
        case "list":
            return (parse_list(raw) if isinstance(raw, str) else [_text(raw)]), None
        case "bool" if isinstance(raw, str):
            return raw.strip().lower(), None
        case "text" | "ref" | "enum":
            return (_text(raw).strip() if column.kind != "text" else _text(raw)), None
    return raw, None


def _put(target: dict[str, Any], key: tuple[str, ...], value: Any) -> None:
    for part in key[:-1]:
        target = target.setdefault(part, {})
    target[key[-1]] = value


class _Reader:
    def __init__(self, doc: WorkbookDocument) -> None:
        self.doc = doc
        self.functions: list[dict[str, Any]] = []
        self.read_problems: list[Problem] = []

    def report(self, cell: str, path: Path, message: str) -> None:
        dotted = format_path(path)
        place = f"{cell}: {dotted}" if dotted else cell
        self.read_problems.append(Problem(self.doc.file, None, place, message))

    def header(
        self, sheet: str, row: tuple[Any, ...], columns: tuple[Column, ...]
    ) -> dict[int, Column]:
        """Which column index holds which field; unknown and repeated headers are problems."""
        known = {c.header: c for c in columns}
        found: dict[int, Column] = {}
        seen: set[str] = set()
        for index, raw in enumerate(row):
            if raw is None or not str(raw).strip():
                continue
            name = str(raw).strip()
            cell = f"{sheet}!{get_column_letter(index + 1)}1"
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.report(cell, (), f"unknown column '{name}'{hint}")
            elif name in seen:
                self.report(cell, (), f"column '{name}' appears twice")
            else:
                seen.add(name)
                found[index] = known[name]
        return found

    def fill(
        self,
        sheet: str,
        r: int,
        row: tuple[Any, ...],
        header: dict[int, Column],
        target: dict[str, Any],
        path: Path,
        skip: tuple[str, ...] = (),
    ) -> None:
        """Put a row's cells into ``target`` and remember where each field sits."""
        for index, column in header.items():
            if column.header in skip:
                continue
            cell = f"{sheet}!{get_column_letter(index + 1)}{r}"
            key: Path = tuple(int(k) if k.isdigit() else k for k in column.key)
            self.doc.cells[(*path, *key)] = cell
            raw = row[index] if index < len(row) else None
            value, problem = _decode(raw, column)
            if problem is not None:
                self.report(cell, (*path, *key), problem)
            if value is not _ABSENT:
                _put(target, column.key, value)

    def record(self, sheet: str, rows: list[tuple[Any, ...]]) -> dict[str, Any] | None:
        columns = {c.header: c for c in record_fields(sheet)}
        values: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for r, row in enumerate(rows, start=1):
            name = str(row[0]).strip() if row and row[0] is not None else ""
            if (r == 1 and name == "field") or not name:
                continue
            if name not in columns:
                close = difflib.get_close_matches(name, columns, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.report(f"{sheet}!A{r}", (sheet,), f"unknown field '{name}'{hint}")
                continue
            if name in seen:
                self.report(
                    f"{sheet}!A{r}", (sheet, name), f"given twice (first in row {seen[name]})"
                )
                continue
            seen[name] = r
            self.fill(sheet, r, row, {1: columns[name]}, values, (sheet,))
        return values

    def function_index(self, sheet: str, r: int, name: Any, col: int = 0) -> int | None:
        wanted = _text(name).strip() if name is not None else ""
        for index, function in enumerate(self.functions):
            if function.get("name") == wanted:
                return index
        cell = f"{sheet}!{get_column_letter(col + 1)}{r}"
        if not wanted:
            self.report(cell, (), "names no function")
        else:
            names = ", ".join(f"'{f.get('name')}'" for f in self.functions) or "none"
            self.report(cell, (), f"no function '{wanted}' on the functions sheet ({names})")
        return None

    def table(self, sheet: str, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """Rows of the sheets that stand alone (functions, indicators, correlations)."""
        if not rows:
            return []
        header = self.header(sheet, rows[0], table_columns(sheet))
        items: list[dict[str, Any]] = []
        for r, row in enumerate(rows[1:], start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            item: dict[str, Any] = {}
            path: Path = (sheet, len(items))
            self.doc.cells[path] = f"{sheet}!A{r}"
            self.fill(sheet, r, row, header, item, path)
            if sheet == "correlations" and "between" in item:
                pair = item["between"]
                item["between"] = [pair.get("0"), pair.get("1")]
            items.append(item)
        return items

    def attached(self, sheet: str, rows: list[tuple[Any, ...]]) -> None:
        """Rows that belong to a function (options, parts, weights, ahp)."""
        if not rows:
            return
        header = self.header(sheet, rows[0], table_columns(sheet))
        where = {column.header: index for index, column in header.items()}
        for r, row in enumerate(rows[1:], start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue

            def at(name: str, row: tuple[Any, ...] = row) -> Any:
                index = where.get(name)
                return row[index] if index is not None and index < len(row) else None

            i = self.function_index(sheet, r, at("function"), where.get("function", 0))
            if i is None:
                continue
            function = self.functions[i]
            base: Path = ("functions", i)
            match sheet:
                case "options":
                    options = function.setdefault("options", [])
                    option: dict[str, Any] = {}
                    path: Path = (*base, "options", len(options))
                    self.doc.cells[path] = (
                        f"{sheet}!{get_column_letter(where.get('name', 0) + 1)}{r}"
                    )
                    self.fill(sheet, r, row, header, option, path, skip=("function",))
                    options.append(option)
                case "parts":
                    self.part(r, row, header, where, function, base)
                case "weights":
                    if function.get("weights") is not None:
                        self.report(f"{sheet}!A{r}", (*base, "weights"), "a second weights row")
                        continue
                    weights: dict[str, Any] = {}
                    self.doc.cells[(*base, "weights")] = f"{sheet}!A{r}"
                    self.fill(sheet, r, row, header, weights, (*base, "weights"), ("function",))
                    function["weights"] = weights
                case _:
                    self.judgement(r, row, header, where, function, base)

    def part(
        self,
        r: int,
        row: tuple[Any, ...],
        header: dict[int, Column],
        where: dict[str, int],
        function: dict[str, Any],
        base: Path,
    ) -> None:
        col = where.get("option", 1)
        name = _text(row[col]).strip() if col < len(row) and row[col] is not None else ""
        options = function.get("options", [])
        j = next((k for k, o in enumerate(options) if o.get("name") == name), None)
        if j is None:
            known = ", ".join(f"'{o.get('name')}'" for o in options) or "none"
            message = f"no option '{name}' of '{function.get('name')}' on the options sheet"
            self.report(f"parts!{get_column_letter(col + 1)}{r}", (), f"{message} ({known})")
            return
        parts = options[j].setdefault("parts", [])
        path: Path = (*base, "options", j, "parts", len(parts))
        self.doc.cells.setdefault((*base, "options", j, "parts"), f"parts!A{r}")
        self.doc.cells[path] = f"parts!A{r}"
        part: dict[str, Any] = {}
        self.fill("parts", r, row, header, part, path, skip=("function", "option"))
        parts.append(part)

    def judgement(
        self,
        r: int,
        row: tuple[Any, ...],
        header: dict[int, Column],
        where: dict[str, int],
        function: dict[str, Any],
        base: Path,
    ) -> None:
        values: dict[str, Any] = {}
        self.fill("ahp", r, row, header, values, (*base, "ahp", "_row"), ("function",))
        criterion, over = values.get("criterion"), values.get("over")
        judgements = function.setdefault("ahp", {})
        self.doc.cells.setdefault((*base, "ahp"), f"ahp!A{r}")
        for name, given in (("criterion", criterion), ("over", over)):
            if given is None:
                cell = f"ahp!{get_column_letter(where.get(name, 1) + 1)}{r}"
                self.report(cell, (*base, "ahp"), f"'{name}' is empty")
        if criterion is None or over is None:
            return
        row_of = judgements.setdefault(criterion, {})
        cell = f"ahp!{get_column_letter(where.get('judgement', 3) + 1)}{r}"
        if over in row_of:
            self.report(cell, (*base, "ahp", criterion, over), "judged twice")
            return
        self.doc.cells.setdefault((*base, "ahp", criterion), cell)
        self.doc.cells[(*base, "ahp", criterion, over)] = cell
        row_of[over] = values.get("judgement")


def _load(raw: bytes, file: str) -> tuple[dict[str, list[tuple[Any, ...]]] | None, list[Problem]]:
    """Each known sheet's rows of values; None and a problem if the file is no workbook."""
    from openpyxl import load_workbook

    refused = xlsx_archive_problem(raw)
    if refused is not None:
        return None, [Problem(file, None, "", refused)]
    try:
        with warnings.catch_warnings():
            for message in _HARMLESS_WARNINGS:
                warnings.filterwarnings("ignore", message=message, category=UserWarning)
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        return None, [Problem(file, None, "", f"not a readable XLSX workbook: {error}")]
    try:
        sheets: dict[str, list[tuple[Any, ...]]] = {}
        for name in SHEET_ORDER:
            if name not in book.sheetnames:
                continue
            try:
                rows = [row for _, row in sheet_rows(book[name], MAX_COLUMNS, MAX_ROWS)]
            except TooLargeError as error:
                return None, [Problem(file, None, error.cell, error.message)]
            except Exception as error:  # a damaged sheet fails while streaming, not at open
                return None, [Problem(file, None, name, f"not a readable XLSX sheet: {error}")]
            while rows and not rows[-1]:
                rows.pop()
            sheets[name] = rows
    finally:
        book.close()
    if not {"company", "functions"} & set(sheets):
        return None, [
            Problem(file, None, "", "no 'company' or 'functions' sheet: not a scenario workbook")
        ]
    return sheets, []


def read_workbook(raw: bytes, file: str) -> tuple[WorkbookDocument, list[Problem]]:
    """The workbook as plain scenario data, and the problems met reading its cells."""
    doc = WorkbookDocument(file)
    sheets, problems = _load(raw, file)
    if sheets is None:
        doc.problems = problems
        return doc, problems
    reader = _Reader(doc)
    for sheet in (*RECORD_SHEETS, "functions", "indicators", "correlations"):
        doc.cells[(sheet,)] = f"{sheet}!A1"
    data: dict[str, Any] = {"version": 1}
    if "company" in sheets:
        data["company"] = reader.record("company", sheets["company"])
    reader.functions = reader.table("functions", sheets.get("functions", []))
    data["functions"] = reader.functions
    for sheet in ("options", "parts", "weights", "ahp"):
        reader.attached(sheet, sheets.get(sheet, []))
    for sheet in ("indicators", "correlations"):
        items = reader.table(sheet, sheets.get(sheet, []))
        if items:
            data[sheet] = items
    if sheets.get("portfolio"):
        portfolio = reader.record("portfolio", sheets["portfolio"])
        if portfolio:
            data["portfolio"] = portfolio
    doc.data = data
    doc.problems = list(reader.read_problems)
    return doc, doc.problems


def load_workbook_scenario(path: FsPath) -> tuple[ScenarioModel | None, list[Problem]]:
    """The validated scenario model of a workbook, or every problem found in it at once."""
    from sourcewise.adapters.scenario_file import from_document
    from sourcewise.adapters.scenario_schema import ScenarioModel

    file = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, [Problem(file, None, "", f"larger than {MAX_BYTES:,} bytes")]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, None, "", f"cannot read the file: {error.strerror or error}")]
    doc, read_problems = read_workbook(raw, file)
    if doc.data is None:
        return None, read_problems
    scenario, problems = from_document(doc)
    if scenario is not None and not problems:
        return ScenarioModel.model_validate(doc.data), []
    # A cell already reported as unreadable is not reported again in the model's words.
    reported = {p.path for p in read_problems}
    later = [p for p in problems if p.path not in reported]
    return None, sorted([*read_problems, *later], key=_order)


# --- YAML ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Whole floats as ints (3052883, not 3052883.0); distributions and short lists as flow."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        plain = {k: _plain(v) for k, v in value.items()}
        return _FlowMap(plain) if "dist" in plain else plain
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        scalar = all(isinstance(v, str | int | float) for v in items)
        short = sum(len(str(v)) + 2 for v in items) <= 60
        return _FlowList(items) if scalar and short else items
    return value


class _FlowMap(dict[str, Any]):
    pass


class _FlowList(list[Any]):
    pass


def scenario_yaml(model: ScenarioModel, source: str) -> str:
    """The scenario as YAML: keys in schema order, only the fields given, deterministic."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            # Indent list items under their key, as the examples are written.
            super().increase_indent(flow, False)

    def flow_map(dumper: yaml.SafeDumper, value: _FlowMap) -> yaml.Node:
        return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)

    def flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    Dumper.add_representer(_FlowMap, flow_map)
    Dumper.add_representer(_FlowList, flow_list)
    data = _plain(model.model_dump(mode="json", exclude_unset=True))
    for function in data.get("functions", []):
        # An option's name first, a part's share first: how people read and write them.
        function["options"] = [
            {"name": o.pop("name"), **o} if "name" in o else o for o in function.get("options", [])
        ]
        for option in function["options"]:
            if option.get("parts"):
                option["parts"] = [{"share": p.pop("share"), **p} for p in option["parts"]]
    body = yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,  # one line per distribution and note, not folded mid-sentence
    )
    header = f"# Imported from {FsPath(source).name} by `sourcewise scenario import`.\n"
    return header + body
