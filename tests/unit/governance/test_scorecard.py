import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sourcewise.governance.kpis import Direction, ScorecardDomain
from sourcewise.governance.scorecard import (
    DEFAULT_BREACH_POINTS,
    DEFAULT_WEIGHTS,
    ScorecardTerms,
    attainment_score,
    grade,
    mean_weights,
    normalise_weights,
    score_provider,
    scorecard_history,
    sla_compliance_score,
)
from sourcewise.governance.service_levels import ServiceLevelKind

Q, D, C, R, K, S = (
    ScorecardDomain.QUALITY,
    ScorecardDomain.DELIVERY,
    ScorecardDomain.COST,
    ScorecardDomain.RELATIONSHIP,
    ScorecardDomain.RISK,
    ScorecardDomain.SERVICE_LEVELS,
)
JAN = date(2025, 1, 31)


# --- weights ------------------------------------------------------------------------------------


def test_default_weights_normalised() -> None:
    w = normalise_weights()
    # Relative weights: 30, 25, 20, 15, 10 and 25 for SLA compliance, out of 125.
    expected = {Q: 30, D: 25, C: 20, R: 15, K: 10, S: 25}
    assert w == pytest.approx({d: v / 125 for d, v in expected.items()}, abs=1e-12)
    assert math.fsum(DEFAULT_WEIGHTS.values()) == 125.0


def test_custom_weights_normalised_missing_ones_zero() -> None:
    w = normalise_weights({Q: 3.0, "cost": 1.0})  # type: ignore[dict-item]
    assert w == {Q: 0.75, D: 0.0, C: 0.25, R: 0.0, K: 0.0, S: 0.0}


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({Q: -1.0, D: 2.0}, "≥ 0"),
        ({Q: math.nan}, "≥ 0"),
        ({Q: 0.0, D: 0.0}, "positive"),
        ({}, "positive"),
        ({"speed": 1.0}, "unknown domain"),
    ],
)
def test_bad_weights_rejected(weights: dict[ScorecardDomain, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        score_provider("Acme", JAN, {Q: [90.0]}, weights)


# --- one scorecard ------------------------------------------------------------------------------


def test_all_domains_weighted_mean() -> None:
    card = score_provider(
        "Acme", JAN, {Q: [90.0, 80.0], D: [70.0], C: [100.0], R: [60.0], K: [50.0, 70.0]}
    )
    # 0.30·85 + 0.25·70 + 0.20·100 + 0.15·60 + 0.10·60 = 25.5 + 17.5 + 20 + 9 + 6 = 78
    assert card.overall == pytest.approx(78.0, abs=1e-12)
    assert card.grade == "C"
    # No SLA compliance (25 of 125): 100 of the 125 weight points had data.
    assert card.coverage == pytest.approx(0.8, abs=1e-12)
    assert card.domain(Q).score == pytest.approx(85.0)
    assert card.domain(Q).metrics == 2
    assert [d.domain for d in card.domains] == list(ScorecardDomain)
    assert card.change is None
    assert card.change_3_periods is None


def test_missing_domains_renormalised_with_coverage() -> None:
    card = score_provider("Acme", JAN, {Q: [90.0], D: [70.0], C: []})
    # only quality (30 of 125) and delivery (25) have data: (30·90 + 25·70) / 55
    assert card.overall == pytest.approx((27.0 + 17.5) / 0.55, abs=1e-12)
    assert card.coverage == pytest.approx(55 / 125, abs=1e-12)
    assert card.domain(Q).effective_weight == pytest.approx(30 / 55)
    assert card.domain(Q).weight == pytest.approx(30 / 125)
    cost = card.domain(C)
    assert (cost.score, cost.metrics, cost.effective_weight) == (None, 0, 0.0)
    assert cost.weight == pytest.approx(20 / 125)
    assert math.fsum(d.effective_weight for d in card.domains) == pytest.approx(1.0)


def test_no_data_or_only_zero_weight_data_gives_no_overall() -> None:
    empty = score_provider("Acme", JAN, {})
    assert (empty.overall, empty.grade, empty.coverage) == (None, None, 0.0)
    zero = score_provider("Acme", JAN, {K: [40.0]}, {Q: 1.0, K: 0.0})
    assert (zero.overall, zero.grade, zero.coverage) == (None, None, 0.0)
    assert zero.domain(K).score == 40.0


@pytest.mark.parametrize("bad", [-0.1, 100.5, math.nan, math.inf])
def test_metric_scores_must_be_0_to_100(bad: float) -> None:
    with pytest.raises(ValueError, match="quality metric 1"):
        score_provider("Acme", JAN, {Q: [50.0, bad]})


def test_unknown_metric_domain_rejected() -> None:
    with pytest.raises(ValueError, match="unknown domain"):
        score_provider("Acme", JAN, {"speed": [50.0]})  # type: ignore[dict-item]


# --- grades -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100.0, "A"),
        (90.0, "A"),
        (89.999, "B"),
        (80.0, "B"),
        (79.999, "C"),
        (70.0, "C"),
        (69.999, "D"),
        (60.0, "D"),
        (59.999, "F"),
        (0.0, "F"),
    ],
)
def test_grade_boundaries(score: float, expected: str) -> None:
    assert grade(score) == expected


