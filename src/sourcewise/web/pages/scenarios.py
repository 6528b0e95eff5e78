"""Scenario pages: edit or upload a scenario, validate it as you type, decide and simulate it in
the background with progress, and compare its options with charts. The editor's text is not
stored unless saved (``saved_scenarios``): it is validated and queued as a job, whose results
are kept for 30 minutes."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import sourcewise
from sourcewise.domain.problems import Problem
from sourcewise.reports.decision_charts import function_view
from sourcewise.reports.numbers import compact
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.scenarios import MAX_FILE_BYTES, decode_scenario, read_scenario_text
from sourcewise.web.api.scenarios import submit
from sourcewise.web.auth import PageUser, require_internal, require_runner
from sourcewise.web.jobs import MAX_JOB_DRAWS, Job, registry_of
from sourcewise.web.problems import ApiError
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

SOURCE_NAME = "scenario.yaml"
Text = Annotated[str, Form(max_length=MAX_FILE_BYTES)]


@functools.cache
def examples_dir() -> Path | None:
    """The bundled example scenarios (``examples/`` of the source tree), if present."""
    for candidate in (Path(sourcewise.__file__).parents[2] / "examples", Path.cwd() / "examples"):
        if candidate.is_dir() and any(candidate.glob("*.yaml")):
            return candidate
    return None


def examples() -> list[dict[str, str]]:
    """Name and first-line title of each example."""
    found = examples_dir()
    out = []
    for path in sorted(found.glob("*.yaml")) if found else []:
        first = path.read_text(encoding="utf-8").partition("\n")[0]
        out.append({"name": path.stem, "title": first.lstrip("# ").strip() or path.stem})
    return out


def example_text(name: str) -> str:
    found = examples_dir()
    names = {e["name"] for e in examples()}
    if found is None or name not in names:
        return ""
    return (found / f"{name}.yaml").read_text(encoding="utf-8")


def annotate(text: str, problems: list[Problem]) -> list[dict[str, Any]]:
    """Each problem with the source lines around its line, the line itself marked."""
    lines = text.splitlines()
    out = []
    for p in sorted(problems, key=lambda p: (p.line is None, p.line or 0)):
        excerpt = []
        if p.line is not None and lines:
            first, last = max(p.line - 1, 1), min(p.line + 1, len(lines))
            excerpt = [
                {"number": n, "text": lines[n - 1], "at": n == p.line}
                for n in range(first, last + 1)
            ]
        out.append({"line": p.line, "field": p.path, "message": p.message, "excerpt": excerpt})
    return out


def _validated(text: str) -> tuple[Any, list[dict[str, Any]], list[Problem]]:
    scenario, problems = read_scenario_text(text, SOURCE_NAME)
    return scenario, annotate(text, problems), problems


def editor(
    request: Request,
    text: str,
    example: str,
    status_code: int = 200,
    refused: Problem | None = None,
    **values: Any,
) -> Response:
    """The editor with ``text``, validated; or with the problem that kept a file out of it.
    ``values`` fill the save form (``saved_scenarios``): ``save_name``, ``loaded``, …"""
    if refused is None:
        scenario, annotated, _ = _validated(text)
    else:
        scenario, annotated = None, annotate(text, [refused])
    return render(
        request,
        "scenarios/index.html",
        status_code=status_code,
        text=text,
        example=example,
        examples=examples(),
        scenario=scenario,
        problems=annotated,
        draws=DEFAULT_DRAWS,
        seed=DEFAULT_SEED,
        max_draws=MAX_JOB_DRAWS,
        **values,
    )


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, principal: PageUser, example: str = "") -> Response:
    require_internal(principal)
    listed = examples()
    chosen = example if any(e["name"] == example for e in listed) else ""
    if not chosen and listed:
        chosen = next((e["name"] for e in listed if e["name"] == "us-customer-service"),
                      listed[0]["name"])  # fmt: skip
    return editor(request, example_text(chosen), chosen)


@router.post("/scenarios/validate", response_class=HTMLResponse)
def validate_fragment(request: Request, principal: PageUser, text: Text = "") -> Response:
    """The problems list (htmx swaps it under the editor)."""
    require_internal(principal)
    scenario, annotated, _ = _validated(text)
    return render(request, "scenarios/_problems.html", scenario=scenario, problems=annotated)


@router.post("/scenarios/upload", response_class=HTMLResponse)
async def upload(
    request: Request, principal: PageUser, file: Annotated[UploadFile, File()]
) -> Response:
    """An uploaded file goes into the editor, validated."""
    require_internal(principal)
    raw = await file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ApiError(413, "Payload too large", f"a scenario is at most {MAX_FILE_BYTES:,} bytes")
    text = decode_scenario(raw, SOURCE_NAME)
    if isinstance(text, Problem):
        # The text with each bad byte shown as U+FFFD, so the excerpt and the editor show it.
        shown = raw.decode("utf-8", errors="replace")
        return editor(request, shown, "", status_code=422, refused=text)
    return editor(request, text, "", status_code=200)


@router.post("/scenarios/run", response_class=HTMLResponse)
def run(
    request: Request,
    principal: PageUser,
    text: Text = "",
    draws: Annotated[int, Form(ge=0, le=MAX_JOB_DRAWS)] = DEFAULT_DRAWS,
    seed: Annotated[int, Form(ge=0)] = DEFAULT_SEED,
) -> Response:
    """Start deciding the scenario; htmx gets the progress fragment, a plain form a redirect."""
    require_runner(principal)
    htmx = bool(request.headers.get("hx-request"))
    scenario, annotated, _ = _validated(text)
    if scenario is None:
        if htmx:
            response = render(
                request, "scenarios/_problems.html", scenario=None, problems=annotated
            )
            response.headers["HX-Retarget"] = "#problems"
            return response
        return editor(request, text, "", status_code=422)
    job = submit(request, principal.username, scenario, "decision", draws, seed, text, SOURCE_NAME)
    if not htmx:
        return RedirectResponse(f"/scenarios/jobs/{job.id}", status_code=303)
    return render(request, "scenarios/_job.html", job=job, **_results(job))


def _job(request: Request, job_id: str, principal: Any) -> Job:
    require_internal(principal)
    job = registry_of(request.app).get(job_id, principal.username, principal.is_admin)
    if job is None:
        raise ApiError(404, "Not found", "no such run (results are kept for 30 minutes)")
    return job


def _results(job: Job) -> dict[str, Any]:
    """The job's state, read once (the worker may finish meanwhile), and its results if done."""
    state, result = job.status, job.result
    values: dict[str, Any] = {
        "state": state,
        "percent": round(100 * job.progress),
        "compact": compact,
        "links": [("link to these results", f"/scenarios/jobs/{job.id}"),
                  ("JSON", f"/api/v1/jobs/{job.id}")],
    }  # fmt: skip
    if state != "done" or result is None or "decision" not in result:
        return {**values, "views": [], "decision": None}
    decision = result["decision"]
    views = [function_view(result, i) for i in range(len(decision["functions"]))]
    return {**values, "views": views, "decision": decision, "simulation": result["simulation"]}


@router.get("/scenarios/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, principal: PageUser, job_id: str) -> Response:
    job = _job(request, job_id, principal)
    if _kept_run(job) is not None:  # a saved scenario's run: its progress is the runs' page
        return RedirectResponse(f"/runs/jobs/{job.id}", status_code=303)
    return render(request, "scenarios/result.html", job=job, **_results(job))


@router.get("/scenarios/jobs/{job_id}/status", response_class=HTMLResponse)
def job_status(request: Request, principal: PageUser, job_id: str) -> Response:
    """Progress while the job runs (htmx polls it every second); the results once done."""
    job = _job(request, job_id, principal)
    run_id = _kept_run(job)
    if run_id is not None:
        return Response(headers={"HX-Redirect": f"/runs/{run_id}"})
    return render(request, "scenarios/_job.html", job=job, **_results(job))


def _kept_run(job: Job) -> int | None:
    """The id of the decision run a finished job kept (``jobs.submit_saved_run``)."""
    result = job.result
    found = result.get("run_id") if result is not None else None
    return found if isinstance(found, int) else None
