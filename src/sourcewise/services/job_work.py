"""The shape of a background job's work: the progress callback, the outcome a worker stores,
how many units of work a job reports, and what running a saved scenario version returns.

The work itself renders JSON documents, so it lives with the reports (``reports.job_results``)
and is handed to the workers by whoever starts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sourcewise.domain.scenario import Scenario
from sourcewise.services.governance_store import UowFactory
from sourcewise.workspace.jobs import Job, JobKind

Progress = Callable[[int], None]
"""Called with the units of work done since the last call."""
Work = Callable[[Progress], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Outcome:
    result: dict[str, Any]
    run_id: int | None = None
    """The decision run recorded, for a saved scenario version."""


Perform = Callable[[Job, Progress], Outcome]
"""What a worker calls to compute a job (``reports.job_results.perform`` with its store)."""


class SavedRun(Protocol):
    """What the job keeps of a recorded decision run (``workspace.records.DecisionRun``)."""

    @property
    def id(self) -> int: ...
    @property
    def result(self) -> dict[str, Any]: ...


class SavedRunner(Protocol):
    def __call__(
        self,
        make_uow: UowFactory,
        name: str,
        version: int,
        *,
        draws: int,
        seed: int,
        progress: Progress,
        actor: str,
    ) -> SavedRun: ...


def job_total(scenario: Scenario, kind: JobKind | str, draws: int) -> int:
    """The units of work a job of ``kind`` reports to its progress callback."""
    from sourcewise.services.decide import progress_total

    if kind == JobKind.SIMULATION:
        return draws * len(scenario.functions)
    return progress_total(scenario, draws)
