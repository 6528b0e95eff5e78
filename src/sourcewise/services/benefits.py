"""Benefit realisation: the business case's planned months against what the engagement
actually cost (invoiced fees less service credits, plus internal and one-off costs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sourcewise.governance.benefits import ActualMonth, BenefitReport, realise_benefits
from sourcewise.services.engagements import engagement_or_error
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.sla import sla_report


class NoPlanError(LookupError):
    """The engagement has no business case to compare with."""


def benefits(make_uow: UowFactory, name: str, run_rate_months: int = 3) -> BenefitReport:
    """Planned vs actual savings over the months with recorded costs."""
    engagement = engagement_or_error(make_uow, name)
    with make_uow() as uow:
        plan = uow.ledger.plan(name)
        costs = uow.ledger.costs(name)
    if not plan:
        raise NoPlanError(
            f"engagement '{name}' has no planned months: link it to an approved business "
            "case (`sourcewise engagement link`), or give its engagement file a business_case "
            "(the decide scenario file, function and option) and add it again"
        )
    if not costs:
        raise NoPlanError(f"no costs recorded for '{name}' yet: `sourcewise costs add FILE`")
    last: date = costs[-1].month
    net = {m.month: m.credits.net for m in sla_report(make_uow, engagement.name, last).months}
    actual = []
    for c in costs:
        credit = net.get(c.month, Decimal(0))
        # A month where an earlier credit is earned back costs that much more: the amount
        # returned to the provider counts as a one-off cost, as credits cannot be negative.
        actual.append(
            ActualMonth(
                c.month,
                c.fees,
                max(credit, Decimal(0)),
                c.internal_costs,
                c.one_off_costs + max(-credit, Decimal(0)),
            )
        )
    return realise_benefits(plan, actual, run_rate_months=run_rate_months)


def planned_case(make_uow: UowFactory, name: str) -> str | None:
    """What the plan of engagement ``name`` comes from, when it is an approved case in the
    store (``US customer service v2, run 7, approved by cfo on 2026-12-02``); None when it came
    from a scenario file named in the engagement file."""
    from sourcewise.services.engagement_cases import case_of

    linked = case_of(make_uow, name)
    return None if linked is None else linked.label
