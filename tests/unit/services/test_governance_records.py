"""Audits, surveys, meetings, open actions and pilots through the services, in memory."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.domain.problems import InputError
from sourcewise.governance.pilot import Recommendation, Verdict
from sourcewise.governance.records import Measurement
from sourcewise.services.governance_records import (
    RecordError,
    add_records,
    audit_report,
    evaluate_pilot_record,
    meeting_report,
    open_actions,
    survey_report,
)
from sourcewise.services.governance_store import UowFactory
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.storage.repositories import NotFoundError

NAME = "Customer service Monterrey"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "governance"

AUDIT = f"""\
audits:
  - engagement: {NAME}
    title: Quality audit
    auditor: Internal audit
    held_on: 2026-03-18
    scope: Calls
    findings:
      - reference: F1
        description: Old articles
        severity: medium
        action: Republish
        owner: KM
        due_on: 2026-04-30
      - reference: F2
        description: Card numbers visible
        severity: critical
        action: Mask them
        owner: IT
        due_on: 2026-04-15
        closed_on: 2026-04-10
"""

MEETING = f"""\
meetings:
  - engagement: {NAME}
    kind: milestone_review
    held_on: 2026-02-16
    title: Go-live review
    milestone: Go-live
    milestone_status: at_risk
    decisions: [Keep the in-house team on the queues]
    actions:
      - text: Overflow routing
        owner: Telephony
        due_on: 2026-03-15
      - text: Training
        owner: BPO
        due_on: 2026-03-01
        done_on: 2026-02-27
  - engagement: {NAME}
    kind: milestone_review
    held_on: 2026-03-16
    title: Go-live follow-up
    milestone: Go-live
    milestone_status: done
