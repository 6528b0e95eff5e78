"""Write a complete, valid scenario file from a few answers, with every cost estimated and
sourced.

The options cover the arrangements the user picked: domestic outsourcing (a vendor at home),
captive offshoring (an own centre in each candidate country) and offshore outsourcing (a vendor
there); in-house is the status quo the tool adds by itself. Each cost is an ``Estimate`` from
``services.cost_estimates`` written as a distribution with its ``source``, and a comment above it
says how it was made. The hidden costs of offshoring are left to the tool's defaults (ranges from
S. Overby, CIO Magazine, 2003), which the file's header lists. The text is validated with the
same parser as any scenario file before it is returned.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from sourcewise.adapters.country_table import load_countries

# The answers' model and its names, for the entrypoints (which reach adapters through services).
from sourcewise.adapters.scenario_answers import ARRANGEMENTS as ARRANGEMENTS
from sourcewise.adapters.scenario_answers import MAX_GIVEN as MAX_GIVEN
from sourcewise.adapters.scenario_answers import ArrangementChoice as ArrangementChoice
from sourcewise.adapters.scenario_answers import ScenarioAnswers as ScenarioAnswers
from sourcewise.adapters.scenario_answers import option_key as option_key
from sourcewise.domain import estimate_assumptions as assume
from sourcewise.domain.arrangement import Employer, SiteFacts, is_nearshore
from sourcewise.domain.assumptions import HIDDEN_COST_RANGES
from sourcewise.domain.estimates import Estimate, combine, span
from sourcewise.domain.location import GdprStatus, relate
from sourcewise.domain.scenario import FunctionKind, Scenario
from sourcewise.services.cost_estimates import (
    OEWS,
    CostEstimate,
    EstimateError,
    EstimateRequest,
    SiteEstimate,
    estimate_costs,
)
from sourcewise.services.scenarios import read_scenario_text

WORKING_DAY_HOURS = 8.0
OVERBY = 'S. Overby, "The hidden costs of offshore outsourcing", CIO Magazine, 2003'


class BuildError(ValueError):
    """Answers the builder cannot turn into a scenario; the message names the answer."""


@dataclass(frozen=True, slots=True)
class BuiltScenario:
    text: str
    """The scenario file, comments included."""
    scenario: Scenario
    estimate: CostEstimate
    options: tuple[str, ...]


def _kind_label(kind: FunctionKind) -> str:
    return kind.value.replace("_", " ").capitalize()


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{float(f'{value:.6g}'):g}"


def _dist(estimate: Estimate) -> str:
    def scalar(key: str, value: float | str) -> str:
        if isinstance(value, str):
            return value if key == "dist" else _q(value)
        return _number(value)

    fields = estimate.distribution()
    body = ", ".join(f"{key}: {scalar(key, value)}" for key, value in fields.items())
    return "{" + body + "}"


def _comment(text: str, indent: str) -> Iterator[str]:
    for line in textwrap.wrap(text, width=92 - len(indent)):
        yield f"{indent}# {line}"


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def comment(self, text: str, indent: str = "") -> None:
        self.lines.extend(_comment(text, indent))

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def estimate(self, name: str, estimate: Estimate, indent: str) -> None:
        if estimate.detail:
            self.comment(estimate.detail, indent)
        self.line(f"{indent}{name}: {_dist(estimate)}")


def _in_currency(estimate: Estimate, rate: float) -> Estimate:
    """A US$ assumption in the company currency."""
    if rate == 1.0:
        return estimate
    low, mode, high = (value * rate for value in estimate.ends())
    return Estimate(
        estimate.key,
        estimate.label,
        mode,
        low if estimate.uncertain else None,
        high if estimate.uncertain else None,
        unit=estimate.unit,
        source=f"{estimate.source} (US$ × {rate:g})"[:300],
        detail=estimate.detail,
    )


def _severance(
    answers: ScenarioAnswers, estimate: CostEstimate, leaving_to_vendor_at_home: bool
) -> Estimate:
    home = load_countries()[answers.home_country]
    if leaving_to_vendor_at_home and (home.gdpr is GdprStatus.EEA or answers.home_country == "GB"):
        return Estimate("severance_cost", "severance", 0.0, source=assume.TRANSFER_OF_UNDERTAKING)
    weeks = assume.severance_weeks(answers.home_country)
    tenure = assume.tenure_years()
    pay = estimate.home.pay
    return combine(
        "severance_cost",
        "severance for the staff whose jobs end",
        lambda p, w, t: answers.fte * p / 52 * w * t,
        (pay, weeks, tenure),
        unit="one-off",
        source=f"{answers.fte:g} FTE × weekly pay × {span(weeks)} weeks per year of service × "
        f"{span(tenure)} years ({weeks.source})"[:300],
    )


def _natural_overlap(home: str, country: str) -> float:
    countries = load_countries()
    gap = abs(relate(countries[home], countries[country]).timezone_gap_hours)
    return max(0.0, WORKING_DAY_HOURS - gap)


def _near(home: str, country: str) -> bool:
    countries = load_countries()
    relation = relate(countries[home], countries[country])
    facts = SiteFacts(
        Employer.OWN,
        country,
        home,
        timezone_gap_hours=relation.timezone_gap_hours,
        neighbouring=relation.neighbouring,
    )
    return is_nearshore(facts)


def _hours(w: _Writer, answers: ScenarioAnswers, site: SiteEstimate, indent: str) -> None:
    natural = _natural_overlap(answers.home_country, site.country)
    if answers.overlap_hours_needed > natural:
        w.comment(
            f"{site.country_name}'s business day overlaps home hours by about {natural:g} h; "
            f"{answers.overlap_hours_needed:g} h are needed, so the team works home hours "
            "(a shifted or night shift: check local night-work premiums).",
            indent,
        )
        w.line(f"{indent}follows_home_hours: true")


def _option_common(
    w: _Writer, estimate: CostEstimate, site: SiteEstimate, answers: ScenarioAnswers, indent: str
) -> None:
    w.estimate("wage_inflation", site.wage_inflation, indent)
    abroad = site.country != answers.home_country
    travel = assume.travel_per_year(abroad, _near(answers.home_country, site.country))
    w.estimate("travel_per_year", _in_currency(travel, estimate.usd_rate), indent)
    w.comment(assume.TRANSITION_SOURCE, indent)
    w.line(f"{indent}transition_months: {assume.transition_months(estimate.kind)}")


def _vendor(
    w: _Writer, estimate: CostEstimate, site: SiteEstimate, answers: ScenarioAnswers
) -> str:
    indent = "        "
    home = site.country == answers.home_country
    where = "domestic outsourcing" if home else "offshore outsourcing"
    name = f"{site.country_name} vendor ({where})"
    w.line(f"      - name: {_q(name)}")
    w.line(f"{indent}employer: third_party")
    w.line(f"{indent}country: {site.country}")
    w.line(f"{indent}provider: {_q(f'{site.country_name} vendor (to be selected)')}")
    w.comment(
        f"Estimated rate: {site.hourly_rate.source}. Replace it with the vendor's quote.", indent
    )
    if site.rate_card is not None:
        w.comment(f"Compare: {site.rate_card.source}.", indent)
    w.estimate("hourly_rate", site.hourly_rate, indent)
    _option_common(w, estimate, site, answers, indent)
    w.estimate(
        "setup_cost", _in_currency(assume.vendor_setup(answers.fte), estimate.usd_rate), indent
    )
    # The set-up estimate includes the knowledge transfer: the transition default would count
    # it twice.
    w.comment("Knowledge transfer is in setup_cost: no transition default on top.", indent)
    w.line(f"{indent}transition_share: 0")
    w.estimate("severance_cost", _severance(answers, estimate, home), indent)
    if not home:
        _hours(w, answers, site, indent)
    w.line(f"{indent}notes: {_q(f'{where.capitalize()}: a third party in {site.country_name}.')}")
    return name


def _captive(
    w: _Writer, estimate: CostEstimate, site: SiteEstimate, answers: ScenarioAnswers
) -> str:
    indent = "        "
    name = f"Own centre in {site.country_name} (captive offshoring)"
    w.line(f"      - name: {_q(name)}")
    w.line(f"{indent}employer: own")
    w.line(f"{indent}country: {site.country}")
    w.line(f"{indent}provider: {_q(f'own centre, {site.country_name}')}")
    if site.national_average is not None and site.role_factor is not None:
        w.comment(f"Pay: {site.national_average.source}.", indent)
        w.comment(f"Role factor: {site.role_factor.source}. {site.role_factor.detail}", indent)
    w.comment(f"Loads: {site.benefits_load.source}. Seat: {site.seat_cost.source}.", indent)
    w.estimate("annual_cost_per_fte", site.cost_per_fte, indent)
    _option_common(w, estimate, site, answers, indent)
    if site.attrition is not None:
        w.estimate("attrition_rate", site.attrition, indent)
        w.estimate("replacement_cost_share", assume.replacement_cost(estimate.kind), indent)
    else:
        w.comment(
            f"No published attrition figure for {site.country_name} in sourcewise: add "
            "attrition_rate and replacement_cost_share when known.",
            indent,
        )
    w.estimate(
        "setup_cost", _in_currency(assume.captive_setup(answers.fte), estimate.usd_rate), indent
    )
    w.estimate("severance_cost", _severance(answers, estimate, False), indent)
    _hours(w, answers, site, indent)
    w.line(f"{indent}notes: {_q(f'Captive offshoring: own staff in {site.country_name}.')}")
    return name


def _header(w: _Writer, answers: ScenarioAnswers, estimate: CostEstimate, today: dt.date) -> None:
    w.comment(
        f"{answers.company}: a first scenario written by sourcewise's scenario builder "
        f"(`sourcewise scenario new` or the web app's guided builder) on {today.isoformat()}."
    )
    w.line("#")
    w.comment(
        "Every cost below is a first estimate with its source: replace any of them with a quote "
        "or the company's own figure, and say so in its `source`. Amounts are per year in "
        f"{estimate.currency} unless a field says otherwise (hourly_rate per billed hour). Pay "
        f"is at {estimate.price_year} prices or the latest earlier year with data; US$ amounts "
        f"are converted at {estimate.usd_rate:g} {estimate.currency} per US$."
    )
    role = estimate.occupation
    w.comment(f"Role: {role.soc_code} {role.title} ({OEWS} occupation).")
    w.line("#")
    w.comment(
        "Hidden costs the tool adds by itself where this file gives no number (ranges from "
        f"{OVERBY}; modes are sourcewise assumptions):"
    )
    for key, text in (
        ("vendor_selection_share", "vendor selection, share of the first year's fees"),
        ("coordination_loss", "lost productivity and cultural issues abroad"),
        ("rework_share", "improving processes and rework with a vendor abroad"),
        ("governance_overhead", "managing the contract offshore"),
    ):
        low, mode, high = HIDDEN_COST_RANGES[key]
        w.line(f"#   {text}: {low:.1%}-{high:.0%}, mode {mode:.0%}")
    w.line("")


def country_choices() -> list[tuple[str, str]]:
    """(ISO code, name) of every country the builder knows, by name: a form's choices."""
    return sorted(((c.iso2, c.name) for c in load_countries().values()), key=lambda c: c[1])


