"""Deterministic cost of each option, month by month over the horizon, and its NPV.

Every component is a float array whose last axis is the month (1 … 12·horizon); inputs may
carry a leading axis of draws (the tornado's P10/P90 runs). The Monte Carlo engine sums the
same costs by year from ``domain.cost_terms``, which mirrors ``project_option``. Conventions:

* Run costs escalate once a year (pay and price reviews): month m is in year ⌈m/12⌉ and is
  multiplied by (1 + inflation)^(year − 1).
* One-off costs (setup, vendor selection) fall in month 1; severance and layoffs-and-retention
  fall in the cut-over month, the first month in which the home team has no work left (after
  the lead time, the transition and the parallel running); the hand-over's own cost
  (``transition``) is spread evenly over the transition months; a build-operate-transfer fee
  falls in the transfer month.
* For ``lead_time_months`` nothing moves. Over the ``transition_months`` that follow, the new
  team takes the work on linearly. The home team's cost winds down as work leaves it, each
  slice ``parallel_running_months`` after the new team took it on (knowledge transfer); that
  remaining home cost, times the option's ``parallel_running_share``, is the
  ``parallel_running`` component. Own staff kept at home in a
  hybrid are today's team: no ramp-up and no wind-down.
* Cash flows are discounted at the end of their month: factor (1 + r)^(−m/12).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sourcewise.domain.arrangement import Employer
from sourcewise.domain.sampled import FloatArray, Sampled
from sourcewise.domain.scenario import (
    Company,
    DutyBasis,
    FunctionProfile,
    GoodsProfile,
    Option,
    Site,
)

PRICE_COMPONENTS = ("labour", "vendor_fees", "goods_price")
"""What a rate card or quote shows: the 'price' in the price-vs-TCO gap."""

LOGISTICS_COMPONENTS = ("packaging", "freight", "insurance", "duty", "inventory")
RUN_COMPONENTS = ("labour", "vendor_fees", "goods_price", *LOGISTICS_COMPONENTS)

COMPONENTS = (
    "labour",
    "vendor_fees",
    "goods_price",
    "packaging",
    "freight",
    "insurance",
    "duty",
    "inventory",
    "governance",
    "coordination_loss",
    "rework",
    "attrition",
    "learning_curve",
    "vendor_selection",
    "transition",
    "travel",
    "setup",
    "severance",
    "layoffs_retention",
    "transfer_fee",
    "parallel_running",
    "exit",
)

COMPONENT_MEANINGS: dict[str, str] = {
    "status_quo": "the status quo's cost: the function's current annual cost, escalated (the "
    "status quo's only component)",
    "labour": "own staff: FTE × loaded annual cost per FTE, escalated by wage inflation",
    "vendor_fees": "the provider's fees: billed hours × hourly rate, or the monthly fee",
    "goods_price": "goods bought: units a year × unit price",
    "packaging": "packaging per unit of goods",
    "freight": "freight per unit (by weight or per unit, as the terms say)",
    "insurance": "cargo insurance: a share of the goods' value",
    "duty": "import duty on the goods (on their value, or value and freight)",
    "inventory": "carrying the stock in transit and the safety stock at landed cost",
    "governance": "managing the arrangement (vendor management, oversight): a share of the price",
    "coordination_loss": "productivity lost to distance, time zones and culture: a share of the "
    "price",
    "rework": "work done again: a share of the price",
    "attrition": "replacing own staff who leave: attrition rate × replacement cost × salaries",
    "learning_curve": "output lost while the new site learns, paid at today's cost",
    "vendor_selection": "choosing a provider (RFP, due diligence): a share of the first year's "
    "price, in month 1",
    "transition": "the hand-over (knowledge transfer, the provider's staff on site, travel): a "
    "share of the first year's price, spread over the transition months",
    "travel": "travel between home and the site, a year",
    "setup": "one-off set-up cost, in month 1",
    "severance": "one-off severance for the staff the move lets go, at cut-over",
    "layoffs_retention": "layoffs and retention bonuses at cut-over: a share of the first year's "
    "price of the sites taking the work on",
    "transfer_fee": "build-operate-transfer: the fee paid when the centre is transferred",
    "parallel_running": "today's cost still paid while the move ramps up, times the share of the "
    "home team kept (parallel_running_share)",
    "exit": "leaving the arrangement at the end of the horizon",
}
"""What each component of ``CostProjection.components`` is, in a reader's words: the JSON
documents and docs/decide-json.md name components by these keys."""


def column(value: Sampled) -> FloatArray:
    """An input shaped to broadcast against months: draws become a column ``(draws, 1)``."""
    array = np.asarray(value, dtype=np.float64)
    return array[:, np.newaxis] if array.ndim == 1 else array


def months(horizon_years: int) -> FloatArray:
    return np.arange(1, 12 * horizon_years + 1, dtype=np.float64)


def escalation(rate: Sampled, month: FloatArray) -> FloatArray:
    """Yearly step escalation factor for each month."""
    year_index = np.ceil(month / 12.0) - 1.0
    growth = column(rate)
    if (
        growth.ndim < 2
        or month.size % 12
        or not np.array_equal(month, np.arange(1, month.size + 1))
    ):
        return np.power(1.0 + growth, year_index)
    # One power per draw and year, repeated over the year's months: far fewer transcendentals.
    years = np.arange(month.size // 12, dtype=np.float64)
    by_year = np.power(1.0 + growth, years)
    stepped: FloatArray = np.repeat(by_year, 12, axis=-1)
    return stepped


def ramp(transition_months: int, month: FloatArray) -> FloatArray:
    """Share of the new team's full cost incurred each month while it ramps up."""
    if transition_months <= 0:
        return np.ones_like(month)
    return np.minimum(month / float(transition_months), 1.0)


