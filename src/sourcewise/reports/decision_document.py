"""The decide document: ``sourcewise decide --format json``, ``POST /api/v1/decisions``, a decision
job's result and ``sourcewise.api.decision_to_dict``. ``sourcewise schema --decision`` prints it as
JSON Schema; docs/decide-json.md lists every key (both generated from the docstrings here).

Amounts are in the company currency, rounded to cents; shares are fractions (0.25 is 25%); months
count from 1 at the start of the horizon. Figures without a suffix come from the cost model at each
uncertain input's mean; ``_distribution`` ones from the Monte Carlo draws (null without them).
"""

from __future__ import annotations

from typing import Literal

from sourcewise.domain.arrangement import Arrangement, Employer
from sourcewise.domain.fit import Stance
from sourcewise.domain.scenario import FunctionKind, Positioning
from sourcewise.reports.document import Distribution, Document, MonthDistribution, Record
from sourcewise.reports.information_document import InputInformation, PilotPoint
from sourcewise.reports.location_document import LocationDocument


class Site(Record):
    """Where and by whom one share of the work is done."""

    country: str
    """ISO 3166 alpha-2 code of the work country."""
    country_name: str
    """Its English name."""
    employer: Employer
    """Who employs the workers."""
    provider: str
    """The provider, or the own centre's name."""
    share: float
    """Share of the function's work done here (1 for a single site)."""
    arrangement: Arrangement
    """This site's arrangement (who × where)."""
    timezone_gap_hours: float
    """Hours between the home and the work country's business cities' clocks."""
    overlap_hours: float
    """Working hours a day shared with home on a typical day (the site's own shift when it
    follows home hours)."""
    follows_home_hours: bool
    """The site works on home hours (a night shift abroad)."""


class Rule(Record):
    """A strategic-fit rule that fired for the option."""

    id: str
    """The rule's identifier."""
    title: str
    """Its short title."""
    stance: Stance
    """Whether it speaks for the option or warns about it."""
    weight: float
    """Fit points: positive when it supports, negative when it cautions."""
    reason: str
    """Why it fired for this option, in one sentence."""
    seed_article: str
    """File number of the article the rule comes from, e.g. "003" (kept for compatibility;
    ``article`` names it)."""
    article: str
    """The article the rule comes from, named as a reader would cite it (author or publisher
    and title), e.g. "Sara Schmidt, “What is the Difference Between Outsourcing and
    Offshoring?”"."""
    passage: str
    """The passage of the article it rests on, verbatim."""


class Dimensions(Record):
    """The option described on the five dimensions that tell the arrangements apart."""

    geography: str
    """Where the work is done."""
    focus: str
    """What the arrangement is for."""
    cost_structure: str
    """How costs arise, with the saving on total cost against price alone."""
    control_and_oversight: str
    """Who controls the work and how."""
    risk_factors: str
    """The risks to watch."""


