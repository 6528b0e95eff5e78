"""Editing through the API, with optimistic concurrency: a ``GET`` answers the record's
editable values with its version in ``ETag``; a change sends that version in ``If-Match``
and gets ``409`` (with the current ``ETag``) if the record changed meanwhile, ``428`` without
one, ``422`` naming each field the engagement or record file's checks refuse.

The same services and rules as the pages: analysts and admins edit service levels, the
engagement's core fields, meeting actions and risk playbook steps; only the engagement's own
provider users answer its service credits; another provider's engagement is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Header, Path, Request, Response
from pydantic import BaseModel, Field

from sourcewise.governance.playbook import PlaybookRecord
from sourcewise.governance.responses import (
    MAX_COMMENT,
    CreditResponse,
    CreditVerdict,
    FindingResponse,
)
from sourcewise.reports.risk_documents import Playbook
from sourcewise.security.disclosure import Part
from sourcewise.services import views
from sourcewise.services.credit_responses import credit_statements, respond_to_credit
from sourcewise.services.engagement_editing import (
    CORE_FIELDS,
    SERVICE_LEVEL_FIELDS,
    edit_engagement,
    edit_service_level,
    engagement_for_edit,
    service_level_for_edit,
)
from sourcewise.services.finding_answers import answer_finding, finding_with_answers
from sourcewise.services.governance_store import as_json
from sourcewise.services.playbook_steps import find_playbook, tick_step
from sourcewise.services.record_editing import close_action, record_for_edit
from sourcewise.services.record_versions import version_of
from sourcewise.web.api.edit_documents import (
    CreditStatement,
    FindingWithAnswers,
    GivenCreditAnswer,
    GivenFindingAnswer,
    MeetingValues,
    ServiceLevelValues,
    Terms,
)
from sourcewise.web.api.pagination import Pagination
from sourcewise.web.auth import User, require_part, require_writer, uow_factory
from sourcewise.web.edit_forms import etag, if_match, refusals
from sourcewise.web.problems import ApiError

router = APIRouter(prefix="/api/v1", tags=["edits"])
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="The ETag of the GET it starts from.", max_length=100),
]
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
RecordId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]
T = TypeVar("T")


def _tagged(response: Response, version: str, body: T) -> T:
    response.headers["ETag"] = etag(version)
    return body


def _call(function: Callable[..., T], *args: Any) -> T:
    with refusals():
        return function(*args)


# --- service levels ----------------------------------------------------------------------


@router.get(
    "/engagements/{name:segment}/service-levels/{level:segment}",
    response_model=ServiceLevelValues,
    response_model_exclude_unset=True,
)
def service_level(
    request: Request, response: Response, user: User, name: str, level: str
) -> dict[str, Any]:
    """The service level as the engagement file holds it; its version in ``ETag``."""
    require_part(user, Part.SERVICE_LEVELS)
    found = _call(service_level_for_edit, uow_factory(request), user, name, level)
    return _tagged(response, found.version, as_json(found.values))


@router.patch(
    "/engagements/{name:segment}/service-levels/{level:segment}",
    response_model=ServiceLevelValues,
    response_model_exclude_unset=True,
)
def patch_service_level(
    request: Request,
    response: Response,
    user: User,
    name: str,
    level: str,
    changes: Annotated[dict[str, Any], Body(description="Fields to change, e.g. target.")],
    version: IfMatch = None,
) -> dict[str, Any]:
    """Change some of the service level's fields (``null`` clears one to its default)."""
    require_part(user, Part.SERVICE_LEVELS)
    require_writer(user)
    expected = if_match(version)
    make_uow = uow_factory(request)
    current = _call(service_level_for_edit, make_uow, user, name, level)
    merged = {k: v for k, v in current.values.items() if k in SERVICE_LEVEL_FIELDS}
    merged.update(changes)
    merged = {k: v for k, v in merged.items() if v is not None}
    _call(edit_service_level, make_uow, user, name, level, merged, expected)
    found = _call(service_level_for_edit, make_uow, user, name, level)
    return _tagged(response, found.version, as_json(found.values))


# --- the engagement's core fields and credit terms ---------------------------------------


