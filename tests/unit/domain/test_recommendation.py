"""Recommend one option per function: best score (savings + fit), with reasons in plain words."""

from __future__ import annotations

import pytest
from domain_factories import (
    assessment,
    make_company,
    make_context,
    make_option,
    make_profile,
    own_site,
    says,
    status_quo_context,
    vendor_site,
    with_share,
)

from sourcewise.domain.cost import compare, project_option, project_status_quo
from sourcewise.domain.dimensions import describe
from sourcewise.domain.fit import Citation, FiredRule, Stance, evaluate, fit_score
from sourcewise.domain.recommendation import (
    FIT_POINT_VALUE,
    OptionAssessment,
    recommend,
)
from sourcewise.domain.scenario import Goals, Positioning, TrackRecord

STATUS_QUO = "Status quo"


def status_quo(fit: float = 0.0, rules: tuple[FiredRule, ...] = ()) -> OptionAssessment:
    return assessment(STATUS_QUO, savings_share=None, fit_score=fit, rules=rules)


def finding(weight: float, reason: str) -> FiredRule:
    stance = Stance.SUPPORTS if weight > 0 else Stance.CAUTIONS
    return FiredRule("r", "Rule", stance, weight, reason, Citation("000", "passage"))


# --- score -----------------------------------------------------------------------------------


def test_score_is_savings_share_plus_two_percent_per_fit_point() -> None:
    assert FIT_POINT_VALUE == 0.02
    a = assessment("A", savings_share=0.10, fit_score=3.0)
    assert a.score == pytest.approx(0.10 + 0.02 * 3.0)
    assert status_quo(fit=-2.0).score == pytest.approx(-0.04)
    assert status_quo().savings_share == 0.0


# --- which option --------------------------------------------------------------------------


def test_recommends_the_best_score_not_the_biggest_saving() -> None:
    cheap = assessment("Cheap", savings_share=0.20, fit_score=0.0)  # 0.20
    fitting = assessment("Fitting", savings_share=0.10, fit_score=6.0)  # 0.10 + 0.12 = 0.22
    assert recommend([status_quo(), cheap, fitting]).option == "Fitting"


def test_recommends_the_biggest_saving_when_fit_is_equal() -> None:
    options = [
        status_quo(),
        assessment("A", savings_share=0.05, fit_score=1.0),
        assessment("B", savings_share=0.15, fit_score=1.0),
        assessment("C", savings_share=0.10, fit_score=1.0),
    ]
    assert recommend(options).option == "B"


def test_status_quo_wins_when_nothing_beats_it() -> None:
    options = [
        status_quo(fit=1.0),  # 0.02
        assessment("Small saving", savings_share=0.01, fit_score=0.0),  # 0.01
        assessment("Loss", savings_share=-0.05, fit_score=2.0),  # −0.01
    ]
    result = recommend(options)
    assert result.option == STATUS_QUO
    assert says(result.reasons[0], "No option beats the in-house status quo", "fit score +1")


def test_status_quo_wins_when_every_option_loses_money() -> None:
    options = [status_quo(), assessment("Dear", savings_share=-0.2, fit_score=3.0)]
    assert recommend(options).option == STATUS_QUO


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_equal_scores_go_to_the_bigger_saving_whatever_the_order(order: tuple[int, int]) -> None:
    money = assessment("Money", savings_share=0.5, fit_score=0.0)  # 0.5
    fit = assessment("Fit", savings_share=0.25, fit_score=12.5)  # 0.25 + 0.25 = 0.5
    assert money.score == fit.score
    pair = [money, fit]
    assert recommend([pair[i] for i in order]).option == "Money"


# --- reasons ---------------------------------------------------------------------------------


def test_first_reason_states_label_saving_and_fit() -> None:
    best = assessment("Nearshore BPO", savings_share=0.254, fit_score=3.0, site=vendor_site("XN"))
    reasons = recommend([status_quo(), best]).reasons
    assert says(
        reasons[0],
        "Nearshore BPO",
        "offshore outsourcing (nearshore)",
        "scores best",
        "saves 25.4%",
        "fit score of +3",
    )


def test_reasons_give_the_break_even_month() -> None:
    best = assessment("A", savings_share=0.3, break_even_month=14)
    reasons = recommend([status_quo(), best]).reasons
    assert says(reasons[1], "Cumulative savings turn positive", "month 14")


