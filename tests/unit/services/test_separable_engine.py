"""The engine's separable path against the monthly engine it replaced (``monthly_engine``).

Same seeds, same results to 1e-9 relative: every output a decision reads (NPV and savings
summaries, yearly summaries, P(beats), break-even percentiles and share never, price NPV,
components, tornado, rank correlations), on the three bundled examples and on generated
scenarios that switch on every part of the cost model; and, per draw, the chunks' NPVs,
yearly totals and break-even months.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from monthly_engine import reference_simulation, run_chunk

from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.domain.scenario import Scenario
from sourcewise.services import simulate as engine
from sourcewise.services.simulate import Summary, simulate

EXAMPLES = sorted((Path(__file__).parents[3] / "examples").glob("*.yaml"))


def assert_close(new: object, old: object, where: str = "result", scale: float = 0.0) -> None:
    """Equal records, floats to 1e-9 relative (1e-12 absolute for correlations near 0).

    A summary's spread is compared at the scale of its mean: for a sample that is constant up
    to rounding, the monthly engine's spread was rounding noise (about 1e-12 of the mean)."""
    if where.endswith(".tornado"):
        # Inputs whose swings are equal but for rounding may come in either order.
        assert isinstance(new, tuple)
        assert isinstance(old, tuple)
        swings = [bar.swing for bar in new]
        assert all(a >= b * (1 - 1e-9) for a, b in itertools.pairwise(swings)), where
        by_input = {bar.input: bar for bar in old}
        assert sorted(by_input) == sorted(bar.input for bar in new), where
        mine = {b.input: b for b in new}
        assert_close(mine, {name: by_input[name] for name in mine}, f"{where} by input")
    elif isinstance(new, Summary) and isinstance(old, Summary):
        for field in dataclasses.fields(new):
            tolerance = abs(old.mean) * 1e-9 if field.name in ("sd", "se") else 0.0
            assert_close(
                getattr(new, field.name),
                getattr(old, field.name),
                f"{where}.{field.name}",
                tolerance,
            )
    elif dataclasses.is_dataclass(new) and not isinstance(new, type):
        assert type(new) is type(old), where
        for field in dataclasses.fields(new):
            if field.name == "scenario":
                continue
            assert_close(
                getattr(new, field.name), getattr(old, field.name), f"{where}.{field.name}"
            )
    elif isinstance(new, Mapping):
        assert isinstance(old, Mapping)
        assert list(new) == list(old), where
        for key in new:
            assert_close(new[key], old[key], f"{where}[{key!r}]")
    elif isinstance(new, tuple | list):
        assert isinstance(old, tuple | list)
        assert len(new) == len(old), where
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            assert_close(a, b, f"{where}[{i}]")
    elif isinstance(new, float) and isinstance(old, float):
        tolerance = max(scale, 1e-12)
        assert math.isclose(new, old, rel_tol=1e-9, abs_tol=tolerance), f"{where}: {new} != {old}"
    else:
        assert new == old, f"{where}: {new!r} != {old!r}"


