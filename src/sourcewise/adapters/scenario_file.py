"""Scenario files to domain ``Scenario``: parse, validate, apply defaults, report problems."""

from __future__ import annotations

import difflib
from dataclasses import replace
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.field_types import UNCERTAIN_TAGS, DistributionModel
from sourcewise.adapters.scenario_rules import scenario_findings
from sourcewise.adapters.scenario_schema import (
    FunctionModel,
    OptionModel,
    ScenarioModel,
    SiteFields,
    all_field_names,
)
from sourcewise.adapters.yaml_source import SourceDocument, parse_yaml, read_yaml
from sourcewise.domain.arrangement import (
    NEARSHORE_MAX_GAP_HOURS,
    Arrangement,
    Employer,
    SiteFacts,
    classify,
)
from sourcewise.domain.assumptions import (
    DEFAULT_GOODS_GOVERNANCE_OVERHEAD,
    DEFAULT_GOVERNANCE_OVERHEAD,
    DEFAULT_PARALLEL_RUNNING_SHARE,
    HIDDEN_COST_RANGES,
)
from sourcewise.domain.location import relate
from sourcewise.domain.problems import Path, Problem
from sourcewise.domain.scenario import (
    Company,
    Correlation,
    Function,
    FunctionProfile,
    Goals,
    GoodsProfile,
    GoodsTerms,
    IndicatorOverride,
    InputRef,
    Option,
    PilotCosts,
    PortfolioRules,
    Scenario,
    Site,
    UncertainInput,
)


