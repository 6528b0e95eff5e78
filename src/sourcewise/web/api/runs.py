"""``/api/v1/runs``: decision runs kept in the store, two side by side, and their approval; and
``/api/v1/engagements/{name}/case``, the approved case an engagement is governed against.

Runs are the business case, which ``security.disclosure`` keeps from provider users: they are
refused (403) before anything is looked up. A run of a scenario the user may not see is not
found (404). Refusals by the approval rules (four eyes, a step out of turn) are 409 with the
rule's own words; so is a link the run cannot make (not approved, no such option)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from sourcewise.reports.decision_document import DecisionDocument
from sourcewise.reports.simulation_document import SimulationDocument
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.approvals import ApprovalError, approve_run, propose_run, reject_run
from sourcewise.services.decision_runs import list_runs
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.engagement_cases import CaseError, LinkedCase, case_of, link_engagement
from sourcewise.services.run_comparison import compare_runs
from sourcewise.services.scenario_library import MAX_NAME, ScenarioAccessError
from sourcewise.web.api.job_resource import JOB_LOCATION, Job, job_resource
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.api.saved_scenarios import InputChange
from sourcewise.web.auth import (
    User,
    require_internal,
    require_part,
    require_runner,
    require_writer,
    uow_factory,
    visible_engagement,
    visible_run,
)
from sourcewise.web.jobs import MAX_JOB_DRAWS, queue_limits, submit_saved_run
from sourcewise.web.problems import ApiError
from sourcewise.workspace.approval import MAX_COMMENT
from sourcewise.workspace.records import DecisionRun

router = APIRouter(prefix="/api/v1", tags=["runs"])

MAX_ID = 2**31 - 1
"""The largest run id or version number the store holds (a 32-bit integer)."""
MAX_SEED = 2**63 - 1
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="A decision run's id.")]
RunRef = Annotated[int, Query(ge=1, le=MAX_ID, description="A decision run's id.")]

DRIVERS_NOTE = (
    "First-order estimates from the later run's tornado: each changed uncertain input's shift "
    "in mean times the slope of the option's saving across its range, the others at their "
    "means; interactions are not counted."
)


class Review(BaseModel):
    """Who proposed the run for approval and who approved or rejected it (four eyes)."""

    proposed_by: str | None = Field(description="Who proposed it; null while a draft.")
    proposed_at: datetime | None = Field(description="When (ISO 8601, UTC); null while a draft.")
    proposal_note: str | None = Field(description="The proposer's note for the approver.")
    reviewed_by: str | None = Field(description="Who approved or rejected it; null until then.")
    reviewed_at: datetime | None = Field(description="When (ISO 8601, UTC); null until then.")
    review_comment: str | None = Field(description="Why, in the approver's words.")


class Run(BaseModel):
    """A decision run kept in the workspace: a saved scenario version decided with its draws
    and seed, reproducible from them (``sourcewise run verify``)."""

    id: int = Field(description="The run's id.")
    scenario: str = Field(description="The saved scenario's name.")
    version: int = Field(description="The version decided, from 1.")
    created_at: datetime = Field(description="When the run was made (ISO 8601, UTC).")
    actor: str = Field(description="Who asked for the run.")
    draws: int = Field(description="Monte Carlo draws; 0: none.")
    seed: int = Field(description="The random seed.")
    software_version: str = Field(description="The sourcewise version that made it.")
    data_version: str = Field(description="The packaged reference data it used.")
    result_digest: str = Field(description="SHA-256 of the result as canonical JSON.")
    status: Literal["draft", "proposed", "approved", "rejected"] = Field(
        description="Where it is in approval."
    )
    review: Review
    url: str = Field(description="Absolute URL of the run.")


class RunResult(BaseModel):
    """What a decision run keeps (``reports.run_result``): the documents ``sourcewise decide``
    and ``sourcewise simulate`` print for the same scenario, draws and seed."""

    decision: DecisionDocument = Field(description="The decide document (docs/decide-json.md).")
    simulation: SimulationDocument | None = Field(
        description="The simulate document (docs/simulate.md); null for a run without draws."
    )


class RunWithResult(Run):
    result: RunResult = Field(
        description=(
            "The result as it was kept: a run kept by an earlier version of sourcewise holds "
            "the documents of that version's `schema_version`, byte for byte (`result_digest`)."
        )
    )


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(min_length=1, max_length=MAX_NAME, description="A saved scenario.")
    version: int | None = Field(None, ge=1, le=MAX_ID, description="Its version; latest if null.")
    draws: int = Field(DEFAULT_DRAWS, ge=0, le=MAX_JOB_DRAWS, description="0: no simulation.")
    seed: int = Field(DEFAULT_SEED, ge=0, le=MAX_SEED)


class Proposal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=MAX_COMMENT, description="For the approver.")


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str = Field(min_length=1, max_length=MAX_COMMENT, description="Why (required).")


class Side(BaseModel):
    """One option in one run."""

    saving: float | None = Field(
        description=(
            "NPV saved against the status quo over the horizon, in the scenario's currency "
            "(`result.decision.company.currency`): the Monte Carlo mean when there were draws."
        )
    )
    p_beats_status_quo: float | None = Field(
        description="Probability it costs less than the status quo, a fraction; null without draws."
    )
    rank: int | None = Field(description="Its rank by score within the function, 1 best.")


class OptionCompared(BaseModel):
    """One option in both runs; a side is null where the run does not have the option."""

    function: str = Field(description="The function's name.")
    option: str = Field(description="The option's name.")
    before: Side | None = Field(description="In the earlier run.")
    after: Side | None = Field(description="In the later run.")
    saving_change: float | None = Field(
        description="after.saving - before.saving, in the scenario's currency; null if either is."
    )


class RecommendationChange(BaseModel):
    """The recommended option of one function, before and after."""

    function: str = Field(description="The function's name.")
    before: str | None = Field(description="The earlier run's recommendation.")
    after: str | None = Field(description="The later run's recommendation.")


class Driver(BaseModel):
    """A changed uncertain input and its estimated effect on one option's saving."""

    input: str = Field(description="The input's field path in the scenario.")
    option: str = Field(description="The option whose saving it moves.")
    mean_before: float = Field(description="The input's mean in the earlier run, in its unit.")
    mean_after: float = Field(description="Its mean in the later run.")
    estimated_effect: float = Field(
        description="Estimated change of the option's saving from this change alone, in the "
        "scenario's currency (first order: see drivers_note)."
    )


