"""The audit log: every change, newest first, filtered by entity and paginated. Not for
provider users (they get a 403 page)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sourcewise.services import views
from sourcewise.web.auth import PageUser, uow_factory
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

ENTITIES = (
    "engagement",
    "service_level",
    "credit_response",
    "finding_response",
    "provider",
    "kpi",
    "measurements",
    "monthly_cost",
    "audit",
    "survey",
    "meeting",
    "pilot",
    "risk",
    "playbook",
    "risk_playbooks",
    "risk_escalation",
    "user",
    "api_token",
)
"""The kinds of record the services log (offered in the filter; any other name works too)."""
MAX_PAGES = 200


def shown(value: Any) -> str:
    """A logged record as compact text (JSON for structures)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


@router.get("/audit-log", response_class=HTMLResponse)
def audit_log(
    request: Request,
    principal: PageUser,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGES)] = 1,
) -> Response:
    if not principal.sees_everything:
        return render(request, "audit_log.html", status_code=403, forbidden=True)
    size: int = request.app.state.settings.page_size
    wanted = (entity or "").strip() or None
    # Newest first; one more than the page holds tells whether a next page exists.
    entries = views.audit_log(uow_factory(request), entity=wanted, limit=page * size + 1)
    rows = entries[(page - 1) * size : page * size]
    return render(
        request,
        "audit_log.html",
        forbidden=False,
        rows=rows,
        entity=wanted or "",
        entities=ENTITIES,
        page=page,
        has_next=len(entries) > page * size and page < MAX_PAGES,
        shown=shown,
    )
