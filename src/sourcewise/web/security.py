"""HTTP-level protections: security headers and the request-body size limit (ASGI middleware)."""

from __future__ import annotations

import inspect

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # Plotly.js and htmx set element styles at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


STATIC = "/static/"
"""Assets under this path may be cached; no other answer may be stored."""


def security_headers(path: str, hsts: bool) -> dict[str, str]:
    """The headers an answer to ``path`` carries; HSTS only when served over https.

    Every answer but a static asset is ``no-store``: pages and API answers hold one user's
    data, which a shared computer's browser cache or a proxy must not keep."""
    headers = {
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=()",
        "cross-origin-opener-policy": "same-origin",
    }
    if not path.startswith(STATIC):
        headers["cache-control"] = "no-store"
    if hsts:
        headers["strict-transport-security"] = "max-age=31536000"
    return headers


class SecurityHeaders:
    """Adds ``security_headers`` to every response that does not set them itself.

    Starlette's ServerErrorMiddleware sits outside every added middleware, so the app's
    handler of unexpected errors adds these headers itself."""

    def __init__(self, app: ASGIApp, hsts: bool) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [
            (name.encode(), value.encode())
            for name, value in security_headers(scope["path"], self.hsts).items()
        ]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyTooLargeError(HTTPException):
    """A request body over the limit: an HTTP error, so the app's own handler answers it
    (an HTML page, or a problem document under /api/), wherever it is raised."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit:,} bytes")


class BodySizeLimit:
    """Refuses request bodies over ``limit`` bytes with 413, whether or not the client sent a
    Content-Length (a chunked upload is counted as it arrives).

    Add it before ``SecurityHeaders`` (inside it), so that its answer carries the headers."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # Raised inside the route that reads the body: its handler answers.
                    raise BodyTooLargeError(self.limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer as the app answers an HTTP error, before it reads anything."""
        error = BodyTooLargeError(self.limit)
        app = scope.get("app")
        handler = getattr(app, "exception_handlers", {}).get(HTTPException)
        response: Response
        if handler is None:
            response = PlainTextResponse(error.detail, status_code=error.status_code)
        else:
            answer = handler(Request(scope, receive), error)
            response = await answer if inspect.isawaitable(answer) else answer
        await response(scope, receive, send)
