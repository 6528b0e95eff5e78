"""Every router of the app, in one place: pages first, then the REST API under /api/v1."""

from __future__ import annotations

from fastapi import FastAPI


def include_routes(app: FastAPI) -> None:
    from sourcewise.web.pages import session

    app.include_router(session.router)

    from sourcewise.web.api import locations as location_api
    from sourcewise.web.api import scenarios as scenario_api
    from sourcewise.web.pages import locations as location_pages
    from sourcewise.web.pages import scenarios as scenario_pages

    for decision_router in (scenario_pages, location_pages, scenario_api, location_api):
        app.include_router(decision_router.router)

    from sourcewise.web.api import saved_scenarios as saved_api
    from sourcewise.web.api import scenario_builder as builder_api
    from sourcewise.web.pages import saved_scenarios as saved_pages
    from sourcewise.web.pages import scenario_builder as builder_pages

    for library in (saved_pages, saved_api, builder_pages, builder_api):
        app.include_router(library.router)

    from sourcewise.web.api import runs as run_api
    from sourcewise.web.pages import run_downloads, runs

    # The runs' fixed paths (/runs/compare, /runs/jobs/…) before /runs/{run_id}.
    for workspace_router in (runs, run_downloads, run_api):
        app.include_router(workspace_router.router)

    from sourcewise.web.pages import concepts

    app.include_router(concepts.router)

    from sourcewise.web.pages import (
        audit_log,
        calendar,
        corrective_actions,
        credit_answers,
        dashboard,
        engagement_edits,
        inbox,
        record_edits,
        record_forms,
        risk_forms,
    )
    from sourcewise.web.pages import engagements as engagement_pages

    # The edit pages' fixed paths (/engagements/{name}/edit, …) next to the engagement's.
    for governance_page in (
        dashboard,
        engagement_edits,
        credit_answers,
        record_edits,
        record_forms,
        risk_forms,
        engagement_pages,
        calendar,
        corrective_actions,
        audit_log,
        inbox,
    ):
        app.include_router(governance_page.router)

    from sourcewise.web.api import (
        accounts,
        edits,
        engagements,
        events,
        kpis,
        records,
        risks,
        steering,
    )
    from sourcewise.web.api import calendar as calendar_api

    for governance in (
        engagements,
        edits,
        calendar_api,
        kpis,
        risks,
        records,
        steering,
        accounts,
        events,
    ):
        app.include_router(governance.router)
