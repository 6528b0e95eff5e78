"""The engagement file: provider, engagement, contract hierarchy with each contract's calendar
(value, notice, renewal, price reviews, benchmarking, termination assistance), service credits,
service levels, user-defined KPIs, the ``decide`` business case it came from, and how the
provider is steered: scorecard weights, the corrective-action plans a breach opens, and the
contract's remedies for repeated breaches.

Field checks are pydantic's; checks across fields (a statement of work's parent must be a
master agreement of the file, a service level's metric must be a known KPI, allocations only
on critical service levels) are done here so that every problem shows at once.
"""

from __future__ import annotations

import difflib
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationError, model_validator

from sourcewise.adapters.field_types import CountryCode, CurrencyCode
from sourcewise.adapters.governance_yaml import Strict, field_names, load_model, problems_from
from sourcewise.adapters.yaml_source import SourceDocument
from sourcewise.domain.problems import Problem
from sourcewise.governance.contract_calendar import FIRST_DAY, LAST_DAY, notice_deadline
from sourcewise.governance.corrective_actions import DEFAULT_DUE_DAYS, DEFAULT_OWNER, PlanTerms
from sourcewise.governance.kpis import (
    BUILT_IN_KPIS,
    Aggregation,
    Direction,
    KpiDefinition,
    KpiKind,
    ScorecardDomain,
    parse_unit,
    validate_code,
)
from sourcewise.governance.records import (
    BusinessCase,
    Contract,
    ContractKind,
    Engagement,
    NoticePeriod,
    PeriodUnit,
    Provider,
    ProviderKind,
    Renewal,
    RenewalDecision,
    TerminationAssistance,
)
from sourcewise.governance.remedies import Remedy, RemedyKind
from sourcewise.governance.scorecard import (
    DEFAULT_BREACH_POINTS,
    DEFAULT_LOOKBACK_MONTHS,
    DEFAULT_WEIGHTS,
    ScorecardTerms,
)
from sourcewise.governance.service_levels import ServiceLevel, ServiceLevelKind

Name = Annotated[str, Field(min_length=1, max_length=200)]


def _stripped(name: str) -> str:
    # Measurement files, uploads and URLs name an engagement without its outer spaces, so a
    # name stored with them could never be matched again.
    name = name.strip()
    if not name:
        raise ValueError("a name needs a character other than spaces")
    return name


RecordName = Annotated[Name, AfterValidator(_stripped)]
"""The name of a provider or an engagement: what other files refer to it by, so stripped."""

Money = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), max_digits=18, decimal_places=4)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=9, decimal_places=4)]


class ProviderModel(Strict):
    name: RecordName
    kind: Literal["vendor", "captive"] = Field(
        description="vendor: a third party (outsourcing); captive: your own centre."
    )
    country: CountryCode
    notes: str = ""


class EngagementModel(Strict):
    name: RecordName
    function: Name
    home_country: CountryCode
    country: CountryCode = Field(description="Where the work is done.")
    start: date
    end: date | None = None
    currency: CurrencyCode = Field(description="Currency of the fees and credits.")

    @model_validator(mode="after")
    def _dates(self) -> EngagementModel:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


