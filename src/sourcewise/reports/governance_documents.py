"""The governance JSON documents as models: an SLA report, benefit realisation, drift alerts,
provider scorecards, the contract calendar, corrective-action plans and remedies.

One model per document for both entrypoints: the API declares it as the operation's answer
and the CLI's ``--format json`` prints the same data (``governance_json``, ``steering_json``,
``contract_calendar_json``), which the tests validate against these models. Units: money is an
exact decimal string in the engagement's currency (ISO 4217 code in ``currency``); months are
``YYYY-MM``, dates and times ISO 8601; each percent says whether it is a fraction (1 = 100 %) or
percentage points (100 = 100 %).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MONEY = "Exact decimal string in the engagement's currency"
MONTH = "YYYY-MM"


class _Document(BaseModel):
    # Forbidding unknown keys makes the CLI tests fail when a document grows a key the model
    # does not publish.
    model_config = ConfigDict(extra="forbid")


def money(what: str) -> str:
    return f"{what}: {MONEY}."


# --- SLA report ------------------------------------------------------------------------------


class ServiceLevelResult(_Document):
    """A service level judged over its window (the month, or the quarter ending with it)."""

    service_level: str = Field(description="The service level's name.")
    metric: str = Field(description="The KPI code it is measured on.")
    kind: str = Field(description="critical (credits apply) or key (measured only).")
    target: float = Field(description="The contractual target, in ``unit``.")
    direction: str = Field(description="higher_is_better or lower_is_better.")
    unit: str = Field(description="The metric's unit (e.g. %, seconds, count).")
    attained: float | None = Field(description="The attained value in ``unit``; null: no data.")
    sample: int = Field(description="Measurements (or sample size) behind ``attained``.")
    consumption: float | None = Field(
        description="Error budget consumed, a fraction (1.0 = 100 %); null when not judged."
    )
    status: str = Field(description="met, at_risk, breached or insufficient_data, …")
    shortfall: float = Field(description="How far past target, in ``unit``; 0 when met.")


class CreditLine(_Document):
    service_level: str = Field(description="The breached critical service level.")
    allocation_pct: str | None = Field(
        description="Its share of the at-risk pool, in percentage points (exact decimal)."
    )
    factor: str | None = Field(
        description="The share of the allocation owed, a fraction (1 = all; prorated levels)."
    )
    amount: str | None = Field(description=money("Credit before caps"))
    credited: str | None = Field(description=money("Credit after the caps"))


class SlaMonth(_Document):
    month: str = Field(description=MONTH)
    fees: str | None = Field(description=money("The month's fees"))
    fees_source: str = Field(description="Where the fees come from (invoice, contract, …).")
    at_risk: str | None = Field(description=money("The at-risk pool: fees × at_risk_pct"))
    results: list[ServiceLevelResult]
    credit_lines: list[CreditLine]
    assessed: str | None = Field(description=money("Credits assessed before the cap"))
    capped_by: str | None = Field(description="The cap that bound, if any.")
    credit: str | None = Field(description=money("The month's service credit"))
    waived: str | None = Field(description=money("Credit waived"))
    credit_months: list[str] = Field(description=f"Months ({MONTH}) whose credit this is.")
    earned_back: str | None = Field(description=money("Credit earned back this month"))
    net: str | None = Field(description=money("Credit less earn-back"))
    warnings: list[str] = Field(description="Key measurements breached (no credit).")


class SlaToDate(_Document):
    credits: str | None = Field(description=money("Credits since the start"))
    earned_back: str | None = Field(description=money("Earned back since the start"))
    net: str | None = Field(description=money("Net credits since the start"))


class SlaReportDocument(_Document):
    """Every service level's result and the service credits of a month, with the months
    before it since the engagement started (``sourcewise sla --format json``)."""

    engagement: str
    provider: str
    currency: str = Field(description="ISO 4217 code of every amount.")
    month: SlaMonth = Field(description="The asked month.")
    to_date: SlaToDate
    history: list[SlaMonth] = Field(description="The months before, oldest first.")


# --- benefits ---------------------------------------------------------------------------------


class BenefitMonth(_Document):
    month: str = Field(description=MONTH)
    baseline_cost: str | None = Field(description=money("In-house cost replaced"))
    planned_cost: str | None = Field(description=money("Cost the business case planned"))
    actual_cost: str | None = Field(description=money("Recorded cost"))
    planned_saving: str | None = Field(description=money("baseline − planned"))
    actual_saving: str | None = Field(description=money("baseline − actual"))
    variance: str | None = Field(description=money("actual − planned saving (< 0: shortfall)"))
    cumulative_planned: str | None = Field(description=money("Planned saving to date"))
    cumulative_actual: str | None = Field(description=money("Actual saving to date"))
    cumulative_variance: str | None = Field(description=money("Variance to date"))


class BenefitsDocument(_Document):
    """Planned against actual savings (``sourcewise benefits --format json``)."""

    engagement: str
    planned_case: str | None = Field(
        description="The approved business case the plan comes from; null: the scenario file."
    )
    planned_breakeven: str | None = Field(description=f"{MONTH}; null: never in the plan.")
    actual_breakeven: str | None = Field(description=f"{MONTH}; null: not yet.")
    forecast_breakeven: str | None = Field(description=f"{MONTH} at the run-rate; null: none.")
    forecast_note: str | None = Field(description="Why there is no forecast, if none.")
    run_rate: str | None = Field(description=money("Mean recurring saving per month"))
    cumulative_variance: str | None = Field(description=money("Actual − planned saving"))
    realisation: float | None = Field(
        description="Cumulative actual / planned saving, a fraction (1 = 100 %)."
    )
    months: list[BenefitMonth]


# --- drift and scorecards ---------------------------------------------------------------------


class DriftAlertDocument(_Document):
    """An episode of statistical drift on a KPI series (``sourcewise monitor drift``)."""

    engagement: str
    kpi: str = Field(description="The KPI code.")
    series: str = Field(description="The series label within the KPI.")
    rule: str = Field(description="The control-chart rule that fired.")
    side: str = Field(description="above or below the baseline.")
    first: str = Field(description="First period of the episode, ISO 8601 date-time.")
    last: str = Field(description="Last period of the episode, ISO 8601 date-time.")
    points: int = Field(description="Points the rule fired on in this episode.")
    description: str = Field(description="The first firing in plain English.")


class DomainScoreDocument(_Document):
    domain: str = Field(description="quality, delivery, service_levels, …")
    score: float | None = Field(description="0–100 points; null without metrics.")
    weight: float = Field(description="The domain's share of all weights, a fraction.")
    metrics: int = Field(description="Metrics scored in the domain.")


class ScorecardDocument(_Document):
    """A provider's scorecard for one month (``sourcewise scorecard --format json``)."""

    provider: str
    period: str = Field(description=MONTH)
    overall: float | None = Field(description="Weighted score, 0–100 points; null: no data.")
    grade: str | None = Field(description="A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F.")
    coverage: float = Field(description="Share of the weight that had data, a fraction.")
    change: float | None = Field(description="Points since the previous month.")
    change_3_periods: float | None = Field(description="Points since three months before.")
    domains: list[DomainScoreDocument]


