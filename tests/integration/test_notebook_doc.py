"""docs/notebook.md runs: its python blocks in order, each ```output block exactly what the
block before it prints, and every column of every notebook result documented."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from sourcewise.reports import notebook

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs/notebook.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced block, in order."""
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def test_the_worked_example_runs_and_prints_what_it_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    found = blocks(DOC.read_text(encoding="utf-8"))
    assert [kind for kind, _ in found].count("python") >= 8
    namespace: dict[str, object] = {}
    printed = ""
    checked = 0
    for number, (kind, body) in enumerate(found):
        if kind == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(body, f"docs/notebook.md block {number}", "exec"), namespace)
            printed = out.getvalue()
        elif kind == "output":
            assert printed == body, f"block {number} of docs/notebook.md prints:\n{printed}"
            checked += 1
    assert checked >= 6


def test_every_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    results = [
        notebook.DECISION_COLUMNS,
        notebook.SIMULATION_COLUMNS,
        notebook.PLAN_COLUMNS,
        notebook.LOCATION_COLUMNS,
        notebook.COMPONENT_COLUMNS,
        ("rank", "alternative", "score", "in_kernel"),
    ]
    names = {c if isinstance(c, str) else c.name for columns in results for c in columns}
    missing = sorted(name for name in names if f"`{name}`" not in text)
    assert not missing, f"columns not in docs/notebook.md: {missing}"
