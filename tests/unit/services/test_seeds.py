"""The random streams of a run: children of one SeedSequence tree, each kind on its own branch."""

import numpy as np

from sourcewise.services.seeds import (
    FX_STREAM,
    INPUTS_STREAM,
    SMAA_STREAM,
    fx_generator,
    inputs_generator,
    smaa_generator,
)


def _spawned(seed: int, *key: int) -> np.random.Generator:
    """The generator nested ``SeedSequence.spawn`` calls reach along ``key``."""
    child = np.random.SeedSequence(seed)
    for index in key:
        child = child.spawn(index + 1)[index]
    return np.random.default_rng(child)


def _head(rng: np.random.Generator) -> list[int]:
    return [int(v) for v in rng.integers(0, 1_000_000, 20)]


def test_each_stream_is_the_child_that_nested_spawns_reach() -> None:
    assert _head(fx_generator(42, 1, 0, 2, 5)) == _head(_spawned(42, FX_STREAM, 1, 0, 2, 5))
    assert _head(inputs_generator(42)) == _head(_spawned(42, INPUTS_STREAM))
    assert _head(smaa_generator(42, 3)) == _head(_spawned(42, SMAA_STREAM, 3))


def test_streams_of_different_kinds_functions_and_seeds_differ() -> None:
    heads = [
        _head(np.random.default_rng(42)),  # the root itself serves no stream
        _head(inputs_generator(42)),
        _head(inputs_generator(43)),
        _head(fx_generator(42, 0, 0, 0, 0)),
        _head(smaa_generator(42, 0)),
        _head(smaa_generator(42, 1)),
    ]
    assert len({tuple(h) for h in heads}) == len(heads)
