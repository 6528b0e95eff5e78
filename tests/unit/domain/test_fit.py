"""Strategic fit rules: each fires in the right situations, stays silent otherwise, and weighs
site-level findings by the site's share of the work.

Profiles start from ``make_profile()``, on which no rule has anything to say; each test switches
on only what it is about. Countries are the hand-made ones in ``domain_factories``:
Homeland XH (home), Neighbourland XN (neighbour, −1 h), Closeland XC (+2 h: nearshore by time
zone), Midland XM (+5 h, 3 h overlap) and Farland XF (+13 h, no overlap).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from domain_factories import (
    FAR,
    HOME,
    fired,
    goods_profile,
    make_context,
    make_profile,
    own_site,
    place,
    says,
    status_quo_context,
    vendor_site,
    weights,
    with_share,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from article_files import article_text, needs_article_files
from sourcewise.domain.arrangement import Arrangement
from sourcewise.domain.articles import ARTICLES
from sourcewise.domain.fit import RULES, PlacedSite, Stance, evaluate, fit_score
from sourcewise.domain.location import WORKDAY_HOURS, GdprStatus
from sourcewise.domain.location_score import Component
from sourcewise.domain.scenario import DataSensitivity, Goals, Level, Positioning, TrackRecord

TESTED_RULES = {
    "expertise",
    "onshore-savings",
    "flexibility",
    "non-core",
    "strategic",
    "talent-pool",
    "long-term-abroad",
    "oversight",
    "data-third-party",
    "data-cross-border",
    "ip",
    "time-zones",
    "language",
    "political-economic",
    "pilot",
    "change-management",
    "partner-track-record",
    "hybrid",
    "freight-eats-savings",
}


def split(*parts: tuple[float, Any]) -> tuple[Any, ...]:
    return tuple(with_share(site, share) for share, site in parts)


# --- the rule catalogue ----------------------------------------------------------------------


def test_every_rule_has_tests_here() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)), "rule ids must be unique"
    assert set(ids) == TESTED_RULES, "a rule was added or removed: test it in test_fit.py"


def test_every_rule_cites_an_article_and_has_a_title() -> None:
    for r in RULES:
        assert r.title
        assert r.citation.seed in ARTICLES
        assert r.citation.passage


@needs_article_files
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_citation_passage_is_quoted_from_its_article(rule: Any) -> None:
    text = article_text(rule.citation.seed)
    for fragment in rule.citation.passage.split("…"):
        fragment = " ".join(fragment.split())
        assert fragment in text, f"{rule.id}: '{fragment}' not in {rule.citation.article.cited}"


# --- baseline: a neutral profile -------------------------------------------------------------


def test_neutral_status_quo_fires_nothing() -> None:
    assert evaluate(status_quo_context(make_profile())) == []


def test_neutral_domestic_provider_only_gets_its_track_record() -> None:
    result = evaluate(make_context(make_profile(), vendor_site()))
    assert [(f.rule, f.weight) for f in result] == [("partner-track-record", 1.0)]


def test_neutral_captive_abroad_only_gets_political_risk() -> None:
    result = evaluate(make_context(make_profile(), own_site("XF")))
    assert [(f.rule, f.weight) for f in result] == [("political-economic", -1.0)]


# --- expertise -------------------------------------------------------------------------------


def test_expertise_silent_when_it_is_in_house() -> None:
    assert fired(make_context(make_profile(), vendor_site("XF")), "expertise") == []


def test_expertise_supports_a_provider_when_missing_in_house() -> None:
    (f,) = fired(make_context(make_profile(expertise_in_house=False), vendor_site()), "expertise")
    assert f.weight == 2.0
    assert f.stance is Stance.SUPPORTS
    assert "a provider brings it" in f.reason


def test_expertise_cautions_an_own_team_when_missing_in_house() -> None:
    ctx = make_context(make_profile(expertise_in_house=False), own_site("XF"))
    (f,) = fired(ctx, "expertise")
    assert f.weight == -1.0
    assert f.stance is Stance.CAUTIONS
    assert "hired and built up" in f.reason


# --- onshore savings -------------------------------------------------------------------------

AVOID_RELOCATION = make_profile(goals=Goals(avoid_relocation=True))


def test_onshore_savings_silent_without_the_goal() -> None:
    assert weights(make_context(make_profile(), vendor_site("XF")), "onshore-savings") == []


@pytest.mark.parametrize("site", [vendor_site("XF"), own_site("XN")], ids=["vendor", "own"])
def test_onshore_savings_cautions_any_move_abroad(site: Any) -> None:
    (f,) = fired(make_context(AVOID_RELOCATION, site), "onshore-savings")
    assert f.weight == -2.0
    assert "moves work abroad" in f.reason


def test_onshore_savings_supports_a_provider_at_home() -> None:
    assert weights(make_context(AVOID_RELOCATION, vendor_site()), "onshore-savings") == [2.0]


def test_onshore_savings_silent_for_own_staff_at_home() -> None:
    assert weights(make_context(AVOID_RELOCATION, own_site()), "onshore-savings") == []
    assert weights(status_quo_context(AVOID_RELOCATION), "onshore-savings") == []


# --- flexibility -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("volatility", "vendor", "own"),
    [(Level.LOW, [], []), (Level.MEDIUM, [1.0], []), (Level.HIGH, [2.0], [-1.0])],
)
def test_flexibility_by_demand_volatility(
    volatility: Level, vendor: list[float], own: list[float]
) -> None:
    profile = make_profile(demand_volatility=volatility)
    assert weights(make_context(profile, vendor_site("XF")), "flexibility") == vendor
    assert weights(make_context(profile, own_site("XF")), "flexibility") == own


def test_flexibility_reason_names_the_volatility() -> None:
    (f,) = fired(
        make_context(make_profile(demand_volatility=Level.MEDIUM), vendor_site()), "flexibility"
    )
    assert "Demand volatility is medium" in f.reason


# --- non-core --------------------------------------------------------------------------------


def test_non_core_supports_a_provider_for_commoditized_work_when_focusing_on_core() -> None:
    profile = make_profile(goals=Goals(focus_on_core=True))
    assert weights(make_context(profile, vendor_site()), "non-core") == [2.0]
    assert weights(make_context(profile, own_site("XF")), "non-core") == [-1.0]


@pytest.mark.parametrize(
    ("positioning", "focus"),
    [(Positioning.STRATEGIC, True), (Positioning.COMMODITIZED, False)],
)
def test_non_core_silent_unless_commoditized_and_focus_on_core(
    positioning: Positioning, focus: bool
) -> None:
    profile = make_profile(positioning=positioning, goals=Goals(focus_on_core=focus))
    assert weights(make_context(profile, vendor_site()), "non-core") == []


# --- strategic -------------------------------------------------------------------------------


def test_strategic_function_cautions_a_third_party_and_supports_own_staff() -> None:
    profile = make_profile(positioning=Positioning.STRATEGIC)
    (f,) = fired(make_context(profile, vendor_site("XF")), "strategic")
    assert f.weight == -2.0
    assert "control over it is given up" in f.reason
    assert weights(make_context(profile, own_site("XF")), "strategic") == [1.0]
    assert weights(status_quo_context(profile), "strategic") == [1.0]


def test_strategic_silent_for_commoditized_work() -> None:
    assert weights(make_context(make_profile(), vendor_site()), "strategic") == []


# --- talent pool -----------------------------------------------------------------------------


def test_talent_pool_supports_work_abroad_when_expanding_internationally() -> None:
    profile = make_profile(goals=Goals(expand_internationally=True))
    assert weights(make_context(profile, own_site("XF")), "talent-pool") == [2.0]
    assert weights(make_context(profile, vendor_site("XN")), "talent-pool") == [2.0]
    assert weights(make_context(profile, vendor_site()), "talent-pool") == []


def test_talent_pool_silent_without_the_goal() -> None:
    assert weights(make_context(make_profile(), own_site("XF")), "talent-pool") == []


# --- long-term presence abroad ---------------------------------------------------------------

LONG_TERM = make_profile(goals=Goals(long_term_presence_abroad=True))


def test_long_term_supports_an_own_centre_abroad() -> None:
    (f,) = fired(make_context(LONG_TERM, own_site("XF")), "long-term-abroad")
    assert f.weight == 2.0
    assert says(f.reason, "own staff", "Farland", "long-term presence abroad")


def test_long_term_cautions_relying_solely_on_a_provider_abroad() -> None:
    (f,) = fired(make_context(LONG_TERM, vendor_site("XF")), "long-term-abroad")
    assert f.weight == -1.0
    assert "relies solely on a third-party provider" in f.reason


def test_long_term_half_supports_build_operate_transfer() -> None:
    ctx = make_context(LONG_TERM, vendor_site("XF", transfer_month=24))
    (f,) = fired(ctx, "long-term-abroad")
    assert f.weight == 1.0
    assert "transfers to you" in f.reason


def test_long_term_ignores_home_sites_and_is_silent_without_the_goal() -> None:
    assert weights(make_context(LONG_TERM, vendor_site()), "long-term-abroad") == []
    assert weights(status_quo_context(LONG_TERM), "long-term-abroad") == []
    assert weights(make_context(make_profile(), own_site("XF")), "long-term-abroad") == []


def test_long_term_fires_per_site_weighted_by_share() -> None:
    ctx = make_context(LONG_TERM, *split((0.3, own_site("XF")), (0.7, vendor_site("XM"))))
    assert weights(ctx, "long-term-abroad") == [0.6, -0.7]


# --- oversight -------------------------------------------------------------------------------


def test_direct_oversight_cautions_a_provider_and_supports_own_staff() -> None:
    profile = make_profile(goals=Goals(direct_oversight=True))
    assert weights(make_context(profile, vendor_site()), "oversight") == [-2.0]
    assert weights(make_context(profile, own_site("XF")), "oversight") == [2.0]


def test_scale_quickly_supports_own_teams_abroad_only() -> None:
    profile = make_profile(goals=Goals(scale_quickly=True))
    (f,) = fired(make_context(profile, own_site("XF")), "oversight")
    assert f.weight == 1.0
    assert "Scales quickly abroad" in f.reason
    assert weights(make_context(profile, vendor_site("XF")), "oversight") == []
    assert weights(make_context(profile, own_site()), "oversight") == []
    mixed = split((0.5, own_site("XF")), (0.5, vendor_site()))
    assert weights(make_context(profile, *mixed), "oversight") == []


def test_oversight_and_scale_quickly_both_fire() -> None:
    profile = make_profile(goals=Goals(direct_oversight=True, scale_quickly=True))
    assert weights(make_context(profile, own_site("XF")), "oversight") == [2.0, 1.0]


def test_oversight_silent_without_the_goals() -> None:
    assert weights(make_context(make_profile(), vendor_site("XF")), "oversight") == []


# --- sensitive data with a provider ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sensitivity", "certifications", "weight", "note"),
    [
        (DataSensitivity.PERSONAL, (), -1.0, "(no security certification)"),
        (DataSensitivity.PERSONAL, ("ISO27001",), -0.5, "(ISO27001 certified)"),
        (DataSensitivity.SPECIAL_CATEGORY, (), -2.0, "(no security certification)"),
        (DataSensitivity.REGULATED, ("SOC2", "ISO27001"), -1.5, "(ISO27001, SOC2 certified)"),
        (DataSensitivity.REGULATED, ("ISO9001",), -2.0, "(no security certification)"),
    ],
)
def test_data_shared_with_a_provider(
    sensitivity: DataSensitivity, certifications: tuple[str, ...], weight: float, note: str
) -> None:
    profile = make_profile(data_sensitivity=sensitivity)
    ctx = make_context(profile, vendor_site(certifications=certifications))
    (f,) = fired(ctx, "data-third-party")
    assert f.weight == weight
    assert note in f.reason
    assert "Acme BPO" in f.reason


def test_special_category_reason_is_hyphenated() -> None:
    profile = make_profile(data_sensitivity=DataSensitivity.SPECIAL_CATEGORY)
    (f,) = fired(make_context(profile, vendor_site()), "data-third-party")
    assert says(f.reason.lower(), "special-category data", "acme bpo")


def test_data_third_party_silent_for_own_staff_and_for_no_sensitive_data() -> None:
    profile = make_profile(data_sensitivity=DataSensitivity.REGULATED)
    assert weights(make_context(profile, own_site("XF")), "data-third-party") == []
    assert weights(make_context(make_profile(), vendor_site()), "data-third-party") == []


# --- sensitive data crossing a border --------------------------------------------------------


@pytest.mark.parametrize(
    ("sensitivity", "weight"),
    [
        (DataSensitivity.PERSONAL, -1.0),
        (DataSensitivity.SPECIAL_CATEGORY, -2.0),
        (DataSensitivity.REGULATED, -2.0),
    ],
)
def test_data_cross_border_cautions_any_site_abroad(
    sensitivity: DataSensitivity, weight: float
) -> None:
    profile = make_profile(data_sensitivity=sensitivity)
    (f,) = fired(make_context(profile, own_site("XF")), "data-cross-border")
    assert f.weight == weight
    assert "transferred to Farland" in f.reason


def test_data_cross_border_silent_at_home_and_without_sensitive_data() -> None:
    profile = make_profile(data_sensitivity=DataSensitivity.REGULATED)
    assert weights(make_context(profile, vendor_site()), "data-cross-border") == []
    assert weights(make_context(make_profile(), own_site("XF")), "data-cross-border") == []


def test_data_cross_border_fires_per_foreign_site() -> None:
    profile = make_profile(data_sensitivity=DataSensitivity.PERSONAL)
    sites = split((0.5, own_site("XF")), (0.3, vendor_site("XN")), (0.2, own_site()))
    assert weights(make_context(profile, *sites), "data-cross-border") == [-0.5, -0.3]


EU_HOME = replace(HOME, gdpr=GdprStatus.EEA)


@pytest.mark.parametrize(
    ("status", "scope", "sensitivity", "expected", "why"),
    [
        (GdprStatus.EEA, "full", DataSensitivity.PERSONAL, [], ""),
        (GdprStatus.EEA, "full", DataSensitivity.REGULATED, [], ""),
        (
            GdprStatus.ADEQUACY,
            "full",
            DataSensitivity.PERSONAL,
            [-0.5],
            "Farland has an EU adequacy decision",
        ),
        (
            GdprStatus.ADEQUACY,
            "full",
            DataSensitivity.SPECIAL_CATEGORY,
            [-1.0],
            "Farland has an EU adequacy decision",
        ),
        (
            GdprStatus.PARTIAL_ADEQUACY,
            "certified firms only",
            DataSensitivity.PERSONAL,
            [-0.75],
            "the EU adequacy decision for Farland covers only certified firms only",
        ),
        (
            GdprStatus.PARTIAL_ADEQUACY,
            "certified firms",
            DataSensitivity.REGULATED,
            [-1.5],
            "covers only certified firms",
        ),
        (
            GdprStatus.THIRD_COUNTRY,
            "",
            DataSensitivity.PERSONAL,
            [-1.0],
            "Farland has no EU adequacy decision: SCCs or BCRs are needed",
        ),
    ],
)
def test_data_cross_border_from_the_eea_follows_the_gdpr_transfer_regime(
    status: GdprStatus,
    scope: str,
    sensitivity: DataSensitivity,
    expected: list[float],
    why: str,
) -> None:
    work = replace(FAR, gdpr=status, gdpr_scope=scope)
    placed = place(own_site("XF"), work=work, home=EU_HOME)
    result = fired(
        make_context(make_profile(data_sensitivity=sensitivity), placed), "data-cross-border"
    )
    assert [f.weight for f in result] == expected
    if why:
        assert says(result[0].reason, why)


def test_data_cross_border_from_outside_the_eea_needs_a_security_framework() -> None:
    # Home is not in the EEA: the GDPR does not govern the transfer, whatever the work country.
    work = replace(FAR, gdpr=GdprStatus.ADEQUACY)
    ctx = make_context(
        make_profile(data_sensitivity=DataSensitivity.PERSONAL), place(own_site("XF"), work=work)
    )
    (f,) = fired(ctx, "data-cross-border")
    assert f.weight == -1.0
    assert says(f.reason, "Personal data", "Farland", "data security framework")


def test_data_within_the_eea_still_cautions_a_third_party() -> None:
    work = replace(FAR, gdpr=GdprStatus.EEA)
    profile = make_profile(data_sensitivity=DataSensitivity.PERSONAL)
    ctx = make_context(profile, place(vendor_site("XF"), work=work, home=EU_HOME))
    assert weights(ctx, "data-cross-border") == []
    assert weights(ctx, "data-third-party") == [-1.0]


# --- intellectual property -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"), [(Level.LOW, []), (Level.MEDIUM, [-1.0]), (Level.HIGH, [-2.0])]
)
def test_ip_cautions_a_third_party_by_sensitivity(level: Level, expected: list[float]) -> None:
    profile = make_profile(ip_sensitivity=level)
    assert weights(make_context(profile, vendor_site("XF")), "ip") == expected


def test_ip_silent_for_own_staff() -> None:
    profile = make_profile(ip_sensitivity=Level.HIGH)
    assert weights(make_context(profile, own_site("XF")), "ip") == []


# --- time zones ------------------------------------------------------------------------------


def needs(hours: float) -> Any:
    return make_profile(overlap_hours_needed=hours)


def test_time_zones_strong_caution_below_half_the_needed_overlap() -> None:
    (f,) = fired(make_context(needs(6), own_site("XF")), "time-zones")
    assert f.weight == -2.0
    assert says(f.reason, "Farland", "+13 h", "0 of the 6 overlap hours")


def test_time_zones_mild_caution_at_half_or_more_of_the_needed_overlap() -> None:
    # Midland: 3 h overlap; 3 is exactly half of 6, so the milder caution.
    assert weights(make_context(needs(6), own_site("XM")), "time-zones") == [-1.0]
    assert weights(make_context(needs(4), own_site("XM")), "time-zones") == [-1.0]
    assert weights(make_context(needs(7), own_site("XM")), "time-zones") == [-2.0]


def test_time_zones_supports_nearshore_sites_with_enough_overlap() -> None:
    (f,) = fired(make_context(needs(6), vendor_site("XN")), "time-zones")
    assert f.weight == 1.0
    assert says(f.reason, "Neighbourland", "nearshore", "-1 h")
    assert weights(make_context(needs(6), vendor_site("XC")), "time-zones") == [1.0]


def test_time_zones_nearshore_with_too_little_overlap_still_cautions() -> None:
    # Closeland is nearshore (+2 h) but shares only 6 h.
    assert weights(make_context(needs(7), vendor_site("XC")), "time-zones") == [-1.0]


def test_time_zones_exactly_enough_overlap_is_no_caution() -> None:
    assert weights(make_context(needs(3), own_site("XM")), "time-zones") == []


def test_time_zones_home_hours_shift_gives_a_full_overlap() -> None:
    night_shift = place(own_site("XF", follows_home_hours=True))
    assert night_shift.overlap_hours == WORKDAY_HOURS
    assert weights(make_context(needs(8), night_shift), "time-zones") == []


def test_time_zones_reason_mentions_the_home_hours_shift() -> None:
    ctx = make_context(needs(6), vendor_site("XN", follows_home_hours=True))
    (f,) = fired(ctx, "time-zones")
    assert says(f.reason, "-1 h", "working home hours")


def test_time_zones_ignore_home_sites() -> None:
    assert weights(make_context(needs(8), vendor_site()), "time-zones") == []


def test_time_zones_silent_far_away_when_no_overlap_is_needed() -> None:
    assert weights(make_context(needs(0), own_site("XF")), "time-zones") == []


# --- language --------------------------------------------------------------------------------


def speaks(*languages: str) -> Any:
    return make_profile(languages=languages)


def test_language_silent_when_no_language_is_required_or_all_are_spoken() -> None:
    assert weights(make_context(make_profile(), own_site("XC")), "language") == []
    assert weights(make_context(speaks("en"), own_site("XF")), "language") == []


def test_language_cautions_strongly_when_none_is_spoken() -> None:
    (f,) = fired(make_context(speaks("en"), own_site("XC")), "language")
    assert f.weight == -2.0
    assert says(f.reason, "en", "Closeland", "pt")


def test_language_cautions_mildly_when_some_are_missing() -> None:
    (f,) = fired(make_context(speaks("en", "pt", "fr"), own_site("XM")), "language")
    assert f.weight == -0.67  # one of three needed languages missing: 2 × 1/3
    assert says(f.reason, "fr", "Midland")


def test_site_languages_override_the_country() -> None:
    assert weights(make_context(speaks("en"), own_site("XC", languages=("en",))), "language") == []
    assert weights(make_context(speaks("en"), own_site("XF", languages=("tl",))), "language") == [
        -2.0
    ]


def test_language_also_checks_home_sites() -> None:
    assert weights(make_context(speaks("fr"), vendor_site()), "language") == [-2.0]


# --- political and economic risk -------------------------------------------------------------


def test_political_risk_for_work_abroad_names_each_country() -> None:
    sites = split((0.3, own_site("XF")), (0.2, vendor_site("XC")), (0.5, own_site()))
    found = fired(make_context(make_profile(), *sites), "political-economic")
    assert [f.weight for f in found] == [-0.3, -0.2]  # one finding per site abroad, by share
    assert says(found[0].reason, "Farland", "political", "currency")
    assert says(found[1].reason, "Closeland")


def test_political_risk_scales_with_the_country_scores() -> None:
    from sourcewise.domain.location_score import ComponentScore, LocationScore

    def located(governance: float | None, economic: float | None) -> PlacedSite:
        components = tuple(
            ComponentScore(c, s, 0.5, f"{c} facts (year)")
            for c, s in ((Component.GOVERNANCE, governance), (Component.ECONOMIC, economic))
        )
        score = LocationScore("XF", "Farland", 50.0, 1.0, components)
        return replace(place(own_site("XF")), location=score)

    def weight(placed: PlacedSite) -> float:
        (f,) = fired(make_context(make_profile(), placed), "political-economic")
        return f.weight

    assert weight(located(100.0, 100.0)) == -0.5
    assert weight(located(0.0, 0.0)) == -1.5
    assert weight(located(60.0, None)) == -0.9  # only what is known counts
    assert weight(located(None, None)) == -1.0  # no data: the plain caution
    (f,) = fired(make_context(make_profile(), located(60.0, 80.0)), "political-economic")
    assert says(f.reason, "governance and political risk facts", "economic risk facts")


def test_political_risk_leaves_out_currency_when_the_currency_is_shared() -> None:
    same_money = replace(FAR, currency=HOME.currency)
    (f,) = fired(
        make_context(make_profile(), place(own_site("XF"), work=same_money)), "political-economic"
    )
    assert f.weight == -1.0
    assert says(f.reason, "Farland", "political", "regulatory")
    assert "currency" not in f.reason


def test_political_risk_mentions_currency_only_where_it_differs() -> None:
    same_money = place(with_share(own_site("XF"), 0.5), work=replace(FAR, currency=HOME.currency))
    other_money = place(with_share(vendor_site("XM"), 0.5))
    shared, other = fired(
        make_context(make_profile(), same_money, other_money), "political-economic"
    )
    assert "currency" not in shared.reason
    assert says(other.reason, "political", "currency", "regulatory")


def test_political_risk_silent_at_home() -> None:
    assert weights(make_context(make_profile(), vendor_site()), "political-economic") == []


# --- pilot and change management -------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "flag"),
    [("pilot", "pilot_planned"), ("change-management", "change_management_planned")],
)
def test_missing_plan_cautions_a_move_but_not_the_status_quo(rule_id: str, flag: str) -> None:
    unplanned = make_profile(**{flag: False})
    assert weights(make_context(unplanned, vendor_site("XF")), rule_id) == [-1.0]
    assert weights(make_context(unplanned, own_site()), rule_id) == [-1.0]
    assert weights(status_quo_context(unplanned), rule_id) == []
    assert weights(make_context(make_profile(), vendor_site("XF")), rule_id) == []


# --- partner track record --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "weight"),
    [(TrackRecord.PROVEN, 1.0), (TrackRecord.UNKNOWN, -0.5), (TrackRecord.UNPROVEN, -2.0)],
)
def test_partner_track_record(record: TrackRecord, weight: float) -> None:
    (f,) = fired(
        make_context(make_profile(), vendor_site(track_record=record)), "partner-track-record"
    )
    assert f.weight == weight
    assert says(f.reason, "Acme BPO", f"track record is {record}")


def test_track_record_silent_for_own_staff() -> None:
    assert weights(make_context(make_profile(), own_site("XF")), "partner-track-record") == []


def test_track_record_per_provider_in_a_split() -> None:
    sites = split(
        (0.6, vendor_site("XF", provider="A", track_record=TrackRecord.UNPROVEN)),
        (0.4, vendor_site("XN", provider="B", track_record=TrackRecord.PROVEN)),
    )
    assert weights(make_context(make_profile(), *sites), "partner-track-record") == [-1.2, 0.4]


# --- hybrid ----------------------------------------------------------------------------------


def test_hybrid_rule_supports_a_split_over_different_cells() -> None:
    ctx = make_context(make_profile(), *split((0.5, vendor_site("XF")), (0.5, own_site())))
    assert ctx.classification.arrangement is Arrangement.HYBRID
    assert weights(ctx, "hybrid") == [1.0]


def test_hybrid_rule_silent_for_a_split_within_one_cell_and_single_sites() -> None:
    same_cell = split((0.5, vendor_site("XF")), (0.5, vendor_site("XM")))
    assert weights(make_context(make_profile(), *same_cell), "hybrid") == []
    assert weights(make_context(make_profile(), vendor_site("XF")), "hybrid") == []


# --- freight eats the labour saving (Sara Schmidt) ---------------------------------------------

GOODS = make_profile(goods=goods_profile())


@pytest.mark.parametrize(
    ("logistics", "price_saving", "expected", "fragment"),
    [
        (100.0, 0.0, [-2.0], "no lower than making it at home"),
        (100.0, -50.0, [-2.0], "no lower than making it at home"),
        (150.0, 100.0, [-2.0], "(150% of the price saving) eat the saving"),
        (100.0, 100.0, [-2.0], "(100% of the price saving)"),
        (60.0, 100.0, [-1.0], "take 60% of the price saving"),
        (50.0, 100.0, [-1.0], "take 50% of the price saving"),
        (49.0, 100.0, [], ""),
    ],
)
def test_freight_against_the_price_saving(
    logistics: float, price_saving: float, expected: list[float], fragment: str
) -> None:
    ctx = make_context(
        GOODS, vendor_site("XF"), logistics_cost=logistics, price_saving=price_saving
    )
    result = fired(ctx, "freight-eats-savings")
    assert [f.weight for f in result] == expected
    if fragment:
        assert fragment in result[0].reason


def test_freight_silent_for_services_status_quo_and_no_logistics() -> None:
    assert (
        weights(
            make_context(
                make_profile(), vendor_site("XF"), logistics_cost=200.0, price_saving=100.0
            ),
            "freight-eats-savings",
        )
        == []
    )
    assert (
        weights(
            make_context(
                GOODS, own_site(), is_status_quo=True, logistics_cost=200.0, price_saving=1.0
            ),
            "freight-eats-savings",
        )
        == []
    )
    assert (
        weights(
            make_context(GOODS, vendor_site("XF"), logistics_cost=0.0, price_saving=-10.0),
            "freight-eats-savings",
        )
        == []
    )


# --- weights scale with the site's share -----------------------------------------------------

SHARE_SCALED: list[tuple[str, dict[str, Any], Callable[[], Any]]] = [
    ("expertise", {"expertise_in_house": False}, lambda: vendor_site("XF")),
    ("onshore-savings", {"goals": Goals(avoid_relocation=True)}, lambda: own_site("XF")),
    ("flexibility", {"demand_volatility": Level.HIGH}, lambda: vendor_site("XF")),
    ("non-core", {"goals": Goals(focus_on_core=True)}, lambda: vendor_site("XF")),
    ("strategic", {"positioning": Positioning.STRATEGIC}, lambda: vendor_site("XF")),
    ("talent-pool", {"goals": Goals(expand_internationally=True)}, lambda: own_site("XF")),
    ("long-term-abroad", {"goals": Goals(long_term_presence_abroad=True)}, lambda: own_site("XF")),
    ("oversight", {"goals": Goals(direct_oversight=True)}, lambda: vendor_site("XF")),
    (
        "data-third-party",
        {"data_sensitivity": DataSensitivity.REGULATED},
        lambda: vendor_site("XF"),
    ),
    (
        "data-cross-border",
        {"data_sensitivity": DataSensitivity.REGULATED},
        lambda: own_site("XF"),
    ),
    ("ip", {"ip_sensitivity": Level.HIGH}, lambda: vendor_site("XF")),
    ("time-zones", {"overlap_hours_needed": 6.0}, lambda: own_site("XF")),
    ("time-zones", {"overlap_hours_needed": 6.0}, lambda: vendor_site("XN")),
    ("language", {"languages": ("en",)}, lambda: own_site("XC")),
    ("political-economic", {}, lambda: own_site("XF")),
    ("partner-track-record", {}, lambda: vendor_site("XF", track_record=TrackRecord.UNPROVEN)),
]


@pytest.mark.parametrize(
    ("rule_id", "profile_overrides", "make_site"),
    SHARE_SCALED,
    ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(SHARE_SCALED)],
)
@pytest.mark.parametrize("share", [0.25, 0.4, 0.8])
def test_site_findings_scale_with_the_site_share(
    rule_id: str, profile_overrides: dict[str, Any], make_site: Callable[[], Any], share: float
) -> None:
    """The same site alone, then doing ``share`` of the work next to own staff at home (who
    trigger none of these rules), gives ``share`` times the weight."""
    profile = make_profile(**profile_overrides)
    alone = sum(weights(make_context(profile, make_site()), rule_id))
    assert alone != 0.0
    ctx = make_context(profile, *split((share, make_site()), (1 - share, own_site())))
    assert sum(weights(ctx, rule_id)) == pytest.approx(round(share * alone, 2))


@pytest.mark.parametrize(
    ("rule_id", "profile_overrides", "weight"),
    [
        ("pilot", {"pilot_planned": False}, -1.0),
        ("change-management", {"change_management_planned": False}, -1.0),
    ],
)
def test_option_level_findings_do_not_scale(
    rule_id: str, profile_overrides: dict[str, Any], weight: float
) -> None:
    ctx = make_context(
        make_profile(**profile_overrides), *split((0.2, vendor_site("XF")), (0.8, own_site()))
    )
    assert weights(ctx, rule_id) == [weight]


# --- evaluate and fit_score ------------------------------------------------------------------


def test_evaluate_follows_rule_order_and_copies_title_and_citation() -> None:
    profile = make_profile(
        expertise_in_house=False,
        positioning=Positioning.STRATEGIC,
        data_sensitivity=DataSensitivity.PERSONAL,
        pilot_planned=False,
    )
    result = evaluate(make_context(profile, vendor_site("XF")))
    order = [r.id for r in RULES]
    positions = [order.index(f.rule) for f in result]
    assert positions == sorted(positions)
    by_id = {r.id: r for r in RULES}
    for f in result:
        assert f.title == by_id[f.rule].title
        assert f.citation == by_id[f.rule].citation


def test_stance_follows_the_sign_of_the_weight() -> None:
    profile = make_profile(expertise_in_house=False, positioning=Positioning.STRATEGIC)
    result = {f.rule: f for f in evaluate(make_context(profile, vendor_site("XF")))}
    assert result["expertise"].stance is Stance.SUPPORTS
    assert result["strategic"].stance is Stance.CAUTIONS


def test_weights_are_rounded_to_two_decimals() -> None:
    profile = make_profile(expertise_in_house=False)
    sites = split((1 / 3, vendor_site()), (2 / 3, own_site()))
    (f,) = fired(make_context(profile, *sites), "expertise")
    assert f.weight == 0.67


def test_zero_weight_findings_are_not_reported() -> None:
    profile = make_profile(expertise_in_house=False)
    nothing = with_share(vendor_site(), 0.0)
    assert fired(make_context(profile, nothing), "expertise") == []


def test_findings_that_round_to_zero_are_not_reported() -> None:
    tiny = with_share(vendor_site("XF"), 0.004)
    result = evaluate(make_context(make_profile(), tiny, with_share(own_site(), 0.996)))
    assert all(f.weight != 0.0 for f in result)


def test_fit_score_is_the_rounded_sum_of_weights() -> None:
    profile = make_profile(
        expertise_in_house=False,  # +2
        positioning=Positioning.STRATEGIC,  # −2
        demand_volatility=Level.MEDIUM,  # +1
        pilot_planned=False,  # −1
    )
    result = evaluate(make_context(profile, vendor_site(track_record=TrackRecord.UNKNOWN)))
    # + partner-track-record −0.5
    assert fit_score(result) == -0.5
    assert fit_score([]) == 0.0


# --- properties ------------------------------------------------------------------------------

SITES = [
    lambda: own_site(),
    lambda: own_site("XF"),
    lambda: own_site("XN", follows_home_hours=True),
    lambda: vendor_site(),
    lambda: vendor_site("XF", track_record=TrackRecord.UNKNOWN, certifications=("SOC2",)),
    lambda: vendor_site("XC", transfer_month=24),
    lambda: vendor_site("XM", track_record=TrackRecord.UNPROVEN),
]

profiles = st.builds(
    make_profile,
    positioning=st.sampled_from(list(Positioning)),
    expertise_in_house=st.booleans(),
    data_sensitivity=st.sampled_from(list(DataSensitivity)),
    ip_sensitivity=st.sampled_from(list(Level)),
    overlap_hours_needed=st.sampled_from([0.0, 2.0, 4.0, 6.0, 8.0]),
    languages=st.sampled_from([(), ("en",), ("pt",), ("en", "tl")]),
    demand_volatility=st.sampled_from(list(Level)),
    goals=st.builds(
        Goals,
        focus_on_core=st.booleans(),
        avoid_relocation=st.booleans(),
        long_term_presence_abroad=st.booleans(),
        direct_oversight=st.booleans(),
        scale_quickly=st.booleans(),
        expand_internationally=st.booleans(),
    ),
    pilot_planned=st.booleans(),
    change_management_planned=st.booleans(),
)


@st.composite
def options(draw: st.DrawFn) -> tuple[Any, ...]:
    picks = draw(st.lists(st.sampled_from(range(len(SITES))), min_size=1, max_size=3))
    units = draw(st.lists(st.integers(1, 20), min_size=len(picks), max_size=len(picks)))
    total = sum(units)
    return tuple(with_share(SITES[i](), u / total) for i, u in zip(picks, units, strict=True))


@settings(max_examples=150, deadline=None)
@given(profile=profiles, sites=options())
def test_every_finding_is_signed_bounded_and_summed_into_the_score(
    profile: Any, sites: tuple[Any, ...]
) -> None:
    result = evaluate(make_context(profile, *sites))
    for f in result:
        assert f.weight != 0.0
        assert (f.weight > 0) == (f.stance is Stance.SUPPORTS)
        assert abs(f.weight) <= 2.0
        assert f.reason
    assert fit_score(result) == pytest.approx(sum(f.weight for f in result), abs=0.005)
    assert {f.rule for f in result} <= TESTED_RULES


def test_own_staff_at_home_are_not_cautioned_on_language() -> None:
    """Today's team already serves in the languages needed, whatever the census says."""
    profile = make_profile(languages=("zz",))
    assert weights(status_quo_context(profile), "language") == []
    assert weights(make_context(profile, own_site("XH")), "language") == []
    assert weights(make_context(profile, vendor_site("XH")), "language") == [-2.0]
