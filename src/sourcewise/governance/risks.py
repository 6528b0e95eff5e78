"""The risk register: categories, 5×5 scoring, risks with their triggers, and change history.

Scoring follows the common 5×5 risk matrix: likelihood and impact are each rated 1–5 and the
score is their product. The rating bands are low 1–4, medium 5–9, high 10–16 and critical 20–25;
no product of two whole numbers from 1 to 5 falls between 16 and 20, so the bands cover every
score that can occur.

A risk carries an inherent assessment (before mitigation) and a residual one (after); the
residual may not be worse than the inherent on either axis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from sourcewise.governance.trigger_eval import evaluate_trigger
from sourcewise.governance.triggers import TRIGGER_TYPES, Trigger, TriggerData, TriggerFiring

SCALE = range(1, 6)
LIKELIHOOD_LABELS: Mapping[int, str] = {
    1: "rare",
    2: "unlikely",
    3: "possible",
    4: "likely",
    5: "almost certain",
}
IMPACT_LABELS: Mapping[int, str] = {
    1: "negligible",
    2: "minor",
    3: "moderate",
    4: "major",
    5: "severe",
}
POSSIBLE_SCORES = frozenset(likelihood * impact for likelihood in SCALE for impact in SCALE)


class RiskCategory(StrEnum):
    REGULATORY_CHANGE = "regulatory_change"
    TALENT_SHORTAGE = "talent_shortage"
    GEOPOLITICAL_VOLATILITY = "geopolitical_volatility"
    CURRENCY_SHOCK = "currency_shock"
    VENDOR_FAILURE = "vendor_failure"
    CONCENTRATION = "concentration"
    DATA_SECURITY = "data_security"
    INTELLECTUAL_PROPERTY = "intellectual_property"
    QUALITY = "quality"
    TIME_ZONE_AND_COMMUNICATION = "time_zone_and_communication"
    OTHER = "other"


class Rating(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"


def rating_for(score: int) -> Rating:
    """The band of a 5×5 score: low 1–4, medium 5–9, high 10–16, critical 20–25."""
    if isinstance(score, bool) or not isinstance(score, int) or score not in POSSIBLE_SCORES:
        raise ValueError(f"score must be a product of two ratings 1–5, not {score!r}")
    if score <= 4:
        return Rating.LOW
    if score <= 9:
        return Rating.MEDIUM
    if score <= 16:
        return Rating.HIGH
    return Rating.CRITICAL


def _rating_1_to_5(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")


@dataclass(frozen=True, slots=True)
class Assessment:
    """Likelihood (1 rare … 5 almost certain) and impact (1 negligible … 5 severe)."""

    likelihood: int
    impact: int

    def __post_init__(self) -> None:
        _rating_1_to_5(self.likelihood, "likelihood")
        _rating_1_to_5(self.impact, "impact")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> Rating:
        return rating_for(self.score)

    @property
    def likelihood_label(self) -> str:
        return LIKELIHOOD_LABELS[self.likelihood]

    @property
    def impact_label(self) -> str:
        return IMPACT_LABELS[self.impact]

    def describe(self) -> str:
        """E.g. "likely (4) × major (4) = 16, high"."""
        return (
            f"{self.likelihood_label} ({self.likelihood}) × {self.impact_label} ({self.impact})"
            f" = {self.score}, {self.rating}"
        )


def check_residual(inherent: Assessment, residual: Assessment) -> None:
    """ValueError naming the axis when the residual assessment is worse than the inherent one."""
    for axis in ("likelihood", "impact"):
        before, after = getattr(inherent, axis), getattr(residual, axis)
        if after > before:
            raise ValueError(
                f"residual.{axis} ({after}) exceeds inherent.{axis} ({before}); mitigation "
                "cannot make a risk worse, so raise the inherent assessment instead"
            )


def _non_blank(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-blank string, not {value!r}")
    return value.strip()


@dataclass(frozen=True, slots=True)
class Risk:
    """One entry of the risk register. ``engagement`` is None for a risk on no single
    engagement (e.g. a country-wide one)."""

    code: str
    title: str
    category: RiskCategory
    engagement: str | None
    owner: str
    inherent: Assessment
    residual: Assessment
    mitigations: tuple[str, ...] = ()
    status: RiskStatus = RiskStatus.OPEN
    triggers: tuple[Trigger, ...] = ()

    def __post_init__(self) -> None:
        for name in ("code", "title", "owner"):
            object.__setattr__(self, name, _non_blank(getattr(self, name), name))
        if self.engagement is not None:
            object.__setattr__(self, "engagement", _non_blank(self.engagement, "engagement"))
        try:
            object.__setattr__(self, "category", RiskCategory(self.category))
        except ValueError:
            raise ValueError(f"category must be one of {list(RiskCategory)}") from None
        try:
            object.__setattr__(self, "status", RiskStatus(self.status))
        except ValueError:
            raise ValueError(f"status must be one of {list(RiskStatus)}") from None
        for name in ("inherent", "residual"):
            if not isinstance(getattr(self, name), Assessment):
                raise ValueError(f"{name} must be an Assessment")
        check_residual(self.inherent, self.residual)
        mitigations = tuple(self.mitigations)
        for index, text in enumerate(mitigations):
            _non_blank(text, f"mitigations[{index}]")
        object.__setattr__(self, "mitigations", mitigations)
        triggers = tuple(self.triggers)
        for index, trigger in enumerate(triggers):
            if not isinstance(trigger, TRIGGER_TYPES):
                raise ValueError(f"triggers[{index}] is not a trigger: {trigger!r}")
        object.__setattr__(self, "triggers", triggers)


def evaluate_triggers(risk: Risk, data: TriggerData, as_of: date) -> tuple[TriggerFiring, ...]:
    """Every trigger of ``risk`` evaluated on ``data``, in the risk's order (fired or not).

    A closed risk watches nothing and gives ``()``.
    """
    if risk.status is RiskStatus.CLOSED:
        return ()
    return tuple(
        evaluate_trigger(trigger, data, as_of, engagement=risk.engagement)
        for trigger in risk.triggers
    )


_CODE = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def next_risk_code(existing: Iterable[str], prefix: str = "R-") -> str:
    """The next free code after the highest ``prefix``-numbered one: R-001, R-002, …"""
    highest = 0
    for code in existing:
        match = _CODE.match(code)
        if match and match["prefix"] == prefix:
            highest = max(highest, int(match["number"]))
    return f"{prefix}{highest + 1:03d}"


def rank_risks(risks: Iterable[Risk]) -> tuple[Risk, ...]:
    """Worst first: residual score, then inherent score (both descending), then code."""
    return tuple(sorted(risks, key=lambda r: (-r.residual.score, -r.inherent.score, r.code)))


def heat_map(
    risks: Iterable[Risk], which: Literal["inherent", "residual"] = "residual"
) -> dict[tuple[int, int], tuple[str, ...]]:
    """Risk codes per (likelihood, impact) cell, for the cells that hold any."""
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in sorted(risks, key=lambda r: r.code):
        assessment = risk.residual if which == "residual" else risk.inherent
        cells.setdefault((assessment.likelihood, assessment.impact), []).append(risk.code)
    return {cell: tuple(codes) for cell, codes in sorted(cells.items())}


@dataclass(frozen=True, slots=True)
class RiskChange:
    """One field's change, for an append-only history. Values are shown as text (None when
    the field was empty); tuples are one item per line."""

    at: datetime
    actor: str
    field: str
    before: str | None
    after: str | None


def _shown(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return "\n".join(
            item.description if isinstance(item, TRIGGER_TYPES) else str(item) for item in value
        )
    return str(value)


def diff_risks(before: Risk, after: Risk, at: datetime, actor: str) -> tuple[RiskChange, ...]:
    """The fields that differ between two versions of one risk, in register order.

    Assessments are compared axis by axis (``inherent.likelihood`` …). Triggers are compared as
    values and shown by their descriptions.
    """
    if before.code != after.code:
        raise ValueError(f"code differs ({before.code} vs {after.code}): not the same risk")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")
    actor = _non_blank(actor, "actor")
    pairs: list[tuple[str, object, object]] = [
        (name, getattr(before, name), getattr(after, name))
        for name in ("title", "category", "engagement", "owner")
    ]
    for name in ("inherent", "residual"):
        for axis in ("likelihood", "impact"):
            pairs.append(
                (
                    f"{name}.{axis}",
                    getattr(getattr(before, name), axis),
                    getattr(getattr(after, name), axis),
                )
            )
    pairs += [
        (name, getattr(before, name), getattr(after, name))
        for name in ("mitigations", "status", "triggers")
    ]
    return tuple(
        RiskChange(at, actor, name, _shown(old), _shown(new))
        for name, old, new in pairs
        if old != new
    )


def score_summary(risks: Sequence[Risk]) -> dict[Rating, int]:
    """How many risks fall in each residual rating band (every band present, maybe 0)."""
    counts = dict.fromkeys(Rating, 0)
    for risk in risks:
        counts[risk.residual.rating] += 1
    return counts
