"""Write a scenario (or an empty template) as an Excel workbook in the layout of
``scenario_workbook``: one header comment per field, drop-downs for codes and choices, range
checks on numbers, frozen header rows."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter

from sourcewise.adapters.field_types import DistributionModel
from sourcewise.adapters.scenario_workbook import (
    RECORD_SHEETS,
    SHEET_ORDER,
    Column,
    choice_lists,
    distribution_text,
    list_text,
    number_text,
    record_fields,
    table_columns,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from sourcewise.adapters.scenario_schema import ScenarioModel

AUTHOR = "sourcewise"
SPARE_ROWS = 500
"""Rows below the data that still carry the drop-downs and checks, for new entries."""
MAX_WIDTH = 48

README = """\
sourcewise scenario workbook

Each sheet holds one part of a scenario file (docs/scenario.md); `sourcewise scenario import`
turns the workbook into YAML, checking every cell and naming the sheet, cell and field of
each problem. Hover over a header for what the column means, its range and its default.
An empty cell means the field is not given (its default applies).

company      one row per field of the company deciding (column B holds the value).
functions    one row per function in scope; goals.* and goods.* are the nested fields.
options      one row per candidate option of a function; `function` names its function.
             goods.* are the landed-cost terms for goods; leave them empty for services.
parts        hybrid options only: one row per site; `function` and `option` name the option,
             `share` its share of the work (the shares of an option total 1).
weights      one row per function with its own criteria weights (else the preset applies).
ahp          AHP judgements instead of weights: `criterion` is `judgement` times as
             important as `over` (1-9).
indicators   your own country indicator values, each with its source.
correlations rank correlations between two uncertain inputs, by field path,
             e.g. functions[0].options[1].wage_inflation.
portfolio    constraints for `sourcewise optimise` (column B holds the value).

Uncertain numbers: a cell that takes a number also takes a distribution, written as text:
  triangular(16.5, 18, 20, source="RFP answers")     low, mode, high
  pert(800000, 859000, 1300000)                      low, mode, high
  uniform(0.03, 0.07)                                low, high
  normal(100, 10, low=80, high=120)                  mean, sd; low and high truncate
  lognormal(50, 0.2)                                 median, sigma of the log
  empirical(31, 33, 35, 40)                          observed values
  fixed(12)                                          a single value
Quotes inside a source are doubled: source="the ""base"" case".
Lists (languages, certifications, function names) are comma-separated, or one item per line
when an item holds a comma; [] is an explicitly empty list.
Codes: countries ISO 3166-1 alpha-2 (DE), currencies ISO 4217 (EUR), languages ISO 639-1 (de).
"""


def _comment_text(column: Column) -> str:
    lines = [column.description] if column.description else []
    bounds = ""
    if column.low is not None and column.high is not None:
        bounds = f" from {number_text(column.low)} to {number_text(column.high)}"
    elif column.low is not None:
        bounds = f" of at least {number_text(column.low)}"
    match column.kind:
        case "uncertain":
            lines.append(
                f"A number{bounds}, or a distribution such as triangular(low, mode, high, "
                'source="...") (see README).'
            )
        case "number" | "integer":
            lines.append(f"A {'whole ' if column.kind == 'integer' else ''}number{bounds}.")
        case "enum":
            lines.append("Pick from the drop-down.")
        case "bool":
            lines.append("TRUE or FALSE.")
        case "list":
            lines.append("A list: comma-separated, or one per line; [] for an empty list.")
    if column.default and column.kind != "ref":
        lines.append(f"Default: {column.default}.")
    return "\n".join(lines)


def _comment(column: Column) -> Any:
    from openpyxl.comments import Comment

    text = _comment_text(column)
    comment = Comment(text, AUTHOR)
    comment.width = 320
    comment.height = 40 + 16 * (len(text) // 45 + text.count("\n") + 1)
    return comment


def _cell_value(value: Any, column: Column) -> Any:
    """A scenario value as a cell: numbers stay numbers, distributions and lists become text."""
    if value is None:
        return None
    if column.kind == "uncertain" and isinstance(value, dict):
        return distribution_text(DistributionModel.model_validate(value))
    if column.kind == "list":
        return list_text(list(value))
    return value


def _get(mapping: dict[str, Any], key: tuple[str, ...]) -> Any:
    value: Any = mapping
    for part in key:
        if isinstance(value, list | tuple):
            value = value[int(part)] if int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
        if value is None:
            return None
    return value


def _table_rows(sheet: str, data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each row of a table sheet as a mapping from column header to value."""
    functions = data.get("functions", [])
    for function in functions:
        name = function["name"]
        options = function.get("options", [])
        match sheet:
            case "functions":
                yield function
            case "options":
                for option in options:
                    yield {**option, "function": name}
            case "parts":
                for option in options:
                    for part in option.get("parts") or []:
                        yield {**part, "function": name, "option": option["name"]}
            case "weights" if function.get("weights") is not None:
                yield {**function["weights"], "function": name}
            case "ahp":
                for criterion, row in (function.get("ahp") or {}).items():
                    for over, judgement in row.items():
                        yield {
                            "function": name,
                            "criterion": criterion,
                            "over": over,
                            "judgement": judgement,
                        }
    if sheet in ("indicators", "correlations"):
        yield from data.get(sheet, [])


