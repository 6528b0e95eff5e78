"""An option's cost as a sum of separable terms, for the Monte Carlo engine.

``domain.cost`` writes every component out month by month. Almost all of them are an amount
per draw × a yearly escalation per draw × a time profile that depends only on the option's
dates (the handover ramp, a one-off month, the months before a transfer), so the engine can
sum them by year: a term's yearly total is its amount × escalation × the profile's sum over the
year, and its NPV uses the profile's discounted sum over the year. That is 12× fewer numbers
than the months, and no array of draws × months. Costs paid in a foreign currency follow an
exchange-rate path that moves every month; those terms carry the path as a monthly factor.

``option_terms`` mirrors ``domain.cost.project_option`` term for term (the tests check that
both give the same costs); the conventions are documented there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sourcewise.domain.cost import (
    PRICE_COMPONENTS,
    column,
    cutover_month,
    handover_shares,
    is_retained,
    landed_cost_per_unit,
    lost_output,
    own_months,
    transition_profile,
)
from sourcewise.domain.sampled import FloatArray, Sampled
from sourcewise.domain.scenario import Company, FunctionProfile, GoodsProfile, Option, Site


@dataclass(frozen=True, slots=True)
class Term:
    """``amount × growth[year] × exchange[month] × profile[month]``, the cost of one month."""

    component: str
    amount: Sampled
    """One number, or one per draw ``(draws,)``."""
    profile: FloatArray
    """Share of the amount paid in each month ``(months,)``; never negative."""
    growth: FloatArray | None = None
    """Yearly escalation factor, ``(years,)`` or ``(years, draws)``; None: none."""
    exchange: FloatArray | None = None
    """Home-currency factor of a foreign-currency cost ``(draws, months)``; None: none."""


@dataclass(frozen=True, slots=True)
class OptionTerms:
    costs: tuple[Term, ...]
    price: tuple[Term, ...]
    """The price components at full rate, before ramp-up and lead time."""


def yearly_growth(rate: Sampled, years: int) -> FloatArray:
    """(1 + rate)^(year − 1) for each year, ``(years,)`` or ``(years, draws)``: the escalation
    of ``domain.cost.escalation``, compounded by multiplication rather than raised to powers
    (a few units in the last place apart, at a fraction of the cost)."""
    step = 1.0 + np.asarray(rate, dtype=np.float64)
    factors: FloatArray = np.empty((years, *step.shape))
    factors[0] = 1.0
    for year in range(1, years):
        factors[year] = factors[year - 1] * step
    return factors


def once(month: FloatArray, at: int) -> FloatArray:
    """The profile of a one-off paid in month ``at`` (nothing if it lies outside the horizon)."""
    profile: FloatArray = (month == float(at)).astype(np.float64)
    return profile


def status_quo_terms(company: Company, profile: FunctionProfile, month: FloatArray) -> Term:
    """Today's cost: a twelfth of the annual cost each month, escalated with home pay."""
    growth = yearly_growth(company.wage_inflation, month.size // 12)
    return Term(
        "status_quo", _amount(profile.current_annual_cost) / 12.0, np.ones_like(month), growth
    )


def option_terms(
    company: Company,
    profile: FunctionProfile,
    option: Option,
    month: FloatArray,
    today: Term | None = None,
) -> OptionTerms:
    """The terms of ``domain.cost.project_option``, component by component. ``today`` is the
    status quo's term when the caller has it already (it is the same for every option)."""
    years = month.size // 12
    new_share, old_share = handover_shares(
        option.transition_months, option.parallel_running_months, month, option.lead_time_months
    )
    costs: list[Term] = []
    price: list[Term] = []
    moving = 1.0
    taking_on: Sampled = 0.0
    for site in option.sites:
        retained = is_retained(site, company.home_country)
        moving -= site.share if retained else 0.0
        active = np.ones_like(month) if retained else new_share
        growth = yearly_growth(site.wage_inflation, years)
        run = _run_terms(site, profile.goods, month, growth)
        priced = [t for t in run if t.component in PRICE_COMPONENTS]
        price += priced
        costs += [replace(t, profile=t.profile * active) for t in run]
        costs += _hidden_terms(site, month, priced, run, active)
        # One-offs priced on the site's first year of fees at full rate.
        first_year = sum((_first_year(t) for t in priced), start=np.zeros(()))
        if np.any(site.vendor_selection_share):
            share = _amount(site.vendor_selection_share)
            costs.append(Term("vendor_selection", share * first_year, once(month, 1)))
        if np.any(site.transition_share):
            handover = _amount(site.transition_share) * first_year
            costs.append(Term("transition", handover, transition_profile(option, month)))
        if not retained:
            taking_on = taking_on + first_year
        if np.any(site.travel_per_year):
            costs.append(
                Term("travel", _amount(site.travel_per_year) / 12.0, np.ones_like(month), growth)
            )
        if site.transfer_month is not None:
            costs.append(
                Term("transfer_fee", _amount(site.transfer_fee), once(month, site.transfer_month))
            )
    costs.append(Term("setup", _amount(option.setup_cost), once(month, 1)))
    cutover = cutover_month(option, month.size)
    costs.append(Term("severance", _amount(option.severance_cost), once(month, cutover)))
    if np.any(option.layoff_retention_share):
        layoffs = _amount(option.layoff_retention_share) * taking_on
        costs.append(Term("layoffs_retention", layoffs, once(month, cutover)))
    if np.any(option.exit_cost):
        costs.append(Term("exit", _amount(option.exit_cost), once(month, month.size)))
    today = status_quo_terms(company, profile, month) if today is None else today
    kept = _amount(option.parallel_running_share)
    costs.append(
        replace(
            today,
            component="parallel_running",
            amount=today.amount * kept,
            profile=max(moving, 0.0) * old_share,
        )
    )
    if option.learning_months > 0 and option.initial_productivity < 1.0:
        lost = max(moving, 0.0) * lost_output(option, month, new_share)
        costs.append(replace(today, component="learning_curve", profile=lost))
    return OptionTerms(tuple(costs), tuple(price))


def _amount(value: Sampled) -> Sampled:
    return value if isinstance(value, float | int) else np.asarray(value, dtype=np.float64)


def _exchange(site: Site) -> FloatArray | None:
    """The local-currency part of the costs moves with the exchange rate."""
    if site.fx_path is None or not np.any(site.local_currency_share):
        return None
    share = column(site.local_currency_share)
    factor: FloatArray = (1.0 - share) + share * site.fx_path
    return factor


def _run_terms(
    site: Site, goods: GoodsProfile | None, month: FloatArray, growth: FloatArray
) -> list[Term]:
    """Full-rate monthly run costs of one site: ``domain.cost``'s site components."""
    exchange = _exchange(site)
    own = own_months(site, month).astype(np.float64)
    fte = site.fte
    salaries = fte * _amount(site.annual_cost_per_fte) / 12.0
    hourly = _amount(site.hourly_rate) * site.billable_hours_per_fte
    fees = fte * hourly / 12.0 + _amount(site.monthly_fee)
    terms = []
    if own.all():
        terms.append(Term("labour", salaries, own, growth, exchange))
    elif not own.any():
        terms.append(Term("vendor_fees", fees, 1.0 - own, growth, exchange))
    else:
        terms.append(Term("labour", salaries, own, growth, exchange))
        terms.append(Term("vendor_fees", fees, 1.0 - own, growth, exchange))
    if site.goods is not None and goods is not None:
        units = _amount(goods.units_per_year) * site.share / 12.0
        for name, per_unit in landed_cost_per_unit(site, goods).items():
            terms.append(Term(name, units * per_unit, np.ones_like(month), growth, exchange))
    return terms


def _hidden_terms(
    site: Site, month: FloatArray, priced: list[Term], run: list[Term], active: FloatArray
) -> list[Term]:
    """Governance, coordination loss, rework and attrition of one site."""
    before = _amount(site.governance_overhead)
    after = site.governance_overhead_after_transfer
    if site.transfer_month is None or after is None:
        rates = [(before, np.ones_like(month))]
    else:
        own = own_months(site, month).astype(np.float64)
        rates = [(before, 1.0 - own), (_amount(after), own)]
    out = [
        replace(
            t, component="governance", amount=rate * t.amount, profile=t.profile * active * when
        )
        for t in priced
        for rate, when in rates
    ]
    for name, share in (
        ("coordination_loss", site.coordination_loss),
        ("rework", site.rework_share),
    ):
        if np.any(share):
            out += [
                replace(
                    t, component=name, amount=_amount(share) * t.amount, profile=t.profile * active
                )
                for t in priced
            ]
    if np.any(site.attrition_rate) and np.any(site.replacement_cost_share):
        # Leavers replaced at a share of a year's cost per FTE, on own salaries only.
        churn = _amount(site.attrition_rate) * _amount(site.replacement_cost_share)
        out += [
            replace(t, component="attrition", amount=churn * t.amount, profile=t.profile * active)
            for t in run
            if t.component == "labour"
        ]
    return out


def _first_year(term: Term) -> Sampled:
    """What the term costs over the first twelve months (escalation is 1 in the first year)."""
    if term.exchange is None:
        return term.amount * float(term.profile[:12].sum())
    paid: FloatArray = np.sum(term.exchange[:, :12] * term.profile[:12], axis=-1)
    return term.amount * paid
