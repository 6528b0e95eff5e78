"""Decision runs kept in the store: start one from a saved scenario version and follow it, its
permalink drawn from the stored result, two runs side by side, and the run's approval.

A run's page is the decision page of the scenario editor drawn from ``run.result`` (the same
template and charts), with what made it (version, draws, seed, software and data versions,
digest) and its review. Provider users see no runs (the business case is internal)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.reports.decision_charts import function_view
from sourcewise.reports.numbers import compact
from sourcewise.security.users import Principal
from sourcewise.services.approvals import ApprovalError, approve_run, propose_run, reject_run
from sourcewise.services.decision_runs import list_runs
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.engagement_cases import engagements_of_run
from sourcewise.services.run_comparison import compare_runs
from sourcewise.services.scenario_library import MAX_NAME, ScenarioAccessError, list_scenarios
from sourcewise.web.api.runs import MAX_ID, MAX_SEED, RunId, RunRef
from sourcewise.web.auth import (
    PageUser,
    require_internal,
    require_runner,
    require_writer,
    uow_factory,
    visible_run,
)
from sourcewise.web.jobs import MAX_JOB_DRAWS, Job, queue_limits, registry_of
from sourcewise.web.jobs import submit_saved_run as submit
from sourcewise.web.pages.run_downloads import downloads, reproduction
from sourcewise.web.problems import ApiError
from sourcewise.web.templating import render
from sourcewise.workspace.approval import MAX_COMMENT, review
from sourcewise.workspace.records import DecisionRun, RunStatus

router = APIRouter(include_in_schema=False)

MAX_LISTED = 500
Comment = Annotated[str, Form(max_length=MAX_COMMENT + 100)]


def kept_run(job: Job) -> int | None:
    """The id of the run a finished job kept (``jobs.submit_saved_run``)."""
    return job.run_id if job.status == "done" else None


def _list(
    request: Request, principal: Principal, scenario: str, status_code: int = 200, **extra: Any
) -> Response:
    make_uow = uow_factory(request)
    scenarios = list_scenarios(make_uow, principal)
    known = {s.name for s in scenarios}
    chosen = scenario if scenario in known else ""
    runs = list_runs(make_uow, chosen or None, principal)
    values: dict[str, Any] = {
        "runs": runs[:MAX_LISTED],
        "more": max(len(runs) - MAX_LISTED, 0),
        "scenarios": scenarios,
        "chosen": chosen,
        "unknown": scenario if scenario and not chosen else "",
        "draws": DEFAULT_DRAWS,
        "seed": DEFAULT_SEED,
        "max_draws": MAX_JOB_DRAWS,
        "error": None,
        "asked": {},
    }
    values.update(extra)
    return render(request, "runs/list.html", status_code=status_code, **values)


@router.get("/runs", response_class=HTMLResponse)
def run_list(request: Request, principal: PageUser, scenario: str = "") -> Response:
    """The runs this user may see, newest first; analysts and admins start new ones here."""
    require_internal(principal)
    return _list(request, principal, scenario)


@router.post("/runs", response_class=HTMLResponse)
def start_run(
    request: Request,
    principal: PageUser,
    scenario: Annotated[str, Form(max_length=MAX_NAME + 10)],
    version: Annotated[str, Form(max_length=12)] = "",
    draws: Annotated[int, Form(ge=0, le=MAX_JOB_DRAWS)] = DEFAULT_DRAWS,
    seed: Annotated[int, Form(ge=0, le=MAX_SEED)] = DEFAULT_SEED,
) -> Response:
    """Decide a saved version in the background; its progress page moves to the run's."""
    require_runner(principal)
    asked = {"scenario": scenario, "version": version, "draws": draws, "seed": seed}
    number: int | None = None
    if version.strip():
        if not version.strip().isdigit() or not 1 <= int(version) <= MAX_ID:
            return _list(
                request,
                principal,
                "",
                422,
                error=f"the version is a number from 1 (or empty for the latest), not '{version}'",
                asked=asked,
            )
        number = int(version)
    try:
        with queue_limits():
            job = submit(request.app, principal, scenario, number, draws, seed)
    except LookupError as error:
        return _list(request, principal, "", 404, error=str(error), asked=asked)
    return RedirectResponse(f"/runs/jobs/{job.id}", status_code=303)


def _job(request: Request, job_id: str, principal: Principal) -> Job:
    require_internal(principal)
    job = registry_of(request.app).get(job_id, principal.username, principal.is_admin)
    if job is None:
        raise ApiError(
            404, "Not found", "no such job (finished ones are kept 30 minutes; runs for good)"
        )
    return job


