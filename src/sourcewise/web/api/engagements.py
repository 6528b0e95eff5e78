"""``/api/v1/engagements``: the engagements, their SLA reports, benefits and actual costs.

Provider users see only their provider's engagements; any other answers 404 so that its
existence does not leak. Of those they are shown what ``security.disclosure`` shares with
them: the engagement without its business case, and no benefits (403).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from sourcewise.governance.records import Engagement
from sourcewise.reports.governance_documents import BenefitsDocument, SlaReportDocument
from sourcewise.reports.governance_json import benefits_json, sla_report_json
from sourcewise.reports.record_documents import document_of
from sourcewise.security.disclosure import ENGAGEMENT_FIELDS, Part, engagement_fields
from sourcewise.security.users import Role
from sourcewise.services.benefits import benefits, planned_case
from sourcewise.services.costs import add_costs
from sourcewise.services.engagements import add_engagement
from sourcewise.services.governance_store import acting_as, as_json
from sourcewise.services.sla import sla_report
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.api.uploads import (
    CSV,
    YAML,
    Upload,
    read_upload,
    saved,
    service_errors,
    upload_body,
)
from sourcewise.web.auth import (
    User,
    reads,
    require_part,
    require_writer,
    uow_factory,
    visible_cached_engagement,
    visible_cached_engagements,
    visible_engagement,
)
from sourcewise.web.path_segments import engagement_path

router = APIRouter(prefix="/api/v1", tags=["engagements"])
Uploaded = Annotated[Upload, Depends(read_upload)]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
# The fields some role is not shown (security.disclosure): absent from its answer.
_WITHHELD = sorted(
    {k for role in Role for k in ENGAGEMENT_FIELDS if k not in engagement_fields(role, {k: 0})}
)
EngagementDocument = document_of(Engagement, omittable=_WITHHELD)


class EngagementSummary(BaseModel):
    name: str
    function: str
    arrangement: str
    provider: str
    home_country: str
    country: str
    start: date
    end: date | None
    currency: str
    service_levels: int


class EngagementAdded(BaseModel):
    name: str
    outcome: str
    planned_months: int
    kpis: int


class CostsAdded(BaseModel):
    engagement: str
    added: int
    updated: int
    unchanged: int


def summary(e: Engagement) -> EngagementSummary:
    return EngagementSummary(
        name=e.name,
        function=e.function,
        arrangement=e.arrangement,
        provider=e.provider,
        home_country=e.home_country,
        country=e.country,
        start=e.start,
        end=e.end,
        currency=e.currency,
        service_levels=len(e.service_levels),
    )


def parse_month(text: str | None) -> date:
    """``YYYY-MM`` as its first day; the current month when not given."""
    if text is None:
        return datetime.now(UTC).date().replace(day=1)
    return date(int(text[:4]), int(text[5:7]), 1)


def engagement_of(request: Request, user: User, name: str) -> Engagement:
    return visible_engagement(uow_factory(request), user, name)


@router.get("/engagements", response_model=Page[EngagementSummary])
def list_engagements(
    request: Request,
    user: User,
    page: Pagination,
    provider: str | None = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2 code.")] = None,
    arrangement: str | None = None,
) -> Page[EngagementSummary]:
    """The engagements this user may see, by name."""
    found = [
        e
        for e in visible_cached_engagements(request, user)
        if (provider is None or e.provider == provider)
        and (country is None or e.country.upper() == country.upper())
        and (arrangement is None or e.arrangement == arrangement)
    ]
    return page.page([summary(e) for e in sorted(found, key=lambda e: e.name)])


@router.get(
    "/engagements/{name:segment}",
    response_model=EngagementDocument,
    response_model_exclude_unset=True,
)
def get_engagement(request: Request, user: User, name: str) -> dict[str, Any]:
    """The engagement as stored: contracts, service levels, credit terms, business case (the
    fields this user's role is shown)."""
    return engagement_fields(user.role, as_json(engagement_of(request, user, name)))


@router.post(
    "/engagements",
    status_code=201,
    response_model=EngagementAdded,
    openapi_extra=upload_body("application/yaml"),
)
def post_engagement(
    request: Request,
    response: Response,
    user: User,
    upload: Uploaded,
    replace: Annotated[bool, Query(description="Update an engagement of the same name.")] = False,
) -> EngagementAdded:
    """Register an engagement from its YAML file (the same file twice changes nothing);
    ``Location`` is its URL. A ``business_case`` naming a scenario file cannot be resolved
    from an upload."""
    require_writer(user)
    with saved(upload, YAML) as path, acting_as(user.username), service_errors():
        added = add_engagement(uow_factory(request), path, replace=replace)
    response.headers["Location"] = f"/api/v1{engagement_path(added.name)}"
    return EngagementAdded(
        name=added.name, outcome=added.outcome, planned_months=added.planned_months, kpis=added.kpis
    )


@router.get("/engagements/{name:segment}/sla", response_model=SlaReportDocument)
def get_sla(
    request: Request,
    user: User,
    name: str,
    month: Annotated[str | None, Query(pattern=MONTH, description="YYYY-MM; default now.")] = None,
) -> Response:
    """Every service level's result and the service credits of ``month``, with the months
    before it since the engagement started."""
    require_part(user, Part.SERVICE_LEVELS)
    found = visible_cached_engagement(request, user, name)
    asked = parse_month(month)

    def rendered() -> bytes:
        report = sla_report(uow_factory(request), found.name, asked)
        return bytes(JSONResponse(sla_report_json(report)).body)

    # Computed and encoded once per data version: a report evaluates every month since the
    # engagement started.
    with service_errors():
        body = reads(request).cached(("sla.json", found.name, asked), rendered)
    return Response(body, media_type="application/json")


@router.get("/engagements/{name:segment}/benefits", response_model=BenefitsDocument)
def get_benefits(
    request: Request,
    user: User,
    name: str,
    run_rate_months: Annotated[int, Query(ge=1, le=24)] = 3,
) -> dict[str, Any]:
    """Planned against actual savings over the months with recorded costs (404 without a
    business case or costs; 403 for provider users)."""
    require_part(user, Part.BENEFITS)
    found = engagement_of(request, user, name)
    with service_errors():
        report = benefits(uow_factory(request), found.name, run_rate_months)
    return benefits_json(found.name, report, planned_case(uow_factory(request), found.name))


@router.post(
    "/engagements/{name:segment}/costs",
    response_model=CostsAdded,
    openapi_extra=upload_body("text/csv"),
)
def post_costs(request: Request, user: User, name: str, upload: Uploaded) -> CostsAdded:
    """Record monthly costs from a CSV (all or nothing); rows must be of this engagement."""
    found = engagement_of(request, user, name)
    require_writer(user)
    with saved(upload, CSV) as path, acting_as(user.username), service_errors():
        outcome = add_costs(uow_factory(request), path, found.name, only=True)
    return CostsAdded(
        engagement=found.name,
        added=outcome.added,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
    )
