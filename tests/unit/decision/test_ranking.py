"""Ranking methods: published worked examples, properties, and agreement with pymcdm.

Cross-checks run each method on 1,000 seeded random problems against pymcdm 1.4 wherever the two
define the same variant. Where the variants differ, and why:

- TOPSIS ``vector``: pymcdm rewrites a cost column as ``1 − x/‖x‖`` and then takes the largest
  weighted value as ideal; Hwang & Yoon keep ``x/‖x‖`` and take the smallest. A constant shift and
  a reflection leave both distances unchanged, so the closeness scores agree exactly.
- TOPSIS ``minmax`` is pymcdm's default normalisation; WSM and WPM default to pymcdm's sum
  normalisation (``x/Σx``, costs ``(1/x)/Σ(1/x)``), here ``normalisation="sum"``. This module's
  WPM default ``"max"`` is pymcdm's ``linear_normalization`` (``x/max``, costs ``min/x``).
- VIKOR: pymcdm returns Q and ranks it ascending, as here. pymcdm raises on a criterion where all
  alternatives are equal; this module lets it add nothing to S and R (random data never has one).
- PROMETHEE II: pymcdm's ``usual``, ``ushape``, ``vshape``, ``level`` and ``vshape_2`` (this
  module's ``linear``) take the same q and p; pymcdm has no Gaussian criterion.
- ELECTRE I: pymcdm 1.4 has none, so it is checked by properties, the published example (the
  concordance side) and a hand-worked example of Roy's classic discordance.
- Ranks: pymcdm gives tied alternatives their average rank, this module the lowest (1, 2, 2, 4),
  so scores are compared rather than ranks.

pymcdm is always called with ``validation=False``: its validation warns about dominant
alternatives, which random problems contain and which the suite turns into errors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata

from sourcewise.decision.matrix import (
    FloatArray,
    Ranking,
    normalise_weights,
    rank_scores,
    validate,
)
from sourcewise.decision.ranking import (
    PreferenceFunction,
    _kernel,
    electre_i,
    promethee_ii,
    topsis,
    vikor,
    wpm,
    wsm,
)

Problem = tuple[FloatArray, FloatArray, FloatArray]

# ── Published worked examples ────────────────────────────────────────────────────────────────

# Hwang & Yoon (1981), Multiple Attribute Decision Making, pp. 128–134: four fighter aircraft on
# maximum speed, ferry range, maximum payload, acquisition cost (a cost), reliability and
# manoeuvrability (the last two on Hwang & Yoon's interval scale).
FIGHTERS = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
FIGHTER_WEIGHTS = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
FIGHTER_DIRECTIONS = np.array([1, 1, 1, -1, 1, 1])


def test_topsis_reproduces_hwang_and_yoon_fighter_aircraft() -> None:
    """Hwang & Yoon (1981) TOPSIS example: C* = 0.643, 0.268, 0.613, 0.312 (A1 ≻ A3 ≻ A4 ≻ A2).

    The book rounds the weighted matrix to four decimals before taking distances, which moves
    A3 to 0.613 (0.6135 unrounded); hence the 1e-3 tolerance.
    """
    result = topsis(FIGHTERS, FIGHTER_WEIGHTS, FIGHTER_DIRECTIONS)
    np.testing.assert_allclose(result.scores, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert result.ranks.tolist() == [1, 4, 2, 3]


def test_electre_concordance_reproduces_hwang_and_yoon() -> None:
    """Hwang & Yoon (1981) ELECTRE on the fighter aircraft, as worked in the Czech University of
    Life Sciences' ORMS course notes ("Example: The Fighter Aircraft Problem – ELECTRE"):
    concordance matrix and concordance dominance at the mean c̄ = 0.55, ties counting for both.

    Only the concordance side is asserted: Hwang & Yoon's discordance divides weighted, vector-
    normalised differences by the largest one, while this module divides each criterion's
    shortfall by its range (see ``electre_i``).
    """
    result = electre_i(FIGHTERS, FIGHTER_WEIGHTS, FIGHTER_DIRECTIONS)
    off = ~np.eye(4, dtype=bool)
    expected = np.array(
        [[0, 0.7, 0.5, 0.6], [0.3, 0, 0.3, 0.6], [0.5, 0.7, 0, 0.8], [0.7, 0.7, 0.2, 0]]
    )
    np.testing.assert_allclose(result.concordance[off], expected[off], atol=1e-12)
    assert result.c_threshold == pytest.approx(0.55)
    dominance = (result.concordance >= result.c_threshold) & off
    assert dominance.astype(int).tolist() == [
        [0, 1, 0, 1],
        [0, 0, 0, 1],
        [0, 1, 0, 1],
        [1, 1, 0, 0],
    ]


# Four sites marked out of 20 on three criteria weighted 0.5, 0.3 and 0.2, all benefits. The
# ranges are 4 (g1: 15–19), 5 (g2: 10–15) and 10 (g3: 6–16), so δ, the largest range, is 10.
SITES = np.array([[15, 10, 16], [18, 12, 6], [17, 15, 8], [19, 11, 14]], dtype=float)
SITE_WEIGHTS = np.array([0.5, 0.3, 0.2])


def test_electre_largest_range_discordance_on_a_hand_worked_example() -> None:
    """Roy's classic ELECTRE I (δ = the largest range over all criteria) worked by hand.

    The example is constructed and computed by hand for this test, not taken from a
    publication: the published examples at hand either use Hwang & Yoon's discordance (see
    above) or could not be checked figure by figure, so none is reproduced here.

    Concordance (no ties, so c(a, b) + c(b, a) = 1): a1 beats the others on g3 only, c = 0.2;
    a2 beats a3 on g1 (0.5) and a4 on g2 (0.3); a3 beats a4 on g2 (0.3); a4 beats a2 on g1 and
    g3 (0.7) and a3 on g1 and g3 (0.7).

    Discordance: the largest shortfall of a behind b, over δ = 10. a1 behind a2: 3 on g1, 2 on
    g2 → 0.3; behind a3: 2, 5 → 0.5; behind a4: 4, 1 → 0.4. a2 behind a1: 10 on g3 → 1.0;
    behind a3: 3 on g2, 2 on g3 → 0.3; behind a4: 1 on g1, 8 on g3 → 0.8. a3 behind a1: 8 on g3
    → 0.8; behind a2: 1 on g1 → 0.1; behind a4: 2 on g1, 6 on g3 → 0.6. a4 behind a1: 2 on g3
    → 0.2; behind a2: 1 on g2 → 0.1; behind a3: 4 on g2 → 0.4.

    With c ≥ 0.7 and d ≤ 0.5 only a4 outranks anyone: a1 (0.8, 0.2), a2 (0.7, 0.1) and a3
    (0.7, 0.4). The kernel is {a4}.
    """
    result = electre_i(SITES, SITE_WEIGHTS, np.ones(3), 0.7, 0.5, discordance_scale="largest-range")
    off = ~np.eye(4, dtype=bool)
    concordance = np.array(
        [[0, 0.2, 0.2, 0.2], [0.8, 0, 0.5, 0.3], [0.8, 0.5, 0, 0.3], [0.8, 0.7, 0.7, 0]]
    )
    discordance = np.array(
        [[0, 0.3, 0.5, 0.4], [1.0, 0, 0.3, 0.8], [0.8, 0.1, 0, 0.6], [0.2, 0.1, 0.4, 0]]
    )
    np.testing.assert_allclose(result.concordance[off], concordance[off], atol=1e-12)
    np.testing.assert_allclose(result.discordance, discordance, atol=1e-12)
    assert result.outranks.astype(int).tolist() == [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 1, 0],
    ]
    assert result.kernel == (3,)
    assert result.discordance_scale == "largest-range"


def test_electre_per_criterion_discordance_changes_the_kernel_of_the_same_example() -> None:
    """The same four sites with each shortfall over its own criterion's range (4, 5, 10).

    a4's 4-point shortfall behind a3 on g2 is 4/10 = 0.4 over δ but 4/5 = 0.8 over g2's own
    range, past d = 0.5: a4 no longer outranks a3, nothing else does, and a3 joins the kernel.
    By hand: a1 behind a2: 3/4 on g1 → 0.75; behind a3: 5/5 on g2 → 1; behind a4: 4/4 → 1.
    a2 behind a1: 10/10 → 1; behind a3: 3/5 → 0.6; behind a4: 8/10 on g3 → 0.8. a3 behind a1:
    8/10 → 0.8; behind a2: 1/4 → 0.25; behind a4: 6/10 on g3 → 0.6. a4 behind a1: 2/10 → 0.2;
    behind a2: 1/5 → 0.2; behind a3: 4/5 → 0.8.
    """
    result = electre_i(SITES, SITE_WEIGHTS, np.ones(3), 0.7, 0.5)
    discordance = np.array(
        [[0, 0.75, 1.0, 1.0], [1.0, 0, 0.6, 0.8], [0.8, 0.25, 0, 0.6], [0.2, 0.2, 0.8, 0]]
    )
    np.testing.assert_allclose(result.discordance, discordance, atol=1e-12)
    assert result.outranks.astype(int).tolist() == [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 0, 0],
    ]
    assert result.kernel == (2, 3)
    assert result.discordance_scale == "per-criterion"
    classic = electre_i(
        SITES, SITE_WEIGHTS, np.ones(3), 0.7, 0.5, discordance_scale="largest-range"
    )
    np.testing.assert_array_equal(result.concordance, classic.concordance)
    assert classic.kernel != result.kernel


def test_vikor_reproduces_opricovic_and_tzeng_2004() -> None:
    """Opricovic & Tzeng (2004), EJOR 156:445–455, numerical example: A1 = (1, 3000),
    A2 = (2, 3750), A3 = (5, 4500), f1 minimised, f2 maximised, equal weights, v = 0.5.
    Q = (1, 0, 1) and A2 is the compromise solution with both conditions met. (pymcdm's test
    suite encodes the same Q for this example.)
    """
    result = vikor([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], [-1, 1])
    np.testing.assert_allclose(result.q, [1.0, 0.0, 1.0], atol=1e-12)
    assert result.compromise == (1,)
    assert result.acceptable_advantage
    assert result.acceptable_stability
    assert result.ranks.tolist() == [2, 1, 2]
    assert not result.higher_is_better


def test_promethee_ii_reproduces_brans_vincke_and_mareschal_1986() -> None:
    """Brans, Vincke & Mareschal (1986), "How to select and how to rank projects: the PROMETHEE
    method", EJOR 24:228–238, numerical example: six alternatives, six criteria of equal weight,
    one of each generalised criterion. Asserted: the table of preference indices π(a, b) to the
    three decimals it is published with, and the PROMETHEE II order a5 ≻ a2 ≻ a4 ≻ a6 ≻ a3 ≻ a1.

    The paper gives the level criterion (f4) thresholds q = 1 and a ramp width of 5 and the linear
    one (f3) s = 5 and width r = 45; this module takes the ends of the ramp, so p = 6 and 50.
    """
    matrix = np.array(
        [
            [80, 90, 60, 5.4, 8, 5],
            [65, 58, 20, 9.7, 1, 1],
            [83, 60, 40, 7.2, 4, 7],
            [40, 80, 100, 7.5, 7, 10],
            [52, 72, 60, 2.0, 3, 8],
            [94, 96, 70, 3.6, 5, 6],
        ]
    )
    nan = np.nan
    result = promethee_ii(
        matrix,
        np.full(6, 1 / 6),
        [-1, 1, -1, -1, -1, 1],
        ["ushape", "vshape", "linear", "level", "usual", "gaussian"],
        q=[10, nan, 5, 1, nan, nan],
        p=[nan, 30, 50, 6, nan, nan],
        s=[nan, nan, nan, nan, nan, 5],
    )
    published = np.array(
        [
            [0.000, 0.296, 0.250, 0.269, 0.100, 0.185],
            [0.463, 0.000, 0.389, 0.333, 0.296, 0.500],
            [0.235, 0.180, 0.000, 0.333, 0.056, 0.429],
            [0.399, 0.506, 0.305, 0.000, 0.224, 0.212],
            [0.444, 0.515, 0.487, 0.380, 0.000, 0.448],
            [0.287, 0.399, 0.250, 0.431, 0.133, 0.000],
        ]
    )
    np.testing.assert_allclose(result.preference_index, published, atol=5e-4 + 1e-12)
    assert result.order.tolist() == [4, 1, 3, 5, 2, 0]


# Triantaphyllou (2000), Multi-Criteria Decision Making Methods: A Comparative Study, ch. 2
# (reproduced in the Wikipedia articles "Weighted sum model" and "Weighted product model").
TRIANTAPHYLLOU = np.array([[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]])
TRIANTAPHYLLOU_WEIGHTS = np.array([0.20, 0.15, 0.40, 0.25])


def test_wsm_reproduces_triantaphyllou() -> None:
    """WSM scores 21.50, 22.00, 22.00 on the raw values; every column's maximum is 30, so the
    ``max`` normalisation gives the same scores divided by 30, and A2 and A3 tie for first."""
    result = wsm(TRIANTAPHYLLOU, TRIANTAPHYLLOU_WEIGHTS, np.ones(4), normalisation="max")
    np.testing.assert_allclose(result.scores * 30, [21.5, 22.0, 22.0], atol=1e-12)
    assert result.ranks.tolist() == [3, 1, 1]


def test_wpm_reproduces_triantaphyllou_ratios() -> None:
    """P(A1/A2) = 1.007, P(A1/A3) = 1.067, P(A2/A3) = 1.059, so A1 is best."""
    for normalisation in ("max", "sum"):
        result = wpm(TRIANTAPHYLLOU, TRIANTAPHYLLOU_WEIGHTS, np.ones(4), normalisation)
        s = result.scores
        np.testing.assert_allclose(
            [s[0] / s[1], s[0] / s[2], s[1] / s[2]], [1.007, 1.067, 1.059], atol=5e-4
        )
        assert result.ranks.tolist() == [1, 2, 3]


# ── Validation ───────────────────────────────────────────────────────────────────────────────


def test_validate_reports_every_problem_with_its_index() -> None:
    with pytest.raises(ValueError, match="invalid decision problem") as caught:
        validate([[1, np.nan, 3], [4, 5, np.inf]], [0.6, 0.5, -0.1], [1, 0, -1])
    message = str(caught.value)
    assert "matrix[0, 1] is not finite (nan)" in message
    assert "matrix[1, 2] is not finite (inf)" in message
    assert "weights[2] is negative (-0.1)" in message
    assert "directions[1] is 0.0" in message


def test_validate_asks_for_weights_that_sum_to_one() -> None:
    with pytest.raises(ValueError, match=r"weights sum to 0\.9.*normalise_weights"):
        validate([[1, 2]], [0.5, 0.4], [1, 1])
    validate([[1, 2]], [0.5, 0.5 + 1e-10], [1, 1])  # within the tolerance


@pytest.mark.parametrize(
    ("matrix", "weights", "directions", "message"),
    [
        ([1, 2], [1], [1], r"matrix must be 2-D"),
        ([[1, 2]], [1], [1, 1], r"weights must be 1-D with one entry per criterion \(2\)"),
        ([[1, 2]], [0.5, 0.5], [[1, 1]], r"directions must be 1-D"),
        (np.empty((2, 0)), [], [], r"matrix has no criteria"),
        (np.empty((0, 2)), [0.5, 0.5], [1, 1], r"matrix has 0 alternatives"),
        ([["a", 1]], [0.5, 0.5], [1, 1], r"matrix must hold numbers only"),
    ],
)
def test_validate_rejects_malformed_shapes(
    matrix: object, weights: object, directions: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        validate(matrix, weights, directions)  # type: ignore[arg-type]


def test_normalise_weights() -> None:
    np.testing.assert_allclose(normalise_weights([2, 1, 1]), [0.5, 0.25, 0.25])
    with pytest.raises(ValueError, match="all zero"):
        normalise_weights([0, 0])
    with pytest.raises(ValueError, match=r"weights\[1\] is negative"):
        normalise_weights([1, -1])


@pytest.mark.parametrize("method", [vikor, promethee_ii, electre_i])
def test_pairwise_methods_need_two_alternatives(method: Callable[..., Ranking]) -> None:
    with pytest.raises(ValueError, match="at least 2 needed"):
        method([[1.0, 2.0]], [0.5, 0.5], [1, 1])


def test_ratio_normalisations_need_positive_values() -> None:
    with pytest.raises(
        ValueError, match=r"WPM needs every value greater than zero: matrix\[1, 0\]"
    ):
        wpm([[1, 2], [0, 3]], [0.5, 0.5], [1, 1])
    with pytest.raises(ValueError, match="WSM needs every value greater than zero"):
        wsm([[1, 2], [-1, 3]], [0.5, 0.5], [1, 1], normalisation="sum")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"preference": "ushape"}, "q is required by the ushape function"),
        ({"preference": "usual", "p": 1.0}, "p is not used by the 'usual' preference function"),
        ({"preference": "level", "q": 2.0, "p": 1.0}, r"p\[0\] must exceed q"),
        ({"preference": "vshape", "p": [1.0, 0.0]}, r"p\[1\] must be positive"),
        ({"preference": "gaussian", "s": [1.0, 2.0, 3.0]}, "s must be a number or one per"),
        ({"preference": ["usual"]}, "one name or one per criterion"),
        ({"preference": "step"}, "unknown preference function"),
        ({"preference": ["ushape", "usual"], "q": [np.nan, 1.0]}, r"q\[0\] is not finite"),
    ],
)
def test_promethee_rejects_bad_parameters(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        promethee_ii([[1, 2], [3, 4]], [0.5, 0.5], [1, 1], **kwargs)  # type: ignore[arg-type]


def test_parameters_out_of_range_are_rejected() -> None:
    with pytest.raises(ValueError, match="v must lie in"):
        vikor([[1, 2], [3, 4]], [0.5, 0.5], [1, 1], v=1.5)
    with pytest.raises(ValueError, match="c_threshold must lie in"):
        electre_i([[1, 2], [3, 4]], [0.5, 0.5], [1, 1], c_threshold=1.5)
    with pytest.raises(ValueError, match="discordance_scale must be one of"):
        electre_i([[1, 2], [3, 4]], [0.5, 0.5], [1, 1], discordance_scale="roy")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="TOPSIS normalisation"):
        topsis([[1, 2], [3, 4]], [0.5, 0.5], [1, 1], normalisation="l1")  # type: ignore[arg-type]


def test_results_are_immutable() -> None:
    result = topsis(FIGHTERS, FIGHTER_WEIGHTS, FIGHTER_DIRECTIONS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.method = "other"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        result.scores[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        result.ranks[0] = 1
    assert FIGHTERS.flags.writeable  # the caller's arrays are left alone


# ── Properties ───────────────────────────────────────────────────────────────────────────────


@st.composite
def problems(draw: st.DrawFn, min_alternatives: int = 2, max_criteria: int = 5) -> Problem:
    """Small problems on a positive integer grid, so that exact ties occur too."""
    m = draw(st.integers(min_alternatives, 7))
    n = draw(st.integers(1, max_criteria))
    values = draw(st.lists(st.integers(1, 40), min_size=m * n, max_size=m * n))
    importances = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    signs = draw(st.lists(st.sampled_from([1.0, -1.0]), min_size=n, max_size=n))
    return (
        np.array(values, dtype=float).reshape(m, n),
        normalise_weights(importances),
        np.array(signs),
    )


METHODS: dict[str, Callable[[FloatArray, FloatArray, FloatArray], Ranking]] = {
    "wsm": wsm,
    "wpm": wpm,
    "topsis-vector": topsis,
    "topsis-minmax": lambda x, w, d: topsis(x, w, d, normalisation="minmax"),
    "vikor": vikor,
    "promethee-usual": promethee_ii,
    "promethee-linear": lambda x, w, d: promethee_ii(x, w, d, "linear", q=0.5, p=10.0),
    "promethee-gaussian": lambda x, w, d: promethee_ii(x, w, d, "gaussian", s=5.0),
}


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12))
def test_ranks_are_competition_ranks(scores: list[int]) -> None:
    ranks = rank_scores(scores)
    assert ranks.tolist() == rankdata([-s for s in scores], method="min").astype(int).tolist()
    assert rank_scores(scores, higher_is_better=False).tolist() == (
        rankdata(scores, method="min").astype(int).tolist()
    )


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=12, unique=True))
def test_distinct_scores_rank_as_a_permutation(scores: list[float]) -> None:
    assume(len(scores) == 1 or np.diff(np.sort(scores)).min() > 1e-6)  # else a deliberate tie
    assert sorted(rank_scores(scores).tolist()) == list(range(1, len(scores) + 1))


@settings(max_examples=60, deadline=None)
@given(problems(), st.data())
def test_topsis_vector_ignores_scaling_a_column(problem: Problem, data: st.DataObject) -> None:
    x, w, d = problem
    column = data.draw(st.integers(0, x.shape[1] - 1))
    factor = data.draw(st.floats(1e-3, 1e3))
    scaled = x.copy()
    scaled[:, column] *= factor
    before, after = topsis(x, w, d), topsis(scaled, w, d)
    np.testing.assert_allclose(after.scores, before.scores, atol=1e-12)
    assert after.ranks.tolist() == before.ranks.tolist()


@pytest.mark.parametrize("name", list(METHODS))
@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.integers(1, 60), min_size=2, max_size=8, unique=True))
def test_reversing_the_direction_reverses_a_single_criterion_ranking(
    name: str, values: list[int]
) -> None:
    x = np.array(values, dtype=float)[:, None]
    method = METHODS[name]
    up, down = method(x, np.ones(1), np.ones(1)), method(x, np.ones(1), -np.ones(1))
    m = len(values)
    assert up.ranks.tolist() == (m + 1 - rankdata(values)).astype(int).tolist()
    assert down.ranks.tolist() == (m + 1 - up.ranks).tolist()


@pytest.mark.parametrize("name", list(METHODS))
@settings(max_examples=25, deadline=None)
@given(problem=problems(min_alternatives=1), lead=st.integers(1, 5))
def test_an_alternative_dominating_all_others_ranks_first(
    name: str, problem: Problem, lead: int
) -> None:
    x, w, d = problem
    x = x + 10  # keeps the dominating costs positive, for WPM
    best = np.where(d > 0, x.max(axis=0) + lead, x.min(axis=0) - lead)
    row = len(x) // 2
    matrix = np.insert(x, row, best, axis=0)
    result = METHODS[name](matrix, w, d)
    assert result.ranks[row] == 1
    assert np.all(np.delete(result.ranks, row) > 1)


@settings(max_examples=25, deadline=None)
@given(problem=problems(min_alternatives=1), lead=st.integers(1, 5))
def test_electre_kernel_of_a_dominating_alternative_is_that_alternative(
    problem: Problem, lead: int
) -> None:
    x, w, d = problem
    best = np.where(d > 0, x.max(axis=0) + lead, x.min(axis=0) - lead)
    result = electre_i(np.vstack([x, best]), w, d)
    assert result.kernel == (len(x),)
    assert result.outranks[len(x)].sum() == len(x)


def _classes(outranks: np.ndarray) -> np.ndarray:
    """Mutual reachability by plain Floyd–Warshall, as an independent reference."""
    m = len(outranks)
    reach = outranks.copy() | np.eye(m, dtype=bool)
    for k in range(m):
        for i in range(m):
            for j in range(m):
                reach[i, j] |= reach[i, k] and reach[k, j]
    return reach & reach.T


@settings(max_examples=100, deadline=None)
@given(problems(max_criteria=4), st.floats(0.3, 0.9), st.floats(0.1, 0.8))
def test_electre_kernel_is_stable_on_the_condensed_graph(
    problem: Problem, c_threshold: float, d_threshold: float
) -> None:
    result = electre_i(*problem, c_threshold=c_threshold, d_threshold=d_threshold)
    same = _classes(result.outranks)
    kernel = np.zeros(len(same), dtype=bool)
    kernel[list(result.kernel)] = True
    beats = result.outranks & ~same  # arcs between classes
    lifted = (same.astype(int) @ beats.astype(int) @ same.astype(int)) > 0
    assert not np.any(lifted[np.ix_(kernel, kernel)])  # no kernel class outranks another
    assert np.all(lifted[kernel][:, ~kernel].any(axis=0))  # every other class is outranked
    assert np.array_equal(kernel, same[kernel].any(axis=0))  # whole classes are kept


@settings(max_examples=60, deadline=None)
@given(problems())
def test_largest_range_discordance_never_exceeds_the_per_criterion_one(problem: Problem) -> None:
    """δ is at least every criterion's range, so each shortfall shrinks or stays; once every
    criterion is rescaled to the same range the two scales agree."""
    own = electre_i(*problem)
    largest = electre_i(*problem, discordance_scale="largest-range")
    assert np.all(largest.discordance <= own.discordance + 1e-12)
    np.testing.assert_array_equal(largest.concordance, own.concordance)
    x, w, d = problem
    span = x.max(axis=0) - x.min(axis=0)
    assume(np.all(span > 0))
    same = 10 * (x - x.min(axis=0)) / span  # every criterion now ranges over exactly 10
    own, largest = electre_i(same, w, d), electre_i(same, w, d, discordance_scale="largest-range")
    np.testing.assert_allclose(largest.discordance, own.discordance, atol=1e-12)
    assert largest.kernel == own.kernel


def test_kernel_of_hand_built_relations() -> None:
    chain = np.zeros((3, 3), dtype=bool)
    chain[0, 1] = chain[1, 2] = True
    assert _kernel(chain) == (0, 2)
    cycle = np.zeros((4, 4), dtype=bool)
    cycle[0, 1] = cycle[1, 2] = cycle[2, 0] = cycle[2, 3] = True
    assert _kernel(cycle) == (0, 1, 2)
    assert _kernel(np.zeros((3, 3), dtype=bool)) == (0, 1, 2)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_promethee_flows_balance(problem: Problem) -> None:
    result = promethee_ii(*problem)
    assert result.net_flow.sum() == pytest.approx(0.0, abs=1e-12)
    assert np.all((result.positive_flow >= 0) & (result.positive_flow <= 1 + 1e-12))
    assert np.all(np.diag(result.preference_index) == 0)
    assert np.all(result.preference_index + result.preference_index.T <= 1 + 1e-12)


@settings(max_examples=60, deadline=None)
@given(problems(), st.floats(0.0, 1.0))
def test_vikor_compromise_follows_the_two_conditions(problem: Problem, v: float) -> None:
    result = vikor(*problem, v=v)
    order = result.order.tolist()
    assert result.compromise[0] == order[0]
    if result.acceptable_advantage and result.acceptable_stability:
        assert result.compromise == (order[0],)
    elif result.acceptable_advantage:
        assert result.compromise == tuple(order[:2])
    else:
        gaps = result.q[list(result.compromise)] - result.q[order[0]]
        assert np.all(gaps < 1 / (len(order) - 1))
        assert len(result.compromise) >= 2


def test_vikor_proposes_two_when_only_stability_fails() -> None:
    """A constructed case: A5 leads on Q (0.214, then A3 at 0.473; DQ = 0.2) but A6 has the least
    S (0.333 < 0.442) and A3 the least R (0.286 < 0.292), so A5 and A3 are both proposed."""
    matrix = [[2, 2, 9], [1, 3, 8], [3, 3, 5], [2, 2, 7], [6, 7, 2], [7, 9, 1]]
    result = vikor(matrix, np.full(3, 1 / 3), np.ones(3))
    assert result.acceptable_advantage
    assert not result.acceptable_stability
    assert result.compromise == (4, 2)


@pytest.mark.parametrize(
    ("kind", "thresholds", "advantages", "expected"),
    [
        ("usual", {}, [0.0, 0.1, 5.0], [0.0, 1.0, 1.0]),
        ("ushape", {"q": 1.0}, [1.0, 1.5], [0.0, 1.0]),
        ("vshape", {"p": 2.0}, [1.0, 2.0, 3.0], [0.5, 1.0, 1.0]),
        ("level", {"q": 1.0, "p": 2.0}, [1.0, 1.5, 2.0, 2.5], [0.0, 0.5, 0.5, 1.0]),
        ("linear", {"q": 1.0, "p": 3.0}, [1.0, 2.0, 3.0, 4.0], [0.0, 0.5, 1.0, 1.0]),
        ("gaussian", {"s": 1.0}, [0.0, 1.0], [0.0, 1.0 - np.exp(-0.5)]),
    ],
)
def test_preference_functions_at_their_thresholds(
    kind: PreferenceFunction,
    thresholds: dict[str, float],
    advantages: list[float],
    expected: list[float],
) -> None:
    """Brans & Vincke (1985): at the indifference threshold q nothing is preferred yet, at the
    preference threshold p the level criterion is still at ½ and the ramps reach 1."""
    for advantage, preference in zip(advantages, expected, strict=True):
        result = promethee_ii([[advantage], [0.0]], [1.0], [1], kind, **thresholds)
        assert result.preference_index[0, 1] == pytest.approx(preference, abs=1e-15)
        assert result.preference_index[1, 0] == 0.0


@settings(max_examples=60, deadline=None)
@given(problems())
def test_wpm_ranking_does_not_depend_on_the_normalisation(problem: Problem) -> None:
    by_max, by_sum = wpm(*problem, "max"), wpm(*problem, "sum")
    ratio = by_max.scores / by_sum.scores
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)
    assert by_max.ranks.tolist() == by_sum.ranks.tolist()


# ── Cross-checks against pymcdm ──────────────────────────────────────────────────────────────

RANDOM_PROBLEMS = 1_000


def _pymcdm() -> tuple[Any, Any]:
    """pymcdm's methods and normalisations, imported when a cross-check runs rather than when
    this module is collected: pymcdm brings pandas and matplotlib, and `make unit` skips the
    cross-checks (marked property)."""
    from pymcdm import methods, normalizations

    return methods, normalizations


@cache
def random_problems() -> tuple[Problem, ...]:
    rng = np.random.default_rng(20240611)
    out = []
    for _ in range(RANDOM_PROBLEMS):
        m, n = int(rng.integers(3, 11)), int(rng.integers(2, 9))
        matrix = rng.uniform(1.0, 100.0, size=(m, n))
        weights = rng.dirichlet(np.ones(n))
        directions = rng.choice([-1.0, 1.0], size=n)
        out.append((matrix, weights, directions))
    return tuple(out)


def _thresholds(x: FloatArray, seed: int) -> tuple[FloatArray, FloatArray]:
    """Per-criterion 0 ≤ q < p within the spread of the column's pairwise differences."""
    spread = x.max(axis=0) - x.min(axis=0)
    low, high = np.sort(np.random.default_rng(seed).uniform(0, 1, size=(2, x.shape[1])), axis=0)
    return low * spread, high * spread + 1e-6


