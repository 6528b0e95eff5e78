"""The results ``sourcewise.api`` returns: each wraps a service's typed result (kept as its first
field), gives it as a tidy pandas DataFrame (``to_frame()``) and shows in Jupyter as a compact
HTML table (``_repr_html_``). The columns are documented in docs/notebook.md.

Amounts are in the scenario's currency, shares are fractions (0.25 = 25%), missing values are
``None`` (NaN in a frame), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcewise.domain.location_score import Component
from sourcewise.domain.scenario import Scenario
from sourcewise.reports.notebook_tables import Column, Tabular
from sourcewise.services.decide import STATUS_QUO, Decision, FunctionDecision
from sourcewise.services.locations import LocationAssessment, LocationQuery
from sourcewise.services.matrix_ranking import MatrixRanking
from sourcewise.services.optimise import PortfolioPlan
from sourcewise.services.simulate import Simulation, Summary

MONEY = ",.0f"
SHARE = ".1%"

__all__ = [
    "DecisionResult",
    "LocationResult",
    "LocationTable",
    "PlanResult",
    "RankingResult",
    "SimulationResult",
]


def _summary(prefix: str, s: Summary | None, *stats: str) -> dict[str, object]:
    return {f"{prefix}_{stat}": None if s is None else getattr(s, stat) for stat in stats}


DECISION_COLUMNS = (
    Column("function", "Function"),
    Column("option", "Option"),
    Column("status_quo", "Status quo", "check", shown=False),
    Column("recommended", "Recommended", "check"),
    Column("arrangement", "Arrangement"),
    Column("country", "Country"),
    Column("provider", "Provider", shown=False),
    Column("npv_cost", "NPV cost", MONEY),
    Column("savings_vs_status_quo", "Savings", MONEY),
    Column("savings_share", "Savings %", SHARE),
    Column("break_even_month", "Break-even month", shown=False),
    Column("fit_score", "Fit", "+g"),
    Column("score", "Score", ".3f", shown=False),
    Column("npv_cost_p10", "NPV P10", MONEY, shown=False),
    Column("npv_cost_p50", "NPV P50", MONEY, shown=False),
    Column("npv_cost_p90", "NPV P90", MONEY),
    Column("p_beats_status_quo", "P(beats status quo)", ".0%"),
    Column("consensus_mean_rank", "MCDA mean rank", ".2f", shown=False),
    Column("smaa_first_rank_acceptability", "SMAA first", ".0%", shown=False),
)


@dataclass(frozen=True, slots=True)
class DecisionResult(Tabular):
    """``api.decide``: every option of every function assessed, one recommended per function.

    ``to_frame()`` has one row per option of each function, the status quo first.
    """

    decision: Decision

    @property
    def scenario(self) -> Scenario:
        return self.decision.scenario

    @property
    def functions(self) -> tuple[FunctionDecision, ...]:
        """Each function's assessments, recommendation, locations and ranking."""
        return self.decision.functions

    @property
    def simulation(self) -> Simulation | None:
        return self.decision.simulation

    @property
    def currency(self) -> str:
        return self.decision.scenario.company.currency

    @property
    def recommendations(self) -> dict[str, str]:
        """The recommended option of each function, by function name."""
        return {f.profile.name: f.recommendation.option for f in self.decision.functions}

    @property
    def columns(self) -> tuple[Column, ...]:
        return DECISION_COLUMNS

    def _function_rows(self, index: int, function: FunctionDecision) -> list[dict[str, object]]:
        simulation = self.decision.simulation
        ranking = function.ranking
        rows: list[dict[str, object]] = []
        for a in function.assessments:
            simulated = self.decision.simulated(index, a.name)
            npv = simulated.npv if simulated is not None else None
            if a.is_status_quo and simulation is not None:
                npv = simulation.functions[index].status_quo
            at = None if ranking is None else ranking.options.index(a.name)
            rows.append(
                {
                    "function": function.profile.name,
                    "option": a.name,
                    "status_quo": a.is_status_quo,
                    "recommended": a.name == function.recommendation.option,
                    "arrangement": str(a.classification.arrangement),
                    "country": "+".join(p.site.country for p in a.sites),
                    "provider": " + ".join(p.site.provider for p in a.sites),
                    "npv_cost": a.projection.npv,
                    "savings_vs_status_quo": 0.0 if a.savings is None else a.savings.npv_savings,
                    "savings_share": a.savings_share,
                    "break_even_month": None if a.savings is None else a.savings.break_even_month,
                    "fit_score": a.fit_score,
                    "score": a.score,
                    **_summary("npv_cost", npv, "p10", "p50", "p90"),
                    "p_beats_status_quo": None
                    if simulated is None
                    else simulated.p_beats_status_quo,
                    "consensus_mean_rank": None
                    if ranking is None or at is None
                    else ranking.consensus[at],
                    "smaa_first_rank_acceptability": None
                    if ranking is None or at is None
                    else ranking.first_rank_acceptability[at],
                }
            )
        return rows

    def rows(self) -> list[dict[str, object]]:
        return [
            row
            for index, function in enumerate(self.decision.functions)
            for row in self._function_rows(index, function)
        ]

    def title(self) -> str:
        company = self.decision.scenario.company
        simulation = self.decision.simulation
        run = (
            "no simulation"
            if simulation is None
            else f"{simulation.draws:,} draws, seed {simulation.seed}"
        )
        return f"Decision for {company.name} ({run}; amounts in {company.currency})"

    def notes(self) -> list[str]:
        out = []
        for f in self.decision.functions:
            chosen = f.recommendation.option
            line = f"{f.profile.name}: {chosen} is recommended (best cost-and-fit score)."
            check = f.recommendation.cross_check
            if check is not None:
                line += (
                    f" The {check.method} agrees."
                    if check.agrees
                    else f" The {check.method} prefers {check.option}."
                )
            out.append(line)
        return out


