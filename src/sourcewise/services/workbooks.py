"""Scenarios as Excel workbooks: the empty template, a workbook as scenario YAML, and a scenario
YAML file as a workbook in the template's layout (``sourcewise scenario template|import|export``).

Problems come back together in one ``InputError``; a workbook's name its sheet!cell and field.
"""

from __future__ import annotations

from pathlib import Path

from sourcewise.adapters.scenario_file import from_document
from sourcewise.adapters.scenario_schema import ScenarioModel
from sourcewise.adapters.scenario_workbook_read import load_workbook_scenario, scenario_yaml
from sourcewise.adapters.scenario_workbook_write import scenario_bytes, template_bytes
from sourcewise.adapters.yaml_source import read_yaml
from sourcewise.domain.problems import InputError


def workbook_template() -> bytes:
    """An empty scenario workbook: a comment on each column, drop-downs and checks."""
    return template_bytes()


def workbook_as_yaml(path: Path) -> str:
    """The scenario workbook at ``path`` as scenario YAML, once it is valid."""
    model, problems = load_workbook_scenario(path)
    if model is None:
        raise InputError(problems)
    return scenario_yaml(model, str(path))


def scenario_as_workbook(path: Path) -> bytes:
    """The valid scenario YAML file at ``path`` as a filled workbook."""
    doc = read_yaml(path)
    _, problems = from_document(doc)
    if problems:
        raise InputError(problems)
    return scenario_bytes(ScenarioModel.model_validate(doc.data))
