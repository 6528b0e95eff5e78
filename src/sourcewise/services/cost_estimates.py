"""A first estimate of what a function costs at home and abroad, every number with its source.

At home in the US, pay for the role comes from the BLS OEWS May 2023 table; anywhere else it is
the ILO's average monthly earnings of employees (in 2021 PPP dollars) converted to US dollars
at the World Bank's PPP factor and official exchange rate of the same year, times a role factor
that is a labelled assumption. Loads, seat costs and vendor mark-ups are the named assumptions
of ``domain.estimate_assumptions``. Amounts are per year in the company currency unless a line
says otherwise. The CLI (``sourcewise estimate``), the scenario builder and the API share this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.indicator_table import load_indicators
from sourcewise.adapters.occupation_table import load_occupations

# The limits the answers and scenario files already set, re-exported for the entrypoints.
from sourcewise.adapters.scenario_answers import MAX_COUNTRIES as MAX_COUNTRIES
from sourcewise.adapters.scenario_schema import MAX_FTE as MAX_FTE
from sourcewise.domain import estimate_assumptions as assume
from sourcewise.domain.assumptions import DEFAULT_BILLABLE_HOURS
from sourcewise.domain.estimates import (
    Estimate,
    combine,
    pert_with_mean,
    ppp_to_usd,
    span,
    thousands,
)
from sourcewise.domain.indicators import CountryIndicators, Indicator
from sourcewise.domain.occupations import Occupation, Wages, find_occupations
from sourcewise.domain.scenario import FunctionKind

OEWS_YEAR = 2023
"""The BLS table is May 2023: the default price year, so home and abroad compare like for like."""
OEWS = "BLS OEWS May 2023"
SITE_KEYS = (
    "pay",
    "role_factor",
    "benefits_load",
    "seat_cost",
    "vendor_overhead",
    "markup",
    "cost_per_fte",
    "hourly_rate",
    "wage_inflation",
    "attrition",
)
"""What a user may give instead of the estimate, as ``<country>.<key>``."""
FUNCTION_KEYS = ("current_annual_cost",)


class EstimateError(ValueError):
    """A request the estimate cannot answer; the message names the field and what to do."""


@dataclass(frozen=True, slots=True)
class EstimateRequest:
    home: str
    countries: tuple[str, ...]
    fte: float
    kind: FunctionKind | None = None
    """Default: from the role's SOC group, else ``other``."""
    role: str | None = None
    """A SOC code or an occupation title; default: the function kind's usual role."""
    currency: str | None = None
    """Default: the home country's currency."""
    price_year: int = OEWS_YEAR
    given: Mapping[str, float] = field(default_factory=dict)
    """Numbers the user gives instead of estimates, by ``<country>.<key>`` or a function key."""


@dataclass(frozen=True, slots=True)
class SiteEstimate:
    """What a full-time person costs in one country: as own staff and through a vendor."""

    country: str
    country_name: str
    year: int
    """The year of the pay data used (the latest up to the price year)."""
    pay: Estimate
    benefits_load: Estimate
    seat_cost: Estimate
    vendor_overhead: Estimate
    markup: Estimate
    cost_per_fte: Estimate
    hourly_rate: Estimate
    wage_inflation: Estimate
    national_average: Estimate | None = None
    """The ILO average converted to the company currency (None at home in the US)."""
    role_factor: Estimate | None = None
    attrition: Estimate | None = None
    rate_card: Estimate | None = None
    """A published rate to compare the vendor estimate with (US$ per hour), never used in it."""
    market: Wages | None = None
    """The role's pay distribution in the BLS table (home in the US), company currency."""

    def lines(self) -> tuple[Estimate, ...]:
        parts = (
            self.national_average,
            self.role_factor,
            self.pay,
            self.benefits_load,
            self.seat_cost,
            self.cost_per_fte,
            self.vendor_overhead,
            self.markup,
            self.hourly_rate,
            self.wage_inflation,
            self.attrition,
            self.rate_card,
        )
        return tuple(part for part in parts if part is not None)


@dataclass(frozen=True, slots=True)
class CostEstimate:
    home: SiteEstimate
    sites: tuple[SiteEstimate, ...]
    """The candidate countries other than home, in the order asked."""
    occupation: Occupation
    kind: FunctionKind
    fte: float
    currency: str
    usd_rate: float
    """Company currency per US dollar in the price year (1 for US$)."""
    price_year: int
    current_annual_cost: Estimate
    billable_hours: float = DEFAULT_BILLABLE_HOURS

    def site(self, country: str) -> SiteEstimate:
        if country == self.home.country:
            return self.home
        return next(s for s in self.sites if s.country == country)


