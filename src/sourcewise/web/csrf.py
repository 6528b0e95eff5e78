"""Cross-site request forgery defences that need no session: the sign-in form's pre-session
token, and the check that a browser's unsafe request comes from this site.

The sign-in form is the one unsafe form sent before there is a session (and a session's CSRF
token, see ``auth.check_csrf``). Without a defence a page elsewhere could post it and sign a
visitor's browser into the attacker's account (login CSRF). So the form carries a random token
that must equal the one in a cookie set with it (double submit): the other page can neither
read the form nor set this site's cookie.

Browsers name the page a request comes from in ``Origin`` (every cross-site POST, and "null"
from opaque origins), else in ``Referer``. A request naming another origin than the one it
was sent to is refused, whatever token it carries; one naming neither (a privacy setting, a
script) is judged by its token alone.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response

from sourcewise.security.secrets import same

LOGIN_COOKIE = "sw_login"
LOGIN_COOKIE_SECONDS = 12 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def login_token(request: Request) -> str:
    """The visitor's pre-session token: the cookie's (several open forms agree) or a new one."""
    found = request.cookies.get(LOGIN_COOKIE, "")
    return found if _TOKEN.match(found) else secrets.token_urlsafe(32)


def set_login_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=LOGIN_COOKIE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/login",
    )


def login_token_matches(request: Request, given: str) -> bool:
    """The form's token equals the cookie's (both present and well formed)."""
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    return bool(_TOKEN.match(cookie)) and bool(given) and same(cookie, given)


def _origin(url: str) -> str | None:
    """``scheme://host[:port]`` of a URL, lower-case, without the scheme's default port."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    shown = "" if port is None or port == _DEFAULT_PORTS[scheme] else f":{port}"
    return f"{scheme}://{host}{shown}"


def own_origins(request: Request) -> set[str]:
    """This site's origins as seen by the request: the one it was sent to; its https twin when
    the site is served over https (a proxy in front may speak http to the app); and the
    settings' ``trusted_origins`` (a proxy that changes the host name)."""
    settings = request.app.state.settings
    sent_to = request.base_url
    found = {_origin(str(sent_to)), *(_origin(o) for o in settings.trusted_origins)}
    if settings.secure_cookies:
        found.add(_origin(str(sent_to.replace(scheme="https"))))
    return {o for o in found if o}


def cross_origin(request: Request) -> bool:
    """Whether the browser says this request comes from another origin than this site's."""
    claimed = request.headers.get("origin")
    if claimed is None:
        referer = request.headers.get("referer")
        if not referer:
            return False
        claimed = referer
    return _origin(claimed) not in own_origins(request)