class Option(Record):
    """One way of sourcing the function: the status quo first, then the scenario's options."""

    name: str
    """The option's name in the scenario (the status quo is "Status quo (in-house)")."""
    status_quo: bool
    """True for the in-house status quo every option is compared with."""
    arrangement: Arrangement
    """Who × where: hybrid when the sites' arrangements differ."""
    label: str
    """The arrangement with its flags, e.g. "offshore outsourcing (nearshore)"."""
    nearshore: bool
    """Abroad, but a neighbour of home or at most 3 hours from home time."""
    build_operate_transfer: bool
    """A provider builds and runs a centre that later becomes the company's own."""
    becomes: Arrangement | None
    """For build-operate-transfer, the arrangement after the transfer; otherwise null."""
    reason: str
    """Why it is classified so, in one sentence."""
    country: str
    """ISO alpha-2 code of the work country; the sites' codes joined with "+" for a hybrid."""
    provider: str
    """The provider or centre; the sites' joined with " + " for a hybrid."""
    sites: list[Site]
    """Where the work is done, one entry per site."""
    yearly_cost: list[float]
    """Cost of each year of the horizon."""
    npv_cost: float
    """Net present value of the monthly costs over the horizon: the total cost of ownership."""
    npv_cost_distribution: Distribution | None
    """``npv_cost`` over the draws; null without a simulation."""
    price_npv: float
    """NPV of the price alone: salaries, vendor fees or the goods' unit price."""
    components_npv: dict[str, float]
    """NPV of each non-zero cost component, by component (the keys listed under "Cost
    components" in docs/decide-json.md; the status quo has one: status_quo)."""
    components_npv_mean: dict[str, float] | None
    """Mean NPV of each non-zero cost component over the draws; null without a simulation or
    for the status quo."""
    savings_vs_status_quo: float
    """The status quo's NPV minus this option's (0 for the status quo)."""
    savings_vs_status_quo_distribution: Distribution | None
    """``savings_vs_status_quo`` over the draws; null without a simulation or for the status
    quo."""
    savings_share: float
    """``savings_vs_status_quo`` as a share of the status quo's NPV."""
    price_savings_share: float
    """The saving's share if only the price counted: the gap to ``savings_share`` is what the
    hidden costs take."""
    p_beats_status_quo: float | None
    """Share of draws in which the option costs less than the status quo; null without a
    simulation or for the status quo."""
    break_even_month: int | None
    """First month from which cumulative savings stay at or above zero; null if never within
    the horizon (and for the status quo)."""
    break_even_month_distribution: MonthDistribution | None
    """``break_even_month`` over the draws; null without a simulation or for the status quo."""
    fit_score: float
    """Sum of the weights of the strategic-fit rules that fired."""
    score: float
    """``savings_share`` + 0.02 × ``fit_score``: the cost-and-fit score that ranks the options."""
    rules: list[Rule]
    """The strategic-fit rules that fired."""
    dimensions: Dimensions
    """The option on the five dimensions."""


class CrossCheck(Record):
    """A second view of the choice: the option another method prefers and whether it agrees."""

    method: str
    """The other method."""
    option: str
    """The option it prefers."""
    agrees: bool
    """Whether it prefers the recommended option too."""
    reason: str
    """Why the other view agrees or, when it does not, what it weighs differently."""


class Recommendation(Record):
    """The one option recommended for the function and why (docs/decision.md)."""

    option: str
    """Name of the recommended option."""
    reasons: list[str]
    """Why, in sentences."""
    cross_check: CrossCheck | None
    """The multi-criteria consensus of the same options; null when it was not computed."""


class Criterion(Record):
    """A criterion of the multi-criteria ranking."""

    name: str
    """The criterion."""
    direction: Literal[-1, 1]
    """1 when more is better, -1 when less is better."""
    meaning: str
    """What it measures."""
    weight: float
    """Its weight; the weights sum to 1."""


class Contribution(Record):
    """How much one criterion puts the winner ahead of the runner-up."""

    criterion: str
    """The criterion."""
    contribution: float
    """Its weight times the winner's lead on it, in normalised weighted-sum points."""


class Mcda(Record):
    """The multi-criteria view of the function's options (docs/decision.md)."""

    criteria: list[Criterion]
    """The criteria, their direction and weight."""
    weight_source: str
    """Where the weights come from: a preset for the kind of function, the scenario's weights
    or its AHP judgements."""
    consistency_ratio: float | None
    """Saaty's consistency ratio of AHP judgements (above 0.1 they contradict each other);
    null for other weights."""
    warnings: list[str]
    """Problems with the weights, in sentences."""
    matrix: dict[str, dict[str, float]]
    """Each option's value on each criterion: {option: {criterion: value}}."""
    ranks: dict[str, dict[str, int]]
    """Each method's rank of each option (1 is best): {method: {option: rank}}."""
    consensus_mean_rank: dict[str, float]
    """Each option's mean rank over the methods."""
    winner: str
    """The option with the best consensus rank (ties broken by the weighted sum)."""
    smaa_rank_acceptability: dict[str, list[float]]
    """SMAA-2: for each option, the share of weight draws giving it rank 1, rank 2 and so on."""
    smaa_weights: str
    """How SMAA-2 drew the weights."""
    lead: list[Contribution]
    """The criteria that put the winner ahead of the runner-up, largest first."""


