"""Multi-criteria ranking methods: WSM, WPM, TOPSIS, VIKOR, PROMETHEE II and ELECTRE I.

Every method takes an (alternatives × criteria) ``matrix``, ``weights`` summing to 1 and
``directions`` (``+1`` benefit, ``-1`` cost), checked by ``matrix.validate``, and returns a
frozen ``Ranking`` subclass: ``scores`` and ``ranks`` (1 = best) plus the method's own
intermediate results. All work is done on whole arrays; the pairwise methods (PROMETHEE,
ELECTRE) compare every pair of alternatives on every criterion in one (m, m, n) array.

References:

- WSM, WPM: Triantaphyllou, *Multi-Criteria Decision Making Methods: A Comparative Study*
  (Kluwer, 2000), ch. 2.
- TOPSIS: Hwang & Yoon, *Multiple Attribute Decision Making* (Springer, 1981), pp. 128–134.
- VIKOR: Opricovic & Tzeng, "Compromise solution by MCDM methods: A comparative analysis of
  VIKOR and TOPSIS", EJOR 156 (2004) 445–455.
- PROMETHEE II: Brans & Vincke, "A preference ranking organisation method", Management Science
  31 (1985) 647–656; Brans, Vincke & Mareschal, "How to select and how to rank projects: the
  PROMETHEE method", EJOR 24 (1986) 228–238.
- ELECTRE I: Roy, "Classement et choix en présence de points de vue multiples", RIRO 8 (1968)
  57–75; Figueira, Mousseau & Roy, "ELECTRE methods", in *Multiple Criteria Decision Analysis:
  State of the Art Surveys* (Springer, 2005).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from sourcewise.decision.matrix import (
    BoolArray,
    FloatArray,
    Ranking,
    rank_scores,
    validate,
)

__all__ = [
    "DiscordanceScale",
    "ElectreResult",
    "PreferenceFunction",
    "PrometheeResult",
    "TopsisResult",
    "VikorResult",
    "WeightedResult",
    "electre_i",
    "promethee_ii",
    "topsis",
    "vikor",
    "wpm",
    "wsm",
]

WsmNormalisation = Literal["minmax", "max", "sum"]
WpmNormalisation = Literal["max", "sum"]
TopsisNormalisation = Literal["vector", "minmax"]
PreferenceFunction = Literal["usual", "ushape", "vshape", "level", "linear", "gaussian"]
DiscordanceScale = Literal["per-criterion", "largest-range"]

_EPS = 1e-12
"""Slack on threshold comparisons, so that round-off does not flip a tie the inputs make."""


@dataclass(frozen=True, slots=True, eq=False)
class WeightedResult(Ranking):
    """WSM or WPM: ``scores`` aggregate ``normalised``, the criteria rescaled so more is better."""

    normalised: FloatArray


@dataclass(frozen=True, slots=True, eq=False)
class TopsisResult(Ranking):
    """TOPSIS: ``scores`` are the relative closeness ``D⁻ / (D⁺ + D⁻)`` in [0, 1]."""

    normalised: FloatArray
    weighted: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    distance_to_ideal: FloatArray
    distance_to_anti_ideal: FloatArray


@dataclass(frozen=True, slots=True, eq=False)
class VikorResult(Ranking):
    """VIKOR: ``scores`` are Q (lower is better); S is group utility, R individual regret.

    ``compromise`` lists the compromise solution(s), best first: the best alternative by Q alone
    when both conditions hold, the best two when only stability fails, and otherwise every
    alternative whose Q is within DQ = 1/(m − 1) of the best.
    """

    s: FloatArray
    r: FloatArray
    q: FloatArray
    v: float
    acceptable_advantage: bool
    """Q(A⁽²⁾) − Q(A⁽¹⁾) ≥ DQ."""
    acceptable_stability: bool
    """A⁽¹⁾ is also best by S or by R."""
    compromise: tuple[int, ...]


@dataclass(frozen=True, slots=True, eq=False)
class PrometheeResult(Ranking):
    """PROMETHEE II: ``scores`` are the net flows φ = φ⁺ − φ⁻ in [−1, 1].

    ``preference_index[a, b]`` is π(a, b), the weighted preference for row a over row b: an
    (m, m) matrix the flows do not need, so it is computed when it is asked for.
    """

    positive_flow: FloatArray
    negative_flow: FloatArray
    net_flow: FloatArray
    _pairwise: Callable[[], FloatArray] = field(repr=False)

    @property
    def preference_index(self) -> FloatArray:
        index = self._pairwise()
        index.setflags(write=False)
        return index


@dataclass(frozen=True, slots=True, eq=False)
class ElectreResult(Ranking):
    """ELECTRE I: the outranking relation and its kernel (the choice the method proposes).

    ELECTRE I chooses, it does not rank; ``scores`` summarise the relation as how many
    alternatives each one outranks minus how many outrank it, to order the rows for display.
    ``outranks[a, b]`` means row a outranks row b (the diagonal is left out).
    ``discordance_scale`` is the divisor used: ``"per-criterion"`` or ``"largest-range"``.
    """

    concordance: FloatArray
    discordance: FloatArray
    outranks: BoolArray
    c_threshold: float
    d_threshold: float
    kernel: tuple[int, ...]
    discordance_scale: DiscordanceScale = "per-criterion"


def _positive(x: FloatArray, method: str) -> None:
    bad = [f"matrix[{i}, {j}] is {x[i, j]}" for i, j in zip(*np.nonzero(x <= 0), strict=True)]
    if bad:
        listed = "; ".join(bad[:10]) + (f"; ... and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise ValueError(f"{method} needs every value greater than zero: {listed}")


def _minmax(x: FloatArray, d: FloatArray) -> FloatArray:
    """0 = worst, 1 = best on each criterion; a criterion where all are equal gives all 1."""
    low, high = x.min(axis=0), x.max(axis=0)
    span = high - low
    flat = span == 0
    r = np.where(d > 0, x - low, high - x) / np.where(flat, 1.0, span)
    return np.where(flat, 1.0, r)


def _ratio(x: FloatArray, d: FloatArray, normalisation: str, method: str) -> FloatArray:
    """Ratio-scale normalisations for positive data: ``max`` (x/max, min/x) or ``sum``."""
    _positive(x, method)
    if normalisation == "max":
        ratios: FloatArray = np.where(d > 0, x / x.max(axis=0), x.min(axis=0) / x)
        return ratios
    if normalisation == "sum":
        oriented = np.where(d > 0, x, 1.0 / x)
        shares: FloatArray = oriented / oriented.sum(axis=0)
        return shares
    raise ValueError(f"{method} normalisation must be 'max' or 'sum', not {normalisation!r}")


def wsm(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    normalisation: WsmNormalisation = "minmax",
) -> WeightedResult:
    """Weighted sum model: ``score_i = Σ_j w_j r_ij`` over normalised values ``r``.

    ``normalisation``: ``"minmax"`` (0 = worst, 1 = best of the alternatives; a criterion where
    all are equal scores 1), ``"max"`` (``x/max`` for benefits, ``min/x`` for costs) or ``"sum"``
    (``x/Σx``, costs ``(1/x)/Σ(1/x)``, pymcdm's default). The last two need positive values.
    """
    x, w, d = validate(matrix, weights, directions)
    if normalisation == "minmax":
        r = _minmax(x, d)
    elif normalisation in ("max", "sum"):
        r = _ratio(x, d, normalisation, "WSM")
    else:
        raise ValueError(f"WSM normalisation must be one of {get_args(WsmNormalisation)}")
    scores = r @ w
    return WeightedResult("WSM", scores, True, r)


def wpm(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    normalisation: WpmNormalisation = "max",
) -> WeightedResult:
    """Weighted product model: ``score_i = Π_j r_ij ^ w_j``; every value must be positive.

    With ``"max"`` (``x/max``, costs ``min/x``) a score of 1 means best on every criterion;
    ``"sum"`` is pymcdm's default. Either way the ratio of two scores is Triantaphyllou's
    ``P(A_k / A_l) = Π_j (x_kj / x_lj) ^ (±w_j)``, so the ranking does not depend on the choice.
    """
    x, w, d = validate(matrix, weights, directions)
    r = _ratio(x, d, normalisation, "WPM")
    scores = np.exp(np.log(r) @ w)
    return WeightedResult("WPM", scores, True, r)


def topsis(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    normalisation: TopsisNormalisation = "vector",
) -> TopsisResult:
    """TOPSIS: closeness to the ideal and distance from the anti-ideal alternative.

    ``"vector"`` (Hwang & Yoon) divides each column by its Euclidean norm and takes the ideal as
    the best weighted value per criterion (max for benefits, min for costs); ``"minmax"`` rescales
    each column to 0 = worst, 1 = best first. Distances are Euclidean over weighted values and
    ``score = D⁻ / (D⁺ + D⁻)``; when every alternative is identical, all score 0.5.
    """
    x, w, d = validate(matrix, weights, directions)
    if normalisation == "vector":
        columns = _by_criterion(x)
        norm = np.sqrt(np.einsum("ji,ji->j", columns, columns))
        r = columns / np.where(norm == 0, 1.0, norm)[:, None]
        weighted = r * w[:, None]
        best, worst = weighted.max(axis=1), weighted.min(axis=1)
        ideal = np.where(d > 0, best, worst)
        anti_ideal = np.where(d > 0, worst, best)
    elif normalisation == "minmax":
        r = _by_criterion(_minmax(x, d))
        weighted = r * w[:, None]
        ideal, anti_ideal = weighted.max(axis=1), weighted.min(axis=1)
    else:
        raise ValueError(f"TOPSIS normalisation must be one of {get_args(TopsisNormalisation)}")
    to_ideal = _distances(weighted, ideal)
    to_anti = _distances(weighted, anti_ideal)
    total = to_ideal + to_anti
    scores = np.where(total > 0, to_anti / np.where(total > 0, total, 1.0), 0.5)
    return TopsisResult(
        "TOPSIS", scores, True, r.T, weighted.T, ideal, anti_ideal, to_ideal, to_anti
    )


def _by_criterion(x: FloatArray) -> FloatArray:
    """The matrix criteria × alternatives, contiguous: reductions over the alternatives of a
    criterion then run along memory, several times faster than down the columns of ``x``."""
    return np.ascontiguousarray(x.T)


def _distances(weighted: FloatArray, point: FloatArray) -> FloatArray:
    """Euclidean distance of each alternative (column of ``weighted``) from ``point``."""
    gaps = weighted - point[:, None]
    distances: FloatArray = np.sqrt(np.einsum("ji,ji->i", gaps, gaps))
    return distances


def _unit(values: FloatArray) -> FloatArray:
    """(a − min) / (max − min), or all zeros when the values are equal."""
    span = values.max() - values.min()
    if span == 0:
        return np.zeros_like(values)
    unit: FloatArray = (values - values.min()) / span
    return unit


def vikor(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    v: float = 0.5,
) -> VikorResult:
    """VIKOR compromise ranking (Opricovic & Tzeng 2004), ranked by Q ascending.

    With ``f*`` and ``f⁻`` the best and worst value of each criterion, ``S_i = Σ_j w_j
    (f*_j − f_ij)/(f*_j − f⁻_j)`` (group utility), ``R_i`` the largest such term (individual
    regret) and ``Q_i = v (S_i − S*)/(S⁻ − S*) + (1 − v)(R_i − R*)/(R⁻ − R*)``; ``v`` weighs
    the strategy of the majority. A criterion on which all alternatives are equal adds nothing
    to S or R, and a flat S or R adds nothing to Q. Needs at least two alternatives.
    """
    x, w, d = validate(matrix, weights, directions, min_alternatives=2)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"v must lie in [0, 1], got {v}")
    columns = _by_criterion(x)
    high, low = columns.max(axis=1), columns.min(axis=1)
    best, worst = np.where(d > 0, high, low), np.where(d > 0, low, high)
    span = best - worst
    flat = span == 0
    # w_j / (f*_j − f⁻_j) per criterion first, so the full-size work is one subtract, one multiply.
    scale = np.where(flat, 0.0, w / np.where(flat, 1.0, span))
    terms = (best[:, None] - columns) * scale[:, None]
    s, r = terms.sum(axis=0), terms.max(axis=0)
    q = v * _unit(s) + (1.0 - v) * _unit(r)

    # Order by the same tie-aware ranks as the result's ``order``: Q values equal but for
    # rounding must not be ordered differently here and there.
    order = np.argsort(rank_scores(q, higher_is_better=False), kind="stable")
    first = int(order[0])
    dq = 1.0 / (len(q) - 1)
    gaps = q[order] - q[first]
    advantage = bool(gaps[1] >= dq - _EPS)
    stability = bool(s[first] <= s.min() + _EPS or r[first] <= r.min() + _EPS)
    if advantage and stability:
        compromise: tuple[int, ...] = (first,)
    elif advantage:
        compromise = (first, int(order[1]))
    else:
        compromise = tuple(int(i) for i in order[gaps < dq - _EPS])
    return VikorResult(
        "VIKOR", q.copy(), False, s, r, q, float(v), advantage, stability, compromise
    )


_USES: dict[str, tuple[str, ...]] = {
    "usual": (),
    "ushape": ("q",),
    "vshape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}


def _preference(
    d: FloatArray, kind: str, q: FloatArray, p: FloatArray, s: FloatArray
) -> FloatArray:
    """P(d) in [0, 1] for advantages ``d`` (last axis = the criteria of one function kind)."""
    if kind == "usual":
        return (d > 0).astype(np.float64)
    if kind == "ushape":
        return (d > q).astype(np.float64)
    if kind == "vshape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if kind == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    return np.where(d > 0, -np.expm1(-(d**2) / (2.0 * s**2)), 0.0)  # gaussian


def _thresholds(
    kinds: tuple[str, ...],
    scalar_kind: bool,
    given: dict[str, float | npt.ArrayLike | None],
) -> dict[str, FloatArray]:
    """Per-criterion q, p, s, checked where the criterion's function uses them (else 1.0)."""
    n = len(kinds)
    problems: list[str] = []
    out: dict[str, FloatArray] = {}
    for name, value in given.items():
        used = np.array([name in _USES[kind] for kind in kinds], dtype=bool)
        if value is None:
            out[name] = np.ones(n)
            if used.any():
                missing = sorted({kinds[j] for j in np.flatnonzero(used)})
                problems.append(f"{name} is required by the {', '.join(missing)} function(s)")
            continue
        if scalar_kind and not used.any():
            problems.append(f"{name} is not used by the {kinds[0]!r} preference function")
            continue
        try:
            array = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()
        except ValueError:
            problems.append(f"{name} must be a number or one per criterion ({n})")
            continue
        problems += [
            f"{name}[{j}] is not finite" for j in np.flatnonzero(used & ~np.isfinite(array))
        ]
        out[name] = np.where(used & np.isfinite(array), array, 1.0)
    if not problems:
        q, p, s = out["q"], out["p"], out["s"]
        kind = np.array(kinds)
        checks = [
            ((q < 0) & np.isin(kind, ("ushape", "level", "linear")), "q[{j}] is negative ({v})", q),
            ((p <= 0) & (kind == "vshape"), "p[{j}] must be positive ({v})", p),
            ((p <= q) & np.isin(kind, ("level", "linear")), "p[{j}] must exceed q ({v})", p),
            ((s <= 0) & (kind == "gaussian"), "s[{j}] must be positive ({v})", s),
        ]
        for mask, message, values in checks:
            problems += [message.format(j=j, v=values[j]) for j in np.flatnonzero(mask)]
    if problems:
        raise ValueError("invalid PROMETHEE parameters: " + "; ".join(problems))
    return out


def promethee_ii(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    preference: PreferenceFunction | Sequence[PreferenceFunction] = "usual",
    q: float | npt.ArrayLike | None = None,
    p: float | npt.ArrayLike | None = None,
    s: float | npt.ArrayLike | None = None,
) -> PrometheeResult:
    """PROMETHEE II complete ranking by net outranking flow.

    For each pair (a, b) and criterion j the advantage ``d = ±(x_aj − x_bj)`` (sign by direction)
    becomes a preference ``P_j(d)`` in [0, 1] by the criterion's function (Brans & Vincke's six
    generalised criteria): ``usual`` (1 if d > 0), ``ushape`` (1 if d > q), ``vshape`` (d/p up
    to 1), ``level`` (½ if q < d ≤ p, 1 if d > p), ``linear`` ((d − q)/(p − q) between q and p)
    and ``gaussian`` (1 − exp(−d²/2s²)). ``preference`` is one name for every criterion or one
    per criterion; ``q`` (indifference), ``p`` (preference) and ``s`` (Gaussian) thresholds are a
    scalar or one per criterion, in the criterion's units. With one function for all criteria a
    threshold it does not use is an error; with one per criterion, entries for criteria whose
    function does not use them are ignored (NaN will do). Brans & Vincke give the level and
    linear criteria the start and the width of the ramp; here ``p`` is its end, q + width.
    ``π(a, b) = Σ_j w_j P_j``, ``φ⁺(a) = Σ_b π(a, b) /
    (m − 1)``, ``φ⁻(a) = Σ_b π(b, a) / (m − 1)``, and the score is ``φ⁺ − φ⁻``.
    """
    x, w, d = validate(matrix, weights, directions, min_alternatives=2)
    m, n = x.shape
    scalar_kind = isinstance(preference, str)
    kinds = (preference,) * n if isinstance(preference, str) else tuple(preference)
    if len(kinds) != n:
        raise ValueError(
            f"preference must be one name or one per criterion ({n}), got {len(kinds)}"
        )
    unknown = sorted({k for k in kinds if k not in _USES})
    if unknown:
        raise ValueError(f"unknown preference function(s) {unknown}; use {list(_USES)}")
    thresholds = _thresholds(kinds, scalar_kind, {"q": q, "p": p, "s": s})
    q_, p_, s_ = (thresholds[key] for key in ("q", "p", "s"))

    def pairwise(columns: Sequence[int]) -> FloatArray:
        """Σ_j w_j P_j(a, b) over ``columns``, by the definition: one (m, m) slice per
        criterion, which stays in cache where a full (m, m, n) array would not."""
        index = np.zeros((m, m))
        for j in columns:
            advantage = d[j] * (x[:, j, None] - x[None, :, j])  # [a, b]: how much a beats b
            index += w[j] * _preference(advantage, kinds[j], q_[j], p_[j], s_[j])
        return index

    positive, negative = np.zeros(m), np.zeros(m)
    gaussian = [j for j, kind in enumerate(kinds) if kind == "gaussian"]
    for j, kind in enumerate(kinds):
        if kind != "gaussian":
            given, taken = _sorted_flows(d[j] * x[:, j], kind, q_[j], p_[j])
            positive += w[j] * given
            negative += w[j] * taken
    if gaussian:  # smooth everywhere: no sorted shortcut, the pairwise sums
        index = pairwise(gaussian)
        positive += index.sum(axis=1)
        negative += index.sum(axis=0)
    positive /= m - 1
    negative /= m - 1
    net = positive - negative
    return PrometheeResult(
        "PROMETHEE II", net.copy(), True, positive, negative, net, lambda: pairwise(range(n))
    )


def _sorted_flows(v: FloatArray, kind: str, q: float, p: float) -> tuple[FloatArray, FloatArray]:
    """Σ_b P(v_a − v_b) and Σ_b P(v_b − v_a) for every a, from the sorted column (values
    oriented so that more is better), in O(m log m) instead of the O(m²) pairs.

    The step functions count the values beyond a threshold: P = [d > q] for the U-shape
    (q = 0: usual), and ½[d > q] + ½[d > p] for the level criterion. The linear ramp (V-shape:
    q = 0) adds the values within the ramp from prefix sums, Σ (v_a − q − v_b) / (p − q) over
    v_a − p ≤ v_b < v_a − q, centred first so the sums stay small. A difference that lands
    exactly on a threshold is compared as ``v_b < v_a − q`` rather than ``v_a − v_b > q``:
    the two can differ in the last bit only."""
    m = v.size
    ordered = np.sort(v)

    def below(t: FloatArray) -> FloatArray:  # how many v_b < t
        return np.searchsorted(ordered, t, side="left").astype(np.float64)

    def above(t: FloatArray) -> FloatArray:  # how many v_b > t
        return m - np.searchsorted(ordered, t, side="right").astype(np.float64)

    if kind == "usual":
        return below(v), above(v)
    if kind == "ushape":
        return below(v - q), above(v + q)
    if kind == "level":
        return 0.5 * (below(v - q) + below(v - p)), 0.5 * (above(v + q) + above(v + p))
    if kind == "vshape":
        q = 0.0
    centre = ordered[m // 2]
    c, centred = v - centre, ordered - centre
    sums = np.concatenate(([0.0], np.cumsum(centred)))
    width = p - q
    lo = np.searchsorted(centred, c - p, side="left")  # v_b < v_a − p: full preference
    hi = np.searchsorted(centred, c - q, side="left")  # up to v_a − q: on the ramp
    given = lo + ((hi - lo) * (c - q) - (sums[hi] - sums[lo])) / width
    lo = np.searchsorted(centred, c + q, side="right")  # v_b ≤ v_a + q: no preference
    hi = np.searchsorted(centred, c + p, side="right")  # beyond v_a + p: full preference
    taken = (m - hi) + ((sums[hi] - sums[lo]) - (hi - lo) * (c + q)) / width
    return given, taken


def _kernel(outranks: BoolArray) -> tuple[int, ...]:
    """Kernel of the outranking graph after merging its cycles (unique on the acyclic graph).

    Alternatives on a common cycle are indifferent (Roy), so the graph is condensed to its
    strongly connected classes; the kernel is then the set that no member of it outranks and
    that outranks everything outside it, built layer by layer from the unbeaten classes.
    """
    m = len(outranks)
    reach = outranks | np.eye(m, dtype=bool)
    for _ in range(max(1, m).bit_length() + 1):  # squaring doubles the path length covered
        reach = reach | ((reach.astype(np.int64) @ reach.astype(np.int64)) > 0)
    same = (reach & reach.T).astype(np.int64)
    between = (outranks & ~(same > 0)).astype(np.int64)
    arcs = (same @ between @ same) > 0  # class-to-class arcs, acyclic
    kernel = np.zeros(m, dtype=bool)
    undecided = np.ones(m, dtype=bool)
    for _ in range(m):  # each layer decides at least one class
        beaten = undecided & (arcs & kernel[:, None]).any(axis=0)
        free = undecided & ~(arcs & (undecided | kernel)[:, None]).any(axis=0)
        kernel |= free
        undecided &= ~(beaten | free)
        if not undecided.any():
            break
    return tuple(int(i) for i in np.flatnonzero(kernel))


def electre_i(
    matrix: npt.ArrayLike,
    weights: npt.ArrayLike,
    directions: npt.ArrayLike,
    c_threshold: float | None = None,
    d_threshold: float | None = None,
    discordance_scale: DiscordanceScale = "per-criterion",
) -> ElectreResult:
    """ELECTRE I: a outranks b when enough weight agrees (concordance) and no criterion vetoes.

    ``concordance[a, b]`` is the total weight of the criteria on which a is at least as good as
    b (ties count for both). ``discordance[a, b]`` is the largest shortfall of a behind b on any
    criterion, divided according to ``discordance_scale``:

    - ``"per-criterion"`` (the default): each criterion's shortfall by that criterion's own range
      over the alternatives, ``max_j (g_j(b) − g_j(a)) / (max g_j − min g_j)``, so the index lies
      in [0, 1] and does not depend on the criteria's units;
    - ``"largest-range"``: every shortfall by one δ, the largest range over all criteria,
      ``max_j (g_j(b) − g_j(a)) / δ`` (Roy 1968, the classic formulation), which assumes the
      criteria share one scale (marks out of 20, say): a shortfall of 3 points weighs the same
      on every criterion, however narrowly the alternatives spread on it.

    The two give the same discordance when every criterion has the same range, and otherwise
    can give different outranking relations and kernels. (Hwang & Yoon's textbook variant
    divides weighted, vector-normalised differences by the largest difference instead.) a
    outranks b when ``concordance ≥ c_threshold`` and ``discordance ≤ d_threshold``; each
    threshold defaults to the mean of its matrix over distinct pairs, as in Hwang & Yoon. The
    kernel is computed after merging cycles of the relation (see ``_kernel``). Needs at least
    two alternatives.
    """
    x, w, d = validate(matrix, weights, directions, min_alternatives=2)
    m = len(x)
    for name, value in (("c_threshold", c_threshold), ("d_threshold", d_threshold)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {value}")
    span = x.max(axis=0) - x.min(axis=0)
    if discordance_scale == "per-criterion":
        scale = np.where(span > 0, span, 1.0)
    elif discordance_scale == "largest-range":
        # All criteria equal everywhere: every shortfall is 0 and any divisor will do.
        scale = np.full_like(span, span.max() if span.max() > 0 else 1.0)
    else:
        raise ValueError(
            f"discordance_scale must be one of {get_args(DiscordanceScale)}, "
            f"not {discordance_scale!r}"
        )
    advantage = d * (x[:, None, :] - x[None, :, :])  # [a, b, j]: how much a beats b on j
    concordance = (advantage >= 0).astype(np.float64) @ w
    shortfall = np.clip(-advantage, 0.0, None) / scale
    discordance = shortfall.max(axis=2)
    distinct = ~np.eye(m, dtype=bool)
    c_bar = float(concordance[distinct].mean()) if c_threshold is None else float(c_threshold)
    d_bar = float(discordance[distinct].mean()) if d_threshold is None else float(d_threshold)
    outranks = (concordance >= c_bar - _EPS) & (discordance <= d_bar + _EPS) & distinct
    scores = (outranks.sum(axis=1) - outranks.sum(axis=0)).astype(np.float64)
    kernel = _kernel(outranks)
    return ElectreResult(
        "ELECTRE I",
        scores,
        True,
        concordance,
        discordance,
        outranks,
        c_bar,
        d_bar,
        kernel,
        discordance_scale,
    )
