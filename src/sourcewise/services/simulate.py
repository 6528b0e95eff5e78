"""Total cost of ownership under uncertainty: Monte Carlo over the scenario's distributions.

Every uncertain input is drawn once for all draws (so rank correlations can be imposed over the
whole sample), then the cost model runs on chunks of draws, each a ``(draws, months)`` array:
memory stays bounded whatever the number of draws, and nothing loops over draws. The same seed
gives bit-identical results.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.indicator_table import load_fx_monthly
from sourcewise.domain.cost import (
    PRICE_COMPONENTS,
    CostProjection,
    discount_factors,
    present_value,
    project_option,
    project_status_quo,
)
from sourcewise.domain.indicators import USD, FxSeries, bootstrap_fx_paths, cross_rate_changes
from sourcewise.domain.scenario import (
    Company,
    Function,
    FunctionProfile,
    InputRef,
    Option,
    Scenario,
    UncertainInput,
)
from sourcewise.domain.uncertainty import sample_all

FloatArray = npt.NDArray[np.float64]

DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20261125
MAX_DRAWS = 2_000_000
CHUNK_DRAWS = 10_000
"""Draws per chunk: 10,000 × 120 months × ~20 components of 8 bytes is about 200 MB at most."""


@dataclass(frozen=True, slots=True)
class Summary:
    """A sample summarised: mean with its standard error, spread and percentiles."""

    mean: float
    se: float
    sd: float
    p10: float
    p50: float
    p90: float

    @classmethod
    def of(cls, values: FloatArray) -> Summary:
        values = np.asarray(values, dtype=np.float64)
        n = values.size
        if n == 0:
            raise ValueError("no draws to summarise")
        if np.all(values == values[0]):  # no uncertainty: the deterministic value, exactly
            v = float(values[0])
            return cls(v, 0.0, 0.0, v, v, v)
        sd = float(values.std(ddof=1))
        p10, p50, p90 = (float(v) for v in np.percentile(values, [10, 50, 90]))
        return cls(float(values.mean()), sd / float(np.sqrt(n)), sd, p10, p50, p90)


@dataclass(frozen=True, slots=True)
class BreakEven:
    """Month from which cumulative savings stay at or above zero, across draws."""

    p10: float | None
    p50: float | None
    p90: float | None
    share_never: float
    """Share of draws in which savings never turn positive for good within the horizon."""


@dataclass(frozen=True, slots=True)
class TornadoBar:
    """Savings when one input moves from its P10 to its P90, the others at their means."""

    input: str
    low_value: float
    high_value: float
    savings_at_low: float
    savings_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.savings_at_high - self.savings_at_low)


@dataclass(frozen=True, slots=True)
class OptionSimulation:
    name: str
    npv: Summary
    yearly: tuple[Summary, ...]
    savings: Summary
    p_beats_status_quo: float
    p_beats_se: float
    break_even: BreakEven
    price_npv: float
    """Mean NPV of the price alone (salaries, fees, unit price at full rate)."""
    components: Mapping[str, float]
    """Mean NPV of each cost component."""
    tornado: tuple[TornadoBar, ...]
    """Largest swing first."""
    rank_correlations: Mapping[str, float]
    """Spearman correlation of each uncertain input with the savings."""

    @property
    def hidden_cost_share(self) -> float:
        """How much total cost of ownership adds on top of the price alone."""
        return (self.npv.mean - self.price_npv) / self.price_npv if self.price_npv else 0.0


@dataclass(frozen=True, slots=True)
class FunctionSimulation:
    name: str
    status_quo: Summary
    status_quo_yearly: tuple[Summary, ...]
    options: tuple[OptionSimulation, ...]


@dataclass(frozen=True, slots=True)
class Simulation:
    scenario: Scenario
    draws: int
    seed: int
    functions: tuple[FunctionSimulation, ...]


def _with(record: Any, **values: Any) -> Any:
    return replace(record, **values) if values else record


def apply_inputs(
    company: Company,
    function: Function,
    index: int,
    values: Mapping[InputRef, Any],
) -> tuple[Company, FunctionProfile, tuple[Option, ...]]:
    """The company and function with each referenced field set to a value or array of draws."""
    company_fields = {r.field: v for r, v in values.items() if r.function is None}
    mine = {r: v for r, v in values.items() if r.function == index}
    profile = function.profile
    profile_fields = {r.field: v for r, v in mine.items() if r.option is None and not r.goods}
    goods_fields = {r.field: v for r, v in mine.items() if r.option is None and r.goods}
    if goods_fields and profile.goods is not None:
        profile_fields["goods"] = _with(profile.goods, **goods_fields)
    options = []
    for j, option in enumerate(function.options):
        at_option = {r: v for r, v in mine.items() if r.option == j}
        sites = []
        for k, site in enumerate(option.sites):
            at_site = {r: v for r, v in at_option.items() if r.site == k}
            site_fields = {r.field: v for r, v in at_site.items() if not r.goods}
            terms = {r.field: v for r, v in at_site.items() if r.goods}
            if terms and site.goods is not None:
                site_fields["goods"] = _with(site.goods, **terms)
            sites.append(_with(site, **site_fields))
        option_fields = {r.field: v for r, v in at_option.items() if r.site is None}
        options.append(_with(option, sites=tuple(sites), **option_fields))
    return (
        _with(company, **company_fields),
        _with(profile, **profile_fields),
        tuple(options),
    )


def break_even_months(cumulative_savings: FloatArray) -> FloatArray:
    """Per draw, the first month from which cumulative savings stay ≥ 0; NaN if never.

    ``cumulative_savings`` has shape ``(draws, months)``.
    """
    months = cumulative_savings.shape[-1]
    negative = cumulative_savings < 0.0
    # Index of the last negative month, found from the end; -1 when none is negative.
    from_end = np.argmax(negative[:, ::-1], axis=1)
    any_negative = negative.any(axis=1)
    last_negative = np.where(any_negative, months - 1 - from_end, -1)
    month = last_negative + 2.0
    return np.where(last_negative == months - 1, np.nan, month)


def _ranks(values: FloatArray) -> FloatArray | None:
    """Ranks of the values (by sorting: ties are rare in continuous draws); None if constant."""
    if values.size < 3 or np.ptp(values) == 0:
        return None
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[np.argsort(values, kind="stable")] = np.arange(values.size, dtype=np.float64)
    return ranks


def rank_correlation(first: FloatArray | None, second: FloatArray | None) -> float:
    """Pearson correlation of two rank vectors, 0 when either input was constant."""
    if first is None or second is None:
        return 0.0
    return float(np.corrcoef(first, second)[0, 1])


def spearman(first: FloatArray, second: FloatArray) -> float:
    """Spearman rank correlation of two samples."""
    return rank_correlation(_ranks(first), _ranks(second))


def _present(discount: FloatArray, monthly: FloatArray, size: int) -> FloatArray:
    """NPV per draw, with the arithmetic of ``domain.cost.npv`` so that runs without
    uncertainty match the deterministic model exactly."""
    return np.broadcast_to(present_value(monthly, discount), (size,))


def _mean_present(discount: FloatArray, monthly: FloatArray, size: int) -> float:
    """Sum over the chunk's draws of the NPV; one pass when the discount is shared."""
    if discount.ndim == 1 and monthly.ndim > 1:
        return float(monthly.sum(axis=0) @ discount)
    return float(_present(discount, monthly, size).sum())


