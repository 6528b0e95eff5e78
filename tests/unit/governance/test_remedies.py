from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from governance_factories import service_levels
from sourcewise.governance.remedies import (
    Remedy,
    RemedyKind,
    breaches_within,
    consecutive_breaches,
    counted_breaches,
    propose_remedies,
)
from sourcewise.governance.service_levels import ServiceLevelKind, Status

B, M, N = Status.BREACH, Status.MET, Status.NO_DATA


def months(*statuses: Status, start: int = 1) -> list[tuple[date, Status]]:
    return [(date(2026, start + i, 1), s) for i, s in enumerate(statuses)]


PLAN = Remedy(RemedyKind.IMPROVEMENT_PLAN, "MSA §14.2", after_breaches=1)
ESCALATE = Remedy(
    RemedyKind.ESCALATION, "MSA §15.1", after_breaches=2, consecutive=True, level="the board"
)
WITHHOLD = Remedy(
    RemedyKind.FEE_WITHHOLDING,
    "SOW §6.4",
    after_breaches=3,
    consecutive=True,
    withhold_pct=Decimal(5),
)
TERMINATE = Remedy(RemedyKind.TERMINATION_RIGHT, "MSA §21.3", after_breaches=3, within_months=6)


def test_a_run_of_breaches_ends_at_the_last_judged_month() -> None:
    history = months(B, M, B, B, N, B)  # May had no data: it neither counts nor breaks the run
    assert consecutive_breaches(history) == (date(2026, 3, 1), date(2026, 4, 1), date(2026, 6, 1))
    assert consecutive_breaches(months(B, B, M)) == ()


def test_breaches_within_a_window_of_months() -> None:
    history = months(B, M, B, M, M, M, B)  # January … July
    assert breaches_within(history, date(2026, 7, 1), 6) == (date(2026, 3, 1), date(2026, 7, 1))
    assert len(breaches_within(history, date(2026, 7, 1), 12)) == 3


def test_the_ladder_of_remedies_follows_the_months_of_breach() -> None:
    availability, defects = service_levels()  # a critical level and a key measurement
    remedies = (PLAN, ESCALATE, WITHHOLD, TERMINATE)
    history = {"Availability": months(M, B, B), "Defects": months(B, B, B, B)}
    proposed = propose_remedies(remedies, (availability, defects), history)
    # Key measurements are not counted by remedies that apply to critical levels only.
    assert [(p.service_level, p.remedy.kind) for p in proposed] == [
        ("Availability", RemedyKind.IMPROVEMENT_PLAN),
        ("Availability", RemedyKind.ESCALATION),
    ]
    assert proposed[1].breached_months == (date(2026, 2, 1), date(2026, 3, 1))
    assert proposed[1].record == "breached 2 months in a row"
    assert proposed[1].remedy.title == "Escalation to the board"
    longer = {"Availability": months(B, B, B, M, B)}
    kinds = [p.remedy.kind for p in propose_remedies(remedies, (availability,), longer)]
    # Met in April: the run is one month, but four breaches within six months.
    assert kinds == [RemedyKind.IMPROVEMENT_PLAN, RemedyKind.TERMINATION_RIGHT]


def test_a_remedy_for_key_measurements_counts_them() -> None:
    _, defects = service_levels()
    both = Remedy(
        RemedyKind.IMPROVEMENT_PLAN,
        "MSA §14.3",
        after_breaches=2,
        applies_to=(ServiceLevelKind.CRITICAL, ServiceLevelKind.KEY_MEASUREMENT),
    )
    proposed = propose_remedies((both,), (defects,), {"Defects": months(B, M, B)})
    assert [p.remedy.clause for p in proposed] == ["MSA §14.3"]
    assert propose_remedies((both,), (defects,), {}) == ()


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"after_breaches": 0}, "after_breaches"),
        ({"within_months": 0}, "within_months"),
        ({"applies_to": ()}, "applies_to"),
        ({"kind": RemedyKind.ESCALATION}, "level"),
        ({"kind": RemedyKind.FEE_WITHHOLDING}, "withhold_pct"),
        ({"kind": RemedyKind.FEE_WITHHOLDING, "withhold_pct": Decimal(0)}, "withhold_pct"),
    ],
)
def test_a_remedy_without_its_terms_is_refused(changes: dict[str, object], match: str) -> None:
    values: dict[str, object] = {"kind": RemedyKind.IMPROVEMENT_PLAN, "clause": "§1"}
    values |= {"after_breaches": 1} | changes
    with pytest.raises(ValueError, match=match):
        Remedy(**values)  # type: ignore[arg-type]


statuses = st.lists(st.sampled_from([B, M, N, Status.WARNING_75]), min_size=1, max_size=24)


@given(statuses, st.integers(0, 23), st.sampled_from([PLAN, ESCALATE, WITHHOLD, TERMINATE]))
def test_a_judged_month_turned_into_a_breach_never_withdraws_a_remedy(
    history: list[Status], index: int, remedy: Remedy
) -> None:
    # A judged month only: turning a month without data into a breach also moves the month
    # judged last, and with it the window (older breaches may then rightly fall out of it).
    before = [(date(2024 + i // 12, i % 12 + 1, 1), s) for i, s in enumerate(history)]
    judged = [k for k, (_, s) in enumerate(before) if s is not N]
    assume(judged)
    i = judged[index % len(judged)]
    after = [(m, B if k == i else s) for k, (m, s) in enumerate(before)]
    assert len(counted_breaches(remedy, after)) >= len(counted_breaches(remedy, before))