def planned_options(answers: ScenarioAnswers) -> list[tuple[ArrangementChoice, str]]:
    """(arrangement, country) of every option the answers ask for, in the file's order, but
    those ``exclude_options`` leaves out: domestic outsourcing at home, then per candidate
    country captive offshoring and offshore outsourcing."""
    home = answers.home_country
    chosen = answers.arrangements
    found: list[tuple[ArrangementChoice, str]] = []
    if "domestic_outsourcing" in chosen:
        found.append(("domestic_outsourcing", home))
    for country in (c for c in answers.countries if c != home):
        abroad: tuple[ArrangementChoice, ...] = ("captive_offshoring", "offshore_outsourcing")
        found.extend((arrangement, country) for arrangement in abroad if arrangement in chosen)
    left_out = set(answers.exclude_options)
    return [(a, c) for a, c in found if option_key(a, c) not in left_out]


def _options(
    answers: ScenarioAnswers, estimate: CostEstimate
) -> Iterator[tuple[ArrangementChoice, SiteEstimate]]:
    for arrangement, country in planned_options(answers):
        yield arrangement, estimate.site(country)


def build_scenario(answers: ScenarioAnswers, today: dt.date | None = None) -> BuiltScenario:
    """The scenario file for ``answers``; :class:`BuildError` names an answer it cannot use."""
    home = answers.home_country
    abroad = [c for c in answers.countries if c != home]
    wants_abroad = {"captive_offshoring", "offshore_outsourcing"} & set(answers.arrangements)
    if wants_abroad and not abroad:
        raise BuildError(
            "countries: captive offshoring and offshore outsourcing need at least one candidate "
            "country other than the home country"
        )
    if not wants_abroad and "domestic_outsourcing" not in answers.arrangements:
        raise BuildError("arrangements: choose at least one")
    if not planned_options(answers):
        raise BuildError(
            "exclude_options: every option is left out; keep at least one to compare with in-house"
        )
    given = dict(answers.given)
    if answers.current_annual_cost is not None:
        given["current_annual_cost"] = answers.current_annual_cost
    try:
        estimate = estimate_costs(
            EstimateRequest(
                home=home,
                countries=tuple(abroad),
                fte=answers.fte,
                kind=answers.kind,
                role=answers.role,
                currency=answers.currency,
                given=given,
            )
        )
    except EstimateError as error:
        raise BuildError(str(error)) from error
    w = _Writer()
    _header(w, answers, estimate, today or dt.date.today())
    w.line("version: 1")
    w.line("")
    w.line("company:")
    w.line(f"  name: {_q(answers.company)}")
    w.line(f"  home_country: {home}")
    w.line(f"  currency: {estimate.currency}")
    w.comment("Assumption: the company's cost of capital; replace it with its WACC.", "  ")
    w.line(f"  discount_rate: {_number(answers.discount_rate)}")
    w.line(f"  horizon_years: {answers.horizon_years}")
    w.estimate("wage_inflation", estimate.home.wage_inflation, "  ")
    w.line("")
    w.line("functions:")
    name = answers.function_name or _kind_label(answers.kind)
    w.line(f"  - name: {_q(name)}")
    w.line(f"    kind: {answers.kind.value}")
    w.line(f"    fte: {_number(answers.fte)}")
    if not estimate.current_annual_cost.given:
        w.comment(
            f"Estimated: {estimate.current_annual_cost.source}; cost per FTE: "
            f"{estimate.home.cost_per_fte.source}; pay: {estimate.home.pay.source}.",
            "    ",
        )
    w.estimate("current_annual_cost", estimate.current_annual_cost, "    ")
    w.line(f"    positioning: {answers.positioning.value}")
    w.line(f"    expertise_in_house: {str(answers.expertise_in_house).lower()}")
    w.line(f"    data_sensitivity: {answers.data_sensitivity.value}")
    w.line(f"    ip_sensitivity: {answers.ip_sensitivity.value}")
    w.line(f"    overlap_hours_needed: {_number(answers.overlap_hours_needed)}")
    w.line(f"    languages: [{', '.join(answers.languages)}]")
    w.line(f"    demand_volatility: {answers.demand_volatility.value}")
    w.line(f"    pilot_planned: {str(answers.pilot_planned).lower()}")
    w.line(f"    change_management_planned: {str(answers.change_management_planned).lower()}")
    w.line("    options:")
    names: list[str] = []
    for arrangement, site in _options(answers, estimate):
        write = _captive if arrangement == "captive_offshoring" else _vendor
        names.append(write(w, estimate, site, answers))
    text = "\n".join(w.lines) + "\n"
    scenario, problems = read_scenario_text(text, "<scenario new>")
    if scenario is None:
        listed = "; ".join(str(p) for p in problems[:5])
        raise BuildError(f"the written scenario does not validate: {listed}")
    return BuiltScenario(text, scenario, estimate, tuple(names))