"""


@pytest.fixture
def make_uow() -> UowFactory:
    memory = MemoryUnitOfWork()
    with memory as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement(NAME))
        uow.commit()
    return lambda: memory


def write(tmp_path: Path, text: str, name: str = "records.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(make_uow: UowFactory, path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        add_records(make_uow, path)
    return [str(p) for p in caught.value.problems]


def ingest(make_uow: UowFactory, kpi: str, rows: list[tuple[int, float, int | None]]) -> None:
    with make_uow() as uow:
        staged = [
            (f"row {i}", Measurement(NAME, kpi, datetime(2026, month, 1, tzinfo=UTC), v, n))
            for i, (month, v, n) in enumerate(rows)
        ]
        assert not uow.measurements.ingest([staged], replace=False).conflicts
        uow.commit()


# ---------------------------------------------------------------------------------------------
# Adding


@pytest.mark.parametrize("name", ["audits", "surveys", "meetings", "pilot"])
def test_examples_add_once_then_unchanged_and_log_every_insert(
    make_uow: UowFactory, name: str
) -> None:
    path = EXAMPLES / f"{name}.yaml"
    first = add_records(make_uow, path)
    assert first.added
    assert not first.unchanged
    again = add_records(make_uow, path)
    assert not again.added
    assert again.unchanged == first.added
    with make_uow() as uow:
        assert len(uow.audit_log.entries(entity=first.kind)) == len(first.added)


def test_other_content_under_a_stored_key_is_an_error_and_nothing_is_added(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    add_records(make_uow, write(tmp_path, AUDIT))
    changed = AUDIT.replace("scope: Calls", "scope: Calls and chats")
    extra = AUDIT.split("audits:\n")[1].replace("Quality audit", "Security audit")
    problems = problems_of(make_uow, write(tmp_path, changed + extra))
    assert len(problems) == 1
    assert "records.yaml:2: audits[0]: audit 'Quality audit' of 2026-03-18 exists" in problems[0]
    assert "other scope" in problems[0]
    with make_uow() as uow:
        assert [a.title for a in uow.records.audits(NAME)] == ["Quality audit"]


def test_a_record_repeated_in_the_file_is_reported(make_uow: UowFactory, tmp_path: Path) -> None:
    twice = AUDIT + AUDIT.split("audits:\n")[1]
    problems = problems_of(make_uow, write(tmp_path, twice))
    assert any(
        "audits[1]: repeats audit 'Quality audit'" in p and "(line 2)" in p for p in problems
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "due_on: 2026-04-30",
            "due_on: 2026-03-01",
            ":13: audits[0].findings[0].due_on: 2026-03-01 is before",
        ),
        ("closed_on: 2026-04-10", "closed_on: 2026-03-01", ".findings[1].closed_on: 2026-03-01"),
        (f"engagement: {NAME}", "engagement: Customer service Monterey", "did you mean"),
        ("severity: medium", "severity: urgent", "findings[0].severity: Input should be"),
        ("owner: KM", "ownr: KM", "unknown field 'ownr' (did you mean 'owner'?)"),
        ("held_on: 2026-03-18", "held_on: 2026", "must be a date (YYYY-MM-DD), got 2026"),
    ],
)
def test_audit_problems_have_line_and_field(
    make_uow: UowFactory, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problems = problems_of(make_uow, write(tmp_path, AUDIT.replace(old, new)))
    assert any(expected in p for p in problems), problems


SURVEY = f"""\
survey:
  engagement: {NAME}
  name: Pulse
  period: 2026-03
  audience: Leads
  questions:
    - code: quality
      text: Quality is good
      kind: likert
      responses: [4, 5, 3]
    - code: nps
      text: Recommend?
      kind: nps
      counts: {{10: 3, 9: 1, 8: 2, 6: 1, 0: 1}}
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("[4, 5, 3]", "[4, 6, 3]", ":10: survey.questions[0].responses[1]: 6 is outside 1..5"),
        ("0: 1}", "11: 1}", "survey.questions[1].counts.11: 11 is outside the scale 0..10"),
        ("kind: likert", "kind: likert\n      scale_max: 6", "scale_max: must be 5 or 7"),
        ("kind: nps", "kind: nps\n      scale_max: 5", "scale_max: must be 10 for nps"),
        ("[4, 5, 3]", "[4]", "responses: 1 responses; need 2"),
        ("period: 2026-03", "period: 2026-13", "month must be 01..12"),
        ("responses: [4, 5, 3]", "", "give responses or counts"),
    ],
)
def test_survey_problems_have_line_and_field(
    make_uow: UowFactory, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problems = problems_of(make_uow, write(tmp_path, SURVEY.replace(old, new)))
    assert any(expected.replace("outside 1", "outside the scale 1") in p for p in problems), (
        problems
    )


def test_file_kind_is_read_from_the_top_level_key(make_uow: UowFactory, tmp_path: Path) -> None:
    both = SURVEY + AUDIT
    assert "exactly one of audits, surveys" in problems_of(make_uow, write(tmp_path, both))[0]
    with pytest.raises(InputError, match="holds surveys, not audits"):
        add_records(make_uow, write(tmp_path, SURVEY), expected="audit")
    assert add_records(make_uow, write(tmp_path, SURVEY)).kind == "survey"


def test_meeting_and_pilot_rules(make_uow: UowFactory, tmp_path: Path) -> None:
    bad_meeting = MEETING.replace("due_on: 2026-03-15", "due_on: 2026-02-01")
    bad_meeting = bad_meeting.replace("    milestone: Go-live\n    milestone_status: done\n", "")
    problems = problems_of(make_uow, write(tmp_path, bad_meeting))
    assert any("meetings[0].actions[0].due_on: 2026-02-01 is before" in p for p in problems)
    assert any("meetings[1]: a milestone review needs milestone" in p for p in problems)
    pilot = (EXAMPLES / "pilot.yaml").read_text(encoding="utf-8")
    bad_pilot = pilot.replace("target: 95", "target: 95\n        events: 3")
    bad_pilot = bad_pilot.replace("baseline_trials: 4950", "baseline_trials: 4000")
    bad_pilot = bad_pilot.replace("end: 2026-03-31", "end: 2025-12-31")
    problems = problems_of(make_uow, write(tmp_path, bad_pilot))
    assert any("pilots[0].end: 2025-12-31 is before start" in p for p in problems)
    assert any(
        "criteria[1].metric: give metric or events and trials, not both" in p for p in problems
    )
    assert any("criteria[1].trials: give both events and trials" in p for p in problems)
    assert any("baseline_events: 4702 exceeds baseline_trials (4000)" in p for p in problems)


# ---------------------------------------------------------------------------------------------
# Reports


def test_survey_report_expands_counts_and_gives_the_trend(make_uow: UowFactory) -> None:
    add_records(make_uow, EXAMPLES / "surveys.yaml")
    report = survey_report(make_uow, NAME)
    by_code = {q.code: q for q in report.questions}
    quality = by_code["quality"].trend
    assert [p.label for p in quality.periods] == ["2026-03", "2026-06"]
    assert quality.periods[0].summary.n == 35
    assert quality.periods[0].value == pytest.approx(132 / 35)  # 9×5 + 14×4 + 8×3 + 3×2 + 1
    nps = by_code["nps"].trend
    assert nps.periods[0].value == pytest.approx(100 * (12 - 8) / 35)
    assert nps.periods[1].value == pytest.approx(100 * (16 - 4) / 34)
    assert nps.changes[0].change == pytest.approx(100 * (12 / 34 - 4 / 35))


def test_audit_report_counts_open_and_overdue(make_uow: UowFactory, tmp_path: Path) -> None:
    add_records(make_uow, write(tmp_path, AUDIT))
    report = audit_report(make_uow, NAME, date(2026, 5, 1))
    assert (report.open, report.overdue) == (1, 1)
    assert report.open_by_severity == {"critical": 0, "high": 0, "medium": 1, "low": 0}
    assert audit_report(make_uow, NAME, date(2026, 4, 30)).overdue == 0  # due today: not late


def test_open_actions_sorted_by_due_date_with_overdue_flagged(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    add_records(make_uow, write(tmp_path, AUDIT))
    add_records(make_uow, write(tmp_path, MEETING, "meetings.yaml"))
    found = open_actions(make_uow, date(2026, 4, 1))
    assert [(a.text, a.due_on, a.overdue, a.days_overdue) for a in found.actions] == [
        ("Overflow routing", date(2026, 3, 15), True, 17),
        ("Republish", date(2026, 4, 30), False, 0),
    ]
    assert found.overdue == 1
    assert found.actions[1].source == "audit"
    assert found.actions[1].severity == "medium"
    assert open_actions(make_uow, date(2026, 4, 1), NAME).actions == found.actions
    with pytest.raises(NotFoundError, match="no engagement named 'Nope'"):
        open_actions(make_uow, date(2026, 4, 1), "Nope")


def test_meeting_report_keeps_each_milestones_latest_status(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    add_records(make_uow, write(tmp_path, MEETING))
    report = meeting_report(make_uow, NAME, date(2026, 4, 1))
    assert [(m.milestone, m.status, m.reviewed_on) for m in report.milestones] == [
        ("Go-live", "done", date(2026, 3, 16))
    ]
    first = report.meetings[0]
    assert (first.decisions, first.actions, first.open_actions, first.overdue) == (1, 2, 1, 1)


# ---------------------------------------------------------------------------------------------
# Pilots


def pilot_file(criteria: str, name: str = "Pilot") -> str:
    return f"""\
pilot:
  engagement: {NAME}
  name: {name}
  start: 2026-01-01
  end: 2026-03-31
  criteria:
{criteria}"""


DEFECTS = """\
    - name: Defect rate
      kind: proportion
      direction: lower_is_better
      target: 2
      metric: defect_rate
"""


def test_pilot_counts_events_from_measurements_rounding_once(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    # 0.25 % of 200 is half a defect each month: rounding the total gives 1, not 0 + 0. April
    # lies outside the pilot.
    ingest(make_uow, "defect_rate", [(1, 0.25, 200), (2, 0.25, 200), (4, 50.0, 100)])
    add_records(make_uow, write(tmp_path, pilot_file(DEFECTS)))
    report = evaluate_pilot_record(make_uow, NAME)
    assert (report.data[0].events, report.data[0].trials) == (1, 400)
    assert report.data[0].measurements == 2
    result = report.evaluation.results[0]
    assert result.target == pytest.approx(0.02)  # the file's 2 is percent
    assert result.verdict is Verdict.PASS
    assert report.evaluation.recommendation is Recommendation.GO


def test_pilot_go_extend_stop(make_uow: UowFactory, tmp_path: Path) -> None:
    ontime = """\
    - name: On-time
      kind: proportion
      direction: higher_is_better
      target: 95
      events: {events}
      trials: {trials}
    - name: Satisfaction
      kind: mean
      direction: higher_is_better
      target: baseline
      values: [4.4, 4.5, 4.3, 4.6, 4.4, 4.5]
      baseline_values: [4.0, 4.1, 3.9, 4.0, 4.1, 4.0]
"""
    cases = {"Go": (990, 1000), "Extend": (20, 20), "Stop": (80, 100)}
    for name, (events, trials) in cases.items():
        text = pilot_file(ontime.format(events=events, trials=trials), name)
        add_records(make_uow, write(tmp_path, text, f"{name}.yaml"))
    got = {
        n: evaluate_pilot_record(make_uow, NAME, n).evaluation.recommendation.value for n in cases
    }
    assert got == {"Go": "go", "Extend": "extend", "Stop": "stop"}
    extend = evaluate_pilot_record(make_uow, NAME, "Extend").evaluation
    assert extend.results[0].more_needed is not None
    assert extend.results[0].more_needed > 0
    assert "needs about" in extend.reasons[0]


def test_pilot_errors_are_explained(make_uow: UowFactory, tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="has no pilot"):
        evaluate_pilot_record(make_uow, NAME)
    add_records(make_uow, write(tmp_path, pilot_file(DEFECTS)))
    with pytest.raises(RecordError, match="no defect_rate measurements"):
        evaluate_pilot_record(make_uow, NAME)
    with pytest.raises(RecordError, match="has no pilot 'Other' \\(it has 'Pilot'\\)"):
        evaluate_pilot_record(make_uow, NAME, "Other")
    ingest(make_uow, "defect_rate", [(1, 1.0, None)])
    with pytest.raises(RecordError, match="has no sample size"):
        evaluate_pilot_record(make_uow, NAME)
    with pytest.raises(RecordError, match="confidence"):
        evaluate_pilot_record(make_uow, NAME, confidence=1.5)


def test_mean_criterion_can_read_a_metric(make_uow: UowFactory, tmp_path: Path) -> None:
    ingest(make_uow, "customer_satisfaction", [(1, 88.0, 300), (2, 90.0, 310), (3, 91.0, 320)])
    criteria = """\
    - name: CSAT
      kind: mean
      direction: higher_is_better
      target: 80
      metric: customer_satisfaction
"""
    add_records(make_uow, write(tmp_path, pilot_file(criteria)))
    result = evaluate_pilot_record(make_uow, NAME).evaluation.results[0]
    assert result.estimate == pytest.approx(89.666666)
    assert (result.n, result.unit) == (3, "measurements")
