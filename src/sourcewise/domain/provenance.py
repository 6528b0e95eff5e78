"""Where a scenario's values come from: the file's own ``source`` of each uncertain input and
its line, and which of the tool's defaults the file leaves in place (domain.assumptions).

The domain records keep only the values; the business case cites these next to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class InputSource:
    """What the file says about one uncertain input."""

    line: int | None
    """Where the file gives it."""
    source: str | None
    """The ``source`` it gives for the value, if any."""


@dataclass(frozen=True, slots=True)
class ScenarioSources:
    file: str
    inputs: Mapping[str, InputSource] = field(default_factory=dict)
    """By input label (``functions[0].options[1].hourly_rate``): the inputs the file gives; an
    uncertain input not here is a default of the tool."""
    defaulted: frozenset[str] = frozenset()
    """The fields left to the tool's default somewhere in the file: ``discount_rate`` and
    ``horizon_years`` by the company; ``wage_inflation``, ``billable_hours_per_fte`` and
    ``governance_overhead`` by the company or at least one site."""
