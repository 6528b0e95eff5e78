"""Malformed scenario files give a scenario or a list of problems, never a traceback.

Hypothesis writes random YAML documents and mutates the bundled examples (keys deleted, values
of the wrong type, huge numbers, NaN and infinities, unicode, deep nesting, duplicate keys,
bytes that are not UTF-8), then loads them through the adapter and ``sourcewise validate``.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sourcewise.adapters.scenario_file import load_scenario_file, load_scenario_text
from sourcewise.cli import app
from sourcewise.domain.problems import Problem

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {path.name: path.read_text(encoding="utf-8") for path in ROOT.glob("examples/*.yaml")}
PARSED = {name: yaml.safe_load(text) for name, text in EXAMPLES.items()}
runner = CliRunner()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),  # NaN and both infinities included
    st.sampled_from([1e308, -1e308, 5e-324, float("nan"), float("inf"), -0.0]),
    st.text(max_size=30),
    st.sampled_from(["US", "NO", "yes", "0x1F", "1e999", "2026-13-45", "~", "null", "\u202e"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``node`` (the root included)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


def nested(depth: int) -> Any:
    node: Any = 1
    for level in range(depth):
        node = [node] if level % 2 else {"k": node}
    return node


@st.composite
def mutated_example(draw: st.DrawFn) -> str:
    """One of the examples with a few values deleted or replaced, dumped back to YAML."""
    name = draw(st.sampled_from(sorted(PARSED)))
    data = yaml.safe_load(EXAMPLES[name])  # a fresh copy to mutate
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(paths(data)))
        if not path:
            continue
        *head, last = path
        parent = data
        for part in head:
            parent = parent[part]
        kind = draw(st.sampled_from(["delete", "replace", "nest"]))
        if kind == "delete":
            del parent[last]
        elif kind == "replace":
            parent[last] = draw(values)
        else:
            parent[last] = nested(draw(st.integers(10, 60)))
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def text_damage(draw: st.DrawFn) -> str:
    """An example's text with a line duplicated, deleted, cut short or one made very deep."""
    lines = EXAMPLES[draw(st.sampled_from(sorted(EXAMPLES)))].splitlines()
    index = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["duplicate", "delete", "truncate", "deep", "tab"]))
    if kind == "duplicate":  # a repeated key at the same indentation
        lines.insert(index, lines[index])
    elif kind == "delete":
        del lines[index]
    elif kind == "truncate":
        lines = lines[:index]
    elif kind == "deep":
        depth = draw(st.sampled_from([100, 1_000, 20_000]))
        lines.insert(index, "deep: " + "[" * depth + "]" * depth)
    else:
        lines[index] = "\t" + lines[index]
    return "\n".join(lines) + "\n"


documents = st.one_of(
    values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)),
    mutated_example(),
    text_damage(),
    st.text(max_size=200),
)


def check_outcome(scenario: object, problems: list[Problem]) -> None:
    if scenario is None:
        assert problems, "no scenario and no problem"
        assert all(isinstance(p, Problem) and p.message for p in problems)
    else:
        assert problems == []


def check_cli(path: Path) -> None:
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code in (0, 1), (result.exit_code, result.exception, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output


@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_malformed_text_gives_a_scenario_or_problems(text: str) -> None:
    check_outcome(*load_scenario_text(text, "fuzz.yaml"))


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.binary(min_size=1, max_size=8), st.integers(0, 10_000))
def test_malformed_files_through_the_cli(text: str, junk: bytes, at: int) -> None:
    raw = text.encode("utf-8")
    if junk[0] % 2:  # every other file gets bytes that are probably not UTF-8
        at = at % (len(raw) + 1)
        raw = raw[:at] + b"\xff" + junk + raw[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_bytes(raw)
        check_outcome(*load_scenario_file(path))
        check_cli(path)


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 50_000 + "]" * 50_000,
        "a: " + "{b: " * 5_000 + "1" + "}" * 5_000,
        "a: &x [1]\nb: [*x, *x, *x]\n" + "company: {horizon_years: " + "9" * 5000 + "}\n",
        "company:\n  discount_rate: .nan\n  horizon_years: .inf\n",
        "\ufeffcompany: {name: \U0001f600}\n",
    ],
    ids=["deep-lists", "deep-maps", "huge-int", "nan-inf", "bom-emoji"],
)
def test_extreme_documents(text: str, tmp_path: Path) -> None:
    check_outcome(*load_scenario_text(text))
    path = tmp_path / "extreme.yaml"
    path.write_text(text, encoding="utf-8")
    check_cli(path)


def test_the_examples_stay_valid() -> None:
    """The mutations start from valid files, so a problem is the mutation's doing."""
    for name, text in EXAMPLES.items():
        scenario, problems = load_scenario_text(text, name)
        assert scenario is not None, problems
        assert not math.isnan(scenario.company.discount_rate)
