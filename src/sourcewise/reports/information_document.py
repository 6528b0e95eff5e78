"""The value-of-information document: ``sourcewise voi --format json``. The JSON section of
docs/value-of-information.md lists every key (generated from the docstrings here).

Amounts are expected values in the company currency, rounded to cents: what knowing more before
deciding would save on average, against deciding today on what is known. Costs are NPVs over the
scenario's horizon, so the values are too.
"""

from __future__ import annotations

from sourcewise.reports.document import Document, Record, SimulationRun


class InputInformation(Record):
    """What learning one uncertain input before deciding is worth (its EVPPI)."""

    input: str
    """The input's field path in the scenario, e.g. functions[0].options[1].coordination_loss."""
    name: str
    """The input in words, e.g. "Captive Manila (night shift): coordination loss"."""
    option: str | None
    """The option it belongs to; null for an input of the company or of the function today."""
    value: float
    """Expected value of partial perfect information: how much lower the expected cost is when
    the choice is made knowing this input, everything else as uncertain as today. Estimated by
    regression on the draws (Strong, Oakley & Brennan 2014), clipped to [0, EVPI]."""
    share_of_perfect: float
    """``value`` as a share of the EVPI (0 when the EVPI is 0)."""


class GroupInformation(Record):
    """What learning several inputs together is worth, e.g. everything about one option."""

    name: str
    """What the group holds, e.g. "Everything about Captive Manila (night shift)"."""
    inputs: list[str]
    """The field paths of its inputs."""
    value: float
    """Expected value of partial perfect information of the inputs learnt together."""


class PilotPoint(Record):
    """A pilot of one size: what its result is expected to be worth, and what it costs."""

    people: int
    """People (FTE) in the pilot."""
    value: float
    """Expected value of sample information (EVSI, Gaussian approximation of Jalal &
    Alarid-Escudero 2018): how much lower the expected cost is when the choice waits for the
    pilot's result."""
    cost: float
    """The pilot's cost: its fixed cost + people × months × cost per person-month."""
    net_value: float
    """``value − cost``: positive when the pilot is worth running for this decision."""


class PilotInformation(Record):
    """A pilot measuring one input at one option's site, by size."""

    input: str
    """The field path of the input the pilot measures."""
    name: str
    """The input in words."""
    option: str
    """The option whose site runs the pilot."""
    measures: str
    """What the pilot measures, in words."""
    months: int
    """How long the pilot runs."""
    cost_per_person_month: float
    """Cost of one person for a month in the pilot: the scenario's ``pilot.cost_per_person_month``,
    else the run cost at the site (salary per FTE / 12 for own staff, hourly rate × billable
    hours / 12 for a provider); nothing is credited for the work done."""
    fixed_cost: float
    """The scenario's ``pilot.fixed_cost``, paid whatever the pilot's size (0 when not given)."""
    prior_sample_size: float
    """What today's knowledge of the input is worth in ``sample_unit`` (n0): a pilot much
    smaller than this learns little."""
    sample_unit: str
    """The unit a pilot's observations are counted in: "person-months" (a share of run cost,
    each person-month one trial of a rate) or "person-years" (attrition)."""
    perfect_value: float
    """EVPPI of the input: what a pilot measuring it is worth at most, whatever its size."""
    curve: list[PilotPoint]
    """The pilot at sizes from 1 person to the site's headcount, the best size among them."""
    best: PilotPoint
    """The size with the greatest expected net value, among every size up to the headcount."""
    worth_running: bool
    """The best size's expected net value is positive."""


class AcceptanceCriterion(Record):
    """A criterion of the business case's pilot plan, with the sample that confirms it: how
    large a pilot must be to *confirm* its targets, beside how large it should be to inform the
    *choice* (``pilots``)."""

    name: str
    """The criterion, e.g. "Defect rate"."""
    target: str
    """Its target, e.g. "≤ 2 %"."""
    sample_needed: int | None
    """Observations for its 95 % interval (Wilson for rates, Student t for the mean) to clear
    the target if the pilot performs as planned; null when no sample would."""
    unit: str
    """What the sample counts, e.g. "work items (calls, tickets, transactions)"."""


class FunctionInformation(Record):
    """What knowing more before choosing how to run one function is worth."""

    name: str
    """The function's name."""
    best_today: str
    """The option with the lowest expected NPV of cost, the status quo included: what the
    choice would be today."""
    perfect_value: float
    """Expected value of perfect information (EVPI): how much lower the expected cost would be
    if every uncertainty were resolved before choosing. An upper bound on what any study or
    pilot is worth for this decision."""
    perfect_value_se: float
    """Monte Carlo standard error of ``perfect_value``."""
    recommended: str
    """The option ``sourcewise decide`` recommends, on cost and strategic fit: it need not be
    ``best_today``."""
    cost_gap: float
    """Expected NPV of cost of ``recommended`` minus ``best_today``'s (0 when they are the same):
    what the recommendation pays on average for what it gains beside cost."""
    recommended_value: float
    """``cost_gap`` + ``perfect_value``: the expected cost of committing to ``recommended`` minus
    the expected cost of choosing the cheapest option once everything is known."""
    recommended_value_se: float
    """Monte Carlo standard error of ``recommended_value``."""
    summary: list[str]
    """The findings in plain words, most important first (as the table and the business case
    say them)."""
    inputs: list[InputInformation]
    """Every uncertain input bearing on the function, the most valuable to learn first."""
    groups: list[GroupInformation]
    """Inputs learnt together (each option's, the company's, all of them), most valuable first."""
    pilots: list[PilotInformation]
    """A pilot for each input a pilot can measure (coordination loss, rework, attrition), the
    greatest expected net value first."""
    pilot_planned: bool
    """The scenario plans a pilot before scaling."""
    acceptance_criteria: list[AcceptanceCriterion]
    """The business case's pilot plan: what a pilot must show before scaling, and the sample
    each criterion needs."""


class InformationDocument(Document):
    """What it is worth to know more before deciding: EVPI, EVPPI per input and group, and the
    value of a pilot by size."""

    simulation: SimulationRun
    """The Monte Carlo run the values are estimated from."""
    functions: list[FunctionInformation]
    """The scenario's functions, in file order."""
