"""Decide: classify, cost, check fit and recommend, for every function of a scenario.

``decide_scenario`` is the use case every entrypoint calls (the CLI's decide, optimise and report,
the web's jobs, ``sourcewise.api.decide``): the simulation, then the decision with it, so the same
scenario, draws and seed give the same decision wherever it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from sourcewise.domain.arrangement import (
    Classification,
    Employer,
    SiteFacts,
    classify,
    combine_split,
)
from sourcewise.domain.cost import (
    LOGISTICS_COMPONENTS,
    compare,
    project_option,
    project_status_quo,
)
from sourcewise.domain.dimensions import describe
from sourcewise.domain.fit import FitContext, PlacedSite, evaluate, fit_score
from sourcewise.domain.location import relate
from sourcewise.domain.recommendation import (
    CrossCheck,
    OptionAssessment,
    Recommendation,
    recommend,
)
from sourcewise.domain.scenario import (
    Company,
    DataSensitivity,
    Function,
    FunctionProfile,
    Option,
    Scenario,
    Site,
)
from sourcewise.services.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from sourcewise.services.executors import Executor
from sourcewise.services.locations import LocationAssessment, LocationData, LocationQuery
from sourcewise.services.locations import assess as assess_location
from sourcewise.services.seeds import smaa_generator
from sourcewise.services.simulate import OptionSimulation, Simulation, simulate
from sourcewise.services.sourcing_mcda import SourcingRanking, rank_options
from sourcewise.services.value_of_information import (
    InformationScope,
    ValueOfInformation,
    information_of,
)

STATUS_QUO = "Status quo (in-house)"
SUMMARY = InformationScope()
"""What ``decide_scenario`` values by default: EVPI, every input's EVPPI and the pilots (the
groups of inputs are ``sourcewise voi``'s)."""


@dataclass(frozen=True, slots=True)
class FunctionDecision:
    profile: FunctionProfile
    assessments: tuple[OptionAssessment, ...]
    """The status quo first, then the options in file order."""
    recommendation: Recommendation
    locations: Mapping[str, LocationAssessment]
    """Location facts of every country the options use, by ISO alpha-2 code."""
    ranking: SourcingRanking | None = None
    """The options ranked on several criteria by several methods, with SMAA-2."""


@dataclass(frozen=True, slots=True)
class Decision:
    scenario: Scenario
    functions: tuple[FunctionDecision, ...]
    simulation: Simulation | None = None
    """Total cost of ownership under uncertainty, when draws were asked for."""
    information: ValueOfInformation | None = None
    """What knowing more before deciding is worth, from the same draws (none without them)."""

    def simulated(self, function: int, option: str) -> OptionSimulation | None:
        if self.simulation is None:
            return None
        found = self.simulation.functions[function].options
        return next((o for o in found if o.name == option), None)


class SitePlacer:
    """Places sites in their countries with the location facts of the function's needs.

    A location assessment (overlap over the year, holidays, indicators) is computed once per
    country and function, however many options send work there.
    """

    def __init__(self, company: Company, data: LocationData) -> None:
        self.company = company
        self.data = data
        self.home = data.countries[company.home_country]
        self._cache: dict[tuple[str, str, bool], LocationAssessment] = {}

    def location(
        self, country: str, profile: FunctionProfile, follows_home_hours: bool = False
    ) -> LocationAssessment:
        key = (country, profile.name, follows_home_hours)
        if key not in self._cache:
            query = LocationQuery(
                home=self.company.home_country,
                kind=profile.kind,
                sensitive_data=profile.data_sensitivity is not DataSensitivity.NONE,
                languages=profile.languages,
                overlap_hours_needed=profile.overlap_hours_needed,
                year=self.company.start_year,
                follows_home_clock=follows_home_hours,
            )
            self._cache[key] = assess_location(self.data, country, query)
        return self._cache[key]

    def place(self, site: Site, profile: FunctionProfile) -> PlacedSite:
        location = self.location(site.country, profile, site.follows_home_hours)
        # The typical day (median over the home working days the work site also works) stands
        # for the overlap; the year's range is reported with the location facts.
        worked = location.overlap.per_day_hours[location.overlap.per_day_hours > 0]
        typical = float(np.median(worked)) if worked.size else 0.0
        relation = replace(relate(self.home, location.country), overlap_hours=typical)
        facts = SiteFacts(
            employer=site.employer,
            work_country=site.country,
            home_country=self.home.iso2,
            facility_owner=site.facility_owner,
            transfer_month=site.transfer_month,
            timezone_gap_hours=relation.timezone_gap_hours,
            neighbouring=relation.neighbouring,
        )
        return PlacedSite(site, classify(facts), relation, location.score)