def discount_factors(rate: Sampled, month: FloatArray) -> FloatArray:
    return np.power(1.0 + column(rate), -month / 12.0)


def status_quo_monthly(company: Company, profile: FunctionProfile) -> FloatArray:
    month = months(company.horizon_years)
    return column(profile.current_annual_cost) / 12.0 * escalation(company.wage_inflation, month)


def _site_components(
    site: Site, goods: GoodsProfile | None, month: FloatArray
) -> dict[str, FloatArray]:
    """Full-rate monthly run costs of one site, before ramp-up and governance.

    A build-operate-transfer site bills the provider's fees until ``transfer_month`` and costs
    its own staff's salaries from then on.
    """
    grow = escalation(site.wage_inflation, month)
    if site.fx_path is not None and np.any(site.local_currency_share):
        # The local-currency part of the costs moves with the exchange rate.
        share = column(site.local_currency_share)
        grow = grow * ((1.0 - share) + share * site.fx_path)
    zero = np.zeros_like(month)
    out = {name: zero for name in RUN_COMPONENTS}
    own_from = own_months(site, month)
    fte = column(site.fte)
    # Scale the small per-draw column first, then broadcast once against the months.
    salaries = (fte * column(site.annual_cost_per_fte) / 12.0) * grow
    hourly = column(site.hourly_rate) * column(site.billable_hours_per_fte)
    fees = (fte * hourly / 12.0 + column(site.monthly_fee)) * grow
    # Whole arrays only where needed: most sites are own staff or a vendor all along.
    if own_from.all():
        out["labour"] = salaries
    elif not own_from.any():
        out["vendor_fees"] = fees
    else:
        out["labour"] = np.where(own_from, salaries, 0.0)
        out["vendor_fees"] = np.where(own_from, 0.0, fees)
    if site.goods is not None and goods is not None:
        for name, per_unit in landed_cost_per_unit(site, goods).items():
            units = column(goods.units_per_year) * site.share / 12.0
            out[name] = out[name] + units * column(per_unit) * grow
    return out


