"""The answers that build a first scenario: what ``sourcewise scenario new``, the web app's
guided builder and the API ask. Field descriptions are the reference documentation (the API's
schema shows them). ``services.scenario_builder`` turns valid answers into a scenario file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from sourcewise.adapters.field_types import CountryCode, CurrencyCode, LanguageCode
from sourcewise.adapters.scenario_schema import MAX_FTE, MAX_HORIZON_YEARS
from sourcewise.domain.scenario import DataSensitivity, FunctionKind, Level, Positioning

ArrangementChoice = Literal["domestic_outsourcing", "captive_offshoring", "offshore_outsourcing"]
ARRANGEMENTS: tuple[ArrangementChoice, ...] = (
    "domestic_outsourcing",
    "captive_offshoring",
    "offshore_outsourcing",
)
MAX_COUNTRIES = 20
MAX_GIVEN = 200
OPTION_KEY = r"^(domestic_outsourcing|captive_offshoring|offshore_outsourcing):[A-Z]{2}$"
"""An option the answers make, as ``ARRANGEMENT:COUNTRY`` (domestic outsourcing: the home)."""


def option_key(arrangement: ArrangementChoice, country: str) -> str:
    return f"{arrangement}:{country}"


class ScenarioAnswers(BaseModel):
    """A few answers about the company and the function; every cost is then estimated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    company: str = Field(min_length=1, max_length=200, description="Company name.")
    home_country: CountryCode = Field(
        description="ISO 3166-1 alpha-2 code of the country where the function runs today."
    )
    currency: CurrencyCode | None = Field(
        None, description="US$ or the home currency (default: the home currency)."
    )
    function_name: str | None = Field(
        None, max_length=200, description="Name of the function (default: from its kind)."
    )
    kind: FunctionKind = Field(FunctionKind.CUSTOMER_SERVICE, description="What the function does.")
    role: str | None = Field(
        None,
        max_length=200,
        description="The staff's occupation: a SOC code or title of the BLS table (default: "
        "the kind's usual role).",
    )
    fte: float = Field(gt=0, le=MAX_FTE, description="Full-time equivalents today.")
    countries: list[CountryCode] = Field(
        default_factory=list,
        max_length=MAX_COUNTRIES,
        description="Candidate countries abroad (ISO 3166-1 alpha-2).",
    )
    arrangements: list[ArrangementChoice] = Field(
        default_factory=lambda: list(ARRANGEMENTS),
        min_length=1,
        description="Which of the sourcing arrangements to consider besides in-house: "
        "domestic_outsourcing, captive_offshoring, offshore_outsourcing.",
    )
    exclude_options: list[Annotated[str, StringConstraints(pattern=OPTION_KEY)]] = Field(
        default_factory=list,
        max_length=3 * MAX_COUNTRIES + 1,
        description="Options to leave out of those the arrangements and countries make, as "
        "ARRANGEMENT:COUNTRY (e.g. captive_offshoring:IN; domestic outsourcing is at home).",
    )
    data_sensitivity: DataSensitivity = Field(
        DataSensitivity.NONE, description="The most sensitive data the function handles."
    )
    languages: list[LanguageCode] = Field(
        default_factory=lambda: ["en"],
        min_length=1,
        max_length=20,
        description="Languages the work needs (ISO 639-1).",
    )
    overlap_hours_needed: float = Field(
        4,
        ge=0,
        le=8,
        description="Hours of the 8-hour working day that must overlap with home business hours.",
    )
    positioning: Positioning = Field(
        Positioning.COMMODITIZED, description="Strategic or commoditized for the company."
    )
    expertise_in_house: bool = Field(True, description="The skills exist in-house today.")
    ip_sensitivity: Level = Field(Level.LOW, description="How sensitive the work's IP is.")
    demand_volatility: Level = Field(Level.MEDIUM, description="How much demand swings.")
    pilot_planned: bool = Field(False, description="A pilot is planned before scaling.")
    change_management_planned: bool = Field(
        False, description="Training and communication for the move are planned."
    )
    horizon_years: int = Field(5, ge=1, le=MAX_HORIZON_YEARS, description="Years compared.")
    discount_rate: float = Field(0.08, ge=0, lt=1, description="Yearly discount rate (WACC).")
    current_annual_cost: float | None = Field(
        None, gt=0, le=1e12, description="Today's yearly cost, when known (else estimated)."
    )
    given: dict[str, float] = Field(
        default_factory=dict,
        max_length=MAX_GIVEN,
        description="Numbers that replace estimates: COUNTRY.KEY (e.g. PH.hourly_rate) -> value.",
    )

    @field_validator("countries")
    @classmethod
    def _distinct(cls, countries: list[str]) -> list[str]:
        return list(dict.fromkeys(countries))

    @field_validator("exclude_options")
    @classmethod
    def _distinct_exclusions(cls, excluded: list[str]) -> list[str]:
        return list(dict.fromkeys(excluded))

    @field_validator("arrangements")
    @classmethod
    def _distinct_arrangements(cls, chosen: list[ArrangementChoice]) -> list[ArrangementChoice]:
        return list(dict.fromkeys(chosen))
