"""Ticking a step of an open risk playbook done (or undoing the tick) from the browser or the
API, with optimistic concurrency: the playbook's version covers its steps and its resolution.

A playbook is addressed by ``playbook_id``: a short hash of its risk and the moment it was
opened, which together identify it. Ticking the last open step does not resolve the playbook:
resolving is the risk owner's decision (``risk evaluate`` resolves a playbook whose trigger
stopped firing). Each tick is logged in the audit log (entity ``playbook``, keyed as when it
was opened) with the playbook before and after, as the signed-in user.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from sourcewise.governance.playbook import PlaybookRecord
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import (
    locked_engagement,
    require_client_editor,
    require_sees,
)
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_versions import check_version
from sourcewise.storage.repositories import NotFoundError


def playbook_id(run: PlaybookRecord) -> str:
    key = f"{run.risk}\x1f{run.opened_at.astimezone(UTC).isoformat()}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def playbook_key(run: PlaybookRecord) -> str:
    """The playbook's key in the audit log (as ``evaluate_risks`` writes it)."""
    return f"{run.risk}: {run.trigger}"


def tick_step(
    make_uow: UowFactory,
    principal: Principal,
    code: str,
    ident: str,
    step: int,
    done: bool,
    version: str,
    now: datetime | None = None,
) -> PlaybookRecord:
    """Mark step ``step`` (0-based) of the risk's playbook ``ident`` done at ``now`` (or not
    done), if the playbook is still at ``version``. Analysts and admins; the risk register is
    internal, so never a provider user."""
    require_sees(principal, Part.RISKS)
    require_client_editor(principal)
    with make_uow().for_writing() as uow:
        risk = uow.risks.get(code)
        if risk is None:
            raise NotFoundError(f"no risk with code '{code}'")
        if risk.engagement is not None:
            locked_engagement(uow, principal, risk.engagement)
        uow.risks.lock(code)
        run = next((p for p in uow.risks.playbooks(code) if playbook_id(p) == ident), None)
        if run is None:
            raise NotFoundError(f"no playbook {ident} of risk '{code}'")
        what = f"The playbook of {code} opened {run.opened_at:%Y-%m-%d %H:%M} UTC"
        check_version(uow, run, version, what, "playbook", playbook_key(run))
        if not 0 <= step < len(run.actions):
            raise NotFoundError(f"the playbook of {code} has no step {step + 1}")
        actions = list(run.actions)
        action, owner, due, was_done = actions[step]
        moment = (now or datetime.now(UTC)).astimezone(UTC) if done else None
        if (was_done is None) == (moment is None):  # already as asked: nothing to change
            return run
        actions[step] = (action, owner, due, moment)
        after = replace(run, actions=tuple(actions))
        uow.risks.update_playbook(after)
        log_change(uow, "playbook", playbook_key(run), run, after, actor=principal.username)
        uow.commit()
    return after


def find_playbook(
    make_uow: UowFactory, principal: Principal, code: str, ident: str
) -> PlaybookRecord:
    """The risk's playbook ``ident`` (its version is ``version_of`` it)."""
    require_sees(principal, Part.RISKS)
    with make_uow() as uow:
        found = next((p for p in uow.risks.playbooks(code) if playbook_id(p) == ident), None)
    if found is None:
        raise NotFoundError(f"no playbook {ident} of risk '{code}'")
    return found
