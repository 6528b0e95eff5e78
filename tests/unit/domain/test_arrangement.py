"""The seeds' 2×2 of sourcing arrangements: who employs the workers × where they work."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcewise.domain.arrangement import (
    GRID,
    NEARSHORE_MAX_GAP_HOURS,
    Arrangement,
    Classification,
    Employer,
    SiteFacts,
    classify,
    classify_split,
    combine_split,
    is_nearshore,
)

OWN, THIRD = Employer.OWN, Employer.THIRD_PARTY


def facts(employer: Employer, work: str, home: str = "US", **extra: Any) -> SiteFacts:
    return SiteFacts(employer=employer, work_country=work, home_country=home, **extra)


# --- the 2×2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employer", "work", "expected", "outsourcing", "offshoring"),
    [
        (OWN, "US", Arrangement.IN_HOUSE, False, False),
        (THIRD, "US", Arrangement.DOMESTIC_OUTSOURCING, True, False),
        (OWN, "IN", Arrangement.CAPTIVE_OFFSHORING, False, True),
        (THIRD, "IN", Arrangement.OFFSHORE_OUTSOURCING, True, True),
    ],
    ids=["own-home", "third-party-home", "own-abroad", "third-party-abroad"],
)
def test_two_by_two(
    employer: Employer, work: str, expected: Arrangement, outsourcing: bool, offshoring: bool
) -> None:
    result = classify(facts(employer, work))
    assert result.arrangement is expected
    assert result.arrangement.is_outsourcing is outsourcing
    assert result.arrangement.is_offshoring is offshoring
    assert not result.nearshore
    assert not result.build_operate_transfer
    assert result.becomes is None
    assert result.parts == ()
    assert result.label == str(expected)


def test_hybrid_is_neither_outsourcing_nor_offshoring_on_its_own() -> None:
    assert not Arrangement.HYBRID.is_outsourcing
    assert not Arrangement.HYBRID.is_offshoring


def test_the_grid_places_each_arrangement_in_its_cell() -> None:
    assert [a.cell for row in GRID for a in row] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert {a for row in GRID for a in row} == set(Arrangement) - {Arrangement.HYBRID}
    with pytest.raises(ValueError, match="hybrid"):
        _ = Arrangement.HYBRID.cell


def test_country_codes_are_compared_case_insensitively() -> None:
    assert classify(facts(OWN, "us", home="US")).arrangement is Arrangement.IN_HOUSE
    assert not facts(OWN, "de", home="DE").abroad
    assert facts(OWN, "DE", home="AT").abroad


# --- the sentence explaining why -------------------------------------------------------------


@pytest.mark.parametrize(
    ("employer", "work", "fragments"),
    [
        (OWN, "US", ("own staff", "US", "in-house status quo")),
        (THIRD, "US", ("third-party provider", "inside US", "domestic (onshore) outsourcing")),
        (OWN, "PH", ("own employees", "in PH, outside US", "captive centre")),
        (THIRD, "PH", ("third-party provider", "in PH, outside US", "offshore outsourcing")),
    ],
)
def test_reason_names_the_facts_and_the_cell(
    employer: Employer, work: str, fragments: tuple[str, ...]
) -> None:
    reason = classify(facts(employer, work)).reason
    for fragment in fragments:
        assert fragment in reason


def test_reasons_differ_per_cell() -> None:
    reasons = {classify(facts(e, w)).reason for e in (OWN, THIRD) for w in ("US", "IN")}
    assert len(reasons) == 4


# --- seed 002: the window example ------------------------------------------------------------


def test_seed_002_spec_it_and_have_it_built_in_your_own_plant_abroad_is_captive_offshoring() -> (
    None
):
    """'If I'm specing the windows and telling you how to build them in the low cost geo, then
    that is offshoring': own employer, own plant, abroad."""
    result = classify(facts(OWN, "MX", facility_owner=OWN))
    assert result.arrangement is Arrangement.CAPTIVE_OFFSHORING
    assert result.arrangement.is_offshoring
    assert not result.arrangement.is_outsourcing