def _promethee(
    kind: PreferenceFunction, theirs: str
) -> Callable[[Problem, int], tuple[FloatArray, FloatArray]]:
    def pair(problem: Problem, seed: int) -> tuple[FloatArray, FloatArray]:
        x, w, d = problem
        q, p = _thresholds(x, seed)
        uses_q, uses_p = (
            kind in ("ushape", "level", "linear"),
            kind in ("vshape", "level", "linear"),
        )
        ours = promethee_ii(x, w, d, kind, q=q if uses_q else None, p=p if uses_p else None)
        pm, _ = _pymcdm()
        body = pm.PROMETHEE_II(
            theirs,
            q=list(q) if uses_q else None,
            p=list(p) if uses_p else None,
        )
        return ours.net_flow, body(x, w, d, validation=False)

    return pair


def _plain(
    ours: Callable[[FloatArray, FloatArray, FloatArray], Ranking], theirs: Callable[[Any, Any], Any]
) -> Callable[[Problem, int], tuple[FloatArray, FloatArray]]:
    """``theirs`` builds the pymcdm method from pymcdm's methods and normalisations."""

    def pair(problem: Problem, seed: int) -> tuple[FloatArray, FloatArray]:
        return ours(*problem).scores, theirs(*_pymcdm())(*problem, validation=False)

    return pair


