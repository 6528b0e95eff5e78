"""Scenario files to domain ``Scenario``: parse, validate, apply defaults, report problems."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.scenario_rules import scenario_findings
from sourcewise.adapters.scenario_schema import (
    DEFAULT_GOODS_GOVERNANCE_OVERHEAD,
    DEFAULT_GOVERNANCE_OVERHEAD,
    FunctionModel,
    OptionModel,
    ScenarioModel,
    SiteFields,
    all_field_names,
)
from sourcewise.adapters.yaml_source import SourceDocument, parse_yaml, read_yaml
from sourcewise.domain.arrangement import Employer, SiteFacts, classify
from sourcewise.domain.problems import Path, Problem
from sourcewise.domain.scenario import (
    Company,
    Function,
    FunctionProfile,
    Goals,
    GoodsProfile,
    GoodsTerms,
    IndicatorOverride,
    Option,
    Scenario,
    Site,
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
        loc: Path = tuple(item["loc"])
        message = _friendly(item)
        if item["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown field '{loc[-1]}'{hint}"
        problems.append(doc.problem(loc, message))
    return problems


def _site(fields: SiteFields, function: FunctionModel, home: str, share: float) -> Site:
    # Both are checked by FunctionModel before any conversion happens.
    assert fields.employer is not None
    assert fields.country is not None
    arrangement = classify(SiteFacts(fields.employer, fields.country, home)).arrangement
    goods = fields.goods
    defaults = DEFAULT_GOVERNANCE_OVERHEAD if goods is None else DEFAULT_GOODS_GOVERNANCE_OVERHEAD
    overhead = fields.governance_overhead
    after_transfer = fields.governance_overhead_after_transfer
    if fields.transfer_month is not None and after_transfer is None:
        becomes = classify(SiteFacts(Employer.OWN, fields.country, home)).arrangement
        after_transfer = defaults[becomes]
    return Site(
        employer=fields.employer,
        country=fields.country,
        provider=fields.provider
        or ("own staff" if fields.employer is Employer.OWN else "provider"),
        fte=fields.fte if fields.fte is not None else (function.fte or 0.0) * share,
        annual_cost_per_fte=fields.annual_cost_per_fte or 0.0,
        hourly_rate=fields.hourly_rate or 0.0,
        billable_hours_per_fte=fields.billable_hours_per_fte,
        monthly_fee=fields.monthly_fee,
        wage_inflation=fields.wage_inflation,
        governance_overhead=(overhead if overhead is not None else defaults[arrangement]),
        travel_per_year=fields.travel_per_year,
        facility_owner=fields.facility_owner,
        transfer_month=fields.transfer_month,
        transfer_fee=fields.transfer_fee,
        governance_overhead_after_transfer=after_transfer,
        goods=None
        if goods is None
        else GoodsTerms(
            unit_price=goods.unit_price,
            packaging_per_unit=goods.packaging_per_unit,
            freight_per_unit=goods.freight_per_unit,
            freight_per_kg=goods.freight_per_kg,
            insurance_rate=goods.insurance_rate,
            duty_rate=goods.duty_rate,
            duty_basis=goods.duty_basis,
        ),
        certifications=tuple(c.upper().replace(" ", "") for c in fields.certifications),
        track_record=fields.track_record,
        languages=tuple(fields.languages) if fields.languages is not None else None,
        follows_home_hours=fields.follows_home_hours,
        share=share,
    )


def _option(option: OptionModel, function: FunctionModel, home: str) -> Option:
    if option.parts is None:
        sites: tuple[Site, ...] = (_site(option, function, home, 1.0),)
    else:
        sites = tuple(_site(part, function, home, part.share) for part in option.parts)
    return Option(
        name=option.name,
        sites=sites,
        setup_cost=option.setup_cost,
        transition_months=option.transition_months,
        lead_time_months=option.lead_time_months,
        severance_cost=option.severance_cost,
        notes=option.notes,
        parallel_running_months=(
            option.parallel_running_months
            if option.parallel_running_months is not None
            else (1 if option.transition_months > 0 else 0)
        ),
    )


def to_domain(model: ScenarioModel, source: str) -> Scenario:
    company = model.company
    home = company.home_country
    currency = company.currency or load_countries()[home].currency
    functions = []
    for f in model.functions:
        profile = FunctionProfile(
            name=f.name,
            kind=f.kind,
            fte=f.fte or 0.0,
            current_annual_cost=f.current_annual_cost,
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
            goods=None if f.goods is None else GoodsProfile(**f.goods.model_dump()),
        )
        options = tuple(_option(o, f, home) for o in f.options)
        functions.append(Function(profile, options))
    return Scenario(
        company=Company(
            name=company.name,
            home_country=home,
            currency=currency,
            discount_rate=company.discount_rate,
            horizon_years=company.horizon_years,
            wage_inflation=company.wage_inflation,
            start_year=company.start_year or date.today().year,
        ),
        indicator_overrides=tuple(
            IndicatorOverride(i.country, i.indicator, i.value, i.year, i.source)
            for i in model.indicators
        ),
        functions=tuple(functions),
        source=source,
    )


def from_document(doc: SourceDocument) -> tuple[Scenario | None, list[Problem]]:
    """Validate field by field and across fields, reporting every problem found."""
    if doc.data is None:
        return None, doc.problems
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        top = Problem(doc.file, 1, "", f"expected a mapping at the top, got {kind}")
        return None, [*doc.problems, top]
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
        return None, sorted(problems, key=lambda p: (p.line or 0, p.path))
    return to_domain(model, doc.file), []


def load_scenario_file(path: FsPath) -> tuple[Scenario | None, list[Problem]]:
    """The scenario in ``path``, or every problem found in it."""
    return from_document(read_yaml(path))


def load_scenario_text(
    text: str, name: str = "<scenario>"
) -> tuple[Scenario | None, list[Problem]]:
    return from_document(parse_yaml(text, name))