class PilotSummary(Record):
    """A pilot measuring one input at one option's site, by size."""

    input: str
    """The field path of the input the pilot measures."""
    name: str
    """The input in words."""
    option: str
    """The option whose site runs the pilot."""
    months: int
    """How long the pilot runs."""
    perfect_value: float
    """EVPPI of the input: what a pilot measuring it is worth at most, whatever its size."""
    curve: list[PilotPoint]
    """The pilot at sizes from 1 person to the site's headcount, the best size among them."""
    best: PilotPoint
    """The size with the greatest expected net value, among every size up to the headcount."""
    worth_running: bool
    """The best size's expected net value is positive."""


class InformationSummary(Record):
    """What knowing more before deciding is worth (docs/value-of-information.md): every value is
    an expected saving on the NPV of cost, estimated from the simulation's draws."""

    cheapest: str
    """The option with the lowest expected NPV of cost over the draws, the status quo included:
    the choice the value of information takes as today's."""
    recommended_is_cheapest: bool
    """Whether the recommended option is ``cheapest``. When not, the recommendation pays for
    strategic fit and the other criteria with a higher expected cost (``cost_gap``)."""
    cost_gap: float
    """Expected NPV of cost of the recommended option minus ``cheapest``'s (0 when they are the
    same): what the recommendation costs on average for what it gains beside cost. No study
    recovers it; only a change of choice would."""
    perfect_value: float
    """Expected value of perfect information (EVPI): how much lower the expected cost would be
    if every uncertainty were resolved before choosing, against choosing ``cheapest`` today. An
    upper bound on what any study or pilot is worth for this decision."""
    perfect_value_se: float
    """Monte Carlo standard error of ``perfect_value``."""
    recommended_value: float
    """``cost_gap`` + ``perfect_value``: the expected cost of committing to the recommended
    option minus the expected cost of choosing the cheapest option once everything is known."""
    recommended_value_se: float
    """Monte Carlo standard error of ``recommended_value``."""
    summary: list[str]
    """The findings in plain words, most important first (as ``sourcewise voi`` and the business
    case say them)."""
    inputs: list[InputInformation]
    """The uncertain inputs most valuable to learn first (EVPPI), at most five, largest first;
    ``sourcewise voi`` lists every input and groups of them."""
    pilots: list[PilotSummary]
    """A pilot for each input a pilot can measure (coordination loss, rework, attrition), the
    greatest expected net value first."""


class Function(Record):
    """One business function in scope and its options compared."""

    name: str
    """The function's name in the scenario."""
    kind: FunctionKind
    """What kind of work it is."""
    positioning: Positioning
    """Whether it is strategic or commoditized work."""
    status_quo_npv: float
    """NPV of today's cost over the horizon (the status quo's ``npv_cost``)."""
    recommendation: Recommendation
    """The option recommended."""
    options: list[Option]
    """The status quo first, then the scenario's options in file order."""
    locations: dict[str, LocationDocument]
    """Every country the options use, by ISO alpha-2 code, assessed on a 9:00-17:00 day
    (docs/locations.md); a site that follows home hours has its own ``overlap_hours``."""
    mcda: Mcda | None
    """The multi-criteria ranking; null when it was not computed."""
    information: InformationSummary | None
    """What knowing more before deciding is worth; null without a simulation."""


class DecisionDocument(Document):
    """The decision on every function of a scenario."""

    functions: list[Function]
    """The scenario's functions, in file order."""
