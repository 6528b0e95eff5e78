"""The simulation engine as it was before the separable path: every component a ``(draws,
months)`` array from ``domain.cost.project_option``, the total kept month by month, break-even
from its cumulative sum; summaries with ``np.percentile``, ranks by a stable sort and rank
correlations with ``np.corrcoef``. Kept as the reference the engine must reproduce (to 1e-9):
``reference_simulation`` runs ``simulate`` with these steps in place of the engine's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import pytest

from sourcewise.domain.cost import (
    PRICE_COMPONENTS,
    discount_factors,
    months,
    present_value,
    project_option,
    project_status_quo,
)
from sourcewise.domain.sampled import FloatArray
from sourcewise.domain.scenario import Function, Scenario, UncertainInput
from sourcewise.services import simulate as engine
from sourcewise.services.simulate import (
    BreakEven,
    FunctionSimulation,
    OptionSimulation,
    Summary,
    TornadoBar,
)

T = TypeVar("T")


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
    yearly = np.empty((len(options), years, size))
    even = np.empty((len(options), size))
    components = []
    prices = []
    for j, option in enumerate(options):
        projection = project_option(company, profile, option)
        monthly = np.broadcast_to(projection.monthly, (size, month.size))
        npv[j] = np.broadcast_to(present_value(projection.monthly, discount), (size,))
        yearly[j] = monthly.reshape(size, years, 12).sum(axis=-1).T
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
        base_yearly=base.reshape(size, years, 12).sum(axis=-1).T,
        npv=npv,
        yearly=yearly,
        even=even,
        components=tuple(components),
        price=tuple(prices),
    )


def summary(values: FloatArray) -> Summary:
    values = np.asarray(values, dtype=np.float64)
    if np.all(values == values[0]):
        v = float(values[0])
        return Summary(v, 0.0, 0.0, v, v, v)
    sd = float(values.std(ddof=1))
    p10, p50, p90 = (float(v) for v in np.percentile(values, [10, 50, 90]))
    return Summary(float(values.mean()), sd / float(np.sqrt(values.size)), sd, p10, p50, p90)


def ranks(values: FloatArray) -> FloatArray | None:
    if values.size < 3 or np.ptp(values) == 0:
        return None
    out = np.empty(values.size, dtype=np.float64)
    out[np.argsort(values, kind="stable")] = np.arange(values.size, dtype=np.float64)
    return out


def rank_correlation(first: FloatArray | None, second: FloatArray | None) -> float:
    if first is None or second is None:
        return 0.0
    return float(np.corrcoef(first, second)[0, 1])


def tornado(
    scenario: Scenario, function: Function, index: int, inputs: Sequence[UncertainInput]
) -> list[list[TornadoBar]]:
    """One input at a time, two evaluations each."""
    bars: list[list[TornadoBar]] = [[] for _ in function.options]
    for u in inputs:
        low, high = (float(v) for v in u.distribution.ppf(np.array([0.1, 0.9])))
        values = {u.ref: np.array([low, high])}
        company, profile, options = engine.apply_inputs(scenario.company, function, index, values)
        base = project_status_quo(company, profile).present_value
        for j, option in enumerate(options):
            if not engine._acts_on(u, j):
                continue
            saved = np.broadcast_to(
                base - project_option(company, profile, option).present_value, (2,)
            )
            bars[j].append(TornadoBar(u.ref.label, low, high, float(saved[0]), float(saved[1])))
    return [sorted(b, key=lambda bar: -bar.swing) for b in bars]


def finish(
    scenario: Scenario,
    index: int,
    prepared: engine._Prepared,
    n: int,
    chunks: Sequence[engine._Chunk],
    keep_draws: bool = False,
) -> FunctionSimulation:
    """``services.simulate._finish`` with the summaries above (the draws are never kept:
    the comparison is of the summaries)."""
    function = scenario.functions[index]
    inputs = engine._relevant(scenario.uncertain, index)
    years = scenario.company.horizon_years
    npv = np.concatenate([c.npv for c in chunks], axis=1)
    yearly = np.concatenate([c.yearly for c in chunks], axis=2)
    even = np.concatenate([c.even for c in chunks], axis=1)
    base_npv = np.concatenate([c.base_npv for c in chunks])
    base_yearly = np.concatenate([c.base_yearly for c in chunks], axis=1)
    component_sums: list[dict[str, float]] = [{} for _ in function.options]
    price_sums = np.zeros(len(function.options))
    for c in chunks:
        for j, sums in enumerate(component_sums):
            for name, value in c.components[j]:
                sums[name] = sums.get(name, 0.0) + value
            for value in c.price[j]:
                price_sums[j] += value
    bars = tornado(scenario, function, index, inputs)
    input_ranks = {u.ref.label: ranks(prepared.sampled[u.ref.label]) for u in inputs}
    options_out = []
    for j, option in enumerate(function.options):
        saved = base_npv - npv[j]
        saved_ranks = ranks(saved)
        p = float((saved > 0.0).mean())
        months_even = even[j][~np.isnan(even[j])]
        low, mid, high = (
            (float(v) for v in np.percentile(months_even, [10, 50, 90]))
            if months_even.size
            else (None, None, None)
        )
        options_out.append(
            OptionSimulation(
                name=option.name,
                npv=summary(npv[j]),
                yearly=tuple(summary(yearly[j, y]) for y in range(years)),
                savings=summary(saved),
                p_beats_status_quo=p,
                p_beats_se=float(np.sqrt(p * (1 - p) / n)),
                break_even=BreakEven(low, mid, high, share_never=float(np.isnan(even[j]).mean())),
                price_npv=float(price_sums[j] / n),
                components={k: v / n for k, v in component_sums[j].items() if v != 0.0},
                tornado=tuple(bars[j]),
                rank_correlations={
                    u.ref.label: rank_correlation(input_ranks[u.ref.label], saved_ranks)
                    for u in inputs
                    if engine._acts_on(u, j)
                },
            )
        )
    return FunctionSimulation(
        name=function.profile.name,
        status_quo=summary(base_npv),
        status_quo_yearly=tuple(summary(base_yearly[y]) for y in range(years)),
        options=tuple(options_out),
    )


def reference_simulation(monkeypatch: pytest.MonkeyPatch, run: Callable[[], T]) -> T:
    """What ``run`` returns with the engine's chunks and summaries computed the old way."""
    with monkeypatch.context() as patched:
        patched.setattr(engine, "_run_chunk", run_chunk)
        patched.setattr(engine, "_finish", finish)
        return run()
