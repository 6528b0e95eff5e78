"""The governed arrangement as records: providers, engagements with their contract hierarchy,
measurements, monthly costs, audits, surveys, meetings, pilots and the audit log.

Contractual money is ``Decimal``. Periods and timestamps are UTC; a month is the date of its
first day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sourcewise.governance.corrective_actions import PlanTerms
from sourcewise.governance.pilot import CriterionKind
from sourcewise.governance.remedies import Remedy
from sourcewise.governance.scorecard import ScorecardTerms
from sourcewise.governance.service_levels import ServiceLevel
from sourcewise.governance.surveys import QuestionKind


class ProviderKind(StrEnum):
    VENDOR = "vendor"
    """A third party: the engagement is outsourcing."""
    CAPTIVE = "captive"
    """The company's own centre (captive offshoring or a shared-service centre)."""


@dataclass(frozen=True, slots=True)
class Provider:
    name: str
    kind: ProviderKind
    country: str
    notes: str = ""


class ContractKind(StrEnum):
    MASTER_AGREEMENT = "master_agreement"
    STATEMENT_OF_WORK = "statement_of_work"


class PeriodUnit(StrEnum):
    MONTHS = "months"
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class NoticePeriod:
    """How long before a term's end notice must be given (``governance.contract_calendar``
    turns it into a deadline)."""

    length: int
    unit: PeriodUnit

    def __str__(self) -> str:
        noun = self.unit.value if self.length != 1 else self.unit.value[:-1]
        return f"{self.length} {noun}"


class RenewalDecision(StrEnum):
    PENDING = "pending"
    """Not decided yet: a notice deadline passing in this state is overdue."""
    RENEW = "renew"
    RENEGOTIATE = "renegotiate"
    TERMINATE = "terminate"
    """Notice is (to be) given: an automatic renewal does not happen."""


@dataclass(frozen=True, slots=True)
class Renewal:
    """Whether the contract renews by itself at its end, for how long, and what the client
    decided about its next renewal."""

    automatic: bool = False
    term_months: int | None = None
    decision: RenewalDecision = RenewalDecision.PENDING


@dataclass(frozen=True, slots=True)
class TerminationAssistance:
    """The provider's help in handing the service over after the contract ends."""

    months: int
    terms: str = ""


@dataclass(frozen=True, slots=True)
class Contract:
    """A master agreement, or a statement of work under one (``parent``), with its calendar:
    value, notice period, renewal terms, price-review and benchmarking dates and termination
    assistance."""

    reference: str
    kind: ContractKind
    title: str
    start: date
    end: date | None
    monthly_fee: Decimal
    parent: str | None = None
    total_value: Decimal | None = None
    notice: NoticePeriod | None = None
    renewal: Renewal = Renewal()
    price_reviews: tuple[date, ...] = ()
    benchmarks: tuple[date, ...] = ()
    termination_assistance: TerminationAssistance | None = None

    def active_in(self, month: date) -> bool:
        first = month.replace(day=1)
        started = self.start.replace(day=1) <= first
        return started and (self.end is None or self.end >= first)


@dataclass(frozen=True, slots=True)
class BusinessCase:
    """The ``decide`` scenario and option the engagement was chosen from."""

    scenario: str
    function: str
    option: str


