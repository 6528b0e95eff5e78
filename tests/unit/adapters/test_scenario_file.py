"""Scenario validation: every kind of problem, each at its line and field path."""

from collections.abc import Iterable
from datetime import date
from textwrap import dedent
from typing import get_args

import pytest
from pydantic import BaseModel

from sourcewise.adapters.field_types import DistributionModel
from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.adapters.scenario_schema import (
    CompanyModel,
    FunctionModel,
    GoodsModel,
    GoodsTermsModel,
    OptionModel,
    PartModel,
    SiteFields,
)
from sourcewise.domain.arrangement import Employer
from sourcewise.domain.problems import Problem
from sourcewise.domain.sampled import sampled_fields
from sourcewise.domain.scenario import (
    Company,
    DataSensitivity,
    FunctionProfile,
    GoodsProfile,
    GoodsTerms,
    Level,
    Option,
    Positioning,
    Site,
)

VALID = """\
company:
  name: Acme
  home_country: US
functions:
  - name: Support
    kind: it_support
    fte: 10
    current_annual_cost: 900000
    options:
      - name: Vendor
        employer: third_party
        country: IN
        hourly_rate: 20
"""


def problems_of(text: str) -> list[Problem]:
    scenario, problems = load_scenario_text(dedent(text), "s.yaml")
    assert scenario is None
    return problems


def where(problems: list[Problem]) -> list[tuple[int | None, str]]:
    return [(p.line, p.path) for p in problems]


def test_minimal_scenario_gets_documented_defaults() -> None:
    scenario, problems = load_scenario_text(VALID, "s.yaml")
    assert problems == []
    assert scenario is not None
    company = scenario.company
    assert (company.currency, company.discount_rate, company.horizon_years) == ("USD", 0.08, 5)
    profile = scenario.functions[0].profile
    assert profile.positioning is Positioning.COMMODITIZED
    assert profile.data_sensitivity is DataSensitivity.NONE
    assert profile.demand_volatility is Level.LOW
    assert profile.overlap_hours_needed == 2
    site = scenario.functions[0].options[0].sites[0]
    assert site.employer is Employer.THIRD_PARTY
    assert site.fte == 10  # the function's FTE
    assert site.billable_hours_per_fte == 1800
    assert site.governance_overhead == 0.08  # offshore outsourcing default
    assert site.provider == "provider"


def test_hybrid_parts_take_their_share_of_fte() -> None:
    text = VALID.replace(
        """      - name: Vendor
        employer: third_party
        country: IN
        hourly_rate: 20
""",
        """      - name: Split
        parts:
          - {share: 0.7, employer: third_party, country: IN, hourly_rate: 20}
          - {share: 0.3, employer: own, country: US, annual_cost_per_fte: 90000}
""",
    )
    scenario, problems = load_scenario_text(text, "s.yaml")
    assert problems == []
    assert scenario is not None
    sites = scenario.functions[0].options[0].sites
    assert [(s.share, s.fte) for s in sites] == [(0.7, 7.0), (0.3, 3.0)]
    assert sites[1].governance_overhead == 0.0  # in-house default


def test_wrong_type() -> None:
    problems = problems_of(VALID.replace("fte: 10", "fte: ten"))
    assert where(problems) == [(7, "functions[0].fte")]
    assert "valid number" in problems[0].message


def test_missing_field_points_at_its_parent() -> None:
    problems = problems_of(VALID.replace("    kind: it_support\n", ""))
    assert where(problems) == [(5, "functions[0].kind")]
    assert problems[0].message == "is required"


def test_unknown_key_suggests_the_field_meant() -> None:
    problems = problems_of(VALID.replace("hourly_rate: 20", "hourly_rte: 20"))
    assert (13, "functions[0].options[0].hourly_rte") in where(problems)
    typo = next(p for p in problems if p.path.endswith("hourly_rte"))
    assert typo.message == "unknown field 'hourly_rte' (did you mean 'hourly_rate'?)"
    # ...and the rate it was meant to give is now missing, on the option's line.
    assert (10, "functions[0].options[0].hourly_rate") in where(problems)


@pytest.mark.parametrize(
    ("code", "hint"),
    [("XX", "alpha-2"), ("IND", "'IN' for India"), ("Philipines", "'PH' for Philippines")],
)
def test_unknown_country_code(code: str, hint: str) -> None:
    problems = problems_of(VALID.replace("country: IN", f"country: {code}"))
    assert where(problems) == [(12, "functions[0].options[0].country")]
    assert hint in problems[0].message


