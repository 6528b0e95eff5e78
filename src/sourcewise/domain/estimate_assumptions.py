"""The named, editable assumptions behind a first cost estimate, each with its origin.

Published figures are cited by their publisher and year (they were collected in the team's
research notes on cost defaults); every range or central value chosen from them is a sourcewise
assumption and says so. A user overrides any of them with a quote or the company's own figure.
"""

from __future__ import annotations

from collections.abc import Mapping

from sourcewise.domain.estimates import Estimate
from sourcewise.domain.scenario import FunctionKind

DEFAULT_ROLES: Mapping[FunctionKind, str] = {
    # The SOC occupation whose pay stands for a function when the user names no role.
    FunctionKind.CUSTOMER_SERVICE: "43-4051",  # Customer Service Representatives
    FunctionKind.IT_SUPPORT: "15-1232",  # Computer User Support Specialists
    FunctionKind.SOFTWARE_DEVELOPMENT: "15-1252",  # Software Developers
    FunctionKind.CONTENT: "27-3043",  # Writers and Authors
    FunctionKind.FINANCE_AND_ACCOUNTING: "43-3031",  # Bookkeeping, Accounting, Auditing Clerks
    FunctionKind.HR: "13-1071",  # Human Resources Specialists
    FunctionKind.LOGISTICS: "43-5011",  # Cargo and Freight Agents
    FunctionKind.MANUFACTURING: "51-0000",  # Production Occupations (refused: bought by unit)
    FunctionKind.OTHER: "00-0000",  # All Occupations
}
GOODS_KINDS = frozenset({FunctionKind.MANUFACTURING})
"""Bought by the unit, not by the hour: the estimate does not apply."""
ENGINEERING_KINDS = frozenset({FunctionKind.SOFTWARE_DEVELOPMENT, FunctionKind.IT_SUPPORT})

_FACTOR_ABROAD: Mapping[FunctionKind, tuple[float, float, float]] = {
    FunctionKind.CUSTOMER_SERVICE: (1.0, 1.5, 2.5),
    FunctionKind.IT_SUPPORT: (1.2, 2.0, 3.5),
    FunctionKind.SOFTWARE_DEVELOPMENT: (2.0, 3.0, 5.0),
    FunctionKind.CONTENT: (1.0, 1.5, 2.5),
    FunctionKind.FINANCE_AND_ACCOUNTING: (1.2, 2.0, 3.0),
    FunctionKind.HR: (1.0, 1.5, 2.5),
    FunctionKind.LOGISTICS: (0.8, 1.2, 2.0),
    FunctionKind.OTHER: (0.8, 1.5, 3.0),
}


def role_factor_abroad(kind: FunctionKind) -> Estimate:
    low, mode, high = _FACTOR_ABROAD[kind]
    return Estimate(
        "role_factor",
        "role factor on the national average",
        mode,
        low,
        high,
        unit="×",
        source=f"assumption: {kind.value.replace('_', ' ')} staff in a city earn {mode:g}× the "
        "all-employee average"
        f" ({low:g}-{high:g})",
        detail="The ILO series averages all employees, rural and farm work included; staff of "
        "a business centre earn a multiple of it. The bundled example uses 1.5 for Manila and "
        "Indian agents and 2 for bilingual Mexican agents. An assumption: replace it with a "
        "local salary survey or a quote.",
    )


def role_factor_from_us(ratio: float, title: str) -> Estimate:
    """A home country other than the US: the role's pay relative to the national average is
    taken to be as in the US (BLS), give or take a quarter."""
    return Estimate(
        "role_factor",
        "role factor on the national average",
        ratio,
        ratio * 0.75,
        ratio * 1.25,
        unit="×",
        source=f"BLS OEWS May 2023: {title} earn {ratio:.2f}× the US all-occupations mean; "
        "assumed to hold here (±25%)",
        detail="No occupational pay table for this country ships with sourcewise, so the US "
        "ratio of the role's mean pay to the all-occupations mean is applied to this country's "
        "ILO average. An assumption: replace it with the company's payroll.",
    )


