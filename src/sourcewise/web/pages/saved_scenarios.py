"""Saved scenario pages: the library a user may see, "Save as…" from the editor (the text
becomes the next version of a name), a scenario with its versions, one version read-only (load
it into the editor, download it, run it), the field-by-field diff of two versions, and sharing.

Every write goes through ``services.scenario_library``, which audit-logs it. Names are hostile
input: templates escape them and links carry them as ``saved_scenario_path`` segments. Provider
users are refused (403) as on every scenario page; a scenario the user may not see is not found
(404), so private names do not leak.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sourcewise.domain.problems import InputError, Problem
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.scenario_library import (
    MAX_NAME,
    MAX_NOTE,
    ScenarioAccessError,
    ScenarioNameTakenError,
    diff_versions,
    get_version,
    may_change,
    may_share,
    save_scenario,
    scenario_versions,
    scenarios_with_latest,
    share_scenario,
)
from sourcewise.web.api.saved_scenarios import FORM_SLACK, library_errors
from sourcewise.web.auth import PageUser, require_internal, require_writer, uow_factory
from sourcewise.web.jobs import MAX_JOB_DRAWS
from sourcewise.web.pages.scenarios import SOURCE_NAME, Text, annotate, editor
from sourcewise.web.path_segments import saved_scenario_path
from sourcewise.web.templating import render
from sourcewise.workspace.records import ScenarioVersion, Visibility

router = APIRouter(include_in_schema=False)

Name = Annotated[str, Form(max_length=MAX_NAME * FORM_SLACK)]
Note = Annotated[str, Form(max_length=MAX_NOTE * FORM_SLACK)]
Sharing = Literal["", "team", "private"]
"""The save form's choice: "" keeps the scenario's sharing (a new one is the team's)."""
FORM_FIELDS = ("name", "note")
"""What the save form asks besides the text: the library names these fields in its problems."""
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;,]+')
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def download_name(name: str, version: int) -> str:
    """A file name for version ``version`` of scenario ``name``: no path, no character a file
    system or a header would take for something else."""
    base = _NOT_IN_FILE_NAMES.sub("_", name).strip(" ._") or "scenario"
    return f"{base[:100]}-v{version}.yaml"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 8187)."""
    fallback = _NOT_ASCII_SAFE.sub("_", filename).strip("._") or "scenario.yaml"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def shown(value: Any) -> str:
    """A field's value as the diff shows it: text as is, a whole number without the ``.0``
    the model gives it (``18``, as the file says), anything else as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _numbered(text: str) -> list[str]:
    return text.splitlines() or [""]


def _form_problems(problems: Sequence[Problem]) -> list[Problem]:
    """The problems of the name or the note (no line: they are not in the text)."""
    return [p for p in problems if p.line is None and p.path in FORM_FIELDS]


def _htmx(request: Request) -> bool:
    return bool(request.headers.get("hx-request"))


@router.get("/scenarios/saved", response_class=HTMLResponse)
def saved_list(request: Request, principal: PageUser) -> Response:
    require_internal(principal)
    rows = scenarios_with_latest(uow_factory(request), principal)
    return render(request, "saved/list.html", rows=rows)


@router.post("/scenarios/saved", response_class=HTMLResponse)
def save(
    request: Request,
    principal: PageUser,
    text: Text = "",
    name: Name = "",
    note: Note = "",
    visibility: Annotated[Sharing, Form()] = "",
) -> Response:
    """Save the editor's text as the next version of ``name``. htmx gets the outcome under the
    save form (and the text's problems beside the editor); a plain form a redirect to the new
    version, or the editor again with what kept it from being saved."""
    require_internal(principal)
    require_writer(principal)
    sharing = Visibility(visibility) if visibility else None
    form: dict[str, Any] = {"save_name": name, "save_note": note, "save_visibility": visibility}
    try:
        saved = save_scenario(
            uow_factory(request), text, name, note, principal, sharing, SOURCE_NAME
        )
    except InputError as error:
        fields = _form_problems(error.problems)
        if fields:
            messages = [f"{p.path}: {p.message}" for p in fields]
            return _not_saved(request, text, form, 422, messages=messages)
        return _not_saved(request, text, form, 422, problems=list(error.problems))
    except ScenarioAccessError as error:
        status = 409 if isinstance(error, ScenarioNameTakenError) else 403
        return _not_saved(request, text, form, status, messages=[str(error)])
    if _htmx(request):
        return render(request, "saved/_save_result.html", saved=saved)
    version = saved_scenario_path(saved.scenario.name, "versions", saved.version.version)
    return RedirectResponse(version, status_code=303)


