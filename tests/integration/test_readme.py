"""README.md lists what the project is made of: every docs page in its index, every dependency
of pyproject.toml in its table, every folder and top-level module of the package in its
layout."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def _name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert found is not None
    return re.sub(r"[-_.]+", "-", found.group(0)).lower()


def test_the_docs_index_lists_every_page() -> None:
    index = README[README.index("The documentation, page by page:") : README.index("## Layout")]
    listed = set(re.findall(r"\]\(docs/([^)#]+\.md)\)", index))
    on_disk = {page.name for page in (ROOT / "docs").glob("*.md")}
    assert on_disk - listed == set(), "pages missing from README's docs index"
    assert listed - on_disk == set(), "README's docs index links pages that do not exist"


def test_the_dependency_table_names_every_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        required |= {_name(r) for r in extra if not r.startswith("sourcewise")}
    # dask[distributed] brings distributed, which the table names beside dask.
    table = _section("Dependencies and why")
    named = set()
    for row in re.findall(r"^\| (.+?) \|", table, re.MULTILINE):
        cell = re.sub(r"\*[^*]*\*", "", row)
        named |= {_name(part.strip()) for part in cell.split(",") if part.strip()}
    assert required - named == set(), "dependencies missing from README's table"


def test_the_layout_names_every_folder_and_top_level_module() -> None:
    layout = _section("Layout")
    package = ROOT / "src" / "sourcewise"
    folders = {p.name + "/" for p in package.iterdir() if (p / "__init__.py").exists()}
    modules = {p.name for p in package.glob("*.py") if p.name != "__init__.py"}
    missing = sorted(
        n for n in folders | modules if not re.search(rf"^  {re.escape(n)}\s", layout, re.M)
    )
    assert missing == [], "README's layout leaves these out"
    assert "docs/modules.md" in layout


def test_a_page_left_out_of_the_index_is_caught() -> None:
    index = README[README.index("The documentation, page by page:") : README.index("## Layout")]
    listed = set(re.findall(r"\]\(docs/([^)#]+\.md)\)", index.replace("(docs/excel.md)", "")))
    assert "excel.md" not in listed
