"""Every router of the app, in one place: pages first, then the REST API under /api/v1."""

from __future__ import annotations

from fastapi import FastAPI


def include_routes(app: FastAPI) -> None:
    from sourcewise.web.pages import session

    app.include_router(session.router)