def find_roles(query: str, limit: int = 10) -> list[Occupation]:
    """Occupations of the BLS table matching a code or words of a title, best first."""
    return find_occupations(load_occupations(), query, limit)


def kind_of(occupation: Occupation) -> FunctionKind:
    """The function kind a SOC occupation most likely belongs to."""
    code = occupation.soc_code
    by_prefix = (
        ("15-123", FunctionKind.IT_SUPPORT),
        ("15-124", FunctionKind.IT_SUPPORT),
        ("15-12", FunctionKind.SOFTWARE_DEVELOPMENT),
        ("43-4", FunctionKind.CUSTOMER_SERVICE),
        ("43-3", FunctionKind.FINANCE_AND_ACCOUNTING),
        ("13-2", FunctionKind.FINANCE_AND_ACCOUNTING),
        ("13-107", FunctionKind.HR),
        ("43-416", FunctionKind.HR),
        ("27-", FunctionKind.CONTENT),
        ("43-5", FunctionKind.LOGISTICS),
        ("51-", FunctionKind.MANUFACTURING),
    )
    return next((kind for prefix, kind in by_prefix if code.startswith(prefix)), FunctionKind.OTHER)


def _role(request: EstimateRequest) -> Occupation:
    occupations = load_occupations()
    if request.role is None or not request.role.strip():
        code = assume.DEFAULT_ROLES[request.kind or FunctionKind.OTHER]
        return next(o for o in occupations if o.soc_code == code)
    found = find_occupations(occupations, request.role, limit=5)
    exact = [
        o
        for o in found
        if o.soc_code == request.role.strip()
        or o.title.casefold() == request.role.strip().casefold()
    ]
    if exact:
        return min(exact, key=lambda o: o.group != "detailed")
    detailed = [o for o in found if o.group == "detailed"]
    if len(found) == 1 or len(detailed) == 1:
        return (detailed or found)[0]
    hint = "; ".join(f"{o.soc_code} {o.title}" for o in found) or "none"
    raise EstimateError(
        f"role: {request.role!r} is not an occupation of the {OEWS} table; closest: {hint}. "
        "Give a SOC code or a full title (sourcewise estimate --search WORDS)"
    )


