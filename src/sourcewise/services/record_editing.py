"""Adding and editing audits and meetings in the browser or the API, and closing a meeting's
action, with the checks of their files and optimistic concurrency.

A record is addressed by ``record_id``: a short hash of its natural key (audit: title and
date; meeting: kind, date and title), stable in links and free of the characters a title
may hold. The key identifies the record, so an edit keeps it; everything else can change.
Every write is logged in the audit log (entities ``audit`` and ``meeting``, keyed as when the
record was added from a file) with the record before and after.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sourcewise.adapters.record_files import record_data, record_from_data
from sourcewise.domain.problems import InputError, Problem
from sourcewise.governance.records import Audit, ItemKind, Meeting
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import locked_engagement, require_client_editor
from sourcewise.services.engagement_editing import FORM, Editable
from sourcewise.services.governance_records import describe, record_key
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_versions import check_version, version_of
from sourcewise.storage.repositories import DuplicateError, NotFoundError
from sourcewise.storage.unit_of_work import UnitOfWork

KINDS = ("audit", "meeting")


def record_id(record: Audit | Meeting) -> str:
    """A record's address: 12 hex digits of the hash of its natural key."""
    key = "\x1f".join(str(part) for part in record_key(record))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def key_text(record: Audit | Meeting) -> str:
    """The record's key in the audit log (as ``add_records`` writes it)."""
    return "/".join(str(k) for k in record_key(record))


def _stored(uow: UnitOfWork, kind: str, engagement: str) -> list[Audit] | list[Meeting]:
    if kind == "audit":
        return uow.records.audits(engagement)
    return uow.records.meetings(engagement)


def _find(uow: UnitOfWork, kind: str, engagement: str, ident: str) -> Audit | Meeting:
    for record in _stored(uow, kind, engagement):
        if record_id(record) == ident:
            return record
    raise NotFoundError(f"no {kind} {ident} in '{engagement}'")


def record_for_edit(
    make_uow: UowFactory, principal: Principal, kind: str, engagement: str, ident: str
) -> tuple[Audit | Meeting, Editable]:
    """The record, its values as its file would hold them, and its version."""
    with make_uow() as uow:
        locked_engagement(uow, principal, engagement, lock=False)
        found = _find(uow, kind, engagement, ident)
    return found, Editable(record_data(found), version_of(found))


def _read(kind: str, engagement: str, data: Mapping[str, Any]) -> Audit | Meeting:
    record = record_from_data(kind, {**data, "engagement": engagement}, FORM)
    if not isinstance(record, Audit | Meeting):  # record_from_data's kind is ours
        raise TypeError(kind)
    return record


def add_record(
    make_uow: UowFactory,
    principal: Principal,
    kind: str,
    engagement: str,
    data: Mapping[str, Any],
) -> Audit | Meeting:
    """Add an audit or a meeting given as its file entry's data (``engagement`` is the
    page's); ``InputError`` naming each field with a problem, or the key if it is taken."""
    require_client_editor(principal)
    record = _read(kind, engagement, data)
    with make_uow().for_writing() as uow:
        locked_engagement(uow, principal, engagement)
        try:
            if isinstance(record, Audit):
                uow.records.add_audit(record)
            else:
                uow.records.add_meeting(record)
        except DuplicateError:
            field = "title"
            message = f"{describe(record)} exists already; open it to edit it"
            raise InputError([Problem(FORM, None, field, message)]) from None
        log_change(uow, kind, key_text(record), None, record, actor=principal.username)
        uow.commit()
    return record


def edit_record(
    make_uow: UowFactory,
    principal: Principal,
    kind: str,
    engagement: str,
    ident: str,
    data: Mapping[str, Any],
    version: str,
) -> Audit | Meeting:
    """Replace the record's fields with ``data`` (its key fields are kept) if it is still at
    ``version``."""
    require_client_editor(principal)
    with make_uow().for_writing() as uow:
        locked_engagement(uow, principal, engagement)
        before = _find(uow, kind, engagement, ident)
        check_version(uow, before, version, describe(before).capitalize(), kind, key_text(before))
        fixed = {k: v for k, v in record_data(before).items() if k in _KEY_FIELDS[kind]}
        after = _read(kind, engagement, {**data, **fixed})
        _replace(uow, before, after, principal.username)
        uow.commit()
    return after


_KEY_FIELDS = {"audit": ("title", "held_on"), "meeting": ("kind", "held_on", "title")}


def _replace(uow: UnitOfWork, before: Audit | Meeting, after: Audit | Meeting, actor: str) -> None:
    if after == before:
        return
    if isinstance(after, Audit):
        uow.records.replace_audit(after)
        log_change(uow, "audit", key_text(after), before, after, actor=actor)
    else:
        uow.records.replace_meeting(after)
        log_change(uow, "meeting", key_text(after), before, after, actor=actor)


def close_action(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    ident: str,
    action: int,
    done_on: date,
    version: str,
) -> Meeting:
    """Mark the meeting's ``action``-th action (0-based, in the order of the minutes) done on
    ``done_on``, if the meeting is still at ``version``. A date before the meeting is refused,
    as in the meeting file."""
    require_client_editor(principal)
    with make_uow().for_writing() as uow:
        locked_engagement(uow, principal, engagement)
        before = _find(uow, "meeting", engagement, ident)
        assert isinstance(before, Meeting)
        check_version(
            uow, before, version, describe(before).capitalize(), "meeting", key_text(before)
        )
        positions = [i for i, item in enumerate(before.items) if item.kind is ItemKind.ACTION]
        if not 0 <= action < len(positions):
            raise NotFoundError(f"{describe(before)} has no action {action + 1}")
        data = record_data(before)
        data["actions"][action]["done_on"] = done_on
        try:
            after = _read("meeting", engagement, data)
        except InputError as error:
            prefix = f"actions[{action}]."
            raise InputError(
                [replace(p, path=p.path.removeprefix(prefix)) for p in error.problems]
            ) from None
        assert isinstance(after, Meeting)
        _replace(uow, before, after, principal.username)
        uow.commit()
    return after