def test_reasons_say_when_savings_never_turn_positive() -> None:
    best = assessment("A", savings_share=0.3, break_even_month=None)
    reasons = recommend([status_quo(), best]).reasons
    assert says(reasons[1], "do not turn positive within the horizon")


def test_reasons_give_the_two_strongest_findings_each_way() -> None:
    rules = (
        finding(1.0, "small plus"),
        finding(-0.5, "small minus"),
        finding(2.0, "big plus"),
        finding(-2.0, "big minus"),
        finding(1.5, "medium plus"),
        finding(-1.0, "medium minus"),
    )
    best = assessment("A", savings_share=0.3, rules=rules, fit_score=1.0)
    reasons = recommend([status_quo(), best]).reasons
    assert [r for r in reasons if r.startswith("In favour:")] == [
        "In favour: big plus",
        "In favour: medium plus",
    ]
    assert [r for r in reasons if r.startswith("Watch:")] == [
        "Watch: big minus",
        "Watch: medium minus",
    ]


def test_status_quo_reasons_also_list_its_findings() -> None:
    rules = (finding(1.0, "A strategic function stays with own staff."),)
    reasons = recommend([status_quo(fit=1.0, rules=rules)]).reasons
    assert "In favour: A strategic function stays with own staff." in reasons


def test_reasons_name_the_runner_up_and_the_gap_in_fit_points() -> None:
    best = assessment("Fitting", savings_share=0.10, fit_score=6.0)  # 0.22
    runner = assessment("Cheap", savings_share=0.20, fit_score=0.0, site=vendor_site("XF"))
    reasons = recommend([status_quo(), runner, best]).reasons
    # (0.22 − 0.20) / 0.02 = 1.0
    (runner_up,) = [r for r in reasons if r.startswith("Runner-up:")]
    assert says(runner_up, "Cheap", "offshore outsourcing", "1.0 fit-point equivalents behind")


def test_runner_up_can_be_the_status_quo() -> None:
    best = assessment("A", savings_share=0.05, fit_score=0.0)
    reasons = recommend([status_quo(), best]).reasons
    # (0.05 − 0) / 0.02 = 2.5
    assert reasons[-1].startswith("Runner-up:")
    assert says(reasons[-1], "Status quo", "in-house", "2.5 fit-point")


def test_no_runner_up_when_there_is_only_one_assessment() -> None:
    reasons = recommend([status_quo()]).reasons
    assert not any(r.startswith("Runner-up") for r in reasons)


def test_hybrid_hint_when_the_cheapest_and_the_best_fit_differ_in_arrangement() -> None:
    cheapest = assessment(
        "Vendor abroad", savings_share=0.3, fit_score=-4.0, site=vendor_site("XF")
    )
    best_fit = assessment("Own centre", savings_share=0.1, fit_score=3.0, site=own_site("XF"))
    reasons = recommend([status_quo(), cheapest, best_fit]).reasons
    assert says(reasons[-1], "cheapest option (Vendor abroad)", "(Own centre)", "hybrid approach")


def test_no_hybrid_hint_when_both_are_the_same_arrangement() -> None:
    cheapest = assessment("Vendor A", savings_share=0.3, fit_score=-4.0, site=vendor_site("XF"))
    best_fit = assessment("Vendor B", savings_share=0.1, fit_score=3.0, site=vendor_site("XM"))
    reasons = recommend([status_quo(), cheapest, best_fit]).reasons
    assert not any("hybrid approach" in r for r in reasons)


def test_no_hybrid_hint_when_the_cheapest_is_also_the_best_fit() -> None:
    one = assessment("Both", savings_share=0.3, fit_score=3.0, site=vendor_site("XF"))
    other = assessment("Neither", savings_share=0.1, fit_score=-1.0, site=own_site("XF"))
    reasons = recommend([status_quo(), one, other]).reasons
    assert not any("hybrid approach" in r for r in reasons)


def test_no_hybrid_hint_when_a_hybrid_is_already_offered() -> None:
    split = make_context(
        make_profile(),
        with_share(vendor_site("XF"), 0.5),
        with_share(own_site("XF"), 0.5),
    )
    hybrid = assessment(
        "Hybrid", savings_share=0.2, fit_score=0.0, classification=split.classification
    )
    cheapest = assessment(
        "Vendor abroad", savings_share=0.3, fit_score=-4.0, site=vendor_site("XF")
    )
    best_fit = assessment("Own centre", savings_share=0.1, fit_score=3.0, site=own_site("XF"))
    reasons = recommend([status_quo(), cheapest, best_fit, hybrid]).reasons
    assert not any("hybrid approach" in r for r in reasons)