@given(
    st.lists(st.floats(0.01, 100.0), min_size=len(ScorecardDomain), max_size=len(ScorecardDomain)),
    st.sampled_from([60.0, 70.0, 80.0, 90.0]),
)
def test_uniform_domain_scores_grade_at_their_band_despite_float_sums(
    raw: list[float], score: float
) -> None:
    weights = dict(zip(ScorecardDomain, raw, strict=True))
    card = score_provider("Acme", JAN, {d: [score] for d in ScorecardDomain}, weights)
    assert card.overall == pytest.approx(score, abs=1e-9)
    assert card.grade == grade(score)


# --- history ------------------------------------------------------------------------------------


def test_history_sorted_with_changes() -> None:
    months = [date(2025, m, 28) for m in range(1, 6)]
    scores = [70.0, 75.0, 72.0, 90.0, 81.0]
    periods = [(m, {Q: [s]}) for m, s in zip(months, scores, strict=True)]
    cards = scorecard_history("Acme", list(reversed(periods)))
    assert [c.period for c in cards] == months
    assert [c.provider for c in cards] == ["Acme"] * 5
    assert [c.overall for c in cards] == pytest.approx(scores)
    assert [c.change for c in cards] == pytest.approx([None, 5.0, -3.0, 18.0, -9.0])
    # vs three periods earlier: 90 − 70 and 81 − 75
    assert [c.change_3_periods for c in cards] == pytest.approx([None, None, None, 20.0, 6.0])
    assert [c.grade for c in cards] == ["C", "C", "C", "A", "B"]


def test_history_change_none_when_a_period_has_no_data() -> None:
    periods = [(date(2025, 1, 31), {Q: [80.0]}), (date(2025, 2, 28), {}), (date(2025, 3, 31), {})]
    cards = scorecard_history("Acme", periods, {Q: 1.0})
    assert [c.change for c in cards] == [None, None, None]


def test_history_rejects_duplicate_periods() -> None:
    with pytest.raises(ValueError, match="once"):
        scorecard_history("Acme", [(JAN, {Q: [80.0]}), (JAN, {Q: [70.0]})])


# --- attainment score ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    # availability: target 95, best 99 → headroom 4, floor 95 − 3·4 = 83
    [(100.0, 100.0), (99.0, 100.0), (97.0, 90.0), (95.0, 80.0), (89.0, 40.0), (83.0, 0.0), (5, 0)],
)
def test_attainment_higher_is_better(value: float, expected: float) -> None:
    assert attainment_score(value, 95.0, "higher_is_better", 99.0) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    # resolution hours: target 4, best 2 → headroom 2, floor 4 + 3·2 = 10
    [(1.0, 100.0), (2.0, 100.0), (3.0, 90.0), (4.0, 80.0), (7.0, 40.0), (10.0, 0.0), (12.0, 0.0)],
)
def test_attainment_lower_is_better(value: float, expected: float) -> None:
    got = attainment_score(value, 4.0, Direction.LOWER_IS_BETTER, 2.0)
    assert got == pytest.approx(expected)


