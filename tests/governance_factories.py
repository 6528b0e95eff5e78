"""Small governance records for storage and service tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sourcewise.governance.kpis import Direction
from sourcewise.governance.records import (
    Contract,
    ContractKind,
    Engagement,
    Measurement,
    NoticePeriod,
    PeriodUnit,
    Provider,
    ProviderKind,
    Renewal,
    RenewalDecision,
    TerminationAssistance,
)
from sourcewise.governance.service_levels import ServiceLevel, ServiceLevelKind

PROVIDER = Provider("Acme BPO", ProviderKind.VENDOR, "PH")


def service_levels() -> tuple[ServiceLevel, ...]:
    return (
        ServiceLevel(
            name="Availability",
            metric="availability",
            kind=ServiceLevelKind.CRITICAL,
            target=99.5,
            direction=Direction.HIGHER_IS_BETTER,
            unit="percent",
            window="month",
            allocation_pct=Decimal("100"),
            prorated=True,
            full_credit_shortfall=0.5,
            earn_back_months=3,
        ),
        ServiceLevel(
            name="Defects",
            metric="defect_rate",
            kind=ServiceLevelKind.KEY_MEASUREMENT,
            target=2.0,
            direction=Direction.LOWER_IS_BETTER,
            unit="percent",
            window="month",
            minimum_sample=100,
        ),
    )


def calendar_contract(reference: str = "SOW-2", **changes: object) -> Contract:
    """A statement of work with every calendar term: 3 months' notice, renewing for a year,
    price reviews, benchmarking and termination assistance."""
    values: dict[str, object] = {
        "reference": reference,
        "kind": ContractKind.STATEMENT_OF_WORK,
        "title": "Back office",
        "start": date(2026, 1, 1),
        "end": date(2028, 12, 31),
        "monthly_fee": Decimal("50000"),
        "parent": "MSA-1",
        "total_value": Decimal("1800000.50"),
        "notice": NoticePeriod(3, PeriodUnit.MONTHS),
        "renewal": Renewal(True, 12, RenewalDecision.RENEGOTIATE),
        "price_reviews": (date(2027, 1, 1), date(2028, 1, 1)),
        "benchmarks": (date(2027, 6, 30),),
        "termination_assistance": TerminationAssistance(6, "Knowledge transfer; parallel run."),
    }
    values.update(changes)
    return Contract(**values)  # type: ignore[arg-type]


def engagement(name: str = "Customer care", **changes: object) -> Engagement:
    values: dict[str, object] = {
        "name": name,
        "function": "Customer service",
        "arrangement": "offshore_outsourcing",
        "home_country": "US",
        "country": "PH",
        "provider": PROVIDER.name,
        "start": date(2026, 1, 1),
        "end": None,
        "currency": "USD",
        "at_risk_pct": Decimal("12"),
        "monthly_cap_pct": None,
        "annual_cap_pct": Decimal("8.5"),
        "contracts": (
            Contract(
                "MSA-1",
                ContractKind.MASTER_AGREEMENT,
                "Master",
                date(2026, 1, 1),
                None,
                Decimal("0"),
            ),
            Contract(
                "SOW-1",
                ContractKind.STATEMENT_OF_WORK,
                "Voice",
                date(2026, 1, 1),
                None,
                Decimal("100000.10"),
                parent="MSA-1",
            ),
        ),
        "service_levels": service_levels(),
    }
    values.update(changes)
    return Engagement(**values)  # type: ignore[arg-type]


def measurement(
    day: int, value: float, kpi: str = "availability", **changes: object
) -> Measurement:
    values: dict[str, object] = {
        "engagement": "Customer care",
        "kpi": kpi,
        "period": datetime(2026, 1, day, tzinfo=UTC),
        "value": value,
        "sample_size": None,
        "series": "",
    }
    values.update(changes)
    return Measurement(**values)  # type: ignore[arg-type]