def _style_header(sheet: Worksheet, width: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor="DDE7F0")
    for cell in sheet[1][:width]:
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="top")
    sheet.freeze_panes = "A2"


def _validation(column: Column, lists: dict[str, str], first: str) -> Any:
    """The data validation of a column (or record cell) whose top-left cell is ``first``."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def make(kind: str, **options: Any) -> DataValidation:
        return DataValidation(
            type=kind,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=column.header,
            error=_comment_text(column)[:255],
            **options,
        )

    if column.kind == "bool":
        return make("list", formula1='"TRUE,FALSE"')
    if column.choices is not None:
        return make("list", formula1=lists[column.choices])
    if column.kind == "ref":
        source = "functions!$A$2:$A$2000" if column.header == "function" else None
        if column.header == "option":
            source = "options!$B$2:$B$2000"
        return None if source is None else make("list", formula1=source)
    low, high = column.low, column.high
    if low is None and high is None:
        return None
    if column.kind == "uncertain":
        checks = [f"ISNUMBER({first})"]
        if low is not None:
            checks.append(f"{first}>={number_text(low)}")
        if high is not None:
            checks.append(f"{first}<={number_text(high)}")
        return make("custom", formula1=f"OR(ISTEXT({first}),AND({','.join(checks)}))")
    if column.kind not in ("number", "integer"):
        return None
    kind = "whole" if column.kind == "integer" else "decimal"
    if low is not None and high is not None:
        return make(kind, operator="between", formula1=number_text(low), formula2=number_text(high))
    if low is not None:
        return make(kind, operator="greaterThanOrEqual", formula1=number_text(low))
    return make(kind, operator="lessThanOrEqual", formula1=number_text(high or 0))


def _write_table(
    sheet: Worksheet, columns: tuple[Column, ...], rows: list[dict[str, Any]], lists: dict[str, str]
) -> None:
    widths = [len(c.header) + 2 for c in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.comment = _comment(column)
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(columns):
            value = _cell_value(_get(row, column.key), column)
            if value is not None:
                sheet.cell(row=r, column=c + 1, value=value)
                widths[c] = max(widths[c], min(len(str(value)) + 2, MAX_WIDTH))
    last = len(rows) + 1 + SPARE_ROWS
    for c, column in enumerate(columns):
        letter = get_column_letter(c + 1)
        rule = _validation(column, lists, f"{letter}2")
        if rule is not None:
            rule.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(rule)
        sheet.column_dimensions[letter].width = widths[c]
    _style_header(sheet, len(columns))


def _write_record(
    sheet: Worksheet, columns: tuple[Column, ...], values: dict[str, Any], lists: dict[str, str]
) -> None:
    from openpyxl.styles import Alignment

    sheet.append(["field", "value", "meaning"])
    for r, column in enumerate(columns, start=2):
        name = sheet.cell(row=r, column=1, value=column.header)
        name.comment = _comment(column)
        value = _cell_value(_get(values, column.key), column)
        if value is not None:
            sheet.cell(row=r, column=2, value=value)
        meaning = sheet.cell(row=r, column=3, value=column.description)
        meaning.alignment = Alignment(wrap_text=True, vertical="top")
        rule = _validation(column, lists, f"B{r}")
        if rule is not None:
            rule.add(f"B{r}")
            sheet.add_data_validation(rule)
    sheet.column_dimensions["A"].width = max(len(c.header) for c in columns) + 2
    sheet.column_dimensions["B"].width = 36
    sheet.column_dimensions["C"].width = 80
    _style_header(sheet, 3)


def _write_lists(book: Workbook) -> dict[str, str]:
    """The hidden sheet behind the drop-downs; returns each list's range reference."""
    sheet = book.create_sheet("lists")
    refs = {}
    for c, (name, values) in enumerate(choice_lists().items()):
        letter = get_column_letter(c + 1)
        sheet.cell(row=1, column=c + 1, value=name)
        for r, value in enumerate(values, start=2):
            sheet.cell(row=r, column=c + 1, value=value)
        refs[name] = f"lists!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    return refs


def build_workbook(data: dict[str, Any] | None) -> Workbook:
    """The workbook of ``data`` (a scenario as plain data), or the empty template for None."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    readme = book.active
    assert readme is not None  # a new workbook has one sheet
    readme.title = "README"
    for line in README.splitlines():
        readme.append([line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 100
    for row in readme.iter_rows():
        row[0].alignment = Alignment(vertical="top")
    sheets = {name: book.create_sheet(name) for name in SHEET_ORDER}
    lists = _write_lists(book)
    content = data or {}
    for name, sheet in sheets.items():
        if name in RECORD_SHEETS:
            _write_record(sheet, record_fields(name), content.get(name) or {}, lists)
        else:
            _write_table(sheet, table_columns(name), list(_table_rows(name, content)), lists)
    return book


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_bytes() -> bytes:
    """An empty scenario workbook: headers, comments, drop-downs and checks."""
    return workbook_bytes(build_workbook(None))


def scenario_bytes(model: ScenarioModel) -> bytes:
    """``model`` as a filled workbook; fields left out of the file stay empty cells."""
    return workbook_bytes(build_workbook(model.model_dump(mode="json", exclude_unset=True)))