def _friendly(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "unknown field"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def validation_problems(error: ValidationError, doc: SourceDocument) -> list[Problem]:
    """One problem per pydantic error, each at the line of the field it names."""
    known = all_field_names()
    problems = []
    for item in error.errors():
        loc: Path = tuple(part for part in item["loc"] if part not in UNCERTAIN_TAGS)
        message = _friendly(item)
        if item["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown field '{loc[-1]}'{hint}"
        problems.append(doc.problem(loc, message))
    return problems


class _Converter:
    """Turns validated models into domain records, putting the mean of every uncertain
    number in the records and keeping its distribution, with where it sits, aside."""

    def __init__(self, home: str) -> None:
        self.home = home
        self.uncertain: list[UncertainInput] = []

    def number(self, value: float | DistributionModel, ref: InputRef) -> float:
        if isinstance(value, DistributionModel):
            distribution = value.to_distribution()
            self.uncertain.append(UncertainInput(ref, distribution))
            return float(distribution.mean)
        return float(value)

    def optional(self, value: float | DistributionModel | None, ref: InputRef) -> float | None:
        return None if value is None else self.number(value, ref)

    def hidden(
        self, key: str, given: float | DistributionModel | None, applies: bool, ref: InputRef
    ) -> float:
        """The given value, else the published default range ``key`` where it applies, else 0."""
        if given is not None:
            return self.number(given, ref)
        if not applies:
            return 0.0
        low, mode, high = HIDDEN_COST_RANGES[key]
        default = DistributionModel(dist="triangular", low=low, mode=mode, high=high)
        return self.number(default, ref)

    def site(self, fields: SiteFields, function: FunctionModel, share: float, at: InputRef) -> Site:
        # Both are checked by the cross-field rules before any conversion happens.
        assert fields.employer is not None
        assert fields.country is not None
        home = self.home
        arrangement = classify(SiteFacts(fields.employer, fields.country, home)).arrangement
        goods = fields.goods
        defaults = (
            DEFAULT_GOVERNANCE_OVERHEAD if goods is None else DEFAULT_GOODS_GOVERNANCE_OVERHEAD
        )

        def ref(name: str, in_goods: bool = False) -> InputRef:
            label = f"{at.label}.goods.{name}" if in_goods else f"{at.label}.{name}"
            return replace(at, label=label, field=name, goods=in_goods)

        services = goods is None
        abroad = fields.country != home
        third_party = fields.employer is Employer.THIRD_PARTY
        relation = relate(load_countries()[home], load_countries()[fields.country])
        # At home, or nearshore by the classification's own rule (neighbour or a small gap).
        close = relation.neighbouring or abs(relation.timezone_gap_hours) <= NEARSHORE_MAX_GAP_HOURS
        near = close or fields.follows_home_hours

        def hidden(name: str, given: float | DistributionModel | None, applies: bool) -> float:
            key = "coordination_loss_near" if name == "coordination_loss" and near else name
            return self.hidden(key, given, applies, ref(name))

        # Offshore outsourcing of services: contract management over its published range.
        overhead_range = (
            services
            and arrangement is Arrangement.OFFSHORE_OUTSOURCING
            and fields.transfer_month is None
        )
        overhead = (
            hidden("governance_overhead", fields.governance_overhead, True)
            if fields.governance_overhead is not None or overhead_range
            else defaults[arrangement]
        )
        after_transfer = self.optional(
            fields.governance_overhead_after_transfer, ref("governance_overhead_after_transfer")
        )
        if fields.transfer_month is not None and after_transfer is None:
            becomes = classify(SiteFacts(Employer.OWN, fields.country, home)).arrangement
            after_transfer = defaults[becomes]
        return Site(
            employer=fields.employer,
            country=fields.country,
            provider=fields.provider or _default_provider(fields.employer),
            fte=fields.fte if fields.fte is not None else (function.fte or 0.0) * share,
            annual_cost_per_fte=self.optional(
                fields.annual_cost_per_fte, ref("annual_cost_per_fte")
            )
            or 0.0,
            hourly_rate=self.optional(fields.hourly_rate, ref("hourly_rate")) or 0.0,
            billable_hours_per_fte=fields.billable_hours_per_fte,
            monthly_fee=self.number(fields.monthly_fee, ref("monthly_fee")),
            wage_inflation=self.number(fields.wage_inflation, ref("wage_inflation")),
            governance_overhead=overhead,
            coordination_loss=hidden(
                "coordination_loss", fields.coordination_loss, services and abroad
            ),
            rework_share=hidden(
                "rework_share", fields.rework_share, services and abroad and third_party
            ),
            vendor_selection_share=hidden(
                "vendor_selection_share", fields.vendor_selection_share, services and third_party
            ),
            transition_share=hidden(
                "transition_share", fields.transition_share, services and third_party
            ),
            attrition_rate=self.number(fields.attrition_rate, ref("attrition_rate")),
            replacement_cost_share=self.number(
                fields.replacement_cost_share, ref("replacement_cost_share")
            ),
            local_currency_share=(
                self.number(fields.local_currency_share, ref("local_currency_share"))
                if fields.local_currency_share is not None
                else (1.0 if abroad and not third_party else 0.0)
            ),
            travel_per_year=self.number(fields.travel_per_year, ref("travel_per_year")),
            facility_owner=fields.facility_owner,
            transfer_month=fields.transfer_month,
            transfer_fee=self.number(fields.transfer_fee, ref("transfer_fee")),
            governance_overhead_after_transfer=after_transfer,
            goods=None
            if goods is None
            else GoodsTerms(
                **{
                    name: self.number(getattr(goods, name), ref(name, in_goods=True))
                    for name in GOODS_TERMS_NUMBERS
                },
                duty_basis=goods.duty_basis,
                transit_weeks=goods.transit_weeks,
                safety_stock_weeks=goods.safety_stock_weeks,
            ),
            certifications=tuple(c.upper().replace(" ", "") for c in fields.certifications),
            track_record=fields.track_record,
            languages=tuple(fields.languages) if fields.languages is not None else None,
            follows_home_hours=fields.follows_home_hours,
            share=share,
        )

    def option(self, option: OptionModel, function: FunctionModel, at: InputRef) -> Option:
        if option.parts is None:
            sites: tuple[Site, ...] = (self.site(option, function, 1.0, replace(at, site=0)),)
        else:
            sites = tuple(
                self.site(
                    part,
                    function,
                    part.share,
                    replace(at, label=f"{at.label}.parts[{k}]", site=k),
                )
                for k, part in enumerate(option.parts)
            )

        def ref(name: str) -> InputRef:
            return replace(at, label=f"{at.label}.{name}", field=name)

        # Work leaving the country ends jobs at home (within it, staff usually transfer to the
        # provider with their terms: the EU's Directive 2001/23/EC, TUPE in the UK).
        moves_abroad = function.goods is None and any(s.country != self.home for s in sites)
        return Option(
            name=option.name,
            sites=sites,
            setup_cost=self.number(option.setup_cost, ref("setup_cost")),
            transition_months=option.transition_months,
            lead_time_months=option.lead_time_months,
            severance_cost=self.number(option.severance_cost or 0.0, ref("severance_cost")),
            layoff_retention_share=self.hidden(
                "layoff_retention_share",
                option.layoff_retention_share,
                moves_abroad and option.severance_cost is None,
                ref("layoff_retention_share"),
            ),
            parallel_running_share=self.number(
                option.parallel_running_share
                if option.parallel_running_share is not None
                else DEFAULT_PARALLEL_RUNNING_SHARE,
                ref("parallel_running_share"),
            ),
            exit_cost=self.number(option.exit_cost, ref("exit_cost")),
            learning_months=option.learning_months,
            initial_productivity=option.initial_productivity,
            notes=option.notes,
            parallel_running_months=(
                option.parallel_running_months
                if option.parallel_running_months is not None
                else (1 if option.transition_months > 0 else 0)
            ),
        )

    def function(self, f: FunctionModel, index: int) -> Function:
        at = InputRef(label=f"functions[{index}]", field="", function=index)

        def ref(name: str, in_goods: bool = False) -> InputRef:
            label = f"{at.label}.goods.{name}" if in_goods else f"{at.label}.{name}"
            return replace(at, label=label, field=name, goods=in_goods)

        goods = None
        if f.goods is not None:
            goods = GoodsProfile(
                units_per_year=self.number(
                    f.goods.units_per_year, ref("units_per_year", in_goods=True)
                ),
                unit_weight_kg=f.goods.unit_weight_kg,
            )
        profile = FunctionProfile(
            name=f.name,
            kind=f.kind,
            fte=f.fte or 0.0,
            current_annual_cost=self.number(f.current_annual_cost, ref("current_annual_cost")),
            positioning=f.positioning,
            expertise_in_house=f.expertise_in_house,
            data_sensitivity=f.data_sensitivity,
            ip_sensitivity=f.ip_sensitivity,
            overlap_hours_needed=f.overlap_hours_needed,
            languages=tuple(f.languages),
            demand_volatility=f.demand_volatility,
            goals=Goals(**f.goals.model_dump()),
            pilot_planned=f.pilot_planned,
            change_management_planned=f.change_management_planned,
            goods=goods,
            criteria_weights=None if f.weights is None else tuple(f.weights.items()),
            ahp_judgements=None
            if f.ahp is None
            else tuple((a, b, v) for a, row in f.ahp.items() for b, v in row.items()),
            pilot_costs=None
            if f.pilot is None
            else PilotCosts(f.pilot.fixed_cost, f.pilot.cost_per_person_month),
        )
        options = tuple(
            self.option(o, f, replace(at, label=f"{at.label}.options[{j}]", option=j))
            for j, o in enumerate(f.options)
        )
        return Function(profile, options)


GOODS_TERMS_NUMBERS = (
    "unit_price",
    "packaging_per_unit",
    "freight_per_unit",
    "freight_per_kg",
    "insurance_rate",
    "duty_rate",
    "carrying_rate",
)


def _default_provider(employer: Employer) -> str:
    return "own staff" if employer is Employer.OWN else "provider"


def to_domain(model: ScenarioModel, source: str) -> Scenario:
    company = model.company
    home = company.home_country
    convert = _Converter(home)
    functions = tuple(convert.function(f, i) for i, f in enumerate(model.functions))
    wage_inflation = convert.number(
        company.wage_inflation, InputRef("company.wage_inflation", "wage_inflation")
    )
    return Scenario(
        company=Company(
            name=company.name,
            home_country=home,
            currency=company.currency or load_countries()[home].currency,
            discount_rate=company.discount_rate,
            horizon_years=company.horizon_years,
            wage_inflation=wage_inflation,
            start_year=company.start_year or date.today().year,
            start_year_given=company.start_year is not None,
        ),
        functions=functions,
        source=source,
        indicator_overrides=tuple(
            IndicatorOverride(i.country, i.indicator, i.value, i.year, i.source)
            for i in model.indicators
        ),
        uncertain=tuple(convert.uncertain),
        portfolio=PortfolioRules(
            risk_aversion=model.portfolio.risk_aversion,
            budget=model.portfolio.budget,
            must_stay_in_house=tuple(model.portfolio.must_stay_in_house),
            min_overlap_hours=model.portfolio.min_overlap_hours,
            overlap_functions=None
            if model.portfolio.overlap_functions is None
            else tuple(model.portfolio.overlap_functions),
            max_provider_share=model.portfolio.max_provider_share,
            max_country_share=model.portfolio.max_country_share,
            critical_functions=tuple(model.portfolio.critical_functions),
            min_providers=model.portfolio.min_providers,
            own_staff_count_as_provider=model.portfolio.own_staff_count_as_provider,
        ),
        correlations=tuple(
            Correlation(c.between[0], c.between[1], c.rho) for c in model.correlations
        ),
    )


def from_document(doc: SourceDocument) -> tuple[Scenario | None, list[Problem]]:
    """Validate field by field and across fields, reporting every problem found."""
    scenario, _model, problems = _validate(doc)
    return scenario, problems


def load_scenario_model_text(
    text: str, name: str = "<scenario>"
) -> tuple[Scenario | None, dict[str, Any] | None, list[Problem]]:
    """The scenario in ``text`` and its validated model as JSON data (every field, defaults
    filled in: what the workspace keeps beside the text), or every problem found."""
    scenario, model, problems = _validate(parse_yaml(text, name))
    if scenario is None or model is None:
        return None, None, problems
    return scenario, model.model_dump(mode="json"), []


def _validate(doc: SourceDocument) -> tuple[Scenario | None, ScenarioModel | None, list[Problem]]:
    if doc.data is None:
        # A document of just `null` or `~` parses without a problem but holds no scenario.
        empty = Problem(doc.file, 1, "", "expected a mapping at the top, got nothing (null)")
        return None, None, doc.problems or [empty]
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        top = Problem(doc.file, 1, "", f"expected a mapping at the top, got {kind}")
        return None, None, [*doc.problems, top]
    problems = list(doc.problems)
    model: ScenarioModel | None = None
    try:
        model = ScenarioModel.model_validate(doc.data)
    except ValidationError as error:
        problems += validation_problems(error, doc)
    flagged = {p.path for p in problems}
    for path, message in scenario_findings(doc.data):
        problem = doc.problem(path, message)
        if problem.path not in flagged:
            problems.append(problem)
    if problems or model is None:
        return None, None, sorted(problems, key=lambda p: (p.line or 0, p.path))
    scenario = to_domain(model, doc.file)
    uncertain = {u.ref.label for u in scenario.uncertain}
    for index, correlation in enumerate(model.correlations):
        for name in correlation.between:
            if name not in uncertain:
                known = ", ".join(sorted(uncertain)) or "none"
                problems.append(
                    doc.problem(
                        ("correlations", index, "between"),
                        f"'{name}' is not an uncertain input (those are: {known})",
                    )
                )
        if correlation.between[0] == correlation.between[1]:
            problems.append(
                doc.problem(("correlations", index, "between"), "names the same input twice")
            )
    problems += _decision_problems(model, doc)
    names = {f.name for f in model.functions}
    portfolio = model.portfolio
    for field_name in ("must_stay_in_house", "overlap_functions", "critical_functions"):
        for index, name in enumerate(getattr(portfolio, field_name) or []):
            if name not in names:
                problems.append(
                    doc.problem(
                        ("portfolio", field_name, index),
                        f"'{name}' is not a function of this scenario ({', '.join(sorted(names))})",
                    )
                )
    if problems:
        return None, None, problems
    return scenario, model, []


def _decision_problems(model: ScenarioModel, doc: SourceDocument) -> list[Problem]:
    """Weights and AHP judgements must name known criteria and make sense. The judgements are
    checked by building their pairwise matrix; the weights are derived once, by the decision."""
    from sourcewise.decision.ahp import PairwiseError, pairwise_from_judgements
    from sourcewise.domain.criteria import NAMES

    problems = []
    for i, f in enumerate(model.functions):
        for name, value in (f.weights or {}).items():
            if name not in NAMES:
                problems.append(
                    doc.problem(
                        ("functions", i, "weights", name),
                        f"unknown criterion '{name}'; one of {', '.join(NAMES)}",
                    )
                )
            elif value < 0:
                problems.append(doc.problem(("functions", i, "weights", name), "is negative"))
        if f.weights is not None and sum(max(v, 0.0) for v in f.weights.values()) <= 0:
            problems.append(doc.problem(("functions", i, "weights"), "no weight is positive"))
        if f.ahp:
            unknown = {n for row in f.ahp.values() for n in row} | set(f.ahp)
            unknown -= set(NAMES)
            if unknown:
                problems.append(
                    doc.problem(
                        ("functions", i, "ahp"),
                        f"unknown criteria {', '.join(sorted(unknown))}; one of {', '.join(NAMES)}",
                    )
                )
                continue
            try:
                pairwise_from_judgements(NAMES, f.ahp)
            except PairwiseError as error:
                problems += [doc.problem(("functions", i, "ahp"), m) for m in error.problems]
    return problems


def load_scenario_file(path: FsPath) -> tuple[Scenario | None, list[Problem]]:
    """The scenario in ``path``, or every problem found in it."""
    return from_document(read_yaml(path))


def load_scenario_text(
    text: str, name: str = "<scenario>"
) -> tuple[Scenario | None, list[Problem]]:
    return from_document(parse_yaml(text, name))
