"""Strategic fit: the articles' "when to choose outsourcing / offshoring" criteria as rules.

Each rule reads the function profile and one option and may fire, supporting or cautioning
against the option with a weight and a reason. Every rule carries the passage it encodes and
the article it comes from (``domain.articles``), so a reader can check that the product says
what the sources say. Rules about a site (time
zone, language, data crossing a border) are weighted by that site's share of the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from sourcewise.domain.arrangement import Arrangement, Classification, Employer
from sourcewise.domain.articles import Article, article
from sourcewise.domain.location import WORKDAY_HOURS, SiteRelation, TransferRegime
from sourcewise.domain.location_score import Component, LocationScore
from sourcewise.domain.scenario import (
    DataSensitivity,
    FunctionProfile,
    Level,
    Option,
    Positioning,
    Site,
    TrackRecord,
)

COMMON_SHARE = 0.5
"""A language spoken by at least half the population (or official) is taken as available."""
MINORITY_SHARE = 0.1
"""Spoken by 10–50%: staff can be found but must be selected for it (half a caution)."""

SECURITY_CERTIFICATIONS = frozenset({"ISO27001", "SOC2", "ISO27701", "PCI-DSS"})


class Stance(StrEnum):
    SUPPORTS = "supports"
    CAUTIONS = "cautions"


@dataclass(frozen=True, slots=True)
class Citation:
    seed: str
    """The article's file number, e.g. '000' for 000_*.txt (``domain.articles``)."""
    passage: str

    @property
    def article(self) -> Article:
        """The article quoted, to name as a reader would."""
        return article(self.seed)


@dataclass(frozen=True, slots=True)
class FiredRule:
    rule: str
    title: str
    stance: Stance
    weight: float
    """Positive when the rule supports the option, negative when it cautions."""
    reason: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class PlacedSite:
    site: Site
    classification: Classification
    relation: SiteRelation
    location: LocationScore | None = None
    """The work country's location score, when location data was looked up."""

    @property
    def overlap_hours(self) -> float:
        """Shared working hours a day with home, given the site's shift pattern."""
        if self.site.follows_home_hours:
            return float(WORKDAY_HOURS)
        return self.relation.overlap_hours


@dataclass(frozen=True, slots=True)
class FitContext:
    profile: FunctionProfile
    option: Option
    classification: Classification
    sites: tuple[PlacedSite, ...]
    is_status_quo: bool = False
    logistics_cost: float = 0.0
    """NPV of freight, insurance, duty and packaging for goods made elsewhere."""
    price_saving: float = 0.0
    """NPV of the status quo minus the NPV of the price alone (labour, fees, unit price)."""

    @property
    def uses_third_party(self) -> bool:
        return any(p.site.employer is Employer.THIRD_PARTY for p in self.sites)

    @property
    def all_own_staff(self) -> bool:
        return all(p.site.employer is Employer.OWN for p in self.sites)

    @property
    def moves_work(self) -> bool:
        return not self.is_status_quo

    @property
    def third_party_share(self) -> float:
        return sum(p.site.share for p in self.sites if p.site.employer is Employer.THIRD_PARTY)

    @property
    def abroad_share(self) -> float:
        return sum(p.site.share for p in self.sites if p.relation.abroad)


# A check yields (weight, reason) pairs; the sign of the weight gives the stance.
Check = Callable[[FitContext], Iterator[tuple[float, str]]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    citation: Citation
    check: Check


RULES: list[Rule] = []


def rule(rule_id: str, title: str, seed: str, passage: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, title, Citation(seed, passage), check))
        return check

    return register


def evaluate(context: FitContext) -> list[FiredRule]:
    """Every rule that fires for this option, in rule order."""
    fired = []
    for r in RULES:
        for raw_weight, reason in r.check(context):
            weight = round(raw_weight, 2)
            if weight == 0:
                continue  # a finding too small to show, e.g. on a tiny share of the work
            stance = Stance.SUPPORTS if weight > 0 else Stance.CAUTIONS
            fired.append(FiredRule(r.id, r.title, stance, weight, reason, r.citation))
    return fired


def quoted_articles() -> tuple[Article, ...]:
    """The articles the rules quote, each once, in number order."""
    return tuple(article(number) for number in sorted({r.citation.seed for r in RULES}))


def fit_score(fired: list[FiredRule]) -> float:
    return round(sum(f.weight for f in fired), 2)


def _where(placed: PlacedSite) -> str:
    return f"{placed.site.provider} in {placed.relation.work.name}"