def benefits_load(country: str) -> Estimate:
    if country == "US":
        return Estimate(
            "benefits_load",
            "employer taxes and benefits",
            1.30,
            1.25,
            1.45,
            unit="×",
            source="30% benefits load on US contact-centre wages (Contact Center Pipeline, 2018, "
            "practitioner figure); range an assumption",
        )
    return Estimate(
        "benefits_load",
        "employer taxes and benefits",
        1.25,
        1.15,
        1.45,
        unit="×",
        source="assumption: employer social contributions, statutory bonuses and health cover"
        " (the bundled example uses 1.15 PH, 1.25 IN, 1.45 MX)",
    )


_SEAT_USD: Mapping[str, tuple[float, float, float]] = {
    "US": (9_000, 12_000, 20_000),
    "PH": (3_000, 4_500, 6_000),
    "IN": (3_000, 4_500, 6_000),
    "MX": (4_000, 6_000, 8_000),
    "CO": (4_000, 6_000, 8_000),
}
SEAT_FLOOR_USD = 3_000.0
"""Telephony, CCaaS and CRM licences and IT are largely priced in dollars wherever the seat is."""


def seat_cost(country: str, price_level: tuple[float, int] | None) -> Estimate:
    """Per FTE per year in US$: space, telephony, licences, IT and site management."""
    label = "seat, IT and site cost per FTE"
    if country in _SEAT_USD:
        low, mode, high = _SEAT_USD[country]
        return Estimate(
            "seat_cost",
            label,
            mode,
            low,
            high,
            unit="US$/yr",
            source=f"derived range for {country} (rent, telephony and IT inputs of 2013-2016; "
            "labour ≈ 75% of contact-centre cost, NICE inContact): an assumption",
            detail="No published per-seat cost by country was found; the range is sourcewise "
            "arithmetic from published inputs (office rents, telephony and licences, cost "
            "shares), not a published figure.",
        )
    us_low, us_mode, us_high = _SEAT_USD["US"]
    if price_level is None:
        return Estimate(
            "seat_cost",
            label,
            us_mode / 2,
            SEAT_FLOOR_USD,
            us_high,
            unit="US$/yr",
            source=f"assumption: no price level for {country}; a wide range between the "
            "offshore floor and the US high end",
        )
    ratio, year = price_level
    low, mode, high = (max(SEAT_FLOOR_USD, value * ratio) for value in (us_low, us_mode, us_high))
    return Estimate(
        "seat_cost",
        label,
        mode,
        min(low, mode),
        max(high, mode),
        unit="US$/yr",
        source=f"assumption: the US range scaled by {country}'s price level ratio {ratio:.2f} "
        f"(WDI PA.NUS.PPPC.RF {year}), at least {SEAT_FLOOR_USD:,.0f} for dollar-priced IT",
    )


def vendor_overhead(kind: FunctionKind) -> Estimate:
    """A vendor's management, support and sales beyond the staff it bills, as a share of their
    pay (the FTE counted at home already include team leads)."""
    label = "vendor management and support, share of pay"
    if kind in ENGINEERING_KINDS:
        return Estimate(
            "vendor_overhead",
            label,
            0.3,
            0.15,
            0.5,
            unit="× pay",
            source="assumption: delivery and account management, pre-sales and bench for an IT "
            "vendor, about 0.3 of its engineers' pay",
        )
    return Estimate(
        "vendor_overhead",
        label,
        0.15,
        0.05,
        0.30,
        unit="× pay",
        source="front-line staff are about 90% of contact-centre labour (Bocklund & Hinton, "
        "Strategic Contact, 2008); management and support 0.05-0.3 of pay an assumption",
    )


_RATE_CARDS: Mapping[str, Mapping[str, float]] = {
    "agents": {"US": 35, "MX": 18, "CO": 15, "PH": 11, "IN": 9},
    "developers": {"US": 110, "PL": 55, "UA": 45, "MX": 50, "IN": 32},
}


def rate_card(country: str, kind: FunctionKind) -> Estimate | None:
    """A published hourly rate in US$ to hold the estimate against, where one exists. Weak
    evidence (vendor and press rate cards), so never used as the estimate itself."""
    which = "developers" if kind in ENGINEERING_KINDS else "agents"
    rate = _RATE_CARDS[which].get(country)
    if rate is None:
        return None
    return Estimate(
        "rate_card",
        "published rate card, for comparison only",
        rate,
        unit="US$/h",
        source=f"cross-check only: {which} in {country} about {rate} US$/h in press and vendor "
        "rate cards (weak evidence; e.g. The Balance)",
    )