def _not_saved(
    request: Request,
    text: str,
    form: dict[str, Any],
    status: int,
    messages: Sequence[str] = (),
    problems: Sequence[Problem] = (),
) -> Response:
    """Why nothing was saved: under the save form for htmx (200, which htmx swaps in; the
    text's problems replace the list beside the editor), else the editor again."""
    if not _htmx(request):
        refusal = {"messages": messages, "problems": len(problems)}
        return editor(request, text, "", status_code=status, save_refused=refusal, **form)
    return render(
        request,
        "saved/_save_result.html",
        saved=None,
        messages=messages,
        problems=annotate(text, list(problems)),
    )


@router.get("/scenarios/saved/{name:segment}", response_class=HTMLResponse)
def saved_page(request: Request, principal: PageUser, name: str) -> Response:
    require_internal(principal)
    with library_errors():
        scenario, versions = scenario_versions(uow_factory(request), name, principal)
    return render(
        request,
        "saved/scenario.html",
        scenario=scenario,
        versions=list(reversed(versions)),
        may_share=may_share(principal, scenario),
        may_save=may_change(principal, scenario),
    )


@router.post("/scenarios/saved/{name:segment}/share", response_class=HTMLResponse)
def share(
    request: Request,
    principal: PageUser,
    name: str,
    visibility: Annotated[Visibility, Form()],
) -> Response:
    """Make the scenario private or the team's (its owner or an admin), then show it."""
    require_internal(principal)
    with library_errors():
        shared = share_scenario(uow_factory(request), name, visibility, principal)
    return RedirectResponse(saved_scenario_path(shared.name), status_code=303)


def _version(request: Request, principal: Any, name: str, number: int) -> ScenarioVersion:
    require_internal(principal)
    with library_errors():
        return get_version(uow_factory(request), name, number, principal)


@router.get("/scenarios/saved/{name:segment}/versions/{number:int}", response_class=HTMLResponse)
def version_page(request: Request, principal: PageUser, name: str, number: int) -> Response:
    version = _version(request, principal, name, number)
    return render(
        request,
        "saved/version.html",
        version=version,
        lines=_numbered(version.text),
        draws=DEFAULT_DRAWS,
        seed=DEFAULT_SEED,
        max_draws=MAX_JOB_DRAWS,
    )


@router.get(
    "/scenarios/saved/{name:segment}/versions/{number:int}/edit", response_class=HTMLResponse
)
def load_into_editor(request: Request, principal: PageUser, name: str, number: int) -> Response:
    """The editor with this version's text; saving it under the same name adds a version."""
    version = _version(request, principal, name, number)
    return editor(request, version.text, "", save_name=version.scenario, loaded=version)


@router.get("/scenarios/saved/{name:segment}/versions/{number:int}/download")
def download(request: Request, principal: PageUser, name: str, number: int) -> Response:
    """The version's text exactly as saved, as a YAML file."""
    version = _version(request, principal, name, number)
    filename = download_name(version.scenario, version.version)
    return Response(
        version.text.encode("utf-8"),
        media_type="text/yaml; charset=utf-8",
        headers={"Content-Disposition": content_disposition(filename)},
    )


@router.get("/scenarios/saved/{name:segment}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    principal: PageUser,
    name: str,
    before: Annotated[int | None, Query(alias="from", ge=1)] = None,
    after: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> Response:
    """What changed between two versions (by default the latest and the one before)."""
    require_internal(principal)
    make_uow = uow_factory(request)
    with library_errors():
        scenario, versions = scenario_versions(make_uow, name, principal)
        newer = after or scenario.latest_version
        older = before or max(newer - 1, 1)
        diff = diff_versions(make_uow, scenario.name, older, newer, principal)
    return render(
        request,
        "saved/diff.html",
        scenario=scenario,
        versions=list(reversed(versions)),
        diff=diff,
        shown=shown,
    )