@pytest.mark.parametrize(
    ("old", "new", "line", "path"),
    [
        ("fte: 10", "fte: -1", 7, "functions[0].fte"),
        (
            "current_annual_cost: 900000",
            "current_annual_cost: 0",
            8,
            "functions[0].current_annual_cost",
        ),
        ("hourly_rate: 20", "hourly_rate: -20", 13, "functions[0].options[0].hourly_rate"),
        ("home_country: US", "home_country: US\n  discount_rate: 1.2", 4, "company.discount_rate"),
        ("home_country: US", "home_country: US\n  horizon_years: 31", 4, "company.horizon_years"),
        (
            "hourly_rate: 20",
            "hourly_rate: 20\n        transition_months: 61",
            14,
            "functions[0].options[0].transition_months",
        ),
    ],
)
def test_negative_or_impossible_numbers(old: str, new: str, line: int, path: str) -> None:
    problems = problems_of(VALID.replace(old, new))
    assert where(problems) == [(line, path)]


def test_every_problem_reported_at_once() -> None:
    text = """\
    company:
      name: Acme
      home_country: USA
    functions:
      - name: Support
        kind: call_centre
        fte: 10
        current_annual_cost: 900000
        languages: [en, xx]
        options:
          - name: Captive
            employer: own
            country: PH
            anual_cost_per_fte: 15000
          - name: Captive
            employer: third_party
            country: IN
          - name: Split
            parts:
              - {share: 0.5, employer: third_party, country: MX, hourly_rate: 16}
              - {share: 0.4, employer: own, country: US, annual_cost_per_fte: 1}
    """
    problems = problems_of(text)
    assert where(problems) == [
        (3, "company.home_country"),
        (6, "functions[0].kind"),
        (9, "functions[0].languages[1]"),
        (11, "functions[0].options[0].annual_cost_per_fte"),
        (14, "functions[0].options[0].anual_cost_per_fte"),
        (15, "functions[0].options[1].hourly_rate"),
        (15, "functions[0].options[1].name"),
        (19, "functions[0].options[2].parts"),
    ]
    assert all(p.file == "s.yaml" for p in problems)


def test_goods_function_needs_goods_terms_on_each_site() -> None:
    text = VALID.replace("    fte: 10\n", "    goods: {units_per_year: 1000, unit_weight_kg: 20}\n")
    problems = problems_of(text)
    assert where(problems) == [(10, "functions[0].options[0].goods")]


def test_services_function_rejects_goods_terms_and_needs_fte() -> None:
    text = VALID.replace("    fte: 10\n", "").replace(
        "hourly_rate: 20", "hourly_rate: 20\n        goods: {unit_price: 5}"
    )
    assert where(problems_of(text)) == [
        (5, "functions[0].fte"),
        (13, "functions[0].options[0].goods"),
    ]


def test_build_operate_transfer_needs_a_third_party() -> None:
    text = VALID.replace(
        "employer: third_party", "employer: own\n        annual_cost_per_fte: 9000"
    ).replace("hourly_rate: 20", "transfer_month: 24")
    assert where(problems_of(text)) == [(14, "functions[0].options[0].transfer_month")]


def test_top_level_must_be_a_mapping() -> None:
    problems = problems_of("- just\n- a list\n")
    assert problems[0].message == "expected a mapping at the top, got list"


def test_problem_string_names_file_line_and_field() -> None:
    problems = problems_of(VALID.replace("fte: 10", "fte: -1"))
    assert str(problems[0]).startswith("s.yaml:7: functions[0].fte: ")


def test_indicator_overrides_and_start_year() -> None:
    text = VALID.replace("  home_country: US\n", "  home_country: US\n  start_year: 2027\n") + (
        "indicators:\n"
        "  - {country: IN, indicator: inflation_pct, value: 4.5, year: 2025, source: RBI}\n"
    )
    scenario, problems = load_scenario_text(text, "s.yaml")
    assert problems == []
    assert scenario is not None
    assert scenario.company.start_year == 2027
    assert scenario.company.start_year_given
    assert scenario.company.start_year_text == "from 2027"
    [override] = scenario.indicator_overrides
    assert (override.country, override.indicator, override.value) == ("IN", "inflation_pct", 4.5)


def test_unknown_indicator_suggests_the_id() -> None:
    text = VALID + (
        "indicators:\n"
        "  - {country: IN, indicator: inflation, value: 4.5, year: 2025, source: RBI}\n"
    )
    problems = problems_of(text)
    assert where(problems) == [(15, "indicators[0].indicator")]
    assert "did you mean 'inflation_pct'" in problems[0].message


