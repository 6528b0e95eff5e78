"""The business case's assumptions table: every uncertain input with its distribution and the
source the scenario file gives for it, the country indicator overrides with theirs, and the
tool's defaults with their citations.

Sources come from the scenario file itself (the ``source`` of a distribution, and its line), as
``services.scenarios.sources_of`` reads them: the domain records keep only the distribution.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sourcewise.domain.arrangement import Arrangement
from sourcewise.domain.assumptions import (
    DEFAULT_BILLABLE_HOURS,
    DEFAULT_GOVERNANCE_OVERHEAD,
    DEFAULT_PARALLEL_RUNNING_SHARE,
    DEFAULT_WAGE_INFLATION,
    HIDDEN_COST_RANGES,
)
from sourcewise.domain.problems import parse_path
from sourcewise.domain.provenance import ScenarioSources
from sourcewise.domain.scenario import Scenario

OVERBY = 'S. Overby, "The hidden costs of offshore outsourcing", CIO Magazine, 2003'


OVERBY_SHORT = "range: Overby 2003; mode: a sourcewise assumption"


def _pct(x: float) -> str:
    return f"{100 * x:.2g}%"


def _range(key: str) -> str:
    low, mode, high = HIDDEN_COST_RANGES[key]
    return f"{_pct(low).rstrip('%')}–{_pct(high)}, mode {_pct(mode)}"


DEFAULT_CITATIONS: Mapping[str, str] = {
    "vendor_selection_share": (
        f"Tool default: vendor selection {_range('vendor_selection_share')} of the first "
        f"year's fees ({OVERBY_SHORT})"
    ),
    "transition_share": (
        f"Tool default: transition {_range('transition_share')} of the first year's fees, "
        f"spread over the transition months ({OVERBY_SHORT})"
    ),
    "layoff_retention_share": (
        f"Tool default: layoffs and retention {_range('layoff_retention_share')} of the first "
        f"year's run cost abroad, at cut-over, when no severance cost is given ({OVERBY_SHORT})"
    ),
    "coordination_loss": (
        f"Tool default: lost productivity and cultural issues {_range('coordination_loss')}, "
        f"5% nearshore or on home hours ({OVERBY_SHORT})"
    ),
    "rework_share": (
        f"Tool default: improving processes and rework {_range('rework_share')} ({OVERBY_SHORT})"
    ),
    "governance_overhead": (
        f"Tool default: managing the contract {_range('governance_overhead')} ({OVERBY_SHORT})"
    ),
}


@dataclass(frozen=True, slots=True)
class AssumptionRow:
    input: str
    value: str
    mean: float | None
    source: str
    given: bool
    """True when the scenario file gives the value; False for a tool default."""


@dataclass(frozen=True, slots=True)
class OverrideRow:
    country: str
    indicator: str
    value: float
    year: int
    source: str


@dataclass(frozen=True, slots=True)
class DefaultRow:
    name: str
    value: str
    citation: str
    used: bool


@dataclass(frozen=True, slots=True)
class Assumptions:
    uncertain: tuple[AssumptionRow, ...]
    overrides: tuple[OverrideRow, ...]
    defaults: tuple[DefaultRow, ...]
    file: str


def input_name(label: str, scenario: Scenario) -> str:
    """``functions[0].options[2].goods.unit_price`` -> ``Vietnamese firm: goods unit price``."""
    path = parse_path(label)
    if path[:1] == ("company",):
        return "Company: " + " ".join(str(p) for p in path[1:]).replace("_", " ")
    words: list[str] = []
    where = ""
    function = path[1] if len(path) > 1 and isinstance(path[1], int) else None
    rest = list(path[2:])
    if function is not None and function < len(scenario.functions):
        chosen = scenario.functions[function]
        where = chosen.profile.name if len(scenario.functions) > 1 else ""
        if rest[:1] == ["options"] and len(rest) > 1 and isinstance(rest[1], int):
            option = rest[1]
            if option < len(chosen.options):
                name = chosen.options[option].name
                where = f"{where} · {name}" if where else name
            rest = rest[2:]
        if rest[:1] == ["parts"] and len(rest) > 1 and isinstance(rest[1], int):
            where += f" (part {rest[1] + 1})"
            rest = rest[2:]
    words = [str(p).replace("_", " ") for p in rest]
    field = " ".join(words)
    return f"{where}: {field}" if where else field.capitalize()


def _source_of(sources: ScenarioSources | None, label: str) -> tuple[str, bool]:
    """Where an uncertain input comes from, and whether the file gives it."""
    field = label.rsplit(".", 1)[-1]
    if sources is None:
        return DEFAULT_CITATIONS.get(field, "scenario"), field not in DEFAULT_CITATIONS
    found = sources.inputs.get(label)
    if found is None:
        return DEFAULT_CITATIONS.get(field, "tool default"), False
    where = f"{sources.file}, line {found.line}" if found.line else sources.file
    if found.source:
        return f"{found.source} ({where})", True
    return f"{where} (no source given)", True


def _defaults(scenario: Scenario, sources: ScenarioSources | None) -> tuple[DefaultRow, ...]:
    # Without the file, the company's own settings count as defaults and the sites' as given.
    used = (
        sources.defaulted
        if sources is not None
        else {"discount_rate", "horizon_years", "wage_inflation"}
    )
    overhead = DEFAULT_GOVERNANCE_OVERHEAD
    overheads = ", ".join(
        f"{arrangement} {overhead[arrangement]:.0%}"
        for arrangement in (
            Arrangement.DOMESTIC_OUTSOURCING,
            Arrangement.CAPTIVE_OFFSHORING,
            Arrangement.OFFSHORE_OUTSOURCING,
        )
    )
    return (
        DefaultRow(
            "Discount rate",
            f"{scenario.company.discount_rate:.1%}",
            "default 8%, a typical cost of capital; give the company's WACC",
            "discount_rate" in used,
        ),
        DefaultRow(
            "Horizon",
            f"{scenario.company.horizon_years} years",
            "default 5 years, a usual contract term",
            "horizon_years" in used,
        ),
        DefaultRow(
            "Wage inflation",
            f"{DEFAULT_WAGE_INFLATION:.0%} a year",
            "default for the company and each site (a sourcewise assumption)",
            "wage_inflation" in used,
        ),
        DefaultRow(
            "Billable hours per FTE",
            f"{DEFAULT_BILLABLE_HOURS:,.0f} a year",
            "40 hours × 45 weeks: a full-time year net of leave and public holidays",
            "billable_hours_per_fte" in used,
        ),
        DefaultRow(
            "Parallel running",
            f"{DEFAULT_PARALLEL_RUNNING_SHARE:.0%} of the home team of each slice in hand-over",
            "practitioner accounts have the incumbent team doing nearly all of a wave's work "
            "until its cut-over (Overby 2003); give parallel_running_share when fewer stay",
            "parallel_running_share" in used,
        ),
        DefaultRow(
            "Governance overhead",
            overheads,
            "offshore outsourcing: midpoint of the 6–10% for managing the contract (Overby 2003); "
            "domestic outsourcing: that range's low end; captive offshoring: a sourcewise "
            "assumption",
            "governance_overhead" in used,
        ),
    )


def assumptions(scenario: Scenario, sources: ScenarioSources | None) -> Assumptions:
    rows = []
    for u in scenario.uncertain:
        source, given = _source_of(sources, u.ref.label)
        rows.append(
            AssumptionRow(
                input=input_name(u.ref.label, scenario),
                value=u.distribution.describe(),
                mean=float(u.distribution.mean),
                source=source,
                given=given,
            )
        )
    overrides = tuple(
        OverrideRow(o.country, o.indicator, o.value, o.year, o.source)
        for o in scenario.indicator_overrides
    )
    return Assumptions(
        tuple(rows),
        overrides,
        _defaults(scenario, sources),
        scenario.source if sources is None else sources.file,
    )
