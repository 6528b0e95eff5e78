"""Small, explicit builders for the domain's frozen records, shared by the domain unit tests.

Imported as a sibling module (pytest's default 'prepend' import mode puts this directory on
``sys.path``); the name is specific so it cannot clash with helpers of other test folders.

Everything is hand-made and self-contained: five invented countries (user-assigned X… codes)
with fixed time gaps and languages, so a fit or dimension test never depends on the packaged
country table or tzdata.
The defaults are deliberately *neutral*: a status-quo context built from ``make_profile()``
fires no fit rule at all, so each test switches on only what it is about.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from sourcewise.domain.arrangement import (
    Classification,
    Employer,
    SiteFacts,
    classify,
    classify_split,
)
from sourcewise.domain.cost import CostProjection, Savings
from sourcewise.domain.dimensions import Dimensions
from sourcewise.domain.fit import FiredRule, FitContext, PlacedSite, evaluate
from sourcewise.domain.location import CountryFacts, SiteRelation, working_overlap_hours
from sourcewise.domain.recommendation import OptionAssessment
from sourcewise.domain.scenario import (
    Company,
    DataSensitivity,
    DutyBasis,
    FunctionKind,
    FunctionProfile,
    Goals,
    GoodsProfile,
    GoodsTerms,
    Level,
    Option,
    Positioning,
    Site,
    TrackRecord,
)

# --- countries -------------------------------------------------------------------------------

HOME = CountryFacts(
    iso2="XH",
    name="Homeland",
    business_city="Home City",
    timezone="America/New_York",
    neighbours=frozenset({"XN"}),
    languages=("en", "es"),
    currency="XHD",
)
NEIGHBOUR = CountryFacts(
    iso2="XN",
    name="Neighbourland",
    business_city="Border Town",
    timezone="America/Mexico_City",
    neighbours=frozenset({"XH"}),
    languages=("es", "en"),
    currency="NBD",
)
FAR = CountryFacts(
    iso2="XF",
    name="Farland",
    business_city="Far City",
    timezone="Asia/Manila",
    neighbours=frozenset(),
    languages=("tl", "en"),
    currency="FAD",
)
CLOSE = CountryFacts(
    iso2="XC",
    name="Closeland",
    business_city="Close City",
    timezone="America/Sao_Paulo",
    neighbours=frozenset(),
    languages=("pt",),
    currency="CLD",
)
MID = CountryFacts(
    iso2="XM",
    name="Midland",
    business_city="Mid City",
    timezone="Europe/Lisbon",
    neighbours=frozenset(),
    languages=("pt", "en"),
    currency="MDD",
)
COUNTRIES = {c.iso2: c for c in (HOME, NEIGHBOUR, FAR, CLOSE, MID)}

GAP_FROM_HOME = {"XH": 0.0, "XN": -1.0, "XF": 13.0, "XC": 2.0, "XM": 5.0}
"""Fixed, invented working-time gaps (hours, work minus home) for the hand-made countries.

