"""Assess each option and recommend one per function, with reasons.

The score adds strategic fit to money on one explicit scale: each fit point is worth
``FIT_POINT_VALUE`` of the status quo's NPV (2% by default). A supporting rule of weight 2 thus
counts like a 4% saving. The best score is the answer (docs/decision.md, "How a decision is
made"): one number in the company's money, explainable in one sentence and the same whatever the
seed. The multi-criteria consensus (``services.sourcing_mcda``) is its cross-check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcewise.domain.arrangement import Arrangement, Classification
from sourcewise.domain.cost import CostProjection, Savings
from sourcewise.domain.dimensions import Dimensions
from sourcewise.domain.fit import FiredRule, PlacedSite, Stance

FIT_POINT_VALUE = 0.02


@dataclass(frozen=True, slots=True)
class OptionAssessment:
    name: str
    is_status_quo: bool
    classification: Classification
    sites: tuple[PlacedSite, ...]
    projection: CostProjection
    savings: Savings | None
    """None for the status quo itself."""
    rules: tuple[FiredRule, ...]
    fit_score: float
    dimensions: Dimensions

    @property
    def savings_share(self) -> float:
        return 0.0 if self.savings is None else self.savings.savings_share

    @property
    def score(self) -> float:
        return self.savings_share + FIT_POINT_VALUE * self.fit_score


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """A second view of the choice: the option another method prefers and whether it agrees."""

    method: str
    option: str
    agrees: bool
    reason: str
    """Why the other view agrees or, when it does not, what it weighs differently."""


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The one recommended option of a function: the best cost-and-fit score (``recommend``)."""

    option: str
    reasons: tuple[str, ...]
    cross_check: CrossCheck | None = None
    """The multi-criteria consensus of the same options, when it was computed."""


def _strongest(rules: tuple[FiredRule, ...], stance: Stance, n: int) -> list[FiredRule]:
    chosen = [r for r in rules if r.stance is stance]
    return sorted(chosen, key=lambda r: -abs(r.weight))[:n]


def recommend(assessments: list[OptionAssessment]) -> Recommendation:
    """The option with the best score, and why, in plain words."""
    ranked = sorted(assessments, key=lambda a: (-a.score, -a.savings_share))
    best = ranked[0]
    reasons: list[str] = []
    if best.is_status_quo:
        reasons.append(
            "No option beats the in-house status quo once cost and strategic fit are weighed "
            f"together (fit score {best.fit_score:+g})."
        )
    else:
        assert best.savings is not None
        saved = best.savings
        reasons.append(
            f"{best.name}, {best.classification.label}, scores best: it saves "
            f"{saved.savings_share:.1%} of the status quo's cost in present value and has a "
            f"strategic fit score of {best.fit_score:+g}."
        )
        if saved.break_even_month is not None:
            reasons.append(
                f"Cumulative savings turn positive for good in month {saved.break_even_month}."
            )
        else:
            reasons.append("Cumulative savings do not turn positive within the horizon.")
    for fired in _strongest(best.rules, Stance.SUPPORTS, 2):
        reasons.append(f"In favour: {fired.reason}")
    for fired in _strongest(best.rules, Stance.CAUTIONS, 2):
        reasons.append(f"Watch: {fired.reason}")
    if len(ranked) > 1:
        runner = ranked[1]
        gap = (best.score - runner.score) / FIT_POINT_VALUE
        reasons.append(
            f"Runner-up: {runner.name}, {runner.classification.label}, {gap:.1f} fit-point "
            "equivalents behind."
        )
    movers = [a for a in assessments if not a.is_status_quo]
    if movers:
        cheapest = max(movers, key=lambda a: a.savings_share)
        best_fit = max(movers, key=lambda a: a.fit_score)
        hybrid_offered = any(a.classification.arrangement is Arrangement.HYBRID for a in movers)
        if (
            not hybrid_offered
            and cheapest.classification.arrangement != best_fit.classification.arrangement
        ):
            reasons.append(
                f"The cheapest option ({cheapest.name}) and the best strategic fit "
                f"({best_fit.name}) differ: consider a hybrid approach that blends them."
            )
    return Recommendation(best.name, tuple(reasons))
