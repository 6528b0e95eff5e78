"""Scenario workbooks: cell syntax, the template, problems at sheet!cell, lossless round trip."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from hostile_files import lying_zip_bomb_xlsx, sparse_xlsx, wide_rows_xlsx, zip_bomb_xlsx
from sourcewise.adapters.field_types import DistributionModel
from sourcewise.adapters.scenario_schema import ScenarioModel
from sourcewise.adapters.scenario_workbook import (
    DistributionSyntaxError,
    distribution_text,
    list_text,
    parse_distribution,
    parse_list,
    table_columns,
)
from sourcewise.adapters.scenario_workbook_read import (
    load_workbook_scenario,
    read_workbook,
    scenario_yaml,
)
from sourcewise.adapters.scenario_workbook_write import (
    build_workbook,
    scenario_bytes,
    template_bytes,
    workbook_bytes,
)
from sourcewise.adapters.yaml_source import parse_yaml, read_yaml

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _model(path: Path) -> ScenarioModel:
    return ScenarioModel.model_validate(read_yaml(path).data)


def _book(raw: bytes) -> Workbook:
    return load_workbook(io.BytesIO(raw))


def _column(sheet: Any, header: str) -> str:
    for cell in sheet[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise AssertionError(header)


@pytest.mark.parametrize(
    "data",
    [
        {"dist": "triangular", "low": 16.5, "mode": 18, "high": 20, "source": 'RFP "base"'},
        {"dist": "pert", "low": 800000, "mode": 859000, "high": 1300000},
        {"dist": "uniform", "low": 0.03, "high": 0.07, "source": "CPI 3.2-6.0%, (2022-2024)"},
        {"dist": "normal", "mean": 100, "sd": 10, "high": 120},
        {"dist": "lognormal", "median": 50, "sigma": 0.2},
        {"dist": "empirical", "values": [31, 33.25, 1e-7]},
        {"dist": "fixed", "value": 0.1 + 0.2},
    ],
)
def test_distribution_text_round_trips(data: dict[str, Any]) -> None:
    model = DistributionModel.model_validate(data)
    text = distribution_text(model)
    assert DistributionModel.model_validate(parse_distribution(text)) == model


def test_distribution_text_is_compact() -> None:
    model = DistributionModel(dist="triangular", low=16.5, mode=18, high=20, source="RFP")
    assert distribution_text(model) == 'triangular(16.5, 18, 20, source="RFP")'
    assert parse_distribution("uniform(low=1, high=2)") == {"dist": "uniform", "low": 1, "high": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("triangular(1, 2", "expected ')'"),
        ("gamma(1, 2)", "unknown distribution 'gamma'"),
        ("uniform(1, 2, 3)", "uniform takes 2 numbers"),
        ("uniform(low=1, 2)", "a number follows a named parameter"),
        ("pert(1, 2, 3, source=x)", "source takes quoted text"),
        ("fixed(1, value=2)", "'value' is given twice"),
        ("normal(1; 2)", "cannot read"),
    ],
)
def test_distribution_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(DistributionSyntaxError, match=re.escape(message)):
        parse_distribution(text)


@pytest.mark.parametrize(
    "items", [["en", "es"], [], ["Sales, EMEA", "Support"], ["ISO 27001"], ["Sales, EMEA"], [","]]
)
def test_list_text_round_trips(items: list[str]) -> None:
    assert parse_list(list_text(items)) == items


def test_template_has_comments_validations_and_frozen_headers() -> None:
    book = _book(template_bytes())
    assert book.sheetnames[:2] == ["README", "company"]
    assert book["lists"].sheet_state == "hidden"
    for name in ("functions", "options", "parts", "indicators", "correlations"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        headers = [cell for cell in sheet[1] if cell.value]
        assert [c.value for c in headers] == [c.header for c in table_columns(name)]
        assert all(cell.comment is not None and cell.comment.text for cell in headers)
    options = book["options"]
    rules = {
        str(rule.sqref).split(":")[0]: rule for rule in options.data_validations.dataValidation
    }
    employer = rules[f"{_column(options, 'employer')}2"]
    assert employer.type == "list"
    assert employer.formula1.startswith("lists!")
    country = rules[f"{_column(options, 'country')}2"]
    listed = [c.value for c in book["lists"][country.formula1.split("$")[1]][1:]]
    assert {"DE", "IN", "PH"} <= set(listed)
    assert rules[f"{_column(options, 'transition_months')}2"].type == "whole"
    assert rules[f"{_column(options, 'follows_home_hours')}2"].formula1 == '"TRUE,FALSE"'
    rate = rules[f"{_column(options, 'hourly_rate')}2"]
    assert rate.type == "custom"
    assert "ISTEXT" in rate.formula1
    hourly = options[f"{_column(options, 'hourly_rate')}1"].comment.text
    assert "billed rate per FTE hour" in hourly
    assert "triangular" in hourly
    kinds = book["functions"].data_validations.dataValidation
    kind_list = next(r for r in kinds if str(r.sqref).startswith("B2"))
    listed = [c.value for c in book["lists"][kind_list.formula1.split("$")[1]][1:]]
    assert "customer_service" in listed


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip_losslessly(example: Path, tmp_path: Path) -> None:
    original = _model(example)
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(scenario_bytes(original))
    imported, problems = load_workbook_scenario(path)
    assert problems == []
    assert imported is not None
    assert imported.model_dump() == original.model_dump()
    text = scenario_yaml(imported, str(path))
    again = ScenarioModel.model_validate(parse_yaml(text, "again.yaml").data)
    assert again.model_dump() == original.model_dump()
    assert scenario_yaml(again, str(path)) == text, "the YAML output is deterministic"


def test_yaml_output_keeps_distributions_on_one_line() -> None:
    model = _model(ROOT / "examples/us-customer-service.yaml")
    text = scenario_yaml(model, "scenario.xlsx")
    assert "  wage_inflation: {dist: triangular, low: 0.025, mode: 0.035, high: 0.05," in text
    assert "current_annual_cost: 7570891\n" in text
    assert text.index("company:") < text.index("functions:") < text.index("correlations:")


def _broken(tmp_path: Path, edit: dict[tuple[str, str, int], Any]) -> list[str]:
    """Problems of the US example's workbook after setting (sheet, header, row) cells."""
    book = _book(scenario_bytes(_model(ROOT / "examples/us-customer-service.yaml")))
    for (sheet, header, row), value in edit.items():
        book[sheet][f"{_column(book[sheet], header)}{row}"] = value
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(workbook_bytes(book))
    model, problems = load_workbook_scenario(path)
    assert model is None
    return [str(p) for p in problems]


