"""SQL repository for corrective-action plans, one per breach under a unique key."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.governance.corrective_actions import CorrectiveActionPlan, PlanState
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import (
    CorrectiveActionRepository,
    DuplicateError,
    NotFoundError,
)
from sourcewise.storage.types import aware_utc, naive_utc

plans = t.corrective_action_plans.c


def _plan(row: RowMapping) -> CorrectiveActionPlan:
    return CorrectiveActionPlan(
        engagement=row["engagement"],
        service_level=row["service_level"],
        first_breach=row["first_breach"],
        last_breach=row["last_breach"],
        owner=row["owner"],
        due_on=row["due_on"],
        opened_at=aware_utc(row["opened_at"]),
        state=PlanState(row["state"]),
        closed_by=row["closed_by"],
        closed_at=aware_utc(row["closed_at"]),
        closing_note=row["closing_note"],
        id=row["id"],
    )


def _changes(plan: CorrectiveActionPlan) -> dict[str, Any]:
    return {
        "last_breach": plan.last_breach,
        "state": plan.state.value,
        "closed_by": plan.closed_by,
        "closed_at": naive_utc(plan.closed_at),
        "closing_note": plan.closing_note,
    }


class SqlCorrectiveActions(CorrectiveActionRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, plan: CorrectiveActionPlan) -> int:
        taken = self.connection.execute(
            select(plans.id).where(
                plans.engagement == plan.engagement,
                plans.service_level == plan.service_level,
                plans.first_breach == plan.first_breach,
            )
        ).first()
        if taken is not None:
            raise DuplicateError(
                f"a plan for {plan.service_level} ({plan.first_breach:%Y-%m}) exists already"
            )
        values = {
            "engagement": plan.engagement,
            "service_level": plan.service_level,
            "first_breach": plan.first_breach,
            "owner": plan.owner,
            "due_on": plan.due_on,
            "opened_at": naive_utc(plan.opened_at),
            **_changes(plan),
        }
        statement = insert(t.corrective_action_plans).values(**values).returning(plans.id)
        return int(self.connection.execute(statement).scalar_one())

    def update(self, plan: CorrectiveActionPlan) -> None:
        done = self.connection.execute(
            update(t.corrective_action_plans).where(plans.id == plan.id).values(**_changes(plan))
        )
        if done.rowcount == 0:
            raise NotFoundError(f"no corrective-action plan {plan.id}")

    def get(self, plan_id: int) -> CorrectiveActionPlan | None:
        row = (
            self.connection.execute(select(t.corrective_action_plans).where(plans.id == plan_id))
            .mappings()
            .one_or_none()
        )
        return None if row is None else _plan(row)

    def plans(
        self, engagement: str | None = None, states: Sequence[PlanState] | None = None
    ) -> list[CorrectiveActionPlan]:
        query = select(t.corrective_action_plans)
        if engagement is not None:
            query = query.where(plans.engagement == engagement)
        if states is not None:
            query = query.where(plans.state.in_([s.value for s in states]))
        query = query.order_by(plans.engagement, plans.opened_at, plans.id)
        return [_plan(row) for row in self.connection.execute(query).mappings()]
