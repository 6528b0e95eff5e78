"""Saved scenarios and decision runs for the web tests of the workspace: a hostile scenario name,
two versions that differ in one uncertain input (and its source), and runs of them made
through the services as the analyst."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from fastapi.testclient import TestClient
from tests_web_helpers import SCENARIO_TEXT

from sourcewise.reports.run_result import run_result
from sourcewise.security.users import Principal, Role, User
from sourcewise.services.decision_runs import run_saved
from sourcewise.services.scenario_library import save_scenario
from sourcewise.storage.memory import MemoryUnitOfWork
from sourcewise.workspace.records import DecisionRun

NAME = 'Plant <script>alert("x")</script> & Co'
"""A scenario name a page must escape."""
RAW = "<script>alert("
"""What an unescaped name would put in a page."""
ANALYST = Principal("analyst", Role.ANALYST)
CFO = Principal("cfo", Role.VIEWER, approver=True)
QUOTED = 'mode: 244.12, high: 265, source: "assumption around the 244.12 quote"'
REQUOTED = 'mode: 252, high: 265, source: "re-quoted by the supplier in May"'
VERSION_2 = SCENARIO_TEXT.replace(QUOTED, REQUOTED)
assert VERSION_2 != SCENARIO_TEXT
DRAWS = 60


def grant_approver(store: MemoryUnitOfWork, user: User) -> None:
    """Make ``user`` an approver of business cases (a grant on top of their role)."""
    with store:
        store.accounts.update_user(replace(user, approver=True))
        store.commit()


def save(store: MemoryUnitOfWork, text: str = SCENARIO_TEXT, name: str = NAME) -> int:
    """Save ``text`` as the next version of ``name`` (as the analyst); its number."""
    return save_scenario(lambda: store, text, name, "", ANALYST).version.version


def run(
    store: MemoryUnitOfWork, version: int = 1, draws: int = DRAWS, name: str = NAME
) -> DecisionRun:
    """A kept run of ``version``, asked for by the analyst."""
    return run_saved(
        lambda: store, name, version, render=run_result, draws=draws, seed=3, principal=ANALYST
    )


def wait_for(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what} did not happen in {seconds} s"
        time.sleep(0.05)


def follow_job(client: TestClient, location: str) -> str:
    """Poll a run's progress page until it sends the browser on; where it goes."""
    found: list[str] = []

    def moved() -> bool:
        answer = client.get(location)
        assert answer.status_code in (200, 303), answer.text[:500]
        if answer.status_code == 303:
            found.append(answer.headers["location"])
        return bool(found)

    wait_for(moved, "the run")
    return found[0]
