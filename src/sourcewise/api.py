"""The public Python API: what a script or a notebook builds on.

    from sourcewise import api
    scenario = api.load_scenario("examples/us-customer-service.yaml")
    result = api.decide(scenario, draws=2_000, seed=7)
    result.to_frame()          # one row per option (pandas: pip install 'sourcewise[notebook]')
    result.decision            # the typed record behind it

``decide``, ``simulate``, ``optimise``, ``rank_matrix``, ``rank_locations`` and
``assess_location`` return results that show as a table in Jupyter and give a tidy pandas
DataFrame with ``to_frame()``; docs/notebook.md is a worked example. Everything else in the
package is internal and may change between releases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sourcewise.domain.arrangement import (
    Arrangement,
    Classification,
    Employer,
    SiteFacts,
    classify,
    classify_split,
)
from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.scenario import FunctionKind, Scenario
from sourcewise.reports.decision_json import decision_to_dict as _decision_to_dict
from sourcewise.reports.notebook import (
    DecisionResult,
    LocationResult,
    LocationTable,
    PlanResult,
    RankingResult,
    SimulationResult,
)
from sourcewise.services import locations, matrix_ranking, scenarios
from sourcewise.services.decide import Decision, decide_scenario
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.executors import Executor
from sourcewise.services.optimise import plan_portfolio
from sourcewise.services.simulate import simulate as _simulate

__all__ = [
    "Arrangement",
    "Classification",
    "Decision",
    "DecisionResult",
    "Employer",
    "InputError",
    "LocationResult",
    "LocationTable",
    "PlanResult",
    "Problem",
    "RankingResult",
    "Scenario",
    "SimulationResult",
    "SiteFacts",
    "assess_location",
    "check_scenario",
    "classify",
    "classify_split",
    "decide",
    "decision_to_dict",
    "load_scenario",
    "optimise",
    "rank_locations",
    "rank_matrix",
    "simulate",
]

Progress = Callable[[int], None]
"""Called with units of work done as a run goes (draws, then functions decided)."""


def load_scenario(path: str | Path) -> Scenario:
    """The scenario in ``path``; raises ``InputError`` carrying every problem found."""
    return scenarios.load_scenario(Path(path))


def check_scenario(path: str | Path) -> list[Problem]:
    """Every problem in a scenario file; empty when it is valid."""
    return scenarios.check_scenario(Path(path))


def decide(
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    executor: Executor | str = "local",
    progress: Progress | None = None,
) -> DecisionResult:
    """Simulate ``draws`` draws (none when 0), classify, cost and assess every option of every
    function, and recommend one each, with the multi-criteria cross-check: the same decision as
    ``sourcewise decide`` for the same file, draws and seed (``.decision`` is the record).

    ``executor`` runs the simulation: ``local``, ``dask``, ``dask://HOST:PORT`` or an open one.
    """
    return DecisionResult(
        decide_scenario(scenario, draws=draws, seed=seed, executor=executor, progress=progress)
    )


def decision_to_dict(decision: Decision | DecisionResult) -> dict[str, Any]:
    """The decision as ``sourcewise decide --format json`` writes it (docs/decide-json.md)."""
    if isinstance(decision, DecisionResult):
        decision = decision.decision
    return _decision_to_dict(decision)


def simulate(
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    executor: Executor | str = "local",
    progress: Progress | None = None,
) -> SimulationResult:
    """Total cost of ownership under uncertainty, as ``sourcewise simulate`` gives it: NPV
    percentiles, probability of beating the status quo, break-even and hidden costs."""
    return SimulationResult(_simulate(scenario, draws, seed, progress=progress, executor=executor))


def optimise(
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    executor: Executor | str = "local",
    progress: Progress | None = None,
) -> PlanResult:
    """One option per function, chosen together to minimise risk-adjusted cost under the
    scenario's portfolio rules, as ``sourcewise optimise`` does (``draws`` must be at least 1)."""
    if draws < 1:
        raise ValueError("optimise needs simulated costs: draws must be at least 1")
    decision = decide_scenario(
        scenario,
        draws=draws,
        seed=seed,
        executor=executor,
        progress=progress,
        cross_check=False,
    )
    return PlanResult(plan_portfolio(decision), scenario.company.currency)


def rank_matrix(
    path: str | Path,
    *,
    method: str = "topsis",
    weights: str | Sequence[float] = "entropy",
    directions: Sequence[float] | None = None,
    discordance_scale: str | None = None,
) -> RankingResult:
    """Rank the alternatives (rows) of a CSV or XLSX decision matrix, as ``sourcewise rank``.

    ``method`` is wsm, wpm, topsis, vikor, promethee or electre; ``weights`` one importance per
    criterion (scaled to sum to 1) or entropy, critic or merec to derive them from the matrix;
    ``directions`` +1 (more is better, the default) or -1 (less is better) per criterion.
    Raises ``InputError`` with every problem in the file or the arguments.
    """
    matrix = matrix_ranking.read_matrix_file(Path(path))
    ranked = matrix_ranking.rank_matrix(
        matrix,
        method=method,
        weights=weights,
        directions=directions,
        discordance_scale=discordance_scale,
        source=str(path),
    )
    return RankingResult(ranked)


def _location_query(
    home: str,
    kind: str,
    languages: Sequence[str],
    overlap_hours: float,
    sensitive_data: bool,
    follows_home_hours: bool,
    year: int | None,
) -> locations.LocationQuery:
    try:
        function_kind = FunctionKind(kind.replace("-", "_"))
    except ValueError:
        kinds = ", ".join(k.value for k in FunctionKind)
        problem = Problem("<arguments>", None, "kind", f"unknown kind '{kind}' ({kinds})")
        raise InputError([problem]) from None
    query = locations.LocationQuery(
        home=home.upper(),
        kind=function_kind,
        sensitive_data=sensitive_data,
        languages=tuple(code.strip().lower() for code in languages if code.strip()),
        overlap_hours_needed=overlap_hours,
        follows_home_clock=follows_home_hours,
    )
    return query if year is None else replace(query, year=year)


def rank_locations(
    home: str,
    *,
    kind: str = "other",
    languages: Sequence[str] = (),
    overlap_hours: float = 2.0,
    sensitive_data: bool = False,
    follows_home_hours: bool = False,
    year: int | None = None,
    top: int | None = None,
) -> LocationTable:
    """Every country as a place to do ``kind`` of work for ``home``, best score first, as
    ``sourcewise locations rank``; ``year`` (default: this one) sets overlap and holidays."""
    query = _location_query(
        home, kind, languages, overlap_hours, sensitive_data, follows_home_hours, year
    )
    found = locations.rank(locations.LocationData.packaged(), query, top)
    return LocationTable(tuple(found), query)


def assess_location(
    country: str,
    *,
    home: str,
    kind: str = "other",
    languages: Sequence[str] = (),
    overlap_hours: float = 2.0,
    sensitive_data: bool = False,
    follows_home_hours: bool = False,
    year: int | None = None,
) -> LocationResult:
    """Every fact about ``country`` against ``home``, as ``sourcewise locations show``."""
    query = _location_query(
        home, kind, languages, overlap_hours, sensitive_data, follows_home_hours, year
    )
    return LocationResult(locations.assess(locations.LocationData.packaged(), country, query))
