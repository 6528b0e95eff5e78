"""Stakeholder surveys: Likert items and Net Promoter Score, per period and as a trend.

Likert items (1..scale_max) get the mean with a Student-t interval, the top-2-box share (the
two highest points) with a Wilson (1927) interval, and the count at each point. NPS (0..10)
is %promoters (9–10) − %detractors (0–6) in points, −100..100 (Reichheld 2003). Its interval
is the adjusted Wald interval that Rocks (2016, "Interval estimation for the 'Net Promoter
Score'", The American Statistician 70(4)) found to cover best among six methods, as Sauro and
Lewis (MeasuringU, "Confidence intervals for Net Promoter Scores", 2021) describe it: add ¾ to
the promoters, ¾ to the detractors and 3 to n, then take the normal interval of the difference
of the two multinomial shares, Var = (p_P + p_D − (p_P − p_D)²)/n, clipped to ±100. The plain
(Wald) interval is far too narrow for small samples and has zero width when every answer falls
in one category: 19 promoters and 1 passive give Wald 85.4–100, adjusted Wald 63.9–100. The
NPS itself is the plain one; only its standard error and interval use the adjusted counts (the
interval is widened, where needed, to take in the NPS observed).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy import stats

from sourcewise.governance.pilot import Interval, wilson_interval


class QuestionKind(StrEnum):
    LIKERT = "likert"
    NPS = "nps"


@dataclass(frozen=True, slots=True)
class LikertSummary:
    """``counts[i]`` is the number of responses equal to ``i + 1``; ``se`` is the standard
    error of the mean; ``top2_box`` is the share answering ``scale_max − 1`` or ``scale_max``."""

    n: int
    scale_max: int
    confidence: float
    mean: float
    sd: float
    se: float
    mean_interval: Interval
    top2_box: float
    top2_interval: Interval
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class NpsSummary:
    """Shares are fractions (0..1); ``nps``, ``se`` and ``interval`` are in points (−100..100)."""

    n: int
    confidence: float
    promoters: int
    passives: int
    detractors: int
    share_promoters: float
    share_detractors: float
    nps: float
    se: float
    interval: Interval


@dataclass(frozen=True, slots=True)
class TrendPeriod:
    label: str
    summary: LikertSummary | NpsSummary
    value: float  # mean score (Likert) or NPS points
    interval: Interval


@dataclass(frozen=True, slots=True)
class TrendChange:
    """``change`` = later − earlier value; ``significant`` when its interval excludes 0."""

    from_label: str
    to_label: str
    change: float
    interval: Interval
    significant: bool


@dataclass(frozen=True, slots=True)
class SurveyTrend:
    kind: QuestionKind
    periods: tuple[TrendPeriod, ...]
    changes: tuple[TrendChange, ...]


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")


def _check_scores(scores: Sequence[int], low: int, high: int, field: str) -> None:
    for i, x in enumerate(scores):
        # bool is an int subclass; True as "1" would be a silent data error.
        if isinstance(x, bool) or not isinstance(x, int | np.integer):
            raise ValueError(f"{field}[{i}] must be an integer, got {x!r}")
        if not low <= x <= high:
            raise ValueError(f"{field}[{i}] = {x} is outside the scale {low}..{high}")


def summarise_likert(
    responses: Sequence[int], scale_max: int = 5, confidence: float = 0.95
) -> LikertSummary:
    """Mean with a t interval, top-2-box share with a Wilson interval, and counts per point.
    Needs at least two responses (one gives no spread)."""
    _check_confidence(confidence)
    if isinstance(scale_max, bool) or not isinstance(scale_max, int) or scale_max < 3:
        raise ValueError(f"scale_max must be an integer of at least 3, got {scale_max!r}")
    _check_scores(responses, 1, scale_max, "responses")
    n = len(responses)
    if n < 2:
        raise ValueError(f"responses: need at least 2, got {n}")
    xs = [int(x) for x in responses]
    mean = math.fsum(xs) / n
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    se = sd / math.sqrt(n)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    counts = tuple(xs.count(v) for v in range(1, scale_max + 1))
    top2 = counts[-1] + counts[-2]
    return LikertSummary(
        n=n,
        scale_max=scale_max,
        confidence=confidence,
        mean=mean,
        sd=sd,
        se=se,
        mean_interval=Interval(mean - half, mean + half),
        top2_box=top2 / n,
        top2_interval=wilson_interval(top2, n, confidence),
        counts=counts,
    )


PROMOTER_MIN = 9
DETRACTOR_MAX = 6


ADJUSTED_WALD_EACH = 0.75
"""Added to the promoters and to the detractors for the NPS interval (Rocks 2016)."""
ADJUSTED_WALD_N = 3
"""Added to the number of answers for the NPS interval (Rocks 2016)."""


def promoters_and_detractors(scores: Sequence[int]) -> tuple[int, int]:
    """How many scores (0..10) are promoters (9–10) and how many detractors (0–6)."""
    promoters = sum(1 for x in scores if x >= PROMOTER_MIN)
    detractors = sum(1 for x in scores if x <= DETRACTOR_MAX)
    return promoters, detractors


def net_promoter_score(scores: Sequence[int]) -> float:
    """%promoters − %detractors, in points (−100..100); ``scores`` must not be empty."""
    promoters, detractors = promoters_and_detractors(scores)
    return 100.0 * (promoters - detractors) / len(scores)


def summarise_nps(scores: Sequence[int], confidence: float = 0.95) -> NpsSummary:
    """NPS in points with the adjusted Wald interval (module docstring)."""
    _check_confidence(confidence)
    _check_scores(scores, 0, 10, "scores")
    n = len(scores)
    if n == 0:
        raise ValueError("scores must not be empty")
    promoters, detractors = promoters_and_detractors(scores)
    p_p, p_d = promoters / n, detractors / n
    nps = p_p - p_d
    n_adj = n + ADJUSTED_WALD_N
    a_p, a_d = (promoters + ADJUSTED_WALD_EACH) / n_adj, (detractors + ADJUSTED_WALD_EACH) / n_adj
    centre = a_p - a_d
    # Clamp rounding noise (e.g. -1e-17) before the sqrt.
    se = math.sqrt(max(0.0, (a_p + a_d - centre**2) / n_adj))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    # The adjusted interval is centred on the adjusted counts, so for a handful of answers all in
    # one category it can leave out the NPS observed (one detractor: −98.5..48.5 around −100);
    # it is widened to take it in.
    low = max(-1.0, min(centre - z * se, nps))
    high = min(1.0, max(centre + z * se, nps))
    return NpsSummary(
        n=n,
        confidence=confidence,
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        share_promoters=p_p,
        share_detractors=p_d,
        nps=100 * nps,
        se=100 * se,
        interval=Interval(100 * low, 100 * high),
    )


def survey_trend(
    periods: Sequence[tuple[str, Sequence[int]]],
    kind: QuestionKind,
    scale_max: int = 5,
    confidence: float = 0.95,
) -> SurveyTrend:
    """Summarise each (label, responses) period in the order given and the change between
    consecutive periods. The periods are independent samples, so the change has standard
    error sqrt(se₁² + se₂²); its interval uses the normal quantile for NPS and Student t
    with Welch–Satterthwaite degrees of freedom (Welch 1947) for Likert means. The change is
    ``significant`` when that interval excludes 0 (a two-sample test at 1 − confidence, with
    no correction for looking at several consecutive pairs)."""
    _check_confidence(confidence)
    if not periods:
        raise ValueError("periods must not be empty")
    labels = [label for label, _ in periods]
    if len(set(labels)) != len(labels):
        raise ValueError(f"period labels must be unique, got {labels}")
    out: list[TrendPeriod] = []
    for label, responses in periods:
        summary: LikertSummary | NpsSummary
        if kind is QuestionKind.LIKERT:
            summary = summarise_likert(responses, scale_max, confidence)
            out.append(TrendPeriod(label, summary, summary.mean, summary.mean_interval))
        else:
            summary = summarise_nps(responses, confidence)
            out.append(TrendPeriod(label, summary, summary.nps, summary.interval))
    changes = []
    for a, b in itertools.pairwise(out):
        change, se = b.value - a.value, math.hypot(a.summary.se, b.summary.se)
        if isinstance(a.summary, LikertSummary) and isinstance(b.summary, LikertSummary):
            v1, v2 = a.summary.se**2, b.summary.se**2
            n1, n2 = a.summary.n, b.summary.n
            df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)) if se > 0 else 1.0
            q = float(stats.t.ppf(0.5 + confidence / 2, df))
        else:
            q = float(stats.norm.ppf(0.5 + confidence / 2))
        iv = Interval(change - q * se, change + q * se)
        significant = iv.low > 0 or iv.high < 0
        changes.append(TrendChange(a.label, b.label, change, iv, significant))
    return SurveyTrend(kind, tuple(out), tuple(changes))
