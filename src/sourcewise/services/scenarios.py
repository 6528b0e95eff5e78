"""Load and validate scenario files."""

from __future__ import annotations

from pathlib import Path

from sourcewise.adapters.scenario_file import load_scenario_file
from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.scenario import Scenario


def check_scenario(path: Path) -> list[Problem]:
    """Every problem in the file; empty when it is valid."""
    return load_scenario_file(path)[1]


def load_scenario(path: Path) -> Scenario:
    """The scenario in ``path``; raises ``InputError`` with every problem otherwise."""
    scenario, problems = load_scenario_file(path)
    if scenario is None:
        raise InputError(problems)
    return scenario
