"""Names in URL paths: any engagement, provider, pilot, KPI, risk or saved scenario name as one
path segment.

A name is free text, but a path segment cannot hold everything: the server decodes ``%2F``
to ``/`` before routing (so "EMEA / APAC" would split in two), browsers and clients resolve
``.`` and ``..`` segments (encoded or not) before sending, and some proxies decode a path
twice or turn ``\\`` into ``/``. So a name is escaped before it is percent-encoded: ``~`` is
written ``~7E``, ``/`` ``~2F``, ``\\`` ``~5C``, ``%`` ``~25``, and a leading ``.`` ``~2E``:
once decoded, nothing is left for a second decoding to change. Names without these
characters keep the URL they always had.

Routes take such a name as ``{name:segment}``; the ``segment`` convertor gives the handler
the name itself. Links are built with ``engagement_path`` and ``saved_scenario_path`` (template
globals too).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.convertors import Convertor, register_url_convertor

_ESCAPES = {"~": "~7E", "/": "~2F", "\\": "~5C", "%": "~25"}
_UNESCAPES = {**{code: c for c, code in _ESCAPES.items()}, "~2E": "."}
_ESCAPED = re.compile("|".join(_UNESCAPES))


def escape(name: str) -> str:
    """``name`` with nothing a path segment cannot hold (before percent-encoding)."""
    escaped = "".join(_ESCAPES.get(c, c) for c in name)
    return f"~2E{escaped[1:]}" if escaped.startswith(".") else escaped


def unescape(segment: str) -> str:
    """The name ``escape`` wrote as ``segment``; any other ``~`` stands for itself."""
    return _ESCAPED.sub(lambda m: _UNESCAPES[m.group()], segment)


def quote_segment(name: str) -> str:
    """``name`` as a percent-encoded path segment, for a URL."""
    return quote(escape(name), safe="")


def engagement_path(name: str, *rest: str) -> str:
    """The page of engagement ``name`` (``/api/v1`` before it: its API resource), with the
    further segments ``rest`` (each a name, escaped the same way)."""
    return "/".join(("/engagements", *(quote_segment(s) for s in (name, *rest))))


def saved_scenario_path(name: str, *rest: str | int) -> str:
    """The page of saved scenario ``name`` (``/api/v1`` before it: its API resource), with
    the further fixed segments ``rest`` (``"versions", 2``)."""
    return "/".join(("/scenarios/saved", quote_segment(name), *(str(r) for r in rest)))


class SegmentConvertor(Convertor[str]):
    """One path segment, given to the handler as the name it escapes."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        return unescape(value)

    def to_string(self, value: str) -> str:
        return escape(value)


# A route's path is compiled when its module is imported; the package imports this module
# first (``sourcewise/web/__init__.py``), so every route can use ``{name:segment}``.
register_url_convertor("segment", SegmentConvertor())
