"""A background job as the API shows it (``POST /api/v1/jobs``, ``POST /api/v1/runs``,
``GET /api/v1/jobs/{id}``): its status and progress, then the decide (or simulate) document the
CLI prints for the same scenario, or for a saved scenario's run the kept run's id and URL."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field

from sourcewise.reports.decision_document import DecisionDocument
from sourcewise.reports.simulation_document import SimulationDocument
from sourcewise.workspace.jobs import Job as StoredJob

JOB_LOCATION: dict[str, Any] = {
    "Location": {"description": "The job's URL to poll.", "schema": {"type": "string"}}
}
"""The header of a 202 that started a job, for the OpenAPI document."""


class Job(BaseModel):
    """A decision or simulation computed in the background; poll ``url`` until ``status`` is
    ``done`` or ``failed``. Jobs are kept for 30 minutes after they finish."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="The job's identifier.")
    kind: Literal["decision", "simulation"] = Field(description="What the job computes.")
    label: str = Field(description="The scenario's company, the kind and the draws, in words.")
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="Where the job is: queued, running, done or failed."
    )
    progress: float = Field(
        ge=0, le=1, description="Share of the work done, a fraction from 0 to 1 (4 decimals)."
    )
    url: str = Field(description="Absolute URL of this job: poll it.")
    error: str | None = Field(description="Why the job failed; null unless it failed.")
    result: DecisionDocument | SimulationDocument | None = Field(
        description=(
            "Once done: the decide document (docs/decide-json.md) for a decision, the simulate "
            "document (docs/simulate.md) for a simulation; null before, on failure, and for a "
            "saved scenario's run (whose result is at `run_url`)."
        )
    )
    run_id: int | None = Field(
        description="The decision run kept by a saved scenario's run, once done; else null."
    )
    run_url: str | None = Field(description="Absolute URL of that run; null without one.")


def job_resource(job: StoredJob, request: Request) -> Job:
    """``job`` as the API shows it, with absolute URLs of itself and of the run it kept."""
    found = None if job.result is None else job.result.get(job.kind)
    result: DecisionDocument | SimulationDocument | None = None
    if found is not None:
        document = DecisionDocument if job.kind == "decision" else SimulationDocument
        result = document.model_validate(found)
    run_id = job.run_id
    return Job(
        id=job.id,
        kind=job.kind.value,
        label=job.label,
        status=job.status.value,
        progress=round(job.progress, 4),
        url=str(request.url_for("get_job", job_id=job.id)),
        error=job.error,
        result=result,
        run_id=run_id,
        run_url=None if run_id is None else str(request.url_for("get_run", run_id=run_id)),
    )
