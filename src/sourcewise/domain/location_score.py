"""Location score: how well a country suits a function, from sub-scores that explain themselves.

Each component maps a fact to 0–100 on a fixed, documented scale (never on the spread of the
countries that happen to be compared, so one country's new figure cannot reorder the others).
Components are weighted by the function: customer service weighs working-hour overlap and
language, data-sensitive work the GDPR transfer regime, goods the distance freight travels.

Missing data stays missing: a component without data is left out, the weights of the others
are scaled up to sum to one, and ``coverage`` reports the share of the intended weight that had
data. Below ``LOW_COVERAGE`` the score is flagged as resting on too little. A component that
does not apply (the GDPR transfer rules for a home outside the EEA) is left out too, but is
not missing data: coverage is over the components that apply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sourcewise.domain.location import TransferRegime
from sourcewise.domain.scenario import FunctionKind

LOW_COVERAGE = 0.6
WGI_DIMENSIONS = ("va", "pv", "ge", "rq", "rl", "cc")


class Component(StrEnum):
    COST = "cost"
    TALENT_AND_LANGUAGE = "talent and language"
    GOVERNANCE = "governance and political risk"
    ECONOMIC = "economic risk"
    DATA_TRANSFER = "data transfer"
    TIME_ZONE = "time-zone fit"
    INFRASTRUCTURE = "infrastructure"
    LOGISTICS = "logistics"


@dataclass(frozen=True, slots=True)
class Observed:
    """A value with where it came from."""

    value: float
    year: int | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class LocationFacts:
    """Everything the score reads about one country, relative to a home country."""

    iso2: str
    name: str
    price_level_ratio: Observed | None = None
    """World Bank PA.NUS.PPPC.RF: price level relative to the US (= 1)."""
    wgi: Mapping[str, Observed] = field(default_factory=dict)
    """WGI estimates by dimension (va, pv, ge, rq, rl, cc), about −2.5 … +2.5."""
    inflation_mean_pct: Observed | None = None
    """Mean yearly consumer-price inflation over the last five years, %."""
    fx_volatility: float | None = None
    """Annualised volatility of the exchange rate against the home currency (0.1 = 10%)."""
    internet_pct: Observed | None = None
    language_match: float | None = None
    """Share of the function's languages spoken in the country (0–1)."""
    english_share: float | None = None
    """Share of the population speaking English (0–1), used when no language is required."""
    population: int | None = None
    """Population, a proxy for the depth of the labour market (the talent pool)."""
    transfer_regime: TransferRegime = TransferRegime.NOT_GOVERNED
    overlap_mean_hours: float | None = None
    shared_working_day_share: float | None = None
    """Share of home working days on which the work country also works."""
    distance_km: float | None = None


@dataclass(frozen=True, slots=True)
class ComponentScore:
    component: Component
    score: float | None
    """0–100, or None when the country has no data for it."""
    weight: float
    """Weight after renormalisation over the components with data (0 when missing)."""
    explanation: str
    applies: bool = True
    """False when the component does not apply to this home country (not missing data)."""


@dataclass(frozen=True, slots=True)
class LocationScore:
    iso2: str
    name: str
    score: float | None
    coverage: float
    components: tuple[ComponentScore, ...]

    @property
    def low_coverage(self) -> bool:
        return self.coverage < LOW_COVERAGE

    def component(self, which: Component) -> ComponentScore:
        return next(c for c in self.components if c.component is which)


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def _linear(value: float, best: float, worst: float) -> float:
    """100 at ``best``, 0 at ``worst``, linear between, clipped."""
    return _clip(100.0 * (value - worst) / (best - worst))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _year(observed: Observed) -> str:
    return f" ({observed.year})" if observed.year is not None else ""


def score_cost(facts: LocationFacts) -> tuple[float | None, str]:
    ratio = facts.price_level_ratio
    if ratio is None:
        return None, "no price level ratio"
    score = _linear(ratio.value, best=0.2, worst=1.2)
    return score, (
        f"price level {ratio.value:.2f} of the US{_year(ratio)}; 0.2 scores 100, 1.2 scores 0"
    )


