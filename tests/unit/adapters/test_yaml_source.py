from pathlib import Path

import pytest

from hostile_files import LAUGHS
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


# --- bounded work: aliases, values, size ---------------------------------------------------------


def test_billion_laughs_is_refused_at_the_alias_that_crosses_the_budget() -> None:
    assert len(LAUGHS) < 400
    doc = parse_yaml(LAUGHS, "laughs.yaml")
    assert doc.data is None
    [problem] = doc.problems
    # a..d make 8,307 values; e's second '*d' (7,381 each) takes the document past 20,000.
    assert (problem.file, problem.line) == ("laughs.yaml", 5)
    assert "'*d'" in problem.message
    assert f"{yaml_source.MAX_VALUES:,} values" in problem.message


def test_small_anchors_and_merge_keys_still_work() -> None:
    text = (
        "base: &base {fte: 10, hours: 1800}\n"
        "one: *base\n"
        "two:\n  <<: *base\n  fte: 12\n"
        "list: &items [1, 2]\n"
        "again: [*items, *items]\n"
    )
    doc = parse_yaml(text, "f.yaml")
    assert doc.problems == []
    assert doc.data["one"] == {"fte": 10, "hours": 1800}
    assert doc.data["two"] == {"fte": 12, "hours": 1800}
    assert doc.data["again"] == [[1, 2], [1, 2]]
    assert doc.lines[("one", "fte")] == 1  # an alias's fields are where its anchor wrote them


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    for text in ("a: 1\nb: &x [1, *x]\n", "a: &x\n  b: 1\n  c: *x\n"):
        [problem] = parse_yaml(text, "f.yaml").problems
        assert problem.line == text.count("\n", 0, text.index("*x")) + 1
        assert "'*x'" in problem.message
        assert "contains it" in problem.message


def test_aliases_cannot_nest_deeper_than_the_limit() -> None:
    deep = "[" * 60 + "1" + "]" * 60
    text = f"a: &a {deep}\nb: &b {'[' * 50}*a{']' * 50}\n"
    [problem] = parse_yaml(text, "f.yaml").problems
    assert problem.line == 2
    assert "'*a'" in problem.message
    assert f"more than {yaml_source.MAX_DEPTH} levels" in problem.message


def test_too_many_plain_values_are_refused_with_a_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_source, "MAX_VALUES", 20)
    text = "a:\n" + "".join(f"  - {n}\n" for n in range(30))
    [problem] = parse_yaml(text, "f.yaml").problems
    assert problem.line == 19  # the root, 'a' and its list are 3 values; item 18 is the 21st
    assert "more than 20 values" in problem.message


def test_text_beyond_the_size_limit_is_refused_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_FILE_BYTES", 10)
    [problem] = parse_yaml("a: 12345678901\n", "f.yaml").problems
    assert "limit is 10" in problem.message
