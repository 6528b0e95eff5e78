"""The in-memory twin of the corrective-action store (``sql_corrective_actions``), part of
``memory.MemoryUnitOfWork``: the same unique key, applied to the unit's working copy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sourcewise.governance.corrective_actions import CorrectiveActionPlan, PlanState
from sourcewise.storage.repositories import (
    CorrectiveActionRepository,
    DuplicateError,
    NotFoundError,
)

if TYPE_CHECKING:
    from sourcewise.storage.memory import MemoryUnitOfWork


def _breach(plan: CorrectiveActionPlan) -> tuple[str, str, object]:
    return (plan.engagement, plan.service_level, plan.first_breach)


class MemoryCorrectiveActions(CorrectiveActionRepository):
    def __init__(self, owner: MemoryUnitOfWork) -> None:
        self._owner = owner

    @property
    def _plans(self) -> dict[int, CorrectiveActionPlan]:
        return self._owner.working.action_plans

    def add(self, plan: CorrectiveActionPlan) -> int:
        if any(_breach(p) == _breach(plan) for p in self._plans.values()):
            raise DuplicateError(
                f"a plan for {plan.service_level} ({plan.first_breach:%Y-%m}) exists already"
            )
        ident = max(self._plans, default=0) + 1
        self._plans[ident] = replace(plan, id=ident)
        return ident

    def update(self, plan: CorrectiveActionPlan) -> None:
        if plan.id is None or plan.id not in self._plans:
            raise NotFoundError(f"no corrective-action plan {plan.id}")
        self._plans[plan.id] = replace(
            self._plans[plan.id],
            last_breach=plan.last_breach,
            state=plan.state,
            closed_by=plan.closed_by,
            closed_at=plan.closed_at,
            closing_note=plan.closing_note,
        )

    def get(self, plan_id: int) -> CorrectiveActionPlan | None:
        return self._plans.get(plan_id)

    def plans(
        self, engagement: str | None = None, states: Sequence[PlanState] | None = None
    ) -> list[CorrectiveActionPlan]:
        found = [
            p
            for p in self._plans.values()
            if (engagement is None or p.engagement == engagement)
            and (states is None or p.state in states)
        ]
        return sorted(found, key=lambda p: (p.engagement, p.opened_at, p.id or 0))
