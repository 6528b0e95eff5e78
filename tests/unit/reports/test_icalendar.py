"""The iCalendar writer: RFC 5545 escaping, folding at 75 octets (never inside a UTF-8
character), CRLF line ends, one all-day event per date with a stable UID."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from sourcewise.governance.contract_calendar import DueDate, DueKind, DueState
from sourcewise.reports.icalendar import calendar_ics, escape_text, fold
from sourcewise.services.contract_calendar import CalendarEntry, ContractCalendar

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def test_text_escapes_backslash_semicolon_comma_and_newline() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


@given(st.text(min_size=0, max_size=400))
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_original(text: str) -> None:
    line = "DESCRIPTION:" + escape_text(text.replace("\r", ""))
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_of_one_date() -> None:
    due = DueDate(
        date(2028, 9, 30),
        DueKind.NOTICE_DEADLINE,
        "Customer service Monterrey",
        "SOW-01",
        "Voice; e-mail, English and Spanish",
        "Last day to give notice on SOW-01",
    )
    calendar = ContractCalendar(
        date(2028, 1, 1),
        date(2028, 12, 31),
        date(2028, 9, 1),
        90,
        (CalendarEntry(due, "Monterrey bilingual BPO", "USD", DueState.DUE_SOON),),
    )
    body = calendar_ics(calendar, NOW, {"Customer service Monterrey": "https://x.example/e"})
    lines = body.split("\r\n")
    assert lines[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//sourcewise//Contract calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Contract calendar",
    ]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    unfolded = body.replace("\r\n ", "")
    assert "DTSTAMP:20261202T093000Z\r\n" in unfolded
    assert "DTSTART;VALUE=DATE:20280930\r\nDTEND;VALUE=DATE:20281001\r\n" in unfolded
    assert "SUMMARY:Notice deadline: SOW-01 (Customer service Monterrey)\r\n" in unfolded
    assert "SOW-01: Voice\\; e-mail\\, English and Spanish.\\n" in unfolded
    assert "URL:https://x.example/e\r\n" in unfolded
    assert calendar_ics(calendar, NOW).count("UID:") == 1
    uid = next(line for line in lines if line.startswith("UID:"))
    assert uid in calendar_ics(calendar, datetime(2030, 1, 1, tzinfo=UTC))