@router.get("/runs/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, principal: PageUser, job_id: str) -> Response:
    """A run in progress; once kept, its permalink."""
    job = _job(request, job_id, principal)
    run_id = kept_run(job)
    if run_id is not None:
        return RedirectResponse(f"/runs/{run_id}", status_code=303)
    return render(request, "runs/job.html", job=job, state=job.status, percent=_percent(job))


@router.get("/runs/jobs/{job_id}/status", response_class=HTMLResponse)
def job_status(request: Request, principal: PageUser, job_id: str) -> Response:
    """The progress fragment (htmx polls it); once the run is kept htmx goes to its page."""
    job = _job(request, job_id, principal)
    run_id = kept_run(job)
    if run_id is not None:
        return Response(headers={"HX-Redirect": f"/runs/{run_id}"})
    return render(request, "runs/_job.html", job=job, state=job.status, percent=_percent(job))


def _percent(job: Job) -> int:
    return round(100 * job.progress)


@router.get("/runs/compare", response_class=HTMLResponse)
def compare(request: Request, principal: PageUser, a: RunRef, b: RunRef) -> Response:
    """Two runs side by side, the earlier one first (the drivers are read from the later)."""
    require_internal(principal)
    make_uow = uow_factory(request)
    before, after = sorted((a, b))
    try:
        comparison = compare_runs(make_uow, before, after, principal)
    except LookupError as error:
        raise ApiError(404, "Not found", str(error)) from None
    decision = comparison.after.result.get("decision") or {}
    currency = (decision.get("company") or {}).get("currency", "")
    return render(
        request, "runs/compare.html", comparison=comparison, currency=currency, compact=compact
    )


def review_steps(run: DecisionRun, principal: Principal) -> dict[str, str | None]:
    """The review steps the page offers for ``run``: None where ``principal`` may take the
    step, otherwise why not, in the approval rules' own words (``workspace.approval``)."""
    steps: dict[str, str | None] = {}
    if run.status is RunStatus.DRAFT:
        steps["propose"] = (
            None
            if principal.can_write
            else f"the {principal.role} role cannot propose business cases; an analyst can"
        )
    if run.status is RunStatus.PROPOSED:
        try:
            review(run, principal.username, datetime.now(UTC), True, "-", principal.can_approve)
            steps["review"] = None
        except ApprovalError as error:
            steps["review"] = str(error)
    return steps


def run_page(
    request: Request,
    principal: Principal,
    run_id: int,
    status_code: int = 200,
    error: str | None = None,
    asked: dict[str, str] | None = None,
) -> Response:
    make_uow = uow_factory(request)
    run = visible_run(make_uow, principal, run_id)
    result = run.result
    decision = result.get("decision") or {"functions": []}
    views = [function_view(result, i) for i in range(len(decision["functions"]))]
    # The picker offers the same scenario's other runs first, the newest first.
    others = sorted(
        (r for r in list_runs(make_uow, None, principal) if r.id != run.id),
        key=lambda r: (r.scenario != run.scenario, -r.id),
    )[:MAX_LISTED]
    return render(
        request,
        "runs/run.html",
        status_code=status_code,
        run=run,
        views=views,
        decision=decision,
        simulation=result.get("simulation"),
        compact=compact,
        links=[("permalink", f"/runs/{run.id}"), ("JSON", f"/api/v1/runs/{run.id}")],
        steps=review_steps(run, principal),
        review_error=error,
        asked=asked or {},
        others=others,
        governs=engagements_of_run(make_uow, run.id),
        downloads=downloads(run),
        reproduced=reproduction(request, run),
    )


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_permalink(request: Request, principal: PageUser, run_id: RunId) -> Response:
    return run_page(request, principal, run_id)


def _reviewed(
    request: Request, principal: Principal, run_id: int, step: Any, text: str
) -> Response:
    """Take a review step; the run's page again, with the rules' answer if it was refused."""
    make_uow = uow_factory(request)
    visible_run(make_uow, principal, run_id)
    try:
        step(make_uow, run_id, text, principal)
    except ApprovalError as error:
        return run_page(request, principal, run_id, 409, str(error), {"text": text})
    except ScenarioAccessError as error:
        raise ApiError(403, "Forbidden", str(error)) from None
    return RedirectResponse(f"/runs/{run_id}#review", status_code=303)


@router.post("/runs/{run_id}/propose", response_class=HTMLResponse)
def propose(request: Request, principal: PageUser, run_id: RunId, note: Comment = "") -> Response:
    """Ask for the run's approval (analysts and admins)."""
    require_internal(principal)
    require_writer(principal)
    return _reviewed(request, principal, run_id, propose_run, note)


def _require_approver(principal: Principal) -> None:
    require_internal(principal)
    if not principal.can_approve:
        raise ApiError(
            403,
            "Forbidden",
            f"{principal.username} may not approve or reject business cases: an admin can "
            "make them an approver",
        )


@router.post("/runs/{run_id}/approve", response_class=HTMLResponse)
def approve(
    request: Request, principal: PageUser, run_id: RunId, comment: Comment = ""
) -> Response:
    """Approve a proposed run (approvers other than its proposer; a comment is required)."""
    _require_approver(principal)
    return _reviewed(request, principal, run_id, approve_run, comment)


@router.post("/runs/{run_id}/reject", response_class=HTMLResponse)
def reject(request: Request, principal: PageUser, run_id: RunId, comment: Comment = "") -> Response:
    """Reject a proposed run, saying why."""
    _require_approver(principal)
    return _reviewed(request, principal, run_id, reject_run, comment)
