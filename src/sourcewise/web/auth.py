"""Who is asking: a session cookie (pages; CSRF-checked on every unsafe method) or a bearer API
token (scripts). FastAPI dependencies for routes to require a signed-in user, a writer, an
admin, and to keep provider users to their own engagements."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sourcewise.governance.records import Engagement
from sourcewise.security.disclosure import Part, sees
from sourcewise.security.secrets import same
from sourcewise.security.users import Principal
from sourcewise.services import views
from sourcewise.services.governance_store import UowFactory, set_actor
from sourcewise.services.read_cache import VersionedReads
from sourcewise.web.csrf import cross_origin
from sourcewise.web.problems import ApiError
from sourcewise.workspace.records import DecisionRun

SESSION_COOKIE = "sw_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LoginRequiredError(Exception):
    """A page needs a signed-in user: the handler redirects to the sign-in page."""


def uow_factory(request: Request) -> UowFactory:
    factory: UowFactory = request.app.state.make_uow
    return factory


def reads(request: Request) -> VersionedReads:
    """The request's reads from the server's cache, at the data version of its first read."""
    found: VersionedReads | None = getattr(request.state, "reads", None)
    if found is None:
        found = request.app.state.reads.current()
        request.state.reads = found
    return found


def identify(request: Request) -> Principal | None:
    """The principal of the request, remembered on ``request.state``; None if anonymous."""
    if hasattr(request.state, "principal"):
        found: Principal | None = request.state.principal
        return found
    from sourcewise.services.accounts import session_principal, token_principal

    make_uow = uow_factory(request)
    principal: Principal | None = None
    request.state.via_cookie = False
    request.state.csrf_token = ""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = token_principal(make_uow, header[7:].strip())
    else:
        raw = request.cookies.get(SESSION_COOKIE)
        found_session = session_principal(make_uow, raw) if raw else None
        if found_session is not None:
            principal, session = found_session
            request.state.via_cookie = True
            request.state.csrf_token = session.csrf_token
    request.state.principal = principal
    if principal is not None:
        # Services record this user in the audit log (the sync route runs in a copy of this
        # context in the thread pool).
        set_actor(principal.username)
    return principal


async def check_csrf(request: Request) -> None:
    """Cookie-authenticated unsafe requests must come from this site (``csrf.cross_origin``)
    and echo the session's CSRF token, in the ``X-CSRF-Token`` header (htmx, fetch) or the
    ``csrf_token`` form field."""
    if request.method not in UNSAFE or not getattr(request.state, "via_cookie", False):
        return
    if cross_origin(request):
        raise ApiError(
            403, "Cross-origin request refused", "this site's pages send no such request"
        )
    expected = request.state.csrf_token
    given = request.headers.get(CSRF_HEADER, "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
        if not given or not same(expected, given):
            # Close the parsed upload's temporary files before refusing: nothing else will.
            await form.close()
    if not expected or not given or not same(expected, given):
        raise ApiError(403, "CSRF check failed", "reload the page and try again")


async def api_user(request: Request) -> Principal:
    principal = identify(request)
    if principal is None:
        raise ApiError(
            401,
            "Not signed in",
            "send 'Authorization: Bearer <token>' (sourcewise user token) or sign in",
            headers={"WWW-Authenticate": "Bearer"},
        )
    await check_csrf(request)
    return principal


async def page_user(request: Request) -> Principal:
    principal = identify(request)
    if principal is None:
        raise LoginRequiredError
    await check_csrf(request)
    return principal


User = Annotated[Principal, Depends(api_user)]
PageUser = Annotated[Principal, Depends(page_user)]


def require_writer(principal: Principal) -> None:
    if not principal.can_write:
        raise ApiError(403, "Forbidden", f"the {principal.role} role cannot change data")


def require_runner(principal: Principal) -> None:
    """Deciding and simulating (now or as a job) spends shared workers: analysts and admins."""
    require_internal(principal)
    if not principal.can_run:
        raise ApiError(
            403, "Forbidden", f"the {principal.role} role cannot decide or simulate scenarios"
        )


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise ApiError(403, "Forbidden", "only an admin can do this")


def require_internal(principal: Principal) -> None:
    """Scenarios, locations, the audit log and cross-provider views are not for providers."""
    if not principal.sees_everything:
        raise ApiError(403, "Forbidden", "provider users see only their own engagements")


def require_part(principal: Principal, part: Part) -> None:
    """403 for a part of engagements the disclosure policy does not show this role. Asked
    before the engagement is looked up, so the answer says nothing about which exist."""
    if not sees(principal.role, part):
        raise ApiError(403, "Forbidden", f"'{part}' is not shared with {principal.role} users")


def visible_engagement(make_uow: UowFactory, principal: Principal, name: str) -> Engagement:
    """The engagement if this principal may see it; 404 otherwise (a provider user does not
    learn that another provider's engagement exists)."""
    return _visible(views.engagement(make_uow, name), principal, name)


def visible_engagements(make_uow: UowFactory, principal: Principal) -> list[Engagement]:
    return [e for e in views.engagements(make_uow) if principal.sees_provider(e.provider)]


def visible_cached_engagement(request: Request, principal: Principal, name: str) -> Engagement:
    """``visible_engagement`` from the server's read cache."""
    return _visible(reads(request).engagement(name), principal, name)


def visible_cached_engagements(request: Request, principal: Principal) -> list[Engagement]:
    """``visible_engagements`` from the server's read cache."""
    return [e for e in reads(request).engagements() if principal.sees_provider(e.provider)]


def _visible(found: Engagement | None, principal: Principal, name: str) -> Engagement:
    if found is None or not principal.sees_provider(found.provider):
        raise ApiError(404, "Not found", f"no engagement named '{name}'")
    return found


def visible_run(make_uow: UowFactory, principal: Principal, run_id: int) -> DecisionRun:
    """Decision run ``run_id`` if this principal may see it; 403 for provider users (runs are
    the business case, internal), 404 for a run that does not exist or is hidden."""
    from sourcewise.services.decision_runs import get_run

    require_internal(principal)
    try:
        return get_run(make_uow, run_id, principal)
    except LookupError:
        raise ApiError(404, "Not found", f"no decision run {run_id} that you may see") from None