def test_seed_002_hire_a_firm_abroad_to_spec_and_build_is_offshore_outsourcing() -> None:
    """'If I hire you in the low cost geo to spec and build based on my needs, that is offshore
    outsourcing': a third party abroad."""
    result = classify(facts(THIRD, "MX", facility_owner=THIRD))
    assert result.arrangement is Arrangement.OFFSHORE_OUTSOURCING
    assert result.arrangement.is_offshoring
    assert result.arrangement.is_outsourcing


def test_seed_002_hiring_a_firm_at_home_instead_is_domestic_outsourcing() -> None:
    """'… might as well outsource in the US': the same firm-built windows, made at home."""
    assert classify(facts(THIRD, "US")).arrangement is Arrangement.DOMESTIC_OUTSOURCING


# --- facility ownership does not decide who does the work ------------------------------------


@pytest.mark.parametrize(
    ("employer", "owner", "expected", "fragment"),
    [
        (THIRD, OWN, Arrangement.OFFSHORE_OUTSOURCING, "one you own"),
        (OWN, THIRD, Arrangement.CAPTIVE_OFFSHORING, "one a third party owns"),
    ],
)
def test_facility_owner_differing_from_employer_is_explained_but_not_decisive(
    employer: Employer, owner: Employer, expected: Arrangement, fragment: str
) -> None:
    result = classify(facts(employer, "IN", facility_owner=owner))
    assert result.arrangement is expected
    assert fragment in result.reason
    assert "legal employer of the workers decides" in result.reason


def test_facility_owned_by_the_employer_adds_nothing_to_the_reason() -> None:
    plain = classify(facts(OWN, "IN"))
    same_owner = classify(facts(OWN, "IN", facility_owner=OWN))
    assert same_owner == plain
    assert "facility" not in same_owner.reason


# --- nearshore -------------------------------------------------------------------------------


def test_nearshore_by_neighbouring_country() -> None:
    result = classify(facts(THIRD, "MX", neighbouring=True, timezone_gap_hours=-8.0))
    assert result.arrangement is Arrangement.OFFSHORE_OUTSOURCING
    assert result.nearshore
    assert "nearshore: a neighbouring country" in result.reason
    assert result.label == "offshore outsourcing (nearshore)"


@pytest.mark.parametrize("gap", [0.0, 1.0, -2.5, 3.0, -3.0])
def test_nearshore_by_time_zone_gap_of_at_most_three_hours(gap: float) -> None:
    result = classify(facts(OWN, "CO", timezone_gap_hours=gap))
    assert result.arrangement is Arrangement.CAPTIVE_OFFSHORING
    assert result.nearshore
    assert f"only {abs(gap):g} h from home time" in result.reason
    assert result.label == "captive offshoring (nearshore)"


@pytest.mark.parametrize("gap", [5.0, -5.0, 3.5, 12.0])
def test_not_nearshore_beyond_three_hours(gap: float) -> None:
    result = classify(facts(THIRD, "PL", timezone_gap_hours=gap))
    assert not result.nearshore
    assert "nearshore" not in result.reason
    assert result.label == "offshore outsourcing"


def test_threshold_is_the_documented_three_hours() -> None:
    assert NEARSHORE_MAX_GAP_HOURS == 3.0


def test_unknown_gap_and_not_neighbouring_is_not_nearshore() -> None:
    assert not is_nearshore(facts(THIRD, "IN"))


@pytest.mark.parametrize("employer", [OWN, THIRD])
def test_home_country_is_never_nearshore(employer: Employer) -> None:
    home = facts(employer, "US", neighbouring=True, timezone_gap_hours=0.0)
    assert not is_nearshore(home)
    assert not classify(home).nearshore


# --- build-operate-transfer ------------------------------------------------------------------


def test_build_operate_transfer_abroad_becomes_captive_offshoring() -> None:
    result = classify(facts(THIRD, "PH", transfer_month=24))
    assert result.arrangement is Arrangement.OFFSHORE_OUTSOURCING
    assert result.build_operate_transfer
    assert result.becomes is Arrangement.CAPTIVE_OFFSHORING
    assert "Build-operate-transfer" in result.reason
    assert "in month 24 it transfers to you and becomes captive offshoring" in result.reason
    assert result.label == "offshore outsourcing (build-operate-transfer)"


