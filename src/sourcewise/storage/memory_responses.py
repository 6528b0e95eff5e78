"""The in-memory twin of the provider responses store (``sql_responses``), part of
``memory.MemoryUnitOfWork``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sourcewise.governance.responses import CreditResponse, FindingResponse
from sourcewise.storage.repositories import NotFoundError, ResponseRepository

if TYPE_CHECKING:
    from sourcewise.storage.memory import MemoryUnitOfWork


@dataclass
class ResponseState:
    credits: list[CreditResponse] = field(default_factory=list)
    findings: list[FindingResponse] = field(default_factory=list)


class MemoryResponses(ResponseRepository):
    def __init__(self, owner: MemoryUnitOfWork) -> None:
        self._owner = owner

    @property
    def _state(self) -> ResponseState:
        return self._owner.working.responses

    def _next_id(self) -> int:
        ids = [r.id or 0 for r in self._state.credits] + [r.id or 0 for r in self._state.findings]
        return max(ids, default=0) + 1

    def add_credit_response(self, response: CreditResponse) -> int:
        if response.engagement not in self._owner.working.engagements:
            raise NotFoundError(f"no engagement named '{response.engagement}'")
        ident = self._next_id()
        self._state.credits.append(replace(response, id=ident))
        return ident

    def credit_responses(self, engagement: str) -> list[CreditResponse]:
        return [r for r in self._state.credits if r.engagement == engagement]

    def add_finding_response(self, response: FindingResponse) -> int:
        key = (response.engagement, response.audit_title, response.audit_held_on)
        audits = self._owner.working.audits
        if not any((a.engagement, a.title, a.held_on) == key for a in audits):
            raise NotFoundError(f"no audit '{response.audit_title}' of {response.audit_held_on}")
        ident = self._next_id()
        self._state.findings.append(replace(response, id=ident))
        return ident

    def finding_responses(self, engagement: str) -> list[FindingResponse]:
        return [r for r in self._state.findings if r.engagement == engagement]
