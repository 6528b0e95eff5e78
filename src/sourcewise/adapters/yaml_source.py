"""Read a YAML file into plain data plus the line of every field, never raising on bad input.

PyYAML composes the node tree first; walking it gives each path's line and catches duplicate
keys, which PyYAML would otherwise silently overwrite.

The work is bounded before anything walks the tree (see "Limits on input files" in
docs/governance.md). An alias repeats its anchor's whole value, so a few hundred bytes of
aliases of aliases can stand for billions of values ("billion laughs"): PyYAML shares the one
node, but the walk, the validation and every later reader visit each repeat. The composer
therefore counts the values of the document as if every alias were written out, and refuses
one past ``MAX_VALUES`` or ``MAX_DEPTH`` at the line that crosses the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from sourcewise.domain.problems import Path, Problem, format_path

MAX_FILE_BYTES = 1024 * 1024
"""Largest file read, nearly 60 times the largest example: PyYAML's pure-Python scanner takes
about a second per megabyte, and the web editor validates the scenario as the user types."""
MAX_DEPTH = 100
"""Deepest nesting of lists and mappings read, aliases expanded; PyYAML's composer recurses
once per level, so a few thousand ``[`` would otherwise end in a RecursionError."""
MAX_VALUES = 20_000
"""Most values (scalars, keys, lists and mappings) in one document, every alias counted as the
values it repeats: 50 times the largest example (about 400), and a second or so of composing."""


class _Refused(yaml.composer.ComposerError):
    """A document refused for its size, not its syntax: the message says so by itself."""

    def __init__(self, message: str, mark: yaml.Mark) -> None:
        super().__init__(None, None, message, mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads only true/false as booleans, and bounds the document's size.

    YAML 1.1 reads yes/no/on/off as booleans, which turns Norway's country code NO into False.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values = 0
        self._measured: dict[yaml.Node, tuple[int, int]] = {}
        """Each composed node's values and depth once its aliases are expanded."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            return self._alias()
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = parent.start_mark if parent is not None else None
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            self._values += 1
            if self._values > MAX_VALUES:
                event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in the stubs
                raise _Refused(
                    f"the document holds more than {MAX_VALUES:,} values", event.start_mark
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node is not None:
            self._measured[node] = self._measure(node)
        return node

    def _measure(self, node: yaml.Node) -> tuple[int, int]:
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            return 1, 1
        measured = [self._measured[child] for child in children]
        return 1 + sum(v for v, _ in measured), 1 + max((d for _, d in measured), default=0)

    def _alias(self) -> yaml.Node:
        event = self.get_event()  # type: ignore[no-untyped-call]  # untyped in the stubs
        node = self.anchors.get(event.anchor)
        if node is None:
            raise yaml.composer.ComposerError(
                None, None, f"found undefined alias {event.anchor!r}", event.start_mark
            )
        alias = f"the alias '*{event.anchor}'"
        measured = self._measured.get(node)
        if measured is None:  # the anchor's value is still being composed
            raise _Refused(
                f"{alias} is inside the value it repeats (its anchor '&{event.anchor}' is on "
                f"line {node.start_mark.line + 1}), which contains it without end",
                event.start_mark,
            )
        values, depth = measured
        self._values += values
        if self._values > MAX_VALUES:
            raise _Refused(
                f"{alias} takes the document past {MAX_VALUES:,} values once its aliases are "
                f"expanded (it repeats {values:,})",
                event.start_mark,
            )
        if self._depth + depth > MAX_DEPTH:
            raise _Refused(
                f"{alias} nests its value more than {MAX_DEPTH} levels deep", event.start_mark
            )
        return node

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
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        message = f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
        doc.problems.append(Problem(file, None, "", message))
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
    except _Refused as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        doc.problems.append(Problem(file, line, "", str(error.problem)))
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


def read_text(path: FsPath) -> str | Problem:
    """The text of ``path`` exactly as written (no newline translation), or the problem that
    makes it unreadable: missing, oversized or not UTF-8."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
            return Problem(file, None, "", message)
        raw = path.read_bytes()
    except OSError as error:
        return Problem(file, None, "", f"cannot read the file: {error.strerror or error}")
    return decode_utf8(raw, file)


def read_yaml(path: FsPath) -> SourceDocument:
    """Read and parse ``path``; unreadable, oversized or non-UTF-8 files become problems."""
    text = read_text(path)
    if isinstance(text, Problem):
        return SourceDocument(str(path), problems=[text])
    return parse_yaml(text, str(path))