SIMULATION_COLUMNS = (
    Column("function", "Function"),
    Column("option", "Option"),
    Column("status_quo", "Status quo", "check", shown=False),
    Column("npv_cost_mean", "NPV mean", MONEY, shown=False),
    Column("npv_cost_p10", "NPV P10", MONEY),
    Column("npv_cost_p50", "NPV P50", MONEY),
    Column("npv_cost_p90", "NPV P90", MONEY),
    Column("savings_vs_status_quo_mean", "Savings mean", MONEY),
    Column("savings_vs_status_quo_p10", "Savings P10", MONEY, shown=False),
    Column("savings_vs_status_quo_p50", "Savings P50", MONEY, shown=False),
    Column("savings_vs_status_quo_p90", "Savings P90", MONEY, shown=False),
    Column("p_beats_status_quo", "P(beats status quo)", ".0%"),
    Column("break_even_month_p50", "Break-even P50", ".0f"),
    Column("break_even_month_share_never", "Never breaks even", ".0%", shown=False),
    Column("hidden_cost_share", "Hidden costs", SHARE),
)


@dataclass(frozen=True, slots=True)
class SimulationResult(Tabular):
    """``api.simulate``: total cost of ownership under uncertainty.

    ``to_frame()`` has one row per function for its status quo, then one per option.
    """

    simulation: Simulation

    @property
    def columns(self) -> tuple[Column, ...]:
        return SIMULATION_COLUMNS

    def rows(self) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for f in self.simulation.functions:
            rows.append(
                {
                    "function": f.name,
                    "option": STATUS_QUO,
                    "status_quo": True,
                    **_summary("npv_cost", f.status_quo, "mean", "p10", "p50", "p90"),
                }
            )
            for o in f.options:
                rows.append(
                    {
                        "function": f.name,
                        "option": o.name,
                        "status_quo": False,
                        **_summary("npv_cost", o.npv, "mean", "p10", "p50", "p90"),
                        **_summary("savings_vs_status_quo", o.savings, "mean", "p10", "p50", "p90"),
                        "p_beats_status_quo": o.p_beats_status_quo,
                        "break_even_month_p50": o.break_even.p50,
                        "break_even_month_share_never": o.break_even.share_never,
                        "hidden_cost_share": o.hidden_cost_share,
                    }
                )
        return rows

    def title(self) -> str:
        s = self.simulation
        company = s.scenario.company
        return (
            f"Simulation of {company.name} ({s.draws:,} draws, seed {s.seed}; {company.currency})"
        )