CROSS_CHECKS: dict[str, Callable[[Problem, int], tuple[FloatArray, FloatArray]]] = {
    "TOPSIS vector": _plain(topsis, lambda pm, pn: pm.TOPSIS(pn.vector_normalization)),
    "TOPSIS minmax": _plain(lambda x, w, d: topsis(x, w, d, "minmax"), lambda pm, _: pm.TOPSIS()),
    "VIKOR Q": _plain(vikor, lambda pm, _: pm.VIKOR()),
    "VIKOR Q, v = 0.2": _plain(
        lambda x, w, d: vikor(x, w, d, v=0.2), lambda pm, _: pm.VIKOR(v=0.2)
    ),
    "WSM sum": _plain(lambda x, w, d: wsm(x, w, d, "sum"), lambda pm, _: pm.WSM()),
    "WSM minmax": _plain(wsm, lambda pm, pn: pm.WSM(pn.minmax_normalization)),
    "WPM sum": _plain(lambda x, w, d: wpm(x, w, d, "sum"), lambda pm, _: pm.WPM()),
    "WPM max": _plain(wpm, lambda pm, pn: pm.WPM(pn.linear_normalization)),
    "PROMETHEE II usual": _promethee("usual", "usual"),
    "PROMETHEE II ushape": _promethee("ushape", "ushape"),
    "PROMETHEE II vshape": _promethee("vshape", "vshape"),
    "PROMETHEE II level": _promethee("level", "level"),
    "PROMETHEE II linear": _promethee("linear", "vshape_2"),
}


