"""The provenance of a scenario's values (``domain.provenance``), read from its file as parsed
with line numbers: each uncertain input's ``source`` and line, and the defaults left in place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sourcewise.adapters.yaml_source import SourceDocument
from sourcewise.domain.problems import parse_path
from sourcewise.domain.provenance import InputSource, ScenarioSources


def _at(data: Any, path: Sequence[str | int]) -> tuple[bool, Any]:
    node = data
    for step in path:
        listed = isinstance(step, int) and isinstance(node, list) and step < len(node)
        keyed = isinstance(step, str) and isinstance(node, dict) and step in node
        if not (listed or keyed):
            return False, None
        node = node[step]
    return True, node


def _options(data: Any) -> list[dict[str, Any]]:
    """Every option mapping of the file."""
    out: list[dict[str, Any]] = []
    functions = data.get("functions") if isinstance(data, dict) else None
    for function in functions if isinstance(functions, list) else []:
        options = function.get("options") if isinstance(function, dict) else None
        out.extend(o for o in (options if isinstance(options, list) else []) if isinstance(o, dict))
    return out


def _sites(data: Any) -> list[dict[str, Any]]:
    """Every site mapping of the file: single-site options and the parts of split ones."""
    out: list[dict[str, Any]] = []
    for option in _options(data):
        parts = option.get("parts")
        if isinstance(parts, list):
            out.extend(p for p in parts if isinstance(p, dict))
        else:
            out.append(option)
    return out


def scenario_sources(document: SourceDocument, labels: Iterable[str]) -> ScenarioSources:
    """Where the file ``document`` gives each input of ``labels``, and the defaults it leaves."""
    inputs = {}
    for label in labels:
        path = parse_path(label)
        found, node = _at(document.data, path)
        if found:
            given = node.get("source") if isinstance(node, dict) else None
            source = given.strip() if isinstance(given, str) and given.strip() else None
            inputs[label] = InputSource(document.line_of(path), source)
    data = document.data if isinstance(document.data, dict) else {}
    company = data.get("company")
    company = company if isinstance(company, dict) else {}
    sites = _sites(data)
    defaulted = {name for name in ("discount_rate", "horizon_years") if name not in company}
    if "wage_inflation" not in company:
        defaulted.add("wage_inflation")
    defaulted |= {
        name
        for name in ("billable_hours_per_fte", "governance_overhead", "wage_inflation")
        if any(name not in site for site in sites)
    }
    if any("parallel_running_share" not in option for option in _options(data)):
        defaulted.add("parallel_running_share")
    return ScenarioSources(document.file, inputs, frozenset(defaulted))
