"""Values that may be one number or one number per simulation draw.

A scenario's records hold numbers. The Monte Carlo engine runs the same cost model on records
whose uncertain inputs hold their draws instead (shape ``(draws,)``), so the fields it may fill
are typed ``Sampled``, and only those: ``sampled_fields`` reads them from the annotations and
the engine refuses to put draws anywhere else.
"""

from __future__ import annotations

import functools
import typing

import numpy as np
import numpy.typing as npt

FloatArray: typing.TypeAlias = npt.NDArray[np.float64]

Sampled: typing.TypeAlias = float | FloatArray
"""A number, or one value per simulation draw (shape ``(draws,)``)."""


@functools.cache
def sampled_fields(record: type) -> frozenset[str]:
    """The fields of a record class typed ``Sampled`` or ``Sampled | None``."""
    hints = typing.get_type_hints(record)
    return frozenset(name for name, hint in hints.items() if hint in (Sampled, Sampled | None))


def as_number(value: Sampled) -> float:
    """A field's value outside a simulation, where it is always one number."""
    if isinstance(value, np.ndarray):
        raise TypeError(f"one number expected, got {value.size:,} draws")
    return value