def _relevant(inputs: Sequence[UncertainInput], index: int) -> list[UncertainInput]:
    return [u for u in inputs if u.ref.function is None or u.ref.function == index]


def _tornado(
    scenario: Scenario, function: Function, index: int, inputs: Sequence[UncertainInput]
) -> list[list[TornadoBar]]:
    """One-at-a-time swings for every option: two evaluations per input, vectorised."""
    bars: list[list[TornadoBar]] = [[] for _ in function.options]
    for u in inputs:
        low, high = (float(v) for v in u.distribution.ppf(np.array([0.1, 0.9])))
        values = {u.ref: np.array([low, high])}
        company, profile, options = apply_inputs(scenario.company, function, index, values)
        base = project_status_quo(company, profile).present_value
        for j, option in enumerate(options):
            saved = np.broadcast_to(
                base - project_option(company, profile, option).present_value, (2,)
            )
            bars[j].append(TornadoBar(u.ref.label, low, high, float(saved[0]), float(saved[1])))
    return [sorted(b, key=lambda bar: -bar.swing) for b in bars]


FX_HISTORY_MONTHS = 120
"""Exchange-rate paths bootstrap the last ten years of monthly changes of the currency pair."""


@dataclass(frozen=True, slots=True)
class _FxSource:
    changes: FloatArray
    rng: np.random.Generator


