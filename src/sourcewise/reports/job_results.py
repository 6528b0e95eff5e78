"""What a background job hands back: the decision (or only the simulation) of the scenario in
its payload as the JSON documents the pages and the API show, or for a saved scenario version
the decision run recorded in the workspace (``run_saved_version``).

A decision's result holds ``decision`` (decide JSON) and ``simulation`` (simulate JSON or None),
a simulation's ``simulation``: the pages draw their charts from these documents alone. Workers
(``services.job_worker``) take ``perform`` from whoever starts them: the web app or the CLI.
"""

from __future__ import annotations

from typing import Any

from sourcewise.domain.scenario import Scenario
from sourcewise.reports.decision_json import decision_to_dict
from sourcewise.reports.run_result import run_result
from sourcewise.reports.simulation_json import simulation_to_dict
from sourcewise.services.decide import decide_scenario
from sourcewise.services.decision_runs import run_saved
from sourcewise.services.executors import Executor
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.job_work import (
    Outcome,
    Progress,
    SavedRunner,
    Work,
    job_total,
)
from sourcewise.services.scenarios import parse_scenario_text
from sourcewise.services.simulate import simulate
from sourcewise.workspace.jobs import Job, JobKind, JobPayload
from sourcewise.workspace.records import DecisionRun


def scenario_work(
    scenario: Scenario,
    kind: JobKind | str,
    draws: int,
    seed: int,
    executor: Executor | str | None = None,
) -> tuple[int, Work]:
    """Progress units and the work of deciding (or only simulating) ``scenario``."""
    total = job_total(scenario, kind, draws)
    if kind == JobKind.SIMULATION:

        def simulation_work(advance: Progress) -> dict[str, Any]:
            simulation = simulate(scenario, draws, seed, progress=advance, executor=executor)
            return {"simulation": simulation_to_dict(simulation)}

        return total, simulation_work

    def work(advance: Progress) -> dict[str, Any]:
        decision = decide_scenario(
            scenario, draws=draws, seed=seed, progress=advance, executor=executor or "local"
        )
        simulation = decision.simulation
        return {
            "decision": decision_to_dict(decision),
            "simulation": None if simulation is None else simulation_to_dict(simulation),
        }

    return total, work


def run_saved_version(
    make_uow: UowFactory,
    name: str,
    version: int,
    *,
    draws: int,
    seed: int,
    progress: Progress,
    actor: str,
) -> DecisionRun:
    """Decide a saved scenario version and record the run, on behalf of ``actor`` (who was
    allowed to when the job was submitted)."""
    return run_saved(
        make_uow,
        name,
        version,
        render=run_result,
        draws=draws,
        seed=seed,
        progress=progress,
        actor=actor,
    )


def perform(
    job: Job,
    progress: Progress,
    *,
    make_uow: UowFactory,
    executor: Executor | str | None = None,
    run_saved: SavedRunner = run_saved_version,
) -> Outcome:
    """Compute ``job``: its result, and the decision run recorded for a saved version."""
    payload = JobPayload.from_json(job.payload)
    if payload.saved_scenario is not None and payload.saved_version is not None:
        if job.kind != JobKind.DECISION:
            raise ValueError("a saved scenario version is run as a decision")
        run = run_saved(
            make_uow,
            payload.saved_scenario,
            payload.saved_version,
            draws=payload.draws,
            seed=payload.seed,
            progress=progress,
            actor=job.owner,
        )
        # The run is the durable record; the job only points to it.
        return Outcome({"run_id": run.id}, run.id)
    scenario = parse_scenario_text(payload.text, payload.name)
    _, work = scenario_work(scenario, job.kind, payload.draws, payload.seed, executor)
    return Outcome(work(progress))
