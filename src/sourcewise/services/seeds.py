"""The random streams of a run, every one from the tree of ``numpy.random.SeedSequence(seed)``.

Each kind of stream is a child spawned along its own first key, and each stream within a kind
along the keys of what it serves (a function, a site, a block of draws). A stream therefore
depends on the seed and its own keys only: adding a function, an option or draws, or running
the chunks elsewhere or in another order, never shifts another stream.

    SeedSequence(seed)
    ├── (FX_STREAM, function, option, site, block)  exchange-rate paths of a site
    ├── (INPUTS_STREAM,)                             draws of every uncertain input
    └── (SMAA_STREAM, function)                      SMAA-2 weight draws of a function
"""

from __future__ import annotations

import numpy as np

FX_STREAM = 0
INPUTS_STREAM = 1
SMAA_STREAM = 2


def generator(seed: int, *key: int) -> np.random.Generator:
    """The generator at ``key`` under ``seed``, as nested ``SeedSequence.spawn`` calls give it."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def inputs_generator(seed: int) -> np.random.Generator:
    """The stream that draws every uncertain input of a scenario at once."""
    return generator(seed, INPUTS_STREAM)


def fx_generator(
    seed: int, function: int, option: int, site: int, block: int
) -> np.random.Generator:
    """The stream of one site's exchange-rate paths in one block of draws."""
    return generator(seed, FX_STREAM, function, option, site, block)


def smaa_generator(seed: int, function: int) -> np.random.Generator:
    """The stream of one function's SMAA-2 weight draws."""
    return generator(seed, SMAA_STREAM, function)
