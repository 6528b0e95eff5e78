from pathlib import Path

import pytest

from sourcewise.adapters import yaml_source
from sourcewise.adapters.yaml_source import parse_yaml, read_yaml
from sourcewise.domain.problems import Problem


def test_lines_of_nested_fields() -> None:
    doc = parse_yaml("a:\n  b:\n    - x: 1\n    - x: 2\n      y: 3\n", "f.yaml")
    assert doc.problems == []
    assert doc.lines[("a",)] == 1
    assert doc.lines[("a", "b")] == 2
    assert doc.lines[("a", "b", 1, "y")] == 5
    assert doc.line_of(("a", "b", 1, "missing")) == 4  # nearest ancestor: the list item


def test_duplicate_key_is_a_problem_with_both_lines() -> None:
    doc = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    [problem] = doc.problems
    assert (problem.line, problem.path) == (3, "a")
    assert "first given on line 1" in problem.message


def test_norway_stays_a_country_code() -> None:
    doc = parse_yaml("country: NO\nflag: yes\nreal: true\n", "f.yaml")
    assert doc.data == {"country": "NO", "flag": "yes", "real": True}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", None, "empty"),
        ("   \n\n", None, "empty"),
        ("a: [1,\n", 2, "invalid YAML"),
        ("a: 1\n b: 2\n", 2, "invalid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "invalid YAML"),
    ],
)
def test_unparseable_text(text: str, line: int | None, fragment: str) -> None:
    doc = parse_yaml(text, "f.yaml")
    assert doc.data is None
    [problem] = doc.problems
    assert problem.line == line
    assert fragment in problem.message


def test_unreadable_files(tmp_path: Path) -> None:
    assert "No such file" in read_yaml(tmp_path / "absent.yaml").problems[0].message
    assert "directory" in read_yaml(tmp_path).problems[0].message


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nname: Caf\xe9\n")
    [problem] = read_yaml(path).problems
    assert problem.line == 2
    assert "not UTF-8" in problem.message


def test_non_utf8_names_line_column_and_offset_of_the_first_bad_byte() -> None:
    # "é" is two bytes in UTF-8 but one column, as an editor counts it.
    problem = yaml_source.decode_utf8("a: 1\nb: é\n".encode() + b"c: \xff\xfe", "f.yaml")
    assert problem == Problem(
        "f.yaml",
        3,
        "",
        "not UTF-8 text: the first bad byte, 0xff, is at line 3, column 4 (byte offset 14)",
    )
    assert yaml_source.decode_utf8("b: é".encode(), "f.yaml") == "b: é"


def test_size_limit_is_enforced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("a: 12345678901\n")
    [problem] = read_yaml(path).problems
    assert "limit is 10" in problem.message