def _classification(option: Option, placed: tuple[PlacedSite, ...]) -> Classification:
    if not option.is_split:
        return placed[0].classification
    return combine_split([(p.site.share, p.classification) for p in placed])


def status_quo_option(company: Company, profile: FunctionProfile) -> Option:
    """Today's in-house operation as an option, so it is assessed like the others."""
    site = Site(
        employer=Employer.OWN,
        country=company.home_country,
        provider="own staff",
        fte=profile.fte,
        annual_cost_per_fte=0.0,
        hourly_rate=0.0,
        billable_hours_per_fte=0.0,
        monthly_fee=0.0,
        wage_inflation=company.wage_inflation,
        governance_overhead=0.0,
        travel_per_year=0.0,
    )
    return Option(STATUS_QUO, (site,), setup_cost=0.0, transition_months=0, severance_cost=0.0)


def assess_function(company: Company, function: Function, placer: SitePlacer) -> FunctionDecision:
    profile = function.profile
    baseline = project_status_quo(company, profile)
    assessments = []
    candidates = [(status_quo_option(company, profile), True)]
    candidates += [(option, False) for option in function.options]
    for option, is_status_quo in candidates:
        placed = tuple(placer.place(site, profile) for site in option.sites)
        classification = _classification(option, placed)
        projection = baseline if is_status_quo else project_option(company, profile, option)
        savings = None if is_status_quo else compare(baseline, projection)
        context = FitContext(
            profile=profile,
            option=option,
            classification=classification,
            sites=placed,
            is_status_quo=is_status_quo,
            logistics_cost=0.0 if is_status_quo else projection.full_rate_npv(LOGISTICS_COMPONENTS),
            price_saving=0.0 if is_status_quo else baseline.npv - projection.price_npv,
        )
        fired = evaluate(context)
        assessments.append(
            OptionAssessment(
                name=option.name,
                is_status_quo=is_status_quo,
                classification=classification,
                sites=placed,
                projection=projection,
                savings=savings,
                rules=tuple(fired),
                fit_score=fit_score(fired),
                dimensions=describe(classification, placed, savings),
            )
        )
    countries = sorted({p.site.country for a in assessments for p in a.sites})
    locations = {code: placer.location(code, profile) for code in countries}
    return FunctionDecision(profile, tuple(assessments), recommend(assessments), locations)


def decide_scenario(
    scenario: Scenario,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    executor: Executor | str = "local",
    progress: Callable[[int], None] | None = None,
    data: LocationData | None = None,
    cross_check: bool = True,
    information: InformationScope | None = SUMMARY,
) -> Decision:
    """The complete decision of ``scenario``: ``draws`` simulated draws (none when 0), then every
    option assessed and one recommended per function, cross-checked by the multi-criteria view,
    and (unless ``information`` is None) what knowing more before deciding is worth.

    Every random stream comes from ``seed`` (``services.seeds``). ``executor`` runs the
    simulation's chunks: an open executor, left open, or its name (``local``, ``dask`` or
    ``dask://HOST:PORT``; ``ExecutorError`` when it cannot be used), opened and closed here; the
    result is the same wherever they run. ``progress`` is called with units of work done (each
    function's draws as the chunks finish, then one per function decided), ``progress_total`` of
    them in all. Without ``cross_check`` the multi-criteria ranking is not computed.
    """
    simulation = None
    keep = information is not None
    if draws:
        simulation = simulate(
            scenario, draws, seed, progress=progress, executor=executor, keep_draws=keep
        )
    decision = decide(scenario, data, simulation, seed, cross_check=cross_check, progress=progress)
    if simulation is None or information is None:
        return decision
    valued = information_of(
        simulation,
        information.pilot_months,
        recommended=[f.recommendation.option for f in decision.functions],
        groups=information.groups,
    )
    # The draws are let go once valued: a decision keeps the summaries, as without them.
    summaries = replace(
        simulation, functions=tuple(replace(f, draws=None) for f in simulation.functions)
    )
    return replace(decision, simulation=summaries, information=valued)