PLAN_COLUMNS = (
    Column("function", "Function"),
    Column("option", "Option"),
    Column("arrangement", "Arrangement"),
    Column("npv_cost_p50", "NPV P50", MONEY),
    Column("npv_cost_p90", "NPV P90", MONEY),
    Column("risk_adjusted_cost", "Risk-adjusted", MONEY),
)


@dataclass(frozen=True, slots=True)
class PlanResult(Tabular):
    """``api.optimise``: one option per function, chosen together under the portfolio rules.

    ``to_frame()`` has one row per function with its chosen option (none when infeasible).
    """

    plan: PortfolioPlan
    currency: str

    @property
    def feasible(self) -> bool:
        return self.plan.result.feasible

    @property
    def risk_adjusted_cost(self) -> float | None:
        """Total risk-adjusted cost of the plan; None when no plan meets the rules."""
        return self.plan.result.objective if self.feasible else None

    @property
    def uniform(self) -> dict[str, float | None]:
        """Risk-adjusted cost of one arrangement for every function (None: not possible)."""
        return {str(u.arrangement): u.objective for u in self.plan.uniform}

    @property
    def columns(self) -> tuple[Column, ...]:
        return PLAN_COLUMNS

    def rows(self) -> list[dict[str, object]]:
        lam = self.plan.risk_aversion
        return [
            {
                "function": k.function,
                "option": k.option,
                "arrangement": k.arrangement,
                "npv_cost_p50": k.cost_p50,
                "npv_cost_p90": k.cost_p90,
                "risk_adjusted_cost": k.risk_adjusted(lam),
            }
            for k in self.plan.result.chosen
        ]

    def title(self) -> str:
        lam = self.plan.risk_aversion
        return f"Portfolio plan (risk-adjusted cost P50 + {lam:g}·(P90 − P50), {self.currency})"

    def notes(self) -> list[str]:
        result = self.plan.result
        if not result.feasible:
            return [result.message, *result.conflicts]
        out = [f"Total risk-adjusted cost {result.objective:,.0f} {self.currency}."]
        for arrangement, cost in self.uniform.items():
            shown = "not possible" if cost is None else f"{cost:,.0f} {self.currency}"
            out.append(f"{arrangement} for every function: {shown}.")
        return out


@dataclass(frozen=True, slots=True)
class RankingResult(Tabular):
    """``api.rank_matrix``: the alternatives of a decision matrix ranked by one method.

    ``to_frame()`` has one row per alternative, best first.
    """

    ranking: MatrixRanking

    @property
    def columns(self) -> tuple[Column, ...]:
        better = "higher" if self.ranking.result.higher_is_better else "lower"
        base = (
            Column("rank", "Rank"),
            Column("alternative", "Alternative"),
            Column("score", f"Score ({better} is better)", ".4f"),
        )
        if self.ranking.discordance_scale is None:
            return base
        return (*base, Column("in_kernel", "In the kernel", "check"))

    def rows(self) -> list[dict[str, object]]:
        r = self.ranking
        kernel = set(r.kernel)
        out: list[dict[str, object]] = []
        for i in r.result.order.tolist():
            name = r.matrix.alternatives[i]
            row: dict[str, object] = {
                "rank": int(r.result.ranks[i]),
                "alternative": name,
                "score": float(r.result.scores[i]),
            }
            if r.discordance_scale is not None:
                row["in_kernel"] = name in kernel
            out.append(row)
        return out

    def title(self) -> str:
        return f"{self.ranking.result.method} ranking ({self.ranking.weight_source} weights)"

    def notes(self) -> list[str]:
        r = self.ranking
        weights = ", ".join(
            f"{c} {w:.1%}{' (less is better)' if d < 0 else ''}"
            for c, w, d in zip(r.matrix.criteria, r.weights, r.directions, strict=True)
        )
        out = [f"Weights: {weights}."]
        if r.discordance_scale is not None:
            out.append(f"Kernel: {', '.join(r.kernel)} (discordance scale {r.discordance_scale}).")
        return out


def component_column(component: Component) -> str:
    """``time-zone fit`` → ``time_zone_fit_score``."""
    return component.value.replace(" ", "_").replace("-", "_") + "_score"


