"""The public multi-criteria decision analysis API (implemented in ``sourcewise.decision``).

    from sourcewise import mcda
    result = mcda.topsis(matrix, weights, directions)   # matrix: alternatives × criteria
    result.ranks, result.scores

Directions are +1 when more is better and −1 when less is better; weights sum to 1. Every
function validates its inputs and names the offending argument and index. See docs/decision.md.
"""

from __future__ import annotations

from sourcewise.decision.ahp import (
    AhpResult,
    HierarchyResult,
    PairwiseError,
    ahp,
    ahp_hierarchy,
    pairwise_from_judgements,
)
from sourcewise.decision.matrix import Ranking, normalise_weights
from sourcewise.decision.ranking import (
    ElectreResult,
    PrometheeResult,
    TopsisResult,
    VikorResult,
    WeightedResult,
    electre_i,
    promethee_ii,
    topsis,
    vikor,
    wpm,
    wsm,
)
from sourcewise.decision.smaa import SmaaResult, smaa2
from sourcewise.decision.weights import critic_weights, entropy_weights, merec_weights

__all__ = [
    "AhpResult",
    "ElectreResult",
    "HierarchyResult",
    "PairwiseError",
    "PrometheeResult",
    "Ranking",
    "SmaaResult",
    "TopsisResult",
    "VikorResult",
    "WeightedResult",
    "ahp",
    "ahp_hierarchy",
    "critic_weights",
    "electre_i",
    "entropy_weights",
    "merec_weights",
    "normalise_weights",
    "pairwise_from_judgements",
    "promethee_ii",
    "smaa2",
    "topsis",
    "vikor",
    "wpm",
    "wsm",
]
