"""Provider scorecards: metric scores (0–100) rolled up into weighted domains, a grade and a trend.

Conventions:

* A domain's score is the plain mean of its metric scores; the overall score is the weighted
  mean of the domains that have metrics, their weights renormalised to sum to 1. ``coverage`` is
  the share of the (normalised) weight that had data, so a 100 over 40 % coverage reads as such.
* No domain with data (or only zero-weight ones) gives ``overall`` and ``grade`` None.
* Grades use the usual school bands (A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F) on the score rounded
  to 9 decimals, so a float sum such as 89.99999999999999 for all-90 domains still grades A.

SLA compliance is a domain of its own (``service_levels``), scored from breaches rather than from
attainment, so that a repeated breach of a critical service level drags the grade even when the
other metrics hold up::

    compliance(m) = max(0, 100 − Σ_s points[kind(s)] × breaches_s(m))

where ``breaches_s(m)`` counts the months of the ``lookback_months`` ending with month ``m`` in
which service level ``s`` was breached, and ``points`` is what one breached month costs for the
level's kind (``DEFAULT_BREACH_POINTS``: 20 for a critical service level, 5 for a key
measurement). The domain has data in a month when at least one service level was judged in it.
Its weight (``DEFAULT_WEIGHTS``: 25 against the other domains' 100) and the points are
``ScorecardTerms``, set per engagement in its file. With the defaults, four months of one
critical breach (80 points) leave compliance at 20: a provider exactly on its targets elsewhere
(80 in every other domain) scores (100·80 + 25·100) / 125 = 84 without a breach, a B, and
(100·80 + 25·20) / 125 = 68 after those four months, a D.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

import numpy as np

from sourcewise.governance.kpis import Direction, ScorecardDomain
from sourcewise.governance.service_levels import ServiceLevelKind

DEFAULT_WEIGHTS: Mapping[ScorecardDomain, float] = MappingProxyType(
    {
        ScorecardDomain.QUALITY: 30.0,
        ScorecardDomain.DELIVERY: 25.0,
        ScorecardDomain.COST: 20.0,
        ScorecardDomain.RELATIONSHIP: 15.0,
        ScorecardDomain.RISK: 10.0,
        ScorecardDomain.SERVICE_LEVELS: 25.0,
    }
)
"""Relative weights (they need not sum to 100). Quality and delivery carry the service levels
the contract is about, so they lead; cost follows (savings are the usual reason to outsource),
then relationship and risk. SLA compliance weighs as much as delivery: it is what the contract
is enforced on, and the attainment of each level already counts in its KPI's domain."""

DOMAIN_NAMES: Mapping[ScorecardDomain, str] = MappingProxyType(
    {
        ScorecardDomain.QUALITY: "Quality",
        ScorecardDomain.DELIVERY: "Delivery",
        ScorecardDomain.COST: "Cost",
        ScorecardDomain.RELATIONSHIP: "Relationship",
        ScorecardDomain.RISK: "Risk",
        ScorecardDomain.SERVICE_LEVELS: "SLA compliance",
    }
)

DEFAULT_BREACH_POINTS: Mapping[ServiceLevelKind, float] = MappingProxyType(
    {ServiceLevelKind.CRITICAL: 20.0, ServiceLevelKind.KEY_MEASUREMENT: 5.0}
)
"""Compliance points one month of breach costs: a critical service level carries the credits
and the remedies, so it weighs four times a key measurement, which is only reported."""

DEFAULT_LOOKBACK_MONTHS = 6
"""Breaches are remembered half a year: long enough for a repeat to add up, short enough for a
provider that recovers to earn its grade back within two quarterly reviews."""

COMPLIANCE_FULL = 100.0

GRADE_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (90.0, "A"),
    (80.0, "B"),
    (70.0, "C"),
    (60.0, "D"),
)
FAIL_GRADE = "F"

SCORE_AT_BEST = 100.0
SCORE_AT_TARGET = 80.0
SCORE_AT_FLOOR = 0.0
FLOOR_MULTIPLE = 3.0
"""Default floor: the target missed by 3× the gap between target and best. Meeting the target is
a B (80); the headroom to best earns the last 20 points, and misses lose 80 points over a span
three times that headroom, so a miss costs points at a third of the rate headroom earns them."""


