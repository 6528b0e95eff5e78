"""``create_app(settings)``: the FastAPI application, its middleware, error handling and routes.

The database is opened once (checked to be at the migration head) when the app is built, never
at import. Routes run synchronously in FastAPI's thread pool; each request's unit of work takes
a connection from the app's pool (PostgreSQL or a SQLite file). The app's job threads start with
the server and give their jobs back to the queue when it stops; so does the monitoring schedule
(``monitor_every``), which the servers sharing a database take turns to run.

``sourcewise serve --workers N`` runs N processes, each building the app with
``app_from_environment`` (the settings travel in environment variables).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from sourcewise.domain.problems import InputError
from sourcewise.services.governance_store import UowFactory, open_store
from sourcewise.services.monitor_schedule import MonitorScheduler
from sourcewise.services.read_cache import ReadCache
from sourcewise.web.api.deprecation import DeprecationHeaders
from sourcewise.web.auth import LoginRequiredError
from sourcewise.web.jobs import registry_of
from sourcewise.web.openapi import api_openapi
from sourcewise.web.problems import ApiError, input_errors, problem_response
from sourcewise.web.routes import include_routes
from sourcewise.web.security import BodySizeLimit, SecurityHeaders, security_headers
from sourcewise.web.settings import WebSettings
from sourcewise.web.templating import make_templates

STATIC = Path(__file__).with_name("static")


def plotly_js() -> Path:
    """Plotly.js as shipped in the plotly Python package (no CDN)."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@asynccontextmanager
async def _running_jobs(app: FastAPI) -> AsyncIterator[None]:
    """The job threads run while the server does (jobs queued by any server get done), and so
    does the monitoring schedule when one is set."""
    jobs = registry_of(app)
    jobs.start()
    every = app.state.settings.monitor_every
    scheduler = None if every is None else MonitorScheduler(app.state.make_uow, every)
    if scheduler is not None:
        scheduler.start()
    yield
    if scheduler is not None:
        await run_in_threadpool(scheduler.stop)
    await run_in_threadpool(jobs.stop)


def app_from_environment() -> FastAPI:
    """The app with settings from the environment: the factory uvicorn's worker processes call
    (``sourcewise.web.app:app_from_environment``)."""
    return create_app(WebSettings.from_environment())


def create_app(settings: WebSettings | None = None, make_uow: UowFactory | None = None) -> FastAPI:
    """The web app and API. ``make_uow`` replaces the database (tests pass the in-memory twin)."""
    settings = settings or WebSettings.from_environment()
    app = FastAPI(
        lifespan=_running_jobs,
        title="sourcewise",
        summary="Decide whether, where and with whom to outsource or offshore, and govern it.",
        version="1",
        openapi_url="/api/openapi.json",
        # The docs page is served below with local assets: the default one loads Swagger UI
        # from a CDN and initialises it with an inline script, which the CSP forbids.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.make_uow = make_uow or open_store(
        settings.database_url, pooled=True, pool_size=settings.db_pool_size
    )
    app.state.reads = ReadCache(app.state.make_uow)
    app.state.templates = make_templates()

    @app.exception_handler(ApiError)
    async def _problem(request: Request, error: ApiError) -> Response:
        if not _is_api(request):
            if error.status == 401:
                return _to_login(request)
            page = _error_page(request, error.status, error.title, error.detail)
            page.headers.update(error.headers or {})  # e.g. a 429's Retry-After
            return page
        return problem_response(
            error.status, error.title, error.detail, error.errors, error.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        title = HTTPStatus(error.status_code).phrase
        detail = "" if error.detail == title else str(error.detail)
        if not _is_api(request):
            return _error_page(request, error.status_code, title, detail)
        headers = dict(error.headers) if error.headers else None
        return problem_response(error.status_code, title, detail, headers=headers)

    @app.exception_handler(InputError)
    async def _input(request: Request, error: InputError) -> Response:
        errors = input_errors(error.problems)
        if not _is_api(request):
            listed = [{"field": e["field"], "message": e["message"]} for e in errors]
            return _error_page(request, 422, "Invalid input", "fix every listed problem", listed)
        return problem_response(422, "Invalid input", "fix every listed problem", errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]}
            for e in error.errors()
        ]
        if not _is_api(request):
            # A page names the parameter as the address bar or the form shows it.
            named = [{"field": _parameter(e["loc"]), "message": e["msg"]} for e in error.errors()]
            return _error_page(request, 422, "Invalid request", "fix every listed field", named)
        return problem_response(422, "Invalid request", "fix every listed field", errors)

    @app.exception_handler(Exception)
    async def _crash(request: Request, error: Exception) -> Response:
        """An unexpected error: the server logs it; the answer shows nothing of it. Starlette
        sends this answer from outside every added middleware, so it gets its headers here."""
        title = HTTPStatus.INTERNAL_SERVER_ERROR.phrase
        if _is_api(request):
            response: Response = problem_response(500, title)
        else:
            response = _crash_page(request, title)
        for name, value in security_headers(request.url.path, settings.secure_cookies).items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequiredError)
    async def _login(request: Request, error: LoginRequiredError) -> Response:
        return _to_login(request)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def _plotly() -> FileResponse:
        return FileResponse(plotly_js(), media_type="text/javascript")

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz", include_in_schema=False)
    def _health() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @app.get("/api/docs", include_in_schema=False)
    def _api_docs(request: Request) -> Response:
        from sourcewise.web.templating import render

        return render(request, "api_docs.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    include_routes(app)
    # The document FastAPI builds, completed with each operation's problem documents.
    app.openapi = lambda: api_openapi(app)  # type: ignore[method-assign]
    # The last added is the outermost: every answer, a refused body's too, gets the headers.
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes)
    app.add_middleware(DeprecationHeaders)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _parameter(location: Sequence[int | str]) -> str:
    """``("query", "page")`` as ``page``; a body field's path as ``items.0.name``."""
    parts = [str(p) for p in location]
    if len(parts) > 1 and parts[0] in ("query", "path", "header", "cookie", "body"):
        parts = parts[1:]
    return ".".join(parts)


def _error_page(
    request: Request,
    status: int,
    title: str,
    detail: str,
    errors: Sequence[dict[str, Any]] = (),
) -> Response:
    from sourcewise.web.templating import render

    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        title=title,
        detail=detail,
        errors=errors,
    )


def _crash_page(request: Request, title: str) -> Response:
    """The error page without asking the database who is signed in (it may be what broke):
    the layout shows the user only if the request had found it before failing."""
    templates = request.app.state.templates
    context = {
        "request": request,
        "principal": getattr(request.state, "principal", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "status": 500,
        "title": title,
        "detail": "something went wrong on the server; it has been logged",
        "errors": (),
    }
    response: Response = templates.TemplateResponse(request, "error.html", context, status_code=500)
    return response


def _to_login(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.headers.get("hx-request"):
        # htmx follows HX-Redirect instead of swapping the sign-in page into a fragment.
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