def markup(kind: FunctionKind) -> Estimate:
    if kind is FunctionKind.SOFTWARE_DEVELOPMENT:
        return Estimate(
            "markup",
            "vendor price over its cost",
            1.5,
            1.4,
            1.7,
            unit="×",
            source="IT services margins: Globant gross 36-38%, Indian tier-1 operating 20-25% "
            "(2023-2025 filings) → price ≈ 1.4-1.7× cost (sourcewise arithmetic)",
        )
    return Estimate(
        "markup",
        "vendor price over its cost",
        1.15,
        1.10,
        1.20,
        unit="×",
        source="CX/BPO operating margins 9-16% (Teleperformance, Concentrix 2023 filings) → "
        "price ≈ 1.10-1.20× full cost (sourcewise arithmetic)",
    )


_ATTRITION_AGENTS: Mapping[str, tuple[float, float, float, str]] = {
    "PH": (0.35, 0.40, 0.45, "CCAP/Willis Towers Watson survey 2022: 45% total attrition"),
    "US": (0.30, 0.35, 0.45, "Cornell Global Call Center Report 2007: 25% to over 50% a year"),
    "IN": (0.30, 0.40, 0.50, "CIEL HR 2025: 30-35% in voice BPM roles"),
    "ZA": (0.20, 0.25, 0.40, "NelsonHall 2015: contact centres 15-40%, average ≈ 25%"),
    "PL": (0.15, 0.20, 0.25, "Antal 2019: SSC/BPO voluntary attrition 20%"),
    "MX": (0.25, 0.35, 0.45, "no citable figure (vendor blogs only): an assumption"),
    "CO": (0.25, 0.35, 0.45, "no citable figure (vendor blogs only): an assumption"),
}
_ATTRITION_ENGINEERS: Mapping[str, tuple[float, float, float, str]] = {
    "IN": (0.11, 0.15, 0.25, "TCS, Infosys, Wipro, HCLTech filings FY22-FY25: 12-28%"),
}


def attrition(country: str, kind: FunctionKind) -> Estimate | None:
    """Yearly attrition of own staff where a figure exists, else None."""
    table = _ATTRITION_ENGINEERS if kind in ENGINEERING_KINDS else _ATTRITION_AGENTS
    if country not in table:
        return None
    low, mode, high, origin = table[country]
    return Estimate(
        "attrition",
        "staff leaving each year",
        mode,
        low,
        high,
        unit="share",
        source=f"{origin}; central {mode:.0%} ({low:.0%}-{high:.0%}) a sourcewise assumption",
    )


def replacement_cost(kind: FunctionKind) -> Estimate:
    if kind in ENGINEERING_KINDS:
        return Estimate(
            "replacement_cost",
            "cost of replacing a leaver, share of a year's cost",
            0.40,
            0.30,
            0.50,
            unit="share",
            source="DeMarco & Lister, Peopleware (2013): replacing a developer costs 4.5-5 "
            "months; range an assumption",
        )
    return Estimate(
        "replacement_cost",
        "cost of replacing a leaver, share of a year's cost",
        0.25,
        0.20,
        0.35,
        unit="share",
        source="Boushey & Glynn (CAP, 2012): 16-21% of pay; Cornell (2007): 3-4 months' pay "
        "for call-centre staff; range an assumption",
    )


_SEVERANCE_WEEKS: Mapping[str, tuple[float, float, float, str]] = {
    "US": (
        0.0,
        1.0,
        2.0,
        "no US statutory severance; 1 week per year of service is common "
        "practice (LHH survey 2001)",
    ),
    "DE": (2.2, 2.2, 6.5, "§ 1a KSchG: half a month per year of service"),
    "GB": (1.0, 1.2, 1.5, "UK statutory redundancy pay: 0.5-1.5 weeks per year by age"),
    "FR": (1.1, 1.1, 1.4, "Code du travail R1234-2: a quarter month per year (a third after 10)"),
    "NL": (1.44, 1.44, 2.0, "BW 7:673 transitievergoeding: a third of a month per year"),
}
TRANSFER_OF_UNDERTAKING = (
    "in the EU and UK a domestic outsourcing is usually a transfer of undertaking "
    "(Directive 2001/23/EC, TUPE): staff move to the vendor, no severance"
)