def _contract_era(day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is not between {FIRST_DAY} and {LAST_DAY}")
    return day


ContractDate = Annotated[date, AfterValidator(_contract_era)]
Months = Annotated[int, Field(ge=1, le=120)]


class RenewalModel(Strict):
    automatic: bool = Field(
        False, description="The contract renews at its end unless notice is given."
    )
    term_months: Months | None = Field(None, description="The length of a renewal term.")
    decision: Literal["pending", "renew", "renegotiate", "terminate"] = Field(
        "pending",
        description="What the client decided about the renewal at the contract's end; "
        "terminate: the contract ends there.",
    )


class TerminationAssistanceModel(Strict):
    months: Months = Field(description="How long the provider assists after the end.")
    terms: Annotated[str, Field(max_length=2000)] = ""


class ContractModel(Strict):
    reference: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["master_agreement", "statement_of_work"]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    start: ContractDate
    end: ContractDate | None = None
    monthly_fee: Money = Decimal(0)
    parent: str | None = Field(
        None, description="The master agreement a statement of work is under."
    )
    total_value: Money | None = Field(None, description="The contract's total value.")
    notice_period_months: Months | None = None
    notice_period_days: Annotated[int, Field(ge=1, le=3660)] | None = Field(
        None, description="Notice in days instead of months (give one of the two)."
    )
    renewal: RenewalModel = Field(default_factory=RenewalModel)
    price_review_dates: list[ContractDate] = Field(default_factory=list, max_length=200)
    benchmarking_dates: list[ContractDate] = Field(default_factory=list, max_length=200)
    termination_assistance: TerminationAssistanceModel | None = None

    def notice(self) -> NoticePeriod | None:
        if self.notice_period_months is not None:
            return NoticePeriod(self.notice_period_months, PeriodUnit.MONTHS)
        if self.notice_period_days is not None:
            return NoticePeriod(self.notice_period_days, PeriodUnit.DAYS)
        return None


class CreditTermsModel(Strict):
    at_risk_pct: Percent = Field(description="At-risk amount, % of the month's fees.")
    monthly_cap_pct: Percent | None = None
    annual_cap_pct: Percent | None = None
    max_credit_months: Annotated[int, Field(ge=1, le=12)] | None = Field(
        None,
        description="Credits in at most this many months of any contract year; later months' "
        "credits are waived.",
    )


class ServiceLevelModel(Strict):
    name: Name
    metric: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Literal["critical", "key_measurement"]
    target: float
    direction: Literal["higher_is_better", "lower_is_better"] | None = Field(
        None, description="Defaults to the KPI's direction."
    )
    window: Literal["month", "quarter"] = "month"
    minimum_sample: Annotated[int, Field(ge=0)] = 0
    best: float | None = None
    aggregation: Literal["mean", "sum", "max", "min", "last"] | None = None
    allocation_pct: Annotated[Decimal, Field(ge=0, le=1000)] = Decimal(0)
    prorated: bool = False
    full_credit_shortfall: Annotated[float, Field(gt=0)] | None = None
    earn_back_months: Annotated[int, Field(ge=0, le=24)] = 0


class KpiModel(Strict):
    code: Annotated[str, Field(min_length=1, max_length=64)]
    name: Name
    description: str = ""
    unit: str
    direction: Literal["higher_is_better", "lower_is_better"]
    kind: Literal["operational", "strategic"] = "operational"
    domain: Literal["quality", "delivery", "cost", "relationship", "risk"]
    aggregation: Literal["mean", "sum", "max", "min", "last"] = "mean"
    scale_min: float | None = None
    scale_max: float | None = None


class BusinessCaseModel(Strict):
    scenario: str = Field(description="The scenario file, relative to this file.")
    function: Name
    option: Name


Weight = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]
Points = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
LevelKind = Literal["critical", "key_measurement"]


class DomainWeightsModel(Strict):
    quality: Weight = DEFAULT_WEIGHTS[ScorecardDomain.QUALITY]
    delivery: Weight = DEFAULT_WEIGHTS[ScorecardDomain.DELIVERY]
    cost: Weight = DEFAULT_WEIGHTS[ScorecardDomain.COST]
    relationship: Weight = DEFAULT_WEIGHTS[ScorecardDomain.RELATIONSHIP]
    risk: Weight = DEFAULT_WEIGHTS[ScorecardDomain.RISK]
    service_levels: Weight = Field(
        DEFAULT_WEIGHTS[ScorecardDomain.SERVICE_LEVELS], description="SLA compliance."
    )

    @model_validator(mode="after")
    def _some_weight(self) -> DomainWeightsModel:
        if not any(self.model_dump().values()):
            raise ValueError("at least one domain weight must be positive")
        return self


class BreachPointsModel(Strict):
    critical: Points = DEFAULT_BREACH_POINTS[ServiceLevelKind.CRITICAL]
    key_measurement: Points = DEFAULT_BREACH_POINTS[ServiceLevelKind.KEY_MEASUREMENT]


class ScorecardModel(Strict):
    weights: DomainWeightsModel = Field(default_factory=DomainWeightsModel)
    breach_points: BreachPointsModel = Field(
        default_factory=BreachPointsModel,
        description="SLA compliance points one breached month costs, by service-level kind.",
    )
    lookback_months: Annotated[int, Field(ge=1, le=24)] = DEFAULT_LOOKBACK_MONTHS


class CorrectiveActionsModel(Strict):
    owner: Name = DEFAULT_OWNER
    due_days: Annotated[int, Field(ge=1, le=365)] = DEFAULT_DUE_DAYS


def _critical_only() -> list[LevelKind]:
    return ["critical"]


