"""A run's documents: the stored result as JSON (the very bytes its digest is of), the scenario
version's text as written, and the documents that need the decision itself rather than its
JSON, the board business case (HTML; PDF where WeasyPrint is installed) and the Excel workbook.

Those are made by deciding the run's version again with its draws and seed
(``services.decision_runs.recompute_run``), which shows whether the stored result is
reproduced exactly; the business case says so under its title. The last few decisions are
kept per app, and one is made at a time (each spends a CPU for about a second per 10,000
draws)."""

from __future__ import annotations

import importlib
import importlib.util
import json
import threading
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

import sourcewise
from sourcewise.data.fingerprint import data_version
from sourcewise.reports.business_case import render_business_case
from sourcewise.reports.decision_workbook import decision_workbook_bytes
from sourcewise.reports.run_result import run_result
from sourcewise.security.users import Principal
from sourcewise.services.decision_runs import Recomputed, recompute_run, run_version
from sourcewise.web.api.runs import RunId
from sourcewise.web.auth import PageUser, uow_factory, visible_run
from sourcewise.web.problems import ApiError
from sourcewise.workspace.records import DecisionRun, RunStatus

router = APIRouter(include_in_schema=False)

KEPT = 4
"""Decisions made again kept per app (runs are immutable: a kept one stays right)."""
_MAKING = threading.Lock()
"""One decision made again at a time (held while deciding)."""
_KEEPING = threading.Lock()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_available() -> bool:
    """Whether WeasyPrint (optional, not a dependency) is importable here."""
    return importlib.util.find_spec("weasyprint") is not None


def downloads(run: DecisionRun) -> list[tuple[str, str | None, str]]:
    """(label, address or None when unavailable, note) of each document of ``run``."""
    base = f"/runs/{run.id}"
    simulated = run.draws > 0
    needs_draws = "needs a run with draws (this one was decided without simulating)"
    found: list[tuple[str, str | None, str]] = [
        ("Stored result (JSON)", f"{base}/result.json", "its SHA-256 is the result digest"),
        (f"Scenario v{run.version} as written (YAML)", f"{base}/scenario.yaml", ""),
        (
            "Board business case (HTML)",
            f"{base}/business-case.html" if simulated else None,
            "decided again from the version" if simulated else needs_draws,
        ),
        ("Results workbook (Excel)", f"{base}/results.xlsx", "decided again from the version"),
    ]
    if pdf_available():
        found.append(
            (
                "Board business case (PDF)",
                f"{base}/business-case.pdf" if simulated else None,
                "" if simulated else needs_draws,
            )
        )
    return found


def _kept(request: Request) -> OrderedDict[int, Recomputed]:
    state = request.app.state
    with _KEEPING:
        if not hasattr(state, "run_decisions"):
            state.run_decisions = OrderedDict()
        kept: OrderedDict[int, Recomputed] = state.run_decisions
    return kept


def reproduction(request: Request, run: DecisionRun) -> bool | None:
    """Whether the run's decision made again was identical, if it has been made here."""
    kept = _kept(request)
    with _KEEPING:
        made = kept.get(run.id)
    return None if made is None else made.identical


def decided(request: Request, principal: Principal, run: DecisionRun) -> Recomputed:
    """The run's decision made again (kept for the next document)."""
    kept = _kept(request)
    with _MAKING:
        with _KEEPING:
            made = kept.get(run.id)
        if made is None:
            make_uow = uow_factory(request)
            made = recompute_run(make_uow, run.id, render=run_result, principal=principal)
        with _KEEPING:
            kept[run.id] = made
            kept.move_to_end(run.id)
            while len(kept) > KEPT:
                kept.popitem(last=False)
    return made


def provenance(run: DecisionRun, made: Recomputed) -> str:
    """What the documents say of where they come from, and whether it is the stored run."""
    state = run.status.value
    review = run.review
    if run.status is RunStatus.APPROVED and review.reviewed_at is not None:
        state = f"approved by {review.reviewed_by} on {review.reviewed_at:%Y-%m-%d}"
    said = (
        f"Decision run {run.id} of {run.scenario} v{run.version} ({state}), decided again "
        f"with its {run.draws:,} draws and seed {run.seed}: "
    )
    if made.identical:
        return f"{said}identical to the stored result (SHA-256 {run.result_digest[:16]}…)."
    return (
        f"{said}NOT identical to the stored result (SHA-256 {run.result_digest[:16]}… stored, "
        f"{made.digest[:16]}… now; sourcewise {run.software_version} then and "
        f"{sourcewise.__version__} now, data {run.data_version} then and {data_version()} "
        "now). Figures here may differ from the run's page, which shows the stored result."
    )


def _document(content: bytes | str, media_type: str, name: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
    return Response(content, media_type=media_type, headers=headers)


@router.get("/runs/{run_id}/result.json")
def result_json(request: Request, principal: PageUser, run_id: RunId) -> Response:
    """The stored result as canonical JSON: ``sha256sum`` of the file is the run's digest."""
    run = visible_run(uow_factory(request), principal, run_id)
    canonical = json.dumps(run.result, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _document(canonical, "application/json", f"run-{run.id}-result.json")


@router.get("/runs/{run_id}/scenario.yaml")
def scenario_text(request: Request, principal: PageUser, run_id: RunId) -> Response:
    """The scenario version the run decided, byte for byte as saved."""
    make_uow = uow_factory(request)
    run = visible_run(make_uow, principal, run_id)
    try:
        version = run_version(make_uow, run, principal)
    except LookupError as error:
        raise ApiError(404, "Not found", str(error)) from None
    name = f"run-{run.id}-scenario-v{run.version}.yaml"
    return _document(version.text, "text/plain; charset=utf-8", name, inline=True)


def _business_case(request: Request, principal: Principal, run_id: int) -> str:
    run = visible_run(uow_factory(request), principal, run_id)
    if run.draws == 0:
        raise ApiError(
            409,
            "No simulation",
            f"run {run.id} was decided without draws; the business case needs the simulation: "
            "run the version again with draws",
        )
    made = decided(request, principal, run)
    return render_business_case(made.decision, made.sources, provenance(run, made))


@router.get("/runs/{run_id}/business-case.html")
def business_case_html(request: Request, principal: PageUser, run_id: RunId) -> Response:
    """The board business case of the run (self-contained HTML)."""
    html = _business_case(request, principal, run_id)
    return _document(html, "text/html; charset=utf-8", f"run-{run_id}-business-case.html", True)


@router.get("/runs/{run_id}/business-case.pdf")
def business_case_pdf(request: Request, principal: PageUser, run_id: RunId) -> Response:
    """The business case as PDF, where the optional WeasyPrint is installed (404 otherwise)."""
    visible_run(uow_factory(request), principal, run_id)
    if not pdf_available():
        raise ApiError(
            404,
            "Not found",
            "PDF needs WeasyPrint, which this server does not have: open the HTML business "
            "case and print it to PDF",
        )
    html = _business_case(request, principal, run_id)
    weasyprint: Any = importlib.import_module("weasyprint")
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return _document(pdf, "application/pdf", f"run-{run_id}-business-case.pdf")


@router.get("/runs/{run_id}/results.xlsx")
def results_xlsx(request: Request, principal: PageUser, run_id: RunId) -> Response:
    """The decision's tables as an Excel workbook (as ``sourcewise decide --xlsx``)."""
    run = visible_run(uow_factory(request), principal, run_id)
    made = decided(request, principal, run)
    return _document(decision_workbook_bytes(made.decision), XLSX, f"run-{run.id}-results.xlsx")
