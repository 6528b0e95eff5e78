"""Saved scenarios: named, shared by role, with immutable versions kept as written.

Saving validates the text first (the same checks as ``sourcewise check``), so the store holds
only scenarios that decide; the text is kept byte for byte with its comments and sources, and
the validated model beside it (every field, defaults filled in) for comparing versions.
Saving text identical to the latest version makes no new version.

Who may do what: ``principal`` None is the command line, whose user has the database in hand
and may do everything; in the web app and API, provider users never see scenarios, a private
scenario is its owner's (and admins'), and a team scenario is read by every colleague and
given new versions by analysts and admins.
"""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sourcewise.adapters.scenario_file import load_scenario_model_text
from sourcewise.adapters.yaml_source import parse_yaml
from sourcewise.domain.problems import InputError, Problem
from sourcewise.security.users import Principal
from sourcewise.services.governance_store import UowFactory, current_actor, log_change
from sourcewise.storage.unit_of_work import UnitOfWork
from sourcewise.workspace.records import SavedScenario, ScenarioVersion, Visibility
from sourcewise.workspace.scenario_diff import FieldChange, diff_models, path_in_file, source_of

MAX_NAME = 200
MAX_NOTE = 2000


class ScenarioAccessError(PermissionError):
    """The principal may not see or change this scenario."""


class ScenarioNameTakenError(ScenarioAccessError):
    """The name belongs to a scenario the principal may not see: saving needs another name
    (a conflict, not a refusal; it says no more than that the name exists)."""


@dataclass(frozen=True, slots=True)
class Saved:
    scenario: SavedScenario
    version: ScenarioVersion
    created: bool
    """False when the text was identical to the latest version: nothing new was stored."""


@dataclass(frozen=True, slots=True)
class InputChange:
    """One changed field between two versions, with what each version says of its origin."""

    path: str
    change: str
    before: Any
    after: Any
    source_before: str | None
    source_after: str | None
    line_before: int | None
    line_after: int | None


@dataclass(frozen=True, slots=True)
class ScenarioDiff:
    before: ScenarioVersion
    after: ScenarioVersion
    changes: tuple[InputChange, ...]


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clean_name(name: str, where: str = "name") -> str:
    """A scenario name as stored: outer spaces stripped, printable, at most ``MAX_NAME``."""
    cleaned = name.strip()
    problem = None
    if not cleaned:
        problem = "is empty"
    elif len(cleaned) > MAX_NAME:
        problem = f"is {len(cleaned)} characters; at most {MAX_NAME}"
    elif any(unicodedata.category(c).startswith("C") for c in cleaned):
        problem = "contains a control character"
    if problem:
        raise InputError([Problem(where, None, "name", f"the scenario name {problem}")])
    return cleaned


def _clean_note(note: str) -> str:
    cleaned = note.strip()
    if len(cleaned) > MAX_NOTE:
        raise InputError(
            [Problem("note", None, "note", f"is {len(cleaned)} characters; at most {MAX_NOTE}")]
        )
    return cleaned


def may_see(principal: Principal | None, scenario: SavedScenario) -> bool:
    if principal is None or principal.is_admin:
        return True
    if not principal.sees_everything:
        return False
    return scenario.visibility is Visibility.TEAM or scenario.owner == principal.username


def may_change(principal: Principal | None, scenario: SavedScenario) -> bool:
    if principal is None or principal.is_admin:
        return True
    if not principal.can_write:
        return False
    return scenario.visibility is Visibility.TEAM or scenario.owner == principal.username


def may_share(principal: Principal | None, scenario: SavedScenario) -> bool:
    """Whether ``principal`` may make the scenario private or the team's: its owner, an admin."""
    return principal is None or principal.is_admin or scenario.owner == principal.username


def _actor(principal: Principal | None) -> str:
    return principal.username if principal is not None else current_actor()