# --- contract calendar -------------------------------------------------------------------------


class CalendarDate(_Document):
    date: str = Field(description="ISO 8601 date.")
    kind: str = Field(description="notice_deadline, renewal, contract_end, price_review, …")
    state: str = Field(description="overdue, past, due_soon or upcoming.")
    engagement: str
    provider: str
    contract: str = Field(description="The contract's reference.")
    title: str
    summary: str
    term_end: str | None = Field(description="The term's end (ISO 8601 date), if one.")
    decision: str | None = Field(description="The renewal decision recorded, if one.")


class CalendarDocument(_Document):
    """The contract calendar (``sourcewise calendar --format json``)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    first: str = Field(alias="from", description="Window start, ISO 8601 date.")
    last: str = Field(alias="to", description="Window end, ISO 8601 date.")
    today: str = Field(description="ISO 8601 date the states are judged on.")
    lead_days: int = Field(description="Days ahead that a date is due soon.")
    dates: list[CalendarDate] = Field(description="By date.")


# --- corrective actions and remedies -----------------------------------------------------------


class CorrectiveActionPlanDocument(_Document):
    """A corrective-action plan a breach opened (``sourcewise cap list --output json``)."""

    id: int
    engagement: str
    service_level: str
    first_breach: str = Field(description=MONTH)
    last_breach: str = Field(description=MONTH)
    owner: str
    due_on: str = Field(description="ISO 8601 date.")
    opened_at: str = Field(description="ISO 8601 date-time.")
    state: str = Field(description="open or closed.")
    closed_by: str | None
    closed_at: str | None = Field(description="ISO 8601 date-time.")
    closing_note: str | None


class ContractRemedy(_Document):
    kind: str = Field(description="The remedy: step-in, fee withholding, termination, …")
    title: str
    clause: str = Field(description="The contract clause.")
    trigger: str = Field(description="What calls for it, in words.")
    after_breaches: int = Field(description="Breaches that call for it.")
    consecutive: bool = Field(description="Whether the breaches must be consecutive months.")
    within_months: int = Field(description="The window (months) the breaches count in.")
    applies_to: list[str] = Field(description="The service-level kinds it applies to.")
    level: str | None = Field(description="The service level it is limited to, if one.")
    withhold_pct: str | None = Field(
        description="Fees withheld, percentage points (exact decimal)."
    )
    note: str


class ProposedRemedy(_Document):
    service_level: str
    breached_months: list[str] = Field(description=f"{MONTH}, oldest first.")
    as_of: str = Field(description=MONTH)
    remedy: ContractRemedy


class RemediesDocument(_Document):
    """The contract's remedies and those breaches call for (``sourcewise remedies``)."""

    engagement: str
    month: str = Field(description=f"{MONTH}: breaches up to this month.")
    proposed: list[ProposedRemedy]
    remedies: list[ContractRemedy]
