"""Decision matrices from CSV and XLSX, with every problem named by line or cell."""

from pathlib import Path

import numpy as np
from openpyxl import Workbook

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
