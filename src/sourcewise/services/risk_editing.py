"""Adding and editing a risk of an engagement in the browser, with the risk file's checks and
optimistic concurrency.

The form edits what a risk file gives per risk except its triggers, which are structured
rules (``governance.triggers``) kept as they are and edited in the file. A new risk gets the
next free code (R-001, …). An edit appends its changes to the risk's history, as loading a
changed risk file does, and both are logged in the audit log (entity ``risk``) as the
signed-in user.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sourcewise.adapters.risk_file import risk_from_data
from sourcewise.governance.risks import Risk, diff_risks, next_risk_code
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import locked_engagement, require_client_editor, require_sees
from sourcewise.services.engagement_editing import FORM, Editable
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_versions import check_version, version_of
from sourcewise.services.risk_register import risk_json
from sourcewise.storage.repositories import NotFoundError

FIELDS = (
    "title",
    "category",
    "owner",
    "inherent.likelihood",
    "inherent.impact",
    "residual.likelihood",
    "residual.impact",
    "mitigations",
    "status",
)
"""What the risk form edits, named as in the risk file."""


def risk_values(risk: Risk) -> dict[str, Any]:
    return {
        "title": risk.title,
        "category": risk.category.value,
        "owner": risk.owner,
        "inherent": {"likelihood": risk.inherent.likelihood, "impact": risk.inherent.impact},
        "residual": {"likelihood": risk.residual.likelihood, "impact": risk.residual.impact},
        "mitigations": list(risk.mitigations),
        "status": risk.status.value,
    }


def _risk_of(
    make_uow: UowFactory, principal: Principal, engagement: str, code: str
) -> tuple[Risk, Editable]:
    require_sees(principal, Part.RISKS)
    with make_uow() as uow:
        found = locked_engagement(uow, principal, engagement, lock=False)
        risk = uow.risks.get(code)
    if risk is None or risk.engagement != found.name:
        raise NotFoundError(f"no risk '{code}' of '{engagement}'")
    return risk, Editable(risk_values(risk), version_of(risk))


def risk_for_edit(
    make_uow: UowFactory, principal: Principal, engagement: str, code: str
) -> tuple[Risk, Editable]:
    """The engagement's risk, its form's values and its version."""
    return _risk_of(make_uow, principal, engagement, code)


def _read(engagement: str, data: Mapping[str, Any], code: str | None = None) -> Risk:
    given = {k: v for k, v in data.items() if k.split(".")[0] in {f.split(".")[0] for f in FIELDS}}
    raw: dict[str, Any] = {**given, "engagement": engagement}
    if code is not None:
        raw["code"] = code
    return risk_from_data(raw, FORM)


def add_risk(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    data: Mapping[str, Any],
    now: datetime | None = None,
) -> Risk:
    """Add a risk of the engagement under the next free code."""
    require_sees(principal, Part.RISKS)
    require_client_editor(principal)
    read = _read(engagement, data)
    with make_uow().for_writing() as uow:
        found = locked_engagement(uow, principal, engagement)
        risk = dataclasses.replace(
            read,
            code=next_risk_code(r.code for r in uow.risks.all()),
            engagement=found.name,
        )
        uow.risks.add(risk)
        at = (now or datetime.now(UTC)).astimezone(UTC)
        log_change(uow, "risk", risk.code, None, risk_json(risk), principal.username, at)
        uow.commit()
    return risk


def edit_risk(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    code: str,
    data: Mapping[str, Any],
    version: str,
    now: datetime | None = None,
) -> Risk:
    """Change the risk's fields (``FIELDS``; its code, engagement and triggers stay) if it is
    still at ``version``."""
    require_sees(principal, Part.RISKS)
    require_client_editor(principal)
    with make_uow().for_writing() as uow:
        found = locked_engagement(uow, principal, engagement)
        uow.risks.lock(code)
        before = uow.risks.get(code)
        if before is None or before.engagement != found.name:
            raise NotFoundError(f"no risk '{code}' of '{engagement}'")
        check_version(uow, before, version, f"Risk {code}", "risk", code)
        read = _read(found.name, data, code)
        after = dataclasses.replace(read, triggers=before.triggers)
        at = (now or datetime.now(UTC)).astimezone(UTC)
        changes = diff_risks(before, after, at, principal.username)
        if changes:
            uow.risks.update(after, changes)
            log_change(
                uow, "risk", code, risk_json(before), risk_json(after), principal.username, at
            )
            uow.commit()
    return after
