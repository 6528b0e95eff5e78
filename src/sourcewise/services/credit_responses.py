"""The provider's answer to a month's service credit: acknowledged, or disputed with a
comment. The client's staff and the provider see every answer on the engagement page; only
the engagement's own provider users give one (``edit_access.require_provider_of``).

A month's answer has a version covering the credit and the latest answer: a provider who
answers a credit that has changed since the page was shown (late KPI data, an edited target)
or that a colleague has answered meanwhile gets a ``StaleEditError``, not a silent overwrite.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sourcewise.domain.problems import InputError, Problem
from sourcewise.governance.records import Engagement
from sourcewise.governance.responses import MAX_COMMENT, CreditResponse, CreditVerdict
from sourcewise.security.disclosure import Part
from sourcewise.security.users import Principal
from sourcewise.services.edit_access import locked_engagement, require_provider_of, require_sees
from sourcewise.services.engagement_editing import FORM
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.services.record_versions import check_version, version_of
from sourcewise.services.sla import sla_report
from sourcewise.storage.repositories import NotFoundError

ENTITY = "credit_response"


@dataclass(frozen=True, slots=True)
class CreditStatement:
    """A month with a service credit, and what the provider has answered."""

    month: date
    credit: Decimal
    currency: str
    history: tuple[CreditResponse, ...]
    """Every answer for the month, oldest first; the last is in force."""
    version: str

    @property
    def response(self) -> CreditResponse | None:
        return self.history[-1] if self.history else None

    @property
    def changed_since_answer(self) -> bool:
        """The credit is no longer the amount the provider answered."""
        return self.response is not None and self.response.amount != self.credit


def _version(credit: Decimal, latest: CreditResponse | None) -> str:
    return version_of({"credit": credit, "response": latest})


def _visible(make_uow: UowFactory, principal: Principal, name: str) -> Engagement:
    require_sees(principal, Part.SERVICE_CREDITS)
    with make_uow() as uow:
        found = uow.engagements.get(name)
    if found is None or not principal.sees_provider(found.provider):
        raise NotFoundError(f"no engagement named '{name}'")
    return found


def _credits(make_uow: UowFactory, name: str, until: date) -> dict[date, Decimal]:
    report = sla_report(make_uow, name, until)
    return {m.month: m.credits.credit for m in report.months if m.credits.credit > 0}


def credit_statements(
    make_uow: UowFactory, principal: Principal, engagement: str, until: date
) -> list[CreditStatement]:
    """The months up to ``until`` with a credit, newest first, with their answers."""
    found = _visible(make_uow, principal, engagement)
    credits = _credits(make_uow, found.name, until)
    with make_uow() as uow:
        answers = uow.responses.credit_responses(found.name)
    out = []
    for month, credit in sorted(credits.items(), reverse=True):
        history = tuple(a for a in answers if a.month == month)
        latest = history[-1] if history else None
        out.append(
            CreditStatement(month, credit, found.currency, history, _version(credit, latest))
        )
    return out


def respond_to_credit(
    make_uow: UowFactory,
    principal: Principal,
    engagement: str,
    month: date,
    verdict: CreditVerdict,
    comment: str,
    version: str,
    now: datetime | None = None,
) -> CreditResponse:
    """Record the provider's answer to the credit of ``month``: a dispute needs a comment
    saying why. Logged in the audit log (entity ``credit_response``)."""
    found = _visible(make_uow, principal, engagement)
    require_provider_of(principal, found)
    month = month.replace(day=1)
    text = comment.strip()
    if verdict is CreditVerdict.DISPUTED and not text:
        raise InputError([Problem(FORM, None, "comment", "say why the credit is disputed")])
    if len(text) > MAX_COMMENT:
        message = f"is {len(text):,} characters; at most {MAX_COMMENT:,}"
        raise InputError([Problem(FORM, None, "comment", message)])
    credit = _credits(make_uow, found.name, max(month, found.start.replace(day=1))).get(month)
    if credit is None:
        raise NotFoundError(f"no service credit in {month:%Y-%m} for '{found.name}'")
    with make_uow().for_writing() as uow:
        locked_engagement(uow, principal, found.name)
        history = [a for a in uow.responses.credit_responses(found.name) if a.month == month]
        latest = history[-1] if history else None
        key = f"{found.name}/{month:%Y-%m}"
        what = f"The {month:%B %Y} credit of {found.name}"
        check_version(uow, {"credit": credit, "response": latest}, version, what, ENTITY, key)
        response = CreditResponse(
            engagement=found.name,
            month=month,
            verdict=verdict,
            comment=text,
            amount=credit,
            currency=found.currency,
            actor=principal.username,
            at=(now or datetime.now(UTC)).astimezone(UTC),
        )
        ident = uow.responses.add_credit_response(response)
        log_change(uow, ENTITY, key, latest, response, actor=response.actor, at=response.at)
        uow.commit()
    return dataclasses.replace(response, id=ident)
