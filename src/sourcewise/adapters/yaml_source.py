"""Read a YAML file into plain data plus the line of every field, never raising on bad input.

PyYAML composes the node tree first; walking it gives each path's line and catches duplicate
keys, which PyYAML would otherwise silently overwrite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from sourcewise.domain.problems import Path, Problem, format_path

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 100
"""Deepest nesting of lists and mappings read; PyYAML's composer recurses once per level, so
a few thousand ``[`` would otherwise end in a RecursionError."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads only true/false as booleans, and refuses absurd nesting.

    YAML 1.1 reads yes/no/on/off as booleans, which turns Norway's country code NO into False.
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = parent.start_mark if parent is not None else None
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError as error:  # Python refuses integers of more than 4,300 digits
            raise yaml.constructor.ConstructorError(
                None, None, f"unreadable integer ({error})", node.start_mark
            ) from error


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class SourceDocument:
    """Parsed data, where each path sits in the file, and any problems met on the way."""

    file: str
    data: Any = None
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path) -> int | None:
        """Line of ``path``, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None

    def problem(self, path: Path, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), format_path(path), message)


def _walk(node: yaml.Node, path: Path, doc: SourceDocument) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                doc.problems.append(
                    Problem(
                        doc.file,
                        line,
                        format_path((*path, key)),
                        f"duplicate key '{key}' (first given on line {seen[key]})",
                    )
                )
                continue
            seen[key] = line
            doc.lines[(*path, key)] = line
            _walk(value_node, (*path, key), doc)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), doc)


def parse_yaml(text: str, file: str) -> SourceDocument:
    doc = SourceDocument(file)
    if not text.strip():
        doc.problems.append(Problem(file, None, "", "the file is empty"))
        return doc
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                doc.problems.append(Problem(file, None, "", "the file holds no YAML document"))
                return doc
            _walk(node, (), doc)
            doc.data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(filter(None, (error.context, error.problem)))
        doc.problems.append(Problem(file, line, "", f"invalid YAML: {what}"))
    except yaml.YAMLError as error:
        doc.problems.append(Problem(file, None, "", f"invalid YAML: {error}"))
    return doc


def decode_utf8(raw: bytes, file: str) -> str | Problem:
    """``raw`` as text, or a problem saying where its first byte that is not UTF-8 is: line,
    column (in characters, as an editor counts them) and byte offset."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start
        line_start = raw.rfind(b"\n", 0, offset) + 1
        line = raw.count(b"\n", 0, offset) + 1
        column = len(raw[line_start:offset].decode("utf-8")) + 1
        message = (
            f"not UTF-8 text: the first bad byte, {raw[offset]:#04x}, is at line {line}, "
            f"column {column} (byte offset {offset:,})"
        )
        return Problem(file, line, "", message)


def read_yaml(path: FsPath) -> SourceDocument:
    """Read and parse ``path``; unreadable, oversized or non-UTF-8 files become problems."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return SourceDocument(
                file,
                problems=[
                    Problem(
                        file,
                        None,
                        "",
                        f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    )
                ],
            )
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return SourceDocument(
            file, problems=[Problem(file, None, "", f"cannot read the file: {reason}")]
        )
    text = decode_utf8(raw, file)
    if isinstance(text, Problem):
        return SourceDocument(file, problems=[text])
    return parse_yaml(text, file)
