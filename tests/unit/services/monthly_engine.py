"""The simulation engine as it was before the separable path: every component a ``(draws,
months)`` array from ``domain.cost.project_option``, the total kept month by month, break-even
from its cumulative sum. Kept as the reference the new engine must reproduce (to 1e-9)."""

from __future__ import annotations

import numpy as np

from sourcewise.domain.cost import (
    PRICE_COMPONENTS,
    discount_factors,
    months,
    present_value,
    project_option,
    project_status_quo,
)
from sourcewise.domain.sampled import FloatArray
from sourcewise.domain.scenario import Scenario
from sourcewise.services import simulate as engine


def monthly_break_even(cumulative_savings: FloatArray) -> FloatArray:
    """Per draw, the first month from which cumulative savings stay ≥ 0; NaN if never."""
    count = cumulative_savings.shape[-1]
    negative = cumulative_savings < 0.0
    from_end = np.argmax(negative[:, ::-1], axis=1)
    last_negative = np.where(negative.any(axis=1), count - 1 - from_end, -1)
    return np.where(last_negative == count - 1, np.nan, last_negative + 2.0)


def _present_sum(discount: FloatArray, monthly: FloatArray, size: int) -> float:
    return float(np.broadcast_to(present_value(monthly, discount), (size,)).sum())


def run_chunk(
    scenario: Scenario, index: int, prepared: engine._Prepared, seed: int, start: int, stop: int
) -> engine._Chunk:
    """``services.simulate._run_chunk`` computed month by month."""
    function = scenario.functions[index]
    years = scenario.company.horizon_years
    size = stop - start
    month = months(years)
    inputs = engine._relevant(scenario.uncertain, index)
    values = {u.ref: prepared.sampled[u.ref.label][start:stop] for u in inputs}
    company, profile, options = engine.apply_inputs(scenario.company, function, index, values)
    options = engine._with_fx_paths(options, prepared.fx[index], seed, start, stop, month.size)
    discount = discount_factors(company.discount_rate, month)
    status_quo = project_status_quo(company, profile)
    base = np.broadcast_to(status_quo.monthly, (size, month.size))
    npv = np.empty((len(options), size))
    yearly = np.empty((len(options), size, years))
    even = np.empty((len(options), size))
    components = []
    prices = []
    for j, option in enumerate(options):
        projection = project_option(company, profile, option)
        monthly = np.broadcast_to(projection.monthly, (size, month.size))
        npv[j] = np.broadcast_to(present_value(projection.monthly, discount), (size,))
        yearly[j] = monthly.reshape(size, years, 12).sum(axis=-1)
        even[j] = monthly_break_even(np.cumsum(base - monthly, axis=1))
        components.append(
            tuple(
                (name, _present_sum(discount, values_m, size))
                for name, values_m in projection.components.items()
                if values_m.ndim != 1 or values_m.any()
            )
        )
        full_rate = projection.full_rate or {}
        prices.append(
            tuple(
                _present_sum(discount, full_rate[name], size)
                for name in PRICE_COMPONENTS
                if full_rate[name].ndim > 1 or full_rate[name].any()
            )
        )
    return engine._Chunk(
        base_npv=np.broadcast_to(present_value(status_quo.monthly, discount), (size,)).copy(),
        base_yearly=base.reshape(size, years, 12).sum(axis=-1),
        npv=npv,
        yearly=yearly,
        even=even,
        components=tuple(components),
        price=tuple(prices),
    )