def test_build_operate_transfer_at_home_becomes_in_house() -> None:
    result = classify(facts(THIRD, "US", transfer_month=12))
    assert result.arrangement is Arrangement.DOMESTIC_OUTSOURCING
    assert result.becomes is Arrangement.IN_HOUSE


def test_build_operate_transfer_nearshore_label_lists_both_flags() -> None:
    result = classify(facts(THIRD, "MX", transfer_month=18, neighbouring=True))
    assert result.label == "offshore outsourcing (nearshore, build-operate-transfer)"


def test_transfer_month_on_own_staff_is_not_build_operate_transfer() -> None:
    result = classify(facts(OWN, "PH", transfer_month=24))
    assert result.arrangement is Arrangement.CAPTIVE_OFFSHORING
    assert not result.build_operate_transfer
    assert result.becomes is None
    assert "transfer" not in result.reason


# --- splits and hybrid -----------------------------------------------------------------------


def test_split_over_different_cells_is_hybrid() -> None:
    result = classify_split([(0.6, facts(THIRD, "IN")), (0.4, facts(OWN, "US"))])
    assert result.arrangement is Arrangement.HYBRID
    assert [share for share, _ in result.parts] == [0.6, 0.4]
    assert [c.arrangement for _, c in result.parts] == [
        Arrangement.OFFSHORE_OUTSOURCING,
        Arrangement.IN_HOUSE,
    ]
    assert "60% offshore outsourcing, 40% in-house" in result.reason
    assert "hybrid approach" in result.reason
    assert result.label == "hybrid"


def test_hybrid_reason_carries_part_flags() -> None:
    result = classify_split([(0.5, facts(THIRD, "MX", neighbouring=True)), (0.5, facts(OWN, "IN"))])
    assert result.arrangement is Arrangement.HYBRID
    assert "50% offshore outsourcing (nearshore)" in result.reason
    assert "50% captive offshoring" in result.reason


def test_split_within_one_cell_is_not_hybrid() -> None:
    result = classify_split([(0.7, facts(THIRD, "IN")), (0.3, facts(THIRD, "PH"))])
    assert result.arrangement is Arrangement.OFFSHORE_OUTSOURCING
    assert len(result.parts) == 2
    assert result.reason == classify(facts(THIRD, "IN")).reason


def test_split_within_one_cell_is_nearshore_only_if_every_part_is() -> None:
    near = facts(OWN, "MX", neighbouring=True)
    also_near = facts(OWN, "CA", timezone_gap_hours=0.0)
    far = facts(OWN, "IN", timezone_gap_hours=10.5)
    assert classify_split([(0.5, near), (0.5, also_near)]).nearshore
    assert not classify_split([(0.5, near), (0.5, far)]).nearshore


def test_a_split_combines_the_classifications_its_sites_already_have() -> None:
    parts = [(0.6, facts(THIRD, "IN")), (0.4, facts(OWN, "US"))]
    classified = [(share, classify(f)) for share, f in parts]
    assert combine_split(classified) == classify_split(parts)


def test_single_part_split_is_its_cell() -> None:
    result = classify_split([(1.0, facts(OWN, "US"))])
    assert result.arrangement is Arrangement.IN_HOUSE
    assert len(result.parts) == 1


@pytest.mark.parametrize(
    "shares",
    [
        [0.5, 0.4],
        [0.7, 0.7],
        [1.2, -0.2],
        [1.0, 0.0],
        [0.0],
        [2.0],
    ],
    ids=["under-one", "over-one", "negative", "zero-part", "only-zero", "single-over"],
)
def test_invalid_split_shares_raise(shares: list[float]) -> None:
    parts = [(s, facts(OWN, "US")) for s in shares]
    with pytest.raises(ValueError, match="split shares must be positive and total 1"):
        classify_split(parts)


def test_empty_split_raises() -> None:
    with pytest.raises(ValueError, match="at least one part"):
        classify_split([])