class Comparison(BaseModel):
    before: Run = Field(description="The earlier run (the lower id).")
    after: Run = Field(description="The later run.")
    recommendations: list[RecommendationChange] = Field(description="One per function.")
    options: list[OptionCompared] = Field(description="Every option of either run.")
    changes: list[InputChange] = Field(description="Inputs changed between the two versions.")
    drivers: list[Driver] = Field(description="Largest estimated effect (in size) first.")
    drivers_note: str = Field(description="How the drivers are estimated, in words.")


class CaseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    run_id: int = Field(ge=1, le=MAX_ID, description="An approved run.")
    function: str | None = Field(None, description="Default: the engagement's function.")
    option: str | None = Field(
        None,
        description=(
            "Default: the option whose provider the engagement contracts, else the only one "
            "in its country, else the run's recommendation."
        ),
    )


class Case(BaseModel):
    """The approved business case an engagement is governed against."""

    engagement: str = Field(description="The engagement's name.")
    run_id: int = Field(description="The approved run.")
    function: str = Field(description="The run's function the engagement carries out.")
    option: str = Field(description="The option the engagement is.")
    linked_at: datetime = Field(description="When it was linked (ISO 8601, UTC).")
    linked_by: str = Field(description="Who linked it.")
    label: str = Field(description="The approved version, run and approver, in words.")
    run_url: str = Field(description="Absolute URL of the run.")


@contextmanager
def workspace_errors() -> Iterator[None]:
    """The workspace services' refusals as problems."""
    try:
        yield
    except ScenarioAccessError as error:
        raise ApiError(403, "Forbidden", str(error)) from None
    except ApprovalError as error:
        raise ApiError(409, "Not allowed now", str(error)) from None
    except CaseError as error:
        raise ApiError(409, "Cannot govern by this run", str(error)) from None
    except LookupError as error:
        raise ApiError(404, "Not found", str(error.args[0] if error.args else error)) from None


def run_model(request: Request, run: DecisionRun) -> Run:
    r = run.review
    return Run(
        id=run.id,
        scenario=run.scenario,
        version=run.version,
        created_at=run.created_at,
        actor=run.actor,
        draws=run.draws,
        seed=run.seed,
        software_version=run.software_version,
        data_version=run.data_version,
        result_digest=run.result_digest,
        status=run.status.value,
        review=Review(
            proposed_by=r.proposed_by,
            proposed_at=r.proposed_at,
            proposal_note=r.proposal_note,
            reviewed_by=r.reviewed_by,
            reviewed_at=r.reviewed_at,
            review_comment=r.review_comment,
        ),
        url=str(request.url_for("get_run", run_id=run.id)),
    )


@router.get("/runs", response_model=Page[Run])
def get_runs(
    request: Request, user: User, page: Pagination, scenario: str | None = None
) -> Page[Run]:
    """The runs this user may see, newest first, without their results."""
    require_internal(user)
    with workspace_errors():
        runs = list_runs(uow_factory(request), scenario, user)
    return page.page([run_model(request, r) for r in runs])


@router.post(
    "/runs", status_code=202, response_model=Job, responses={202: {"headers": JOB_LOCATION}}
)
def post_run(request: Request, response: Response, user: User, asked: RunRequest) -> Job:
    """Decide a saved scenario version in the background and keep the run: 202 with the
    job's URL to poll, whose ``run_url`` names the run once it is kept."""
    require_runner(user)
    with workspace_errors(), queue_limits():
        job = submit_saved_run(
            request.app, user, asked.scenario, asked.version, asked.draws, asked.seed
        )
    body = job_resource(job, request)
    response.headers["Location"] = body.url
    return body


