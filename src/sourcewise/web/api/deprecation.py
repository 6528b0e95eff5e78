"""Deprecating an API operation (docs/api.md, "Deprecations"): ``deprecated(...)`` gives a
route decorator its keyword arguments, so the operation is ``deprecated: true`` in the OpenAPI
document with the dates as ``x-deprecated-since`` and ``x-sunset``, and ``DeprecationHeaders``
puts them on every answer of that operation, errors included: ``Deprecation`` (RFC 9745, the
moment it was announced), ``Sunset`` (RFC 8594, from when it may be gone) and ``Link`` to the
policy and to the operation's successor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = "/api/docs"
"""Where the ``Link: rel="deprecation"`` header points: the API reference this server serves,
which shows the operation deprecated with its dates (docs/api.md is not served)."""
SINCE, SUNSET, SUCCESSOR = "x-deprecated-since", "x-sunset", "x-successor"


def deprecated(
    since: date,
    sunset: date,
    successor: str | None = None,
    openapi_extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Keyword arguments that mark a route deprecated since ``since``, to be removed no earlier
    than ``sunset`` (at least 180 days later), ``successor`` being the path to use instead:
    ``@router.get("/old", **deprecated(date(2027, 1, 4), date(2027, 7, 5), "/api/v1/new"))``."""
    if (sunset - since).days < 180:
        raise ValueError(f"a sunset {sunset} less than 180 days after {since} breaks the policy")
    extra = {**(openapi_extra or {}), SINCE: since.isoformat(), SUNSET: sunset.isoformat()}
    if successor is not None:
        extra[SUCCESSOR] = successor
    return {"deprecated": True, "openapi_extra": extra}


def _midnight(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC)


def deprecation_headers(extra: dict[str, Any]) -> list[tuple[bytes, bytes]]:
    """The headers an answer of a route with ``openapi_extra`` ``extra`` carries."""
    since, sunset = _midnight(extra[SINCE]), _midnight(extra[SUNSET])
    links = [f'<{POLICY}>; rel="deprecation"; type="text/html"']
    if extra.get(SUCCESSOR):
        links.append(f'<{extra[SUCCESSOR]}>; rel="successor-version"')
    return [
        (b"deprecation", f"@{int(since.timestamp())}".encode()),
        (b"sunset", format_datetime(sunset, usegmt=True).encode()),
        (b"link", ", ".join(links).encode()),
    ]


class DeprecationHeaders:
    """Adds the deprecation headers to the answers of routes ``deprecated(...)`` marked: the
    router records the matched route in the scope before the answer starts."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            route = scope.get("route")
            extra = getattr(route, "openapi_extra", None) or {}
            if message["type"] == "http.response.start" and SUNSET in extra:
                message["headers"] = [*message.get("headers", []), *deprecation_headers(extra)]
            await send(message)

        await self.app(scope, receive, with_headers)