class RemedyModel(Strict):
    kind: Literal["improvement_plan", "escalation", "fee_withholding", "termination_right"]
    clause: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="The clause that grants it, as the contract cites it."
    )
    after_breaches: Annotated[int, Field(ge=1, le=36)]
    consecutive: bool = False
    within_months: Annotated[int, Field(ge=1, le=36)] = 12
    applies_to: list[LevelKind] = Field(default_factory=_critical_only, min_length=1)
    level: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    withhold_pct: Annotated[Decimal, Field(gt=0, le=100, max_digits=9, decimal_places=4)] | None = (
        None
    )
    note: str = ""


class EngagementFileModel(Strict):
    provider: ProviderModel
    engagement: EngagementModel
    business_case: BusinessCaseModel | None = None
    contracts: list[ContractModel] = Field(min_length=1)
    service_credits: CreditTermsModel
    service_levels: list[ServiceLevelModel] = Field(default_factory=list)
    kpis: list[KpiModel] = Field(default_factory=list)
    scorecard: ScorecardModel = Field(default_factory=ScorecardModel)
    corrective_actions: CorrectiveActionsModel = Field(default_factory=CorrectiveActionsModel)
    remedies: list[RemedyModel] = Field(default_factory=list)


def _calendar_problems(c: ContractModel) -> list[tuple[tuple[str | int, ...], str]]:
    """The contract's calendar terms that contradict each other or its dates."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    notice = c.notice()
    if c.notice_period_months is not None and c.notice_period_days is not None:
        found.append(
            (("notice_period_days",), "give the notice period in months or in days, not both")
        )
    elif notice is not None and c.end is not None:
        deadline = notice_deadline(c.end, notice)
        if deadline < c.start:
            field = f"notice_period_{notice.unit.value}"
            found.append(
                (
                    (field,),
                    f"a notice period of {notice} is longer than the term ({c.start} to "
                    f"{c.end}): notice would be due on {deadline}, before the start",
                )
            )
    if c.renewal.automatic and c.end is None:
        found.append((("renewal", "automatic"), "an automatic renewal needs the contract's end"))
    if c.renewal.automatic and c.renewal.term_months is None:
        found.append((("renewal", "term_months"), "an automatic renewal needs its term in months"))
    rolls = c.renewal.automatic and c.renewal.decision != "terminate"
    for name, days in (
        ("price_review_dates", c.price_review_dates),
        ("benchmarking_dates", c.benchmarking_dates),
    ):
        seen: set[date] = set()
        for index, day in enumerate(days):
            if day in seen:
                found.append(((name, index), f"{day} is given twice"))
            seen.add(day)
            if day < c.start:
                found.append(((name, index), f"{day} is before the contract's start {c.start}"))
            elif c.end is not None and day > c.end and not rolls:
                found.append(((name, index), f"{day} is after the contract's end {c.end}"))
    return found


def _arrangement(provider: ProviderModel, engagement: EngagementModel) -> str:
    abroad = engagement.country != engagement.home_country
    if provider.kind == "captive":
        return "captive offshoring" if abroad else "in-house"
    return "offshore outsourcing" if abroad else "domestic outsourcing"


class EngagementFile:
    """The records an engagement file describes."""

    def __init__(
        self,
        provider: Provider,
        engagement: Engagement,
        kpis: tuple[KpiDefinition, ...],
        business_case_path: Path | None,
    ) -> None:
        self.provider = provider
        self.engagement = engagement
        self.kpis = kpis
        self.business_case_path = business_case_path


def load_engagement_file(
    path: Path, known_kpis: dict[str, KpiDefinition] | None = None
) -> tuple[EngagementFile | None, list[Problem]]:
    """Every problem of the file, or its records. ``known_kpis``: user KPIs already stored."""
    model, doc = load_model(path, EngagementFileModel)
    if model is None:
        return None, doc.problems
    return _records(model, doc, path.parent, known_kpis)


def engagement_from_data(
    data: dict[str, Any], source: str, known_kpis: dict[str, KpiDefinition] | None = None
) -> tuple[EngagementFile | None, list[Problem]]:
    """The records of an engagement given as plain data in the file's shape (a form's fields,
    see ``engagement_file_data``), with every check the file gets; each problem names its
    field (``service_levels[0].target``) and no line."""
    doc = SourceDocument(source, data)
    try:
        model = EngagementFileModel.model_validate(data)
    except ValidationError as error:
        return None, problems_from(error, doc, field_names(EngagementFileModel))
    return _records(model, doc, None, known_kpis)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _fields(model: type[BaseModel], record: Any) -> dict[str, Any]:
    return {
        name: _plain(getattr(record, name)) for name in model.model_fields if hasattr(record, name)
    }


def provider_data(provider: Provider) -> dict[str, Any]:
    """A stored provider as its part of an engagement file."""
    return _fields(ProviderModel, provider)


def engagement_file_data(engagement: Engagement, provider: Provider) -> dict[str, Any]:
    """A stored engagement as the data of its file (what ``engagement_from_data`` reads back):
    the starting point of an edit, so that the edited engagement passes the file's checks."""
    case = engagement.business_case
    return {
        "provider": provider_data(provider),
        "engagement": _fields(EngagementModel, engagement),
        **({"business_case": _fields(BusinessCaseModel, case)} if case is not None else {}),
        "contracts": [_contract_data(c) for c in engagement.contracts],
        "service_credits": _fields(CreditTermsModel, engagement),
        "service_levels": [_fields(ServiceLevelModel, s) for s in engagement.service_levels],
        "scorecard": {
            "weights": {_plain(d): w for d, w in engagement.scorecard.weights.items()},
            "breach_points": {_plain(k): p for k, p in engagement.scorecard.breach_points.items()},
            "lookback_months": engagement.scorecard.lookback_months,
        },
        "corrective_actions": _fields(CorrectiveActionsModel, engagement.corrective_actions),
        "remedies": [
            {**_fields(RemedyModel, r), "applies_to": [_plain(k) for k in r.applies_to]}
            for r in engagement.remedies
        ],
    }


