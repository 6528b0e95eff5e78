"""The engagement file's service-credit terms and names, read into the engagement record."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sourcewise.adapters.engagement_file import (
    engagement_file_data,
    engagement_from_data,
    load_engagement_file,
)
from sourcewise.governance.corrective_actions import PlanTerms
from sourcewise.governance.records import NoticePeriod, PeriodUnit, Renewal, RenewalDecision
from sourcewise.governance.remedies import RemedyKind
from sourcewise.governance.scorecard import ScorecardTerms

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "governance" / "engagement.yaml"


def test_the_example_caps_credits_at_four_months_a_year() -> None:
    loaded, problems = load_engagement_file(EXAMPLE)
    assert problems == []
    assert loaded is not None
    assert loaded.engagement.max_credit_months == 4


def test_without_the_clause_there_is_no_month_count(tmp_path: Path) -> None:
    path = tmp_path / "engagement.yaml"
    path.write_text(EXAMPLE.read_text().replace("  max_credit_months: 4\n", ""))
    loaded, problems = load_engagement_file(path)
    assert problems == []
    assert loaded is not None
    assert loaded.engagement.max_credit_months is None


def test_a_month_count_past_twelve_is_named_with_its_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    line = text.splitlines().index("  max_credit_months: 4") + 1
    path = tmp_path / "engagement.yaml"
    path.write_text(text.replace("max_credit_months: 4", "max_credit_months: 13"))
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [(p.line, p.path) for p in problems] == [(line, "service_credits.max_credit_months")]
    assert "12" in problems[0].message


def test_names_are_stored_without_their_outer_spaces(tmp_path: Path) -> None:
    # Measurement files name an engagement stripped; a spaced name could never be matched.
    path = tmp_path / "engagement.yaml"
    text = EXAMPLE.read_text()
    text = text.replace("  name: Customer service Monterrey", '  name: "  Spaced name  "')
    path.write_text(text.replace("  name: Monterrey bilingual BPO", '  name: " Spaced BPO "'))
    loaded, problems = load_engagement_file(path)
    assert problems == []
    assert loaded is not None
    assert (loaded.engagement.name, loaded.engagement.provider) == ("Spaced name", "Spaced BPO")
    assert loaded.provider.name == "Spaced BPO"


def test_a_name_of_only_spaces_is_named_with_its_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    line = text.splitlines().index("  name: Customer service Monterrey") + 1
    path = tmp_path / "engagement.yaml"
    path.write_text(text.replace("  name: Customer service Monterrey", '  name: "   "'))
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [(p.file, p.line, p.path) for p in problems] == [(str(path), line, "engagement.name")]
    assert "spaces" in problems[0].message


def _with_sow_terms(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """The example with one line of SOW-01's calendar terms replaced; the line's number."""
    text = EXAMPLE.read_text()
    assert old in text
    path = tmp_path / "engagement.yaml"
    path.write_text(text.replace(old, new))
    return path, text.splitlines().index(old.splitlines()[0]) + 1


def test_the_example_carries_the_contract_calendar() -> None:
    loaded, problems = load_engagement_file(EXAMPLE)
    assert problems == []
    assert loaded is not None
    master, sow = loaded.engagement.contracts
    assert (master.end, sow.end) == (date(2030, 12, 31), date(2028, 12, 31))
    assert sow.notice == NoticePeriod(3, PeriodUnit.MONTHS)
    assert sow.renewal == Renewal(True, 12, RenewalDecision.PENDING)
    assert sow.total_value == Decimal("11664000")
    assert sow.price_reviews == (date(2027, 1, 1), date(2028, 1, 1))
    assert master.benchmarks == (date(2028, 6, 30), date(2030, 3, 31))
    assert master.termination_assistance is not None
    assert master.termination_assistance.months == 6


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "    end: 2028-12-31\n",
            "    end: 2025-12-31\n",
            "contracts[1].end",
            "end 2025-12-31 is before start 2026-01-01",
        ),
        (
            "    notice_period_months: 3\n",
            "    notice_period_months: 36\n",
            "contracts[1].notice_period_months",
            "a notice period of 36 months is longer than the term",
        ),
        (
            "    notice_period_months: 3\n",
            "    notice_period_months: 3\n    notice_period_days: 90\n",
            "contracts[1].notice_period_days",
            "in months or in days, not both",
        ),
        (
            "      term_months: 12\n",
            "",
            "contracts[1].renewal.term_months",
            "an automatic renewal needs its term in months",
        ),
        (
            "    price_review_dates: [2027-01-01, 2028-01-01]\n",
            "    price_review_dates: [2027-01-01, 2027-01-01]\n",
            "contracts[1].price_review_dates[1]",
            "given twice",
        ),
        (
            "    price_review_dates: [2027-01-01, 2028-01-01]\n",
            "    price_review_dates: [2025-01-01]\n",
            "contracts[1].price_review_dates[0]",
            "before the contract's start",
        ),
        (
            "      decision: pending\n    # Yearly",
            "      decision: maybe\n    # Yearly",
            "contracts[1].renewal.decision",
            "",
        ),
        (
            "    end: 2028-12-31\n",
            "    end: 9999-12-31\n",
            "contracts[1].end",
            "not between",
        ),
    ],
)
def test_contract_calendar_errors_name_the_file_line_and_field(
    tmp_path: Path, old: str, new: str, field: str, message: str
) -> None:
    path, _ = _with_sow_terms(tmp_path, old, new)
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [(p.file, p.path) for p in problems] == [(str(path), field)]
    assert message in problems[0].message
    assert problems[0].line is not None


def test_dates_after_a_final_end_are_refused_but_not_after_a_rolling_one(tmp_path: Path) -> None:
    later = "    price_review_dates: [2027-01-01, 2029-01-01]\n"
    path, _ = _with_sow_terms(tmp_path, "    price_review_dates: [2027-01-01, 2028-01-01]\n", later)
    assert load_engagement_file(path)[1] == []
    final = path.read_text().replace("automatic: true", "automatic: false")
    path.write_text(final)
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [p.path for p in problems] == ["contracts[1].price_review_dates[1]"]
    assert "after the contract's end 2028-12-31" in problems[0].message


def test_the_example_carries_its_scorecard_weights_plan_owner_and_remedies() -> None:
    loaded, problems = load_engagement_file(EXAMPLE)
    assert problems == []
    assert loaded is not None
    e = loaded.engagement
    assert e.scorecard == ScorecardTerms()  # the documented defaults, written out
    assert e.corrective_actions == PlanTerms("Vendor manager, customer care", 30)
    assert [r.kind for r in e.remedies] == list(RemedyKind)
    withholding = e.remedies[2]
    assert (withholding.withhold_pct, withholding.consecutive) == (Decimal(5), True)
    assert withholding.clause == "SOW-01 §6.4 (withholding)"


def test_without_the_blocks_the_defaults_apply(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    path = tmp_path / "engagement.yaml"
    path.write_text(text[: text.index("\n# How the provider's scorecard")] + "\n")
    loaded, problems = load_engagement_file(path)
    assert problems == []
    assert loaded is not None
    e = loaded.engagement
    assert (e.scorecard, e.corrective_actions, e.remedies) == (ScorecardTerms(), PlanTerms(), ())


def test_bad_steering_terms_are_named_with_their_file_line_and_field(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    lines = text.splitlines()
    text = text.replace("    service_levels: 25", "    service_levels: -1")
    text = text.replace("    critical: 20", "    critical: 120")
    text = text.replace("  due_days: 30", "  due_days: 0")
    text = text.replace("    level: the joint steering committee\n", "")
    text = text.replace("  lookback_months: 6", "  lookback_months: 6\n  speed: 3")
    path = tmp_path / "engagement.yaml"
    path.write_text(text)
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    found = {p.path: p for p in problems}
    assert set(found) == {
        "scorecard.weights.service_levels",
        "scorecard.breach_points.critical",
        "scorecard.speed",
        "corrective_actions.due_days",
    }, problems
    assert all(p.file == str(path) for p in problems)
    assert found["corrective_actions.due_days"].line == text.splitlines().index("  due_days: 0") + 1
    # Field errors first; the escalation without its level is reported once they are fixed.
    fixed = text.replace("service_levels: -1", "service_levels: 25")
    fixed = fixed.replace("critical: 120", "critical: 20").replace("due_days: 0", "due_days: 30")
    path.write_text(fixed.replace("\n  speed: 3", ""))
    loaded, problems = load_engagement_file(path)
    assert loaded is None
    assert [(p.path, p.line) for p in problems] == [
        ("remedies[1].level", lines.index("  - kind: escalation") + 1)
    ]
    assert "level" in problems[0].message


def test_a_stored_engagement_reads_back_from_its_file_data_unchanged() -> None:
    """What an edit starts from: every term (the contracts' calendars, the scorecard weights,
    the plan terms and remedies) survives the round trip, so saving a form changes only what
    the form changed."""
    loaded, problems = load_engagement_file(EXAMPLE)
    assert problems == []
    assert loaded is not None
    data = engagement_file_data(loaded.engagement, loaded.provider)
    again, problems = engagement_from_data(data, "form")
    assert problems == []
    assert again is not None
    assert again.engagement == loaded.engagement
    assert again.provider == loaded.provider
