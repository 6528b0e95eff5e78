"""Yearly totals, NPVs and break-even months from separable terms, against the months."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcewise.domain.cost import discount_factors, months
from sourcewise.domain.cost_sums import Group, break_even, running_total, sum_terms
from sourcewise.domain.cost_terms import Term, once, yearly_growth


def by_month(cumulative: np.ndarray) -> np.ndarray:
    """The definition: one month after the last month with cumulative savings below zero."""
    out = np.empty(cumulative.shape[0])
    for i, row in enumerate(cumulative):
        below = np.flatnonzero(row < 0.0)
        if below.size == 0:
            out[i] = 1.0
        elif below[-1] == row.size - 1:
            out[i] = np.nan
        else:
            out[i] = below[-1] + 2.0
    return out


def monthly_savings(savings: np.ndarray) -> tuple[list[Group], np.ndarray]:
    """Savings of any shape, month by month, as one group (an exchange-rate-like factor)."""
    size, count = savings.shape
    group = Group(np.ones(size), np.ones(count), None, savings)
    return [group], savings.reshape(size, -1, 12).sum(axis=-1).T


def test_break_even_cases() -> None:
    cumulative = np.zeros((4, 24))
    cumulative[0, :2] = [-5.0, -1.0]  # positive from month 3 on
    cumulative[0, 2:] = 2.0
    cumulative[1] = np.arange(1.0, 25.0)  # never negative: month 1
    cumulative[2] = -np.arange(1.0, 25.0)  # never
    cumulative[3] = np.where(np.arange(24) % 2, 1.0, -1.0)  # for good only from month 24
    savings = np.diff(cumulative, axis=1, prepend=0.0)
    groups, yearly = monthly_savings(savings)
    got = break_even(groups, yearly)
    np.testing.assert_array_equal(got, [3.0, 1.0, np.nan, 24.0])
    np.testing.assert_array_equal(got, by_month(cumulative))


def test_break_even_in_a_steady_year_is_found_in_its_months() -> None:
    # Setup in month 1, then a flat saving of 10 a month: the setup of 175 is earned back
    # in month 19 (year 2, where every month saves the same).
    years = 3
    month = months(years)
    groups = [
        Group(np.array([10.0, 10.0]), np.ones(month.size), None, None),
        Group(np.array([-185.0, -10.0]), once(month, 1), None, None),
    ]
    yearly = sum(g.amount[:, None] * g.profile.reshape(years, 12).sum(axis=1) for g in groups).T
    got = break_even(groups, yearly)
    np.testing.assert_array_equal(got, [19.0, 1.0])


def test_running_total_is_cumsum() -> None:
    values = np.random.default_rng(1).normal(size=(7, 5))
    np.testing.assert_array_equal(running_total(values), np.cumsum(values, axis=0))


@st.composite
def groups(draw: st.DrawFn) -> tuple[list[Group], int, int]:
    years = draw(st.integers(1, 4))
    size = draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    out = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(("flat", "ramp", "once", "steps")))
        count = 12 * years
        if kind == "flat":
            profile = np.ones(count)
        elif kind == "ramp":
            profile = np.minimum(np.arange(1, count + 1) / draw(st.integers(1, 30)), 1.0)
        elif kind == "once":
            profile = once(months(years), draw(st.integers(1, count)))
        else:
            profile = np.repeat(rng.uniform(0, 2, years), 12)
        growth = (
            yearly_growth(rng.uniform(-0.02, 0.1, size), years) if draw(st.booleans()) else None
        )
        exchange = (
            rng.uniform(0.8, 1.2, (size, count)) if kind == "flat" and draw(st.booleans()) else None
        )
        amount = rng.normal(0, 100, size)
        out.append(Group(amount, profile, growth, exchange))
    return out, years, size


def written_out(group: Group, years: int) -> np.ndarray:
    monthly = group.amount[:, None] * group.profile
    if group.growth is not None:
        monthly = monthly * np.repeat(group.growth, 12, axis=0).T
    if group.exchange is not None:
        monthly = monthly * group.exchange
    return monthly


@settings(max_examples=200, deadline=None)
@given(case=groups())
def test_break_even_is_the_month_by_month_definition(
    case: tuple[list[Group], int, int],
) -> None:
    found, years, size = case
    savings = sum(written_out(g, years) for g in found)
    got = break_even(found, savings.reshape(size, years, 12).sum(axis=-1).T)
    np.testing.assert_array_equal(got, by_month(np.cumsum(savings, axis=1)))


def test_sums_are_the_monthly_totals_and_their_npv() -> None:
    rng = np.random.default_rng(2)
    years, size = 3, 6
    month = months(years)
    growth = yearly_growth(rng.uniform(0, 0.1, size), years)
    terms = [
        Term("labour", rng.uniform(1, 2, size), np.minimum(month / 7, 1.0), growth),
        Term("governance", 0.05, np.minimum(month / 7, 1.0), growth),
        Term("setup", rng.uniform(5, 9, size), once(month, 1)),
        Term(
            "labour",
            3.0,
            np.ones(month.size),
            yearly_growth(0.02, years),
            rng.uniform(0.9, 1.1, (size, month.size)),
        ),
    ]
    discount = discount_factors(0.08, month)
    got = sum_terms(terms, discount, size)
    monthly = {t.component: 0.0 for t in terms}
    for t in terms:
        values = np.asarray(t.amount).reshape(-1, 1) * t.profile
        if t.growth is not None:
            g = np.repeat(t.growth, 12, axis=0)
            values = values * (g.T if g.ndim > 1 else g)
        if t.exchange is not None:
            values = values * t.exchange
        monthly[t.component] = monthly[t.component] + np.broadcast_to(values, (size, month.size))
    total = sum(monthly.values())
    np.testing.assert_allclose(got.npv, total @ discount, rtol=1e-12)
    np.testing.assert_allclose(
        got.yearly, total.reshape(size, years, 12).sum(axis=-1).T, rtol=1e-12
    )
    assert list(got.components) == ["labour", "governance", "setup"]  # the model's order
    for name, values in monthly.items():
        assert got.components[name] == pytest.approx(float((values @ discount).sum()), rel=1e-12)