def score_talent_and_language(facts: LocationFacts) -> tuple[float | None, str]:
    """Mean of language fit and the size of the talent pool, where each is known.

    The pool is scored on the log of the population: 100 thousand people score 0, 100 million
    or more 100; a small territory cannot staff a large centre however cheap it is.
    """
    parts, words = [], []
    if facts.language_match is not None:
        parts.append(100.0 * facts.language_match)
        words.append(f"{facts.language_match:.0%} of the languages the function needs are spoken")
    elif facts.english_share is not None:
        parts.append(100.0 * facts.english_share)
        words.append(f"{facts.english_share:.0%} of the population speaks English")
    if facts.population:
        parts.append(_linear(math.log10(facts.population), best=8.0, worst=5.0))
        words.append(f"talent pool of {facts.population:,} people")
    mean = _mean(parts)
    if mean is None:
        return None, "no language or population data"
    return mean, "; ".join(words)


def score_governance(facts: LocationFacts) -> tuple[float | None, str]:
    estimates = [facts.wgi[d].value for d in WGI_DIMENSIONS if d in facts.wgi]
    mean = _mean(estimates)
    if mean is None:
        return None, "no World Bank governance indicators"
    years = {facts.wgi[d].year for d in WGI_DIMENSIONS if d in facts.wgi}
    year = f" ({max(y for y in years if y is not None)})" if years - {None} else ""
    return _linear(mean, best=2.5, worst=-2.5), (
        f"mean of {len(estimates)} WGI estimates {mean:+.2f}{year} on −2.5…+2.5"
    )


def score_economic(facts: LocationFacts) -> tuple[float | None, str]:
    parts, words = [], []
    inflation = facts.inflation_mean_pct
    if inflation is not None:
        parts.append(_linear(inflation.value, best=2.0, worst=20.0))
        words.append(f"5-year mean inflation {inflation.value:.1f}%")
    if facts.fx_volatility is not None:
        parts.append(_linear(facts.fx_volatility, best=0.0, worst=0.30))
        words.append(f"exchange-rate volatility {facts.fx_volatility:.1%} a year")
    mean = _mean(parts)
    if mean is None:
        return None, "no inflation or exchange-rate data"
    return mean, "; ".join(
        words
    ) + " (2% inflation and 0% volatility score 100; 20% and 30% score 0)"


_TRANSFER_SCORES = {
    TransferRegime.WITHIN_EEA: 100.0,
    TransferRegime.ADEQUACY: 85.0,
    TransferRegime.PARTIAL_ADEQUACY: 65.0,
    TransferRegime.SAFEGUARDS_NEEDED: 35.0,
}


def score_data_transfer(facts: LocationFacts) -> tuple[float | None, str]:
    regime = facts.transfer_regime
    if regime is TransferRegime.NOT_GOVERNED:
        return None, "home is outside the EEA: the GDPR transfer rules do not apply"
    return _TRANSFER_SCORES[regime], f"personal data transfer: {regime}"


def score_time_zone(facts: LocationFacts, needed_hours: float) -> tuple[float | None, str]:
    if facts.overlap_mean_hours is None:
        return None, "no working-hour overlap computed"
    need = max(needed_hours, 1.0)
    hours_score = 100.0 * min(1.0, facts.overlap_mean_hours / need)
    text = f"{facts.overlap_mean_hours:.1f} h mean daily overlap of {needed_hours:g} h needed"
    if facts.shared_working_day_share is None:
        return hours_score, text
    shared = facts.shared_working_day_share
    return 0.85 * hours_score + 15.0 * shared, f"{text}; {shared:.0%} of working days shared"


def score_infrastructure(facts: LocationFacts) -> tuple[float | None, str]:
    internet = facts.internet_pct
    if internet is None:
        return None, "no internet-use data"
    return _clip(
        internet.value
    ), f"{internet.value:.0f}% of people use the internet{_year(internet)}"


def score_logistics(facts: LocationFacts) -> tuple[float | None, str]:
    if facts.distance_km is None:
        return None, "no distance"
    return _linear(facts.distance_km, best=0.0, worst=15000.0), (
        f"{facts.distance_km:,.0f} km between business cities; 0 km scores 100, 15,000 km 0"
    )