def test_status_quo_is_not_a_candidate_for_the_hybrid_hint() -> None:
    # The status quo fits best, but only movers are compared: one mover → no hint.
    reasons = recommend(
        [status_quo(fit=9.0), assessment("Vendor", savings_share=0.3, site=vendor_site("XF"))]
    ).reasons
    assert not any("hybrid approach" in r for r in reasons)


def test_reasons_are_ordered_headline_break_even_findings_runner_up_hint() -> None:
    cheapest = assessment(
        "Vendor abroad",
        savings_share=0.3,
        fit_score=-1.0,
        site=vendor_site("XF"),
        rules=(finding(1.0, "plus"), finding(-2.0, "minus")),
    )
    best_fit = assessment("Own centre", savings_share=0.05, fit_score=2.0, site=own_site("XF"))
    reasons = recommend([status_quo(), cheapest, best_fit]).reasons
    kinds = [
        "headline"
        if "scores best" in r
        else "break-even"
        if "Cumulative savings" in r
        else "favour"
        if r.startswith("In favour:")
        else "watch"
        if r.startswith("Watch:")
        else "runner-up"
        if r.startswith("Runner-up:")
        else "hybrid"
        if "hybrid approach" in r
        else r
        for r in reasons
    ]
    assert kinds == ["headline", "break-even", "favour", "watch", "runner-up", "hybrid"]


# --- end to end on the domain alone ----------------------------------------------------------


def test_recommendation_from_real_projections_and_rules() -> None:
    """Status quo 120 000 a year; a strategic function, direct oversight wanted.

    A provider abroad at 2 × 20 × 1 800 / 12 = 6 000 a month saves 40% but the fit rules punish
    it; an own centre abroad of 7 at 12 000 a year (7 000 a month) saves 30% and fits.
    Scores: provider 0.40 − 0.02 × 7 = 0.26; own centre 0.30 + 0.02 × 2 = 0.34;
    status quo 0 + 0.02 × 3 = 0.06.
    """
    company = make_company()
    profile = make_profile(positioning=Positioning.STRATEGIC, goals=Goals(direct_oversight=True))
    baseline = project_status_quo(company, profile)
    candidates = {
        "Provider abroad": vendor_site(
            "XF", fte=2.0, hourly_rate=20.0, track_record=TrackRecord.UNPROVEN
        ),
        "Own centre": own_site("XF", fte=7.0),
    }
    sq = status_quo_context(profile)
    sq_rules = evaluate(sq)
    assessments = [
        OptionAssessment(
            name=STATUS_QUO,
            is_status_quo=True,
            classification=sq.classification,
            sites=sq.sites,
            projection=baseline,
            savings=None,
            rules=tuple(sq_rules),
            fit_score=fit_score(sq_rules),
            dimensions=describe(sq.classification, sq.sites, None),
        )
    ]
    for name, site in candidates.items():
        ctx = make_context(profile, site)
        projection = project_option(company, profile, make_option(site, parallel_running_months=0))
        savings = compare(baseline, projection)
        rules = evaluate(ctx)
        assessments.append(
            OptionAssessment(
                name=name,
                is_status_quo=False,
                classification=ctx.classification,
                sites=ctx.sites,
                projection=projection,
                savings=savings,
                rules=tuple(rules),
                fit_score=fit_score(rules),
                dimensions=describe(ctx.classification, ctx.sites, savings),
            )
        )
    by_name = {a.name: a for a in assessments}
    assert by_name["Provider abroad"].savings_share == pytest.approx(0.4)
    assert by_name["Own centre"].savings_share == pytest.approx(0.3)
    # Provider: strategic −2, oversight −2, political −1, track record −2 = −7
    assert by_name["Provider abroad"].fit_score == -7.0
    # Own centre: strategic +1, oversight +2, political −1 = +2
    assert by_name["Own centre"].fit_score == 2.0
    # Status quo: strategic +1, oversight +2 = +3
    assert by_name[STATUS_QUO].fit_score == 3.0

    result = recommend(assessments)
    assert result.option == max(assessments, key=lambda a: a.score).name == "Own centre"
    assert by_name["Own centre"].score == pytest.approx(0.34)
    assert by_name["Provider abroad"].score == pytest.approx(0.26)
    assert any(r.startswith("Runner-up: Provider abroad") for r in result.reasons)
    assert any("consider a hybrid approach" in r for r in result.reasons)