@dataclass(frozen=True, slots=True)
class ScorecardTerms:
    """How an engagement's provider is scored: domain weights (relative, ≥ 0, at least one
    positive), compliance points per breached month by service-level kind, and the months a
    breach is remembered."""

    # Plain dicts (copies of the read-only defaults): the in-memory store deep-copies records.
    weights: Mapping[ScorecardDomain, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    breach_points: Mapping[ServiceLevelKind, float] = field(
        default_factory=lambda: dict(DEFAULT_BREACH_POINTS)
    )
    lookback_months: int = DEFAULT_LOOKBACK_MONTHS

    def __post_init__(self) -> None:
        normalise_weights(self.weights)  # raises on a bad weight
        for kind, points in self.breach_points.items():
            ServiceLevelKind(kind)
            if not (math.isfinite(points) and 0.0 <= points <= COMPLIANCE_FULL):
                raise ValueError(f"breach points of {kind} must be in [0, 100], got {points}")
        if not 1 <= self.lookback_months <= 24:
            raise ValueError(f"lookback_months must be 1 to 24, got {self.lookback_months}")

    def __hash__(self) -> int:
        # Engagements are hashed (page caches); the mappings are compared by their items.
        return hash(
            (
                tuple(sorted(self.weights.items())),
                tuple(sorted(self.breach_points.items())),
                self.lookback_months,
            )
        )

    def points(self, kind: ServiceLevelKind) -> float:
        return float(self.breach_points.get(kind, 0.0))


def sla_compliance_score(
    breaches: Sequence[tuple[ServiceLevelKind, int]],
    breach_points: Mapping[ServiceLevelKind, float] = DEFAULT_BREACH_POINTS,
) -> float:
    """100 less the points of every breached month counted (see the module docstring).

    ``breaches``: per service level, its kind and the breached months in the lookback window.
    Never higher with more breaches, never below 0.
    """
    lost = 0.0
    for kind, months in breaches:
        if months < 0:
            raise ValueError(f"a count of breached months cannot be negative, got {months}")
        lost += float(breach_points.get(ServiceLevelKind(kind), 0.0)) * months
    return max(0.0, COMPLIANCE_FULL - lost)


def mean_weights(
    weights: Sequence[Mapping[ScorecardDomain, float]],
) -> dict[ScorecardDomain, float]:
    """The weights of a provider with several engagements: the mean of each one's normalised
    weights, so that every engagement counts alike whatever scale its file used."""
    if not weights:
        return normalise_weights()
    normalised = [normalise_weights(w) for w in weights]
    return {d: math.fsum(n[d] for n in normalised) / len(normalised) for d in ScorecardDomain}


@dataclass(frozen=True, slots=True)
class DomainScore:
    """One domain: mean metric score (None without metrics) and its weights.

    ``weight`` is the domain's share of all weights; ``effective_weight`` its share among the
    domains with data (0 when it has none), the one the overall score uses.
    """

    domain: ScorecardDomain
    score: float | None
    weight: float
    effective_weight: float
    metrics: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A provider's scorecard for one period.

    ``change`` is the overall score minus the previous period's, ``change_3_periods`` minus the
    one three periods earlier; None when either score is missing (set by scorecard_history).
    """

    provider: str
    period: date
    domains: tuple[DomainScore, ...]
    overall: float | None
    grade: str | None
    coverage: float
    change: float | None = None
    change_3_periods: float | None = None

    def domain(self, domain: ScorecardDomain) -> DomainScore:
        return next(d for d in self.domains if d.domain is ScorecardDomain(domain))


def attainment_score(
    value: float,
    target: float,
    direction: Direction | str,
    best: float,
    floor: float | None = None,
) -> float:
    """A KPI reading as a 0–100 score: piecewise linear through floor → 0, target → 80, best → 100.

    Clamped outside: 100 at or beyond ``best``, 0 at or beyond ``floor``. ``best`` must be
    strictly better than ``target``; ``floor`` (default: target − 3·(best − target), see
    FLOOR_MULTIPLE) strictly worse. Monotone in ``value``: never lower for a better reading.
    """
    for name, x in (("value", value), ("target", target), ("best", best), ("floor", floor)):
        if x is not None and not math.isfinite(x):
            raise ValueError(f"{name} must be finite, got {x}")
    # Orient so that higher is better; then floor < target < best.
    sign = 1.0 if Direction(direction) is Direction.HIGHER_IS_BETTER else -1.0
    v, t, b = sign * value, sign * target, sign * best
    if not b > t:
        raise ValueError(f"best ({best}) must be better than target ({target}) for {direction}")
    f = t - FLOOR_MULTIPLE * (b - t) if floor is None else sign * floor
    if not f < t:
        raise ValueError(f"floor ({floor}) must be worse than target ({target}) for {direction}")
    return float(np.interp(v, [f, t, b], [SCORE_AT_FLOOR, SCORE_AT_TARGET, SCORE_AT_BEST]))


def grade(score: float) -> str:
    """Letter grade for a 0–100 score (GRADE_THRESHOLDS)."""
    rounded = round(score, 9)
    return next((g for threshold, g in GRADE_THRESHOLDS if rounded >= threshold), FAIL_GRADE)


def normalise_weights(
    weights: Mapping[ScorecardDomain, float] | None = None,
) -> dict[ScorecardDomain, float]:
    """Weights for every domain summing to 1; domains missing from ``weights`` get 0."""
    raw = DEFAULT_WEIGHTS if weights is None else weights
    out = dict.fromkeys(ScorecardDomain, 0.0)
    for key, w in raw.items():
        domain = _domain(key)
        if not (math.isfinite(w) and w >= 0.0):
            raise ValueError(f"weight of {domain} must be a finite number ≥ 0, got {w}")
        out[domain] = float(w)
    total = math.fsum(out.values())
    if total <= 0.0:
        raise ValueError("at least one domain weight must be positive")
    return {d: w / total for d, w in out.items()}


def _domain(key: ScorecardDomain | str) -> ScorecardDomain:
    try:
        return ScorecardDomain(key)
    except ValueError:
        raise ValueError(
            f"unknown domain {key!r}; expected one of {[str(d) for d in ScorecardDomain]}"
        ) from None


def score_provider(
    provider: str,
    period: date,
    metrics: Mapping[ScorecardDomain, Sequence[float]],
    weights: Mapping[ScorecardDomain, float] | None = None,
) -> Scorecard:
    """Scorecard from metric scores already on the 0–100 scale (see attainment_score)."""
    norm = normalise_weights(weights)
    by_domain: dict[ScorecardDomain, list[float]] = {d: [] for d in ScorecardDomain}
    for key, scores in metrics.items():
        domain = _domain(key)
        for i, s in enumerate(scores):
            if not (math.isfinite(s) and 0.0 <= s <= 100.0):
                raise ValueError(f"{domain} metric {i} must be a score in [0, 100], got {s}")
        by_domain[domain].extend(float(s) for s in scores)
    means = {d: math.fsum(v) / len(v) for d, v in by_domain.items() if v}
    coverage = math.fsum(norm[d] for d in means)
    effective = {
        d: (norm[d] / coverage if d in means and coverage > 0 else 0.0) for d in ScorecardDomain
    }
    domains = tuple(
        DomainScore(d, means.get(d), norm[d], effective[d], len(by_domain[d]))
        for d in ScorecardDomain
    )
    overall = math.fsum(effective[d] * s for d, s in means.items()) if coverage > 0 else None
    return Scorecard(
        provider=provider,
        period=period,
        domains=domains,
        overall=overall,
        grade=None if overall is None else grade(overall),
        coverage=coverage,
    )


def _diff(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


def scorecard_history(
    provider: str,
    periods: Sequence[tuple[date, Mapping[ScorecardDomain, Sequence[float]]]],
    weights: Mapping[ScorecardDomain, float] | None = None,
) -> tuple[Scorecard, ...]:
    """One scorecard per period, oldest first, with the change vs 1 and 3 periods earlier.

    "Earlier" counts the periods given, whatever their spacing; dates must be distinct.
    """
    ordered = sorted(periods, key=lambda p: p[0])
    dates = [p for p, _ in ordered]
    if len(set(dates)) != len(dates):
        raise ValueError("each period may appear only once")
    cards = [score_provider(provider, p, m, weights) for p, m in ordered]
    overall = [c.overall for c in cards]
    return tuple(
        dataclasses.replace(
            c,
            change=_diff(overall[i], overall[i - 1]) if i >= 1 else None,
            change_3_periods=_diff(overall[i], overall[i - 3]) if i >= 3 else None,
        )
        for i, c in enumerate(cards)
    )
