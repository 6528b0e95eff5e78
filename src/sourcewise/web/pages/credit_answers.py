"""The service credits of an engagement with the provider's answers
(``/engagements/{name}/credits``, a section of the engagement page), the provider's answer to
one month's credit (acknowledged, or disputed with a comment) and to an audit finding of its
engagement (``/engagements/{name}/audits/{id}/findings/{reference}/answer``).

Everyone shown the credit terms (``Part.SERVICE_CREDITS``) sees the answers; only the
engagement's own provider users give one (client staff get 403, another provider's users
404). The form carries the version it was shown with: a credit that changed, or that a
colleague answered meanwhile, gets the section again with the conflict (409).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.domain.problems import InputError
from sourcewise.governance.responses import MAX_COMMENT, CreditVerdict
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services import views
from sourcewise.services.credit_responses import credit_statements, respond_to_credit
from sourcewise.services.edit_access import EditForbiddenError
from sourcewise.services.finding_answers import answer_finding
from sourcewise.services.governance_store import NotFoundError
from sourcewise.services.record_versions import StaleEditError
from sourcewise.web.auth import PageUser, require_part, uow_factory, visible_engagement
from sourcewise.web.edit_forms import field_errors, refusals, refused
from sourcewise.web.path_segments import engagement_path
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)

Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _section(
    request: Request,
    principal: Principal,
    name: str,
    status_code: int = 200,
    **values: Any,
) -> Response:
    make_uow = uow_factory(request)
    found = visible_engagement(make_uow, principal, name)
    until = views.latest_measured_month(make_uow, found, datetime.now(UTC).date())
    statements = credit_statements(make_uow, principal, found.name, until)
    fragment = bool(request.headers.get("hx-request"))
    return render(
        request,
        "engagements/_credits.html" if fragment else "engagements/credits.html",
        status_code=status_code,
        engagement=found,
        statements=statements,
        answers=principal.role == "provider",
        max_comment=MAX_COMMENT,
        **{"errors": {}, "failed_month": None, "conflict": None, "given": {}, **values},
    )


@router.get("/engagements/{name:segment}/credits", response_class=HTMLResponse)
def credits(request: Request, name: str, principal: PageUser) -> Response:
    require_part(principal, Part.SERVICE_CREDITS)
    return _section(request, principal, name)


@router.post("/engagements/{name:segment}/credits/{month}/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    name: str,
    month: Month,
    principal: PageUser,
    verdict: Annotated[CreditVerdict, Form()],
    version: Annotated[str, Form(max_length=100)],
    comment: Annotated[str, Form(max_length=MAX_COMMENT * 2)] = "",
) -> Response:
    require_part(principal, Part.SERVICE_CREDITS)
    first = date(int(month[:4]), int(month[5:]), 1)
    try:
        respond_to_credit(uow_factory(request), principal, name, first, verdict, comment, version)
    except InputError as error:
        given = {"verdict": verdict.value, "comment": comment}
        return _section(
            request, principal, name, 422,
            errors=field_errors(error.problems), failed_month=first, given=given,
        )  # fmt: skip
    except StaleEditError as error:
        return _section(request, principal, name, 409, conflict=str(error), failed_month=first)
    except (EditForbiddenError, NotFoundError) as error:
        raise refused(error) from None
    return RedirectResponse(f"{engagement_path(name)}#credits", status_code=303)


@router.post(
    "/engagements/{name:segment}/audits/{ident}/findings/{reference:segment}/answer",
    response_class=HTMLResponse,
)
def answer_audit_finding(
    request: Request,
    name: str,
    ident: Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")],
    reference: str,
    principal: PageUser,
    version: Annotated[str, Form(max_length=100)],
    answer: Annotated[str, Form(max_length=MAX_COMMENT * 2)] = "",
) -> Response:
    """The provider's answer to a finding (its own engagement's users only); a blank answer is
    422 naming the field, a finding changed or answered meanwhile 409."""
    require_part(principal, Part.AUDITS)
    with refusals():
        answer_finding(uow_factory(request), principal, name, ident, reference, answer, version)
    return RedirectResponse(f"{engagement_path(name)}#audits", status_code=303)
