"""KPIs: the catalogue, an engagement's measurements (read and submitted), drift alerts and
provider scorecards.

Submitting measurements is open to writers and to the provider's own users
(``Principal.may_submit_for``); a file is loaded all or nothing, and its rows must all be of
the engagement in the URL, so a provider cannot write into another provider's engagement.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from sourcewise.reports.governance_documents import DriftAlertDocument, ScorecardDocument
from sourcewise.reports.governance_json import drift_json, scorecards_json
from sourcewise.security.disclosure import Part
from sourcewise.services import views
from sourcewise.services.governance_store import acting_as
from sourcewise.services.kpi_ingest import ingest_measurements
from sourcewise.services.monitoring import drift_alerts, scorecards
from sourcewise.web.api.engagements import MONTH, engagement_of, parse_month
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.api.uploads import (
    MEASUREMENTS,
    Upload,
    read_upload,
    renamed,
    saved,
    service_errors,
    upload_body,
)
from sourcewise.web.auth import User, require_part, uow_factory
from sourcewise.web.problems import ApiError, input_errors, problems

router = APIRouter(prefix="/api/v1", tags=["kpis"])


class Kpi(BaseModel):
    code: str
    name: str
    unit: str
    direction: str
    kind: str
    domain: str
    origin: str
    """``built-in`` or ``user``."""
    description: str


class MeasurementOut(BaseModel):
    kpi: str
    period: datetime
    value: float
    sample_size: int | None
    series: str


class EngagementKpis(BaseModel):
    engagement: str
    kpis: list[str]


class IngestResult(BaseModel):
    engagement: str
    file: str
    rows: int
    inserted: int
    unchanged: int
    replaced: int


@router.get("/kpis", response_model=list[Kpi])
def list_kpis(request: Request, user: User, page: Pagination) -> list[Kpi]:
    """The KPI catalogue: built-in definitions and user-defined ones."""
    return page.window(
        [
            Kpi(
                code=e.kpi.code,
                name=e.kpi.name,
                unit=e.kpi.unit.value,
                direction=e.kpi.direction.value,
                kind=e.kpi.kind.value,
                domain=e.kpi.domain.value,
                origin=e.origin,
                description=e.kpi.description,
            )
            for e in views.kpi_catalogue(uow_factory(request))
        ]
    )


@router.get("/engagements/{name:segment}/kpis", response_model=EngagementKpis)
def engagement_kpis(request: Request, user: User, name: str) -> EngagementKpis:
    """The KPI codes measured for the engagement."""
    require_part(user, Part.KPIS)
    found = engagement_of(request, user, name)
    codes = views.measured_kpis(uow_factory(request), found.name)
    return EngagementKpis(engagement=found.name, kpis=codes)


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@router.get(
    "/engagements/{name:segment}/kpis/{kpi:segment}/measurements",
    response_model=Page[MeasurementOut],
)
def measurements(
    request: Request,
    user: User,
    page: Pagination,
    name: str,
    kpi: str,
    start: Annotated[
        datetime | None, Query(alias="from", description="Periods from (inclusive).")
    ] = None,
    end: Annotated[datetime | None, Query(alias="to", description="Periods before.")] = None,
    series: Annotated[str | None, Query(description="Only this series label.")] = None,
) -> Page[MeasurementOut]:
    """The KPI's measurements by period then series (naive times are UTC)."""
    require_part(user, Part.KPIS)
    found = engagement_of(request, user, name)
    rows = views.kpi_measurements(uow_factory(request), found.name, kpi, _utc(start), _utc(end))
    return page.page(
        [
            MeasurementOut(
                kpi=m.kpi,
                period=m.period,
                value=m.value,
                sample_size=m.sample_size,
                series=m.series,
            )
            for m in rows
            if series is None or m.series == series
        ]
    )


@router.post(
    "/engagements/{name:segment}/measurements",
    response_model=IngestResult,
    openapi_extra=upload_body("text/csv", "application/json", "application/x-ndjson"),
)
def post_measurements(
    request: Request,
    user: User,
    name: str,
    upload: Annotated[Upload, Depends(read_upload)],
    correct: Annotated[
        bool, Query(alias="replace", description="Correct stored values that differ.")
    ] = False,
) -> IngestResult:
    """Load measurements (CSV, XLSX, JSON or JSON Lines), all or nothing: any rejected row
    rolls the whole file back and every rejected row is listed in a 422 problem."""
    require_part(user, Part.KPIS)
    found = engagement_of(request, user, name)
    if not user.may_submit_for(found.provider):
        raise ApiError(403, "Forbidden", f"the {user.role} role cannot submit measurements")
    make_uow = uow_factory(request)
    with saved(upload, MEASUREMENTS) as path:
        with acting_as(user.username):
            report = ingest_measurements(
                make_uow, path, found.name, correct, file_name=upload.filename, only=True
            )
        if not report.written:
            problems = renamed(report.problems, str(path.parent), upload.filename)
            raise ApiError(
                422,
                "Invalid input",
                f"nothing loaded; {report.rejected:,} of {report.rows:,} rows rejected",
                input_errors(problems),
            )
    return IngestResult(
        engagement=found.name,
        file=upload.filename,
        rows=report.rows,
        inserted=report.inserted,
        unchanged=report.unchanged,
        replaced=report.replaced,
    )


@router.get("/engagements/{name:segment}/drift", response_model=list[DriftAlertDocument])
def drift(
    request: Request,
    user: User,
    page: Pagination,
    name: str,
    kpi: str | None = None,
    baseline: Annotated[int | None, Query(ge=2, le=1000)] = None,
) -> list[dict[str, Any]]:
    """Statistical drift alerts on the engagement's KPI series, newest first."""
    require_part(user, Part.KPIS)
    found = engagement_of(request, user, name)
    with service_errors():
        alerts = drift_alerts(uow_factory(request), found.name, kpi, baseline)
    return page.window(drift_json(alerts))


@router.get(
    "/providers/{provider:segment}/scorecard",
    response_model=list[ScorecardDocument],
    responses=problems(404),
)
def scorecard(
    request: Request,
    user: User,
    page: Pagination,
    provider: str,
    month: Annotated[str | None, Query(pattern=MONTH, description="YYYY-MM; default now.")] = None,
    months: Annotated[int, Query(ge=1, le=60)] = 12,
) -> list[dict[str, Any]]:
    """The provider's monthly scorecards over ``months`` up to ``month``, oldest first."""
    require_part(user, Part.SCORECARD)
    if not user.sees_provider(provider):
        raise ApiError(404, "Not found", f"no engagement with provider '{provider}'")
    with service_errors():
        cards = scorecards(uow_factory(request), provider, parse_month(month), months)
    return page.window(scorecards_json(cards))
