"""Portfolio optimisation: one arrangement per function, chosen together under constraints.

A mixed-integer programme solved by HiGHS through ``scipy.optimize.milp``. Variable ``x[k]`` is 1
when candidate ``k`` (an option of one function) is chosen; every function chooses exactly one.
The objective is the risk-adjusted cost ``P50 + λ·(P90 − P50)`` of each candidate's NPV. The
constraints are the ones a sourcing board sets: a budget, functions that must stay in-house,
minimum working-hour overlap for customer-facing work, the largest share of spend any provider
or country may take, and a minimum number of providers across critical functions.

The solver is asked for the proven optimum (a relative MIP gap of 0; HiGHS keeps its absolute gap
of 1e-6, far below a currency unit): with its default relative gap of 1e-4 it may stop at a
portfolio up to 0.01 % dearer than the best, which on near ties is thousands of euros.

When the constraints cannot all hold, the solver is asked again with each group of constraints
left out in turn; the groups whose removal makes the problem feasible are the ones in conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One option of one function, with what the constraints need to know about it."""

    function: str
    option: str
    arrangement: str
    cost_p50: float
    cost_p90: float
    spend: float
    """Expected NPV of the spend, for concentration limits."""
    providers: tuple[tuple[str, float], ...]
    """(provider, share of the option's spend). Own staff are not a provider unless the rules
    say so (the caller leaves them out), so keeping work in-house never counts as
    concentration on a vendor."""
    countries: tuple[tuple[str, float], ...]
    """(country, share of the option's spend)."""
    min_overlap_hours: float
    """Fewest typical shared working hours a day among the option's sites."""
    in_house: bool
    """Own staff in the home country only."""

    def risk_adjusted(self, risk_aversion: float) -> float:
        return self.cost_p50 + risk_aversion * (self.cost_p90 - self.cost_p50)


@dataclass(frozen=True, slots=True)
class Constraints:
    risk_aversion: float = 0.5
    budget: float | None = None
    """Largest total expected NPV of spend over the horizon."""
    must_stay_in_house: frozenset[str] = frozenset()
    min_overlap_hours: float | None = None
    overlap_functions: frozenset[str] = frozenset()
    """Functions the overlap minimum applies to (customer-facing work)."""
    max_provider_share: float | None = None
    max_country_share: float | None = None
    """Applies to countries other than home; home work is never 'concentration'."""
    home_country: str = ""
    critical_functions: frozenset[str] = frozenset()
    min_providers: int = 0


@dataclass(frozen=True, slots=True)
class PortfolioResult:
    feasible: bool
    chosen: tuple[Candidate, ...] = ()
    objective: float = 0.0
    conflicts: tuple[str, ...] = ()
    """When infeasible: constraint groups whose removal alone makes the problem feasible."""
    message: str = ""
    solver_status: str = ""
    """HiGHS's verdict on the last solve, in its words ("Optimization terminated successfully…")."""
    mip_gap: float | None = None
    """Relative gap between the solution and the solver's proven bound (0: proven optimal)."""


GROUPS = ("budget", "in-house", "overlap", "provider share", "country share", "providers")


