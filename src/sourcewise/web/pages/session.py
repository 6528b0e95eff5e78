"""Signing in and out of the web pages. The sign-in form is guarded against login CSRF by a
pre-session token and an origin check (``web.csrf``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.services.accounts import (
    SignInError,
    ThrottledError,
    authenticate,
    end_session,
    start_session,
)
from sourcewise.web.auth import SESSION_COOKIE, PageUser, uow_factory
from sourcewise.web.csrf import (
    LOGIN_COOKIE,
    cross_origin,
    login_token,
    login_token_matches,
    set_login_cookie,
)
from sourcewise.web.problems import ApiError
from sourcewise.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute or scheme-relative URL (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _form(request: Request, next: str, error: str | None, status_code: int = 200) -> Response:
    """The sign-in page, its form carrying the visitor's pre-session token (and its cookie)."""
    token = login_token(request)
    response = render(
        request,
        "login.html",
        status_code=status_code,
        next=_safe_next(next),
        error=error,
        login_token=token,
    )
    set_login_cookie(response, token, request.app.state.settings.secure_cookies)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return _form(request, next or "/", None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    # Both checks come before the password's: a forged sign-in neither signs in nor counts
    # as a failure against the account.
    if cross_origin(request):
        raise ApiError(403, "Sign-in refused", "the sign-in form was sent from another site")
    if not login_token_matches(request, csrf_token):
        error = "the sign-in form had expired or was not this site's; sign in again"
        return _form(request, next, error, status_code=403)
    make_uow = uow_factory(request)
    client = request.client.host if request.client else "unknown"
    try:
        principal = authenticate(make_uow, username.strip().lower(), password, client)
    except (SignInError, ThrottledError) as error:
        status = 429 if isinstance(error, ThrottledError) else 401
        response = _form(request, next, str(error), status_code=status)
        if isinstance(error, ThrottledError):
            response.headers["Retry-After"] = str(error.retry_seconds)
        return response
    settings = request.app.state.settings
    raw, _session = start_session(make_uow, principal.username, settings.session_lifetime)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        raw,
        max_age=int(settings.session_lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, principal: PageUser) -> Response:
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        end_session(uow_factory(request), raw)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
