"""Value of information as an ``InformationDocument`` and as JSON-ready data (``voi --format
json``; shape and meaning of every key in ``information_document``)."""

from __future__ import annotations

from typing import Any

from sourcewise.domain.scenario import Scenario
from sourcewise.reports.business_case_inputs import input_name
from sourcewise.reports.business_case_plans import pilot_plan
from sourcewise.reports.document import SimulationRun, header, money
from sourcewise.reports.information_document import (
    AcceptanceCriterion,
    FunctionInformation,
    GroupInformation,
    InformationDocument,
    InputInformation,
    PilotInformation,
    PilotPoint,
)
from sourcewise.reports.information_words import findings
from sourcewise.services.value_of_information import (
    FunctionInformation as FunctionResult,
)
from sourcewise.services.value_of_information import (
    InputValue,
    PilotSize,
    PilotValue,
    ValueOfInformation,
)


def pilot_point(size: PilotSize) -> PilotPoint:
    """One size of a pilot: its worth, its cost and the difference (the voi and decide JSON)."""
    return PilotPoint(
        people=size.people,
        value=money(size.value),
        cost=money(size.cost),
        net_value=money(size.net),
    )


def input_information(i: InputValue, perfect: float, scenario: Scenario) -> InputInformation:
    """What learning one input is worth, and its share of the EVPI ``perfect``."""
    return InputInformation(
        input=i.label,
        name=input_name(i.label, scenario),
        option=i.option,
        value=money(i.value),
        share_of_perfect=round(i.value / perfect, 6) if perfect > 0 else 0.0,
    )


def _pilot(p: PilotValue, scenario: Scenario) -> PilotInformation:
    return PilotInformation(
        input=p.label,
        name=input_name(p.label, scenario),
        option=p.option,
        measures=p.measures,
        months=p.months,
        cost_per_person_month=money(p.cost_per_person_month),
        fixed_cost=money(p.fixed_cost),
        prior_sample_size=round(p.prior_sample_size, 4),
        sample_unit=p.sample_unit,
        perfect_value=money(p.perfect),
        curve=[pilot_point(point) for point in p.curve],
        best=pilot_point(p.best),
        worth_running=p.worth_running,
    )


def _function(f: FunctionResult, index: int, scenario: Scenario) -> FunctionInformation:
    plan = pilot_plan(f.best_today, scenario.functions[index].profile)
    against = f.recommended
    if against is None:
        raise ValueError("the value of information must be told the recommended option")
    return FunctionInformation(
        name=f.name,
        best_today=f.best_today,
        perfect_value=money(f.perfect),
        perfect_value_se=money(f.perfect_se),
        recommended=against.option,
        cost_gap=money(against.cost_gap),
        recommended_value=money(against.value),
        recommended_value_se=money(against.value_se),
        summary=findings(f, scenario),
        inputs=[input_information(i, f.perfect, scenario) for i in f.inputs],
        groups=[
            GroupInformation(name=g.name, inputs=list(g.labels), value=money(g.value))
            for g in f.groups
        ],
        pilots=[_pilot(p, scenario) for p in f.pilots],
        pilot_planned=f.pilot_planned,
        acceptance_criteria=[
            AcceptanceCriterion(name=c.name, target=c.target, sample_needed=c.needed, unit=c.unit)
            for c in plan.criteria
        ],
    )


def information_document(result: ValueOfInformation) -> InformationDocument:
    return InformationDocument(
        **header(result.scenario, None)
        | {"simulation": SimulationRun(draws=result.draws, seed=result.seed)},
        functions=[_function(f, i, result.scenario) for i, f in enumerate(result.functions)],
    )


def information_to_dict(result: ValueOfInformation) -> dict[str, Any]:
    """The value-of-information document as JSON-ready data (docs/value-of-information.md)."""
    return information_document(result).model_dump(mode="json")
