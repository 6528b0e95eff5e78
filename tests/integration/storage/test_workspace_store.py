"""The workspace on every store (memory, SQLite, PostgreSQL): versions, runs with their
complete result, reviews and the engagement's case round-trip unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance_factories import PROVIDER, engagement
from sourcewise.reports.run_result import run_result
from sourcewise.security.users import Principal, Role, User
from sourcewise.services.approvals import approve_run, propose_run
from sourcewise.services.decision_runs import get_run, list_runs, run_saved
from sourcewise.services.engagement_cases import case_of, link_engagement
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.scenario_library import list_scenarios, save_scenario, share_scenario
from sourcewise.storage.repositories import DuplicateError
from sourcewise.workspace.records import RunStatus, SavedScenario, Visibility

EXAMPLE = Path(__file__).parents[3] / "examples" / "us-customer-service.yaml"
CFO = Principal("cfo", Role.VIEWER, approver=True)


def test_the_lifecycle_round_trips(make_uow: UowFactory) -> None:
    with make_uow() as uow:
        uow.engagements.add_provider(PROVIDER)
        uow.engagements.add(engagement())
        uow.accounts.add_user(User("cfo", Role.VIEWER, "x", approver=True))
        uow.commit()
        assert uow.accounts.user("cfo").approver  # type: ignore[union-attr]
    text = EXAMPLE.read_text("utf-8") + "# a comment kept as written: ünïcode ✓\n"
    saved = save_scenario(make_uow, text, "US CS", "first")
    assert saved.version.text == text
    run = run_saved(make_uow, "US CS", render=run_result, draws=100, seed=3)
    stored = get_run(make_uow, run.id)
    assert stored.result == run_result_of(text)
    assert stored.seed == 3
    assert list_runs(make_uow)[0].result == {}
    propose_run(make_uow, run.id, "please")
    approve_run(make_uow, run.id, "go", CFO)
    reviewed = get_run(make_uow, run.id)
    assert reviewed.status is RunStatus.APPROVED
    assert reviewed.review.proposal_note == "please"
    assert reviewed.review.reviewed_by == "cfo"
    link_engagement(make_uow, "Customer care", run.id)
    found = case_of(make_uow, "Customer care")
    assert found is not None
    assert found.run.status is RunStatus.APPROVED
    share_scenario(make_uow, "US CS", Visibility.PRIVATE)
    assert list_scenarios(make_uow)[0].visibility is Visibility.PRIVATE
    with make_uow() as uow, pytest.raises(DuplicateError):
        uow.workspace.add_scenario(SavedScenario("US CS", "x", Visibility.TEAM, datetime.now(UTC)))


def run_result_of(text: str) -> dict[str, object]:
    from sourcewise.services.decide import decide_scenario
    from sourcewise.services.scenarios import parse_scenario_text

    return run_result(decide_scenario(parse_scenario_text(text, "US CS v1"), draws=100, seed=3))
