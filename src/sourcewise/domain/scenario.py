"""The scenario a user describes: company, functions in scope and the options for each.

Immutable records only. Files are parsed and validated at the edge (``adapters``) and arrive
here complete, with every default already applied. Fields typed ``Sampled`` are the ones a file
may give as a distribution: they hold its mean here, and one value per draw in the records the
Monte Carlo engine costs (``domain.sampled``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sourcewise.domain.arrangement import Employer
from sourcewise.domain.sampled import FloatArray, Sampled
from sourcewise.domain.uncertainty import Distribution


class FunctionKind(StrEnum):
    CUSTOMER_SERVICE = "customer_service"
    IT_SUPPORT = "it_support"
    SOFTWARE_DEVELOPMENT = "software_development"
    CONTENT = "content"
    FINANCE_AND_ACCOUNTING = "finance_and_accounting"
    HR = "hr"
    MANUFACTURING = "manufacturing"
    LOGISTICS = "logistics"
    OTHER = "other"


class Positioning(StrEnum):
    """BusinessVert's tip: "Clarify which functions are strategic versus commoditized"."""

    STRATEGIC = "strategic"
    COMMODITIZED = "commoditized"


class DataSensitivity(StrEnum):
    NONE = "none"
    PERSONAL = "personal"
    SPECIAL_CATEGORY = "special_category"
    REGULATED = "regulated"


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class TrackRecord(StrEnum):
    PROVEN = "proven"
    UNPROVEN = "unproven"
    UNKNOWN = "unknown"


class DutyBasis(StrEnum):
    """Customs value the duty rate applies to: price only (FOB) or price+freight+insurance."""

    FOB = "fob"
    CIF = "cif"


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    home_country: str
    currency: str
    discount_rate: float
    horizon_years: int
    wage_inflation: Sampled
    """Yearly growth of the status quo's cost (home pay rises)."""
    start_year: int = 2026
    """Calendar year the horizon starts; working-time and holiday overlap are computed for it."""
    start_year_given: bool = True
    """False when the scenario gives no ``start_year``: it is then the year the scenario was
    read for this run, which every result states so that a rerun next year can be matched."""

    @property
    def start_year_text(self) -> str:
        """The start year as results state it, saying where it came from."""
        if self.start_year_given:
            return f"from {self.start_year}"
        return (
            f"from {self.start_year} (the year of this run: the scenario sets no "
            "company.start_year, which fixes holidays and overlap)"
        )


@dataclass(frozen=True, slots=True)
class Goals:
    """What the company wants from the move; each maps to a fit rule's criterion."""

    focus_on_core: bool = False
    avoid_relocation: bool = False
    long_term_presence_abroad: bool = False
    direct_oversight: bool = False
    scale_quickly: bool = False
    expand_internationally: bool = False


@dataclass(frozen=True, slots=True)
class GoodsProfile:
    units_per_year: Sampled
    unit_weight_kg: float


@dataclass(frozen=True, slots=True)
class PilotCosts:
    """What a pilot of the function costs, when the scenario says (else its people's run cost)."""

    fixed_cost: float = 0.0
    """One-off, whatever the pilot's size."""
    cost_per_person_month: float | None = None
    """None: the run cost of a person-month at the option's site."""


@dataclass(frozen=True, slots=True)
class FunctionProfile:
    name: str
    kind: FunctionKind
    fte: float
    current_annual_cost: Sampled
    positioning: Positioning
    expertise_in_house: bool
    data_sensitivity: DataSensitivity
    ip_sensitivity: Level
    overlap_hours_needed: float
    languages: tuple[str, ...]
    demand_volatility: Level
    goals: Goals
    pilot_planned: bool
    change_management_planned: bool
    goods: GoodsProfile | None = None
    criteria_weights: tuple[tuple[str, float], ...] | None = None
    """Weights for the multi-criteria ranking, by criterion, when the scenario gives them."""
    ahp_judgements: tuple[tuple[str, str, float], ...] | None = None
    """AHP pairwise judgements (more important, less important, intensity)."""
    pilot_costs: PilotCosts | None = None
    """What a pilot costs, when the scenario gives it."""

    @property
    def is_goods(self) -> bool:
        return self.goods is not None


@dataclass(frozen=True, slots=True)
class GoodsTerms:
    """Landed-cost terms for physical goods made elsewhere (Sara Schmidt's custom windows)."""

    unit_price: Sampled
    packaging_per_unit: Sampled
    freight_per_unit: Sampled
    freight_per_kg: Sampled
    insurance_rate: Sampled
    duty_rate: Sampled
    duty_basis: DutyBasis
    transit_weeks: float = 0.0
    """Weeks the goods are on their way home: in-transit inventory the buyer pays for."""
    safety_stock_weeks: float = 0.0
    """Extra weeks of stock held against a longer, less reliable supply line."""
    carrying_rate: Sampled = 0.2
    """Yearly cost of holding inventory as a share of its value (capital, storage, risk)."""