def _contract_data(contract: Contract) -> dict[str, Any]:
    """A contract as its entry of the file, its calendar terms under the file's names."""
    found = _fields(ContractModel, contract)
    notice = contract.notice
    if notice is not None:
        found[f"notice_period_{notice.unit.value}"] = notice.length
    found["renewal"] = _fields(RenewalModel, contract.renewal)
    found["price_review_dates"] = list(contract.price_reviews)
    found["benchmarking_dates"] = list(contract.benchmarks)
    assistance = contract.termination_assistance
    if assistance is not None:
        found["termination_assistance"] = _fields(TerminationAssistanceModel, assistance)
    return found


def _records(
    model: EngagementFileModel,
    doc: SourceDocument,
    folder: Path | None,
    known_kpis: dict[str, KpiDefinition] | None,
) -> tuple[EngagementFile | None, list[Problem]]:
    problems: list[Problem] = []
    kpis: dict[str, KpiDefinition] = {**BUILT_IN_KPIS, **(known_kpis or {})}
    new_kpis = []
    for index, k in enumerate(model.kpis):
        where = ("kpis", index)
        try:
            definition = KpiDefinition(
                code=validate_code(k.code),
                name=k.name,
                description=k.description,
                unit=parse_unit(k.unit),
                direction=Direction(k.direction),
                kind=KpiKind(k.kind),
                domain=ScorecardDomain(k.domain),
                aggregation=Aggregation(k.aggregation),
                scale_min=k.scale_min,
                scale_max=k.scale_max,
            )
        except ValueError as error:
            problems.append(doc.problem(where, str(error)))
            continue
        if definition.code in BUILT_IN_KPIS:
            problems.append(
                doc.problem((*where, "code"), f"'{k.code}' is a built-in KPI; choose another code")
            )
        kpis[definition.code] = definition
        new_kpis.append(definition)

    masters = {c.reference for c in model.contracts if c.kind == "master_agreement"}
    seen: set[str] = set()
    for index, c in enumerate(model.contracts):
        where = ("contracts", index)
        if c.reference in seen:
            problems.append(doc.problem((*where, "reference"), f"'{c.reference}' is given twice"))
        seen.add(c.reference)
        if c.kind == "statement_of_work" and c.parent not in masters:
            known = ", ".join(sorted(masters)) or "none in this file"
            problems.append(
                doc.problem(
                    (*where, "parent"),
                    f"a statement of work needs the reference of its master agreement ({known})",
                )
            )
        if c.kind == "master_agreement" and c.parent is not None:
            problems.append(doc.problem((*where, "parent"), "a master agreement has no parent"))
        if c.end is not None and c.end < c.start:
            problems.append(doc.problem((*where, "end"), f"end {c.end} is before start {c.start}"))
        else:
            problems += [
                doc.problem((*where, *at), message) for at, message in _calendar_problems(c)
            ]

    levels = []
    names: set[str] = set()
    for index, s in enumerate(model.service_levels):
        where = ("service_levels", index)
        if s.name in names:
            problems.append(doc.problem((*where, "name"), f"'{s.name}' is given twice"))
        names.add(s.name)
        kpi = kpis.get(s.metric)
        if kpi is None:
            close = difflib.get_close_matches(s.metric, kpis, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                doc.problem(
                    (*where, "metric"), f"unknown KPI '{s.metric}'{hint}; define it under kpis"
                )
            )
            continue
        try:
            levels.append(
                ServiceLevel(
                    name=s.name,
                    metric=s.metric,
                    kind=ServiceLevelKind(s.kind),
                    target=s.target,
                    direction=Direction(s.direction) if s.direction else kpi.direction,
                    unit=kpi.unit.value,
                    window=s.window,
                    minimum_sample=s.minimum_sample,
                    best=s.best,
                    aggregation=Aggregation(s.aggregation) if s.aggregation else kpi.aggregation,
                    allocation_pct=s.allocation_pct,
                    prorated=s.prorated,
                    full_credit_shortfall=s.full_credit_shortfall,
                    earn_back_months=s.earn_back_months,
                )
            )
        except ValueError as error:
            problems.append(doc.problem(where, str(error)))
    remedies = []
    for index, r in enumerate(model.remedies):
        try:
            remedies.append(_remedy(r))
        except ValueError as error:
            field = {"escalation": "level", "fee_withholding": "withhold_pct"}.get(r.kind)
            at: tuple[str | int, ...] = ("remedies", index)
            problems.append(doc.problem(at if field is None else (*at, field), str(error)))
    if problems:
        return None, problems

    e = model.engagement
    provider = Provider(
        model.provider.name,
        ProviderKind(model.provider.kind),
        model.provider.country,
        model.provider.notes,
    )
    case = model.business_case
    credits = model.service_credits
    engagement = Engagement(
        name=e.name,
        function=e.function,
        arrangement=_arrangement(model.provider, e),
        home_country=e.home_country,
        country=e.country,
        provider=provider.name,
        start=e.start,
        end=e.end,
        currency=e.currency,
        at_risk_pct=credits.at_risk_pct,
        monthly_cap_pct=credits.monthly_cap_pct,
        annual_cap_pct=credits.annual_cap_pct,
        max_credit_months=credits.max_credit_months,
        contracts=tuple(
            Contract(
                reference=c.reference,
                kind=ContractKind(c.kind),
                title=c.title,
                start=c.start,
                end=c.end,
                monthly_fee=c.monthly_fee,
                parent=c.parent,
                total_value=c.total_value,
                notice=c.notice(),
                renewal=Renewal(
                    c.renewal.automatic,
                    c.renewal.term_months,
                    RenewalDecision(c.renewal.decision),
                ),
                price_reviews=tuple(sorted(c.price_review_dates)),
                benchmarks=tuple(sorted(c.benchmarking_dates)),
                termination_assistance=None
                if c.termination_assistance is None
                else TerminationAssistance(
                    c.termination_assistance.months, c.termination_assistance.terms
                ),
            )
            for c in model.contracts
        ),
        service_levels=tuple(levels),
        business_case=None
        if case is None
        else BusinessCase(case.scenario, case.function, case.option),
        scorecard=_scorecard_terms(model.scorecard),
        corrective_actions=PlanTerms(
            model.corrective_actions.owner, model.corrective_actions.due_days
        ),
        remedies=tuple(remedies),
    )
    case_path = None if case is None or folder is None else (folder / case.scenario)
    return EngagementFile(provider, engagement, tuple(new_kpis), case_path), []


def _scorecard_terms(model: ScorecardModel) -> ScorecardTerms:
    return ScorecardTerms(
        weights={ScorecardDomain(k): v for k, v in model.weights.model_dump().items()},
        breach_points={ServiceLevelKind(k): v for k, v in model.breach_points.model_dump().items()},
        lookback_months=model.lookback_months,
    )


def _remedy(model: RemedyModel) -> Remedy:
    return Remedy(
        kind=RemedyKind(model.kind),
        clause=model.clause,
        after_breaches=model.after_breaches,
        consecutive=model.consecutive,
        within_months=model.within_months,
        applies_to=tuple(ServiceLevelKind(k) for k in dict.fromkeys(model.applies_to)),
        level=model.level,
        withhold_pct=model.withhold_pct,
        note=model.note,
    )