def _fx_sources(
    scenario: Scenario, index: int, seed: int, fx: Mapping[str, FxSeries]
) -> dict[tuple[int, int], _FxSource]:
    """A bootstrap source for every site paying costs in a currency other than home's.

    Each site draws from its own generator, seeded from the run's seed and the site's place, and
    chunks draw from it in order, so results do not depend on the chunk size.
    """
    countries = load_countries()
    home = scenario.company.currency
    sources = {}
    for j, option in enumerate(scenario.functions[index].options):
        for k, site in enumerate(option.sites):
            currency = countries[site.country].currency
            if not np.any(site.local_currency_share) or currency == home:
                continue
            home_fx = FxSeries.usd() if home == USD else fx.get(home)
            work_fx = FxSeries.usd() if currency == USD else fx.get(currency)
            if home_fx is None or work_fx is None:
                continue  # no history for this pair: the costs stay at today's rate
            changes = cross_rate_changes(home_fx, work_fx, FX_HISTORY_MONTHS)
            if changes is None or changes.size < 12:
                continue
            rng = np.random.default_rng([seed, index, j, k])
            sources[(j, k)] = _FxSource(changes, rng)
    return sources


def _with_fx_paths(
    options: tuple[Option, ...],
    sources: Mapping[tuple[int, int], _FxSource],
    size: int,
    months: int,
) -> tuple[Option, ...]:
    if not sources:
        return options
    out = []
    for j, option in enumerate(options):
        sites = tuple(
            replace(site, fx_path=bootstrap_fx_paths(src.changes, size, months, src.rng))
            if (src := sources.get((j, k))) is not None
            else site
            for k, site in enumerate(option.sites)
        )
        out.append(replace(option, sites=sites))
    return tuple(out)


