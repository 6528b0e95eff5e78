"""Engagement pages: the list, one engagement with its sections (loaded lazily with htmx), and
the KPI upload for writers and the engagement's own provider users.

A page shows the sections of the parts ``security.disclosure`` shows the user's role; a section
of another part answers 403, asked before the engagement is looked up."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.domain.problems import Problem
from sourcewise.governance.records import Engagement
from sourcewise.security.disclosure import Part, sees
from sourcewise.security.users import Principal
from sourcewise.services import views
from sourcewise.services.contract_calendar import contract_outlook, shows_contracts
from sourcewise.services.engagement_cases import CaseError, link_engagement
from sourcewise.services.governance_store import UowFactory, acting_as
from sourcewise.services.kpi_ingest import IngestReport, ingest_measurements
from sourcewise.services.scenario_library import ScenarioAccessError
from sourcewise.services.sla import sla_report
from sourcewise.web.api.runs import MAX_ID
from sourcewise.web.auth import (
    PageUser,
    require_part,
    require_writer,
    uow_factory,
    visible_engagement,
    visible_engagements,
)
from sourcewise.web.pages import engagement_sections as sections
from sourcewise.web.path_segments import engagement_path
from sourcewise.web.problems import ApiError
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")
CHUNK = 1 << 20

# name → (heading, the part of the engagement it shows, builder of its template values)
Builder = Callable[[UowFactory, Engagement, str | None, datetime], dict[str, Any]]
SECTIONS: dict[str, tuple[str, Part, Builder]] = {
    "contracts": (
        "Contracts",
        Part.CONTRACTS,
        lambda u, e, m, now: {"outlook": contract_outlook(u, e, now.date()), "today": now.date()},
    ),
    "kpis": (
        "KPIs and control limits",
        Part.KPIS,
        lambda u, e, m, now: sections.kpi_section(u, e),
    ),
    "scorecard": (
        "Provider scorecard",
        Part.SCORECARD,
        lambda u, e, m, now: sections.scorecard_section(u, e, m, now.date()),
    ),
    "corrective_actions": (
        "Corrective-action plans",
        Part.CORRECTIVE_ACTIONS,
        lambda u, e, m, now: sections.plan_section(u, e, now.date()),
    ),
    "remedies": (
        "Contract remedies",
        Part.REMEDIES,
        lambda u, e, m, now: sections.remedy_section(u, e, m, now.date()),
    ),
    "risks": (
        "Risks and playbooks",
        Part.RISKS,
        lambda u, e, m, now: sections.risk_section(u, e, now),
    ),
    "audits": (
        "Audits and findings",
        Part.AUDITS,
        lambda u, e, m, now: sections.audit_section(u, e, now.date()),
    ),
    "surveys": (
        "Stakeholder surveys",
        Part.SURVEYS,
        lambda u, e, m, now: sections.survey_section(u, e),
    ),
    "meetings": (
        "Committee meetings and actions",
        Part.MEETINGS,
        lambda u, e, m, now: sections.meeting_section(u, e, now.date()),
    ),
    "pilot": (
        "Pilot evaluation",
        Part.PILOTS,
        lambda u, e, m, now: sections.pilot_section(u, e),
    ),
    "benefits": (
        "Benefit realisation",
        Part.BENEFITS,
        lambda u, e, m, now: sections.benefit_section(u, e),
    ),
}
SECTION_PARTS = {"sla": Part.SERVICE_LEVELS} | {k: part for k, (_, part, _) in SECTIONS.items()}
"""Every section, the service levels and credits (always on the page) included."""


def shown_sections(principal: Principal) -> dict[str, str]:
    """The lazily loaded sections the principal's role is shown: name → heading."""
    return {k: heading for k, (heading, part, _) in SECTIONS.items() if sees(principal.role, part)}


def _now() -> datetime:
    return datetime.now(UTC)


def _engagement(request: Request, principal: Principal, name: str) -> Engagement | Response:
    """The engagement, or the not-found page (also for another provider's engagement)."""
    try:
        return visible_engagement(uow_factory(request), principal, name)
    except ApiError as error:
        if error.status != 404:
            raise
        return render(request, "engagements/not_found.html", status_code=404, name=name)


@router.get("/engagements", response_class=HTMLResponse)
def engagement_list(request: Request, principal: PageUser) -> Response:
    make_uow = uow_factory(request)
    today = _now().date()
    rows = []
    for engagement in sorted(visible_engagements(make_uow, principal), key=lambda e: e.name):
        month = views.latest_measured_month(make_uow, engagement, today)
        shown = sla_report(make_uow, engagement.name, month).last
        outlook = None
        if shows_contracts(principal, engagement):
            outlook = contract_outlook(make_uow, engagement, today)
        rows.append((engagement, shown, sections.StatusCounts.of(shown), outlook))
    return render(request, "engagements/list.html", rows=rows)


@router.get("/engagements/{name:segment}", response_class=HTMLResponse)
def engagement_page(
    request: Request, name: str, principal: PageUser, month: str | None = None
) -> Response:
    found = _engagement(request, principal, name)
    if isinstance(found, Response):
        return found
    return _page(request, principal, found, month)


