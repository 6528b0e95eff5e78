"""The scenario file format: pydantic models that validate a parsed YAML document.

Field descriptions here are the reference documentation: they feed ``sourcewise schema`` (JSON
Schema) and ``docs/scenario.md``. Amounts are yearly and in the company currency unless a field
says otherwise. Checks that involve several fields live in ``scenario_rules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from sourcewise.adapters.field_types import (
    MAX_MONEY,
    CountryCode,
    CurrencyCode,
    DistributionModel,
    IndicatorId,
    LanguageCode,
    Money,
    PositiveMoney,
    Rate,
    Share,
)
from sourcewise.domain.arrangement import Employer
from sourcewise.domain.assumptions import DEFAULT_BILLABLE_HOURS, DEFAULT_WAGE_INFLATION

if TYPE_CHECKING:
    pass
from sourcewise.domain.scenario import (
    DataSensitivity,
    DutyBasis,
    FunctionKind,
    Level,
    Positioning,
    TrackRecord,
)

MAX_FTE = 1_000_000
MAX_FUNCTIONS = 200
MAX_OPTIONS = 50
MAX_HORIZON_YEARS = 30


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CompanyModel(Strict):
    name: str = Field(min_length=1, max_length=200, description="Company name.")
    home_country: CountryCode = Field(
        description="ISO 3166-1 alpha-2 code of the country where the function runs today."
    )
    currency: CurrencyCode | None = Field(
        None, description="ISO 4217 code of every amount in the file. Default: the home currency."
    )
    discount_rate: float = Field(
        0.08, ge=0, lt=1, description="Yearly rate to discount future costs (e.g. WACC)."
    )
    horizon_years: int = Field(
        5, ge=1, le=MAX_HORIZON_YEARS, description="Years the comparison covers."
    )
    wage_inflation: Rate = Field(
        DEFAULT_WAGE_INFLATION,
        description="Yearly growth of the status quo's cost (home pay rises).",
    )
    start_year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        description="Year the horizon starts; working-hour and holiday overlap are computed for "
        "it. Default: the year of the run, which the results then state (set it to make the "
        "results independent of when they are run).",
    )


class GoalsModel(Strict):
    focus_on_core: bool = Field(False, description="Free the internal team for core work.")
    avoid_relocation: bool = Field(
        False, description="Reduce cost without relocating the work overseas."
    )
    long_term_presence_abroad: bool = Field(
        False, description="Establish long-term operations abroad."
    )
    direct_oversight: bool = Field(False, description="Keep direct oversight of the teams.")
    scale_quickly: bool = Field(False, description="Scale up quickly.")
    expand_internationally: bool = Field(
        False, description="Expand internationally, tap a talent pool, build a global presence."
    )


class GoodsModel(Strict):
    units_per_year: PositiveMoney = Field(description="Units needed per year.")
    unit_weight_kg: float = Field(0, ge=0, le=1e6, description="Shipping weight per unit, kg.")


class PilotModel(Strict):
    fixed_cost: float = Field(
        0,
        ge=0,
        le=MAX_MONEY,
        description="One-off cost of running a pilot whatever its size (travel, set-up, a "
        "provider's pilot fee).",
    )
    cost_per_person_month: float | None = Field(
        None,
        gt=0,
        le=MAX_MONEY,
        description="Cost of one person in the pilot for a month. Default: the run cost at "
        "the option's site (salary per FTE / 12, or hourly rate x billable hours / 12).",
    )


class GoodsTermsModel(Strict):
    unit_price: Money = Field(description="Price (or own production cost) per unit, ex works.")
    packaging_per_unit: Money = Field(0, description="Export packaging per unit.")
    freight_per_unit: Money = Field(0, description="Freight home per unit.")
    freight_per_kg: Money = Field(0, description="Freight home per kg (added to per-unit).")
    insurance_rate: Share = Field(0, description="Cargo insurance as a share of unit price.")
    duty_rate: Share = Field(0, description="Import duty or tariff as a share of customs value.")
    transit_weeks: float = Field(
        0, ge=0, le=52, description="Weeks the goods travel home (in-transit inventory)."
    )
    safety_stock_weeks: float = Field(
        0, ge=0, le=52, description="Extra weeks of safety stock for the longer supply line."
    )
    carrying_rate: Share = Field(
        0.2,
        description="Yearly inventory carrying cost as a share of its value; default 0.2, the "
        "low end of the 20-30% a year rule of thumb (a sourcewise assumption).",
    )
    duty_basis: DutyBasis = Field(
        DutyBasis.CIF,
        description="Customs value: 'cif' (price+freight+insurance, as in the EU) or 'fob' "
        "(price only, as in the US).",
    )


class SiteFields(Strict):
    """Who does the work, where, and on what terms."""

    employer: Employer | None = Field(
        None, description="Legal employer of the workers: 'own' company or 'third_party'."
    )
    country: CountryCode | None = Field(None, description="ISO alpha-2 code where they work.")
    provider: str | None = Field(
        None, max_length=200, description="Provider or centre name. Default: 'own staff'."
    )
    fte: float | None = Field(
        None, ge=0, le=MAX_FTE, description="FTE needed there. Default: the function's FTE × share."
    )
    annual_cost_per_fte: Money | None = Field(
        None, description="Own staff: fully loaded salary per FTE per year."
    )
    hourly_rate: Money | None = Field(None, description="Third party: billed rate per FTE hour.")
    billable_hours_per_fte: float = Field(
        DEFAULT_BILLABLE_HOURS, gt=0, le=8784, description="Billed hours per FTE per year."
    )
    monthly_fee: Money = Field(0, description="Third party: fixed monthly management fee.")
    wage_inflation: Rate = Field(
        DEFAULT_WAGE_INFLATION, description="Yearly escalation of pay, rates and prices there."
    )
    governance_overhead: Share | None = Field(
        None,
        description="Share of run cost spent on governance and contract management. Default by "
        "arrangement: in-house 0, domestic outsourcing 0.06, captive offshoring 0.05, offshore "
        "outsourcing 0.08; for goods 0, 0.02, 0.03, 0.03.",
    )
    travel_per_year: Money = Field(0, description="Travel between home and the site per year.")
    facility_owner: Employer | None = Field(
        None, description="Who owns the premises, if not the employer."
    )
    transfer_month: int | None = Field(
        None,
        ge=1,
        le=12 * MAX_HORIZON_YEARS,
        description="Build-operate-transfer: month the provider's centre and staff become your "
        "own; from then on they cost annual_cost_per_fte.",
    )
    transfer_fee: Money = Field(0, description="Build-operate-transfer: one-off buy-out fee.")
    governance_overhead_after_transfer: Share | None = Field(
        None,
        description="Build-operate-transfer: overhead once the centre is yours. Default: "
        "as for captive offshoring (0.05).",
    )
    goods: GoodsTermsModel | None = Field(None, description="Landed-cost terms for goods.")
    certifications: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Security certifications held, e.g. ISO27001, SOC2.",
    )
    track_record: TrackRecord = Field(
        TrackRecord.UNKNOWN, description="Provider's record in governance and data security."
    )
    languages: list[LanguageCode] | None = Field(
        None,
        max_length=50,
        description="Languages the site delivers in. Default: the country's languages.",
    )

    coordination_loss: Share | None = Field(
        None,
        description="Share of run cost lost to coordination across distance, time zones and "
        "language. Default abroad, for services: triangular(0.03, 0.08, 0.27), mode 0.05 when "
        "nearshore or on home hours; 0 at home.",
    )
    rework_share: Share | None = Field(
        None,
        description="Share of run cost spent on rework and fixing processes. Default for a "
        "third party abroad, for services: triangular(0.01, 0.03, 0.10); otherwise 0.",
    )
    vendor_selection_share: Share | None = Field(
        None,
        description="One-off cost of selecting the provider as a share of its first year's "
        "fees. Default for a third party: triangular(0.002, 0.01, 0.02); own staff 0.",
    )
    transition_share: Share | None = Field(
        None,
        description="One-off cost of the hand-over (knowledge transfer, the provider's staff "
        "at home, travel) as a share of the site's first year's fees, spread over the "
        "transition months. Default for a third party, for services: triangular(0.02, 0.025, "
        "0.03); own staff 0.",
    )
    attrition_rate: Share = Field(
        0,
        description="Share of own staff leaving each year (no default: give the site's rate).",
    )
    replacement_cost_share: Share = Field(
        0,
        description="Cost of hiring and training a replacement as a share of a year's cost per "
        "FTE (no default).",
    )
    local_currency_share: Share | None = Field(
        None,
        description="Share of the site's costs paid in the work country's currency; that part "
        "moves with the exchange rate in simulate. Default: 1 for own staff abroad, 0 otherwise "
        "(vendor contracts in the home currency).",
    )
    follows_home_hours: bool = Field(
        False,
        description="The team works the home country's business hours (e.g. a night shift), "
        "so the full working day overlaps with home.",
    )


class PartModel(SiteFields):
    share: float = Field(gt=0, le=1, description="Share of the function's work at this site.")


class OptionModel(SiteFields):
    name: str = Field(min_length=1, max_length=200, description="Option name, unique per function.")
    setup_cost: Money = Field(0, description="One-off setup: facility, entity, recruiting, IT.")
    transition_months: int = Field(
        0,
        ge=0,
        le=60,
        description="Months of knowledge transfer; the status quo runs in parallel meanwhile.",
    )
    severance_cost: Money | None = Field(
        None,
        description="One-off severance and retention at cut-over. Without it, services moving "
        "abroad get layoff_retention_share's default.",
    )
    layoff_retention_share: Share | None = Field(
        None,
        description="Layoffs and retention bonuses at cut-over as a share of the first year's "
        "run cost of the sites taking the work on. Default when the work moves abroad, for "
        "services, and severance_cost is not given: triangular(0.03, 0.04, 0.05); otherwise 0.",
    )
    parallel_running_share: Share | None = Field(
        None,
        description="Share of the home team's cost still paid for a slice of work while it is "
        "handed over (parallel running). Default: 1, the whole team of the slice.",
    )
    exit_cost: Money = Field(
        0, description="One-off cost of leaving or re-shoring at the end of the horizon."
    )
    learning_months: int = Field(
        0,
        ge=0,
        le=60,
        description="Months over which the new team's productivity rises to today's level.",
    )
    initial_productivity: float = Field(
        1.0,
        gt=0,
        le=1,
        description="The new team's productivity at the start (1 = today's); the lost output is "
        "valued at today's cost of the work.",
    )
    lead_time_months: int = Field(
        0,
        ge=0,
        le=60,
        description="Months before any work moves (building a plant, selecting a vendor); "
        "the status quo runs unchanged meanwhile.",
    )
    parallel_running_months: int | None = Field(
        None,
        ge=0,
        le=24,
        description="Months each slice of work stays with the home team after the new team "
        "takes it on (knowledge transfer). Default: 1 with a transition, 0 without.",
    )
    notes: str = Field("", max_length=2000, description="Free text, e.g. where numbers come from.")
    parts: list[PartModel] | None = Field(
        None,
        min_length=2,
        max_length=10,
        description="Hybrid: split the work over sites; each part takes the site fields.",
    )


class FunctionModel(Strict):
    name: str = Field(min_length=1, max_length=200, description="Function name.")
    kind: FunctionKind = Field(description="What the function does.")
    fte: float | None = Field(
        None, gt=0, le=MAX_FTE, description="Full-time equivalents today (services)."
    )
    current_annual_cost: PositiveMoney = Field(
        description="Fully loaded yearly cost today: the status quo."
    )
    positioning: Positioning = Field(
        Positioning.COMMODITIZED, description="'strategic' or 'commoditized'."
    )
    expertise_in_house: bool = Field(True, description="Whether the expertise exists in-house.")
    data_sensitivity: DataSensitivity = Field(
        DataSensitivity.NONE,
        description="none, personal, special_category or regulated data handled.",
    )
    ip_sensitivity: Level = Field(Level.LOW, description="low, medium or high.")
    overlap_hours_needed: float = Field(
        2, ge=0, le=8, description="Working hours a day that must overlap with home."
    )
    languages: list[LanguageCode] = Field(
        default_factory=list, max_length=20, description="ISO 639-1 languages the work needs."
    )
    demand_volatility: Level = Field(Level.LOW, description="low, medium or high.")
    goals: GoalsModel = Field(default_factory=GoalsModel, description="What the move is for.")
    pilot_planned: bool = Field(False, description="A pilot validates the move before scaling.")
    pilot: PilotModel | None = Field(
        None,
        description="What a pilot costs, for the value of a pilot (sourcewise voi). Default: "
        "its people's run cost at the option's site, nothing fixed.",
    )
    change_management_planned: bool = Field(
        False, description="Training and communication are planned for the move."
    )
    goods: GoodsModel | None = Field(None, description="Physical goods: volume and weight.")
    weights: dict[str, float] | None = Field(
        None,
        description="Criteria weights for the multi-criteria ranking (tco_p50, tco_p90, "
        "p_beats_status_quo, location, fit, control, country_risk); scaled to sum to 1. "
        "Default: the preset for the function's kind.",
    )
    ahp: dict[str, dict[str, float]] | None = Field(
        None,
        description="AHP pairwise judgements between criteria instead of weights: each of the "
        "21 pairs of the seven criteria once, e.g. tco_p50: {control: 3} (cost is moderately "
        "more important than control); a complete example in docs/decision.md.",
    )
    options: list[OptionModel] = Field(
        min_length=1, max_length=MAX_OPTIONS, description="Candidate arrangements."
    )


class IndicatorModel(Strict):
    country: CountryCode = Field(description="ISO alpha-2 code of the country.")
    indicator: IndicatorId = Field(
        description="Indicator id, e.g. inflation_pct, price_level_ratio, wgi_pv_est "
        "(see docs/locations.md)."
    )
    value: float = Field(ge=-1e12, le=1e12, description="The value, in the indicator's unit.")
    year: int = Field(ge=1900, le=2100, description="Year the value is for.")
    source: str = Field(min_length=1, max_length=300, description="Where the value comes from.")


class CorrelationModel(Strict):
    between: tuple[str, str] = Field(
        description="The two uncertain inputs, by field path, e.g. "
        "functions[0].options[1].hourly_rate and functions[0].options[1].wage_inflation."
    )
    rho: float = Field(ge=-1, le=1, description="Target Spearman rank correlation.")


class PortfolioModel(Strict):
    risk_aversion: float = Field(
        0.5,
        ge=0,
        le=10,
        description="λ (0-10) in the risk-adjusted cost P50 + λ·(P90 − P50) of each option's "
        "NPV: 0 ranks on the median alone, 1 on the P90.",
    )
    budget: float | None = Field(
        None,
        gt=0,
        le=MAX_MONEY,
        description="Largest total expected (mean) NPV of the chosen options' spend over the "
        "horizon, in the company currency. Default: no limit.",
    )
    must_stay_in_house: list[str] = Field(
        default_factory=list, description="Functions (by name) that stay with own staff at home."
    )
    min_overlap_hours: float | None = Field(
        None,
        ge=0,
        le=8,
        description="Fewest typical shared working hours a day with home an option of the "
        "overlap_functions must have; options with fewer are left out. Default: no minimum.",
    )
    overlap_functions: list[str] | None = Field(
        None,
        description="Functions the overlap minimum applies to. Default: customer service ones.",
    )
    max_provider_share: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Largest share (0-1] of the plan's total spend any one provider may "
        "take. Default: no limit.",
    )
    max_country_share: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Largest share (0-1] of the plan's total spend any one foreign country may "
        "take; work at home never counts. Default: no limit.",
    )
    critical_functions: list[str] = Field(
        default_factory=list, description="Functions that must be spread over providers."
    )
    min_providers: int = Field(
        0,
        ge=0,
        le=50,
        description="Fewest distinct providers the critical_functions use between them "
        "(own staff count only with own_staff_count_as_provider).",
    )
    own_staff_count_as_provider: bool = Field(
        False,
        description=(
            "Count the company's own staff (in-house and captive centres) as a provider for "
            "max_provider_share and min_providers. Default: only third parties are providers."
        ),
    )


class ScenarioModel(Strict):
    version: Literal[1] = Field(1, description="Scenario format version.")
    company: CompanyModel = Field(description="The company deciding.")
    functions: list[FunctionModel] = Field(
        min_length=1, max_length=MAX_FUNCTIONS, description="The functions in scope."
    )
    indicators: list[IndicatorModel] = Field(
        default_factory=list,
        max_length=1000,
        description="Country indicator values that replace the packaged data, each with its "
        "source.",
    )
    correlations: list[CorrelationModel] = Field(
        default_factory=list,
        max_length=200,
        description="Rank correlations between uncertain inputs (Iman-Conover) for simulate.",
    )
    portfolio: PortfolioModel = Field(
        default_factory=PortfolioModel,
        description="Constraints for `sourcewise optimise` across all functions.",
    )


def all_field_names() -> set[str]:
    """Every field name in the format, for 'did you mean' hints on unknown keys."""
    models: list[type[BaseModel]] = [
        ScenarioModel,
        IndicatorModel,
        CorrelationModel,
        PortfolioModel,
        DistributionModel,
        CompanyModel,
        FunctionModel,
        OptionModel,
        PartModel,
        GoalsModel,
        GoodsModel,
        GoodsTermsModel,
    ]
    return {name for model in models for name in model.model_fields}


def json_schema() -> dict[str, Any]:
    schema = ScenarioModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sourcewise scenario"
    return schema