def _check(request: EstimateRequest, kind: FunctionKind) -> None:
    countries = load_countries()
    for where, code in (("home", request.home), *(("country", c) for c in request.countries)):
        if code not in countries:
            raise EstimateError(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 country code")
    if len(request.countries) > MAX_COUNTRIES:
        raise EstimateError(f"country: at most {MAX_COUNTRIES} candidate countries")
    if not 0 < request.fte <= MAX_FTE:
        raise EstimateError(f"fte: must be above 0 and at most {MAX_FTE:,.0f}")
    if kind in assume.GOODS_KINDS:
        raise EstimateError(
            f"kind: {kind.value} is bought by the unit, not by the hour; write unit prices in "
            "a scenario file (see examples/windows-offshore-plant.yaml)"
        )
    allowed = {f"{c}.{k}" for c in (request.home, *request.countries) for k in SITE_KEYS}
    allowed |= set(FUNCTION_KEYS)
    for key, value in request.given.items():
        if key not in allowed:
            raise EstimateError(
                f"given: {key!r} is not an estimated number here; use COUNTRY.KEY with KEY one "
                f"of {', '.join(SITE_KEYS)}, or {', '.join(FUNCTION_KEYS)}"
            )
        if not 0 <= value <= 1e12:
            raise EstimateError(f"given: {key} = {value:g} is outside 0 to 1e12")


def _usd_rate(
    request: EstimateRequest, currency: str, indicators: CountryIndicators | None
) -> float:
    if currency == "USD":
        return 1.0
    home_currency = load_countries()[request.home].currency
    if currency != home_currency:
        raise EstimateError(
            f"currency: estimates are made in US$ or the home currency ({home_currency}), "
            f"not {currency}"
        )
    series = indicators.series.get(Indicator.FX_LCU_PER_USD, {}) if indicators else {}
    years = [y for y in series if y <= request.price_year]
    if not years:
        raise EstimateError(
            f"currency: no official {currency} rate for {request.home} up to "
            f"{request.price_year} (WDI PA.NUS.FCRF); use currency USD"
        )
    return series[max(years)]


def _national_average(
    country: str, indicators: CountryIndicators | None, price_year: int, usd_rate: float
) -> tuple[Estimate, int]:
    """The ILO all-employee average per year, in the company currency, for the latest year up
    to the price year that has earnings, a PPP factor and an official rate."""
    series = indicators.series if indicators else {}
    earnings = series.get(Indicator.EARNINGS_PPP, {})
    ppp = series.get(Indicator.PPP_FACTOR, {})
    fx = series.get(Indicator.FX_LCU_PER_USD, {})
    years = sorted(y for y in earnings if y <= price_year and y in ppp and y in fx)
    if not years:
        raise EstimateError(
            f"country: no ILO average earnings for {country} up to {price_year} with a PPP "
            f"factor and an exchange rate; give {country}.pay (yearly pay per person) instead"
        )
    year = years[-1]
    month_usd = ppp_to_usd(earnings[year], ppp[year], fx[year])
    source = (
        f"ILO EAR_4MTH {country} {year}: {earnings[year]:,.2f} PPP$/month × PPP {ppp[year]:g} / "
        f"rate {fx[year]:g} (WDI {year}) = {month_usd:,.2f} US$/month × 12"
    )
    average = Estimate(
        "national_average",
        "average pay, all employees",
        month_usd * 12 * usd_rate,
        unit="per yr",
        source=source,
    )
    return average, year


def _inflation(country: str, indicators: CountryIndicators | None, price_year: int) -> Estimate:
    series = indicators.series.get(Indicator.INFLATION, {}) if indicators else {}
    years = sorted(series)[-3:]
    if not years:
        return Estimate(
            "wage_inflation",
            "pay growth a year",
            0.03,
            0.02,
            0.05,
            unit="share",
            source=f"assumption: no consumer-price series for {country}; 3% (2-5%)",
        )
    values = [max(-0.05, min(0.5, series[y] / 100)) for y in years]
    low, high = min(values), max(values)
    mean = sum(values) / len(values)
    listed = ", ".join(f"{series[y]:.1f}% ({y})" for y in years)
    return Estimate(
        "wage_inflation",
        "pay growth a year",
        mean,
        low if high > low else None,
        high if high > low else None,
        unit="share",
        source=f"WDI FP.CPI.TOTL.ZG {country}: {listed}; pay assumed to follow prices",
    )


def _market_pay(occupation: Occupation, usd_rate: float) -> tuple[Estimate, Wages]:
    wages, from_hourly = occupation.annual_wages()
    if wages.mean is None:
        raise EstimateError(
            f"role: {OEWS} publishes no mean pay for {occupation.soc_code} {occupation.title}; "
            "choose a related occupation or give US.pay"
        )
    mean = wages.mean * usd_rate
    p25 = (wages.p25 or wages.mean * 0.8) * usd_rate
    p75 = (wages.p75 or wages.mean * 1.2) * usd_rate
    low, high = min(p25, mean), max(p75, mean)
    basis = "hourly × 2,080 h" if from_hourly else "annual"
    source = (
        f"{OEWS} {occupation.soc_code} {occupation.title}, {basis}: mean {thousands(wages.mean)}, "
        f"P25-P75 {thousands(p25 / usd_rate)}-{thousands(p75 / usd_rate)} US$; the company's "
        "average taken between the quartiles"
    )
    pay = Estimate(
        "pay",
        "pay per person",
        pert_with_mean(low, mean, high),
        low,
        high,
        unit="per yr",
        source=source,
        detail="Gross wages exclude benefits and employer payroll taxes (BLS). The range is the "
        "market's interquartile range, with the mode set so the mean is the BLS mean.",
    )
    return pay, wages.scaled(usd_rate)


def _given(estimate: Estimate | None, country: str, given: Mapping[str, float]) -> Estimate | None:
    """``estimate``, or the number the user gave instead of it."""
    if estimate is None:
        return None
    key = f"{country}.{estimate.key}"
    return estimate.given_as(given[key]) if key in given else estimate


def _site(
    country: str,
    request: EstimateRequest,
    occupation: Occupation,
    kind: FunctionKind,
    usd_rate: float,
) -> SiteEstimate:
    indicators = load_indicators().get(country)
    given = request.given
    home = country == request.home
    market: Wages | None = None
    national: Estimate | None = None
    factor: Estimate | None = None
    year = request.price_year
    if home and country == "US":
        pay, market = _market_pay(occupation, usd_rate)
        year = OEWS_YEAR
    else:
        national, year = _national_average(country, indicators, request.price_year, usd_rate)
        if home:
            everyone = next(o for o in load_occupations() if o.soc_code == "00-0000")
            role_mean = occupation.annual_wages()[0].mean
            assert everyone.annual.mean is not None
            ratio = (role_mean or everyone.annual.mean) / everyone.annual.mean
            factor = assume.role_factor_from_us(ratio, occupation.title)
        else:
            factor = assume.role_factor_abroad(kind)
        factor = _given(factor, country, given)
        assert factor is not None
        pay = combine(
            "pay",
            "pay per person",
            lambda average, times: average * times,
            (national, factor),
            unit="per yr",
            source=f"ILO {country} {year} average {thousands(national.mode)} × role factor "
            f"{span(factor)}",
        )
    pay = _given(pay, country, given) or pay
    # Where the pay comes from, carried into the sources of the costs built on it, so the
    # business case's assumptions table shows the whole chain beside each number.
    if pay.given:
        origin = f"pay {thousands(pay.mode)} (given)"
    elif market is not None:
        low, _, high = pay.ends()
        origin = (
            f"pay mean {thousands(pay.mean)} ({thousands(low)}-{thousands(high)}, "
            f"{OEWS} {occupation.soc_code})"
        )
    else:
        origin = f"pay {span(pay)} ({pay.source})"
    load = _given(assume.benefits_load(country), country, given)
    price = indicators.latest(Indicator.PRICE_LEVEL_RATIO) if indicators else None
    seat_usd = assume.seat_cost(country, (price.value, price.year) if price else None)
    seat = replace(
        seat_usd,
        mode=seat_usd.mode * usd_rate,
        low=None if seat_usd.low is None else seat_usd.low * usd_rate,
        high=None if seat_usd.high is None else seat_usd.high * usd_rate,
        unit="per yr",
    )
    seat = _given(seat, country, given) or seat
    assert load is not None
    own = combine(
        "cost_per_fte",
        "own staff, fully loaded, per FTE",
        lambda p, b, s: p * b + s,
        (pay, load, seat),
        unit="per yr",
        source=f"{origin} × loads {span(load)} + seat {span(seat)}; range: every assumption "
        "at its low or high end",
    )
    own = _given(own, country, given) or own
    overhead = _given(assume.vendor_overhead(kind), country, given)
    markup = _given(assume.markup(kind), country, given)
    assert overhead is not None
    assert markup is not None
    hours = DEFAULT_BILLABLE_HOURS
    rate = combine(
        "hourly_rate",
        "vendor rate per billed hour",
        lambda p, b, o, s, m: (p * (b + o) + s) * m / hours,
        (pay, load, overhead, seat, markup),
        unit="per h",
        source=f"({origin} × (loads {span(load)} + vendor overhead {span(overhead)}) + seat) "
        f"× mark-up {span(markup)} / {hours:,.0f} billed h; range: every assumption low or high",
    )
    rate = _given(rate, country, given) or rate
    inflation = _given(_inflation(country, indicators, request.price_year), country, given)
    assert inflation is not None
    attrition = None if home else _given(assume.attrition(country, kind), country, given)
    return SiteEstimate(
        country=country,
        country_name=load_countries()[country].name,
        year=year,
        pay=pay,
        benefits_load=load,
        seat_cost=seat,
        vendor_overhead=overhead,
        markup=markup,
        cost_per_fte=own,
        hourly_rate=rate,
        wage_inflation=inflation,
        national_average=national,
        role_factor=factor,
        attrition=attrition,
        rate_card=assume.rate_card(country, kind),
        market=market,
    )


def estimate_costs(request: EstimateRequest) -> CostEstimate:
    """The estimate for ``request``; :class:`EstimateError` names the field when it cannot."""
    request = replace(
        request,
        home=request.home.strip().upper(),
        countries=tuple(dict.fromkeys(c.strip().upper() for c in request.countries)),
        currency=request.currency.strip().upper() if request.currency else None,
    )
    occupation = _role(request)
    kind = request.kind or kind_of(occupation)
    _check(request, kind)
    currency = request.currency or load_countries()[request.home].currency
    usd_rate = _usd_rate(request, currency, load_indicators().get(request.home))
    home = _site(request.home, request, occupation, kind, usd_rate)
    sites = tuple(
        _site(country, request, occupation, kind, usd_rate)
        for country in request.countries
        if country != request.home
    )
    current = combine(
        "current_annual_cost",
        "today's yearly cost of the function",
        lambda per_fte: per_fte * request.fte,
        (home.cost_per_fte,),
        unit="per yr",
        source=f"{request.fte:g} FTE × {request.home} cost per FTE {span(home.cost_per_fte)}: "
        f"{home.cost_per_fte.source}",
    )
    if "current_annual_cost" in request.given:
        current = current.given_as(request.given["current_annual_cost"])
    return CostEstimate(
        home=home,
        sites=sites,
        occupation=occupation,
        kind=kind,
        fte=request.fte,
        currency=currency,
        usd_rate=usd_rate,
        price_year=request.price_year,
        current_annual_cost=current,
    )