def test_every_problem_is_named_by_sheet_cell_and_field(tmp_path: Path) -> None:
    problems = _broken(
        tmp_path,
        {
            ("functions", "kind", 2): "call_centre",
            ("options", "fte", 3): "lots",
            ("options", "country", 4): "XX",
            ("functions", "current_annual_cost", 2): None,
            ("options", "hourly_rate", 5): "triangular(1, 2",
            ("options", "setup_cost", 6): "uniform(5, 1)",
        },
    )
    text = "\n".join(problems)
    file = str(tmp_path / "scenario.xlsx")
    assert all(p.startswith(f"{file}: ") for p in problems)
    assert "functions!B2: functions[0].kind: Input should be" in text
    assert "'customer_service'" in text
    fte = "options!F3: functions[0].options[1].fte: Input should be a valid number"
    assert fte in text
    assert "options!D4: functions[0].options[2].country: unknown country code 'XX'" in text
    assert "functions!D2: functions[0].current_annual_cost: is required" in text
    rate = "options!H5: functions[0].options[3].hourly_rate: 'triangular(1, 2' is not a"
    assert rate in text
    assert "functions[0].options[4].setup_cost:" in text
    assert len(problems) == 6, text


def test_rows_must_name_known_functions_options_and_columns(tmp_path: Path) -> None:
    problems = _broken(
        tmp_path,
        {
            ("options", "function", 3): "Customer servce",
            ("parts", "option", 2): "No such option",
            ("options", "notes", 1): "nots",
        },
    )
    text = "\n".join(problems)
    assert "options!A3: no function 'Customer servce' on the functions sheet" in text
    assert "parts!B2: no option 'No such option' of 'Customer service'" in text
    assert "unknown column 'nots' (did you mean 'notes'?)" in text


def test_cross_field_rules_point_at_cells(tmp_path: Path) -> None:
    problems = _broken(tmp_path, {("options", "hourly_rate", 2): None})
    assert problems == [
        f"{tmp_path / 'scenario.xlsx'}: options!H2: functions[0].options[0].hourly_rate: "
        "is required for a third party (or a monthly_fee)"
    ]


def test_a_file_that_is_no_workbook_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "scenario.xlsx"
    path.write_text("name,value\n", encoding="utf-8")
    model, problems = load_workbook_scenario(path)
    assert model is None
    assert len(problems) == 1
    assert "not a readable XLSX workbook" in problems[0].message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (lambda: zip_bomb_xlsx("company"), "zip bomb"),
        (lambda: lying_zip_bomb_xlsx("company"), "not a readable XLSX"),
        (lambda: sparse_xlsx("company", ("field", "value")), "more than 20,000 rows"),
        (lambda: wide_rows_xlsx("company", ("field", "value"), 20_000), "more than 20,000 rows"),
    ],
    ids=["zip-bomb", "lying-sizes", "whole-grid", "wide-rows"],
)
def test_hostile_workbooks_are_one_problem(
    tmp_path: Path, raw: Callable[[], bytes], message: str
) -> None:
    path = tmp_path / "scenario.xlsx"
    path.write_bytes(raw())
    model, problems = load_workbook_scenario(path)
    assert model is None
    [problem] = problems
    assert problem.file == str(path)
    assert message in problem.message