def test_distributions_give_the_mean_and_are_kept_for_simulation() -> None:
    text = VALID.replace(
        "hourly_rate: 20", "hourly_rate: {dist: triangular, low: 18, mode: 20, high: 25}"
    ) + (
        "correlations:\n"
        "  - between:\n"
        "      - functions[0].options[0].hourly_rate\n"
        "      - company.wage_inflation\n"
        "    rho: 0.5\n"
    )
    text = text.replace(
        "  home_country: US\n",
        "  home_country: US\n  wage_inflation: {dist: uniform, low: 0.02, high: 0.04}\n",
    )
    scenario, problems = load_scenario_text(text, "s.yaml")
    assert problems == []
    assert scenario is not None
    site = scenario.functions[0].options[0].sites[0]
    assert site.hourly_rate == pytest.approx(21.0)  # (18 + 20 + 25) / 3
    assert scenario.company.wage_inflation == pytest.approx(0.03)
    labels = {u.ref.label for u in scenario.uncertain}
    assert {"company.wage_inflation", "functions[0].options[0].hourly_rate"} <= labels
    ref = next(u.ref for u in scenario.uncertain if u.ref.field == "hourly_rate")
    assert (ref.function, ref.option, ref.site, ref.goods) == (0, 0, 0, False)
    [correlation] = scenario.correlations
    assert correlation.rho == 0.5


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("{dist: triangular, low: 18, high: 25}", "triangular needs mode"),
        ("{dist: uniform, low: 18, high: 25, mode: 20}", "uniform takes no mode"),
        ("{dist: triangular, low: 18, mode: 30, high: 25}", "mode"),
        ("{dist: normal, mean: 20, sd: 5}", "outside 0"),
        ("{dist: gamma, low: 1}", "Input should be"),
    ],
)
def test_bad_distributions_name_the_field(value: str, fragment: str) -> None:
    problems = problems_of(VALID.replace("hourly_rate: 20", f"hourly_rate: {value}"))
    assert problems[0].path.startswith("functions[0].options[0].hourly_rate")
    assert problems[0].line == 13
    assert fragment in problems[0].message, problems[0].message


def test_correlation_must_name_uncertain_inputs() -> None:
    uncertain = VALID.replace("hourly_rate: 20", "hourly_rate: {dist: uniform, low: 18, high: 22}")
    text = uncertain + (
        "correlations:\n  - between:\n      - functions[0].options[0].hourly_rate\n"
        "      - nothing\n    rho: 0.3\n"
    )
    problems = problems_of(text)
    assert [p.path for p in problems] == ["correlations[0].between"]
    assert "'nothing' is not an uncertain input" in problems[0].message
    assert "functions[0].options[0].hourly_rate" not in problems[0].message.split("(")[0]


def test_hidden_cost_defaults_for_an_offshore_vendor() -> None:
    scenario, problems = load_scenario_text(VALID, "s.yaml")
    assert problems == []
    assert scenario is not None
    site = scenario.functions[0].options[0].sites[0]
    # Means of the triangular defaults (Overby 2003 ranges, sourcewise modes).
    assert site.governance_overhead == pytest.approx((0.06 + 0.08 + 0.10) / 3)
    assert site.coordination_loss == pytest.approx((0.03 + 0.08 + 0.27) / 3)
    assert site.rework_share == pytest.approx((0.01 + 0.03 + 0.10) / 3)
    assert site.vendor_selection_share == pytest.approx((0.002 + 0.01 + 0.02) / 3)
    assert site.local_currency_share == 0.0
    labels = {u.ref.label for u in scenario.uncertain}
    assert "functions[0].options[0].coordination_loss" in labels


def test_hidden_costs_can_be_switched_off_or_given() -> None:
    text = VALID.replace(
        "hourly_rate: 20",
        "hourly_rate: 20\n        coordination_loss: 0\n        rework_share: 0.02\n"
        "        governance_overhead: 0.05\n        vendor_selection_share: 0\n"
        "        transition_share: 0\n        severance_cost: 0",
    )
    scenario, problems = load_scenario_text(text, "s.yaml")
    assert problems == []
    assert scenario is not None
    site = scenario.functions[0].options[0].sites[0]
    assert (site.coordination_loss, site.rework_share, site.governance_overhead) == (0, 0.02, 0.05)
    assert scenario.uncertain == ()