def assert_same_chunks(scenario: Scenario, draws: int, chunk: int, seed: int = 3) -> None:
    """Per draw: NPVs, yearly totals and break-even months; summed: components and price."""
    prepared = engine._prepare(scenario, draws, seed, None)
    for index in range(len(scenario.functions)):
        for start in range(0, draws, chunk):
            stop = min(start + chunk, draws)
            new = engine._run_chunk(scenario, index, prepared, seed, start, stop)
            old = run_chunk(scenario, index, prepared, seed, start, stop)
            for name in ("base_npv", "base_yearly", "npv", "yearly"):
                np.testing.assert_allclose(getattr(new, name), getattr(old, name), rtol=1e-9)
            np.testing.assert_array_equal(new.even, old.even)
            for mine, theirs in zip(new.components, old.components, strict=True):
                # Components that cost nothing are dropped from the results.
                assert_close(
                    {k: v for k, v in mine if v != 0.0}, {k: v for k, v in theirs if v != 0.0}
                )
            assert_close([sum(p) for p in new.price], [sum(p) for p in old.price])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_give_the_monthly_engines_results(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, problems = load_scenario_text(path.read_text(), str(path))
    assert scenario is not None, problems
    new = simulate(scenario, draws=3_000, seed=5, chunk=1_100)
    old = reference_simulation(
        monkeypatch, lambda: simulate(scenario, draws=3_000, seed=5, chunk=1_100)
    )
    assert_close(new, old)
    assert_same_chunks(scenario, draws=1_000, chunk=400)


def test_the_examples_are_four() -> None:
    assert [p.stem for p in EXAMPLES] == [
        "de-software-development",
        "us-customer-service",
        "us-shared-services-portfolio",
        "windows-offshore-plant",
    ]


# --- generated scenarios ----------------------------------------------------------------------

COUNTRIES = ("US", "IN", "PH", "MX", "PL")


def _value(draw: st.DrawFn, low: float, high: float, uncertain: bool = True) -> str:
    """A number in ``low..high``, or (sometimes) a distribution around it within them."""
    mode = draw(st.floats(low, high, allow_nan=False).map(lambda v: round(v, 4)))
    kind = draw(st.sampled_from(("fixed", "fixed", "uniform", "triangular", "pert")))
    spread = (high - low) / 4
    below, above = max(low, mode - spread), min(high, mode + 2 * spread)
    if not uncertain or kind == "fixed" or not below < mode < above:
        return repr(mode)
    if kind == "uniform":
        return f"{{dist: uniform, low: {below}, high: {above}}}"
    return f"{{dist: {kind}, low: {below}, mode: {mode}, high: {above}}}"


@st.composite
def site_text(draw: st.DrawFn, indent: str, share: float | None = None) -> str:
    own = draw(st.booleans())
    country = draw(st.sampled_from(COUNTRIES))
    lines = [f"employer: {'own' if own else 'third_party'}", f"country: {country}"]
    if share is not None:
        lines.append(f"share: {share}")
    lines.append(f"fte: {draw(st.integers(5, 60))}")
    if own:
        lines.append(f"annual_cost_per_fte: {_value(draw, 8_000, 70_000)}")
    else:
        lines.append(f"hourly_rate: {_value(draw, 8, 40)}")
        if draw(st.booleans()):
            lines.append(f"monthly_fee: {_value(draw, 0, 20_000)}")
        if draw(st.booleans()):
            lines.append(f"transfer_month: {draw(st.integers(1, 40))}")
            lines.append(f"annual_cost_per_fte: {_value(draw, 8_000, 40_000)}")
            lines.append(f"transfer_fee: {_value(draw, 0, 500_000)}")
            if draw(st.booleans()):
                lines.append(f"governance_overhead_after_transfer: {_value(draw, 0, 0.1)}")
    lines.append(f"wage_inflation: {_value(draw, -0.01, 0.08)}")
    for name, high in (
        ("governance_overhead", 0.1),
        ("coordination_loss", 0.1),
        ("rework_share", 0.1),
        ("vendor_selection_share", 0.05),
        ("transition_share", 0.05),
        ("attrition_rate", 0.3),
        ("replacement_cost_share", 0.5),
        ("travel_per_year", 80_000),
        ("local_currency_share", 1.0),
    ):
        if draw(st.booleans()):
            lines.append(f"{name}: {_value(draw, 0, high)}")
    return "".join(f"\n{indent}{line}" for line in lines)


@st.composite
def option_text(draw: st.DrawFn, number: int) -> str:
    head = f"\n      - name: Option {number}"
    if draw(st.booleans()):
        first = draw(st.sampled_from((0.3, 0.5, 0.7)))
        body = "\n        parts:"
        for share in (first, round(1 - first, 2)):
            body += "\n          -" + draw(site_text("            ", share)).replace("\n", "", 1)
            body = body.replace("-            ", "- ", 1)
    else:
        body = draw(site_text("        "))
    timing = [
        f"setup_cost: {_value(draw, 0, 900_000)}",
        f"transition_months: {draw(st.integers(0, 14))}",
    ]
    # Without a severance cost, work moving abroad gets the layoffs-and-retention default.
    for name, high in (
        ("severance_cost", 400_000),
        ("layoff_retention_share", 0.05),
        ("parallel_running_share", 1.0),
    ):
        if draw(st.booleans()):
            timing.append(f"{name}: {_value(draw, 0, high)}")
    for name, values in (
        ("lead_time_months", st.integers(0, 14)),
        ("parallel_running_months", st.integers(0, 3)),
        ("learning_months", st.integers(1, 12)),
    ):
        if draw(st.booleans()):
            timing.append(f"{name}: {draw(values)}")
    if any(line.startswith("learning_months") for line in timing):
        timing.append(f"initial_productivity: {draw(st.sampled_from((0.5, 0.8, 1.0)))}")
    if draw(st.booleans()):
        timing.append(f"exit_cost: {_value(draw, 0, 300_000)}")
    return head + body + "".join(f"\n        {line}" for line in timing)


@st.composite
def scenarios(draw: st.DrawFn) -> str:
    options = "".join(draw(option_text(k)) for k in range(draw(st.integers(1, 3))))
    return f"""\
company:
  name: Generated
  home_country: US
  discount_rate: {draw(st.sampled_from((0.0, 0.05, 0.1)))}
  horizon_years: {draw(st.integers(1, 4))}
  wage_inflation: {_value(draw, 0.0, 0.06)}
functions:
  - name: Support
    kind: it_support
    fte: 40
    current_annual_cost: {_value(draw, 500_000, 4_000_000)}
    options:{options}
"""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=scenarios(), seed=st.integers(0, 2**16))
def test_generated_scenarios_give_the_monthly_engines_results(text: str, seed: int) -> None:
    scenario, problems = load_scenario_text(text, "generated")
    assume(scenario is not None)
    assert scenario is not None, problems
    with pytest.MonkeyPatch.context() as monkeypatch:
        new = simulate(scenario, draws=400, seed=seed, chunk=150)
        old = reference_simulation(
            monkeypatch, lambda: simulate(scenario, draws=400, seed=seed, chunk=150)
        )
    assert_close(new, old)
    assert_same_chunks(scenario, draws=300, chunk=300, seed=seed)