# --- a property over generated scenarios ----------------------------------------------------

_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s.strip())
_names = st.lists(_text, min_size=1, max_size=3, unique=True)


def _digits15(value: float) -> float:
    """Excel keeps 15 significant digits, and openpyxl writes 16: the round trip is exact for
    numbers given to 15 digits, which real inputs are."""
    return float(f"{value:.15g}")


_share = st.floats(0, 1, allow_nan=False, allow_subnormal=False).map(_digits15)
_money = st.floats(0, 1e9, allow_nan=False, allow_subnormal=False).map(_digits15)


@st.composite
def _uncertain(draw: st.DrawFn, low: float, high: float) -> Any:
    a = _digits15(
        draw(st.floats(low, low + (high - low) / 3, allow_nan=False, allow_subnormal=False))
    )
    # b at most half-way to high, so that a value above it always remains for c.
    middle = a + (high - a) / 2
    b = draw(st.floats(a, middle, allow_nan=False, exclude_min=True, allow_subnormal=False))
    c = draw(
        st.floats(b, high, allow_nan=False, exclude_min=True, allow_subnormal=False).filter(
            lambda v: v > b
        )
    )
    return draw(
        st.sampled_from(
            [
                _digits15(b),
                {"dist": "triangular", "low": a, "mode": b, "high": c, "source": "s"},
                {"dist": "uniform", "low": a, "high": c},
                {"dist": "fixed", "value": b},
                {"dist": "empirical", "values": [a, b, c]},
            ]
        )
    )


@st.composite
def _site(draw: st.DrawFn) -> dict[str, Any]:
    site: dict[str, Any] = {
        "employer": draw(st.sampled_from(["own", "third_party"])),
        "country": draw(st.sampled_from(["DE", "IN", "PH", "NO", "US"])),
    }
    if draw(st.booleans()):
        site["hourly_rate"] = draw(_uncertain(0, 500))
    if draw(st.booleans()):
        site["wage_inflation"] = draw(_uncertain(-0.5, 1))
    if draw(st.booleans()):
        site["languages"] = draw(st.lists(st.sampled_from(["en", "de", "es"]), max_size=2))
    if draw(st.booleans()):
        site["certifications"] = draw(
            st.lists(_text.filter(lambda s: "," not in s and s != "[]"), max_size=2)
        )
    if draw(st.booleans()):
        site["provider"] = draw(_text)
    if draw(st.booleans()):
        site["follows_home_hours"] = draw(st.booleans())
    if draw(st.booleans()):
        site["goods"] = {"unit_price": draw(_money), "duty_basis": "fob", "transit_weeks": 2}
    return site


@st.composite
def _scenarios(draw: st.DrawFn) -> dict[str, Any]:
    functions = []
    for name in draw(_names):
        options = []
        for option_name in draw(_names):
            option = {"name": option_name, **draw(_site())}
            if draw(st.booleans()):
                option["parts"] = [{"share": 0.5, **draw(_site())} for _ in range(2)]
            options.append(option)
        function: dict[str, Any] = {
            "name": name,
            "kind": draw(st.sampled_from(["it_support", "manufacturing"])),
            "current_annual_cost": draw(_uncertain(1, 1e9)),
            "languages": draw(st.lists(st.sampled_from(["en", "fr"]), max_size=2)),
            "goals": {"scale_quickly": draw(st.booleans())},
            "options": options,
        }
        if draw(st.booleans()):
            function["weights"] = {"tco_p50": draw(_share), "fit": 1.0}
        if draw(st.booleans()):
            function["ahp"] = {"tco_p50": {"control": 3.0, "fit": 0.5}}
        functions.append(function)
    names = [f["name"] for f in functions]
    return {
        "company": {"name": draw(_text), "home_country": "DE", "wage_inflation": draw(_share)},
        "functions": functions,
        "indicators": [
            {"country": "IN", "indicator": "wgi_pv_est", "value": -1.0, "year": 2025, "source": "x"}
        ],
        "correlations": [
            {
                "between": ["a.b", "c.d"],
                "rho": draw(st.floats(-1, 1, allow_subnormal=False).map(_digits15)),
            }
        ],
        "portfolio": {
            "must_stay_in_house": draw(st.lists(st.sampled_from(names), unique=True)),
            "overlap_functions": draw(st.none() | st.lists(st.sampled_from(names), unique=True)),
            "budget": draw(st.none() | st.floats(1, 1e9).map(_digits15)),
        },
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_scenarios())
def test_generated_scenarios_round_trip(data: dict[str, Any]) -> None:
    original = ScenarioModel.model_validate(data)
    raw = workbook_bytes(build_workbook(original.model_dump(mode="json", exclude_unset=True)))
    doc, problems = read_workbook(raw, "generated.xlsx")
    assert problems == []
    assert ScenarioModel.model_validate(doc.data).model_dump() == original.model_dump()
