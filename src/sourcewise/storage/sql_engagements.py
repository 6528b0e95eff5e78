"""SQL repositories for providers, engagements (contracts with their calendar, service levels),
user-defined KPIs and the cost ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.governance.benefits import PlannedMonth
from sourcewise.governance.kpis import (
    Aggregation,
    Direction,
    KpiDefinition,
    KpiKind,
    ScorecardDomain,
    Unit,
)
from sourcewise.governance.records import (
    BusinessCase,
    Contract,
    ContractKind,
    Engagement,
    MonthlyCost,
    NoticePeriod,
    PeriodUnit,
    Provider,
    ProviderKind,
    Renewal,
    RenewalDecision,
    TerminationAssistance,
)
from sourcewise.governance.service_levels import ServiceLevel, ServiceLevelKind
from sourcewise.storage import steering_terms
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import (
    DuplicateError,
    EngagementRepository,
    KpiRepository,
    LedgerRepository,
    NotFoundError,
)


def engagement_id(connection: Connection, name: str) -> int:
    found = connection.execute(
        select(t.engagements.c.id).where(t.engagements.c.name == name)
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"no engagement named '{name}'")
    return int(found)


def engagement_names(connection: Connection) -> dict[int, str]:
    rows = connection.execute(select(t.engagements.c.id, t.engagements.c.name))
    return {int(row.id): str(row.name) for row in rows}


class SqlEngagements(EngagementRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_provider(self, provider: Provider) -> None:
        if self.get_provider(provider.name) is not None:
            raise DuplicateError(f"a provider named '{provider.name}' exists already")
        self.connection.execute(
            insert(t.providers).values(
                name=provider.name,
                kind=provider.kind.value,
                country=provider.country,
                notes=provider.notes,
            )
        )

    def get_provider(self, name: str) -> Provider | None:
        row = (
            self.connection.execute(select(t.providers).where(t.providers.c.name == name))
            .mappings()
            .one_or_none()
        )
        return None if row is None else _provider(row)

    def providers(self) -> list[Provider]:
        rows = self.connection.execute(select(t.providers).order_by(t.providers.c.name))
        return [_provider(row) for row in rows.mappings()]

    def _provider_id(self, name: str) -> int:
        found = self.connection.execute(
            select(t.providers.c.id).where(t.providers.c.name == name)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no provider named '{name}'")
        return int(found)

    def add(self, engagement: Engagement) -> None:
        if self.get(engagement.name) is not None:
            raise DuplicateError(f"an engagement named '{engagement.name}' exists already")
        values = self._values(engagement)
        new_id = self.connection.execute(
            insert(t.engagements).values(**values).returning(t.engagements.c.id)
        ).scalar_one()
        self._write_children(int(new_id), engagement)

    def lock(self, name: str) -> None:
        # FOR UPDATE on PostgreSQL; SQLAlchemy leaves it out on SQLite, whose writer lock is
        # taken when the unit begins (``for_writing``).
        found = self.connection.execute(
            select(t.engagements.c.id).where(t.engagements.c.name == name).with_for_update()
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no engagement named '{name}'")

    def replace(self, engagement: Engagement) -> None:
        ident = engagement_id(self.connection, engagement.name)
        self.connection.execute(
            t.engagements.update()
            .where(t.engagements.c.id == ident)
            .values(**self._values(engagement))
        )
        for table in (t.contracts, t.service_levels):
            self.connection.execute(delete(table).where(table.c.engagement_id == ident))
        self._write_children(ident, engagement)

    def _values(self, e: Engagement) -> dict[str, Any]:
        case = e.business_case
        return {
            "name": e.name,
            "function": e.function,
            "arrangement": e.arrangement,
            "home_country": e.home_country,
            "country": e.country,
            "provider_id": self._provider_id(e.provider),
            "start_date": e.start,
            "end_date": e.end,
            "currency": e.currency,
            "at_risk_pct": e.at_risk_pct,
            "monthly_cap_pct": e.monthly_cap_pct,
            "annual_cap_pct": e.annual_cap_pct,
            "max_credit_months": e.max_credit_months,
            "business_case": None
            if case is None
            else {"scenario": case.scenario, "function": case.function, "option": case.option},
            "steering": steering_terms.steering_json(e.scorecard, e.corrective_actions, e.remedies),
        }

    def _write_children(self, ident: int, engagement: Engagement) -> None:
        # Masters first, so that statements of work can point at their parent's id.
        ids: dict[str, int] = {}
        ordered = sorted(engagement.contracts, key=lambda c: c.parent is not None)
        for contract in ordered:
            parent_id = ids[contract.parent] if contract.parent is not None else None
            ids[contract.reference] = int(
                self.connection.execute(
                    insert(t.contracts)
                    .values(
                        engagement_id=ident,
                        reference=contract.reference,
                        kind=contract.kind.value,
                        parent_id=parent_id,
                        title=contract.title,
                        start_date=contract.start,
                        end_date=contract.end,
                        monthly_fee=contract.monthly_fee,
                        **_calendar_values(contract),
                    )
                    .returning(t.contracts.c.id)
                ).scalar_one()
            )
        if engagement.service_levels:
            self.connection.execute(
                insert(t.service_levels),
                [_service_level_row(ident, s) for s in engagement.service_levels],
            )

    def get(self, name: str) -> Engagement | None:
        row = (
            self.connection.execute(
                select(t.engagements, t.providers.c.name.label("provider_name"))
                .join(t.providers, t.providers.c.id == t.engagements.c.provider_id)
                .where(t.engagements.c.name == name)
            )
            .mappings()
            .one_or_none()
        )
        return None if row is None else self._engagement(row)

    def all(self) -> list[Engagement]:
        rows = self.connection.execute(
            select(t.engagements, t.providers.c.name.label("provider_name"))
            .join(t.providers, t.providers.c.id == t.engagements.c.provider_id)
            .order_by(t.engagements.c.name)
        )
        return [self._engagement(row) for row in rows.mappings().all()]

    def _engagement(self, row: RowMapping) -> Engagement:
        ident = row["id"]
        contract_rows = (
            self.connection.execute(
                select(t.contracts)
                .where(t.contracts.c.engagement_id == ident)
                .order_by(t.contracts.c.id)
            )
            .mappings()
            .all()
        )
        references = {c["id"]: c["reference"] for c in contract_rows}
        contracts = tuple(
            Contract(
                reference=c["reference"],
                kind=ContractKind(c["kind"]),
                title=c["title"],
                start=c["start_date"],
                end=c["end_date"],
                monthly_fee=Decimal(c["monthly_fee"]),
                parent=references.get(c["parent_id"]),
                total_value=_optional_decimal(c["total_value"]),
                notice=None
                if c["notice_period"] is None
                else NoticePeriod(c["notice_period"], PeriodUnit(c["notice_unit"])),
                renewal=Renewal(
                    bool(c["auto_renewal"]),
                    c["renewal_term_months"],
                    RenewalDecision(c["renewal_decision"]),
                ),
                price_reviews=tuple(_as_date(d) for d in c["price_review_dates"]),
                benchmarks=tuple(_as_date(d) for d in c["benchmarking_dates"]),
                termination_assistance=None
                if c["termination_assistance_months"] is None
                else TerminationAssistance(
                    c["termination_assistance_months"], c["termination_assistance_terms"]
                ),
            )
            for c in contract_rows
        )
        levels = self.connection.execute(
            select(t.service_levels)
            .where(t.service_levels.c.engagement_id == ident)
            .order_by(t.service_levels.c.id)
        ).mappings()
        case = row["business_case"]
        return Engagement(
            name=row["name"],
            function=row["function"],
            arrangement=row["arrangement"],
            home_country=row["home_country"],
            country=row["country"],
            provider=row["provider_name"],
            start=row["start_date"],
            end=row["end_date"],
            currency=row["currency"],
            at_risk_pct=_decimal(row["at_risk_pct"]),
            monthly_cap_pct=_optional_decimal(row["monthly_cap_pct"]),
            annual_cap_pct=_optional_decimal(row["annual_cap_pct"]),
            max_credit_months=row["max_credit_months"],
            contracts=contracts,
            service_levels=tuple(_service_level(s) for s in levels),
            business_case=None if case is None else BusinessCase(**case),
            scorecard=steering_terms.scorecard_terms(row["steering"]),
            corrective_actions=steering_terms.plan_terms(row["steering"]),
            remedies=steering_terms.remedies(row["steering"]),
        )


def _calendar_values(contract: Contract) -> dict[str, Any]:
    assistance = contract.termination_assistance
    return {
        "total_value": contract.total_value,
        "notice_period": None if contract.notice is None else contract.notice.length,
        "notice_unit": None if contract.notice is None else contract.notice.unit.value,
        "auto_renewal": contract.renewal.automatic,
        "renewal_term_months": contract.renewal.term_months,
        "renewal_decision": contract.renewal.decision.value,
        "price_review_dates": [d.isoformat() for d in contract.price_reviews],
        "benchmarking_dates": [d.isoformat() for d in contract.benchmarks],
        "termination_assistance_months": None if assistance is None else assistance.months,
        "termination_assistance_terms": "" if assistance is None else assistance.terms,
    }


def _provider(row: RowMapping) -> Provider:
    return Provider(row["name"], ProviderKind(row["kind"]), row["country"], row["notes"])


def _decimal(value: Any) -> Decimal:
    # Normalised so that SQLite's and PostgreSQL's scales compare and print alike.
    return Decimal(value).normalize() + Decimal(0)


def _optional_decimal(value: Any) -> Decimal | None:
    return None if value is None else _decimal(value)


def _service_level_row(ident: int, s: ServiceLevel) -> dict[str, Any]:
    return {
        "engagement_id": ident,
        "name": s.name,
        "metric": s.metric,
        "kind": s.kind.value,
        "target": s.target,
        "direction": s.direction.value,
        "unit": s.unit,
        "window": s.window,
        "minimum_sample": s.minimum_sample,
        "best": s.best,
        "aggregation": s.aggregation.value,
        "allocation_pct": s.allocation_pct,
        "prorated": s.prorated,
        "full_credit_shortfall": s.full_credit_shortfall,
        "earn_back_months": s.earn_back_months,
    }


def _service_level(row: RowMapping) -> ServiceLevel:
    return ServiceLevel(
        name=row["name"],
        metric=row["metric"],
        kind=ServiceLevelKind(row["kind"]),
        target=row["target"],
        direction=Direction(row["direction"]),
        unit=row["unit"],
        window=row["window"],
        minimum_sample=row["minimum_sample"],
        best=row["best"],
        aggregation=Aggregation(row["aggregation"]),
        allocation_pct=_decimal(row["allocation_pct"]),
        prorated=bool(row["prorated"]),
        full_credit_shortfall=row["full_credit_shortfall"],
        earn_back_months=row["earn_back_months"],
    )


class SqlKpis(KpiRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def put(self, definition: KpiDefinition) -> None:
        self.connection.execute(
            delete(t.kpi_definitions).where(t.kpi_definitions.c.code == definition.code)
        )
        self.connection.execute(
            insert(t.kpi_definitions).values(
                code=definition.code,
                name=definition.name,
                description=definition.description,
                unit=definition.unit.value,
                direction=definition.direction.value,
                kind=definition.kind.value,
                domain=definition.domain.value,
                aggregation=definition.aggregation.value,
                scale_min=definition.scale_min,
                scale_max=definition.scale_max,
                currency=definition.currency,
            )
        )

    def all(self) -> list[KpiDefinition]:
        rows = self.connection.execute(
            select(t.kpi_definitions).order_by(t.kpi_definitions.c.code)
        ).mappings()
        return [
            KpiDefinition(
                code=r["code"],
                name=r["name"],
                description=r["description"],
                unit=Unit(r["unit"]),
                direction=Direction(r["direction"]),
                kind=KpiKind(r["kind"]),
                domain=ScorecardDomain(r["domain"]),
                aggregation=Aggregation(r["aggregation"]),
                scale_min=r["scale_min"],
                scale_max=r["scale_max"],
                currency=r["currency"],
            )
            for r in rows
        ]


class SqlLedger(LedgerRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def put_costs(self, costs: Sequence[MonthlyCost]) -> None:
        for cost in costs:
            ident = engagement_id(self.connection, cost.engagement)
            table = t.monthly_costs
            self.connection.execute(
                delete(table).where(table.c.engagement_id == ident, table.c.month == cost.month)
            )
            self.connection.execute(
                insert(table).values(
                    engagement_id=ident,
                    month=cost.month,
                    fees=cost.fees,
                    internal_costs=cost.internal_costs,
                    one_off_costs=cost.one_off_costs,
                )
            )

    def costs(self, engagement: str) -> list[MonthlyCost]:
        ident = engagement_id(self.connection, engagement)
        table = t.monthly_costs
        rows = self.connection.execute(
            select(table).where(table.c.engagement_id == ident).order_by(table.c.month)
        ).mappings()
        return [
            MonthlyCost(
                engagement,
                r["month"],
                _decimal(r["fees"]),
                _decimal(r["internal_costs"]),
                _decimal(r["one_off_costs"]),
            )
            for r in rows
        ]

    def put_plan(self, engagement: str, months: Sequence[PlannedMonth]) -> None:
        ident = engagement_id(self.connection, engagement)
        table = t.planned_months
        self.connection.execute(delete(table).where(table.c.engagement_id == ident))
        if months:
            self.connection.execute(
                insert(table),
                [
                    {
                        "engagement_id": ident,
                        "month": m.month,
                        "baseline_cost": m.baseline_cost,
                        "planned_cost": m.planned_cost,
                    }
                    for m in months
                ],
            )

    def plan(self, engagement: str) -> list[PlannedMonth]:
        ident = engagement_id(self.connection, engagement)
        table = t.planned_months
        rows = self.connection.execute(
            select(table).where(table.c.engagement_id == ident).order_by(table.c.month)
        ).mappings()
        return [
            PlannedMonth(
                month=_as_date(r["month"]),
                baseline_cost=_decimal(r["baseline_cost"]),
                planned_cost=_decimal(r["planned_cost"]),
            )
            for r in rows
        ]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
