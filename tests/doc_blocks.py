"""The shell blocks of README.md and docs/*.md, as the docs test runs them.

The conventions (docs/CONTRIBUTING.md, "Docs are tests"):
- A fenced block marked ```sh, ```bash or ```console holds commands the test runs, in order,
  page by page, in one temporary directory per page holding a copy of examples/.
- In ```sh and ```bash blocks every line is a command (a trailing backslash continues it); only
  the exit status is checked.
- In ```console blocks a command starts with "$ "; the lines after it, up to the next "$ ", are
  its output, compared with what it prints (stdout and stderr together) after normalisation.
- A command must exit 0 unless its line says otherwise with a comment "# exits N".
- ``<!-- docs-test: skip (reason) -->`` on the line above a block skips it (commands that set up
  the environment, install, start a server or need the network); the test counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SKIP = re.compile(r"<!-- docs-test: skip \((?P<reason>[^)]+)\) -->\s*$")
SHELL = {"sh", "bash", "console"}
EXITS = re.compile(r"#\s*exits (\d+)\b[^#]*$")


@dataclass
class Command:
    text: str  # the command as a shell reads it (continuations joined)
    line: int  # its first line in the page, 1-based
    exits: int = 0
    output: list[str] | None = None  # the quoted output (console blocks), else None
    output_lines: tuple[int, int] = (0, 0)  # offsets of the quoted output in the page's text


@dataclass
class Block:
    kind: str
    line: int
    skip: str | None
    commands: list[Command] = field(default_factory=list)


def _commands_of_script(body: str, first_line: int) -> list[Command]:
    commands, pending, start = [], "", 0
    for number, raw in enumerate(body.splitlines(), first_line):
        if not pending:
            start = number
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1].strip() + " "
            continue
        text = (pending + raw.strip()).strip()
        pending = ""
        if text and not text.startswith("#"):
            commands.append(Command(text, start, _exit_status(text)))
    return commands


def _exit_status(text: str) -> int:
    found = EXITS.search(text)
    return int(found.group(1)) if found else 0


def _commands_of_console(body: str, first_line: int, body_offset: int) -> list[Command]:
    """Commands after "$ " with the output lines that follow each."""
    commands: list[Command] = []
    offset = body_offset
    lines = body.splitlines(keepends=True)
    index = 0
    while index < len(lines):
        raw = lines[index]
        if not raw.startswith("$ "):
            raise ValueError(f"line {first_line + index}: console output before any command")
        start_line = first_line + index
        text = raw[2:].rstrip("\n")
        offset += len(raw)
        index += 1
        while text.rstrip().endswith("\\") and index < len(lines):
            text = text.rstrip()[:-1].rstrip() + " " + lines[index].strip()
            offset += len(lines[index])
            index += 1
        output_start = offset
        output: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            output.append(lines[index].rstrip("\n"))
            offset += len(lines[index])
            index += 1
        command = Command(text.strip(), start_line, _exit_status(text), output)
        command.output_lines = (output_start, offset)
        commands.append(command)
    return commands


def shell_blocks(text: str) -> list[Block]:
    """Every sh, bash and console block of a page, with its skip annotation."""
    blocks = []
    for match in FENCE.finditer(text):
        kind = match.group(1)
        if kind not in SHELL:
            continue
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skipped = SKIP.search(before)
        block = Block(kind, line, skipped.group("reason") if skipped else None)
        if kind == "console":
            block.commands = _commands_of_console(match.group(2), line + 1, match.start(2))
        else:
            block.commands = _commands_of_script(match.group(2), line + 1)
        blocks.append(block)
    return blocks


# What may differ between the docs and a run, and nothing else:
# - the moment a command runs: a date and time ("2026-12-02 11:02", seconds optional), and a
#   date said to be when something happened ("approved by cfo on 2026-12-02");
# - the temporary directory the test runs in, wherever a command prints an absolute path;
# - trailing spaces at the end of a line (Rich pads table lines).
TIMESTAMP = re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d(\.\d+)?)?\b")
DATED = re.compile(r"\bon \d{4}-\d\d-\d\d\b")


def normalised(lines: list[str], directory: Path) -> list[str]:
    result = []
    for line in lines:
        line = line.replace(f"{directory}/", "").replace(str(directory), ".")
        line = TIMESTAMP.sub(lambda m: re.sub(r"\d", "9", m.group(0)), line)
        line = DATED.sub("on 9999-99-99", line)
        result.append(line.rstrip())
    while result and not result[-1]:
        result.pop()
    return result


def documented_pages(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]
