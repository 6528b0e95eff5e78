"""Governance record files: audits, stakeholder surveys, meetings and pilots in YAML.

A file holds one kind, named by its top-level key: ``audit:`` (one) or ``audits:`` (a list),
likewise ``survey(s)``, ``meeting(s)`` and ``pilot(s)``. Field descriptions are the reference.
Checks across fields (a due date before the audit, a response outside the scale, where a pilot
criterion's data comes from) follow the models and report the file line and field.

Pilot targets for proportion criteria are **percent** (``target: 2`` is 2 %, as KPIs are
measured), stored as written; ``target: baseline`` compares with the in-house baseline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    FiniteFloat,
    StrictInt,
    StringConstraints,
    ValidationError,
)

from sourcewise.adapters.governance_yaml import Strict, field_names, load_model, problems_from
from sourcewise.adapters.yaml_source import SourceDocument
from sourcewise.domain.problems import InputError, Path, Problem
from sourcewise.governance.pilot import CriterionKind
from sourcewise.governance.records import (
    Audit,
    Finding,
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    Pilot,
    PilotCriterionSpec,
    Severity,
    Survey,
    SurveyQuestion,
)
from sourcewise.governance.surveys import QuestionKind

MAX_ITEMS = 1000
MAX_RESPONSES = 1_000_000
LIKERT_SCALES = (5, 7)
NPS_SCALE = 10

Record = Audit | Survey | Meeting | Pilot


def _day(value: Any) -> Any:
    # pydantic would read a bare number as a Unix timestamp: 2026 -> 1970-01-01.
    if isinstance(value, bool | int | float):
        raise ValueError(f"must be a date (YYYY-MM-DD), got {value!r}")
    return value


def _period(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        year, month = (int(x) for x in value.strip().split("-"))
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 01..12, got '{value}'")
        return date(year, month, 1)
    return _day(value)


def _decision(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Day = Annotated[date, BeforeValidator(_day)]
Period = Annotated[date, BeforeValidator(_period)]
Count = Annotated[StrictInt, Field(ge=0)]


class FindingModel(Strict):
    reference: Text = Field(description="The finding's reference, unique within the audit.")
    description: Text = Field(description="What the audit found.")
    severity: Severity = Field(description="low, medium, high or critical.")
    action: Text = Field(description="The corrective action agreed.")
    owner: Text = Field(description="Who owns the action.")
    due_on: Day = Field(description="When the action is due (not before the audit).")
    closed_on: Day | None = Field(None, description="When it was closed; empty while open.")


class AuditModel(Strict):
    engagement: Text = Field(description="The engagement audited, by name.")
    title: Text
    auditor: Text = Field(description="Who audited (internal audit, a third party, ...).")
    held_on: Day
    scope: Text = Field(description="What the audit covered.")
    findings: list[FindingModel] = Field(default_factory=list, max_length=MAX_ITEMS)


class QuestionModel(Strict):
    code: Text = Field(description="Short code, the same in every period for a trend.")
    text: Text = Field(description="The question as asked.")
    kind: QuestionKind = Field(description="likert (1..scale_max) or nps (0..10).")
    scale_max: StrictInt | None = Field(None, description="Likert 5 (default) or 7; NPS 10.")
    responses: list[StrictInt] | None = Field(None, description="Every answer, one a number.")
    counts: dict[StrictInt, Count] | None = Field(
        None, description="Or answers counted by score, e.g. {5: 40, 4: 30, 3: 8}."
    )


class SurveyModel(Strict):
    engagement: Text
    name: Text = Field(description="The survey's name, the same each period for a trend.")
    period: Period = Field(description="YYYY-MM (stored as the month's first day) or a date.")
    audience: Text = Field(description="Who answered (business stakeholders, customers, ...).")
    questions: list[QuestionModel] = Field(min_length=1, max_length=MAX_ITEMS)


class DecisionModel(Strict):
    text: Text


class ActionModel(Strict):
    text: Text
    owner: Text
    due_on: Day = Field(description="When the action is due (not before the meeting).")
    done_on: Day | None = Field(None, description="When it was done; empty while open.")


class MeetingModel(Strict):
    engagement: Text
    kind: MeetingKind = Field(description="steering_committee or milestone_review.")
    held_on: Day
    title: Text
    attendees: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    milestone: Text | None = Field(None, description="The milestone reviewed (required there).")
    milestone_status: Literal["on_track", "at_risk", "late", "done"] | None = None
    decisions: list[Annotated[DecisionModel, BeforeValidator(_decision)]] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="Decisions: text, or {text}."
    )
    actions: list[ActionModel] = Field(default_factory=list, max_length=MAX_ITEMS)


class CriterionModel(Strict):
    name: Text
    kind: CriterionKind = Field(description="proportion (a rate of events) or mean.")
    direction: Literal["higher_is_better", "lower_is_better"]
    target: FiniteFloat | Literal["baseline"] = Field(
        description="Percent for proportions (2 means 2 %), the value for means, or 'baseline'."
    )
    metric: Text | None = Field(None, description="KPI code measured during the pilot.")
    events: Count | None = Field(None, description="Proportion: events counted (e.g. defects).")
    trials: Count | None = Field(None, description="Proportion: out of how many items.")
    values: list[FiniteFloat] | None = Field(None, description="Mean: the observations.")
    baseline_events: Count | None = None
    baseline_trials: Count | None = None
    baseline_values: list[FiniteFloat] | None = None


class PilotModel(Strict):
    engagement: Text
    name: Text
    start: Day
    end: Day = Field(description="Last day of the pilot (inclusive).")
    criteria: list[CriterionModel] = Field(min_length=1, max_length=100)


class RecordFileModel(Strict):
    audit: AuditModel | None = None
    audits: list[AuditModel] | None = Field(None, max_length=MAX_ITEMS)
    survey: SurveyModel | None = None
    surveys: list[SurveyModel] | None = Field(None, max_length=MAX_ITEMS)
    meeting: MeetingModel | None = None
    meetings: list[MeetingModel] | None = Field(None, max_length=MAX_ITEMS)
    pilot: PilotModel | None = None
    pilots: list[PilotModel] | None = Field(None, max_length=MAX_ITEMS)


KINDS = ("audit", "survey", "meeting", "pilot")


@dataclass(frozen=True, slots=True)
class RecordEntry:
    path: Path
    """Where the record sits in its file, e.g. ``("audits", 1)``."""
    record: Record


@dataclass(frozen=True, slots=True)
class RecordFile:
    kind: str
    """audit, survey, meeting or pilot."""
    entries: tuple[RecordEntry, ...]
    doc: SourceDocument = field(compare=False)


def read_record_file(path: FsPath) -> RecordFile:
    """The records in ``path``; ``InputError`` with every problem (file:line field) else."""
    model, doc = load_model(path, RecordFileModel)
    if model is None:
        raise InputError(doc.problems)
    given = [k for k in (*KINDS, *(f"{k}s" for k in KINDS)) if getattr(model, k) is not None]
    if len(given) != 1:
        what = f"has {', '.join(given)}" if given else "has none"
        message = f"expected exactly one of audits, surveys, meetings, pilots at the top; {what}"
        raise InputError([Problem(doc.file, 1, "", message)])
    key = given[0]
    value = getattr(model, key)
    kind = key.removesuffix("s")
    items: list[tuple[Path, Any]] = (
        [((key, i), item) for i, item in enumerate(value)]
        if isinstance(value, list)
        else [((key,), value)]
    )
    if not items:
        raise InputError([doc.problem((key,), "holds no records")])
    problems: list[Problem] = []
    for where, item in items:
        problems.extend(_CHECKS[kind](item, where, doc))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.line or 0, p.path)))
    entries = tuple(RecordEntry(where, _CONVERT[kind](item)) for where, item in items)
    return RecordFile(kind, entries, doc)


def record_from_data(kind: str, data: dict[str, Any], source: str) -> Record:
    """One record of ``kind`` given as plain data in the file's shape (a form's fields), with
    every check its file gets: ``InputError`` with every problem, each naming its field
    (``actions[0].due_on``) relative to the record, and no line."""
    doc = SourceDocument(source, data)
    model_type = _MODELS[kind]
    try:
        model = model_type.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_from(error, doc, field_names(model_type))) from None
    problems = _CHECKS[kind](model, (), doc)
    if problems:
        raise InputError(problems)
    return _CONVERT[kind](model)


# ---------------------------------------------------------------------------------------------
# Checks across fields


def _check_audit(a: AuditModel, at: Path, doc: SourceDocument) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for i, f in enumerate(a.findings):
        here = (*at, "findings", i)
        if f.reference in seen:
            out.append(doc.problem((*here, "reference"), f"'{f.reference}' is given twice"))
        seen.add(f.reference)
        if f.due_on < a.held_on:
            msg = f"{f.due_on} is before the audit's held_on ({a.held_on})"
            out.append(doc.problem((*here, "due_on"), msg))
        if f.closed_on is not None and f.closed_on < a.held_on:
            msg = f"{f.closed_on} is before the audit's held_on ({a.held_on})"
            out.append(doc.problem((*here, "closed_on"), msg))
    return out


def _check_survey(s: SurveyModel, at: Path, doc: SourceDocument) -> list[Problem]:
    out: list[Problem] = []
    seen: set[str] = set()
    for i, q in enumerate(s.questions):
        here = (*at, "questions", i)
        if q.code in seen:
            out.append(doc.problem((*here, "code"), f"'{q.code}' is given twice"))
        seen.add(q.code)
        nps = q.kind is QuestionKind.NPS
        scale = _scale(q)
        allowed = (NPS_SCALE,) if nps else LIKERT_SCALES
        if scale not in allowed:
            scales = " or ".join(str(x) for x in allowed)
            out.append(doc.problem((*here, "scale_max"), f"must be {scales} for {q.kind}"))
            continue
        low = 0 if nps else 1
        if (q.responses is None) == (q.counts is None):
            out.append(doc.problem(here, "give responses or counts (one of them)"))
            continue
        scores = q.responses if q.responses is not None else list(q.counts or {})
        key = "responses" if q.responses is not None else "counts"
        for j, x in enumerate(scores):
            if not low <= x <= scale:
                where = (*here, key, j if q.responses is not None else str(x))
                out.append(doc.problem(where, f"{x} is outside the scale {low}..{scale}"))
        n = len(q.responses) if q.responses is not None else sum((q.counts or {}).values())
        need = 1 if nps else 2  # a Likert mean needs two answers for a spread
        if n < need or n > MAX_RESPONSES:
            msg = f"{n} responses; need {need} to {MAX_RESPONSES:,}"
            out.append(doc.problem((*here, key), msg))
    return out


def _check_meeting(m: MeetingModel, at: Path, doc: SourceDocument) -> list[Problem]:
    out: list[Problem] = []
    if m.kind is MeetingKind.MILESTONE_REVIEW and (m.milestone is None or not m.milestone_status):
        out.append(doc.problem(at, "a milestone review needs milestone and milestone_status"))
    if m.milestone_status is not None and m.milestone is None:
        out.append(doc.problem((*at, "milestone_status"), "needs the milestone it refers to"))
    for i, a in enumerate(m.actions):
        here = (*at, "actions", i)
        if a.due_on < m.held_on:
            msg = f"{a.due_on} is before the meeting's held_on ({m.held_on})"
            out.append(doc.problem((*here, "due_on"), msg))
        if a.done_on is not None and a.done_on < m.held_on:
            msg = f"{a.done_on} is before the meeting's held_on ({m.held_on})"
            out.append(doc.problem((*here, "done_on"), msg))
    return out


def _check_pilot(p: PilotModel, at: Path, doc: SourceDocument) -> list[Problem]:
    out: list[Problem] = []
    if p.end < p.start:
        out.append(doc.problem((*at, "end"), f"{p.end} is before start ({p.start})"))
    seen: set[str] = set()
    for i, c in enumerate(p.criteria):
        here = (*at, "criteria", i)
        if c.name in seen:
            out.append(doc.problem((*here, "name"), f"'{c.name}' is given twice"))
        seen.add(c.name)
        out.extend(doc.problem((*here, f), m) for f, m in _criterion_problems(c))
    return out


def _criterion_problems(c: CriterionModel) -> list[tuple[str, str]]:
    """(field, message) for a criterion whose fields do not fit its kind."""
    rate = c.kind is CriterionKind.PROPORTION
    unused = ("values", "baseline_values") if rate else _PAIRS[0] + _PAIRS[1]
    out = [(f, f"is not used by a {c.kind} criterion") for f in unused if getattr(c, f)]
    data = "events and trials" if rate else "values"
    explicit = (c.events is not None or c.trials is not None) if rate else c.values is not None
    if c.metric is not None and explicit:
        out.append(("metric", f"give metric or {data}, not both"))
    elif c.metric is None and not explicit:
        out.append(("metric", f"give metric (a KPI code) or {data}"))
    if rate:
        for k, n in _PAIRS:
            k_value, n_value = getattr(c, k), getattr(c, n)
            if (k_value is None) != (n_value is None):
                out.append((n if n_value is None else k, f"give both {k} and {n}"))
            elif n_value == 0:
                out.append((n, "must be positive"))
            elif k_value is not None and k_value > n_value:
                out.append((k, f"{k_value} exceeds {n} ({n_value})"))
        if isinstance(c.target, float) and not 0 <= c.target <= 100:
            out.append(("target", f"is a percentage 0..100, got {c.target:g}"))
        if c.target == "baseline" and c.baseline_trials is None:
            out.append(("target", "'baseline' needs baseline_events and baseline_trials"))
    else:
        for f in ("values", "baseline_values"):
            values = getattr(c, f)
            if values is not None and len(values) < 2:
                out.append((f, "needs at least 2 values"))
        if c.target == "baseline" and c.baseline_values is None:
            out.append(("target", "'baseline' needs baseline_values"))
    return out


_PAIRS = (("events", "trials"), ("baseline_events", "baseline_trials"))


def _scale(q: QuestionModel) -> int:
    if q.scale_max is not None:
        return q.scale_max
    return NPS_SCALE if q.kind is QuestionKind.NPS else LIKERT_SCALES[0]


# ---------------------------------------------------------------------------------------------
# Conversion to records (after the checks)


def _audit(a: AuditModel) -> Audit:
    findings = tuple(
        Finding(f.reference, f.description, f.severity, f.action, f.owner, f.due_on, f.closed_on)
        for f in a.findings
    )
    return Audit(a.engagement, a.title, a.auditor, a.held_on, a.scope, findings)


def _survey(s: SurveyModel) -> Survey:
    questions = []
    for q in s.questions:
        if q.responses is not None:
            responses = tuple(q.responses)
        else:  # the compact form, expanded in score order
            counts = q.counts or {}
            responses = tuple(x for x in sorted(counts) for _ in range(counts[x]))
        questions.append(SurveyQuestion(q.code, q.text, q.kind, _scale(q), responses))
    return Survey(s.engagement, s.name, s.period, s.audience, tuple(questions))


def _meeting(m: MeetingModel) -> Meeting:
    items = [MeetingItem(ItemKind.DECISION, d.text) for d in m.decisions]
    items += [MeetingItem(ItemKind.ACTION, a.text, a.owner, a.due_on, a.done_on) for a in m.actions]
    return Meeting(
        m.engagement, m.kind, m.held_on, m.title, tuple(m.attendees), m.milestone,
        m.milestone_status, tuple(items),
    )  # fmt: skip


def _pilot(p: PilotModel) -> Pilot:
    criteria = tuple(
        PilotCriterionSpec(
            name=c.name,
            kind=c.kind,
            direction=c.direction,
            target=None if c.target == "baseline" else float(c.target),
            metric=c.metric,
            events=c.events,
            trials=c.trials,
            values=None if c.values is None else tuple(c.values),
            baseline_events=c.baseline_events,
            baseline_trials=c.baseline_trials,
            baseline_values=None if c.baseline_values is None else tuple(c.baseline_values),
            target_is_baseline=c.target == "baseline",
        )
        for c in p.criteria
    )
    return Pilot(p.engagement, p.name, p.start, p.end, criteria)


_MODELS: dict[str, type[Strict]] = {
    "audit": AuditModel,
    "survey": SurveyModel,
    "meeting": MeetingModel,
    "pilot": PilotModel,
}
_CHECKS: dict[str, Callable[[Any, Path, SourceDocument], list[Problem]]] = {
    "audit": _check_audit, "survey": _check_survey,
    "meeting": _check_meeting, "pilot": _check_pilot,
}  # fmt: skip
_CONVERT: dict[str, Callable[[Any], Record]] = {
    "audit": _audit,
    "survey": _survey,
    "meeting": _meeting,
    "pilot": _pilot,
}


def record_data(record: Audit | Meeting) -> dict[str, Any]:
    """A stored audit or meeting as the data of its file entry (what ``record_from_data``
    reads back): the starting point of an edit. Empty optional fields are left out."""
    if isinstance(record, Audit):
        data: dict[str, Any] = {
            "engagement": record.engagement,
            "title": record.title,
            "auditor": record.auditor,
            "held_on": record.held_on,
            "scope": record.scope,
            "findings": [
                _present(
                    reference=f.reference, description=f.description,
                    severity=f.severity.value, action=f.action, owner=f.owner,
                    due_on=f.due_on, closed_on=f.closed_on,
                )
                for f in record.findings
            ],
        }  # fmt: skip
        return data
    return _present(
        engagement=record.engagement,
        kind=record.kind.value,
        held_on=record.held_on,
        title=record.title,
        attendees=list(record.attendees),
        milestone=record.milestone,
        milestone_status=record.milestone_status,
        decisions=[i.text for i in record.items if i.kind is ItemKind.DECISION],
        actions=[
            _present(text=i.text, owner=i.owner, due_on=i.due_on, done_on=i.done_on)
            for i in record.items
            if i.kind is ItemKind.ACTION
        ],
    )


def _present(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}
