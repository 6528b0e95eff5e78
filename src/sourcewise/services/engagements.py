"""Engagements: register one from its file, with the business case it came from.

The business case is the ``decide`` assessment of the named option: its monthly cost and the
status quo's become the planned months that benefit realisation compares actuals with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sourcewise.adapters.engagement_file import EngagementFile, load_engagement_file
from sourcewise.domain.problems import InputError, Problem
from sourcewise.domain.scenario import Scenario
from sourcewise.governance.benefits import PlannedMonth, add_months
from sourcewise.governance.records import Engagement
from sourcewise.services.governance_store import UowFactory, log_change

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class EngagementAdded:
    name: str
    outcome: str
    """``added``, ``replaced`` or ``unchanged``."""
    planned_months: int
    kpis: int


def planned_months(file: EngagementFile) -> list[PlannedMonth]:
    """The status quo's and the chosen option's monthly costs from the engagement's start."""
    case = file.engagement.business_case
    if case is None or file.business_case_path is None:
        return []
    from sourcewise.services.scenarios import load_scenario

    scenario = load_scenario(file.business_case_path)
    return plan_from_scenario(
        scenario, case.function, case.option, file.engagement.start, str(file.business_case_path)
    )


def plan_from_scenario(
    scenario: Scenario, function_name: str, option_name: str, start: date, where: str
) -> list[PlannedMonth]:
    """The monthly costs of the status quo and of ``option_name`` (of ``function_name``), from
    the month of ``start``: the plan benefit realisation measures against."""
    from sourcewise.services.decide import SitePlacer, assess_function
    from sourcewise.services.locations import LocationData

    function = next((f for f in scenario.functions if f.profile.name == function_name), None)
    if function is None:
        names = ", ".join(f.profile.name for f in scenario.functions)
        raise InputError(
            [
                Problem(
                    where,
                    None,
                    "business_case.function",
                    f"no function '{function_name}' in the scenario ({names})",
                )
            ]
        )
    data = LocationData.packaged().with_overrides(scenario.indicator_overrides)
    decided = assess_function(scenario.company, function, SitePlacer(scenario.company, data))
    status_quo = decided.assessments[0]
    option = next((a for a in decided.assessments[1:] if a.name == option_name), None)
    if option is None:
        names = ", ".join(a.name for a in decided.assessments[1:])
        raise InputError(
            [
                Problem(
                    where,
                    None,
                    "business_case.option",
                    f"no option '{option_name}' for {function_name} ({names})",
                )
            ]
        )
    first = start.replace(day=1)
    baseline = status_quo.projection.monthly
    planned = option.projection.monthly
    return [
        PlannedMonth(add_months(first, index), _money(baseline[index]), _money(planned[index]))
        for index in range(int(planned.shape[-1]))
    ]


def _money(value: object) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)  # type: ignore[arg-type]


def add_engagement(make_uow: UowFactory, path: Path, replace: bool = False) -> EngagementAdded:
    """Register the engagement of ``path`` (idempotent: the same file twice changes nothing).

    A different definition under the same name needs ``replace``; measurements and other
    records of the engagement are kept.
    """
    with make_uow() as uow:
        known = {k.code: k for k in uow.kpis.all()}
    file, problems = load_engagement_file(path, known)
    if file is None:
        raise InputError(problems)
    plan = planned_months(file)
    engagement = file.engagement
    with make_uow() as uow:
        existing_provider = uow.engagements.get_provider(file.provider.name)
        if existing_provider is None:
            uow.engagements.add_provider(file.provider)
            log_change(uow, "provider", file.provider.name, None, file.provider)
        elif existing_provider != file.provider:
            raise InputError(
                [
                    Problem(
                        str(path),
                        None,
                        "provider",
                        f"provider '{file.provider.name}' is stored with other "
                        f"details: {existing_provider}",
                    )
                ]
            )
        for kpi in file.kpis:
            uow.kpis.put(kpi)
            log_change(uow, "kpi", kpi.code, None, kpi)
        stored = uow.engagements.get(engagement.name)
        old_plan = uow.ledger.plan(engagement.name) if stored is not None else []
        if not plan and stored is not None and uow.workspace.case(engagement.name) is not None:
            # Governed against an approved case in the store: a file without its own
            # business_case keeps that plan (`engagement link` changes it).
            plan = old_plan
        if stored is None:
            uow.engagements.add(engagement)
            outcome = "added"
        elif stored == engagement and old_plan == plan:
            return EngagementAdded(engagement.name, "unchanged", len(plan), len(file.kpis))
        elif not replace:
            raise InputError(
                [
                    Problem(
                        str(path),
                        None,
                        "engagement.name",
                        f"engagement '{engagement.name}' exists with another "
                        "definition; use --replace to update it",
                    )
                ]
            )
        else:
            uow.engagements.replace(engagement)
            outcome = "replaced"
        log_change(uow, "engagement", engagement.name, stored, engagement)
        uow.ledger.put_plan(engagement.name, plan)
        uow.commit()
    return EngagementAdded(engagement.name, outcome, len(plan), len(file.kpis))


def engagement_or_error(make_uow: UowFactory, name: str) -> Engagement:
    """The engagement called ``name``; an error listing the known ones otherwise."""
    with make_uow() as uow:
        found = uow.engagements.get(name)
        if found is not None:
            return found
        names = [e.name for e in uow.engagements.all()]
    import difflib

    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    known = ", ".join(names) or "none yet: add one with `sourcewise engagement add FILE`"
    raise LookupError(f"no engagement named '{name}'{hint}; known: {known}")


def month_starts(first: date, last: date) -> list[date]:
    """The first days of every month from ``first``'s to ``last``'s, inclusive."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months
