"""Recording what each month actually cost (invoiced fees, internal and one-off costs)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sourcewise.adapters.cost_file import read_costs
from sourcewise.domain.problems import InputError, Problem
from sourcewise.services.governance_store import UowFactory, log_change


@dataclass(frozen=True, slots=True)
class CostsAdded:
    added: int
    updated: int
    unchanged: int


def add_costs(
    make_uow: UowFactory, path: Path, engagement: str | None = None, only: bool = False
) -> CostsAdded:
    """Insert or correct monthly costs, all or nothing; each change is audit-logged. With
    ``only`` the file is for ``engagement`` alone (an upload to its URL): rows of another
    engagement refuse the file."""
    costs, problems = read_costs(path, engagement)
    others = sorted({c.engagement for c in costs if c.engagement != engagement}) if only else []
    if others:
        message = f"rows of {', '.join(others)}: this upload takes costs of '{engagement}' only"
        problems.append(Problem(str(path), None, "engagement", message))
    if problems:
        raise InputError(problems)
    added = updated = unchanged = 0
    with make_uow() as uow:
        names = {e.name for e in uow.engagements.all()}
        unknown = sorted({c.engagement for c in costs} - names)
        if unknown:
            raise InputError(
                [
                    Problem(str(path), None, "engagement", f"no engagement named '{n}'")
                    for n in unknown
                ]
            )
        stored = {
            (c.engagement, c.month): c
            for name in {c.engagement for c in costs}
            for c in uow.ledger.costs(name)
        }
        changed = []
        for cost in costs:
            before = stored.get((cost.engagement, cost.month))
            if before == cost:
                unchanged += 1
                continue
            added, updated = (added + 1, updated) if before is None else (added, updated + 1)
            changed.append(cost)
            log_change(uow, "monthly_cost", f"{cost.engagement} {cost.month:%Y-%m}", before, cost)
        if changed:
            uow.ledger.put_costs(changed)
            uow.commit()
    return CostsAdded(added, updated, unchanged)
