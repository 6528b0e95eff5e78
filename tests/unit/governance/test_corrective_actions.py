from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from sourcewise.governance.corrective_actions import (
    CorrectiveActionPlan,
    PlanState,
    PlanTerms,
    plan_for_breach,
)

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
TERMS = PlanTerms("Vendor manager", 30)
AUG, SEP, OCT = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)


def breach(
    plans: list[CorrectiveActionPlan], month: date, level: str = "FCR"
) -> tuple[CorrectiveActionPlan | None, CorrectiveActionPlan | None]:
    return plan_for_breach(plans, "Care", level, month, TERMS, NOW)


def test_a_breach_opens_a_plan_with_the_terms_owner_and_due_date() -> None:
    new, moved = breach([], date(2026, 8, 17))
    assert moved is None
    assert new is not None
    assert (new.first_breach, new.last_breach, new.owner) == (AUG, AUG, "Vendor manager")
    assert new.due_on == date(2026, 12, 25)
    assert new.is_open
    assert not new.overdue(date(2026, 12, 25))
    assert new.overdue(date(2026, 12, 26))


def test_later_months_of_the_same_breach_move_the_open_plan() -> None:
    opened, _ = breach([], AUG)
    assert opened is not None
    plans = [replace(opened, id=1)]
    assert breach(plans, AUG) == (None, None)  # the same month again: nothing
    new, moved = breach(plans, SEP)
    assert new is None
    assert moved is not None
    assert (moved.id, moved.first_breach, moved.last_breach) == (1, AUG, SEP)
    # Another service level gets its own plan.
    other, _ = breach(plans, SEP, "Availability")
    assert other is not None


def test_a_closed_plan_covers_its_months_and_a_later_breach_opens_a_new_one() -> None:
    opened, _ = breach([], AUG)
    assert opened is not None
    closed = replace(opened, id=1, last_breach=SEP, state=PlanState.CLOSED)
    assert breach([closed], SEP) == (None, None)
    new, moved = breach([closed], OCT)
    assert moved is None
    assert new is not None
    assert new.first_breach == OCT


@pytest.mark.parametrize(
    ("owner", "days", "match"), [(" ", 30, "owner"), ("Ana", 0, "due_days"), ("Ana", 400, "due")]
)
def test_plan_terms_are_checked(owner: str, days: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        PlanTerms(owner, days)


def test_a_plan_opened_on_a_lasting_breach_starts_with_its_first_month() -> None:
    nov = date(2026, 11, 1)
    new, _ = plan_for_breach([], "Care", "FCR", nov, TERMS, NOW, since=AUG)
    assert new is not None
    assert (new.first_breach, new.last_breach) == (AUG, nov)
    # Months an earlier (closed) plan covered stay its own.
    closed = replace(new, id=1, last_breach=SEP, state=PlanState.CLOSED)
    later, _ = plan_for_breach([closed], "Care", "FCR", nov, TERMS, NOW, since=AUG)
    assert later is not None
    assert (later.first_breach, later.last_breach) == (OCT, nov)
