"""Stakeholder survey trends and pilot evaluation from stored records.

Re-exported by ``services.governance_records``; split out to keep modules short.

Pilot data: a criterion with explicit counts or values uses them. One with a ``metric`` reads
that KPI's measurements of the pilot's engagement with periods from ``start`` to ``end``
inclusive (every series). For a proportion each measurement is a rate in percent of its
``sample_size``, so events = Σ(value/100 × sample_size) over the window, rounded to the nearest
whole event (half to even) once, after summing, and trials = Σ sample_size: the pooled rate
Σ(value × n)/Σ n. A mean criterion takes the measurements' values as its observations.
Proportion targets are stored in percent and divided by 100 here.
"""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sourcewise.governance.kpis import Direction
from sourcewise.governance.pilot import (
    CriterionKind,
    MeanCriterion,
    PilotEvaluation,
    ProportionCriterion,
    evaluate_pilot,
)
from sourcewise.governance.records import Measurement, Pilot, PilotCriterionSpec, Survey
from sourcewise.governance.surveys import QuestionKind, SurveyTrend, survey_trend
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.repositories import NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork


class RecordError(ValueError):
    """A record cannot be reported or evaluated as asked (the message says why)."""


def require_engagement(uow: UnitOfWork, name: str) -> None:
    """``NotFoundError`` naming the closest engagement when ``name`` is unknown."""
    if uow.engagements.get(name) is not None:
        return
    names = [e.name for e in uow.engagements.all()]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise NotFoundError(f"no engagement named '{name}'{hint}")


# ---------------------------------------------------------------------------------------------
# Surveys


@dataclass(frozen=True, slots=True)
class QuestionTrend:
    """One question of one survey across the periods it was asked, oldest first."""

    survey: str
    code: str
    text: str
    kind: QuestionKind
    scale_max: int
    trend: SurveyTrend


@dataclass(frozen=True, slots=True)
class SurveyReport:
    engagement: str
    confidence: float
    surveys: int
    questions: tuple[QuestionTrend, ...]


def period_label(day: date) -> str:
    """``2026-03`` for a month (its first day), else the ISO date."""
    return f"{day:%Y-%m}" if day.day == 1 else day.isoformat()


def survey_report(make_uow: UowFactory, engagement: str, confidence: float = 0.95) -> SurveyReport:
    """Per question: Likert mean and top-2-box or NPS, with intervals, and the change between
    consecutive periods (``governance.surveys``)."""
    with make_uow() as uow:
        require_engagement(uow, engagement)
        surveys = uow.records.surveys(engagement)
    return build_survey_report(engagement, surveys, confidence)


def build_survey_report(engagement: str, surveys: list[Survey], confidence: float) -> SurveyReport:
    grouped: dict[tuple[str, str, QuestionKind, int], list[tuple[date, str, tuple[int, ...]]]]
    grouped = defaultdict(list)
    for s in sorted(surveys, key=lambda s: (s.name, s.period)):
        for q in s.questions:
            grouped[(s.name, q.code, q.kind, q.scale_max)].append((s.period, q.text, q.responses))
    questions = []
    for (name, code, kind, scale), asked in grouped.items():
        periods = [(period_label(day), responses) for day, _, responses in asked]
        trend = survey_trend(periods, kind, scale, confidence)
        questions.append(QuestionTrend(name, code, asked[-1][1], kind, scale, trend))
    return SurveyReport(engagement, confidence, len(surveys), tuple(questions))


# ---------------------------------------------------------------------------------------------
# Pilots


@dataclass(frozen=True, slots=True)
class CriterionData:
    """Where a criterion's data came from: ``explicit`` or the KPI measured (``metric``)."""

    name: str
    source: str
    measurements: int
    events: int | None = None
    trials: int | None = None
    values: int | None = None


@dataclass(frozen=True, slots=True)
class PilotReport:
    engagement: str
    pilot: str
    start: date
    end: date
    confidence: float
    data: tuple[CriterionData, ...]
    evaluation: PilotEvaluation


