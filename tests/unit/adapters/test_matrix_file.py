"""Decision matrices from CSV and XLSX, with every problem named by line or cell."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from hostile_files import lying_zip_bomb_xlsx, sparse_xlsx, zip_bomb_xlsx
from sourcewise.adapters.input_limits import MAX_RECORD_CHARS
from sourcewise.adapters.matrix_file import read_matrix

GOOD = "option,cost,quality,risk\nA,100,7,0.2\nB,80,6,0.4\nC,120,9,0.1\n"


def test_csv_matrix(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(GOOD, encoding="utf-8")
    matrix, problems = read_matrix(path)
    assert problems == []
    assert matrix is not None
    assert matrix.alternatives == ("A", "B", "C")
    assert matrix.criteria == ("cost", "quality", "risk")
    assert np.array_equal(matrix.values[1], [80, 6, 0.4])


def test_csv_problems_name_line_and_criterion(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("option,cost,quality\nA,100,x\nA,80\n,1,2\n", encoding="utf-8")
    matrix, problems = read_matrix(path)
    assert matrix is None
    found = [(p.line, p.path, p.message) for p in problems]
    assert (2, "quality", "'x' is not a number") in found
    assert (3, "", "alternative 'A' appears twice") in found
    assert (3, "", "has 1 values for 2 criteria") in found
    assert (4, "", "the alternative has no name") in found


def test_xlsx_problems_name_the_cell(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scores"
    for row in (["option", "cost", "quality"], ["A", 100, 7], ["B", 80, "n/a"]):
        sheet.append(row)
    path = tmp_path / "m.xlsx"
    book.save(path)
    matrix, problems = read_matrix(path)
    assert matrix is None
    [problem] = problems
    assert problem.path == "quality"
    assert problem.message == "Scores!C3 'n/a' is not a number"


def test_xlsx_good(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["option", "cost"], ["A", 1.5], ["B", 2]):
        sheet.append(row)
    path = tmp_path / "m.xlsx"
    book.save(path)
    matrix, _ = read_matrix(path)
    assert matrix is not None
    assert matrix.values.tolist() == [[1.5], [2.0]]


def test_unreadable_and_empty(tmp_path: Path) -> None:
    assert "cannot read" in read_matrix(tmp_path / "none.csv")[1][0].message
    empty = tmp_path / "e.csv"
    empty.write_text("option,cost\n", encoding="utf-8")
    assert "at least one alternative" in read_matrix(empty)[1][0].message
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"not a zip")
    assert "not a readable XLSX" in read_matrix(broken)[1][0].message


@pytest.mark.parametrize(
    "row",
    ["B," + "x" * (10 * MAX_RECORD_CHARS), "B" + ",1" * MAX_RECORD_CHARS],
    ids=["giant-field", "long-line"],
)
def test_a_hostile_csv_row_is_a_problem_not_a_traceback(tmp_path: Path, row: str) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"option,cost\nA,1\n{row}\nC,3\n", encoding="utf-8")
    matrix, problems = read_matrix(path)
    assert matrix is None
    assert problems[0].line == 3


def test_blank_rows_cost_nothing_and_too_many_rows_are_refused_early(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    rows = "".join(f"A{n},1\n" for n in range(10_001))
    path.write_text("option,cost\n" + "\n" * 100_000 + rows, encoding="utf-8")
    matrix, problems = read_matrix(path)
    assert matrix is None
    assert [p.message for p in problems] == [
        "too large: the limits are 10,000 alternatives and 200 criteria"
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (zip_bomb_xlsx, "zip bomb"),
        (lying_zip_bomb_xlsx, "not a readable XLSX"),
        (lambda: sparse_xlsx("Scores", ("option", "cost")), "at least one alternative"),
    ],
    ids=["zip-bomb", "lying-sizes", "whole-grid"],
)
def test_hostile_workbooks_are_problems(
    tmp_path: Path, raw: Callable[[], bytes], message: str
) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(raw())
    matrix, problems = read_matrix(path)
    assert matrix is None
    assert message in problems[0].message
    assert problems[0].file == str(path)
