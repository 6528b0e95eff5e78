"""Docs are tests: every shell block of README.md and docs/*.md runs, and the output a console
block quotes is what the command prints (conventions: tests/doc_blocks.py and
docs/CONTRIBUTING.md). `make docs-output` writes the commands' output into the console blocks
again after a change that alters it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from doc_blocks import Block, Command, documented_pages, normalised, shell_blocks

ROOT = Path(__file__).resolve().parents[2]
REWRITE = os.environ.get("SOURCEWISE_DOCS_REWRITE") == "1"
# A documented password for the commands that create users (`user add` reads it from here
# instead of asking on a terminal); the pages say so where they add a user.
PASSWORD = "docs test password"

pytestmark = pytest.mark.docs


def _pages() -> list[Path]:
    return [p for p in documented_pages(ROOT) if shell_blocks(p.read_text(encoding="utf-8"))]


def _workdir(tmp_path: Path) -> Path:
    """A directory like a fresh clone's top: examples/ copied, .venv the test's environment."""
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "examples", work / "examples")
    (work / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return work


def _environment(work: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SOURCEWISE_") and key not in {"COLUMNS", "LINES"}
    }
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        "SOURCEWISE_HOME": str(work / "home"),
        "SOURCEWISE_PASSWORD": PASSWORD,
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "TZ": "UTC",
    }
    return env


def _run(command: Command, work: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run one command in bash; what it exports is kept for the page's next commands."""
    state = work / ".docs-test-env"
    script = (
        "set -o pipefail\n"
        f"[ -f {state} ] && . {state}\n"
        f"{command.text}\n"
        "__status=$?\n"
        f"export -p > {state}\n"
        "exit $__status\n"
    )
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shell_block_runs_and_prints_what_it_quotes(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = shell_blocks(text)
    work = _workdir(tmp_path)
    env = _environment(work)
    where = page.relative_to(ROOT)
    rewrites: list[tuple[Command, list[str]]] = []
    ran = 0
    for block in blocks:
        if block.skip is not None:
            continue
        for command in block.commands:
            status, printed = _run(command, work, env)
            ran += 1
            said = f"{where}:{command.line}: `{command.text}`"
            assert status == command.exits, f"{said} exited {status}:\n{printed}"
            if command.output is None:
                continue
            actual = normalised(printed.splitlines(), work)
            if REWRITE:
                rewrites.append((command, _as_quoted(printed, work)))
                continue
            assert actual == normalised(command.output, work), (
                f"{said} printed (run `make docs-output` if the change is right):\n{printed}"
            )
    if rewrites:
        page.write_text(_rewritten(text, rewrites), encoding="utf-8")
    assert ran or all(b.skip for b in blocks)


def _as_quoted(printed: str, work: Path) -> list[str]:
    lines = [
        line.replace(f"{work}/", "").replace(str(work), ".").rstrip()
        for line in printed.splitlines()
    ]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _rewritten(text: str, rewrites: list[tuple[Command, list[str]]]) -> str:
    for command, lines in sorted(rewrites, key=lambda r: -r[0].output_lines[0]):
        start, end = command.output_lines
        text = text[:start] + "".join(line + "\n" for line in lines) + text[end:]
    return text


def test_skipped_blocks_say_why_and_are_few() -> None:
    """A skipped block is a documented exception: each names its reason, and they stay a
    minority of the blocks (the test prints their count)."""
    blocks: list[tuple[Path, Block]] = [
        (page, block)
        for page in documented_pages(ROOT)
        for block in shell_blocks(page.read_text(encoding="utf-8"))
    ]
    skipped = [(page, block) for page, block in blocks if block.skip]
    for page, block in skipped:
        assert block.skip is not None
        assert block.skip.strip(), f"{page}:{block.line}: a skip needs a reason"
    print(f"{len(blocks)} shell blocks, {len(skipped)} skipped")
    assert len(skipped) * 3 < len(blocks)


def test_a_renamed_option_fails_the_page(tmp_path: Path) -> None:
    """The docs test catches a documented option that no longer exists, and quoted output that
    the command no longer prints."""
    page = tmp_path / "page.md"
    page.write_text(
        "```sh\nsourcewise validate examples/us-customer-service.yaml --no-such-option\n```\n"
        "```console\n$ sourcewise classify --home US --work-country PH --employer own\n"
        "captive offshoring, as typed years ago\n```\n",
        encoding="utf-8",
    )
    work = _workdir(tmp_path)
    env = _environment(work)
    option, quoted = (b.commands[0] for b in shell_blocks(page.read_text(encoding="utf-8")))
    assert _run(option, work, env)[0] == 2
    status, printed = _run(quoted, work, env)
    assert status == 0
    assert quoted.output is not None
    assert normalised(printed.splitlines(), work) != normalised(quoted.output, work)


def test_conventions_are_parsed_as_documented() -> None:
    text = (
        "<!-- docs-test: skip (starts a server) -->\n```sh\nsourcewise serve\n```\n\n"
        "```console\n$ sourcewise a \\\n    --b   # exits 1\nout 1\n\n$ sourcewise c\n```\n"
        "```sh\n# a comment\nsourcewise d \\\n  --e\n```\n```python\nprint()\n```\n"
    )
    serve, console, script = shell_blocks(text)
    assert serve.skip == "starts a server"
    assert [(c.text, c.exits, c.output) for c in console.commands] == [
        ("sourcewise a --b   # exits 1", 1, ["out 1", ""]),
        ("sourcewise c", 0, []),
    ]
    assert [(c.text, c.line) for c in script.commands] == [("sourcewise d --e", 15)]
    run_at = ["at 2026-12-02 11:02  ", "approved by cfo on 2026-12-02", "/x/a.html", ""]
    assert normalised(run_at, Path("/x")) == [
        "at 9999-99-99 99:99",
        "approved by cfo on 9999-99-99",
        "a.html",
    ]