@rule(
    "expertise",
    "Expertise not available in-house",
    "000",
    "You need specialized expertise or services not available internally.",
)
def _expertise(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if ctx.profile.expertise_in_house:
        return
    if ctx.uses_third_party:
        yield 2.0 * ctx.third_party_share, "The expertise is not in-house; a provider brings it."
    else:
        yield -1.0, "The expertise is not in-house, so an own team has to be hired and built up."


@rule(
    "onshore-savings",
    "Reduce cost without relocating overseas",
    "000",
    "You want to reduce costs and streamline operations without relocating them overseas.",
)
def _onshore(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if not ctx.profile.goals.avoid_relocation:
        return
    if ctx.abroad_share > 0:
        yield (
            -2.0 * ctx.abroad_share,
            "The goal is to avoid relocating overseas; this moves work abroad.",
        )
    elif ctx.uses_third_party:
        yield 2.0, "Saves through a provider while the work stays in the home country."


@rule(
    "flexibility",
    "Scale up or down with demand",
    "000",
    "You prefer flexibility to scale services up or down based on project demands.",
)
def _flexibility(ctx: FitContext) -> Iterator[tuple[float, str]]:
    volatility = ctx.profile.demand_volatility
    if volatility is Level.LOW:
        return
    strength = 2.0 if volatility is Level.HIGH else 1.0
    if ctx.uses_third_party:
        yield (
            strength * ctx.third_party_share,
            f"Demand volatility is {volatility}; a provider's capacity flexes "
            "without restructuring.",
        )
    elif volatility is Level.HIGH:
        yield -1.0, "Demand volatility is high; an own payroll is a fixed cost when demand drops."


@rule(
    "non-core",
    "Delegate non-core work to focus on core",
    "000",
    "You aim to delegate non-core functions so your internal team can focus on strategy "
    "and growth.",
)
def _non_core(ctx: FitContext) -> Iterator[tuple[float, str]]:
    profile = ctx.profile
    if profile.positioning is Positioning.COMMODITIZED and profile.goals.focus_on_core:
        if ctx.uses_third_party:
            yield (
                2.0 * ctx.third_party_share,
                "A commoditized function handed to a provider frees the team for the core.",
            )
        else:
            yield -1.0, "The goal is to focus on the core, but own staff keep this non-core work."


@rule(
    "strategic",
    "Strategic versus commoditized",
    "003",
    "Clarify which functions are strategic versus commoditized. … firms should protect "
    "strategic IP and customer-facing decisions.",
)
def _strategic(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if ctx.profile.positioning is not Positioning.STRATEGIC:
        return
    if ctx.uses_third_party:
        yield (
            -2.0 * ctx.third_party_share,
            "A strategic function goes to a third party: control over it is given up.",
        )
    else:
        yield 1.0, "A strategic function stays with own staff."


@rule(
    "talent-pool",
    "Expand internationally into a talent pool",
    "000",
    "You’re ready to expand operations internationally to tap into a skilled and "
    "cost-effective talent pool.",
)
def _talent_pool(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if ctx.profile.goals.expand_internationally and ctx.abroad_share > 0:
        yield 2.0 * ctx.abroad_share, "The goal is international expansion; this puts work abroad."


@rule(
    "long-term-abroad",
    "Long-term operations abroad",
    "000",
    "You want to establish long-term operations abroad rather than rely solely on "
    "third-party providers.",
)
def _long_term(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if not ctx.profile.goals.long_term_presence_abroad:
        return
    for placed in ctx.sites:
        if not placed.relation.abroad:
            continue
        share = placed.site.share
        if placed.site.employer is Employer.OWN:
            yield 2.0 * share, f"{_where(placed)}, your own centre, is a long-term presence abroad."
        elif placed.classification.build_operate_transfer:
            yield 1.0 * share, f"{_where(placed)} transfers to you: a path to presence abroad."
        else:
            yield -1.0 * share, f"{_where(placed)} relies solely on a third-party provider."


@rule(
    "oversight",
    "Direct oversight of the teams",
    "000",
    "You need to scale quickly while maintaining direct oversight of your teams.",
)
def _oversight(ctx: FitContext) -> Iterator[tuple[float, str]]:
    goals = ctx.profile.goals
    if goals.direct_oversight:
        if ctx.uses_third_party:
            yield (
                -2.0 * ctx.third_party_share,
                "Direct oversight is needed, but a provider manages these workers.",
            )
        else:
            yield 2.0, "Direct oversight is needed and your own staff do the work."
    if goals.scale_quickly and ctx.abroad_share > 0 and ctx.all_own_staff:
        yield 1.0, "Scales quickly abroad while the teams stay your own."


@rule(
    "data-third-party",
    "Sensitive data shared with a provider",
    "000",
    "Sharing sensitive company data with third-party providers can expose businesses to "
    "cybersecurity risks.",
)
def _data_third_party(ctx: FitContext) -> Iterator[tuple[float, str]]:
    sensitivity = ctx.profile.data_sensitivity
    if sensitivity is DataSensitivity.NONE:
        return
    base = 1.0 if sensitivity is DataSensitivity.PERSONAL else 2.0
    for placed in ctx.sites:
        if placed.site.employer is not Employer.THIRD_PARTY:
            continue
        certified = sorted(SECURITY_CERTIFICATIONS.intersection(placed.site.certifications))
        weight = base - (0.5 if certified else 0.0)
        note = (
            f" ({', '.join(certified)} certified)" if certified else " (no security certification)"
        )
        yield (
            -weight * placed.site.share,
            f"{sensitivity.value.replace('_', '-').capitalize()} data is shared with "
            f"{_where(placed)}{note}.",
        )


@rule(
    "data-cross-border",
    "Sensitive data crosses a border",
    "003",
    "Offshoring adds layers of coordination: language compatibility, cross-border IP "
    "protection, and data security frameworks.",
)
def _data_border(ctx: FitContext) -> Iterator[tuple[float, str]]:
    sensitivity = ctx.profile.data_sensitivity
    if sensitivity is DataSensitivity.NONE:
        return
    base = 1.0 if sensitivity is DataSensitivity.PERSONAL else 2.0
    data = sensitivity.value.replace("_", "-").capitalize()
    for placed in ctx.sites:
        relation = placed.relation
        if not relation.abroad:
            continue
        where = relation.work.name
        regime = relation.transfer_regime
        if regime is TransferRegime.WITHIN_EEA:
            continue  # the GDPR applies on both sides: no transfer mechanism is needed
        if regime is TransferRegime.ADEQUACY:
            factor, why = 0.5, f"{where} has an EU adequacy decision"
        elif regime is TransferRegime.PARTIAL_ADEQUACY:
            scope = relation.work.gdpr_scope
            factor, why = 0.75, f"the EU adequacy decision for {where} covers only {scope}"
        elif regime is TransferRegime.SAFEGUARDS_NEEDED:
            factor = 1.0
            why = f"{where} has no EU adequacy decision: SCCs or BCRs are needed"
        else:
            factor, why = 1.0, "a data security framework for the transfer is needed"
        yield -base * factor * placed.site.share, f"{data} data is transferred to {where}; {why}."


@rule(
    "ip",
    "Intellectual property exposure",
    "003",
    "In outsourcing scenarios, vendors may bring process improvements and new capabilities, "
    "but firms should protect strategic IP and customer-facing decisions.",
)
def _ip(ctx: FitContext) -> Iterator[tuple[float, str]]:
    level = ctx.profile.ip_sensitivity
    if level is Level.LOW or not ctx.uses_third_party:
        return
    weight = 2.0 if level is Level.HIGH else 1.0
    yield (
        -weight * ctx.third_party_share,
        f"IP sensitivity is {level} and a third party handles it.",
    )


@rule(
    "time-zones",
    "Working-hour overlap with home",
    "000",
    "Managing operations across multiple time zones can lead to delays in decision-making "
    "and communication.",
)
def _time_zones(ctx: FitContext) -> Iterator[tuple[float, str]]:
    needed = ctx.profile.overlap_hours_needed
    for placed in ctx.sites:
        relation = placed.relation
        if not relation.abroad:
            continue
        have = placed.overlap_hours
        gap = f"{relation.timezone_gap_hours:+g} h"
        if placed.site.follows_home_hours:
            gap += ", working home hours"
        if have + 1e-9 < needed:
            weight = 2.0 if have < needed / 2 else 1.0
            yield (
                -weight * placed.site.share,
                f"{relation.work.name} is {gap} from home: {have:g} of the {needed:g} overlap "
                "hours needed.",
            )
        elif placed.classification.nearshore:
            yield (
                1.0 * placed.site.share,
                f"{relation.work.name} is nearshore ({gap}): {have:g} h of shared working time.",
            )


@rule(
    "language",
    "Language and culture",
    "000",
    "Differences in language and cultural norms can lead to misunderstandings and lower "
    "product or service quality.",
)
def _language(ctx: FitContext) -> Iterator[tuple[float, str]]:
    needed = ctx.profile.languages
    if not needed:
        return
    for placed in ctx.sites:
        if placed.site.employer is Employer.OWN and not placed.relation.abroad:
            continue  # today's own team at home already serves in the languages needed
        if placed.site.languages is not None:  # the provider states what it delivers in
            missing = [lang for lang in needed if lang not in placed.site.languages]
            partial: list[tuple[str, float]] = []
        else:
            country = placed.relation.work
            shares = {lang: country.staffing_share(lang) for lang in needed}
            missing = [lang for lang, share in shares.items() if share < MINORITY_SHARE]
            partial = [
                (lang, s) for lang, s in shares.items() if MINORITY_SHARE <= s < COMMON_SHARE
            ]
        deficit = len(missing) + 0.5 * len(partial)
        if deficit == 0:
            continue
        # Every needed language missing weighs 2; one of two missing weighs 1 (as before).
        weight = min(2.0, 2.0 * deficit / len(needed)) if len(needed) > 1 else 2.0 * deficit
        words = []
        if missing:
            works_in = placed.site.languages or placed.relation.work.languages
            words.append(
                f"{', '.join(missing)} is not commonly spoken by {_where(placed)}, which works "
                f"in {', '.join(works_in) or 'no recorded language'}"
            )
        if partial:
            spoken = ", ".join(f"{share:.0%} speak {lang}" for lang, share in partial)
            words.append(f"in {placed.relation.work.name} only {spoken}")
        yield -weight * placed.site.share, "Needed languages: " + "; ".join(words) + "."


@rule(
    "political-economic",
    "Political, currency and regulatory risk",
    "000",
    "Offshoring introduces risks related to changing political climates, currency "
    "fluctuations, and regulatory changes.",
)
def _political(ctx: FitContext) -> Iterator[tuple[float, str]]:
    """Weight 1 without country data; with it, 0.5 for the best governed and most stable
    economies up to 1.5 for the worst (the mean of the governance and economic sub-scores)."""
    for placed in ctx.sites:
        relation = placed.relation
        if not relation.abroad:
            continue
        kinds = "political, currency and" if not relation.same_currency else "political and"
        text = f"Work in {relation.work.name} is exposed to {kinds} regulatory change"
        weight, facts = 1.0, []
        if placed.location is not None:
            parts = [
                placed.location.component(c) for c in (Component.GOVERNANCE, Component.ECONOMIC)
            ]
            known = [p for p in parts if p.score is not None]
            if known:
                risk = 1.0 - sum(p.score or 0.0 for p in known) / (100.0 * len(known))
                weight = 0.5 + risk
                facts = [p.explanation.split(" (")[0] for p in known]
        detail = f": {'; '.join(facts)}." if facts else "."
        yield -weight * placed.site.share, text + detail


@rule(
    "pilot",
    "Pilot before scaling",
    "003",
    "Start with a pilot project to validate assumptions before scaling.",
)
def _pilot(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if ctx.moves_work and not ctx.profile.pilot_planned:
        yield -1.0, "No pilot is planned to validate the assumptions before scaling."


@rule(
    "change-management",
    "Change management",
    "003",
    "Invest in change management: training, culture, and transparent communication.",
)
def _change(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if ctx.moves_work and not ctx.profile.change_management_planned:
        yield -1.0, "No change management (training, communication) is planned for the move."


@rule(
    "partner-track-record",
    "Partner with a proven track record",
    "003",
    "Choose partners with proven track records, especially in governance and data security.",
)
def _track_record(ctx: FitContext) -> Iterator[tuple[float, str]]:
    weights = {TrackRecord.PROVEN: 1.0, TrackRecord.UNKNOWN: -0.5, TrackRecord.UNPROVEN: -2.0}
    for placed in ctx.sites:
        if placed.site.employer is Employer.THIRD_PARTY:
            record = placed.site.track_record
            yield (
                weights[record] * placed.site.share,
                f"{placed.site.provider}'s track record is {record}.",
            )


@rule(
    "hybrid",
    "Hybrid approach",
    "000",
    "In practice, the most successful organizations use a hybrid approach, blending "
    "outsourcing for specialized functions with offshoring for core operations.",
)
def _hybrid(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if ctx.classification.arrangement is Arrangement.HYBRID:
        yield 1.0, "Blends arrangements, keeping options open on cost and control."


@rule(
    "freight-eats-savings",
    "Freight against labour savings",
    "002",
    "for you to factor in the freight cost to ship back to US, if the freight equals savings "
    "from cheap labor might as well outsource in the US",
)
def _freight(ctx: FitContext) -> Iterator[tuple[float, str]]:
    if not ctx.profile.is_goods or ctx.is_status_quo or ctx.logistics_cost <= 0:
        return
    if ctx.price_saving <= 0:
        yield -2.0, "The price is no lower than making it at home, before freight and duty."
        return
    eaten = ctx.logistics_cost / ctx.price_saving
    if eaten >= 1.0:
        yield -2.0, f"Freight, insurance and duty ({eaten:.0%} of the price saving) eat the saving."
    elif eaten >= 0.5:
        yield -1.0, f"Freight, insurance and duty take {eaten:.0%} of the price saving."
