"""The sourcing decision as a multi-criteria problem: options × criteria, several methods.

Criteria come from the other modules: total cost of ownership (P50 and P90 of the NPV), the
probability of beating the status quo, the location score, strategic fit, control (the share of
the work own staff do) and country risk. Weights come from a preset for the kind of function,
from the scenario directly, or from AHP pairwise judgements in the scenario. Each option is
ranked by the weighted sum, TOPSIS, VIKOR and PROMETHEE II; the consensus is the mean rank;
SMAA-2 says how often each option comes first when each weight varies between none and twice
its value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sourcewise.decision.ahp import ahp, pairwise_from_judgements
from sourcewise.decision.ranking import promethee_ii, topsis, vikor, wsm
from sourcewise.decision.smaa import smaa2
from sourcewise.domain.arrangement import Employer
from sourcewise.domain.criteria import CRITERIA as CRITERIA
from sourcewise.domain.criteria import NAMES as NAMES
from sourcewise.domain.location_score import Component
from sourcewise.domain.recommendation import OptionAssessment
from sourcewise.domain.scenario import FunctionKind
from sourcewise.services.simulate import FunctionSimulation

FloatArray = npt.NDArray[np.float64]

DIRECTIONS = np.array([d for _, d, _ in CRITERIA], dtype=np.float64)
METHODS: dict[str, str] = {
    "weighted sum": "the weighted sum of min-max normalised criteria (WSM)",
    "TOPSIS": "closeness to the ideal option and distance from the anti-ideal (vector "
    "normalisation)",
    "VIKOR": "the compromise between the group utility and the largest single regret (v = 0.5)",
    "PROMETHEE II": "net outranking flow over pairwise preferences (usual criterion)",
}
"""The methods that rank the options, by the name the decision documents give them (the keys
of ``mcda.ranks``)."""
SMAA_WITHIN_RANGES = "each weight between 0 and twice its value"
SMAA_UNIFORM = "weights uniform on the simplex"
SMAA_WEIGHTS: dict[str, str] = {
    SMAA_WITHIN_RANGES: "the usual case: every weight drawn between none and twice its value",
    SMAA_UNIFORM: "when that region is too small to sample: no weight information at all",
}
"""How SMAA-2 draws the weights (``mcda.smaa_weights``), and when."""
UNKNOWN_SCORE = 50.0
"""A location or risk score without data counts as the middle of the scale."""

# Preset weights per kind of function (sourcewise assumptions, documented in docs/decide.md):
# cost always matters most; customer-facing work weighs location (overlap, language); strategic
# and data-heavy work weighs control and country risk.
_DEFAULT = {
    "tco_p50": 0.25,
    "tco_p90": 0.15,
    "p_beats_status_quo": 0.10,
    "location": 0.15,
    "fit": 0.15,
    "control": 0.10,
    "country_risk": 0.10,
}
PRESETS: Mapping[FunctionKind, Mapping[str, float]] = {
    FunctionKind.CUSTOMER_SERVICE: {**_DEFAULT, "location": 0.20, "control": 0.05},
    FunctionKind.SOFTWARE_DEVELOPMENT: {**_DEFAULT, "fit": 0.20, "location": 0.10},
    FunctionKind.FINANCE_AND_ACCOUNTING: {**_DEFAULT, "control": 0.15, "location": 0.10},
    FunctionKind.MANUFACTURING: {**_DEFAULT, "tco_p50": 0.30, "location": 0.10, "fit": 0.10},
}


@dataclass(frozen=True, slots=True)
class SourcingRanking:
    options: tuple[str, ...]
    criteria: tuple[str, ...]
    matrix: FloatArray
    weights: FloatArray
    weight_source: str
    consistency_ratio: float | None
    """For AHP weights: Saaty's consistency ratio (above 0.1 the judgements are inconsistent)."""
    method_ranks: Mapping[str, tuple[int, ...]]
    consensus: tuple[float, ...]
    """Mean rank over the methods, per option."""
    winner: str
    first_rank_acceptability: tuple[float, ...]
    smaa_weights: str
    """How SMAA varied the weights."""
    lead: tuple[tuple[str, float], ...]
    """Criteria that give the winner its lead over the runner-up in the weighted sum, with
    their contribution in normalised weighted points, largest first."""
    rank_acceptability: tuple[tuple[float, ...], ...] = ()
    """SMAA-2's share of weight draws giving each option (rows) each rank (columns)."""

    @property
    def warnings(self) -> tuple[str, ...]:
        if self.consistency_ratio is not None and self.consistency_ratio > 0.1:
            return (
                f"AHP consistency ratio {self.consistency_ratio:.2f} is above 0.1: the pairwise "
                "judgements contradict each other; revisit them.",
            )
        return ()


def _location(a: OptionAssessment) -> tuple[float, float]:
    """Share-weighted location score and country risk of an option's sites."""
    score = risk = 0.0
    for placed in a.sites:
        share = placed.site.share
        found = placed.location
        loc = found.score if found is not None and found.score is not None else UNKNOWN_SCORE
        parts = (
            []
            if found is None
            else [
                found.component(c).score
                for c in (Component.GOVERNANCE, Component.ECONOMIC)
                if found.component(c).score is not None
            ]
        )
        stability = sum(p or 0.0 for p in parts) / len(parts) if parts else UNKNOWN_SCORE
        score += share * loc
        risk += share * (100.0 - stability)
    return score, risk


