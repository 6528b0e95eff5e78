"""Regular audits, stakeholder surveys, joint steering committees, milestone reviews and
pilots: adding them from files and reporting on them.

Adding is all-or-nothing per file and idempotent: a record whose key (audit: title and date;
survey: name and period; meeting: kind, date and title; pilot: name) is stored already with
identical content is *unchanged*; with other content it is an error naming it, as records are
not edited by loading them again. Every insert is logged in the audit log in the same unit of
work. Survey trends and pilot evaluation live in ``record_analysis`` and are re-exported here.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from sourcewise.adapters.record_files import Record, read_record_file
from sourcewise.domain.problems import InputError, Problem
from sourcewise.governance.records import Audit, ItemKind, Meeting, Severity, Survey
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_analysis import (
    CriterionData,
    PilotReport,
    QuestionTrend,
    RecordError,
    SurveyReport,
    evaluate_pilot_record,
    period_label,
    require_engagement,
    survey_report,
)
from sourcewise.storage.repositories import DuplicateError, NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork

__all__ = [
    "AddOutcome",
    "AuditReport",
    "CriterionData",
    "MeetingReport",
    "OpenAction",
    "OpenActions",
    "PilotReport",
    "QuestionTrend",
    "RecordError",
    "SurveyReport",
    "add_records",
    "audit_report",
    "evaluate_pilot_record",
    "meeting_report",
    "open_actions",
    "survey_report",
]


@dataclass(frozen=True, slots=True)
class AddOutcome:
    kind: str
    added: tuple[str, ...]
    unchanged: tuple[str, ...]


def record_key(record: Record) -> tuple[Any, ...]:
    """The natural key the storage enforces, engagement first."""
    if isinstance(record, Audit):
        return (record.engagement, record.title, record.held_on)
    if isinstance(record, Survey):
        return (record.engagement, record.name, record.period)
    if isinstance(record, Meeting):
        return (record.engagement, record.kind.value, record.held_on, record.title)
    return (record.engagement, record.name)


def describe(record: Record) -> str:
    if isinstance(record, Audit):
        return f"audit '{record.title}' of {record.held_on}"
    if isinstance(record, Survey):
        return f"survey '{record.name}' of {period_label(record.period)}"
    if isinstance(record, Meeting):
        return f"{record.kind.value.replace('_', ' ')} '{record.title}' of {record.held_on}"
    return f"pilot '{record.name}'"


def _stored(uow: UnitOfWork, kind: str, engagement: str) -> list[Record]:
    records = uow.records
    if kind == "audit":
        return list(records.audits(engagement))
    if kind == "survey":
        return list(records.surveys(engagement))
    if kind == "meeting":
        return list(records.meetings(engagement))
    return list(records.pilots(engagement))


def _store(uow: UnitOfWork, record: Record) -> None:
    if isinstance(record, Audit):
        uow.records.add_audit(record)
    elif isinstance(record, Survey):
        uow.records.add_survey(record)
    elif isinstance(record, Meeting):
        uow.records.add_meeting(record)
    else:
        uow.records.add_pilot(record)


def _differences(stored: Record, given: Record) -> str:
    fields = [
        f.name
        for f in dataclasses.fields(stored)
        if getattr(stored, f.name) != getattr(given, f.name)
    ]
    return ", ".join(fields)


def add_records(make_uow: UowFactory, path: FsPath, expected: str | None = None) -> AddOutcome:
    """Add every record in the file, or none: ``InputError`` lists every problem at its line.
    ``expected`` (audit, survey, meeting, pilot) refuses a file of another kind."""
    parsed = read_record_file(path)
    doc = parsed.doc
    if expected is not None and parsed.kind != expected:
        message = f"holds {parsed.kind}s, not {expected}s: use `sourcewise {parsed.kind} add`"
        raise InputError([Problem(doc.file, 1, "", message)])
    problems: list[Problem] = []
    added: list[str] = []
    unchanged: list[str] = []
    with make_uow() as uow:
        stored: dict[str, list[Record] | None] = {}
        seen: dict[tuple[Any, ...], int | None] = {}
        for entry in parsed.entries:
            record, where = entry.record, entry.path
            name = record.engagement
            if name not in stored:
                try:
                    require_engagement(uow, name)
                    stored[name] = _stored(uow, parsed.kind, name)
                except NotFoundError as error:
                    stored[name] = None
                    problems.append(doc.problem((*where, "engagement"), str(error.args[0])))
            existing = stored[name]
            if existing is None:
                continue
            key = record_key(record)
            if key in seen:
                msg = f"repeats {describe(record)} (line {seen[key]})"
                problems.append(doc.problem(where, msg))
                continue
            seen[key] = doc.line_of(where)
            match = next((r for r in existing if record_key(r) == key), None)
            if match == record:
                unchanged.append(describe(record))
            elif match is not None:
                problems.append(
                    doc.problem(
                        where,
                        f"{describe(record)} exists already with other "
                        f"{_differences(match, record)}; records are not edited by adding again",
                    )
                )
            else:
                try:
                    _store(uow, record)
                except (DuplicateError, NotFoundError) as error:
                    problems.append(doc.problem(where, str(error.args[0])))
                    continue
                key_text = "/".join(str(k) for k in key)
                log_change(uow, parsed.kind, key_text, None, record)
                added.append(describe(record))
        if problems:
            raise InputError(problems)
        uow.commit()
    return AddOutcome(parsed.kind, tuple(added), tuple(unchanged))


# ---------------------------------------------------------------------------------------------
# Audits


@dataclass(frozen=True, slots=True)
class AuditSummary:
    audit: Audit
    findings: int
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class AuditReport:
    engagement: str
    today: date
    audits: tuple[AuditSummary, ...]
    open_by_severity: dict[str, int]
    """Open findings per severity, critical first."""
    open: int
    overdue: int


def audit_report(make_uow: UowFactory, engagement: str, today: date) -> AuditReport:
    """The engagement's audits, oldest first, with open and overdue findings as of ``today``."""
    with make_uow() as uow:
        require_engagement(uow, engagement)
        audits = uow.records.audits(engagement)
    summaries = []
    severities: Counter[str] = Counter()
    for a in audits:
        still_open = [f for f in a.findings if f.closed_on is None]
        severities.update(f.severity.value for f in still_open)
        overdue = sum(1 for f in a.findings if f.overdue(today))
        summaries.append(AuditSummary(a, len(a.findings), len(still_open), overdue))
    by_severity = {s.value: severities[s.value] for s in reversed(Severity)}
    return AuditReport(
        engagement,
        today,
        tuple(summaries),
        by_severity,
        sum(s.open for s in summaries),
        sum(s.overdue for s in summaries),
    )


