"""REST API for scenarios: validate, decide, simulate (synchronously up to a cap, or as jobs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.scenario import Scenario
from sourcewise.reports.decision_document import DecisionDocument
from sourcewise.reports.job_results import scenario_work
from sourcewise.reports.simulation_document import SimulationDocument
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.job_work import job_total
from sourcewise.services.scenarios import decode_scenario, parse_scenario_text, read_scenario_text
from sourcewise.web.api.job_resource import JOB_LOCATION, Job, job_resource
from sourcewise.web.auth import User, require_internal, require_runner
from sourcewise.web.jobs import (
    MAX_JOB_DRAWS,
    JobPayload,
    queue_limits,
    registry_of,
)
from sourcewise.web.problems import ApiError, input_errors
from sourcewise.workspace.jobs import Job as StoredJob

router = APIRouter(prefix="/api/v1", tags=["scenarios"])

MAX_SYNC_DRAWS = 20_000
"""Draws a synchronous decision or simulation may ask for; more need a job."""
SCENARIO_NAME = "scenario.yaml"

YAML_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The scenario file: YAML as the body, or a multipart upload in `file`.",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}

Seed = Annotated[int, Query(ge=0, description="Random seed: the same seed, the same result.")]


async def scenario_text(request: Request) -> tuple[str, str]:
    """The YAML text of the request and its file name, from the body or a ``file`` upload."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        form = await request.form()
        try:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise ApiError(
                    422,
                    "Invalid request",
                    "upload the scenario in the field 'file'",
                    [{"field": "file", "message": "a file upload is required"}],
                )
            raw, name = await upload.read(), upload.filename or SCENARIO_NAME
        finally:
            await form.close()
    else:
        raw, name = await request.body(), SCENARIO_NAME
    text = decode_scenario(raw, name)
    if isinstance(text, Problem):
        raise InputError([text])
    return text, name


def parse(text: str, name: str) -> Scenario:
    """The scenario, or ``InputError`` (422) naming every problem with its line."""
    return parse_scenario_text(text, name)


def check_draws(draws: int, cap: int, hint: str = "") -> None:
    if draws > cap:
        raise ApiError(
            422,
            "Too many draws",
            f"at most {cap:,} draws here{hint}",
            [{"field": "draws", "message": f"must be at most {cap:,}"}],
        )


class ProblemEntry(BaseModel):
    """One problem in the scenario file, where it is and what is wrong."""

    file: str = Field(description="The file's name.")
    line: int | None = Field(description="Line number, from 1; null when no line applies.")
    field: str = Field(description="Path of the field at fault, e.g. functions[0].options[1].")
    message: str = Field(description="What is wrong, in one sentence.")


class ScenarioCheck(BaseModel):
    """Whether a scenario file is valid, with every problem at once."""

    valid: bool = Field(description="True when the file has no problem.")
    problems: list[ProblemEntry] = Field(description="Every problem, in file order.")


@router.post("/scenarios/validate", response_model=ScenarioCheck, openapi_extra=YAML_BODY)
async def validate_scenario(request: Request, principal: User) -> ScenarioCheck:
    """Check a scenario: ``valid`` and every problem with its line and field."""
    require_internal(principal)
    text, name = await scenario_text(request)
    _, problems = read_scenario_text(text, name)
    entries = [ProblemEntry.model_validate(e) for e in input_errors(problems)]
    return ScenarioCheck(valid=not problems, problems=entries)


@router.post(
    "/decisions", tags=["decisions"], response_model=DecisionDocument, openapi_extra=YAML_BODY
)
async def create_decision(
    request: Request,
    principal: User,
    draws: Annotated[int, Query(ge=0, description="Monte Carlo draws; 0: none.")] = DEFAULT_DRAWS,
    seed: Seed = DEFAULT_SEED,
) -> DecisionDocument:
    """Decide a scenario now (decide JSON, docs/decide-json.md); for many draws use ``/jobs``."""
    require_runner(principal)
    check_draws(draws, MAX_SYNC_DRAWS, "; POST /api/v1/jobs for more")
    scenario = parse(*await scenario_text(request))
    _, work = scenario_work(scenario, "decision", draws, seed)
    result = await run_in_threadpool(work, lambda _: None)
    return DecisionDocument.model_validate(result["decision"])


@router.post(
    "/simulations",
    tags=["simulations"],
    response_model=SimulationDocument,
    openapi_extra=YAML_BODY,
)
async def create_simulation(
    request: Request,
    principal: User,
    draws: Annotated[int, Query(ge=1, description="Monte Carlo draws.")] = DEFAULT_DRAWS,
    seed: Seed = DEFAULT_SEED,
) -> SimulationDocument:
    """Total cost of ownership under uncertainty (simulate JSON, docs/simulate.md)."""
    require_runner(principal)
    check_draws(draws, MAX_SYNC_DRAWS, "; POST /api/v1/jobs for more")
    scenario = parse(*await scenario_text(request))
    _, work = scenario_work(scenario, "simulation", draws, seed)
    result = await run_in_threadpool(work, lambda _: None)
    return SimulationDocument.model_validate(result["simulation"])


@router.post(
    "/jobs",
    tags=["jobs"],
    status_code=202,
    response_model=Job,
    responses={202: {"headers": JOB_LOCATION}},
    openapi_extra=YAML_BODY,
)
async def create_job(
    request: Request,
    response: Response,
    principal: User,
    kind: Annotated[Literal["decision", "simulation"], Query()] = "decision",
    draws: Annotated[int, Query(ge=0, description="Monte Carlo draws.")] = DEFAULT_DRAWS,
    seed: Seed = DEFAULT_SEED,
) -> Job:
    """Decide or simulate in the background: 202 with the job's URL to poll."""
    require_runner(principal)
    check_draws(draws, MAX_JOB_DRAWS)
    if kind == "simulation" and draws < 1:
        raise ApiError(
            422,
            "Invalid request",
            "a simulation needs draws",
            [{"field": "draws", "message": "must be at least 1"}],
        )
    text, name = await scenario_text(request)
    scenario = parse(text, name)
    job = await run_in_threadpool(
        submit, request, principal.username, scenario, kind, draws, seed, text, name
    )
    body = job_resource(job, request)
    response.headers["Location"] = body.url
    return body


def submit(
    request: Request,
    owner: str,
    scenario: Scenario,
    kind: Literal["decision", "simulation"],
    draws: int,
    seed: int,
    text: str,
    name: str,
) -> StoredJob:
    """Queue the job of deciding (or simulating) ``scenario``, written as ``text`` in ``name``;
    429 when the queue or the user's quota is full."""
    total = job_total(scenario, kind, draws)
    label = f"{scenario.company.name}: {kind}, {draws:,} draws"
    payload = JobPayload(text, name, draws, seed)
    with queue_limits():
        return registry_of(request.app).submit(owner, kind, label, total, payload)


@router.get("/jobs/{job_id}", tags=["jobs"], name="get_job", response_model=Job)
def get_job(request: Request, principal: User, job_id: str) -> Job:
    """A job's status and progress; its result once done. Jobs are kept for 30 minutes."""
    require_internal(principal)
    job = registry_of(request.app).get(job_id, principal.username, principal.is_admin)
    if job is None:
        raise ApiError(404, "Not found", f"no job '{job_id}' (finished jobs expire)")
    return job_resource(job, request)