def _simulate_function(
    scenario: Scenario,
    index: int,
    draws: Mapping[str, FloatArray],
    n: int,
    chunk: int,
    progress: Callable[[int], None],
    fx_sources: Mapping[tuple[int, int], _FxSource],
) -> FunctionSimulation:
    function = scenario.functions[index]
    inputs = _relevant(scenario.uncertain, index)
    years = scenario.company.horizon_years
    count = len(function.options)
    npv = np.empty((count, n))
    yearly = np.empty((count, n, years))
    even = np.empty((count, n))
    base_npv = np.empty(n)
    base_yearly = np.empty((n, years))
    component_sums: list[dict[str, float]] = [{} for _ in function.options]
    price_sums = np.zeros(count)
    month = np.arange(1, 12 * years + 1, dtype=np.float64)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        size = stop - start
        values = {u.ref: draws[u.ref.label][start:stop] for u in inputs}
        company, profile, options = apply_inputs(scenario.company, function, index, values)
        options = _with_fx_paths(options, fx_sources, size, 12 * years)
        # Discount factors per draw only if the discount rate itself is uncertain.
        # One row of factors, or one per draw if the discount rate itself is uncertain.
        discount = discount_factors(company.discount_rate, month)

        status_quo = project_status_quo(company, profile)
        raw_base = status_quo.monthly
        base_monthly = np.broadcast_to(raw_base, (size, month.size))
        # NPVs from the unbroadcast arrays: the same arithmetic as the deterministic model.
        base_npv[start:stop] = _present(discount, raw_base, size)
        base_yearly[start:stop] = base_monthly.reshape(size, years, 12).sum(axis=-1)
        for j, option in enumerate(options):
            projection: CostProjection = project_option(
                company, profile, option, status_quo=status_quo.components["status_quo"]
            )
            raw = projection.monthly
            monthly = np.broadcast_to(raw, (size, month.size))
            npv[j, start:stop] = _present(discount, raw, size)
            yearly[j, start:stop] = monthly.reshape(size, years, 12).sum(axis=-1)
            even[j, start:stop] = break_even_months(np.cumsum(base_monthly - monthly, axis=1))
            sums = component_sums[j]
            for name, values_m in projection.components.items():
                if values_m.ndim == 1 and not values_m.any():
                    continue  # a component this option does not have
                sums[name] = sums.get(name, 0.0) + _mean_present(discount, values_m, size)
            full_rate = projection.full_rate or {}
            for name in PRICE_COMPONENTS:
                priced = full_rate.get(name)
                if priced is not None and (priced.ndim > 1 or priced.any()):
                    price_sums[j] += _mean_present(discount, priced, size)
        progress(size)
    tornado = _tornado(scenario, function, index, inputs)
    input_ranks = {u.ref.label: _ranks(draws[u.ref.label]) for u in inputs}
    options_out = []
    for j, option in enumerate(function.options):
        saved = base_npv - npv[j]
        saved_ranks = _ranks(saved)
        beats = saved > 0.0
        p = float(beats.mean())
        months = even[j][~np.isnan(even[j])]
        low, mid, high = (
            (float(v) for v in np.percentile(months, [10, 50, 90]))
            if months.size
            else (None, None, None)
        )
        options_out.append(
            OptionSimulation(
                name=option.name,
                npv=Summary.of(npv[j]),
                yearly=tuple(Summary.of(yearly[j, :, y]) for y in range(years)),
                savings=Summary.of(saved),
                p_beats_status_quo=p,
                p_beats_se=float(np.sqrt(p * (1 - p) / n)),
                break_even=BreakEven(low, mid, high, share_never=float(np.isnan(even[j]).mean())),
                price_npv=float(price_sums[j] / n),
                components={k: v / n for k, v in component_sums[j].items() if v != 0.0},
                tornado=tuple(tornado[j]),
                rank_correlations={
                    u.ref.label: rank_correlation(input_ranks[u.ref.label], saved_ranks)
                    for u in inputs
                },
            )
        )
    return FunctionSimulation(
        name=function.profile.name,
        status_quo=Summary.of(base_npv),
        status_quo_yearly=tuple(Summary.of(base_yearly[:, y]) for y in range(years)),
        options=tuple(options_out),
    )


def simulate(
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    chunk: int = CHUNK_DRAWS,
    progress: Callable[[int], None] | None = None,
    fx: Mapping[str, FxSeries] | None = None,
) -> Simulation:
    """Draw every uncertain input ``draws`` times and cost every option on each draw.

    ``progress`` is called with the number of draws done after each chunk of each function.
    Costs a site pays in another currency follow exchange-rate paths bootstrapped from ``fx``
    (default: the packaged monthly rates).
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be between 1 and {MAX_DRAWS:,}, got {draws:,}")
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    rng = np.random.default_rng(seed)
    distributions = {u.ref.label: u.distribution for u in scenario.uncertain}
    pairs = {(c.first, c.second): c.rho for c in scenario.correlations}
    sampled = sample_all(distributions, draws, rng, pairs) if distributions else {}
    report = progress or (lambda _: None)
    history = load_fx_monthly() if fx is None else fx
    functions = tuple(
        _simulate_function(
            scenario, i, sampled, draws, chunk, report, _fx_sources(scenario, i, seed, history)
        )
        for i in range(len(scenario.functions))
    )
    return Simulation(scenario, draws, seed, functions)
