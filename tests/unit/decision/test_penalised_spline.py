"""The EVPPI smoother: ranks without a second sort, and the shared sorted-rank basis giving the
same fit as the input's own design."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from sourcewise.decision.penalised_spline import (
    bspline_basis,
    grid_smoother,
    ranks,
    smooth,
    sorted_ranks,
)
from sourcewise.decision.value_of_information import evppi, evppi_each


def test_ranks_are_rankdata_scaled_to_the_unit_interval() -> None:
    values = np.array([3.0, 1.0, 2.0, 2.0, 5.0, 1.0, 2.0])
    expected = rankdata(values)
    expected = (expected - expected.min()) / (expected.max() - expected.min())
    assert ranks(values) == pytest.approx(expected, abs=1e-15)
    assert sorted_ranks(np.sort(values)) == pytest.approx(np.sort(expected), abs=1e-15)
    assert list(ranks(np.ones(4))) == [0.0] * 4


def test_the_shared_grid_fits_a_sorted_input_as_its_own_design_does() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=2_000)
    y = np.column_stack([np.sin(x), x**2]) + rng.normal(scale=0.3, size=(x.size, 2))
    own, own_dof = smooth(*bspline_basis(ranks(x), 20), y)
    order = np.argsort(x)
    shared, dof = grid_smoother(x.size, 20).fit(y[order])
    assert shared == pytest.approx(own[order], abs=1e-9)
    assert float(dof.sum()) == pytest.approx(own_dof, rel=1e-9)


def test_inputs_valued_together_are_valued_as_each_alone() -> None:
    rng = np.random.default_rng(2)
    continuous = rng.normal(size=5_000)
    tied = np.round(rng.normal(size=continuous.size), 1)  # ~60 values: splines on shared ranks
    levels = rng.integers(0, 3, continuous.size).astype(float)  # exact means per value
    constant = np.full(continuous.size, 2.0)
    costs = np.column_stack(
        [
            np.zeros(continuous.size),
            continuous + 0.5 * tied + 0.3 * levels - 0.4,
            0.2 * continuous + rng.normal(size=continuous.size),
        ]
    )
    inputs = [continuous, tied, levels, constant, rng.uniform(size=continuous.size)]
    together = evppi_each(costs, inputs)
    for alone, joint in zip((evppi(costs, x) for x in inputs), together, strict=True):
        assert joint.unclipped == pytest.approx(alone.unclipped, rel=1e-9, abs=1e-12)
        assert joint.fitted_by_draw == pytest.approx(alone.fitted_by_draw, abs=1e-9)
    assert together[0].value > together[4].value
    assert together[3].value == 0.0
    # Each draw's fitted cost relative to today's choice, in the draws' own order: for the
    # level input, the mean over the draws at that level.
    best = together[2].best_today
    level_fit = together[2].fitted_by_draw[:, 2]
    relative = costs[:, 2] - costs[:, best]
    for k in range(3):
        assert level_fit[levels == k] == pytest.approx(relative[levels == k].mean())


def test_evppi_each_names_a_malformed_input() -> None:
    costs = np.zeros((10, 2))
    with pytest.raises(ValueError, match="one row per draw"):
        evppi_each(costs, [np.zeros(9)])
    with pytest.raises(ValueError, match="one column"):
        evppi_each(costs, [np.zeros((10, 2))])