_BASE = {
    Component.COST: 0.25,
    Component.TALENT_AND_LANGUAGE: 0.15,
    Component.GOVERNANCE: 0.15,
    Component.ECONOMIC: 0.10,
    Component.DATA_TRANSFER: 0.05,
    Component.TIME_ZONE: 0.15,
    Component.INFRASTRUCTURE: 0.15,
    Component.LOGISTICS: 0.0,
}

_PRESETS: Mapping[FunctionKind, Mapping[Component, float]] = {
    FunctionKind.CUSTOMER_SERVICE: {
        **_BASE,
        Component.TIME_ZONE: 0.25,
        Component.TALENT_AND_LANGUAGE: 0.25,
        Component.COST: 0.20,
        Component.GOVERNANCE: 0.10,
        Component.ECONOMIC: 0.05,
        Component.INFRASTRUCTURE: 0.10,
    },
    FunctionKind.IT_SUPPORT: {**_BASE, Component.TIME_ZONE: 0.20, Component.COST: 0.20},
    FunctionKind.SOFTWARE_DEVELOPMENT: {
        **_BASE,
        Component.TALENT_AND_LANGUAGE: 0.20,
        Component.COST: 0.20,
        Component.GOVERNANCE: 0.15,
        Component.DATA_TRANSFER: 0.10,
        Component.INFRASTRUCTURE: 0.10,
    },
    FunctionKind.MANUFACTURING: {
        Component.COST: 0.30,
        Component.LOGISTICS: 0.25,
        Component.GOVERNANCE: 0.15,
        Component.ECONOMIC: 0.15,
        Component.INFRASTRUCTURE: 0.05,
        Component.TIME_ZONE: 0.05,
        Component.TALENT_AND_LANGUAGE: 0.05,
        Component.DATA_TRANSFER: 0.0,
    },
}
_PRESETS = {**_PRESETS, FunctionKind.LOGISTICS: _PRESETS[FunctionKind.MANUFACTURING]}

SENSITIVE_DATA_EXTRA = 0.15
"""Weight added to the data-transfer component for work on personal or regulated data."""


def weights_for(kind: FunctionKind, sensitive_data: bool = False) -> dict[Component, float]:
    """The preset weights of a function kind, summing to one."""
    weights = dict(_PRESETS.get(kind, _BASE))
    if sensitive_data:
        weights[Component.DATA_TRANSFER] += SENSITIVE_DATA_EXTRA
    total = sum(weights.values())
    return {c: w / total for c, w in weights.items()}


def applies(component: Component, facts: LocationFacts) -> bool:
    """Whether the component applies to this home and work country at all: the GDPR transfer
    rules only for a home in the EEA. One that does not apply is not counted as missing data."""
    if component is Component.DATA_TRANSFER:
        return facts.transfer_regime is not TransferRegime.NOT_GOVERNED
    return True


def score_location(
    facts: LocationFacts, weights: Mapping[Component, float], needed_overlap_hours: float = 2.0
) -> LocationScore:
    """Weighted score over the components that have data, with every component explained."""
    raw = {
        Component.COST: score_cost(facts),
        Component.TALENT_AND_LANGUAGE: score_talent_and_language(facts),
        Component.GOVERNANCE: score_governance(facts),
        Component.ECONOMIC: score_economic(facts),
        Component.DATA_TRANSFER: score_data_transfer(facts),
        Component.TIME_ZONE: score_time_zone(facts, needed_overlap_hours),
        Component.INFRASTRUCTURE: score_infrastructure(facts),
        Component.LOGISTICS: score_logistics(facts),
    }
    applying = {c for c in raw if applies(c, facts)}
    wanted = sum(weights.get(c, 0.0) for c in applying)
    present = sum(weights.get(c, 0.0) for c, (s, _) in raw.items() if s is not None)
    components = tuple(
        ComponentScore(
            component=c,
            score=None if s is None else round(s, 1),
            weight=0.0 if s is None or present == 0 else weights.get(c, 0.0) / present,
            explanation=text,
            applies=c in applying,
        )
        for c, (s, text) in raw.items()
    )
    total = (
        None
        if present == 0
        else sum(cs.weight * cs.score for cs in components if cs.score is not None)
    )
    coverage = present / wanted if wanted else 0.0
    return LocationScore(
        iso2=facts.iso2,
        name=facts.name,
        score=None if total is None or math.isnan(total) else round(total, 1),
        coverage=round(coverage, 3),
        components=components,
    )