@dataclass(frozen=True, slots=True)
class Site:
    """One place and employer doing (a share of) the function, with its cost terms.

    Amounts are in the company currency per year unless named otherwise.
    """

    employer: Employer
    country: str
    provider: str
    fte: float
    annual_cost_per_fte: Sampled
    """Own staff: fully loaded salary per FTE per year."""
    hourly_rate: Sampled
    """Third party: billed rate per FTE hour."""
    billable_hours_per_fte: float
    monthly_fee: Sampled
    """Third party: fixed management or platform fee per month."""
    wage_inflation: Sampled
    governance_overhead: Sampled
    """Share of run cost spent on governance and contract management."""
    travel_per_year: Sampled
    facility_owner: Employer | None = None
    transfer_month: int | None = None
    """Build-operate-transfer: month the provider's centre and staff become the company's own."""
    transfer_fee: Sampled = 0.0
    governance_overhead_after_transfer: Sampled | None = None
    coordination_loss: Sampled = 0.0
    """Share of run cost lost to coordination across distance, time zones and language."""
    rework_share: Sampled = 0.0
    """Share of run cost spent on rework, defects and fixing the provider's processes."""
    vendor_selection_share: Sampled = 0.0
    """One-off cost of selecting the provider, as a share of its first year's fees."""
    transition_share: Sampled = 0.0
    """One-off cost of the hand-over, as a share of the site's first year's fees, spread over
    the transition months (knowledge transfer, the provider's staff at home, travel)."""
    attrition_rate: Sampled = 0.0
    """Share of the site's own staff leaving each year."""
    replacement_cost_share: Sampled = 0.0
    """Cost of hiring and training a replacement, as a share of a year's cost per FTE."""
    local_currency_share: Sampled = 0.0
    """Share of the site's costs paid in the work country's currency (own staff abroad: pay
    in pesos or rupees); the rest is in the home currency."""
    fx_path: FloatArray | None = None
    """Set by the simulation: home-currency value of one unit of the work currency, relative
    to today, per draw and month (shape ``(draws, months)``); None means today's rate."""
    goods: GoodsTerms | None = None
    certifications: tuple[str, ...] = ()
    track_record: TrackRecord = TrackRecord.UNKNOWN
    languages: tuple[str, ...] | None = None
    """Languages the site delivers in, when they differ from the country's."""
    follows_home_hours: bool = False
    """The team works the home country's business hours (e.g. a night shift abroad)."""
    share: float = 1.0


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate way to run a function: one site, or a hybrid split over several."""

    name: str
    sites: tuple[Site, ...]
    setup_cost: Sampled
    transition_months: int
    severance_cost: Sampled
    notes: str = ""
    exit_cost: Sampled = 0.0
    """One-off cost of leaving the arrangement or re-shoring the work, in the last month."""
    learning_months: int = 0
    """Months after the new team takes work on during which it is less productive."""
    initial_productivity: float = 1.0
    """The new team's productivity when it starts (1 = as today's team); it rises linearly to
    1 over ``learning_months``. The lost output is valued at today's cost of that work."""
    lead_time_months: int = 0
    """Months before any work moves (building a plant, selecting a vendor)."""
    layoff_retention_share: Sampled = 0.0
    """Layoffs and retention at cut-over, as a share of the first year's run cost of the sites
    taking the work on (on top of ``severance_cost``)."""
    parallel_running_share: Sampled = 1.0
    """Share of the home team's cost still paid for a slice of work while it is handed over."""
    parallel_running_months: int = 1
    """Months each slice of work stays with the home team after the new team takes it on."""

    @property
    def is_split(self) -> bool:
        return len(self.sites) > 1


@dataclass(frozen=True, slots=True)
class Function:
    profile: FunctionProfile
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class InputRef:
    """Where an input sits: its path in the scenario file and in these records.

    ``option`` and ``site`` index the function's options and the option's sites; ``goods``
    marks a field of the site's ``GoodsTerms`` (or, without a site, the function's
    ``GoodsProfile``). A ref with no function is a company field.
    """

    label: str
    field: str
    function: int | None = None
    option: int | None = None
    site: int | None = None
    goods: bool = False


@dataclass(frozen=True, slots=True)
class UncertainInput:
    """An input the scenario gives as a distribution; the records hold its mean."""

    ref: InputRef
    distribution: Distribution


@dataclass(frozen=True, slots=True)
class Correlation:
    """A target Spearman rank correlation between two uncertain inputs, by label."""

    first: str
    second: str
    rho: float


@dataclass(frozen=True, slots=True)
class PortfolioRules:
    """What a board requires of the portfolio as a whole (``sourcewise optimise``)."""

    risk_aversion: float = 0.5
    budget: float | None = None
    must_stay_in_house: tuple[str, ...] = ()
    min_overlap_hours: float | None = None
    overlap_functions: tuple[str, ...] | None = None
    max_provider_share: float | None = None
    max_country_share: float | None = None
    critical_functions: tuple[str, ...] = ()
    min_providers: int = 0
    own_staff_count_as_provider: bool = False
    """Whether own staff (in-house, captive) are a provider for the provider rules."""


@dataclass(frozen=True, slots=True)
class IndicatorOverride:
    """A value the scenario gives for a country indicator, replacing the packaged series."""

    country: str
    indicator: str
    value: float
    year: int
    source: str


@dataclass(frozen=True, slots=True)
class Scenario:
    company: Company
    functions: tuple[Function, ...]
    source: str = field(default="<scenario>")
    indicator_overrides: tuple[IndicatorOverride, ...] = ()
    """Country indicator values the scenario gives, each with its own source."""
    uncertain: tuple[UncertainInput, ...] = ()
    correlations: tuple[Correlation, ...] = ()
    portfolio: PortfolioRules = field(default_factory=lambda: PortfolioRules())