def evaluate_pilot_record(
    make_uow: UowFactory, engagement: str, pilot_name: str | None = None, confidence: float = 0.95
) -> PilotReport:
    """Evaluate a stored pilot (the latest-starting one when no name is given) on its data:
    go / extend / stop with reasons (``governance.pilot.evaluate_pilot``)."""
    if not 0 < confidence < 1:
        raise RecordError(f"confidence must be between 0 and 1, got {confidence}")
    with make_uow() as uow:
        require_engagement(uow, engagement)
        pilots = uow.records.pilots(engagement)
        pilot = _choose(pilots, engagement, pilot_name)
        built = [_criterion(uow, pilot, spec) for spec in pilot.criteria]
    try:
        evaluation = evaluate_pilot([c for c, _ in built], confidence)
    except ValueError as error:
        raise RecordError(f"pilot '{pilot.name}': {error}") from error
    data = tuple(d for _, d in built)
    return PilotReport(engagement, pilot.name, pilot.start, pilot.end, confidence, data, evaluation)


def _choose(pilots: list[Pilot], engagement: str, name: str | None) -> Pilot:
    if not pilots:
        raise RecordError(f"engagement '{engagement}' has no pilot; add one with `pilot add`")
    if name is None:
        return max(pilots, key=lambda p: (p.start, p.end))
    found = next((p for p in pilots if p.name == name), None)
    if found is None:
        names = ", ".join(f"'{p.name}'" for p in pilots)
        raise RecordError(f"engagement '{engagement}' has no pilot '{name}' (it has {names})")
    return found


def _criterion(
    uow: UnitOfWork, pilot: Pilot, spec: PilotCriterionSpec
) -> tuple[ProportionCriterion | MeanCriterion, CriterionData]:
    direction = Direction(spec.direction)
    try:
        if spec.kind is CriterionKind.PROPORTION:
            return _proportion(uow, pilot, spec, direction)
        return _mean(uow, pilot, spec, direction)
    except ValueError as error:
        if isinstance(error, RecordError):
            raise
        raise RecordError(f"pilot '{pilot.name}', criterion {error}") from error


def _proportion(
    uow: UnitOfWork, pilot: Pilot, spec: PilotCriterionSpec, direction: Direction
) -> tuple[ProportionCriterion, CriterionData]:
    if spec.metric is not None:
        measured = _measurements(uow, pilot, spec)
        missing = [m for m in measured if not m.sample_size]
        if missing:
            raise RecordError(
                f"pilot '{pilot.name}', criterion '{spec.name}': the {spec.metric} measurement "
                f"of {missing[0].period:%Y-%m-%d} has no sample size; a rate needs one to "
                "count events"
            )
        trials = sum(m.sample_size or 0 for m in measured)
        events = round(math.fsum(m.value / 100 * (m.sample_size or 0) for m in measured))
        data = CriterionData(spec.name, spec.metric, len(measured), events, trials)
    else:
        events, trials = spec.events or 0, spec.trials or 0
        data = CriterionData(spec.name, "explicit", 0, events, trials)
    if spec.target_is_baseline:
        target = (spec.baseline_events or 0) / (spec.baseline_trials or 1)
    else:
        target = (spec.target or 0.0) / 100
    criterion = ProportionCriterion(
        spec.name, target, direction, events, trials, spec.baseline_events, spec.baseline_trials
    )
    return criterion, data


def _mean(
    uow: UnitOfWork, pilot: Pilot, spec: PilotCriterionSpec, direction: Direction
) -> tuple[MeanCriterion, CriterionData]:
    if spec.metric is not None:
        measured = _measurements(uow, pilot, spec)
        values = tuple(m.value for m in measured)
        data = CriterionData(spec.name, spec.metric, len(measured), values=len(values))
        unit = "measurements"
    else:
        values = spec.values or ()
        data = CriterionData(spec.name, "explicit", 0, values=len(values))
        unit = "observations"
    criterion = MeanCriterion(
        spec.name,
        None if spec.target_is_baseline else spec.target,
        direction,
        values,
        baseline_values=spec.baseline_values,
        target_is_baseline=spec.target_is_baseline,
        unit=unit,
    )
    return criterion, data


def _measurements(uow: UnitOfWork, pilot: Pilot, spec: PilotCriterionSpec) -> list[Measurement]:
    assert spec.metric is not None
    start = datetime.combine(pilot.start, time(), UTC)
    end = datetime.combine(pilot.end + timedelta(days=1), time(), UTC)  # end day inclusive
    found = uow.measurements.series(pilot.engagement, spec.metric, start, end)
    if not found:
        raise RecordError(
            f"pilot '{pilot.name}', criterion '{spec.name}': no {spec.metric} measurements "
            f"for '{pilot.engagement}' from {pilot.start} to {pilot.end}; ingest them with "
            "`kpi ingest` or give the counts in the pilot file"
        )
    return found