def own_months(site: Site, month: FloatArray) -> npt.NDArray[np.bool_]:
    """Months in which the site's workers are the company's own employees."""
    if site.employer is Employer.OWN:
        return np.ones_like(month, dtype=bool)
    if site.transfer_month is None:
        return np.zeros_like(month, dtype=bool)
    return month >= site.transfer_month


def _governance_rate(site: Site, month: FloatArray) -> FloatArray:
    before = column(site.governance_overhead)
    after = site.governance_overhead_after_transfer
    if site.transfer_month is None or after is None:
        return before  # broadcasts against the months where it is used
    return np.where(own_months(site, month), column(after), before * np.ones_like(month))


def _plus(total: FloatArray, addend: FloatArray) -> FloatArray:
    """``total + addend``, skipping the pass when ``total`` is still an empty row of zeros."""
    if total.ndim == 1 and not total.any():
        return addend
    if addend.ndim == 1 and not addend.any():
        return total
    summed: FloatArray = total + addend
    return summed


def lost_output(option: Option, month: FloatArray, new_share: FloatArray) -> FloatArray:
    """Share of the moved work's value lost each month while the new team learns.

    Productivity starts at ``initial_productivity`` when the new team starts (the month after
    the lead time) and rises linearly to 1 over ``learning_months``; the loss applies to the
    share of the work the new team already does.
    """
    since_start = month - float(option.lead_time_months)
    progress = np.clip((since_start - 1.0) / float(option.learning_months), 0.0, 1.0)
    shortfall = (1.0 - option.initial_productivity) * (1.0 - progress)
    loss: FloatArray = np.where(since_start >= 1.0, shortfall, 0.0) * new_share
    return loss


def is_retained(site: Site, home_country: str) -> bool:
    """Own staff at home: part of today's team that stays, so it needs no ramp-up."""
    return site.employer is Employer.OWN and site.country == home_country


def handover_shares(
    transition_months: int, parallel_months: int, month: FloatArray, lead_months: int = 0
) -> tuple[FloatArray, FloatArray]:
    """Share of the moving work done by the new team, and share still paid to the old one.

    Nothing moves for ``lead_months`` (building a plant, selecting a vendor). Then the new team
    takes the work on linearly over the transition; each slice's old team stays
    ``parallel_months`` longer to hand over (parallel running during knowledge transfer).
    """
    month = month - float(lead_months)
    new = np.where(month >= 1.0, ramp(transition_months, np.maximum(month, 1.0)), 0.0)
    if transition_months <= 0 and parallel_months <= 0:
        return new, 1.0 - new
    shifted = month - float(parallel_months)
    old = 1.0 - np.where(shifted >= 1.0, ramp(transition_months, np.maximum(shifted, 1.0)), 0.0)
    return new, old


def transition_profile(option: Option, month: FloatArray) -> FloatArray:
    """Share of the hand-over's one-off cost paid in each month: evenly over the transition
    months after the lead time, or all in the first month of work when there is no transition."""
    first = float(option.lead_time_months + 1)
    span = max(option.transition_months, 1)
    during = (month >= first) & (month < first + span)
    profile: FloatArray = during.astype(np.float64) / span
    return profile


def cutover_month(option: Option, horizon_months: int) -> int:
    """The month severance falls in: when the last slice of work has left the home team."""
    last_slice = option.lead_time_months + option.transition_months + option.parallel_running_months
    return min(max(last_slice, 1), horizon_months)