# ---------------------------------------------------------------------------------------------
# Meetings


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    meeting: Meeting
    decisions: int
    actions: int
    open_actions: int
    overdue: int


@dataclass(frozen=True, slots=True)
class MilestoneState:
    """A milestone's status at its latest review."""

    milestone: str
    status: str
    reviewed_on: date
    meeting: str


@dataclass(frozen=True, slots=True)
class MeetingReport:
    engagement: str
    today: date
    meetings: tuple[MeetingSummary, ...]
    milestones: tuple[MilestoneState, ...]
    open_actions: int
    overdue: int


def meeting_report(make_uow: UowFactory, engagement: str, today: date) -> MeetingReport:
    """Steering committee meetings and milestone reviews, oldest first, with their decisions
    and actions, and each milestone's latest status."""
    with make_uow() as uow:
        require_engagement(uow, engagement)
        meetings = uow.records.meetings(engagement)
    summaries = []
    latest: dict[str, MilestoneState] = {}
    for m in meetings:
        actions = [i for i in m.items if i.kind is ItemKind.ACTION]
        summaries.append(
            MeetingSummary(
                m,
                len(m.items) - len(actions),
                len(actions),
                sum(1 for i in actions if i.done_on is None),
                sum(1 for i in actions if i.overdue(today)),
            )
        )
        if m.milestone is not None and m.milestone_status is not None:
            latest[m.milestone] = MilestoneState(
                m.milestone, m.milestone_status, m.held_on, m.title
            )
    return MeetingReport(
        engagement,
        today,
        tuple(summaries),
        tuple(latest.values()),
        sum(s.open_actions for s in summaries),
        sum(s.overdue for s in summaries),
    )


# ---------------------------------------------------------------------------------------------
# Open actions


@dataclass(frozen=True, slots=True)
class OpenAction:
    """An audit finding's action not closed, or a meeting action not done."""

    engagement: str
    source: str
    """``audit``, ``steering_committee`` or ``milestone_review``."""
    origin: str
    """The audit's or meeting's title."""
    held_on: date
    reference: str | None
    text: str
    owner: str
    due_on: date | None
    severity: str | None
    overdue: bool
    days_overdue: int


@dataclass(frozen=True, slots=True)
class OpenActions:
    today: date
    engagement: str | None
    actions: tuple[OpenAction, ...]
    overdue: int


def open_actions(make_uow: UowFactory, today: date, engagement: str | None = None) -> OpenActions:
    """Open actions from audits and meetings of one engagement or all, by due date."""
    found: list[OpenAction] = []
    with make_uow() as uow:
        if engagement is not None:
            require_engagement(uow, engagement)
        names = [engagement] if engagement else [e.name for e in uow.engagements.all()]
        for name in names:
            found += _audit_actions(uow.records.audits(name), today)
            found += _meeting_actions(uow.records.meetings(name), today)
    found.sort(key=lambda a: (a.due_on or date.max, a.engagement, a.held_on, a.text))
    return OpenActions(today, engagement, tuple(found), sum(1 for a in found if a.overdue))


def _late(due: date | None, today: date) -> int:
    return max(0, (today - due).days) if due is not None else 0


def _audit_actions(audits: list[Audit], today: date) -> list[OpenAction]:
    out = []
    for a in audits:
        for f in a.findings:
            if f.closed_on is None:
                out.append(
                    OpenAction(
                        a.engagement,
                        "audit",
                        a.title,
                        a.held_on,
                        f.reference,
                        f.action,
                        f.owner,
                        f.due_on,
                        f.severity.value,
                        f.overdue(today),
                        _late(f.due_on, today),
                    )
                )
    return out


def _meeting_actions(meetings: list[Meeting], today: date) -> list[OpenAction]:
    out = []
    for m in meetings:
        for i in m.items:
            if i.kind is ItemKind.ACTION and i.done_on is None:
                out.append(
                    OpenAction(
                        m.engagement,
                        m.kind.value,
                        m.title,
                        m.held_on,
                        None,
                        i.text,
                        i.owner or "",
                        i.due_on,
                        None,
                        i.overdue(today),
                        _late(i.due_on, today),
                    )
                )
    return out
