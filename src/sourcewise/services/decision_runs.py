"""Decision runs as records: each keeps the scenario version it decided, its draws and seed,
the software and data versions, and the complete result, so that it can be shown, compared,
approved and reproduced later.

The result is the decide document (and the simulation document) that the caller renders with
``reports.run_result.run_result``: documents are the reports' to write, and a run stores what
they wrote, byte for byte, with its SHA-256 to show it was not altered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sourcewise import __version__
from sourcewise.data.fingerprint import data_version
from sourcewise.domain.provenance import ScenarioSources
from sourcewise.security.users import Principal
from sourcewise.services.decide import Decision, decide_scenario, progress_total
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.executors import Executor
from sourcewise.services.governance_store import UowFactory, current_actor, log_change
from sourcewise.services.scenario_library import (
    ScenarioAccessError,
    may_see,
    visible_scenario,
    visible_version,
)
from sourcewise.services.scenarios import parse_scenario_text, sources_of_text
from sourcewise.storage.unit_of_work import UnitOfWork
from sourcewise.workspace.records import DecisionRun, ScenarioVersion

Render = Callable[[Decision], dict[str, Any]]
"""Turns a decision into the stored result (``reports.run_result.run_result``)."""


def result_digest(result: Mapping[str, Any]) -> str:
    """SHA-256 of the result as canonical JSON (sorted keys, no spaces); NaN is refused, as
    PostgreSQL's JSON type refuses it too."""
    canonical = json.dumps(result, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _actor(principal: Principal | None) -> str:
    return principal.username if principal is not None else current_actor()


def decide_version(
    version: ScenarioVersion,
    *,
    draws: int,
    seed: int,
    executor: Executor | str = "local",
    progress: Callable[[int], None] | None = None,
) -> Decision:
    """The decision of a stored version's text, as ``decide`` would make it from the file."""
    scenario = parse_scenario_text(version.text, version.label)
    return decide_scenario(scenario, draws=draws, seed=seed, executor=executor, progress=progress)


def work_of(version: ScenarioVersion, draws: int) -> int:
    """The units of work deciding ``version`` with ``draws`` reports to ``progress`` (for a
    progress bar's total)."""
    return progress_total(parse_scenario_text(version.text, version.label), draws)


def run_saved(
    make_uow: UowFactory,
    name: str,
    version: int | None = None,
    *,
    render: Render,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    executor: Executor | str = "local",
    progress: Callable[[int], None] | None = None,
    principal: Principal | None = None,
    actor: str | None = None,
) -> DecisionRun:
    """Decide version ``version`` (the latest when None) of saved scenario ``name`` and keep
    the run. ``actor`` names who asked when a worker runs it on their behalf."""
    with make_uow() as uow:
        stored = visible_version(uow, name, version, principal)
    if principal is not None and not principal.can_run:
        raise ScenarioAccessError(f"{principal.username} may not run decisions")
    decision = decide_version(stored, draws=draws, seed=seed, executor=executor, progress=progress)
    return record_run(
        make_uow,
        stored,
        draws=draws,
        seed=seed,
        result=render(decision),
        actor=actor or _actor(principal),
    )


def record_run(
    make_uow: UowFactory,
    version: ScenarioVersion,
    *,
    draws: int,
    seed: int,
    result: dict[str, Any],
    actor: str,
) -> DecisionRun:
    """Store a computed run of ``version`` as a draft."""
    now = datetime.now(UTC)
    run = DecisionRun(
        id=0,
        scenario=version.scenario,
        version=version.version,
        created_at=now,
        actor=actor,
        draws=draws,
        seed=seed,
        software_version=__version__,
        data_version=data_version(),
        result=result,
        result_digest=result_digest(result),
    )
    with make_uow() as uow:
        ident = uow.workspace.add_run(run)
        log_change(
            uow,
            "decision_run",
            str(ident),
            None,
            {
                "scenario": version.label,
                "draws": draws,
                "seed": seed,
                "software_version": run.software_version,
                "data_version": run.data_version,
                "result_digest": run.result_digest,
            },
            actor=actor,
            at=now,
        )
        uow.commit()
        stored = uow.workspace.run(ident)
    assert stored is not None
    return stored


def visible_run(uow: UnitOfWork, run_id: int, principal: Principal | None) -> DecisionRun:
    """Run ``run_id`` if ``principal`` may see its scenario; not-found otherwise."""
    found = uow.workspace.run(run_id)
    if found is not None:
        scenario = uow.workspace.scenario(found.scenario)
        if scenario is not None and may_see(principal, scenario):
            return found
    raise LookupError(f"no decision run {run_id}; `sourcewise run list` shows them")


def get_run(make_uow: UowFactory, run_id: int, principal: Principal | None = None) -> DecisionRun:
    with make_uow() as uow:
        return visible_run(uow, run_id, principal)


def run_version(
    make_uow: UowFactory, run: DecisionRun, principal: Principal | None = None
) -> ScenarioVersion:
    """The scenario version a run decided."""
    with make_uow() as uow:
        return visible_version(uow, run.scenario, run.version, principal)


def list_runs(
    make_uow: UowFactory, scenario: str | None = None, principal: Principal | None = None
) -> list[DecisionRun]:
    """Newest first, without their results."""
    with make_uow() as uow:
        if scenario is not None:
            visible_scenario(uow, scenario, principal)
        seen = {s.name for s in uow.workspace.scenarios() if may_see(principal, s)}
        return [r for r in uow.workspace.runs(scenario) if r.scenario in seen]


@dataclass(frozen=True, slots=True)
class Reproduction:
    run: DecisionRun
    digest: str
    """The digest of the result computed again now."""
    same_software: bool
    same_data: bool

    @property
    def identical(self) -> bool:
        return self.digest == self.run.result_digest


@dataclass(frozen=True, slots=True)
class Recomputed:
    """A run decided again: how it compares with the stored result, the decision itself and
    where the version's text gives each input (for the documents that need more than the
    stored result: the board business case, the Excel workbook) and the version it decided."""

    reproduction: Reproduction
    decision: Decision
    version: ScenarioVersion
    sources: ScenarioSources

    @property
    def run(self) -> DecisionRun:
        return self.reproduction.run

    @property
    def digest(self) -> str:
        """The digest of the result rendered from ``decision``."""
        return self.reproduction.digest

    @property
    def identical(self) -> bool:
        """The decision made again is the one stored: the documents show the approved run."""
        return self.reproduction.identical


def recompute_run(
    make_uow: UowFactory,
    run_id: int,
    *,
    render: Render,
    executor: Executor | str = "local",
    progress: Callable[[int], None] | None = None,
    principal: Principal | None = None,
) -> Recomputed:
    """Decide a run's scenario version again with its draws and seed, and compare the result
    with the stored one (nothing is stored)."""
    with make_uow() as uow:
        run = visible_run(uow, run_id, principal)
        version = visible_version(uow, run.scenario, run.version, principal)
    scenario = parse_scenario_text(version.text, version.label)
    decision = decide_scenario(
        scenario, draws=run.draws, seed=run.seed, executor=executor, progress=progress
    )
    sources = sources_of_text(version.text, version.label, scenario)
    reproduction = Reproduction(
        run,
        result_digest(render(decision)),
        run.software_version == __version__,
        run.data_version == data_version(),
    )
    return Recomputed(reproduction, decision, version, sources)


def reproduce_run(
    make_uow: UowFactory,
    run_id: int,
    *,
    render: Render,
    executor: Executor | str = "local",
    progress: Callable[[int], None] | None = None,
    principal: Principal | None = None,
) -> Reproduction:
    """Whether deciding a run's version again gives the stored result (``recompute_run``)."""
    return recompute_run(
        make_uow, run_id, render=render, executor=executor, progress=progress, principal=principal
    ).reproduction