def _nested(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        part, field = path.split(".")
        out.setdefault(part, {})[field] = value
    return out


@router.get("/engagements/{name:segment}/terms", response_model=Terms)
def terms(request: Request, response: Response, user: User, name: str) -> dict[str, Any]:
    """The engagement's core fields and service-credit terms, as its file holds them
    (``engagement`` and ``service_credits``); their version in ``ETag``."""
    require_part(user, Part.SERVICE_CREDITS)
    found = _call(engagement_for_edit, uow_factory(request), user, name)
    return _tagged(response, found.version, as_json(_nested(found.values)))


@router.patch("/engagements/{name:segment}/terms", response_model=Terms)
def patch_terms(
    request: Request,
    response: Response,
    user: User,
    name: str,
    changes: Annotated[
        dict[str, dict[str, Any]],
        Body(description='E.g. {"service_credits": {"at_risk_pct": "10"}}.'),
    ],
    version: IfMatch = None,
) -> dict[str, Any]:
    require_writer(user)
    expected = if_match(version)
    make_uow = uow_factory(request)
    current = _call(engagement_for_edit, make_uow, user, name)
    merged = dict(current.values)
    for part, fields in changes.items():
        for field, value in fields.items():
            merged[f"{part}.{field}"] = value
    unknown = sorted(set(merged) - set(CORE_FIELDS))
    merged = {k: v for k, v in merged.items() if v is not None}
    if unknown:
        errors = [{"field": k, "message": "cannot be edited here"} for k in unknown]
        raise ApiError(422, "Invalid input", "fix every listed problem", errors)
    _call(edit_engagement, make_uow, user, name, merged, expected)
    found = _call(engagement_for_edit, make_uow, user, name)
    return _tagged(response, found.version, as_json(_nested(found.values)))


# --- meetings and their actions ----------------------------------------------------------


@router.get(
    "/engagements/{name:segment}/meetings/{ident}",
    response_model=MeetingValues,
    response_model_exclude_unset=True,
)
def meeting(
    request: Request, response: Response, user: User, name: str, ident: RecordId
) -> dict[str, Any]:
    """A meeting as its file holds it (actions in order); its version in ``ETag``."""
    require_part(user, Part.MEETINGS)
    _, found = _call(record_for_edit, uow_factory(request), user, "meeting", name, ident)
    return _tagged(response, found.version, as_json(found.values))


class ActionDone(BaseModel):
    done_on: date = Field(description="When the action was done (not before the meeting).")


@router.post(
    "/engagements/{name:segment}/meetings/{ident}/actions/{number}/done",
    response_model=MeetingValues,
    response_model_exclude_unset=True,
)
def action_done(
    request: Request,
    response: Response,
    user: User,
    name: str,
    ident: RecordId,
    number: Annotated[int, Path(ge=1, le=1000, description="1 is the meeting's first action.")],
    body: ActionDone,
    version: IfMatch = None,
) -> dict[str, Any]:
    require_part(user, Part.MEETINGS)
    require_writer(user)
    expected = if_match(version)
    make_uow = uow_factory(request)
    _call(close_action, make_uow, user, name, ident, number - 1, body.done_on, expected)
    _, found = _call(record_for_edit, make_uow, user, "meeting", name, ident)
    return _tagged(response, found.version, as_json(found.values))


# --- the provider's answers to service credits -------------------------------------------


class CreditAnswer(BaseModel):
    verdict: CreditVerdict
    comment: str = Field("", max_length=MAX_COMMENT, description="Needed for a dispute.")


def _answer_json(answer: CreditResponse | FindingResponse) -> dict[str, Any]:
    data: dict[str, Any] = as_json(answer)
    data.pop("id", None)
    return data


@router.get("/engagements/{name:segment}/credits", response_model=list[CreditStatement])
def credits(request: Request, user: User, page: Pagination, name: str) -> list[dict[str, Any]]:
    """Each month with a service credit, newest first, with the provider's answers and the
    version an answer must send in ``If-Match``."""
    require_part(user, Part.SERVICE_CREDITS)
    make_uow = uow_factory(request)
    found = views.engagement(make_uow, name)
    if found is None or not user.sees_provider(found.provider):
        raise ApiError(404, "Not found", f"no engagement named '{name}'")
    until = views.latest_measured_month(make_uow, found, datetime.now(UTC).date())
    statements = _call(credit_statements, make_uow, user, found.name, until)
    return page.window(
        [
            {
                "month": f"{s.month:%Y-%m}",
                "credit": str(s.credit),
                "currency": s.currency,
                "answers": [_answer_json(a) for a in s.history],
                "version": etag(s.version),
            }
            for s in statements
        ]
    )


@router.post(
    "/engagements/{name:segment}/credits/{month}/answer",
    status_code=201,
    response_model=GivenCreditAnswer,
)
def answer_credit(
    request: Request,
    user: User,
    name: str,
    month: Month,
    body: CreditAnswer,
    version: IfMatch = None,
) -> dict[str, Any]:
    require_part(user, Part.SERVICE_CREDITS)
    expected = if_match(version)
    first = date(int(month[:4]), int(month[5:]), 1)
    answer = _call(
        respond_to_credit,
        uow_factory(request),
        user,
        name,
        first,
        body.verdict,
        body.comment,
        expected,
    )
    return _answer_json(answer)


# --- risk playbook steps -----------------------------------------------------------------


def _playbook_json(run: PlaybookRecord) -> dict[str, Any]:
    return {
        "risk": run.risk,
        "trigger": run.trigger,
        "reason": run.reason,
        "opened_at": run.opened_at.isoformat(),
        "resolved_at": None if run.resolved_at is None else run.resolved_at.isoformat(),
        "actions": [
            {
                "action": action,
                "owner_role": owner,
                "due_at": due.isoformat(),
                "done_at": None if done is None else done.isoformat(),
            }
            for action, owner, due, done in run.actions
        ],
    }


@router.get("/risks/{code:segment}/playbooks/{ident}", response_model=Playbook)
def playbook(
    request: Request, response: Response, user: User, code: str, ident: RecordId
) -> dict[str, Any]:
    """A risk's playbook with its steps; its version in ``ETag``."""
    require_part(user, Part.RISKS)
    found = _call(find_playbook, uow_factory(request), user, code, ident)
    return _tagged(response, version_of(found), _playbook_json(found))


class StepDone(BaseModel):
    done: bool = Field(True, description="false undoes the tick.")


@router.post("/risks/{code:segment}/playbooks/{ident}/steps/{number}", response_model=Playbook)
def playbook_step(
    request: Request,
    response: Response,
    user: User,
    code: str,
    ident: RecordId,
    number: Annotated[int, Path(ge=1, le=1000, description="1 is the playbook's first step.")],
    body: StepDone,
    version: IfMatch = None,
) -> dict[str, Any]:
    require_part(user, Part.RISKS)
    require_writer(user)
    expected = if_match(version)
    after = _call(
        tick_step, uow_factory(request), user, code, ident, number - 1, body.done, expected
    )
    return _tagged(response, version_of(after), _playbook_json(after))


# --- the provider's answers to audit findings --------------------------------------------

FINDING = "/engagements/{name:segment}/audits/{ident}/findings/{reference:segment}"


@router.get(FINDING, response_model=FindingWithAnswers)
def finding(
    request: Request, response: Response, user: User, name: str, ident: RecordId, reference: str
) -> dict[str, Any]:
    """An audit finding with the provider's answers, newest first; the version an answer must
    send in ``ETag``."""
    require_part(user, Part.AUDITS)
    found, answers, version = _call(
        finding_with_answers, uow_factory(request), user, name, ident, reference
    )
    body = {**as_json(found), "answers": [_answer_json(a) for a in answers]}
    return _tagged(response, version, body)


class FindingAnswer(BaseModel):
    answer: str = Field(min_length=1, max_length=MAX_COMMENT)


@router.post(f"{FINDING}/answer", status_code=201, response_model=GivenFindingAnswer)
def answer_audit_finding(
    request: Request,
    user: User,
    name: str,
    ident: RecordId,
    reference: str,
    body: FindingAnswer,
    version: IfMatch = None,
) -> dict[str, Any]:
    require_part(user, Part.AUDITS)
    expected = if_match(version)
    given = _call(
        answer_finding, uow_factory(request), user, name, ident, reference, body.answer, expected
    )
    return _answer_json(given)