def landed_cost_per_unit(site: Site, goods: GoodsProfile) -> dict[str, Sampled]:
    """Price, packaging, freight, insurance, duty and inventory carrying per unit delivered."""
    terms = site.goods
    if terms is None:
        return {}
    freight = terms.freight_per_unit + terms.freight_per_kg * goods.unit_weight_kg
    insurance = terms.insurance_rate * terms.unit_price
    customs_value = terms.unit_price
    if terms.duty_basis is DutyBasis.CIF:
        customs_value = customs_value + freight + insurance
    duty = terms.duty_rate * customs_value
    landed = terms.unit_price + terms.packaging_per_unit + freight + insurance + duty
    # Stock in transit and safety stock, valued at landed cost, carried for a year, per unit
    # bought: weeks held / 52 of a year's units sit in inventory at any time.
    weeks_held = terms.transit_weeks + terms.safety_stock_weeks
    return {
        "goods_price": terms.unit_price,
        "packaging": terms.packaging_per_unit,
        "freight": freight,
        "insurance": insurance,
        "duty": duty,
        "inventory": landed * weeks_held / 52.0 * terms.carrying_rate,
    }


@dataclass(frozen=True, slots=True)
class CostProjection:
    """Monthly cost components of one option and their roll-ups."""

    components: dict[str, FloatArray]
    discount_rate: Sampled
    full_rate: dict[str, FloatArray] | None = None
    """Run-cost components as if the option ran fully from month 1, before ramp-up and lead
    time: the basis on which a quote is compared with today's cost."""

    @property
    def monthly(self) -> FloatArray:
        # Components an option does not have are a 1-D row of zeros; adding them to a
        # (draws, months) total would cost a full pass each.
        present = [c for c in self.components.values() if c.ndim > 1 or c.any()]
        if not present:
            return next(iter(self.components.values()))
        total: FloatArray = functools.reduce(np.add, present)
        return total

    @property
    def yearly(self) -> FloatArray:
        monthly = self.monthly
        by_year: FloatArray = monthly.reshape(*monthly.shape[:-1], -1, 12).sum(axis=-1)
        return by_year

    @property
    def present_value(self) -> FloatArray:
        """NPV of the total: shape ``()``, or ``(draws,)`` in a simulation."""
        return npv(self.monthly, self.discount_rate)

    def component_present_value(self, name: str) -> FloatArray:
        return npv(self.components[name], self.discount_rate)

    def full_rate_present_value(self, names: tuple[str, ...]) -> FloatArray:
        source = self.full_rate if self.full_rate is not None else self.components
        zero: FloatArray = np.zeros(())
        return functools.reduce(np.add, (npv(source[n], self.discount_rate) for n in names), zero)

    @property
    def npv(self) -> float:
        return float(self.present_value)

    def component_npv(self, name: str) -> float:
        return float(self.component_present_value(name))

    def full_rate_npv(self, names: tuple[str, ...]) -> float:
        return float(self.full_rate_present_value(names))

    @property
    def price_npv(self) -> float:
        """NPV of the price alone (salaries, fees, unit price) at full rate."""
        return self.full_rate_npv(PRICE_COMPONENTS)


def npv(monthly: FloatArray, rate: Sampled) -> FloatArray:
    """Present value of monthly cash flows (last axis) discounted at the end of each month."""
    month = np.arange(1, monthly.shape[-1] + 1, dtype=np.float64)
    return present_value(monthly, discount_factors(rate, month))


def present_value(monthly: FloatArray, discount: FloatArray) -> FloatArray:
    """Cash flows (last axis months) times discount factors, summed over the months.

    A matrix product when the rate is the same for every draw, without a temporary array.
    """
    if discount.ndim == 1:
        product: FloatArray = np.asarray(monthly @ discount, dtype=np.float64)
        return product
    summed: FloatArray = np.sum(monthly * discount, axis=-1)
    return summed


def project_status_quo(company: Company, profile: FunctionProfile) -> CostProjection:
    """Today's cost; its price is the whole of it, booked as labour at full rate."""
    monthly = status_quo_monthly(company, profile)
    full_rate = {name: np.zeros_like(monthly) for name in RUN_COMPONENTS}
    full_rate["labour"] = monthly
    return CostProjection({"status_quo": monthly}, company.discount_rate, full_rate)


