"""Deterministic cost of each option, month by month over the horizon, and its NPV.

Every component is a float array whose last axis is the month (1 … 12·horizon), so the Monte
Carlo engine can reuse these functions with a leading axis of draws. Conventions:

* Run costs escalate once a year (pay and price reviews): month m is in year ⌈m/12⌉ and is
  multiplied by (1 + inflation)^(year − 1).
* One-off costs (setup) fall in month 1; severance falls in the cut-over month, the first
  month after the transition.
* During the ``transition_months`` the status quo keeps running in full (parallel running while
  knowledge is transferred) and the new team ramps up linearly, reaching full cost at the end.
* Cash flows are discounted at the end of their month: factor (1 + r)^(−m/12).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sourcewise.domain.arrangement import Employer
from sourcewise.domain.scenario import (
    Company,
    DutyBasis,
    FunctionProfile,
    GoodsProfile,
    Option,
    Site,
)

FloatArray = npt.NDArray[np.float64]

PRICE_COMPONENTS = ("labour", "vendor_fees", "goods_price")
"""What a rate card or quote shows: the 'price' in the price-vs-TCO gap."""

COMPONENTS = (
    "labour",
    "vendor_fees",
    "goods_price",
    "packaging",
    "freight",
    "insurance",
    "duty",
    "governance",
    "travel",
    "setup",
    "severance",
    "parallel_running",
)


def months(horizon_years: int) -> FloatArray:
    return np.arange(1, 12 * horizon_years + 1, dtype=np.float64)


def escalation(rate: float | FloatArray, month: FloatArray) -> FloatArray:
    """Yearly step escalation factor for each month."""
    year_index = np.ceil(month / 12.0) - 1.0
    return np.power(1.0 + np.asarray(rate, dtype=np.float64), year_index)


def ramp(transition_months: int, month: FloatArray) -> FloatArray:
    """Share of the new team's full cost incurred each month while it ramps up."""
    if transition_months <= 0:
        return np.ones_like(month)
    return np.minimum(month / float(transition_months), 1.0)


def discount_factors(rate: float, month: FloatArray) -> FloatArray:
    return np.power(1.0 + rate, -month / 12.0)


def status_quo_monthly(company: Company, profile: FunctionProfile) -> FloatArray:
    month = months(company.horizon_years)
    return profile.current_annual_cost / 12.0 * escalation(company.wage_inflation, month)


def _site_components(
    site: Site, goods: GoodsProfile | None, month: FloatArray
) -> dict[str, FloatArray]:
    """Full-rate monthly run costs of one site, before ramp-up and governance."""
    grow = escalation(site.wage_inflation, month)
    zero = np.zeros_like(month)
    out = {name: zero for name in ("labour", "vendor_fees", *_GOODS_PARTS)}
    if site.employer is Employer.OWN:
        out["labour"] = site.fte * site.annual_cost_per_fte / 12.0 * grow
    else:
        fees = site.fte * site.hourly_rate * site.billable_hours_per_fte / 12.0
        out["vendor_fees"] = (fees + site.monthly_fee) * grow
    if site.goods is not None and goods is not None:
        for name, per_unit in landed_cost_per_unit(site, goods).items():
            out[name] = out[name] + goods.units_per_year * site.share / 12.0 * per_unit * grow
    return out


_GOODS_PARTS = ("goods_price", "packaging", "freight", "insurance", "duty")


def landed_cost_per_unit(site: Site, goods: GoodsProfile) -> dict[str, float]:
    """Price, packaging, freight, insurance and duty per unit delivered home."""
    terms = site.goods
    if terms is None:
        return {}
    freight = terms.freight_per_unit + terms.freight_per_kg * goods.unit_weight_kg
    insurance = terms.insurance_rate * terms.unit_price
    customs_value = terms.unit_price
    if terms.duty_basis is DutyBasis.CIF:
        customs_value += freight + insurance
    return {
        "goods_price": terms.unit_price,
        "packaging": terms.packaging_per_unit,
        "freight": freight,
        "insurance": insurance,
        "duty": terms.duty_rate * customs_value,
    }


@dataclass(frozen=True, slots=True)
class CostProjection:
    """Monthly cost components of one option and their roll-ups."""

    components: dict[str, FloatArray]
    discount_rate: float

    @property
    def monthly(self) -> FloatArray:
        total: FloatArray = np.sum(np.stack(list(self.components.values())), axis=0)
        return total

    @property
    def yearly(self) -> FloatArray:
        monthly = self.monthly
        by_year: FloatArray = monthly.reshape(*monthly.shape[:-1], -1, 12).sum(axis=-1)
        return by_year

    @property
    def npv(self) -> float:
        return float(npv(self.monthly, self.discount_rate))

    def component_npv(self, name: str) -> float:
        return float(npv(self.components[name], self.discount_rate))

    @property
    def price_npv(self) -> float:
        return sum(self.component_npv(name) for name in PRICE_COMPONENTS)


def npv(monthly: FloatArray, rate: float) -> FloatArray:
    """Present value of monthly cash flows (last axis) discounted at the end of each month."""
    month = np.arange(1, monthly.shape[-1] + 1, dtype=np.float64)
    present: FloatArray = np.sum(monthly * discount_factors(rate, month), axis=-1)
    return present


def project_status_quo(company: Company, profile: FunctionProfile) -> CostProjection:
    return CostProjection(
        {"status_quo": status_quo_monthly(company, profile)}, company.discount_rate
    )


def project_option(company: Company, profile: FunctionProfile, option: Option) -> CostProjection:
    """Monthly cost of running the function the way ``option`` describes."""
    month = months(company.horizon_years)
    ramp_share = ramp(option.transition_months, month)
    totals = {name: np.zeros_like(month) for name in COMPONENTS}
    for site in option.sites:
        run = _site_components(site, profile.goods, month)
        priced = sum((run[name] for name in PRICE_COMPONENTS), np.zeros_like(month))
        for name, values in run.items():
            totals[name] = totals[name] + values * ramp_share
        totals["governance"] += site.governance_overhead * priced * ramp_share
        totals["travel"] += site.travel_per_year / 12.0 * escalation(site.wage_inflation, month)
    totals["setup"][0] += option.setup_cost
    cutover = min(option.transition_months, month.size - 1)
    totals["severance"][cutover] += option.severance_cost
    in_transition = month <= option.transition_months
    totals["parallel_running"] = np.where(in_transition, status_quo_monthly(company, profile), 0.0)
    return CostProjection(totals, company.discount_rate)


@dataclass(frozen=True, slots=True)
class Savings:
    """How an option compares with the status quo over the horizon."""

    npv_savings: float
    savings_share: float
    """NPV savings as a share of the status quo's NPV."""
    price_savings_share: float
    """Savings if only the price (rates, salaries, unit price) counted."""
    break_even_month: int | None
    """First month from which cumulative savings stay at or above zero; None if never."""


def compare(status_quo: CostProjection, option: CostProjection) -> Savings:
    base = status_quo.npv
    saved = base - option.npv
    cumulative = np.cumsum(status_quo.monthly - option.monthly)
    negative = np.flatnonzero(cumulative < 0.0)
    if negative.size == 0:
        break_even: int | None = 1
    elif negative[-1] == cumulative.size - 1:
        break_even = None
    else:
        break_even = int(negative[-1]) + 2
    return Savings(
        npv_savings=saved,
        savings_share=saved / base if base else 0.0,
        price_savings_share=(base - option.price_npv) / base if base else 0.0,
        break_even_month=break_even,
    )