def progress_total(scenario: Scenario, draws: int) -> int:
    """The units of work ``decide_scenario`` reports to ``progress`` for ``draws`` draws."""
    return (draws + 1) * len(scenario.functions)


def decide(
    scenario: Scenario,
    data: LocationData | None = None,
    simulation: Simulation | None = None,
    seed: int = DEFAULT_SEED,
    *,
    cross_check: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Decision:
    """Assess every option of every function with ``simulation`` (of the same scenario, when
    given) and recommend one each; ``decide_scenario`` runs the simulation first.

    ``data`` defaults to the packaged snapshot with the scenario's own indicator values applied.
    ``cross_check`` ranks the options on several criteria (SMAA weights drawn from ``seed``).
    """
    if data is None:
        data = LocationData.packaged().with_overrides(scenario.indicator_overrides)
    placer = SitePlacer(scenario.company, data)
    functions = []
    for index, function in enumerate(scenario.functions):
        decided = assess_function(scenario.company, function, placer)
        simulated = None if simulation is None else simulation.functions[index]
        reasons = list(decided.recommendation.reasons)
        chosen = decided.recommendation.option
        if simulated is not None and simulation is not None:
            found = next((o for o in simulated.options if o.name == chosen), None)
            if found is not None:
                currency = scenario.company.currency
                reasons.append(uncertainty_reason(found, simulation.draws, currency))
        ranking = check = None
        if cross_check:
            profile = function.profile
            ranking = rank_options(
                decided.assessments,
                simulated,
                profile.kind,
                smaa_generator(seed, index),
                weights=None
                if profile.criteria_weights is None
                else dict(profile.criteria_weights),
                judgements=_judgements(profile.ahp_judgements),
            )
            check = mcda_cross_check(ranking, chosen)
        recommendation = replace(decided.recommendation, reasons=tuple(reasons), cross_check=check)
        functions.append(replace(decided, ranking=ranking, recommendation=recommendation))
        if progress is not None:
            progress(1)
    return Decision(scenario, tuple(functions), simulation)


def _judgements(
    given: tuple[tuple[str, str, float], ...] | None,
) -> dict[str, dict[str, float]] | None:
    if not given:
        return None
    nested: dict[str, dict[str, float]] = {}
    for first, second, value in given:
        nested.setdefault(first, {})[second] = value
    return nested


MCDA_METHOD = "multi-criteria consensus"


def mcda_cross_check(ranking: SourcingRanking, recommended: str) -> CrossCheck:
    """The multi-criteria consensus as a cross-check of the cost-and-fit recommendation."""
    share = ranking.first_rank_acceptability[ranking.options.index(recommended)]
    methods = (
        f"Weighted sum, TOPSIS, VIKOR and PROMETHEE II over {len(ranking.criteria)} criteria "
        f"({ranking.weight_source})"
    )
    winner = ranking.winner
    if winner == recommended:
        reason = (
            f"{methods} also give {recommended} the best mean rank; it ranks first in "
            f"{share:.0%} of SMAA weight draws."
        )
    else:
        leads = ", ".join(name for name, _ in ranking.lead[:3]) or "no single criterion"
        reason = (
            f"{methods} give {winner} the best mean rank, led by {leads}; {recommended} ranks "
            f"first in {share:.0%} of SMAA weight draws. The recommendation stays the best "
            f"cost-and-fit score: weigh {winner}'s lead on those criteria before committing."
        )
    reason = " ".join((reason, *ranking.warnings))
    return CrossCheck(MCDA_METHOD, winner, winner == recommended, reason)


def uncertainty_reason(option: OptionSimulation, draws: int, currency: str) -> str:
    saving = option.savings
    return (
        f"Under uncertainty ({draws:,} draws) it beats the status quo in "
        f"{option.p_beats_status_quo:.0%} of them; the saving's P10-P90 range is "
        f"{saving.p10:,.0f} to {saving.p90:,.0f} {currency}."
    )
