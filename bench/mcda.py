"""Benchmark: sourcewise.decision against pymcdm, same process, same problems.

SMAA-2 with 10,000 weight draws over 200 alternatives × 10 criteria against a per-sample loop
calling pymcdm's weighted sum and ranking each draw (pymcdm has no SMAA), measured on a slice
of the draws and scaled; TOPSIS,
VIKOR and PROMETHEE II on 1,000 alternatives × 20 criteria against pymcdm's own. Run with
``make bench``. pymcdm is a development dependency.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from pymcdm import methods as pm

from sourcewise.decision.ranking import promethee_ii, topsis, vikor
from sourcewise.decision.smaa import sample_weights, smaa2

SMAA_DRAWS = 10_000
LOOP_DRAWS = 300


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(1)
    m, n = 200, 10
    matrix = rng.uniform(1, 100, size=(m, n))
    directions = np.where(rng.random(n) < 0.5, 1.0, -1.0)

    ours = best_of(
        3, lambda: smaa2(matrix, directions, draws=SMAA_DRAWS, rng=np.random.default_rng(2))
    )
    weights = sample_weights(np.random.default_rng(3), LOOP_DRAWS, n)
    wsm = pm.WSM()

    def loop() -> None:
        """What SMAA-2 computes, one weight draw at a time: the full ranking per draw."""
        acceptability = np.zeros((m, m))
        for w in weights:
            scores = wsm(matrix, w, directions.astype(int), validation=False)
            ranks = np.argsort(np.argsort(-scores))
            acceptability[np.arange(m), ranks] += 1

    per_draw = best_of(3, loop) / LOOP_DRAWS
    print(f"SMAA-2, {SMAA_DRAWS:,} draws x {m} alternatives x {n} criteria: {ours:.3f} s")
    print(
        f"  pymcdm WSM per draw in a loop ({LOOP_DRAWS} draws): {per_draw * 1e6:.0f} us/draw, "
        f"{per_draw * SMAA_DRAWS:.2f} s for {SMAA_DRAWS:,}"
    )
    print(f"  ratio: {per_draw * SMAA_DRAWS / ours:,.0f}x (target >= 100x)")

    big = rng.uniform(1, 100, size=(1000, 20))
    d = np.where(rng.random(20) < 0.5, 1.0, -1.0)
    w = rng.dirichlet(np.ones(20))
    types = d.astype(int)
    pairs = (
        ("TOPSIS", lambda: topsis(big, w, d), lambda: pm.TOPSIS()(big, w, types, validation=False)),
        ("VIKOR", lambda: vikor(big, w, d), lambda: pm.VIKOR()(big, w, types, validation=False)),
        (
            "PROMETHEE II",
            lambda: promethee_ii(big, w, d),
            lambda: pm.PROMETHEE_II("usual")(big, w, types, validation=False),
        ),
    )
    for name, mine, theirs in pairs:
        a, b = best_of(5, mine), best_of(5, theirs)
        print(
            f"{name}, 1,000 x 20: sourcewise {a * 1e3:.1f} ms, pymcdm {b * 1e3:.1f} ms, "
            f"ratio {b / a:.1f}x (target >= 10x)"
        )


if __name__ == "__main__":
    main()
