"""The engagement file: provider, engagement, contract hierarchy, service credits, service
levels, user-defined KPIs and the ``decide`` business case it came from.

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
    Provider,
    ProviderKind,
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


class ContractModel(Strict):
    reference: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["master_agreement", "statement_of_work"]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    start: date
    end: date | None = None
    monthly_fee: Money = Decimal(0)
    parent: str | None = Field(
        None, description="The master agreement a statement of work is under."
    )


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


class EngagementFileModel(Strict):
    provider: ProviderModel
    engagement: EngagementModel
    business_case: BusinessCaseModel | None = None
    contracts: list[ContractModel] = Field(min_length=1)
    service_credits: CreditTermsModel
    service_levels: list[ServiceLevelModel] = Field(default_factory=list)
    kpis: list[KpiModel] = Field(default_factory=list)


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
        "contracts": [_fields(ContractModel, c) for c in engagement.contracts],
        "service_credits": _fields(CreditTermsModel, engagement),
        "service_levels": [_fields(ServiceLevelModel, s) for s in engagement.service_levels],
    }


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
            )
            for c in model.contracts
        ),
        service_levels=tuple(levels),
        business_case=None
        if case is None
        else BusinessCase(case.scenario, case.function, case.option),
    )
    case_path = None if case is None or folder is None else (folder / case.scenario)
    return EngagementFile(provider, engagement, tuple(new_kpis), case_path), []
