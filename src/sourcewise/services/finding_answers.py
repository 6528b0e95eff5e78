"""The provider's answer to an audit finding of its engagement: what it has done or will do.

An audit of the provider's engagement is addressed to it with all its findings
(``security.disclosure``), so the engagement's own provider users answer any of them; the
client's staff read the answers next to each finding and give none. Answers are appended
(``governance.responses``): the newest is shown first, and a finding's version covers the
finding and its newest answer, so an answer written against a finding that changed, or that
a colleague answered meanwhile, is a ``StaleEditError``. Logged in the audit log (entity
``finding_response``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sourcewise.domain.problems import InputError, Problem
from sourcewise.governance.records import Audit, Finding
from sourcewise.governance.responses import MAX_COMMENT, FindingResponse
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import (
    locked_engagement,
    require_provider_of,
    require_sees,
)
from sourcewise.services.engagement_editing import FORM
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_editing import record_id
from sourcewise.services.record_versions import check_version, version_of
from sourcewise.storage.repositories import NotFoundError

ENTITY = "finding_response"
FindingKey = tuple[str, str]
"""(the audit's ``record_id``, the finding's reference)."""


def finding_version(finding: Finding, latest: FindingResponse | None) -> str:
    return version_of({"finding": finding, "answer": latest})


def answers_by_finding(
    make_uow: UowFactory, engagement: str
) -> dict[FindingKey, list[FindingResponse]]:
    """Every answer to the engagement's findings, newest first, by (audit id, reference); a
    read view like ``audit_report``: the caller has checked who may see the audits."""
    with make_uow() as uow:
        audits = {(a.title, a.held_on): record_id(a) for a in uow.records.audits(engagement)}
        answers = uow.responses.finding_responses(engagement)
    out: dict[FindingKey, list[FindingResponse]] = defaultdict(list)
    for answer in reversed(answers):
        ident = audits.get((answer.audit_title, answer.audit_held_on))
        if ident is not None:
            out[(ident, answer.reference)].append(answer)
    return dict(out)


def _finding(audits: list[Audit], ident: str, reference: str) -> tuple[Audit, Finding]:
    for audit in audits:
        if record_id(audit) == ident:
            for finding in audit.findings:
                if finding.reference == reference:
                    return audit, finding
    raise NotFoundError(f"no finding '{reference}' in audit {ident}")


def answer_finding(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    ident: str,
    reference: str,
    text: str,
    version: str,
    now: datetime | None = None,
) -> FindingResponse:
    """Record the provider's answer to finding ``reference`` of audit ``ident``."""
    require_sees(principal, Part.AUDITS)
    answer = text.strip()
    if not answer:
        raise InputError([Problem(FORM, None, "answer", "write what was done or is planned")])
    if len(answer) > MAX_COMMENT:
        message = f"is {len(answer):,} characters; at most {MAX_COMMENT:,}"
        raise InputError([Problem(FORM, None, "answer", message)])
    with make_uow().for_writing() as uow:
        found = locked_engagement(uow, principal, engagement)
        require_provider_of(principal, found)
        audit, finding = _finding(uow.records.audits(found.name), ident, reference)
        earlier = [
            r
            for r in uow.responses.finding_responses(found.name)
            if (r.audit_title, r.audit_held_on, r.reference)
            == (audit.title, audit.held_on, reference)
        ]
        latest = earlier[-1] if earlier else None
        key = f"{found.name}/{audit.title}/{audit.held_on}/{reference}"
        what = f"Finding {reference} of audit '{audit.title}'"
        check_version(uow, {"finding": finding, "answer": latest}, version, what, ENTITY, key)
        response = FindingResponse(
            engagement=found.name,
            audit_title=audit.title,
            audit_held_on=audit.held_on,
            reference=reference,
            answer=answer,
            actor=principal.username,
            at=(now or datetime.now(UTC)).astimezone(UTC),
        )
        uow.responses.add_finding_response(response)
        log_change(uow, ENTITY, key, latest, response, actor=response.actor, at=response.at)
        uow.commit()
    return response


def finding_with_answers(
    make_uow: UowFactory, principal: Principal, engagement: str, ident: str, reference: str
) -> tuple[Finding, list[FindingResponse], str]:
    """The finding, its answers (newest first) and the version an answer must send."""
    require_sees(principal, Part.AUDITS)
    with make_uow() as uow:
        found = locked_engagement(uow, principal, engagement, lock=False)
        _, finding = _finding(uow.records.audits(found.name), ident, reference)
    given = answers_by_finding(make_uow, found.name).get((ident, reference), [])
    return finding, given, finding_version(finding, given[0] if given else None)
