"""Summaries of draws: numpy's percentiles from one sort, ranks, exact rank correlations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sourcewise.domain.sample_statistics import (
    EXACT_FLOAT_DRAWS,
    Summary,
    percentiles,
    rank_correlation,
    ranks,
    sort_order,
    spearman,
)

samples = hnp.arrays(
    np.float64,
    st.integers(1, 300),
    elements=st.floats(-1e9, 1e9, allow_nan=False) | st.sampled_from([0.0, 1.0, 2.5]),
)


@settings(max_examples=200, deadline=None)
@given(values=samples)
def test_percentiles_are_numpys_to_the_bit(values: np.ndarray) -> None:
    q = (0.0, 10.0, 33.3, 50.0, 90.0, 100.0)
    assert percentiles(np.sort(values), q).tolist() == np.percentile(values, q).tolist()


@settings(max_examples=200, deadline=None)
@given(values=samples)
def test_ranks_order_ties_by_appearance(values: np.ndarray) -> None:
    assert np.array_equal(sort_order(values), np.argsort(values, kind="stable"))
    got = ranks(values)
    if values.size < 3 or np.ptp(values) == 0:
        assert got is None
    else:
        assert got is not None
        assert np.array_equal(np.argsort(got), np.argsort(values, kind="stable"))


@settings(max_examples=100, deadline=None)
@given(first=samples, seed=st.integers(0, 2**32 - 1))
def test_rank_correlation_is_pearsons_on_the_ranks(first: np.ndarray, seed: int) -> None:
    second = np.random.default_rng(seed).permutation(first) + first
    a, b = ranks(first), ranks(second)
    if a is None or b is None:
        assert rank_correlation(a, b) == 0.0
    else:
        expected = float(np.corrcoef(a.astype(float), b.astype(float))[0, 1])
        assert rank_correlation(a, b) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_spearman_and_summary() -> None:
    x = np.arange(100.0)
    assert spearman(x, x**3) == 1.0
    assert spearman(x, -x) == -1.0
    assert spearman(x, np.ones(100)) == 0.0
    values = np.random.default_rng(3).normal(5.0, 2.0, 1_001)
    summary = Summary.of(values)
    assert summary.mean == values.mean()
    assert summary.sd == values.std(ddof=1)
    assert (summary.p10, summary.p50, summary.p90) == tuple(np.percentile(values, [10, 50, 90]))
    ordered = Summary.of_sorted(np.sort(values))
    assert ordered.p50 == summary.p50
    assert ordered.mean == pytest.approx(summary.mean, rel=1e-14)
    assert Summary.of(np.full(4, 2.5)) == Summary(2.5, 0.0, 0.0, 2.5, 2.5, 2.5)
    with pytest.raises(ValueError, match="no draws"):
        Summary.of(np.array([]))


def test_rank_correlation_past_the_exact_float_range_counts_in_integers() -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(size=EXACT_FLOAT_DRAWS + 1)
    noisy = values + rng.normal(size=values.size)
    a, b = ranks(values), ranks(noisy)
    assert a is not None
    assert b is not None
    expected = float(np.corrcoef(a, b)[0, 1])
    assert rank_correlation(a, b) == pytest.approx(expected, rel=1e-9)
