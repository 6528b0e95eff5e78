"""Editing an engagement in the browser or the API: its core fields and credit terms, and one
service level at a time, with the checks of the engagement file and optimistic concurrency.

An edit starts from the stored engagement written out as its file's data
(``engagement_file_data``), changes the fields the form gives, and reads it back with
``engagement_from_data``: the same validation as ``sourcewise engagement add``, every problem
named by its field. Only the edited part is taken from the result, so nothing else of the
engagement changes. Each edit is logged in the audit log with the part before and after.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sourcewise.adapters.engagement_file import (
    engagement_file_data,
    engagement_from_data,
    provider_data,
)
from sourcewise.domain.problems import InputError, Problem
from sourcewise.governance.records import Engagement
from sourcewise.governance.service_levels import ServiceLevel
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import locked_engagement, require_client_editor
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_versions import check_version, version_of
from sourcewise.storage.repositories import NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork

FORM = "form"
"""The "file" a form's problems name."""

SERVICE_LEVEL_FIELDS = (
    "target",
    "best",
    "kind",
    "window",
    "minimum_sample",
    "allocation_pct",
    "prorated",
    "full_credit_shortfall",
    "earn_back_months",
)
"""What a service level's form edits; its name and KPI identify it and stay."""

CORE_FIELDS = (
    "engagement.function",
    "engagement.home_country",
    "engagement.country",
    "engagement.start",
    "engagement.end",
    "engagement.currency",
    "service_credits.at_risk_pct",
    "service_credits.monthly_cap_pct",
    "service_credits.annual_cap_pct",
    "service_credits.max_credit_months",
)
"""The engagement form's fields, named by their place in the engagement file."""


@dataclass(frozen=True, slots=True)
class Editable:
    """What an edit form starts from: the values as the file would hold them, and their
    version."""

    values: dict[str, Any]
    version: str


def service_level_key(engagement: str, name: str) -> str:
    return f"{engagement}/{name}"


def _service_level(engagement: Engagement, name: str) -> tuple[int, ServiceLevel]:
    for index, level in enumerate(engagement.service_levels):
        if level.name == name:
            return index, level
    raise NotFoundError(f"no service level '{name}' in '{engagement.name}'")


def _file_data(uow: UnitOfWork, engagement: Engagement) -> dict[str, Any]:
    provider = uow.engagements.get_provider(engagement.provider)
    if provider is None:  # the schema's foreign key makes this unreachable
        raise NotFoundError(f"no provider named '{engagement.provider}'")
    return engagement_file_data(engagement, provider)


def _read_back(uow: UnitOfWork, data: dict[str, Any], strip: str = "") -> Engagement:
    known = {k.code: k for k in uow.kpis.all()}
    file, problems = engagement_from_data(data, FORM, known)
    if file is None:
        raise InputError([_relative(p, strip) for p in problems])
    return file.engagement


def _relative(problem: Problem, prefix: str) -> Problem:
    """A problem named by the form's field: ``service_levels[2].target`` as ``target``."""
    if prefix and problem.path.startswith(prefix):
        return dataclasses.replace(problem, path=problem.path.removeprefix(prefix))
    return problem


