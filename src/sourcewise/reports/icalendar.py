"""The contract calendar as an iCalendar file (RFC 5545), written with the standard library.

Each date is an all-day event (``DTSTART;VALUE=DATE`` and the next day as ``DTEND``) whose
UID is derived from engagement, contract, kind and date, so that a calendar application
re-importing the file updates its events instead of doubling them. Text values are escaped
(backslash, semicolon, comma, newline) and lines longer than 75 octets are folded with CRLF and
a space, never inside a UTF-8 character (RFC 5545, 3.1 and 3.3.11).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sourcewise.services.contract_calendar import CalendarEntry, ContractCalendar

LINE_OCTETS = 75
PRODUCT_ID = "-//sourcewise//Contract calendar//EN"


def escape_text(value: str) -> str:
    """A TEXT value with its special characters escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """The content line folded into lines of at most 75 octets, joined by CRLF + space."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode())
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
            limit = LINE_OCTETS - 1  # a continuation line starts with the space
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def _uid(entry: CalendarEntry) -> str:
    due = entry.due
    joined = "\x1f".join((due.engagement, due.contract, due.kind.value, due.on.isoformat()))
    return f"{hashlib.sha256(joined.encode()).hexdigest()[:32]}@sourcewise"


def _event(entry: CalendarEntry, stamp: str, link: str | None) -> list[str]:
    due = entry.due
    summary = f"{due.kind.label}: {due.contract} ({due.engagement})"
    description = f"{due.summary}.\n{due.contract}: {due.title}.\nProvider: {entry.provider}."
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uid(entry)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due.on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due.on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(due.kind.label)}",
        "TRANSP:TRANSPARENT",
    ]
    if link is not None:
        lines.append(f"URL:{link}")
    lines.append("END:VEVENT")
    return lines


def calendar_ics(
    calendar: ContractCalendar,
    now: datetime,
    links: dict[str, str] | None = None,
) -> str:
    """The calendar's dates as an iCalendar file; ``links``: engagement name → absolute URL."""
    stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('Contract calendar')}",
    ]
    for entry in calendar.entries:
        lines += _event(entry, stamp, (links or {}).get(entry.due.engagement))
    lines.append("END:VCALENDAR")
    return _content(lines)


def _content(lines: Iterable[str]) -> str:
    return "".join(f"{fold(line)}\r\n" for line in lines)