def test_attainment_explicit_floor() -> None:
    # target 95, best 99, floor 90: 92.5 is halfway from floor to target → 40
    assert attainment_score(92.5, 95.0, "higher_is_better", 99.0, floor=90.0) == pytest.approx(40)
    assert attainment_score(6.0, 4.0, "lower_is_better", 2.0, floor=8.0) == pytest.approx(40)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((95.0, 95.0, "higher_is_better", 95.0), "best"),
        ((95.0, 95.0, "higher_is_better", 90.0), "best"),
        ((3.0, 4.0, "lower_is_better", 5.0), "best"),
        ((95.0, 95.0, "higher_is_better", 99.0, 96.0), "floor"),
        ((3.0, 4.0, "lower_is_better", 2.0, 3.0), "floor"),
        ((math.nan, 95.0, "higher_is_better", 99.0), "value"),
        ((90.0, 95.0, "upwards", 99.0), "upwards"),
    ],
)
def test_attainment_rejects_bad_arguments(args: tuple[float, ...], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        attainment_score(*args)  # type: ignore[arg-type]


finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(
    a=finite,
    b=finite,
    target=finite,
    headroom=st.floats(1e-3, 1e4),
    direction=st.sampled_from(list(Direction)),
)
def test_attainment_monotone_and_bounded(
    a: float, b: float, target: float, headroom: float, direction: Direction
) -> None:
    worse, better = sorted((a, b))
    if direction is Direction.LOWER_IS_BETTER:
        worse, better = better, worse
        best = target - headroom
    else:
        best = target + headroom
    low = attainment_score(worse, target, direction, best)
    high = attainment_score(better, target, direction, best)
    assert 0.0 <= low <= high <= 100.0
    assert attainment_score(target, target, direction, best) == pytest.approx(80.0)
    assert attainment_score(best, target, direction, best) == pytest.approx(100.0)


# --- SLA compliance -----------------------------------------------------------------------------

CRITICAL, KEY = ServiceLevelKind.CRITICAL, ServiceLevelKind.KEY_MEASUREMENT


def test_compliance_loses_the_points_of_each_breached_month() -> None:
    assert sla_compliance_score([]) == 100.0
    assert sla_compliance_score([(CRITICAL, 0), (KEY, 0)]) == 100.0
    # One critical level breached 4 months (4 × 20) and a key measurement once (5).
    assert sla_compliance_score([(CRITICAL, 4), (KEY, 1), (CRITICAL, 0)]) == 15.0
    assert sla_compliance_score([(CRITICAL, 6)]) == 0.0  # never below 0
    assert sla_compliance_score([(KEY, 2)], {CRITICAL: 50.0, KEY: 10.0}) == 80.0
    with pytest.raises(ValueError, match="negative"):
        sla_compliance_score([(CRITICAL, -1)])


def test_four_months_of_critical_breach_drop_an_on_target_provider_from_b_to_d() -> None:
    # The module docstring's example: 80 in every other domain.
    others = {d: [80.0] for d in ScorecardDomain if d is not S}
    clean = score_provider("Acme", JAN, {**others, S: [sla_compliance_score([(CRITICAL, 0)])]})
    breached = score_provider("Acme", JAN, {**others, S: [sla_compliance_score([(CRITICAL, 4)])]})
    assert clean.overall == pytest.approx((100 * 80 + 25 * 100) / 125)
    assert breached.overall == pytest.approx((100 * 80 + 25 * 20) / 125)
    assert (clean.grade, breached.grade) == ("B", "D")


def test_scorecard_terms_are_checked() -> None:
    assert ScorecardTerms().points(CRITICAL) == DEFAULT_BREACH_POINTS[CRITICAL] == 20.0
    assert hash(ScorecardTerms()) == hash(ScorecardTerms())
    with pytest.raises(ValueError, match="lookback"):
        ScorecardTerms(lookback_months=0)
    with pytest.raises(ValueError, match="breach points"):
        ScorecardTerms(breach_points={CRITICAL: 120.0})
    with pytest.raises(ValueError, match="positive"):
        ScorecardTerms(weights={Q: 0.0})


def test_a_providers_weights_are_the_mean_of_its_engagements() -> None:
    mean = mean_weights([{Q: 1.0}, {Q: 1.0, D: 1.0}])
    assert mean[Q] == pytest.approx(0.75)
    assert mean[D] == pytest.approx(0.25)
    assert mean_weights([]) == normalise_weights()


domain_scores = st.floats(0.0, 100.0)


@given(
    st.dictionaries(st.sampled_from([Q, D, C, R, K]), domain_scores, min_size=0, max_size=5),
    st.lists(st.tuples(st.sampled_from([CRITICAL, KEY]), st.integers(0, 6)), max_size=6),
    st.integers(0, 5),
    st.sampled_from([CRITICAL, KEY]),
)
def test_more_breaches_never_raise_the_score_or_the_grade(
    others: dict[ScorecardDomain, float],
    breaches: list[tuple[ServiceLevelKind, int]],
    extra: int,
    kind: ServiceLevelKind,
) -> None:
    metrics = {d: [s] for d, s in others.items()}
    fewer = score_provider("Acme", JAN, {**metrics, S: [sla_compliance_score(breaches)]})
    worse = [*breaches, (kind, extra)]
    more = score_provider("Acme", JAN, {**metrics, S: [sla_compliance_score(worse)]})
    assert fewer.overall is not None
    assert more.overall is not None
    assert more.overall <= fewer.overall + 1e-9
    ranks = "ABCDF"
    assert ranks.index(more.grade or "F") >= ranks.index(fewer.grade or "F")
