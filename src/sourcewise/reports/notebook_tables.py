"""What every notebook result shares: documented columns, a pandas frame and an HTML table.

A result gives its rows as plain dicts, one per option, function, alternative or country, keyed
by its ``columns``; ``to_frame()`` makes them a DataFrame with exactly those columns (pandas is
the optional ``notebook`` extra, imported only then) and ``_repr_html_()`` a compact table for
Jupyter. Every text in the HTML, names from the user's files above all, is escaped; the HTML has
no scripts, styles or links, so a notebook shows the same thing trusted or not.
"""

from __future__ import annotations

import html
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped]

NOTEBOOK_EXTRA = "pip install 'sourcewise[notebook]'"
MAX_HTML_ROWS = 30
"""Rows shown in a notebook; ``to_frame()`` has them all."""

Row = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a result: its name in the frame, its heading and format in the HTML."""

    name: str
    heading: str
    spec: str = ""
    """A format spec for the HTML cell (``,.0f``, ``.1%``); ``check`` shows True as ✓."""
    shown: bool = True
    """Whether the HTML table shows it (the frame always has it)."""


def cell(value: object, spec: str = "") -> str:
    """A value as the HTML table shows it, not yet escaped: ``—`` when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if spec == "check":
        return "✓" if value else ""
    if spec and isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, spec)
    return str(value)


def html_table(
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    notes: Sequence[str] = (),
    max_rows: int = MAX_HTML_ROWS,
) -> str:
    """A titled table with notes under it; every text escaped."""
    shown = [c for c in columns if c.shown]
    head = "".join(f"<th>{html.escape(c.heading)}</th>" for c in shown)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(cell(row.get(c.name), c.spec))}</td>" for c in shown)
        + "</tr>"
        for row in rows[:max_rows]
    )
    more = len(rows) - max_rows
    if more > 0:
        notes = [*notes, f"… and {more:,} more rows: to_frame() has them all."]
    paragraphs = "".join(f"<p>{html.escape(note)}</p>" for note in notes)
    return (
        f'<div class="sourcewise"><p><strong>{html.escape(title)}</strong></p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"{paragraphs}</div>"
    )


def frame(columns: Sequence[Column], rows: Sequence[Row]) -> DataFrame:
    """The rows as a pandas DataFrame with exactly ``columns``, in order."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(f"to_frame() needs pandas: {NOTEBOOK_EXTRA}") from None
    names = [c.name for c in columns]
    return pd.DataFrame([[row.get(name) for name in names] for row in rows], columns=names)


class Tabular(ABC):
    """A result with rows: ``to_frame()`` for analysis and ``_repr_html_()`` for Jupyter."""

    __slots__ = ()

    @property
    @abstractmethod
    def columns(self) -> tuple[Column, ...]:
        """The frame's columns, in order (documented in docs/notebook.md)."""

    @abstractmethod
    def rows(self) -> list[dict[str, object]]:
        """One dict per row, keyed by the columns' names."""

    @abstractmethod
    def title(self) -> str:
        """The heading of the HTML table."""

    def notes(self) -> list[str]:
        """Lines shown under the HTML table."""
        return []

    def to_frame(self) -> DataFrame:
        """The rows as a tidy pandas DataFrame (needs the ``notebook`` extra)."""
        return frame(self.columns, self.rows())

    def _repr_html_(self) -> str:
        return html_table(self.title(), self.columns, self.rows(), self.notes())
