"""``/api/v1/scenarios/saved``: the scenario library over JSON. List what the caller may see,
save a text as the next version of a name, read a scenario with its versions and one version
with its text and validated model, diff two versions field by field, and share a scenario
with the team or keep it private.

The library decides who may do what (``services.scenario_library``) and audit-logs every
write: provider users are refused (403) before anything is looked up, a scenario the caller
may not see is not found (404, so private names do not leak), and a name taken by such a
scenario is a conflict (409).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sourcewise.security.users import Principal
from sourcewise.services.scenario_library import (
    MAX_NAME,
    MAX_NOTE,
    ScenarioAccessError,
    ScenarioNameTakenError,
    diff_versions,
    get_version,
    save_scenario,
    scenario_versions,
    scenarios_with_latest,
    share_scenario,
)
from sourcewise.services.scenarios import MAX_FILE_BYTES, ScenarioModel
from sourcewise.web.api.pagination import Page, Pagination
from sourcewise.web.auth import User, require_internal, require_writer, uow_factory
from sourcewise.web.path_segments import saved_scenario_path
from sourcewise.web.problems import ApiError
from sourcewise.workspace.records import SavedScenario, ScenarioVersion, Visibility

router = APIRouter(prefix="/api/v1", tags=["saved scenarios"])

FORM_SLACK = 4
"""Fields may be this many times their stored limit, so that the library's own message (which
counts what is kept, outer spaces stripped) answers a slightly long name, not a bare 422."""


@contextmanager
def library_errors() -> Iterator[None]:
    """The library's refusals as HTTP errors: a name taken 409, not allowed 403, a scenario or
    version unknown (or hidden) 404. Pages and the API share it."""
    try:
        yield
    except ScenarioNameTakenError as error:
        raise ApiError(409, "Name taken", str(error)) from None
    except ScenarioAccessError as error:
        raise ApiError(403, "Forbidden", str(error)) from None
    except (KeyError, IndexError):
        raise
    except LookupError as error:
        raise ApiError(404, "Not found", str(error.args[0] if error.args else error)) from None


class ScenarioSummary(BaseModel):
    """A saved scenario and its latest version."""

    name: str
    owner: str = Field(description="Who saved its first version.")
    visibility: Visibility = Field(description="private: its owner and admins; team: everyone.")
    created_at: datetime = Field(description="When its first version was saved (ISO 8601).")
    latest_version: int = Field(description="The latest version's number, from 1.")
    updated_at: datetime | None = Field(description="When the latest version was saved.")
    updated_by: str | None = Field(description="Who saved the latest version.")
    url: str = Field(description="Absolute URL of the scenario.")


class VersionSummary(BaseModel):
    """One saved version, without its text."""

    version: int = Field(description="Its number, from 1.")
    created_at: datetime = Field(description="When it was saved (ISO 8601).")
    author: str = Field(description="Who saved it.")
    note: str = Field(description="What changed, in the author's words.")
    digest: str = Field(description="SHA-256 of the text as written.")
    url: str = Field(description="Absolute URL of the version.")


class ScenarioDetail(ScenarioSummary):
    versions: list[VersionSummary] = Field(description="Oldest first.")


class VersionDetail(VersionSummary):
    scenario: str
    text: str = Field(description="The YAML exactly as saved, comments included.")
    model: ScenarioModel = Field(
        description=(
            "The validated scenario, every field with its defaults in (docs/scenario.md), as "
            "kept when the version was saved: a version saved by an earlier sourcewise has the "
            "fields of that version."
        )
    )


class SaveRequest(BaseModel):
    name: str = Field(max_length=MAX_NAME * FORM_SLACK, description=f"At most {MAX_NAME} chars.")
    text: str = Field(max_length=MAX_FILE_BYTES, description="The scenario YAML.")
    note: str = Field(default="", max_length=MAX_NOTE * FORM_SLACK, description="What changed.")
    visibility: Visibility | None = Field(
        default=None,
        description="Sharing; none keeps the scenario's (a new one is shared with the team). "
        "Only its owner or an admin may change it.",
    )


class SaveResult(BaseModel):
    name: str
    version: int
    outcome: Literal["created", "unchanged"] = Field(
        description="unchanged: the text is the latest version's; nothing new was stored."
    )
    url: str = Field(description="The version's URL.")


class ShareRequest(BaseModel):
    visibility: Visibility


class InputChange(BaseModel):
    """One input that differs between two versions."""

    path: str = Field(description="functions[Customer service].options[Mexico BPO].hourly_rate")
    change: Literal["changed", "added", "removed"]
    # Any JSON: an input may be a number, a text, a distribution or a whole section.
    before: Any = Field(description="Its value in the earlier version; null when added.")
    after: Any = Field(description="Its value in the later version; null when removed.")
    source_before: str | None = Field(
        description="The `source` the earlier version gives it (or its nearest section)."
    )
    source_after: str | None = Field(description="The `source` the later version gives it.")
    line_before: int | None = Field(description="Its line in the earlier version's text.")
    line_after: int | None = Field(description="Its line in the later version's text.")


class ScenarioDiff(BaseModel):
    """Every input changed from one version of a saved scenario to another."""

    name: str
    from_version: int
    to_version: int
    changes: list[InputChange] = Field(
        description="Every changed input, with its sources and lines."
    )


def api_path(name: str, *rest: str | int) -> str:
    return f"/api/v1{saved_scenario_path(name, *rest)}"


def summary(scenario: SavedScenario, latest: ScenarioVersion | None) -> ScenarioSummary:
    return ScenarioSummary(
        name=scenario.name,
        owner=scenario.owner,
        visibility=scenario.visibility,
        created_at=scenario.created_at,
        latest_version=scenario.latest_version,
        updated_at=latest.created_at if latest else None,
        updated_by=latest.author if latest else None,
        url=api_path(scenario.name),
    )


def version_summary(version: ScenarioVersion) -> VersionSummary:
    return VersionSummary(
        version=version.version,
        created_at=version.created_at,
        author=version.author,
        note=version.note,
        digest=version.digest,
        url=api_path(version.scenario, "versions", version.version),
    )


def _internal(principal: Principal) -> Principal:
    require_internal(principal)
    return principal


@router.get("/scenarios/saved", response_model=Page[ScenarioSummary])
def list_saved(request: Request, user: User, page: Pagination) -> Page[ScenarioSummary]:
    """The saved scenarios the caller may see, by name, with who saved the latest version."""
    rows = scenarios_with_latest(uow_factory(request), _internal(user))
    return page.page([summary(s, v) for s, v in rows])


@router.post(
    "/scenarios/saved",
    status_code=201,
    response_model=SaveResult,
    responses={200: {"model": SaveResult, "description": "Identical to the latest version."}},
)
def post_saved(request: Request, response: Response, user: User, body: SaveRequest) -> SaveResult:
    """Validate the text and save it as the next version of ``name`` (created on first save,
    owned by the caller): 201 with the version's ``Location``; 200 ``unchanged`` when the text
    is the latest version's. An invalid text is 422 with every problem's line and field."""
    require_internal(user)
    require_writer(user)
    with library_errors():
        saved = save_scenario(
            uow_factory(request), body.text, body.name, body.note, user, body.visibility
        )
    url = api_path(saved.scenario.name, "versions", saved.version.version)
    if saved.created:
        response.headers["Location"] = url
    else:
        response.status_code = 200
    return SaveResult(
        name=saved.scenario.name,
        version=saved.version.version,
        outcome="created" if saved.created else "unchanged",
        url=url,
    )


@router.get("/scenarios/saved/{name:segment}", response_model=ScenarioDetail)
def get_saved(request: Request, user: User, name: str) -> ScenarioDetail:
    """A saved scenario with its versions (who saved each, when, with what note)."""
    with library_errors():
        scenario, versions = scenario_versions(uow_factory(request), name, _internal(user))
    found = summary(scenario, versions[-1] if versions else None)
    return ScenarioDetail(**found.model_dump(), versions=[version_summary(v) for v in versions])


@router.patch("/scenarios/saved/{name:segment}", response_model=ScenarioSummary)
def patch_saved(request: Request, user: User, name: str, body: ShareRequest) -> ScenarioSummary:
    """Share a scenario with the team or make it private (its owner or an admin)."""
    make_uow = uow_factory(request)
    with library_errors():
        shared = share_scenario(make_uow, name, body.visibility, _internal(user))
        latest = get_version(make_uow, shared.name, None, user)
    return summary(shared, latest)


@router.get("/scenarios/saved/{name:segment}/versions/{version}", response_model=VersionDetail)
def get_saved_version(request: Request, user: User, name: str, version: int) -> JSONResponse:
    """One version: its text as written and the validated model kept beside it."""
    with library_errors():
        found = get_version(uow_factory(request), name, version, _internal(user))
    # The kept model goes out as kept, not validated again by today's scenario schema: a
    # version saved before a field was retired stays readable.
    summary = version_summary(found).model_dump(mode="json")
    return JSONResponse(
        {**summary, "scenario": found.scenario, "text": found.text, "model": found.model}
    )


@router.get("/scenarios/saved/{name:segment}/diff", response_model=ScenarioDiff)
def get_saved_diff(
    request: Request,
    user: User,
    name: str,
    before: Annotated[int, Query(alias="from", ge=1, description="The older version.")],
    after: Annotated[int, Query(alias="to", ge=1, description="The newer version.")],
) -> ScenarioDiff:
    """Every input that differs between two versions, field by field, with the ``source``
    each version gives it and its line in each version's text."""
    with library_errors():
        diff = diff_versions(uow_factory(request), name, before, after, _internal(user))
    return ScenarioDiff(
        name=diff.after.scenario,
        from_version=diff.before.version,
        to_version=diff.after.version,
        changes=[InputChange.model_validate(asdict(c)) for c in diff.changes],
    )
