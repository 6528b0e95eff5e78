"""Executors and the seeding scheme: the same numbers whatever the chunks and their order."""

from collections.abc import Iterable, Iterator
from textwrap import dedent
from typing import Any

import numpy as np
import pytest

from sourcewise.adapters.scenario_file import load_scenario_text
from sourcewise.domain.indicators import bootstrap_fx_paths
from sourcewise.domain.scenario import Scenario
from sourcewise.services.executors import (
    ExecutorError,
    Handle,
    LocalExecutor,
    open_executor,
    running,
)
from sourcewise.services.screening import screen, variations
from sourcewise.services.seeds import fx_generator
from sourcewise.services.simulate import (
    SEED_BLOCK,
    _fx_paths,
    _FxSource,
    simulate,
    simulate_many,
)

# Own staff in India paid in rupees (exchange-rate paths) and a vendor with uncertain rates.
SCENARIO = """\
company:
  name: Acme
  home_country: US
  horizon_years: 3
  wage_inflation: {dist: uniform, low: 0.02, high: 0.04}
functions:
  - name: Support
    kind: it_support
    fte: 10
    current_annual_cost: 1200000
    options:
      - name: Captive
        employer: own
        country: IN
        annual_cost_per_fte: {dist: triangular, low: 15000, mode: 20000, high: 30000}
        local_currency_share: 1
      - name: Vendor
        employer: third_party
        country: IN
        hourly_rate: {dist: pert, low: 18, mode: 20, high: 25}
  - name: Finance
    kind: finance_and_accounting
    fte: 5
    current_annual_cost: 700000
    options:
      - name: Captive Manila
        employer: own
        country: PH
        annual_cost_per_fte: 18000
        local_currency_share: 0.8
"""


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    found, problems = load_scenario_text(dedent(SCENARIO))
    assert problems == [], problems
    assert found is not None
    return found


class Shuffled(LocalExecutor):
    """Runs the tasks in a random order, as workers finishing out of turn would."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def as_completed(self, handles: Iterable[Handle[Any]]) -> Iterator[Handle[Any]]:
        queue = list(handles)
        for k in self._rng.permutation(len(queue)):
            queue[k].result()
            yield queue[k]


def test_order_in_which_chunks_finish_does_not_matter(scenario: Scenario) -> None:
    reference = simulate(scenario, draws=2_500, seed=3, chunk=500)
    for seed in (1, 2, 3):
        shuffled = simulate(scenario, draws=2_500, seed=3, chunk=500, executor=Shuffled(seed))
        assert shuffled.functions == reference.functions


def test_chunk_size_does_not_change_any_draw(scenario: Scenario) -> None:
    whole = simulate(scenario, draws=2_500, seed=3, chunk=2_500)  # one task for the scenario
    for chunk in (700, 1_000, 1_300):
        pieces = simulate(scenario, draws=2_500, seed=3, chunk=chunk)
        for f_whole, f_pieces in zip(whole.functions, pieces.functions, strict=True):
            assert f_pieces.status_quo == f_whole.status_quo
            for a, b in zip(f_whole.options, f_pieces.options, strict=True):
                # Per-draw quantities are exact; component means are sums over chunks.
                assert (a.npv, a.savings, a.yearly, a.break_even) == (
                    b.npv,
                    b.savings,
                    b.yearly,
                    b.break_even,
                )
                assert a.p_beats_status_quo == b.p_beats_status_quo
                assert a.rank_correlations == b.rank_correlations
                assert a.price_npv == pytest.approx(b.price_npv, rel=1e-12)
    assert whole.functions[1].options[0].npv.sd > 0  # only the exchange rate moves it


def test_paths_of_any_range_are_the_rows_of_their_seed_blocks() -> None:
    source = _FxSource(np.linspace(-0.02, 0.03, 24), (0, 1, 0))
    blocks = [
        bootstrap_fx_paths(source.changes, SEED_BLOCK, 12, fx_generator(9, 0, 1, 0, b))
        for b in range(3)
    ]
    full = np.concatenate(blocks)
    for start, stop in ((0, 1), (900, 2_100), (1_000, 2_000), (2_999, 3_000)):
        assert np.array_equal(_fx_paths(source, 9, start, stop, 12), full[start:stop])


def test_many_scenarios_as_one_set_of_tasks(scenario: Scenario) -> None:
    batch = simulate_many([scenario, scenario], draws=1_500, seed=4, chunk=600)
    alone = simulate(scenario, draws=1_500, seed=4, chunk=600)
    assert [s.functions for s in batch] == [alone.functions, alone.functions]
    done: list[int] = []
    simulate_many([scenario], draws=1_500, seed=4, chunk=600, progress=done.append)
    assert done == [600, 600, 300, 600, 600, 300]


def test_screening_varies_the_inputs_and_keeps_the_best_option(scenario: Scenario) -> None:
    variants = variations(scenario, 4, spread=0.3, seed=1)
    assert len({v.functions[0].profile.current_annual_cost for v in variants}) == 4
    assert variants[0].uncertain == scenario.uncertain
    rows = screen(variants, draws=300, seed=2)
    assert [r.scenario for r in rows] == [v.source for v in variants for _ in v.functions]
    assert {r.best for r in rows[::2]} <= {"Captive", "Vendor"}
    assert rows == screen(variants, draws=300, seed=2, executor=Shuffled(5))
    with pytest.raises(ValueError, match="spread"):
        variations(scenario, 1, spread=1.5)


def test_local_executor_runs_each_task_once_when_needed() -> None:
    calls: list[int] = []

    def task(value: int, more: list[int]) -> int:
        calls.append(value)
        return value + sum(more)

    with LocalExecutor() as run:
        first = run.submit(task, 1, [])
        second = run.submit(task, 2, [first, 10])
        assert calls == []
        assert [h.result() for h in run.as_completed([second, first])] == [13, 1]
    assert calls == [1, 2]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("spark", "unknown executor"),
        ("dask://", "dask://HOST:PORT"),
        ("dask://localhost", "dask://HOST:PORT"),
    ],
)
def test_unknown_executors_are_refused(spec: str, message: str) -> None:
    with pytest.raises(ExecutorError, match=message):
        open_executor(spec)


def test_local_is_the_default() -> None:
    with open_executor() as run:
        assert isinstance(run, LocalExecutor)
        assert run.name == "local"


class Counted(LocalExecutor):
    """Counts how often it is closed."""

    closed = 0

    def close(self) -> None:
        self.closed += 1


def test_an_open_executor_is_used_and_left_open_a_name_is_opened(
    scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = Counted()
    with running(given) as run:
        assert run is given
    assert given.closed == 0
    named = Counted()
    monkeypatch.setattr("sourcewise.services.executors.open_executor", lambda spec: named)
    with running("local") as run:
        assert run is named
    assert named.closed == 1
    with running(None) as run:
        assert isinstance(run, LocalExecutor)
    by_name = simulate(scenario, 200, seed=3, executor="local")
    assert by_name == simulate(scenario, 200, seed=3)


def test_an_unusable_name_fails_before_any_draw(scenario: Scenario) -> None:
    with pytest.raises(ExecutorError, match="unknown executor 'spark'"):
        simulate(scenario, 200, seed=3, executor="spark")
