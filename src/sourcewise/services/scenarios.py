"""Load and validate scenarios: from a file, or from text and bytes the web app received."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sourcewise.adapters import scenario_file, scenario_sources
from sourcewise.adapters.scenario_schema import ScenarioModel as ScenarioModel
from sourcewise.adapters.scenario_schema import json_schema
from sourcewise.adapters.yaml_source import MAX_FILE_BYTES as MAX_FILE_BYTES
from sourcewise.adapters.yaml_source import decode_utf8, parse_yaml, read_text, read_yaml
from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.provenance import ScenarioSources
from sourcewise.domain.scenario import Scenario


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario file (``sourcewise schema``)."""
    return json_schema()


def check_scenario(path: Path) -> list[Problem]:
    """Every problem in the file; empty when it is valid."""
    return scenario_file.load_scenario_file(path)[1]


def load_scenario(path: Path) -> Scenario:
    """The scenario in ``path``; raises ``InputError`` with every problem otherwise."""
    scenario, problems = scenario_file.load_scenario_file(path)
    if scenario is None:
        raise InputError(problems)
    return scenario


def read_scenario_text(text: str, name: str) -> tuple[Scenario | None, list[Problem]]:
    """The scenario written in ``text`` (named ``name`` in problems), or every problem in it."""
    return scenario_file.load_scenario_text(text, name)


def parse_scenario_text(text: str, name: str) -> Scenario:
    """The scenario written in ``text``; raises ``InputError`` with every problem otherwise."""
    scenario, problems = scenario_file.load_scenario_text(text, name)
    if scenario is None:
        raise InputError(problems)
    return scenario


def decode_scenario(raw: bytes, name: str) -> str | Problem:
    """The text of an uploaded scenario, or the problem saying where its first byte that is not
    UTF-8 is (line, column, byte offset)."""
    return decode_utf8(raw, name)


def load_scenario_with_sources(path: Path) -> tuple[Scenario, ScenarioSources]:
    """The scenario in ``path`` and where its file gives each value (as ``sources_of``), from
    one read of the file; raises ``InputError`` with every problem otherwise."""
    document = read_yaml(path)
    scenario, problems = scenario_file.from_document(document)
    if scenario is None:
        raise InputError(problems)
    labels = [u.ref.label for u in scenario.uncertain]
    return scenario, scenario_sources.scenario_sources(document, labels)


def sources_of(path: Path, scenario: Scenario) -> ScenarioSources:
    """Where the file at ``path`` gives each uncertain input of ``scenario`` (its ``source``
    and line), and which of the tool's defaults it leaves in place."""
    labels = [u.ref.label for u in scenario.uncertain]
    return scenario_sources.scenario_sources(read_yaml(path), labels)


def scenario_file_text(path: Path) -> str:
    """The text of a scenario file exactly as written, to save as a version (the comments and
    sources kept); ``InputError`` when it cannot be read (missing, too large, not UTF-8)."""
    text = read_text(path)
    if isinstance(text, Problem):
        raise InputError([text])
    return text


def sources_of_text(text: str, name: str, scenario: Scenario) -> ScenarioSources:
    """As ``sources_of``, for a scenario's text (a saved version) named ``name``."""
    labels = [u.ref.label for u in scenario.uncertain]
    return scenario_sources.scenario_sources(parse_yaml(text, name), labels)