@router.get("/runs/compare", response_model=Comparison)
def get_comparison(request: Request, user: User, a: RunRef, b: RunRef) -> Comparison:
    """Runs ``a`` and ``b`` side by side, the earlier first: recommendations, each option's
    saving, probability of beating the status quo and rank, the changed inputs with their
    sources, and the drivers (first-order estimates)."""
    require_internal(user)
    before, after = sorted((a, b))
    with workspace_errors():
        found = compare_runs(uow_factory(request), before, after, user)
    return Comparison(
        before=run_model(request, found.before),
        after=run_model(request, found.after),
        recommendations=[
            RecommendationChange(function=f, before=x, after=y) for f, x, y in found.recommendations
        ],
        options=[
            OptionCompared(
                function=o.function,
                option=o.option,
                before=None if o.before is None else Side(**asdict(o.before)),
                after=None if o.after is None else Side(**asdict(o.after)),
                saving_change=o.saving_change,
            )
            for o in found.options
        ],
        changes=[InputChange(**asdict(c)) for c in found.changes],
        drivers=[Driver(**asdict(d)) for d in found.drivers],
        drivers_note=DRIVERS_NOTE,
    )


@router.get("/runs/{run_id}", response_model=RunWithResult, name="get_run")
def get_run(request: Request, user: User, run_id: RunId) -> JSONResponse:
    """A run with its review and its stored result."""
    run = visible_run(uow_factory(request), user, run_id)
    # The stored result goes out as kept, not re-validated: a run kept under an earlier
    # schema_version stays readable, and its digest still matches what is served.
    described = run_model(request, run).model_dump(mode="json")
    return JSONResponse({**described, "result": run.result})


def _reviewed(request: Request, user: Principal, run_id: int, step: Any, text: str) -> Run:
    make_uow = uow_factory(request)
    visible_run(make_uow, user, run_id)
    with workspace_errors():
        run = step(make_uow, run_id, text, user)
    return run_model(request, run)


@router.post("/runs/{run_id}/propose", response_model=Run)
def post_proposal(
    request: Request, user: User, run_id: RunId, asked: Annotated[Proposal | None, Body()] = None
) -> Run:
    """Ask for a draft run's approval (analysts and admins); the body's note is optional."""
    require_internal(user)
    require_writer(user)
    return _reviewed(request, user, run_id, propose_run, asked.note if asked else "")


def _require_approver(user: Principal) -> None:
    require_internal(user)
    if not user.can_approve:
        raise ApiError(
            403,
            "Forbidden",
            f"{user.username} may not approve or reject business cases: an admin can make "
            "them an approver",
        )


@router.post("/runs/{run_id}/approve", response_model=Run)
def post_approval(request: Request, user: User, run_id: RunId, asked: Verdict) -> Run:
    """Approve a proposed run (an approver other than its proposer; 409 otherwise)."""
    _require_approver(user)
    return _reviewed(request, user, run_id, approve_run, asked.comment)


@router.post("/runs/{run_id}/reject", response_model=Run)
def post_rejection(request: Request, user: User, run_id: RunId, asked: Verdict) -> Run:
    """Reject a proposed run, saying why."""
    _require_approver(user)
    return _reviewed(request, user, run_id, reject_run, asked.comment)


def case_model(request: Request, linked: LinkedCase) -> Case:
    case = linked.case
    return Case(
        engagement=case.engagement,
        run_id=case.run_id,
        function=case.function,
        option=case.option,
        linked_at=case.linked_at,
        linked_by=case.linked_by,
        label=linked.label,
        run_url=str(request.url_for("get_run", run_id=case.run_id)),
    )


@router.get("/engagements/{name:segment}/case", response_model=Case)
def get_case(request: Request, user: User, name: str) -> Case:
    """The approved case the engagement is governed against (404 when it is not linked)."""
    require_part(user, Part.BUSINESS_CASE)
    make_uow = uow_factory(request)
    found = visible_engagement(make_uow, user, name)
    linked = case_of(make_uow, found.name)
    if linked is None:
        raise ApiError(
            404, "Not found", f"'{found.name}' is not linked to an approved business case"
        )
    return case_model(request, linked)


@router.post("/engagements/{name:segment}/case", response_model=Case)
def post_case(request: Request, user: User, name: str, asked: CaseRequest) -> Case:
    """Govern the engagement against an approved run: its planned months become the run's
    version's, and benefit realisation measures against them."""
    require_part(user, Part.BUSINESS_CASE)
    make_uow = uow_factory(request)
    found = visible_engagement(make_uow, user, name)
    require_writer(user)
    with workspace_errors():
        linked = link_engagement(
            make_uow, found.name, asked.run_id, asked.function, asked.option, user
        )
    return case_model(request, linked)
