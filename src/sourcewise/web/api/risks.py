"""``/api/v1/risks``: the risk register, each risk's history, trigger evaluation and the
escalations of open playbooks.

The register is internal (``security.disclosure``): provider users get 403 on every route,
asked before any risk is looked up. Should the policy share it, a provider user would still
see the risks of its own engagements only: another provider's risk answers 404, and a risk
tied to no engagement (a portfolio risk) 403.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from sourcewise.governance.risks import Risk, RiskCategory, RiskStatus
from sourcewise.reports.risk_documents import (
    EscalationDocument,
    EvaluationDocument,
    RiskDocument,
    RiskEntry,
    RiskHistoryDocument,
    RisksAdded,
)
from sourcewise.reports.risk_json import escalations_json, evaluation_json, history_json
from sourcewise.reports.risk_json import register_json as _register_json
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.governance_store import acting_as
from sourcewise.services.risk_register import (
    add_risks,
    escalations,
    evaluate_risks,
    risk_history,
    risk_register,
)
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.api.uploads import YAML, Upload, read_upload, saved, service_errors, upload_body
from sourcewise.web.auth import (
    User,
    require_part,
    require_writer,
    uow_factory,
    visible_engagement,
    visible_engagements,
)
from sourcewise.web.problems import ApiError, problems

router = APIRouter(prefix="/api/v1", tags=["risks"])


def _visible_names(request: Request, user: Principal) -> set[str] | None:
    """The engagements whose risks ``user`` sees; None: all risks."""
    if user.sees_everything:
        return None
    return {e.name for e in visible_engagements(uow_factory(request), user)}


def _check_risk(request: Request, user: Principal, risk: Risk) -> None:
    names = _visible_names(request, user)
    if names is None:
        return
    if risk.engagement is None:
        raise ApiError(403, "Forbidden", "provider users see only their own engagements' risks")
    if risk.engagement not in names:
        raise ApiError(404, "Not found", f"no risk with code '{risk.code}'")


@router.get(
    "/risks",
    response_model=Page[RiskEntry],
    responses=problems(404),
    # A trigger answers its own kind's fields only.
    response_model_exclude_unset=True,
)
def list_risks(
    request: Request,
    user: User,
    page: Pagination,
    engagement: str | None = None,
    category: RiskCategory | None = None,
    status: RiskStatus | None = None,
) -> Page[dict[str, Any]]:
    """The register, worst residual score first, with each risk's ratings and open playbooks."""
    require_part(user, Part.RISKS)
    make_uow = uow_factory(request)
    if engagement is not None:
        visible_engagement(make_uow, user, engagement)
    names = _visible_names(request, user)
    with service_errors():
        register = risk_register(make_uow, engagement)
    wanted = {
        r.code
        for r in register.risks
        if (names is None or r.engagement in names)
        and (category is None or r.category is category)
        and (status is None or r.status is status)
    }
    items = [r for r in _register_json(register)["risks"] if r["code"] in wanted]
    return page.page(items)


@router.get(
    "/risks/{code:segment}",
    response_model=RiskDocument,
    # A trigger answers its own kind's fields only.
    response_model_exclude_unset=True,
)
def get_risk(request: Request, user: User, code: str) -> dict[str, Any]:
    """The risk as it stands."""
    require_part(user, Part.RISKS)
    with service_errors():
        history = risk_history(uow_factory(request), code)
    _check_risk(request, user, history.risk)
    found: dict[str, Any] = history_json(history)["risk"]
    return found


@router.get(
    "/risks/{code:segment}/history",
    response_model=RiskHistoryDocument,
    # A trigger answers its own kind's fields only.
    response_model_exclude_unset=True,
)
def get_risk_history(request: Request, user: User, code: str) -> dict[str, Any]:
    """The risk, every change made to it (who, when, field) and the playbooks opened for it."""
    require_part(user, Part.RISKS)
    with service_errors():
        history = risk_history(uow_factory(request), code)
    _check_risk(request, user, history.risk)
    return history_json(history)


@router.post("/risks", response_model=RisksAdded, openapi_extra=upload_body("application/yaml"))
def post_risks(
    request: Request, user: User, upload: Annotated[Upload, Depends(read_upload)]
) -> dict[str, Any]:
    """Add or update the risks of a YAML file, all or nothing; changes go to each history."""
    require_writer(user)
    with saved(upload, YAML) as path, acting_as(user.username), service_errors():
        outcome = add_risks(uow_factory(request), path)
    return {
        "added": list(outcome.added),
        "updated": list(outcome.updated),
        "unchanged": list(outcome.unchanged),
        "settings": list(outcome.settings),
    }


@router.post(
    "/risks/evaluate",
    response_model=EvaluationDocument,
    responses=problems(404),
    # A trigger answers its own kind's fields only.
    response_model_exclude_unset=True,
)
def post_evaluate(
    request: Request,
    user: User,
    as_of: Annotated[date | None, Query(description="Data up to this day; default today.")] = None,
    engagement: str | None = None,
) -> dict[str, Any]:
    """Evaluate every open risk's triggers and open the playbook of each that fired."""
    require_writer(user)
    day = as_of or datetime.now(UTC).date()
    with acting_as(user.username), service_errors():
        evaluation = evaluate_risks(uow_factory(request), day, engagement)
    return evaluation_json(evaluation)


@router.get("/escalations", response_model=list[EscalationDocument])
def get_escalations(
    request: Request,
    user: User,
    page: Pagination,
    at: Annotated[datetime | None, Query(description="The moment; default now.")] = None,
) -> list[dict[str, Any]]:
    """Where every unresolved playbook stands on the escalation path, most escalated first."""
    require_part(user, Part.RISKS)
    moment = at or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    names = _visible_names(request, user)
    found = escalations(uow_factory(request), moment)
    return page.window(
        escalations_json(tuple(e for e in found if names is None or e.risk.engagement in names))
    )