def test_transition_and_layoff_defaults_follow_overby() -> None:
    # A third party abroad for services, no severance given: the transition (2-3 %) and the
    # layoffs and retention (3-5 %) of S. Overby (CIO, 2003) apply, the whole team runs in
    # parallel during the hand-over.
    scenario, problems = load_scenario_text(VALID, "s.yaml")
    assert problems == []
    assert scenario is not None
    option = scenario.functions[0].options[0]
    assert option.sites[0].transition_share == pytest.approx(0.025)
    assert option.layoff_retention_share == pytest.approx(0.04)
    assert option.parallel_running_share == 1.0
    labels = {u.ref.label: u.distribution for u in scenario.uncertain}
    assert "functions[0].options[0].layoff_retention_share" in labels
    # A severance figure is the user's own layoff cost: no default on top of it.
    text = VALID.replace("hourly_rate: 20", "hourly_rate: 20\n        severance_cost: 50000")
    given, _ = load_scenario_text(text, "s.yaml")
    assert given is not None
    assert given.functions[0].options[0].layoff_retention_share == 0.0
    # Work that stays in the country ends no jobs (staff transfer to the provider).
    home = VALID.replace("country: IN", "country: US")
    domestic, _ = load_scenario_text(home, "s.yaml")
    assert domestic is not None
    assert domestic.functions[0].options[0].layoff_retention_share == 0.0
    assert domestic.functions[0].options[0].sites[0].transition_share == pytest.approx(0.025)


def test_nearshore_and_own_staff_defaults() -> None:
    text = VALID.replace(
        "        employer: third_party\n        country: IN\n        hourly_rate: 20",
        "        employer: own\n        country: MX\n        annual_cost_per_fte: 30000",
    )
    scenario, problems = load_scenario_text(text, "s.yaml")
    assert problems == []
    assert scenario is not None
    site = scenario.functions[0].options[0].sites[0]
    assert site.coordination_loss == pytest.approx((0.03 + 0.05 + 0.27) / 3)  # nearshore
    assert (site.rework_share, site.vendor_selection_share) == (0.0, 0.0)  # own staff
    assert site.governance_overhead == 0.05  # captive default, no range
    assert site.local_currency_share == 1.0


def test_criteria_weights_and_ahp_are_checked() -> None:
    text = VALID.replace(
        "    options:\n",
        "    weights: {tco_p50: 2, cost: 1}\n    ahp: {fit: {spped: 3}}\n    options:\n",
    )
    problems = problems_of(text)
    messages = {p.path: p.message for p in problems}
    assert "unknown criterion 'cost'" in messages["functions[0].weights.cost"]
    assert "unknown criteria spped" in messages["functions[0].ahp"]


def test_incomplete_ahp_judgements_are_reported() -> None:
    text = VALID.replace("    options:\n", "    ahp: {tco_p50: {fit: 3}}\n    options:\n")
    problems = problems_of(text)
    assert problems
    assert all(p.path == "functions[0].ahp" for p in problems)


# --- Which numbers may hold draws ------------------------------------------------------------


def _may_be_a_distribution(annotation: object) -> bool:
    return annotation is DistributionModel or any(
        _may_be_a_distribution(a) for a in get_args(annotation)
    )


def _distribution_fields(model: type[BaseModel], leave_out: Iterable[str] = ()) -> set[str]:
    return {
        name
        for name, info in model.model_fields.items()
        if name not in leave_out and _may_be_a_distribution(info.annotation)
    }


@pytest.mark.parametrize(
    ("model", "record"),
    [
        (CompanyModel, Company),
        (FunctionModel, FunctionProfile),
        (GoodsModel, GoodsProfile),
        (GoodsTermsModel, GoodsTerms),
        (SiteFields, Site),
        (PartModel, Site),
    ],
)
def test_the_numbers_a_file_may_give_as_distributions_are_the_fields_typed_sampled(
    model: type[BaseModel], record: type
) -> None:
    """The simulation puts draws in exactly these fields, so their type must allow them."""
    assert _distribution_fields(model) == sampled_fields(record)


def test_the_option_numbers_a_file_may_give_as_distributions_are_typed_sampled() -> None:
    own = _distribution_fields(OptionModel, leave_out=SiteFields.model_fields)
    assert own == sampled_fields(Option)


def test_without_a_start_year_the_run_year_is_used_and_said() -> None:
    scenario, problems = load_scenario_text(VALID, "s.yaml")
    assert problems == []
    assert scenario is not None
    assert scenario.company.start_year == date.today().year
    assert not scenario.company.start_year_given
    assert "the year of this run" in scenario.company.start_year_text