Neighbourland is a neighbour 1 h behind; Farland is far (no overlap); Closeland is not a
neighbour but only 2 h ahead (nearshore by time zone); Midland is 5 h ahead (3 h overlap, not
nearshore).
"""


def relation(
    work: CountryFacts,
    *,
    home: CountryFacts = HOME,
    gap: float | None = None,
    overlap: float | None = None,
) -> SiteRelation:
    """A SiteRelation with chosen numbers (defaults from GAP_FROM_HOME and a 9–17 day)."""
    gap = GAP_FROM_HOME[work.iso2] if gap is None else gap
    return SiteRelation(
        home=home,
        work=work,
        timezone_gap_hours=gap,
        overlap_hours=working_overlap_hours(gap) if overlap is None else overlap,
        neighbouring=work.iso2 in home.neighbours,
        shared_languages=tuple(lang for lang in home.languages if lang in work.languages),
    )


# --- scenario records ------------------------------------------------------------------------


def make_company(**overrides: Any) -> Company:
    values: dict[str, Any] = {
        "name": "Testco",
        "home_country": "XH",
        "currency": "XHD",
        "discount_rate": 0.0,
        "horizon_years": 1,
        "wage_inflation": 0.0,
    }
    values.update(overrides)
    return Company(**values)


def make_profile(**overrides: Any) -> FunctionProfile:
    """A function profile on which no fit rule has anything to say."""
    values: dict[str, Any] = {
        "name": "Customer service",
        "kind": FunctionKind.CUSTOMER_SERVICE,
        "fte": 10.0,
        "current_annual_cost": 120_000.0,
        "positioning": Positioning.COMMODITIZED,
        "expertise_in_house": True,
        "data_sensitivity": DataSensitivity.NONE,
        "ip_sensitivity": Level.LOW,
        "overlap_hours_needed": 0.0,
        "languages": (),
        "demand_volatility": Level.LOW,
        "goals": Goals(),
        "pilot_planned": True,
        "change_management_planned": True,
        "goods": None,
    }
    values.update(overrides)
    return FunctionProfile(**values)


def own_site(country: str = "XH", **overrides: Any) -> Site:
    """Own staff: 10 FTE at 12 000 a year each (10 000 a month), nothing else."""
    values: dict[str, Any] = {
        "employer": Employer.OWN,
        "country": country,
        "provider": "own staff",
        "fte": 10.0,
        "annual_cost_per_fte": 12_000.0,
        "hourly_rate": 0.0,
        "billable_hours_per_fte": 0.0,
        "monthly_fee": 0.0,
        "wage_inflation": 0.0,
        "governance_overhead": 0.0,
        "travel_per_year": 0.0,
    }
    values.update(overrides)
    return Site(**values)


def vendor_site(country: str = "XH", **overrides: Any) -> Site:
    """A third party: 5 FTE × 20/h × 1 800 h a year = 15 000 a month, proven track record."""
    values: dict[str, Any] = {
        "employer": Employer.THIRD_PARTY,
        "country": country,
        "provider": "Acme BPO",
        "fte": 5.0,
        "annual_cost_per_fte": 0.0,
        "hourly_rate": 20.0,
        "billable_hours_per_fte": 1_800.0,
        "monthly_fee": 0.0,
        "wage_inflation": 0.0,
        "governance_overhead": 0.0,
        "travel_per_year": 0.0,
        "track_record": TrackRecord.PROVEN,
    }
    values.update(overrides)
    return Site(**values)


def make_option(*sites: Site, **overrides: Any) -> Option:
    values: dict[str, Any] = {
        "name": "Option",
        "sites": sites,
        "setup_cost": 0.0,
        "transition_months": 0,
        "severance_cost": 0.0,
    }
    values.update(overrides)
    return Option(**values)


def goods_terms(**overrides: Any) -> GoodsTerms:
    values: dict[str, Any] = {
        "unit_price": 10.0,
        "packaging_per_unit": 0.5,
        "freight_per_unit": 1.0,
        "freight_per_kg": 0.5,
        "insurance_rate": 0.01,
        "duty_rate": 0.05,
        "duty_basis": DutyBasis.FOB,
    }
    values.update(overrides)
    return GoodsTerms(**values)


def goods_profile(units_per_year: float = 1_200.0, unit_weight_kg: float = 4.0) -> GoodsProfile:
    return GoodsProfile(units_per_year=units_per_year, unit_weight_kg=unit_weight_kg)


# --- placing sites and building fit contexts -------------------------------------------------


def site_facts(site: Site, rel: SiteRelation) -> SiteFacts:
    return SiteFacts(
        employer=site.employer,
        work_country=site.country,
        home_country=rel.home.iso2,
        facility_owner=site.facility_owner,
        transfer_month=site.transfer_month,
        timezone_gap_hours=rel.timezone_gap_hours,
        neighbouring=rel.neighbouring,
    )


def place(site: Site, work: CountryFacts | None = None, **relation_overrides: Any) -> PlacedSite:
    """Place a site in its hand-made country (or ``work``), classified the way the services do.

    ``work`` must carry the site's country code; pass ``home=`` and ``gap=`` for another home.
    """
    if work is None:
        work = COUNTRIES[site.country]
    assert work.iso2 == site.country, "the work country must be the site's country"
    rel = relation(work, **relation_overrides)
    return PlacedSite(site, classify(site_facts(site, rel)), rel)


def option_classification(placed: tuple[PlacedSite, ...]) -> Classification:
    if len(placed) == 1:
        return placed[0].classification
    return classify_split([(p.site.share, site_facts(p.site, p.relation)) for p in placed])


def make_context(
    profile: FunctionProfile,
    *sites: Site | PlacedSite,
    is_status_quo: bool = False,
    logistics_cost: float = 0.0,
    price_saving: float = 0.0,
) -> FitContext:
    placed = tuple(s if isinstance(s, PlacedSite) else place(s) for s in sites)
    return FitContext(
        profile=profile,
        option=make_option(*(p.site for p in placed)),
        classification=option_classification(placed),
        sites=placed,
        is_status_quo=is_status_quo,
        logistics_cost=logistics_cost,
        price_saving=price_saving,
    )


def status_quo_context(profile: FunctionProfile) -> FitContext:
    return make_context(profile, own_site(), is_status_quo=True)


def fired(context: FitContext, rule_id: str) -> list[FiredRule]:
    """The firings of one rule for this context (empty when it stays silent)."""
    return [f for f in evaluate(context) if f.rule == rule_id]


def weights(context: FitContext, rule_id: str) -> list[float]:
    return [f.weight for f in fired(context, rule_id)]


# --- reading reasons ------------------------------------------------------------------------


def says(text: str, *facts: str) -> bool:
    """Assert that every fact (name, number, seed phrase) appears in a reason or description.

    Reasons are worded freely around their facts and that wording is still being polished, so
    the tests pin the facts, not the sentences.
    """
    missing = [fact for fact in facts if fact not in text]
    assert not missing, f"{missing} not in {text!r}"
    return True


# --- assessments for the recommendation ------------------------------------------------------

PLAIN_DIMENSIONS = Dimensions("geography", "focus", "cost", "control", "risks")


def assessment(
    name: str,
    *,
    savings_share: float | None,
    fit_score: float = 0.0,
    site: Site | None = None,
    rules: tuple[FiredRule, ...] = (),
    break_even_month: int | None = 6,
    classification: Classification | None = None,
) -> OptionAssessment:
    """An assessment with a chosen savings share and fit score; ``None`` savings = status quo."""
    is_status_quo = savings_share is None
    placed = (place(site if site is not None else own_site()),)
    savings = (
        None
        if savings_share is None
        else Savings(
            npv_savings=savings_share * 100_000.0,
            savings_share=savings_share,
            price_savings_share=savings_share,
            break_even_month=break_even_month,
        )
    )
    return OptionAssessment(
        name=name,
        is_status_quo=is_status_quo,
        classification=classification or placed[0].classification,
        sites=placed,
        projection=CostProjection({"status_quo": np.zeros(12)}, 0.0),
        savings=savings,
        rules=rules,
        fit_score=fit_score,
        dimensions=PLAIN_DIMENSIONS,
    )


def with_share(site: Site, share: float) -> Site:
    return replace(site, share=share)
