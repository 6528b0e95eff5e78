"""Total cost of ownership under uncertainty: Monte Carlo over the scenario's distributions.

Every uncertain input is drawn once for all draws (so rank correlations can be imposed over the
whole sample), then the cost model runs on chunks of draws: each option's costs as separable
terms (``domain.cost_terms``) summed by year (``domain.cost_sums``), months only where the
break-even month needs them. Memory stays bounded whatever the number of draws, and nothing
loops over draws. Each chunk is a task for an executor (``services.executors``: this process or
Dask); random streams are keyed by seed and draw block, never by processing order, so the same
seed gives bit-identical results wherever and in whatever order the chunks run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from sourcewise.adapters.country_table import load_countries
from sourcewise.adapters.indicator_table import load_fx_monthly
from sourcewise.domain.cost import (
    discount_factors,
    months,
    project_option,
    project_status_quo,
)
from sourcewise.domain.cost_sums import break_even, present_value_sum, savings_groups, sum_terms
from sourcewise.domain.cost_terms import option_terms, status_quo_terms
from sourcewise.domain.indicators import USD, FxSeries, bootstrap_fx_paths, cross_rate_changes
from sourcewise.domain.sample_statistics import Summary as Summary
from sourcewise.domain.sample_statistics import percentiles, rank_correlation, ranks, sort_order
from sourcewise.domain.sample_statistics import spearman as spearman
from sourcewise.domain.sampled import FloatArray, Sampled, sampled_fields
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
from sourcewise.services.defaults import DEFAULT_DRAWS as DEFAULT_DRAWS
from sourcewise.services.defaults import DEFAULT_SEED as DEFAULT_SEED
from sourcewise.services.defaults import MAX_DRAWS as MAX_DRAWS
from sourcewise.services.executors import Executor, Handle, running
from sourcewise.services.seeds import fx_generator, inputs_generator

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

CHUNK_DRAWS = 10_000
"""Draws per chunk, sized for the cache: a chunk works on (years, draws) arrays, 800 KB each
over ten years, a few of which fit a core's 2 MiB L2. On the 100,000-draw benchmark 20,000
draws per chunk took 1.8× as long (the arrays spill to L3), 2,000 took 1.2× (Python's
per-chunk work)."""


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
class FunctionDraws:
    """A function's draws kept whole (``simulate(keep_draws=True)``): what value-of-information
    analysis regresses."""

    status_quo: FloatArray
    """NPV of the status quo per draw."""
    options: FloatArray
    """``(options, draws)``: NPV of each option per draw."""
    inputs: Mapping[str, FloatArray]
    """Each uncertain input bearing on the function, by label: its value per draw."""
    exchange_rates: Mapping[str, FloatArray] = dataclasses.field(default_factory=dict)
    """Each site paying costs in another currency, by label (``functions[0].options[1].
    exchange_rate_path``, ``…parts[0].…`` for a split option's site): its exchange-rate path per
    draw summed up as the discount-weighted mean over the horizon (home currency per unit of the
    work currency, today's rate = 1), which is what the site's local costs scale with. Taken
    from the chunks as they cost the draws."""


@dataclass(frozen=True, slots=True)
class FunctionSimulation:
    name: str
    status_quo: Summary
    status_quo_yearly: tuple[Summary, ...]
    options: tuple[OptionSimulation, ...]
    draws: FunctionDraws | None = None
    """Per-draw NPVs and inputs, when the simulation was asked to keep them."""


@dataclass(frozen=True, slots=True)
class Simulation:
    scenario: Scenario
    draws: int
    seed: int
    functions: tuple[FunctionSimulation, ...]


_Record = TypeVar("_Record", bound="DataclassInstance")


def _with(record: _Record, values: Mapping[str, Sampled]) -> _Record:
    """The record with each named field set to a value or array of draws; only fields typed
    ``Sampled`` may take them."""
    if not values:
        return record
    if wrong := sorted(set(values) - sampled_fields(type(record))):
        raise TypeError(f"{type(record).__name__} has no field for draws named {', '.join(wrong)}")
    return replace(record, **values)


def apply_inputs(
    company: Company,
    function: Function,
    index: int,
    values: Mapping[InputRef, Sampled],
) -> tuple[Company, FunctionProfile, tuple[Option, ...]]:
    """The company and function with each referenced field set to a value or array of draws."""
    company_fields = {r.field: v for r, v in values.items() if r.function is None}
    mine = {r: v for r, v in values.items() if r.function == index}
    profile_fields = {r.field: v for r, v in mine.items() if r.option is None and not r.goods}
    goods_fields = {r.field: v for r, v in mine.items() if r.option is None and r.goods}
    profile = _with(function.profile, profile_fields)
    if goods_fields and profile.goods is not None:
        profile = replace(profile, goods=_with(profile.goods, goods_fields))
    options = []
    for j, option in enumerate(function.options):
        at_option = {r: v for r, v in mine.items() if r.option == j}
        sites = []
        for k, site in enumerate(option.sites):
            at_site = {r: v for r, v in at_option.items() if r.site == k}
            placed = _with(site, {r.field: v for r, v in at_site.items() if not r.goods})
            terms = {r.field: v for r, v in at_site.items() if r.goods}
            if terms and placed.goods is not None:
                placed = replace(placed, goods=_with(placed.goods, terms))
            sites.append(placed)
        option_fields = {r.field: v for r, v in at_option.items() if r.site is None}
        options.append(replace(_with(option, option_fields), sites=tuple(sites)))
    return _with(company, company_fields), profile, tuple(options)


def _relevant(inputs: Sequence[UncertainInput], index: int) -> list[UncertainInput]:
    return [u for u in inputs if u.ref.function is None or u.ref.function == index]


def _acts_on(u: UncertainInput, option: int) -> bool:
    """Whether an input of the function can move this option's savings: company, status-quo and
    function inputs move every option's, an option's own inputs only its own."""
    return u.ref.option is None or u.ref.option == option


def _tornado(
    scenario: Scenario, function: Function, index: int, inputs: Sequence[UncertainInput]
) -> list[list[TornadoBar]]:
    """One-at-a-time swings for every option: two evaluations per input, all in one pass
    (rows 2k and 2k + 1 move input k to its P10 and P90, the others stay as they are)."""
    bars: list[list[TornadoBar]] = [[] for _ in function.options]
    if not inputs:
        return bars
    ends = [tuple(float(v) for v in u.distribution.ppf(np.array([0.1, 0.9]))) for u in inputs]
    values = {}
    for k, u in enumerate(inputs):
        column = np.full(2 * len(inputs), _field_value(scenario.company, function, u.ref))
        column[2 * k : 2 * k + 2] = ends[k]
        values[u.ref] = column
    company, profile, options = apply_inputs(scenario.company, function, index, values)
    base = project_status_quo(company, profile).present_value
    for j, option in enumerate(options):
        cost = project_option(company, profile, option).present_value
        saved = np.broadcast_to(base - cost, (2 * len(inputs),))
        for k, u in enumerate(inputs):
            if not _acts_on(u, j):
                continue
            low, high = ends[k]
            at_low, at_high = (float(v) for v in saved[2 * k : 2 * k + 2])
            bars[j].append(TornadoBar(u.ref.label, low, high, at_low, at_high))
    return [sorted(b, key=lambda bar: -bar.swing) for b in bars]


def _field_value(company: Company, function: Function, ref: InputRef) -> float:
    """The scenario's own value of an input's field (its mean, for an uncertain input)."""
    record: object
    if ref.function is None:
        record = company
    elif ref.option is None:
        record = function.profile.goods if ref.goods else function.profile
    else:
        option = function.options[ref.option]
        if ref.site is None:
            record = option
        else:
            site = option.sites[ref.site]
            record = site.goods if ref.goods else site
    return float(getattr(record, ref.field))


FX_HISTORY_MONTHS = 120
"""Exchange-rate paths bootstrap the last ten years of monthly changes of the currency pair."""

SEED_BLOCK = 1_000
"""Draws per seed block: exchange-rate paths of draws ``b * SEED_BLOCK`` onwards come from the
generator of block ``b`` (``seeds.fx_generator``), whatever the chunks and whoever runs them."""


@dataclass(frozen=True, slots=True)
class _FxSource:
    changes: FloatArray
    place: tuple[int, int, int]
    """(function, option, site) in the generator's spawn key."""


def _fx_sources(
    scenario: Scenario, index: int, fx: Mapping[str, FxSeries]
) -> dict[tuple[int, int], _FxSource]:
    """A bootstrap source for every site paying costs in a currency other than home's."""
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
            sources[(j, k)] = _FxSource(changes, (index, j, k))
    return sources


def _fx_paths(source: _FxSource, seed: int, start: int, stop: int, months: int) -> FloatArray:
    """Paths of draws ``start:stop``: rows of their seed blocks, so any chunking gives the same.

    A block's paths are drawn row after row, so its first rows do not depend on how many follow.
    """
    parts = []
    for block in range(start // SEED_BLOCK, (stop - 1) // SEED_BLOCK + 1):
        first = block * SEED_BLOCK
        rng = fx_generator(seed, *source.place, block)
        rows = min(stop, first + SEED_BLOCK) - first
        parts.append(bootstrap_fx_paths(source.changes, rows, months, rng)[max(start - first, 0) :])
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _with_fx_paths(
    options: tuple[Option, ...],
    sources: Mapping[tuple[int, int], _FxSource],
    seed: int,
    start: int,
    stop: int,
    months: int,
) -> tuple[Option, ...]:
    if not sources:
        return options
    out = []
    for j, option in enumerate(options):
        sites = tuple(
            replace(site, fx_path=_fx_paths(src, seed, start, stop, months))
            if (src := sources.get((j, k))) is not None
            else site
            for k, site in enumerate(option.sites)
        )
        out.append(replace(option, sites=sites))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A scenario's draws of every uncertain input, and its exchange-rate sources per function."""

    sampled: Mapping[str, FloatArray]
    fx: tuple[Mapping[tuple[int, int], _FxSource], ...]


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One chunk of draws of one function: what its summaries need, per draw or summed."""

    base_npv: FloatArray
    base_yearly: FloatArray
    """(years, draws)"""
    npv: FloatArray
    """(options, draws)"""
    yearly: FloatArray
    """(options, years, draws)"""
    even: FloatArray
    components: tuple[tuple[tuple[str, float], ...], ...]
    """Per option, each component's NPV summed over the chunk's draws."""
    price: tuple[tuple[float, ...], ...]
    """Per option, the price components' NPVs summed over the chunk's draws."""
    exchange_rates: tuple[tuple[str, FloatArray], ...] = ()
    """Each site's exchange-rate path per draw as its discounted mean, by label (what the
    value of information learns; ``FunctionDraws.exchange_rates``)."""


def _prepare(
    scenario: Scenario, draws: int, seed: int, fx: Mapping[str, FxSeries] | None
) -> _Prepared:
    rng = inputs_generator(seed)
    distributions = {u.ref.label: u.distribution for u in scenario.uncertain}
    pairs = {(c.first, c.second): c.rho for c in scenario.correlations}
    sampled = sample_all(distributions, draws, rng, pairs) if distributions else {}
    history = load_fx_monthly() if fx is None else fx
    sources = tuple(_fx_sources(scenario, i, history) for i in range(len(scenario.functions)))
    return _Prepared(sampled, sources)


def _run_chunk(
    scenario: Scenario, index: int, prepared: _Prepared, seed: int, start: int, stop: int
) -> _Chunk:
    """Cost every option of function ``index`` on draws ``start:stop``, by year (``cost_terms``)."""
    function = scenario.functions[index]
    years = scenario.company.horizon_years
    size = stop - start
    month = months(years)
    inputs = _relevant(scenario.uncertain, index)
    values = {u.ref: prepared.sampled[u.ref.label][start:stop] for u in inputs}
    company, profile, options = apply_inputs(scenario.company, function, index, values)
    options = _with_fx_paths(options, prepared.fx[index], seed, start, stop, month.size)
    discount = discount_factors(company.discount_rate, month)

    today = status_quo_terms(company, profile, month)
    base = sum_terms([today], discount, size)
    count = len(options)
    npv = np.empty((count, size))
    yearly = np.empty((count, years, size))
    even = np.empty((count, size))
    components = []
    prices = []
    for j, option in enumerate(options):
        terms = option_terms(company, profile, option, month, today)
        costs = sum_terms(terms.costs, discount, size)
        npv[j] = costs.npv
        yearly[j] = costs.yearly
        even[j] = break_even(savings_groups(base, costs), base.yearly - costs.yearly)
        components.append(tuple(costs.components.items()))
        prices.append((present_value_sum(terms.price, discount, size),))
    return _Chunk(
        base_npv=base.npv,
        base_yearly=base.yearly,
        npv=npv,
        yearly=yearly,
        even=even,
        components=tuple(components),
        price=tuple(prices),
        exchange_rates=_exchange_rates(scenario, index, options, prepared.fx[index]),
    )


def _exchange_rates(
    scenario: Scenario,
    index: int,
    options: Sequence[Option],
    sources: Mapping[tuple[int, int], _FxSource],
) -> tuple[tuple[str, FloatArray], ...]:
    """Each site's exchange-rate paths of a chunk's draws summed up as their discount-weighted
    mean (at the scenario's mean discount rate): one number per draw and site, by label."""
    if not sources:
        return ()
    month = months(scenario.company.horizon_years)
    weights = discount_factors(float(np.mean(scenario.company.discount_rate)), month)
    weights = weights / weights.sum()
    rates = []
    for j, k in sources:
        path = options[j].sites[k].fx_path
        if path is None:
            continue
        where = f"functions[{index}].options[{j}]"
        if scenario.functions[index].options[j].is_split:
            where += f".parts[{k}]"
        rates.append((f"{where}.exchange_rate_path", path @ weights))
    return tuple(rates)


def _finish(
    scenario: Scenario,
    index: int,
    prepared: _Prepared,
    n: int,
    chunks: Sequence[_Chunk],
    keep_draws: bool = False,
) -> FunctionSimulation:
    """Summaries of one function from its chunks, taken in draw order."""
    function = scenario.functions[index]
    inputs = _relevant(scenario.uncertain, index)
    draws = prepared.sampled
    npv = np.concatenate([c.npv for c in chunks], axis=1)
    yearly = np.concatenate([c.yearly for c in chunks], axis=2)
    even = np.concatenate([c.even for c in chunks], axis=1)
    base_npv = np.concatenate([c.base_npv for c in chunks])
    base_yearly = np.concatenate([c.base_yearly for c in chunks], axis=1)
    # Sums in chunk order, term by term: the same additions whoever ran the chunks.
    component_sums: list[dict[str, float]] = [{} for _ in function.options]
    price_sums = np.zeros(len(function.options))
    for c in chunks:
        for j, sums in enumerate(component_sums):
            for name, value in c.components[j]:
                sums[name] = sums.get(name, 0.0) + value
            for value in c.price[j]:
                price_sums[j] += value
    # The summaries below sort the NPVs in place: what is kept per draw is copied first.
    kept = (
        FunctionDraws(
            base_npv.copy(),
            npv.copy(),
            {u.ref.label: draws[u.ref.label] for u in inputs},
            {
                label: np.concatenate([dict(c.exchange_rates)[label] for c in chunks])
                for label, _ in chunks[0].exchange_rates
            },
        )
        if keep_draws
        else None
    )
    tornado = _tornado(scenario, function, index, inputs)
    input_ranks = {u.ref.label: ranks(draws[u.ref.label]) for u in inputs}
    yearly.sort(axis=2)  # in place: each summary reads the sorted draws (no copies)
    base_yearly.sort(axis=1)
    options_out = []
    for j, option in enumerate(function.options):
        saved = base_npv - npv[j]
        npv[j].sort()
        order = sort_order(saved)
        saved_ranks = ranks(saved, order)
        p = float((saved > 0.0).mean())
        never = np.isnan(even[j])
        months = np.sort(even[j][~never])
        low, mid, high = (float(v) for v in percentiles(months)) if months.size else (None,) * 3
        options_out.append(
            OptionSimulation(
                name=option.name,
                npv=Summary.of_sorted(npv[j]),
                yearly=tuple(Summary.of_sorted(by_year) for by_year in yearly[j]),
                savings=Summary.of(saved, saved[order]),
                p_beats_status_quo=p,
                p_beats_se=float(np.sqrt(p * (1 - p) / n)),
                break_even=BreakEven(low, mid, high, share_never=float(never.mean())),
                price_npv=float(price_sums[j] / n),
                components={k: v / n for k, v in component_sums[j].items() if v != 0.0},
                tornado=tuple(tornado[j]),
                rank_correlations={
                    u.ref.label: rank_correlation(input_ranks[u.ref.label], saved_ranks)
                    for u in inputs
                    if _acts_on(u, j)
                },
            )
        )
    base_npv.sort()
    return FunctionSimulation(
        name=function.profile.name,
        status_quo=Summary.of_sorted(base_npv),
        status_quo_yearly=tuple(Summary.of_sorted(by_year) for by_year in base_yearly),
        options=tuple(options_out),
        draws=kept,
    )


def simulate(
    scenario: Scenario,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    chunk: int = CHUNK_DRAWS,
    progress: Callable[[int], None] | None = None,
    fx: Mapping[str, FxSeries] | None = None,
    executor: Executor | str | None = None,
    keep_draws: bool = False,
) -> Simulation:
    """Draw every uncertain input ``draws`` times and cost every option on each draw.

    ``progress`` is called with the number of draws done after each chunk of each function.
    Costs a site pays in another currency follow exchange-rate paths bootstrapped from ``fx``
    (default: the packaged monthly rates). ``executor`` runs the chunks: this process by default,
    an open executor (left open) or its name (``local``, ``dask``, ``dask://HOST:PORT``; opened
    and closed here, ``ExecutorError`` when it cannot be used); the result is the same bit for
    bit wherever they run. ``keep_draws`` keeps every draw's NPVs and inputs on each function
    (``FunctionSimulation.draws``) besides the summaries.
    """
    [result] = simulate_many([scenario], draws, seed, chunk, progress, fx, executor, keep_draws)
    return result


def simulate_many(
    scenarios: Sequence[Scenario],
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    chunk: int = CHUNK_DRAWS,
    progress: Callable[[int], None] | None = None,
    fx: Mapping[str, FxSeries] | None = None,
    executor: Executor | str | None = None,
    keep_draws: bool = False,
) -> list[Simulation]:
    """``simulate`` for every scenario, as one set of tasks: scenarios × functions × chunks.

    Per scenario, one task draws the inputs, one per chunk of draws of each function costs the
    options, and one per function summarises; only the summaries come back.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be between 1 and {MAX_DRAWS:,}, got {draws:,}")
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    with running(executor) as run:
        return _simulate_many(run, scenarios, draws, seed, chunk, progress, fx, keep_draws)


def _simulate_many(
    run: Executor,
    scenarios: Sequence[Scenario],
    draws: int,
    seed: int,
    chunk: int,
    progress: Callable[[int], None] | None,
    fx: Mapping[str, FxSeries] | None,
    keep_draws: bool = False,
) -> list[Simulation]:
    report = progress or (lambda _: None)
    sizes: dict[Handle[Any], int] = {}
    finishing: dict[Handle[Any], tuple[int, int | None, list[Handle[_Chunk]]]] = {}
    order: list[Handle[Any]] = []
    for s, scenario in enumerate(scenarios):
        if draws <= chunk:  # one chunk per function: one task for the scenario, no transfers
            whole = run.submit(_simulate_whole, scenario, draws, seed, fx, keep_draws)
            finishing[whole] = (s, None, [])
            order.append(whole)
            continue
        prepared = run.submit(_prepare, scenario, draws, seed, fx)
        for i in range(len(scenario.functions)):
            parts = []
            for start in range(0, draws, chunk):
                stop = min(start + chunk, draws)
                part = run.submit(_run_chunk, scenario, i, prepared, seed, start, stop)
                sizes[part] = stop - start
                parts.append(part)
            done = run.submit(_finish, scenario, i, prepared, draws, parts, keep_draws)
            finishing[done] = (s, i, parts)
            order += [*parts, done]
    functions: list[dict[int, FunctionSimulation]] = [{} for _ in scenarios]
    finished = run.as_completed(order)
    del order  # held by the executor only, so finished chunks can be let go
    for handle in finished:
        if handle in sizes:
            report(sizes.pop(handle))
            continue
        s, which, _ = finishing.pop(handle)  # summaries: the function's chunks can go
        if which is None:
            functions[s] = dict(enumerate(handle.result()))
            report(draws * len(functions[s]))
        else:
            functions[s][which] = handle.result()
    return [
        Simulation(scenario, draws, seed, tuple(functions[s][i] for i in sorted(functions[s])))
        for s, scenario in enumerate(scenarios)
    ]


def _simulate_whole(
    scenario: Scenario,
    draws: int,
    seed: int,
    fx: Mapping[str, FxSeries] | None,
    keep_draws: bool = False,
) -> tuple[FunctionSimulation, ...]:
    """A scenario whose draws fit in one chunk, in one task: the same steps, in one place."""
    prepared = _prepare(scenario, draws, seed, fx)
    return tuple(
        _finish(
            scenario,
            i,
            prepared,
            draws,
            [_run_chunk(scenario, i, prepared, seed, 0, draws)],
            keep_draws,
        )
        for i in range(len(scenario.functions))
    )
