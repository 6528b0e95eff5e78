"""The criteria of the sourcing decision: what each option is scored on, and which way is better.

The scenario file names them (a function's ``weights`` and ``ahp`` judgements), its validation
checks those names, and ``services.sourcing_mcda`` builds the options × criteria matrix in this
order. Directions are +1 when more is better and −1 when less is better.
"""

from __future__ import annotations

CRITERIA: tuple[tuple[str, int, str], ...] = (
    ("tco_p50", -1, "median NPV of the total cost of ownership"),
    ("tco_p90", -1, "P90 NPV of the total cost of ownership (the bad case)"),
    ("p_beats_status_quo", 1, "share of simulated futures cheaper than the status quo"),
    ("location", 1, "location score of the work countries (0-100)"),
    ("fit", 1, "strategic-fit score of the rules quoting the source articles"),
    ("control", 1, "share of the work done by own staff (control and oversight)"),
    ("country_risk", -1, "100 minus the governance and economic sub-scores (political risk)"),
)
NAMES: tuple[str, ...] = tuple(name for name, _, _ in CRITERIA)
