"""Stakeholder surveys: NPS and Likert hand examples, scipy cross-checks, trends, validation."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from sourcewise.governance.pilot import wilson_interval
from sourcewise.governance.surveys import (
    LikertSummary,
    NpsSummary,
    QuestionKind,
    net_promoter_score,
    summarise_likert,
    summarise_nps,
    survey_trend,
)

Z95 = 1.959963984540054


def nps_scores(promoters: int, passives: int, detractors: int) -> list[int]:
    # Spread each group over its whole band so the category edges (9, 7, 6, 0) are exercised.
    def spread(band: range, count: int) -> list[int]:
        return [band[i % len(band)] for i in range(count)]

    return (
        spread(range(9, 11), promoters)
        + spread(range(7, 9), passives)
        + spread(range(7), detractors)
    )


def test_nps_hand_example() -> None:
    s = summarise_nps(nps_scores(50, 30, 20))
    assert (s.promoters, s.passives, s.detractors, s.n) == (50, 30, 20, 100)
    assert s.nps == pytest.approx(30.0)
    # Adjusted Wald: 50.75 promoters and 20.75 detractors of 103; the shares' difference
    # 0.291262 has Var = (0.492718 + 0.201456 − 0.291262²)/103.
    p, d = 50.75 / 103, 20.75 / 103
    var = (p + d - (p - d) ** 2) / 103
    assert s.se == pytest.approx(100 * math.sqrt(var))
    half = Z95 * 100 * math.sqrt(var)
    centre = 100 * (p - d)
    assert (s.interval.low, s.interval.high) == pytest.approx((centre - half, centre + half))
    assert (round(s.interval.low, 2), round(s.interval.high, 2)) == (14.05, 44.20)


def test_nps_interval_is_clipped_and_degenerate_at_the_edges() -> None:
    # 19 promoters and a passive: the plain Wald interval (85.4–100) is far too sure of
    # itself; the adjusted Wald interval Rocks (2016) recommends is 63.9–100.
    s = summarise_nps(nps_scores(19, 1, 0))
    assert s.nps == pytest.approx(95.0)
    assert (round(s.interval.low, 1), s.interval.high) == (63.9, 100.0)
    # All one category no longer gives a zero-width interval, and it keeps the NPS observed.
    s = summarise_nps([10] * 5)
    assert (s.nps, s.interval.high) == (100.0, 100.0)
    assert s.se > 0
    assert s.interval.low < 50
    s = summarise_nps([0])
    assert (s.nps, s.interval.low) == (-100.0, -100.0)
    assert s.interval.high > 0


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_nps_properties(scores: list[int]) -> None:
    s = summarise_nps(scores)
    assert s.promoters + s.passives + s.detractors == len(scores)
    assert -100.0 <= s.interval.low <= s.nps <= s.interval.high <= 100.0
    p = np.array(scores)
    assert s.nps == pytest.approx(100 * (np.mean(p >= 9) - np.mean(p <= 6)))


@pytest.mark.parametrize(
    ("scores", "message"),
    [([9, 10, 11], r"scores\[2\] = 11"), ([5, -1], r"scores\[1\] = -1"), ([], "empty"),
     ([9, 8.5], r"scores\[1\] must be an integer"), ([True], r"scores\[0\]")],
)  # fmt: skip
def test_nps_validation(scores: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        summarise_nps(scores)


def test_likert_hand_example() -> None:
    responses = [1, 2, 3, 4, 5, 5, 4]
    s = summarise_likert(responses)
    assert s.counts == (1, 1, 1, 2, 2)
    assert s.mean == pytest.approx(24 / 7)
    assert s.sd == pytest.approx(np.std(responses, ddof=1))
    ref = stats.t.interval(0.95, 6, np.mean(responses), stats.sem(responses))
    assert (s.mean_interval.low, s.mean_interval.high) == pytest.approx(ref, abs=1e-12)
    assert s.top2_box == pytest.approx(4 / 7)
    assert s.top2_interval == wilson_interval(4, 7)


def test_likert_seven_point_scale_top_two_is_six_and_seven() -> None:
    s = summarise_likert([7, 6, 5, 5, 1, 7, 4, 6], scale_max=7, confidence=0.9)
    assert s.counts == (1, 0, 0, 1, 2, 2, 2)
    assert s.top2_box == pytest.approx(4 / 8)
    assert s.top2_interval == wilson_interval(4, 8, 0.9)
    ref = stats.t.interval(0.9, 7, s.mean, s.se)
    assert (s.mean_interval.low, s.mean_interval.high) == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize(
    ("responses", "scale_max", "message"),
    [([1, 0, 3], 5, r"responses\[1\] = 0"), ([1, 6], 5, r"responses\[1\] = 6"),
     ([7, 3], 7, None), ([4], 5, "at least 2"), ([4, 4.0], 5, r"responses\[1\]"),
     ([1, 2], 2, "scale_max")],
)  # fmt: skip
def test_likert_validation(responses: list[int], scale_max: int, message: str | None) -> None:
    if message is None:
        assert summarise_likert(responses, scale_max).n == 2
        return
    with pytest.raises(ValueError, match=message):
        summarise_likert(responses, scale_max)


def test_likert_trend_change_matches_welch() -> None:
    q1 = [3, 4, 3, 2, 4, 3, 3, 4, 2, 3]
    q2 = [4, 5, 4, 4, 5, 3, 4, 5, 4, 4, 5]
    q3 = [4, 4, 5, 4, 3, 4, 5, 4, 4, 5]
    trend = survey_trend([("Q1", q1), ("Q2", q2), ("Q3", q3)], QuestionKind.LIKERT)
    assert [p.label for p in trend.periods] == ["Q1", "Q2", "Q3"]
    assert all(isinstance(p.summary, LikertSummary) for p in trend.periods)
    first, second = trend.changes
    ci = stats.ttest_ind(q2, q1, equal_var=False).confidence_interval(0.95)
    assert first.change == pytest.approx(np.mean(q2) - np.mean(q1))
    assert (first.interval.low, first.interval.high) == pytest.approx((ci.low, ci.high))
    assert first.significant
    assert (first.from_label, first.to_label) == ("Q1", "Q2")
    assert not second.significant


def test_nps_trend_change_uses_combined_standard_error() -> None:
    a, b = nps_scores(50, 30, 20), nps_scores(30, 30, 40)
    trend = survey_trend([("2024", a), ("2025", b)], QuestionKind.NPS)
    sa, sb = summarise_nps(a), summarise_nps(b)
    assert isinstance(trend.periods[1].summary, NpsSummary)
    (change,) = trend.changes
    assert change.change == pytest.approx(sb.nps - sa.nps) == pytest.approx(-40.0)
    half = Z95 * math.hypot(sa.se, sb.se)
    assert (change.interval.low, change.interval.high) == pytest.approx((-40 - half, -40 + half))
    assert change.significant
    small = survey_trend([("a", [10, 9, 3]), ("b", [10, 3, 3])], QuestionKind.NPS)
    assert not small.changes[0].significant


def test_trend_validation() -> None:
    with pytest.raises(ValueError, match="empty"):
        survey_trend([], QuestionKind.NPS)
    with pytest.raises(ValueError, match="unique"):
        survey_trend([("Q1", [1, 2]), ("Q1", [3, 4])], QuestionKind.LIKERT)
    assert survey_trend([("Q1", [9, 10])], QuestionKind.NPS).changes == ()


def test_net_promoter_score_is_promoters_minus_detractors_in_points() -> None:
    # 9-10 promote, 7-8 are passive, 0-6 detract: (3 - 1) of 5 is 40 points.
    assert net_promoter_score([10, 9, 9, 8, 6]) == pytest.approx(40.0)
    assert summarise_nps([10, 9, 9, 8, 6]).nps == pytest.approx(40.0)


def test_likert_top_two_box_interval_matches_newcombe() -> None:
    # Newcombe (1998a), Stat Med 17:857–872, Table I, method 3 (Wilson): 15 of 148 is
    # 0.0624–0.1605 and 81 of 263 is 0.2553–0.3662; here as the top-2 box of a 5-point item.
    for top, n, expected in ((15, 148, (0.0624, 0.1605)), (81, 263, (0.2553, 0.3662))):
        s = summarise_likert([5] * top + [3] * (n - top))
        assert s.top2_box == pytest.approx(top / n)
        assert (round(s.top2_interval.low, 4), round(s.top2_interval.high, 4)) == expected
