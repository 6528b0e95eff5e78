"""Benchmark: sourcewise.decision against pymcdm and a batched-numpy SMAA-2, same process,
same problems.

SMAA-2 with 10,000 weight draws over 200 alternatives × 10 criteria against a reference written
the shortest way numpy allows (the weights as one matrix, one product, one argsort per draw
row, the same three outputs), and against pymcdm's weighted sum called once per draw (pymcdm
has no SMAA). TOPSIS and VIKOR at 1,000 × 20 and 10,000 × 50, PROMETHEE II (usual criterion)
at 1,000 × 20, against pymcdm's own. Run with ``make bench``; ``--json PATH`` writes
``smaa_over_reference`` and the ``*_speedup_vs_pymcdm`` ratios. pymcdm is a development
dependency.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from pymcdm import methods as pm
from results import arguments, best_of, write

from sourcewise.decision.ranking import promethee_ii, topsis, vikor
from sourcewise.decision.smaa import sample_weights, smaa2

SMAA_DRAWS = 10_000
LOOP_DRAWS = 300
FloatArray = np.typing.NDArray[np.float64]


def smaa_reference(
    matrix: FloatArray, directions: FloatArray, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """SMAA-2 of one matrix without tie handling: acceptabilities, central weights and
    confidence factors."""
    m, n = matrix.shape
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    utilities = np.where(directions > 0, matrix - low, high - matrix) / (high - low)
    weights = sample_weights(rng, SMAA_DRAWS, n)
    order = np.argsort(-(weights @ utilities.T), axis=1)
    counts = np.bincount((order * m + np.arange(m)).ravel(), minlength=m * m)
    acceptability = counts.reshape(m, m) / SMAA_DRAWS
    firsts = np.bincount(order[:, 0], minlength=m)
    sums = np.stack([np.bincount(order[:, 0], weights[:, j], m) for j in range(n)], axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = sums / firsts[:, None]
    leads = np.argmax(np.nan_to_num(central) @ utilities.T, axis=1) == np.arange(m)
    confidence = np.where(firsts > 0, leads.astype(float), np.nan)
    return acceptability, central, confidence


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    rng = np.random.default_rng(1)
    m, n = 200, 10
    matrix = rng.uniform(1, 100, size=(m, n))
    directions = np.where(rng.random(n) < 0.5, 1.0, -1.0)

    ours = best_of(
        5, lambda: smaa2(matrix, directions, draws=SMAA_DRAWS, rng=np.random.default_rng(2))
    )
    reference = best_of(5, lambda: smaa_reference(matrix, directions, np.random.default_rng(2)))
    mine = smaa2(matrix, directions, draws=SMAA_DRAWS, rng=np.random.default_rng(2))
    theirs = smaa_reference(matrix, directions, np.random.default_rng(2))
    assert np.allclose(mine.rank_acceptability, theirs[0], atol=1e-12)
    assert np.allclose(mine.central_weights, theirs[1], atol=1e-12, equal_nan=True)
    assert np.allclose(mine.confidence_factors, theirs[2], atol=1e-12, equal_nan=True)
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
    figures: dict[str, float | int | str] = {
        "smaa_seconds": ours,
        "smaa_reference_seconds": reference,
        "smaa_over_reference": ours / reference,
    }
    print(f"SMAA-2, {SMAA_DRAWS:,} draws x {m} alternatives x {n} criteria: {ours:.3f} s")
    print(
        f"  batched-numpy reference (same outputs, no tie handling): {reference:.3f} s, "
        f"ratio {ours / reference:.2f} (target <= 1.2)"
    )
    print(
        f"  pymcdm WSM per draw in a loop ({LOOP_DRAWS} draws): {per_draw * 1e6:.0f} us/draw, "
        f"{per_draw * SMAA_DRAWS:.2f} s for {SMAA_DRAWS:,}: {per_draw * SMAA_DRAWS / ours:,.0f}x"
    )

    for rows, columns in ((1_000, 20), (10_000, 50)):
        big = rng.uniform(1, 100, size=(rows, columns))
        d = np.where(rng.random(columns) < 0.5, 1.0, -1.0)
        w = rng.dirichlet(np.ones(columns))
        methods = [("TOPSIS", topsis, pm.TOPSIS()), ("VIKOR", vikor, pm.VIKOR())]
        if rows <= 1_000:  # pymcdm's pairwise PROMETHEE grows with rows squared
            methods.append(("PROMETHEE II", promethee_ii, pm.PROMETHEE_II("usual")))
        for name, ours_, peer in methods:
            a = best_of(7, partial(ours_, big, w, d))
            b = best_of(7, partial(peer, big, w, d.astype(int), validation=False))
            target = 20 if name == "PROMETHEE II" else 1
            print(
                f"{name}, {rows:,} x {columns}: sourcewise {a * 1e3:.2f} ms, pymcdm "
                f"{b * 1e3:.2f} ms, speed-up {b / a:.1f}x (target >= {target}x)"
            )
            key = name.split()[0].lower()
            suffix = "" if rows == 1_000 else f"_{rows}x{columns}"
            figures[f"{key}_speedup_vs_pymcdm{suffix}"] = b / a
    write(options.json, figures)


if __name__ == "__main__":
    main()