def _given(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InputError([Problem(FORM, None, name, "cannot be edited here") for name in unknown])
    return dict(fields)


# ---------------------------------------------------------------------------------------------
# Service levels


def service_level_for_edit(
    make_uow: UowFactory, principal: Principal, engagement: str, name: str
) -> Editable:
    with make_uow() as uow:
        found = locked_engagement(uow, principal, engagement, lock=False)
        index, level = _service_level(found, name)
        values = _file_data(uow, found)["service_levels"][index]
    return Editable(values, version_of(level))


def edit_service_level(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    name: str,
    fields: Mapping[str, Any],
    version: str,
) -> ServiceLevel:
    """Change the service level's ``fields`` (of ``SERVICE_LEVEL_FIELDS``; a field absent is
    cleared to the file's default) if it is still at ``version``."""
    require_client_editor(principal)
    given = _given(fields, SERVICE_LEVEL_FIELDS)
    with make_uow().for_writing() as uow:
        found = locked_engagement(uow, principal, engagement)
        index, level = _service_level(found, name)
        key = service_level_key(found.name, name)
        what = f"Service level '{name}' of {found.name}"
        check_version(uow, level, version, what, "service_level", key)
        data = _file_data(uow, found)
        entry = data["service_levels"][index]
        for field in SERVICE_LEVEL_FIELDS:
            entry.pop(field, None)
        entry.update(given)
        edited = _read_back(uow, data, f"service_levels[{index}].")
        new_level = edited.service_levels[index]
        if new_level != level:
            levels = list(found.service_levels)
            levels[index] = new_level
            uow.engagements.replace(dataclasses.replace(found, service_levels=tuple(levels)))
            log_change(uow, "service_level", key, level, new_level, actor=principal.username)
            uow.commit()
    return new_level


# ---------------------------------------------------------------------------------------------
# Core fields and credit terms


def _core(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for path in CORE_FIELDS:
        part, name = path.split(".")
        out[path] = data[part].get(name)
    return out


def engagement_for_edit(make_uow: UowFactory, principal: Principal, engagement: str) -> Editable:
    with make_uow() as uow:
        found = locked_engagement(uow, principal, engagement, lock=False)
        values = _core(_file_data(uow, found))
    return Editable(values, version_of(values))


def edit_engagement(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    fields: Mapping[str, Any],
    version: str,
) -> Engagement:
    """Change the engagement's core fields and credit terms (``CORE_FIELDS``; absent ones are
    cleared) if they are still at ``version``. Its name, provider, contracts and service
    levels stay."""
    require_client_editor(principal)
    given = _given(fields, CORE_FIELDS)
    with make_uow().for_writing() as uow:
        found = locked_engagement(uow, principal, engagement)
        data = _file_data(uow, found)
        before = _core(data)
        check_version(uow, before, version, f"Engagement {found.name}", "engagement", found.name)
        for path in CORE_FIELDS:
            part, name = path.split(".")
            data[part].pop(name, None)
            if path in given:
                data[part][name] = given[path]
        edited = _read_back(uow, data)
        changed = dataclasses.replace(
            found, **{f: getattr(edited, f) for f in _ENGAGEMENT_ATTRIBUTES}
        )
        if (changed.home_country, changed.country) == (found.home_country, found.country):
            # The file derives the arrangement from the countries: kept as stored otherwise.
            changed = dataclasses.replace(changed, arrangement=found.arrangement)
        if changed != found:
            uow.engagements.replace(changed)
            log_change(uow, "engagement", found.name, found, changed, actor=principal.username)
            uow.commit()
    return changed


_ENGAGEMENT_ATTRIBUTES = (
    "function",
    "arrangement",
    "home_country",
    "country",
    "start",
    "end",
    "currency",
    "at_risk_pct",
    "monthly_cap_pct",
    "annual_cap_pct",
    "max_credit_months",
)
"""What ``edit_engagement`` takes from the edited file (the arrangement follows the
countries)."""


# ---------------------------------------------------------------------------------------------
# A new engagement

NEW_FIELDS = (
    *CORE_FIELDS,
    "engagement.name",
    "contracts[0].reference",
    "contracts[0].title",
    "contracts[0].start",
    "contracts[0].end",
    "contracts[0].monthly_fee",
)
"""The new engagement's form: the core fields, its name and its master agreement (service
levels and further contracts come from its file, or are edited afterwards)."""


def providers(make_uow: UowFactory) -> list[str]:
    """The providers a new engagement may be with, by name."""
    with make_uow() as uow:
        return sorted(p.name for p in uow.engagements.providers())


def create_engagement(
    make_uow: UowFactory, principal: Principal, provider: str, fields: Mapping[str, Any]
) -> Engagement:
    """Add an engagement with a stored ``provider``, checked as its file would be;
    ``InputError`` naming each field at fault (a name taken included)."""
    require_client_editor(principal)
    given = _given(fields, NEW_FIELDS)
    with make_uow().for_writing() as uow:
        stored = uow.engagements.get_provider(provider)
        if stored is None:
            raise InputError([Problem(FORM, None, "provider", f"no provider named '{provider}'")])
        data: dict[str, Any] = {
            "provider": provider_data(stored),
            "engagement": {},
            "service_credits": {},
            "contracts": [{"kind": "master_agreement"}],
        }
        for path, value in given.items():
            part, name = path.split(".")
            if part == "contracts[0]":
                data["contracts"][0][name] = value
            else:
                data[part][name] = value
        engagement = _read_back(uow, data)
        if uow.engagements.get(engagement.name) is not None:
            message = f"an engagement named '{engagement.name}' exists already"
            raise InputError([Problem(FORM, None, "engagement.name", message)])
        uow.engagements.add(engagement)
        log_change(uow, "engagement", engagement.name, None, engagement, actor=principal.username)
        uow.commit()
    return engagement