def _unknown(uow: UnitOfWork, name: str, principal: Principal | None) -> LookupError:
    visible = [s.name for s in uow.workspace.scenarios() if may_see(principal, s)]
    close = difflib.get_close_matches(name, visible, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    known = ", ".join(visible) or "none yet: save one with `sourcewise scenario save FILE`"
    return LookupError(f"no saved scenario named '{name}'{hint}; known: {known}")


def visible_scenario(uow: UnitOfWork, name: str, principal: Principal | None) -> SavedScenario:
    """The scenario called ``name`` if ``principal`` may see it; a not-found error otherwise
    (the same for a scenario that exists but is hidden, so names do not leak)."""
    found = uow.workspace.scenario(name)
    if found is None or not may_see(principal, found):
        raise _unknown(uow, name, principal)
    return found


def visible_version(
    uow: UnitOfWork, name: str, number: int | None, principal: Principal | None
) -> ScenarioVersion:
    scenario = visible_scenario(uow, name, principal)
    found = uow.workspace.version(name, number)
    if found is None:
        raise LookupError(
            f"scenario '{name}' has versions 1 to {scenario.latest_version}, not {number}"
        )
    return found


def save_scenario(
    make_uow: UowFactory,
    text: str,
    name: str,
    note: str = "",
    principal: Principal | None = None,
    visibility: Visibility | None = None,
    source: str | None = None,
) -> Saved:
    """Validate ``text`` and store it as the next version of scenario ``name`` (created on
    first save, owned by whoever saves it, shared with the team unless ``visibility`` says
    private). ``source`` names the text in problems (a file path; else the name)."""
    name = clean_name(name, source or "name")
    note = _clean_note(note)
    scenario, model, problems = load_scenario_model_text(text, source or name)
    if scenario is None or model is None:
        raise InputError(problems)
    actor = _actor(principal)
    now = datetime.now(UTC)
    digest = digest_of(text)
    with make_uow().for_writing() as uow:
        stored = uow.workspace.scenario(name)
        if stored is None:
            if principal is not None and not principal.can_write:
                raise ScenarioAccessError(f"{actor} may not save scenarios")
            stored = SavedScenario(name, actor, visibility or Visibility.TEAM, now)
            uow.workspace.add_scenario(stored)
            log_change(uow, "scenario", name, None, stored, actor=actor, at=now)
        elif not may_change(principal, stored):
            if not may_see(principal, stored):
                raise ScenarioNameTakenError(f"the name '{name}' is taken; choose another")
            raise ScenarioAccessError(f"{actor} may not change scenario '{name}'")
        elif visibility is not None and visibility is not stored.visibility:
            _set_visibility(uow, stored, visibility, principal, actor, now)
        latest = uow.workspace.version(name)
        if latest is not None and latest.digest == digest:
            uow.commit()
            return Saved(uow.workspace.scenario(name) or stored, latest, False)
        number = 1 if latest is None else latest.version + 1
        version = ScenarioVersion(name, number, now, actor, note, text, model, digest)
        uow.workspace.add_version(version)
        log_change(
            uow,
            "scenario_version",
            version.label,
            None,
            {"note": note, "digest": digest, "bytes": len(text.encode("utf-8"))},
            actor=actor,
            at=now,
        )
        uow.commit()
        saved = uow.workspace.scenario(name) or stored
        return Saved(saved, uow.workspace.version(name, number) or version, True)


def _set_visibility(
    uow: UnitOfWork,
    stored: SavedScenario,
    visibility: Visibility,
    principal: Principal | None,
    actor: str,
    at: datetime,
) -> None:
    if not may_share(principal, stored):
        raise ScenarioAccessError(f"only the owner ({stored.owner}) or an admin may share it")
    uow.workspace.set_visibility(stored.name, visibility)
    log_change(
        uow,
        "scenario",
        stored.name,
        {"visibility": stored.visibility.value},
        {"visibility": visibility.value},
        actor=actor,
        at=at,
    )


def share_scenario(
    make_uow: UowFactory, name: str, visibility: Visibility, principal: Principal | None = None
) -> SavedScenario:
    """Make a scenario private or shared with the team (its owner or an admin; anyone else
    is refused even when it is so already)."""
    with make_uow() as uow:
        stored = visible_scenario(uow, name, principal)
        if not may_share(principal, stored):
            raise ScenarioAccessError(f"only the owner ({stored.owner}) or an admin may share it")
        if stored.visibility is not visibility:
            _set_visibility(
                uow, stored, visibility, principal, _actor(principal), datetime.now(UTC)
            )
            uow.commit()
        return uow.workspace.scenario(name) or stored


def list_scenarios(make_uow: UowFactory, principal: Principal | None = None) -> list[SavedScenario]:
    with make_uow() as uow:
        return [s for s in uow.workspace.scenarios() if may_see(principal, s)]


def scenarios_with_latest(
    make_uow: UowFactory, principal: Principal | None = None
) -> list[tuple[SavedScenario, ScenarioVersion | None]]:
    """The scenarios the principal may see, by name, each with its latest version (when it was
    last saved, by whom, with what note)."""
    with make_uow() as uow:
        return [
            (s, uow.workspace.version(s.name))
            for s in uow.workspace.scenarios()
            if may_see(principal, s)
        ]


def scenario_versions(
    make_uow: UowFactory, name: str, principal: Principal | None = None
) -> tuple[SavedScenario, list[ScenarioVersion]]:
    with make_uow() as uow:
        scenario = visible_scenario(uow, name, principal)
        return scenario, uow.workspace.versions(name)


def get_version(
    make_uow: UowFactory, name: str, number: int | None = None, principal: Principal | None = None
) -> ScenarioVersion:
    """Version ``number`` of scenario ``name`` (the latest when None)."""
    with make_uow() as uow:
        return visible_version(uow, name, number, principal)


def diff_versions(
    make_uow: UowFactory,
    name: str,
    before: int,
    after: int,
    principal: Principal | None = None,
) -> ScenarioDiff:
    """Every changed input between two versions, field by field, each with its ``source`` and
    line in each version's text."""
    with make_uow() as uow:
        old = visible_version(uow, name, before, principal)
        new = visible_version(uow, name, after, principal)
    return ScenarioDiff(old, new, describe_changes(old, new))


def describe_changes(old: ScenarioVersion, new: ScenarioVersion) -> tuple[InputChange, ...]:
    """Every changed field of two versions (of one scenario or two), with sources and lines."""
    old_doc = parse_yaml(old.text, old.label)
    new_doc = parse_yaml(new.text, new.label)

    def described(change: FieldChange) -> InputChange:
        in_old = change.change != "added"
        in_new = change.change != "removed"
        return InputChange(
            change.path,
            change.change,
            change.before,
            change.after,
            source_of(old.model, change.path) if in_old else None,
            source_of(new.model, change.path) if in_new else None,
            old_doc.line_of(path_in_file(old.model, change.path)) if in_old else None,
            new_doc.line_of(path_in_file(new.model, change.path)) if in_new else None,
        )

    return tuple(described(c) for c in diff_models(old.model, new.model))