def severance_weeks(home: str) -> Estimate:
    """Weeks of pay per year of service when a job ends."""
    if home in _SEVERANCE_WEEKS:
        low, mode, high, origin = _SEVERANCE_WEEKS[home]
        return Estimate(
            "severance_weeks",
            "severance, weeks of pay per year of service",
            mode,
            low,
            high,
            unit="weeks",
            source=origin,
        )
    return Estimate(
        "severance_weeks",
        "severance, weeks of pay per year of service",
        2.0,
        1.0,
        4.0,
        unit="weeks",
        source=f"assumption: no severance figure for {home} in sourcewise; check local law "
        "(ILO EPLex)",
    )


def tenure_years() -> Estimate:
    return Estimate(
        "tenure",
        "average years of service of the staff affected",
        4.0,
        2.0,
        8.0,
        unit="years",
        source="assumption: replace it with the company's own payroll figure",
    )


def transition_months(kind: FunctionKind) -> int:
    """Contact centre and back office 4 months, IT 6: central values of the published 2-6 and
    3-12 month ranges (Overby, CIO, 2003; vendor playbooks)."""
    return 6 if kind in ENGINEERING_KINDS else 4


TRANSITION_SOURCE = (
    "transition: contact centre and back office 3-4 months (2-6), IT 6 months (3-12), "
    "sourcewise's reading of Overby (CIO, 2003) and vendor playbooks"
)


def travel_per_year(abroad: bool, near: bool) -> Estimate:
    if not abroad:
        return Estimate(
            "travel",
            "travel to the provider",
            15_000,
            10_000,
            25_000,
            unit="US$/yr",
            source="assumption: a few trips a year to a vendor in the home country",
        )
    trips, each = (6, 5_000) if near else (6, 10_000)
    return Estimate(
        "travel",
        "travel to the site",
        trips * each,
        trips * each * 0.5,
        trips * each * 2,
        unit="US$/yr",
        source=f"assumption: about {trips} trips a year at {each:,} US$ each with lodging "
        f"({'a short flight' if near else 'a long-haul flight'})",
    )


CAPTIVE_FIT_OUT_PER_SEAT = 4_000.0
CAPTIVE_RECRUITING_PER_FTE = 1_500.0
CAPTIVE_ENTITY = 150_000.0
VENDOR_TRANSITION_PER_FTE = 2_000.0
VENDOR_TRANSITION_FIXED = 100_000.0


def captive_setup(fte: float) -> Estimate:
    mode = fte * (CAPTIVE_FIT_OUT_PER_SEAT + CAPTIVE_RECRUITING_PER_FTE) + CAPTIVE_ENTITY
    return Estimate(
        "setup_cost",
        "one-off set-up of an own centre",
        mode,
        mode * 0.9,
        mode * 1.5,
        unit="US$",
        source=f"assumption: fit-out {CAPTIVE_FIT_OUT_PER_SEAT:,.0f} a seat + recruiting and "
        f"training {CAPTIVE_RECRUITING_PER_FTE:,.0f} an FTE + entity and legal "
        f"{CAPTIVE_ENTITY:,.0f}; set-ups overrun more than they underrun",
    )


def vendor_setup(fte: float) -> Estimate:
    mode = fte * VENDOR_TRANSITION_PER_FTE + VENDOR_TRANSITION_FIXED
    return Estimate(
        "setup_cost",
        "one-off contract and knowledge transfer",
        mode,
        mode * 0.5,
        mode * 2.0,
        unit="US$",
        source=f"assumption: legal and contract {VENDOR_TRANSITION_FIXED:,.0f} + knowledge "
        f"transfer {VENDOR_TRANSITION_PER_FTE:,.0f} an FTE (vendor selection is a separate "
        "tool default)",
    )