def cross_check_differences(name: str) -> FloatArray:
    """Largest absolute score difference from pymcdm on each random problem."""
    pair = CROSS_CHECKS[name]
    return np.array(
        [
            np.max(np.abs(np.subtract(*pair(problem, seed))))
            for seed, problem in enumerate(random_problems())
        ]
    )


@pytest.mark.property
@pytest.mark.parametrize("name", list(CROSS_CHECKS))
def test_agrees_with_pymcdm_on_random_problems(name: str) -> None:
    differences = cross_check_differences(name)
    assert len(differences) == RANDOM_PROBLEMS
    assert differences.max() < 1e-10


def test_vikor_compromise_with_q_tied_but_for_rounding() -> None:
    """Found by Hypothesis: two rows whose Q differ only by rounding must be ordered alike in
    ``order`` and ``compromise``."""
    matrix = np.array([[1.0, 1.0, 30.0], [1.0, 1.0, 31.0], [1.0, 2.0, 26.0]])
    weights = np.array([1 / 7, 1 / 7, 5 / 7])
    result = vikor(matrix, weights, np.ones(3), v=0.0)
    assert result.compromise[0] == int(result.order[0])


KINDS: tuple[PreferenceFunction, ...] = ("usual", "ushape", "vshape", "level", "linear", "gaussian")


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(2, 60),
    n=st.integers(1, 8),
    integers=st.booleans(),
)
def test_promethee_flows_from_sorted_columns_equal_the_pairwise_definition(
    seed: int, m: int, n: int, integers: bool
) -> None:
    """The flows come from sorted columns and prefix sums; the preference index is the
    definition, pair by pair. Integer data makes ties and differences exactly on a threshold."""
    rng = np.random.default_rng(seed)
    if integers:
        x = rng.integers(0, 12, size=(m, n)).astype(float)
        q = rng.integers(0, 3, size=n).astype(float)
        p = q + rng.integers(1, 4, size=n)
    else:
        x = rng.normal(0.0, 1e3, size=(m, n)) * rng.uniform(1e-3, 1.0, size=n)
        q, p = _thresholds(x, seed % 1000)
    kinds = [KINDS[k] for k in rng.integers(0, len(KINDS), size=n)]
    w = rng.dirichlet(np.ones(n))
    d = rng.choice([-1.0, 1.0], size=n)
    s = p.copy()
    result = promethee_ii(x, w, d, kinds, q=q, p=p, s=s)
    index = result.preference_index
    np.testing.assert_allclose(
        result.positive_flow, index.sum(axis=1) / (m - 1), rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        result.negative_flow, index.sum(axis=0) / (m - 1), rtol=0, atol=1e-12
    )
    assert not index.flags.writeable