def project_option(
    company: Company,
    profile: FunctionProfile,
    option: Option,
    status_quo: FloatArray | None = None,
) -> CostProjection:
    """Monthly cost of running the function the way ``option`` describes.

    Inputs may hold one value per simulation draw; every component then has shape
    ``(draws, months)`` and nothing here loops over draws. ``status_quo`` is today's monthly
    cost when the caller has it already (it is the same for every option).
    """
    month = months(company.horizon_years)
    new_share, old_share = handover_shares(
        option.transition_months, option.parallel_running_months, month, option.lead_time_months
    )
    zero = np.zeros_like(month)
    totals: dict[str, FloatArray] = {name: zero for name in COMPONENTS}
    full_rate: dict[str, FloatArray] = {name: zero for name in RUN_COMPONENTS}
    moving = 1.0
    taking_on: FloatArray = np.zeros(1)
    for site in option.sites:
        retained = is_retained(site, company.home_country)
        moving -= site.share if retained else 0.0
        active = np.ones_like(month) if retained else new_share
        run = _site_components(site, profile.goods, month)
        priced = functools.reduce(_plus, (run[name] for name in PRICE_COMPONENTS))
        for name, values in run.items():
            if values.ndim == 1 and not values.any():
                continue  # a cost this site does not have
            totals[name] = _plus(totals[name], values * active)
            full_rate[name] = _plus(full_rate[name], values)
        totals["governance"] = (
            totals["governance"] + _governance_rate(site, month) * priced * active
        )
        # Hidden costs proportional to the run cost, paid from the first month of work.
        for name, share in (
            ("coordination_loss", site.coordination_loss),
            ("rework", site.rework_share),
        ):
            if np.any(share):
                totals[name] = totals[name] + column(share) * priced * active
        if np.any(site.attrition_rate) and np.any(site.replacement_cost_share):
            # Leavers replaced at a share of a year's cost per FTE, on own salaries only.
            churn = column(site.attrition_rate) * column(site.replacement_cost_share)
            totals["attrition"] = totals["attrition"] + churn * run["labour"] * active
        # One-offs priced on the site's first year of fees at full rate.
        first_year = np.sum(priced[..., :12], axis=-1, keepdims=True)
        if np.any(site.vendor_selection_share):
            selection = column(site.vendor_selection_share) * first_year * (month == 1.0)
            totals["vendor_selection"] = totals["vendor_selection"] + selection
        if np.any(site.transition_share):
            handover = (
                column(site.transition_share) * first_year * transition_profile(option, month)
            )
            totals["transition"] = totals["transition"] + handover
        if not retained:
            taking_on = taking_on + first_year
        if np.any(site.travel_per_year):
            travel = column(site.travel_per_year) / 12.0 * escalation(site.wage_inflation, month)
            totals["travel"] = totals["travel"] + travel
        if site.transfer_month is not None:
            in_month = month == float(site.transfer_month)
            totals["transfer_fee"] = totals["transfer_fee"] + column(site.transfer_fee) * in_month
    totals["setup"] = column(option.setup_cost) * (month == 1.0)
    cutover = cutover_month(option, month.size)
    at_cutover = month == float(cutover)
    totals["severance"] = column(option.severance_cost) * at_cutover
    if np.any(option.layoff_retention_share):
        layoffs = column(option.layoff_retention_share) * taking_on * at_cutover
        totals["layoffs_retention"] = layoffs
    if np.any(option.exit_cost):
        totals["exit"] = column(option.exit_cost) * (month == float(month.size))
    still_paid = max(moving, 0.0) * old_share
    today = status_quo_monthly(company, profile) if status_quo is None else status_quo
    totals["parallel_running"] = today * still_paid * column(option.parallel_running_share)
    if option.learning_months > 0 and option.initial_productivity < 1.0:
        totals["learning_curve"] = today * max(moving, 0.0) * lost_output(option, month, new_share)
    return CostProjection(totals, company.discount_rate, full_rate)


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
