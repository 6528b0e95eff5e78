"""Problems found in user input, as values: collected and shown all at once."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

Path = tuple[str | int, ...]


def format_path(path: Path) -> str:
    """('functions', 0, 'options', 2, 'country') -> 'functions[0].options[2].country'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


def parse_path(text: str) -> Path:
    """'functions[0].options[2].country' -> ('functions', 0, 'options', 2, 'country'); the
    inverse of ``format_path``."""
    path: list[str | int] = []
    for part in text.split("."):
        found = _STEP.fullmatch(part)
        if found is None:
            path.append(part)
            continue
        path.append(found.group(1))
        if found.group(2) is not None:
            path.append(int(found.group(2)))
    return tuple(path)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class InputError(Exception):
    """Raised by services when input has problems; carries every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