def criteria_matrix(
    assessments: tuple[OptionAssessment, ...], simulation: FunctionSimulation | None
) -> FloatArray:
    simulated = {} if simulation is None else {o.name: o for o in simulation.options}
    rows = []
    for a in assessments:
        if a.is_status_quo:
            if simulation is not None:
                p50, p90 = simulation.status_quo.p50, simulation.status_quo.p90
            else:
                p50 = p90 = a.projection.npv
            beats = 0.5  # neither better nor worse than itself
        elif a.name in simulated:
            s = simulated[a.name]
            p50, p90, beats = s.npv.p50, s.npv.p90, s.p_beats_status_quo
        else:
            p50 = p90 = a.projection.npv
            beats = 1.0 if a.savings is not None and a.savings.npv_savings > 0 else 0.0
        location, risk = _location(a)
        control = sum(p.site.share for p in a.sites if p.site.employer is Employer.OWN)
        rows.append([p50, p90, beats, location, a.fit_score, control, risk])
    return np.array(rows, dtype=np.float64)


def resolve_weights(
    kind: FunctionKind,
    given: Mapping[str, float] | None,
    judgements: Mapping[str, Mapping[str, float]] | None,
) -> tuple[FloatArray, str, float | None]:
    """Weights in criteria order, where they came from, and the AHP consistency ratio."""
    if judgements:
        result = ahp(pairwise_from_judgements(NAMES, judgements), names=NAMES)
        return np.asarray(result.weights), "AHP pairwise judgements", result.consistency_ratio
    if given:
        raw = np.array([given.get(name, 0.0) for name in NAMES], dtype=np.float64)
        return raw / raw.sum(), "scenario weights", None
    preset = PRESETS.get(kind, _DEFAULT)
    raw = np.array([preset[name] for name in NAMES], dtype=np.float64)
    return raw / raw.sum(), f"preset for {kind.value.replace('_', ' ')}", None


def _spread(matrix: FloatArray) -> FloatArray:
    """Columns with no spread carry no information and would divide by zero: nudge them."""
    out = matrix.copy()
    flat = np.ptp(out, axis=0) == 0
    out[:, flat] += np.linspace(0.0, 1e-9, out.shape[0])[:, np.newaxis]
    return out


def rank_options(
    assessments: tuple[OptionAssessment, ...],
    simulation: FunctionSimulation | None,
    kind: FunctionKind,
    rng: np.random.Generator,
    weights: Mapping[str, float] | None = None,
    judgements: Mapping[str, Mapping[str, float]] | None = None,
    smaa_draws: int = 10_000,
) -> SourcingRanking:
    options = tuple(a.name for a in assessments)
    matrix = criteria_matrix(assessments, simulation)
    w, source, ratio = resolve_weights(kind, weights, judgements)
    safe = _spread(matrix)
    weighted_sum, closeness, compromise, flows = METHODS  # the documented names, in order
    results = {
        weighted_sum: wsm(safe, w, DIRECTIONS),
        closeness: topsis(safe, w, DIRECTIONS),
        compromise: vikor(safe, w, DIRECTIONS),
        flows: promethee_ii(safe, w, DIRECTIONS),
    }
    ranks = {name: tuple(int(r) for r in res.ranks) for name, res in results.items()}
    consensus = np.mean(np.array(list(ranks.values()), dtype=np.float64), axis=0)
    weighted = results[weighted_sum]
    order = np.lexsort((-np.asarray(weighted.scores), consensus))
    winner, runner = int(order[0]), int(order[1]) if len(order) > 1 else int(order[0])
    # Contributions in the weighted sum: weight × min-max normalised value (benefit-oriented).
    span = np.ptp(safe, axis=0)
    norm = np.where(DIRECTIONS > 0, safe - safe.min(axis=0), safe.max(axis=0) - safe) / span
    gains = w * (norm[winner] - norm[runner])
    lead = tuple((NAMES[i], float(gains[i])) for i in np.argsort(-gains) if gains[i] > 1e-12)
    # Weights anywhere from none to twice their value; if that region of the simplex is too
    # small to sample, SMAA falls back to no weight information at all (uniform weights).
    ranges = np.stack([np.zeros_like(w), np.minimum(w * 2.0, 1.0)], axis=1)
    try:
        acceptance = smaa2(safe, DIRECTIONS, draws=smaa_draws, rng=rng, weight_ranges=ranges)
        smaa_weights = SMAA_WITHIN_RANGES
    except ValueError:
        acceptance = smaa2(safe, DIRECTIONS, draws=smaa_draws, rng=rng)
        smaa_weights = SMAA_UNIFORM
    return SourcingRanking(
        options=options,
        criteria=NAMES,
        matrix=matrix,
        weights=w,
        weight_source=source,
        consistency_ratio=ratio,
        method_ranks=ranks,
        consensus=tuple(float(c) for c in consensus),
        winner=options[winner],
        first_rank_acceptability=tuple(float(v) for v in acceptance.rank_acceptability[:, 0]),
        smaa_weights=smaa_weights,
        lead=lead,
        rank_acceptability=tuple(
            tuple(float(v) for v in row) for row in acceptance.rank_acceptability
        ),
    )