def _page(
    request: Request,
    principal: Principal,
    found: Engagement,
    month: str | None = None,
    status_code: int = 200,
    case_error: str | None = None,
) -> Response:
    make_uow = uow_factory(request)
    sla = sections.sla_section(make_uow, found, month, _now().date())
    case = None
    if sees(principal.role, Part.BUSINESS_CASE):
        case = sections.case_section(make_uow, found, principal)
    return render(
        request,
        "engagements/page.html",
        status_code=status_code,
        engagement=found,
        sections=shown_sections(principal),
        can_upload=principal.may_submit_for(found.provider),
        max_upload=request.app.state.settings.max_upload_bytes,
        case=case,
        case_error=case_error,
        show_credits=sees(principal.role, Part.SERVICE_CREDITS),
        **sla,
    )


@router.post("/engagements/{name:segment}/case", response_class=HTMLResponse)
def link_case(
    request: Request,
    name: str,
    principal: PageUser,
    run: Annotated[int, Form(ge=1, le=MAX_ID)],
    function: Annotated[str, Form(max_length=1000)] = "",
    option: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Govern the engagement against an approved run (analysts and admins): its planned
    months become that version's; the page again, saying why if the run cannot."""
    require_part(principal, Part.BUSINESS_CASE)
    found = _engagement(request, principal, name)
    if isinstance(found, Response):
        return found
    require_writer(principal)
    try:
        link_engagement(
            uow_factory(request), found.name, run, function or None, option or None, principal
        )
    except ScenarioAccessError as error:
        raise ApiError(403, "Forbidden", str(error)) from None
    except (CaseError, LookupError) as error:
        status = 404 if isinstance(error, LookupError) else 409
        return _page(request, principal, found, status_code=status, case_error=str(error))
    return RedirectResponse(f"{engagement_path(found.name)}#case", status_code=303)


@router.get("/engagements/{name:segment}/sections/{section}", response_class=HTMLResponse)
def engagement_section(
    request: Request, name: str, section: str, principal: PageUser, month: str | None = None
) -> Response:
    """One section as an HTML fragment (htmx swaps it into the page)."""
    part = SECTION_PARTS.get(section)
    if part is not None and not sees(principal.role, part):
        raise ApiError(403, "Forbidden", f"'{section}' is not shared with {principal.role} users")
    found = _engagement(request, principal, name)
    if isinstance(found, Response):
        return found
    make_uow = uow_factory(request)
    if section == "sla":
        values = sections.sla_section(make_uow, found, month, _now().date())
        response = render(request, "engagements/_sla.html", engagement=found, **values)
        target = f"{engagement_path(found.name)}?month={values['month']:%Y-%m}"
        response.headers["HX-Push-Url"] = target
        return response
    if section not in SECTIONS:
        raise ApiError(404, "Not found", f"no section '{section}'")
    heading, _, build = SECTIONS[section]
    values = build(make_uow, found, month, _now())
    return render(
        request, f"engagements/_{section}.html", engagement=found, heading=heading, **values
    )


@router.post("/engagements/{name:segment}/measurements", response_class=HTMLResponse)
def upload_measurements(
    request: Request,
    name: str,
    principal: PageUser,
    file: Annotated[UploadFile, File()],
    replace: Annotated[bool, Form()] = False,
) -> Response:
    """Store a KPI file for this engagement, all or nothing; show every problem otherwise."""
    found = _engagement(request, principal, name)
    if isinstance(found, Response):
        return found
    if not principal.may_submit_for(found.provider):
        raise ApiError(403, "Forbidden", "you cannot submit data for this engagement")
    make_uow = uow_factory(request)
    limit: int = request.app.state.settings.max_upload_bytes
    folder = Path(tempfile.mkdtemp(prefix="sourcewise-upload-"))
    try:
        saved = _save(file, folder, limit)
        if isinstance(saved, str):
            report = IngestReport(file.filename or "upload", rejected=1)
            report.problems.append(Problem(report.file, None, "", saved))
        else:
            with acting_as(principal.username):
                report = ingest_measurements(
                    make_uow,
                    saved,
                    found.name,
                    replace=replace,
                    file_name=_name_of(file),
                    only=True,
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    report.problems.sort(key=lambda p: (p.line is not None, p.line or 0))
    fragment = bool(request.headers.get("hx-request"))
    # htmx swaps only 2xx answers: a rejected file is 200 for it and 422 for a plain form.
    status = 200 if report.written or fragment else 422
    template = "engagements/_upload_result.html" if fragment else "engagements/upload.html"
    return render(
        request,
        template,
        status_code=status,
        engagement=found,
        report=report,
        filename=file.filename or "upload",
    )


def _name_of(upload: UploadFile) -> str:
    """The uploaded file's own name, without any folder a browser sent with it."""
    return Path((upload.filename or "").replace("\\", "/")).name or "upload"


def _save(upload: UploadFile, folder: Path, limit: int) -> Path | str:
    """The upload copied under ``folder`` (its own name, made safe); a reason if refused."""
    original = Path(upload.filename or "").name
    suffix = Path(original).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return f"unsupported file type '{suffix or original}': use {', '.join(UPLOAD_SUFFIXES)}"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(original).stem)[:80] or "upload"
    target = folder / f"{safe}{suffix}"
    size = 0
    with target.open("wb") as out:
        while block := upload.file.read(CHUNK):
            size += len(block)
            if size > limit:
                return f"the file is over the upload limit of {limit:,} bytes"
            out.write(block)
    return target
