"""A cost estimate as a JSON document: ``sourcewise estimate --format json``, the API's
``/api/v1/estimates`` and the guided builder read the same shape. The models' descriptions are
the reference for each key."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sourcewise.domain.estimates import Estimate
from sourcewise.services.cost_estimates import CostEstimate, SiteEstimate


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EstimateLine(_Document):
    key: str = Field(description="What the number is: pay, benefits_load, cost_per_fte, …")
    label: str = Field(description="The same in words.")
    mean: float = Field(description="Mean of the range (PERT), or the number itself.")
    mode: float = Field(description="Most likely value.")
    low: float | None = Field(description="Low end of the range; null for a single number.")
    high: float | None = Field(description="High end of the range; null for a single number.")
    unit: str = Field(description="per yr, per h, ×, share, US$/yr …")
    source: str = Field(description="How the number was made, as written into a scenario.")
    given: bool = Field(description="True when the user gave it instead of the estimate.")


class MarketPay(_Document):
    """Gross yearly pay for the role across the US labour market, company currency; null
    where BLS top-codes or does not publish the figure."""

    mean: float | None = Field(description="Mean pay.")
    p10: float | None = Field(description="10th percentile.")
    p25: float | None = Field(description="25th percentile.")
    p50: float | None = Field(description="Median.")
    p75: float | None = Field(description="75th percentile.")
    p90: float | None = Field(description="90th percentile.")


class CountryCosts(_Document):
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    country_name: str = Field(description="English name.")
    home: bool = Field(description="True for the home country (the status quo's costs).")
    year: int = Field(description="Year of the pay data used.")
    own_staff_per_fte: float = Field(description="Fully loaded yearly cost of an own FTE (mean).")
    vendor_hourly_rate: float = Field(description="Estimated vendor rate per billed hour (mean).")
    market_pay: MarketPay | None = Field(
        description="The role's pay distribution in the BLS OEWS table (home in the US only)."
    )
    lines: list[EstimateLine] = Field(description="Every number of the estimate, in order.")


class CostEstimateDocument(_Document):
    role_code: str = Field(description="SOC code of the role (BLS OEWS May 2023).")
    role_title: str = Field(description="The role's title in the BLS table.")
    kind: str = Field(description="Function kind the defaults were taken for.")
    fte: float = Field(description="Full-time equivalents the function's cost is for.")
    currency: str = Field(description="ISO 4217 code of every amount.")
    usd_rate: float = Field(description="Company currency per US dollar used for US$ figures.")
    price_year: int = Field(description="Pay data are of this year or the latest before it.")
    billable_hours: float = Field(description="Billed hours per FTE a year behind hourly rates.")
    current_annual_cost: EstimateLine = Field(description="Today's yearly cost of the function.")
    countries: list[CountryCosts] = Field(description="Home first, then the candidates.")


def estimate_line(estimate: Estimate) -> EstimateLine:
    return EstimateLine(
        key=estimate.key,
        label=estimate.label,
        mean=estimate.mean,
        mode=estimate.mode,
        low=estimate.low,
        high=estimate.high,
        unit=estimate.unit,
        source=estimate.source,
        given=estimate.given,
    )


def _country(site: SiteEstimate, home: bool) -> CountryCosts:
    market = site.market
    return CountryCosts(
        country=site.country,
        country_name=site.country_name,
        home=home,
        year=site.year,
        own_staff_per_fte=site.cost_per_fte.mean,
        vendor_hourly_rate=site.hourly_rate.mean,
        market_pay=None
        if market is None
        else MarketPay(
            mean=market.mean,
            p10=market.p10,
            p25=market.p25,
            p50=market.p50,
            p75=market.p75,
            p90=market.p90,
        ),
        lines=[estimate_line(line) for line in site.lines()],
    )


def estimate_document(estimate: CostEstimate) -> CostEstimateDocument:
    return CostEstimateDocument(
        role_code=estimate.occupation.soc_code,
        role_title=estimate.occupation.title,
        kind=estimate.kind.value,
        fte=estimate.fte,
        currency=estimate.currency,
        usd_rate=estimate.usd_rate,
        price_year=estimate.price_year,
        billable_hours=estimate.billable_hours,
        current_annual_cost=estimate_line(estimate.current_annual_cost),
        countries=[
            _country(estimate.home, True),
            *(_country(site, False) for site in estimate.sites),
        ],
    )
