"""The public Python API: what the CLI, the web app and reports build on.

    from sourcewise.api import load_scenario, decide, decision_to_dict
    decision = decide(load_scenario("examples/us-customer-service.yaml"))

Everything else in the package is internal and may change between releases.
"""

from __future__ import annotations

from pathlib import Path

from sourcewise.domain.arrangement import (
    Arrangement,
    Classification,
    Employer,
    SiteFacts,
    classify,
    classify_split,
)
from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.scenario import Scenario
from sourcewise.reports.decision_json import decision_to_dict
from sourcewise.services import scenarios
from sourcewise.services.decide import Decision, decide_scenario
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED

__all__ = [
    "Arrangement",
    "Classification",
    "Decision",
    "Employer",
    "InputError",
    "Problem",
    "Scenario",
    "SiteFacts",
    "check_scenario",
    "classify",
    "classify_split",
    "decide",
    "decision_to_dict",
    "load_scenario",
]


def load_scenario(path: str | Path) -> Scenario:
    """The scenario in ``path``; raises ``InputError`` carrying every problem found."""
    return scenarios.load_scenario(Path(path))


def check_scenario(path: str | Path) -> list[Problem]:
    """Every problem in a scenario file; empty when it is valid."""
    return scenarios.check_scenario(Path(path))


def decide(scenario: Scenario, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> Decision:
    """Simulate ``draws`` draws (none when 0), classify, cost and assess every option of every
    function, and recommend one each, with the multi-criteria cross-check: the same decision as
    ``sourcewise decide`` for the same file, draws and seed."""
    return decide_scenario(scenario, draws=draws, seed=seed)