def test_split_shares_tolerate_float_rounding() -> None:
    thirds = [(1 / 3, facts(OWN, "US")), (1 / 3, facts(THIRD, "US")), (1 / 3, facts(OWN, "IN"))]
    assert classify_split(thirds).arrangement is Arrangement.HYBRID


@pytest.mark.parametrize(
    "shares", [[math.nan], [0.5, math.nan], [math.nan, 1.0]], ids=["alone", "second", "first"]
)
def test_nan_split_share_raises(shares: list[float]) -> None:
    with pytest.raises(ValueError, match="split shares"):
        classify_split([(s, facts(THIRD, "IN")) for s in shares])


def test_split_within_one_cell_keeps_build_operate_transfer_when_every_part_has_it() -> None:
    result = classify_split(
        [(0.5, facts(THIRD, "IN", transfer_month=24)), (0.5, facts(THIRD, "PH", transfer_month=36))]
    )
    assert result.arrangement is Arrangement.OFFSHORE_OUTSOURCING
    assert result.build_operate_transfer
    assert result.becomes is Arrangement.CAPTIVE_OFFSHORING


def test_split_within_one_cell_is_build_operate_transfer_only_if_every_part_is() -> None:
    result = classify_split(
        [(0.5, facts(THIRD, "IN", transfer_month=24)), (0.5, facts(THIRD, "PH"))]
    )
    assert result.arrangement is Arrangement.OFFSHORE_OUTSOURCING
    assert not result.build_operate_transfer
    assert result.becomes is None


# --- properties ------------------------------------------------------------------------------

CELLS = {
    (OWN, False): Arrangement.IN_HOUSE,
    (THIRD, False): Arrangement.DOMESTIC_OUTSOURCING,
    (OWN, True): Arrangement.CAPTIVE_OFFSHORING,
    (THIRD, True): Arrangement.OFFSHORE_OUTSOURCING,
}

codes = st.sampled_from(["US", "us", "GB", "gb", "IN", "PH", "MX", "mx", "DE"])
site_facts = st.builds(
    SiteFacts,
    employer=st.sampled_from(list(Employer)),
    work_country=codes,
    home_country=codes,
    facility_owner=st.none() | st.sampled_from(list(Employer)),
    transfer_month=st.none() | st.integers(1, 120),
    timezone_gap_hours=st.none()
    | st.floats(-14, 14, allow_nan=False).map(lambda x: round(x * 4) / 4),
    neighbouring=st.booleans(),
)


@settings(max_examples=200)
@given(site_facts)
def test_arrangement_depends_only_on_employer_and_abroad(f: SiteFacts) -> None:
    abroad = f.work_country.upper() != f.home_country.upper()
    result = classify(f)
    assert result.arrangement is CELLS[(f.employer, abroad)]
    assert result.reason


@settings(max_examples=200)
@given(site_facts)
def test_nearshore_exactly_when_abroad_and_neighbouring_or_close(f: SiteFacts) -> None:
    close = f.timezone_gap_hours is not None and abs(f.timezone_gap_hours) <= 3.0
    assert classify(f).nearshore == (f.abroad and (f.neighbouring or close))


@settings(max_examples=200)
@given(site_facts)
def test_build_operate_transfer_exactly_for_third_party_with_transfer_month(f: SiteFacts) -> None:
    result = classify(f)
    expected = f.employer is THIRD and f.transfer_month is not None
    assert result.build_operate_transfer == expected
    if expected:
        assert result.becomes is CELLS[(OWN, f.abroad)]


@settings(max_examples=100)
@given(
    parts=st.lists(
        st.tuples(st.integers(1, 100), site_facts),
        min_size=1,
        max_size=5,
    )
)
def test_split_is_hybrid_iff_parts_span_more_than_one_cell(
    parts: list[tuple[int, SiteFacts]],
) -> None:
    total = sum(w for w, _ in parts)
    split = [(w / total, f) for w, f in parts]
    result = classify_split(split)
    cells = {classify(f).arrangement for _, f in split}
    if len(cells) > 1:
        assert result.arrangement is Arrangement.HYBRID
    else:
        assert result.arrangement is next(iter(cells))
    assert isinstance(result.parts[0][1], Classification)
    assert [s for s, _ in result.parts] == [s for s, _ in split]