def _location_row(a: LocationAssessment) -> dict[str, object]:
    facts = a.facts
    return {
        "country": a.country.iso2,
        "country_name": a.country.name,
        "score": a.score.score,
        "coverage": a.score.coverage,
        "low_coverage": a.score.low_coverage,
        "overlap_mean_hours": a.overlap.mean_hours if a.overlap.working_days else None,
        "shared_working_day_share": facts.shared_working_day_share,
        "currency": a.country.currency,
        "fx_volatility": facts.fx_volatility,
        "inflation_mean_pct": None
        if facts.inflation_mean_pct is None
        else facts.inflation_mean_pct.value,
        "gdpr_transfer": str(facts.transfer_regime),
        "english_share": a.country.english_share,
        "distance_km": facts.distance_km,
        **{component_column(c.component): c.score for c in a.score.components},
    }


LOCATION_COLUMNS = (
    Column("rank", "Rank"),
    Column("country", "Code"),
    Column("country_name", "Country"),
    Column("score", "Score", ".1f"),
    Column("coverage", "Coverage", ".0%"),
    Column("low_coverage", "Low coverage", "check", shown=False),
    Column("overlap_mean_hours", "Overlap (h/day)", ".1f"),
    Column("shared_working_day_share", "Shared days", ".0%", shown=False),
    Column("currency", "Currency"),
    Column("fx_volatility", "FX volatility", SHARE, shown=False),
    Column("inflation_mean_pct", "Inflation (%)", ".1f", shown=False),
    Column("gdpr_transfer", "GDPR transfer", shown=False),
    Column("english_share", "English", ".0%", shown=False),
    Column("distance_km", "Distance (km)", ",.0f", shown=False),
    *(Column(component_column(c), c.value.capitalize(), ".0f", shown=False) for c in Component),
)


@dataclass(frozen=True, slots=True)
class LocationTable(Tabular):
    """``api.rank_locations``: countries as places to do the work from, best first.

    ``to_frame()`` has one row per country, with the score of each component.
    """

    assessments: tuple[LocationAssessment, ...]
    query: LocationQuery

    @property
    def columns(self) -> tuple[Column, ...]:
        return LOCATION_COLUMNS

    def rows(self) -> list[dict[str, object]]:
        return [
            {"rank": rank, **_location_row(a)} for rank, a in enumerate(self.assessments, start=1)
        ]

    def title(self) -> str:
        q = self.query
        kind = str(q.kind).replace("_", " ")
        return f"Locations for {kind} work, home {q.home} ({q.year})"

    def notes(self) -> list[str]:
        return [
            "Scores are 0–100; coverage is the share of the score's weight with data (low "
            "coverage ranks after the others)."
        ]


COMPONENT_COLUMNS = (
    Column("name", "Component"),
    Column("score", "Score", ".0f"),
    Column("weight", "Weight", SHARE),
    Column("explanation", "Why"),
)


@dataclass(frozen=True, slots=True)
class LocationResult(Tabular):
    """``api.assess_location``: every fact about one country against home.

    ``to_frame()`` has one row per component of the location score; ``summary()`` the country's
    facts as one row of ``rank_locations``'s frame.
    """

    assessment: LocationAssessment

    @property
    def columns(self) -> tuple[Column, ...]:
        return COMPONENT_COLUMNS

    def summary(self) -> dict[str, object]:
        """The country's facts, keyed as the columns of ``LocationTable`` (without rank)."""
        return _location_row(self.assessment)

    def rows(self) -> list[dict[str, object]]:
        return [
            {
                "name": str(c.component),
                "score": c.score,
                "weight": c.weight,
                "explanation": c.explanation,
            }
            for c in self.assessment.score.components
        ]

    def title(self) -> str:
        a = self.assessment
        score = "no score" if a.score.score is None else f"score {a.score.score:.1f}"
        return f"{a.country.name} ({a.country.iso2}) from {a.home.iso2}: {score}"

    def notes(self) -> list[str]:
        a = self.assessment
        o, days = a.overlap, a.holidays
        out = [
            f"Working-hour overlap {o.mean_hours:.1f} h a day on average in {o.year} "
            f"({o.min_hours:g}–{o.max_hours:g}); {days.shared_working_days} of home's "
            f"{days.home_working_days} working days shared.",
            f"Currency {a.country.currency}; personal data: {a.facts.transfer_regime}.",
        ]
        if a.score.low_coverage:
            out.append(f"Low coverage: only {a.score.coverage:.0%} of the score rests on data.")
        return out
