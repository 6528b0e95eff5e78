"""Jinja2 templates with the globals every page uses and the filters that format numbers, dates
and codes (``reports/formats.py``: one way to read each on every page and report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from sourcewise.reports.concepts import linker
from sourcewise.reports.formats import FILTERS
from sourcewise.web.path_segments import engagement_path, quote_segment, saved_scenario_path

TEMPLATES = Path(__file__).with_name("templates")


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters.update(FILTERS)
    env.globals.update(
        app_name="sourcewise",
        engagement_path=engagement_path,
        saved_scenario_path=saved_scenario_path,
        quote_segment=quote_segment,
        concept_href=linker("/concepts"),
    )
    return templates


def page_context(request: Any, **values: Any) -> dict[str, Any]:
    """What every page template gets: the request, who is signed in, the CSRF token."""
    from sourcewise.web.auth import identify

    principal = identify(request)
    return {
        "request": request,
        "principal": principal,
        "csrf_token": request.state.csrf_token,
        **values,
    }


def render(request: Any, template: str, status_code: int = 200, **values: Any) -> Response:
    """The page ``template`` with ``values`` and the common context."""
    templates: Jinja2Templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request, template, page_context(request, **values), status_code=status_code
    )
    return response