@dataclass(frozen=True, slots=True)
class Engagement:
    name: str
    function: str
    arrangement: str
    """The classification of the 2×2 (``in_house``, ``domestic_outsourcing``, ...)."""
    home_country: str
    country: str
    provider: str
    start: date
    end: date | None
    currency: str
    at_risk_pct: Decimal
    monthly_cap_pct: Decimal | None = None
    annual_cap_pct: Decimal | None = None
    max_credit_months: int | None = None
    """Service credits in at most this many months of any contract year (None: no limit)."""
    contracts: tuple[Contract, ...] = ()
    service_levels: tuple[ServiceLevel, ...] = ()
    business_case: BusinessCase | None = None
    scorecard: ScorecardTerms = field(default_factory=ScorecardTerms)
    """How its provider is scored (defaults: ``governance.scorecard``)."""
    corrective_actions: PlanTerms = field(default_factory=PlanTerms)
    """The owner and due date of the plan a breach opens."""
    remedies: tuple[Remedy, ...] = ()
    """The contract's remedies for repeated breaches, with the clauses that grant them."""

    def fees_in(self, month: date) -> Decimal:
        """Fees invoiced under the contracts active in ``month``."""
        return sum((c.monthly_fee for c in self.contracts if c.active_in(month)), start=Decimal(0))

    def service_level(self, name: str) -> ServiceLevel | None:
        return next((s for s in self.service_levels if s.name == name), None)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One KPI value; (engagement, kpi, period, series) is its natural key."""

    engagement: str
    kpi: str
    period: datetime
    value: float
    sample_size: int | None = None
    series: str = ""

    @property
    def key(self) -> tuple[str, str, datetime, str]:
        return (self.engagement, self.kpi, self.period, self.series)


@dataclass(frozen=True, slots=True)
class MonthlyCost:
    """What a month actually cost: the provider's fees and the company's own costs."""

    engagement: str
    month: date
    fees: Decimal
    internal_costs: Decimal = Decimal(0)
    one_off_costs: Decimal = Decimal(0)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Finding:
    reference: str
    description: str
    severity: Severity
    action: str
    owner: str
    due_on: date
    closed_on: date | None = None

    def overdue(self, today: date) -> bool:
        return self.closed_on is None and today > self.due_on


@dataclass(frozen=True, slots=True)
class Audit:
    engagement: str
    title: str
    auditor: str
    held_on: date
    scope: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class SurveyQuestion:
    code: str
    text: str
    kind: QuestionKind
    scale_max: int
    responses: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Survey:
    engagement: str
    name: str
    period: date
    audience: str
    questions: tuple[SurveyQuestion, ...]


class MeetingKind(StrEnum):
    STEERING_COMMITTEE = "steering_committee"
    MILESTONE_REVIEW = "milestone_review"


class ItemKind(StrEnum):
    DECISION = "decision"
    ACTION = "action"


@dataclass(frozen=True, slots=True)
class MeetingItem:
    kind: ItemKind
    text: str
    owner: str | None = None
    due_on: date | None = None
    done_on: date | None = None

    def overdue(self, today: date) -> bool:
        return (
            self.kind is ItemKind.ACTION
            and self.done_on is None
            and self.due_on is not None
            and today > self.due_on
        )


@dataclass(frozen=True, slots=True)
class Meeting:
    """A joint steering committee meeting or a milestone review, with what it decided."""

    engagement: str
    kind: MeetingKind
    held_on: date
    title: str
    attendees: tuple[str, ...] = ()
    milestone: str | None = None
    milestone_status: str | None = None
    items: tuple[MeetingItem, ...] = ()


@dataclass(frozen=True, slots=True)
class PilotCriterionSpec:
    """An acceptance criterion and where its data comes from.

    A proportion criterion counts events in trials (defects in items delivered, deliveries on
    time): given directly, or from the pilot engagement's ``metric`` measurements in the pilot
    window (value in percent of ``sample_size``). A mean criterion takes ``values`` or the
    measurements' values. ``target_is_baseline`` compares with the in-house baseline instead of
    a fixed target.
    """

    name: str
    kind: CriterionKind
    direction: str
    target: float | None = None
    metric: str | None = None
    events: int | None = None
    trials: int | None = None
    values: tuple[float, ...] | None = None
    baseline_events: int | None = None
    baseline_trials: int | None = None
    baseline_values: tuple[float, ...] | None = None
    target_is_baseline: bool = False


@dataclass(frozen=True, slots=True)
class Pilot:
    engagement: str
    name: str
    start: date
    end: date
    criteria: tuple[PilotCriterionSpec, ...]


class ChangeAction(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class AuditLogEntry:
    """One change: who made it, when, and the record before and after (as JSON values)."""

    at: datetime
    actor: str
    entity: str
    key: str
    action: ChangeAction
    before: Any = None
    after: Any = None
    id: int | None = field(default=None, compare=False)