def _rows(
    candidates: Sequence[Candidate], c: Constraints, groups: frozenset[str]
) -> tuple[list[FloatArray], list[float], list[float], list[str], int]:
    """Constraint rows (over candidates plus provider indicator variables) by group."""
    functions = sorted({k.function for k in candidates})
    critical_providers = sorted(
        {p for k in candidates if k.function in c.critical_functions for p, _ in k.providers}
    )
    n = len(candidates) + len(critical_providers)
    rows: list[FloatArray] = []
    low: list[float] = []
    high: list[float] = []
    names: list[str] = []

    def add(row: FloatArray, lo: float, hi: float, name: str) -> None:
        rows.append(row)
        low.append(lo)
        high.append(hi)
        names.append(name)

    for f in functions:  # exactly one candidate per function: always on
        row = np.zeros(n)
        row[[i for i, k in enumerate(candidates) if k.function == f]] = 1.0
        add(row, 1.0, 1.0, "one per function")
    spend = np.array([k.spend for k in candidates])
    if "budget" in groups and c.budget is not None:
        add(np.concatenate([spend, np.zeros(n - len(candidates))]), -np.inf, c.budget, "budget")
    if "in-house" in groups:
        for i, k in enumerate(candidates):
            if k.function in c.must_stay_in_house and not k.in_house:
                row = np.zeros(n)
                row[i] = 1.0
                add(row, 0.0, 0.0, "in-house")
    if "overlap" in groups and c.min_overlap_hours is not None:
        for i, k in enumerate(candidates):
            if k.function in c.overlap_functions and k.min_overlap_hours < c.min_overlap_hours:
                row = np.zeros(n)
                row[i] = 1.0
                add(row, 0.0, 0.0, "overlap")
    for group, limit, attribute in (
        ("provider share", c.max_provider_share, "providers"),
        ("country share", c.max_country_share, "countries"),
    ):
        if group not in groups or limit is None:
            continue
        keys = sorted({key for k in candidates for key, _ in getattr(k, attribute)})
        for key in keys:
            if attribute == "countries" and key == c.home_country:
                continue
            # spend on this key - limit x total spend <= 0, linear in the choices
            share = np.array(
                [sum(s for name, s in getattr(k, attribute) if name == key) for k in candidates]
            )
            row = np.concatenate([spend * share - limit * spend, np.zeros(n - len(candidates))])
            add(row, -np.inf, 0.0, group)
    if "providers" in groups and c.min_providers > 0:
        offset = len(candidates)
        for j, provider in enumerate(critical_providers):
            # y_p <= sum of chosen critical candidates that use provider p
            row = np.zeros(n)
            row[offset + j] = 1.0
            for i, k in enumerate(candidates):
                if k.function in c.critical_functions and any(
                    p == provider for p, _ in k.providers
                ):
                    row[i] = -1.0
            add(row, -np.inf, 0.0, "providers")
        row = np.zeros(n)
        row[offset:] = 1.0
        add(row, float(c.min_providers), np.inf, "providers")
    return rows, low, high, names, n


@dataclass(frozen=True, slots=True)
class _Solved:
    feasible: bool
    x: FloatArray
    objective: float
    status: str
    mip_gap: float | None


def _solve(candidates: Sequence[Candidate], c: Constraints, groups: frozenset[str]) -> _Solved:
    rows, low, high, _, n = _rows(candidates, c, groups)
    cost = np.zeros(n)
    cost[: len(candidates)] = [k.risk_adjusted(c.risk_aversion) for k in candidates]
    result = milp(
        c=cost,
        constraints=LinearConstraint(np.array(rows), np.array(low), np.array(high)),
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        options={"mip_rel_gap": 0.0},
    )
    status = str(result.message)
    if result.status != 0 or result.x is None:
        return _Solved(False, np.zeros(n), float("nan"), status, None)
    gap = getattr(result, "mip_gap", None)
    return _Solved(
        True, np.asarray(result.x), float(result.fun), status, None if gap is None else float(gap)
    )


def optimise(candidates: Sequence[Candidate], constraints: Constraints) -> PortfolioResult:
    """The cheapest risk-adjusted choice of one candidate per function under the constraints."""
    if not candidates:
        raise ValueError("no candidates to choose from")
    everything = frozenset(GROUPS)
    solved = _solve(candidates, constraints, everything)
    if solved.feasible:
        chosen = tuple(k for k, v in zip(candidates, solved.x, strict=False) if v > 0.5)
        return PortfolioResult(
            True,
            chosen,
            solved.objective,
            solver_status=solved.status,
            mip_gap=solved.mip_gap,
        )
    conflicts = tuple(
        group for group in GROUPS if _solve(candidates, constraints, everything - {group}).feasible
    )
    if conflicts:
        message = (
            "No choice meets every constraint. Relaxing any one of these would make it "
            f"possible: {', '.join(conflicts)}."
        )
    else:
        message = (
            "No choice meets every constraint, and relaxing any single group is not enough: "
            "several constraints conflict at once."
        )
    return PortfolioResult(False, conflicts=conflicts, message=message, solver_status=solved.status)
