"""The articles are named as a reader cites them (author or publisher and title), never by the
file number they are stored under ("seed 000"), in everything a user reads: the decide table
and HTML page, the business case, the examples' comments and the docs."""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sourcewise.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FILE_NUMBER = re.compile(
    r"\bseed\s+00\d\b|\bseeds'|\bthe seed's|\bseed (article|passage)",
    re.IGNORECASE,
)
"""How a source article was named by its file: "seed 002", "the seeds' 2×2", "the seed's
example". A random seed is a number of its own ("seed 20261125", "seed 7"): never matched."""
runner = CliRunner()


def said(text: str) -> list[str]:
    """The phrases in ``text`` that name an article by its file."""
    return [m.group(0) for m in FILE_NUMBER.finditer(text)]


def test_the_check_finds_a_file_number() -> None:
    assert said("the seeds' 2×2 (seed 002's example)")
    assert not said("10,000 draws (seed 20261125); seed 7")


@pytest.mark.parametrize("fmt", ["table", "html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_decide_names_its_sources(example: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"decision.{fmt}"
    args = ["decide", str(example), "--draws", "200", "-f", fmt, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert said(text) == []
    if fmt == "html":  # the terms and citations link to the page's own concepts section
        targets = set(re.findall(r'href="#([^"]+)"', text))
        assert targets <= set(re.findall(r'\bid="([^"]+)"', text))
        assert {"tco-vs-price", "fit-points", "smaa"} <= targets
        assert any(t.startswith("rule-") for t in targets)
    if fmt == "table":
        assert "Source" in text or "BusinessVert" in text or "Untitled web explainer" in text


def test_the_business_case_names_its_sources(tmp_path: Path) -> None:
    out = tmp_path / "case.html"
    example = str(ROOT / "examples/us-customer-service.yaml")
    result = runner.invoke(app, ["report", example, "--draws", "200", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert said(out.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path",
    [
        *EXAMPLES,
        *sorted((ROOT / "examples/governance").glob("*.yaml")),
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
    ],
    ids=lambda p: p.name,
)
def test_examples_and_docs_name_their_sources(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if path.name == "decide-json.md":
        text = text.replace("(the seed article)", "")  # the history of the key `seed_article`
    assert said(text) == []
