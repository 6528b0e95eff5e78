"""Yearly totals, NPVs and break-even months of separable cost terms, for a chunk of draws.

Terms that share an escalation, an exchange-rate path and a profile are summed into one group
first (their amounts added per draw), so each group costs a few passes over ``(years, draws)``
numbers, years first so that each year's row is contiguous. Nothing here makes an array of
draws × months, except for the exchange-rate paths the draws already carry and, for the
break-even month, the twelve months of the years where the cumulative savings can turn (see
``break_even``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sourcewise.domain.cost import COMPONENTS
from sourcewise.domain.cost_terms import Term
from sourcewise.domain.sampled import FloatArray


@dataclass(frozen=True, slots=True)
class Group:
    """Terms with one escalation, exchange-rate path and profile, their amounts summed."""

    amount: FloatArray
    """``(draws,)``; negative for what an option costs when the group is part of a saving."""
    profile: FloatArray
    growth: FloatArray | None
    exchange: FloatArray | None

    def scale_in_year(self, year: int, rows: npt.NDArray[np.intp] | slice) -> FloatArray:
        """Amount × escalation of the draws in ``year``: the cost of a month at profile 1."""
        scale = self.amount[rows]
        if self.growth is not None and year:  # no escalation in the first year
            scale = scale * (self.growth[year, rows] if self.growth.ndim > 1 else self.growth[year])
        return scale


@dataclass(frozen=True, slots=True)
class Sums:
    """What the simulation keeps of one projection on a chunk of draws."""

    npv: FloatArray
    """``(draws,)``"""
    yearly: FloatArray
    """``(years, draws)``"""
    components: dict[str, float]
    """Each component's NPV summed over the chunk's draws."""
    groups: tuple[Group, ...]


def _key(term: Term) -> tuple[int, int, bytes]:
    return (id(term.growth), id(term.exchange), term.profile.tobytes())


def grouped(terms: Iterable[Term], size: int) -> list[tuple[Group, list[Term]]]:
    """Terms gathered by escalation, exchange-rate path and profile, with summed amounts."""
    found: dict[tuple[int, int, bytes], list[Term]] = {}
    for term in terms:
        found.setdefault(_key(term), []).append(term)
    out = []
    for members in found.values():
        amount = np.zeros(size)
        for term in members:
            amount += term.amount
        first = members[0]
        out.append((Group(amount, first.profile, first.growth, first.exchange), members))
    return out


def _unit_sums(group: Group, discount: FloatArray) -> tuple[FloatArray, FloatArray]:
    """What one unit of the group's amount costs each year, and its NPV: ``(years, 1)`` and
    ``(1,)``, or per draw ``(years, draws)`` and ``(draws,)`` with a per-draw escalation or an
    exchange-rate path (which moves the cost month by month)."""
    years = discount.size // 12
    profile = group.profile
    if group.exchange is None:
        per_year = profile.reshape(years, 12).sum(axis=-1)[:, np.newaxis]
        discounted = (profile * discount).reshape(years, 12).sum(axis=-1)[:, np.newaxis]
    else:
        rows = group.exchange.shape[0]
        per_year = (group.exchange * profile).reshape(rows, years, 12).sum(axis=-1).T
        discounted = (group.exchange * (profile * discount)).reshape(rows, years, 12).sum(axis=-1).T
    if group.growth is None:
        present: FloatArray = discounted.sum(axis=0)
        return per_year, present
    growth = group.growth if group.growth.ndim > 1 else group.growth[:, np.newaxis]
    if discounted.shape[1] == 1 and growth.shape[1] > 1:
        # Σ over years of escalation × discounted profile, without a (years, draws) temporary.
        present = np.einsum("yn,y->n", growth, discounted[:, 0])
    else:
        present = (growth * discounted).sum(axis=0)
    return growth * per_year, present


def sum_terms(terms: Sequence[Term], discount: FloatArray, size: int) -> Sums:
    """NPV and yearly totals per draw, and each component's NPV summed over the draws.

    ``discount`` holds the factor of each month ``(months,)``.
    """
    years = discount.size // 12
    npv = np.zeros(size)
    yearly = np.zeros((years, size))
    components: dict[str, float] = {}
    groups = []
    for group, members in grouped(terms, size):
        groups.append(group)
        per_year, present = _unit_sums(group, discount)
        npv += group.amount * present
        # One-offs and late starts cost nothing in most years: skip those rows.
        for year in np.flatnonzero(np.any(per_year != 0.0, axis=1)):
            yearly[year] += group.amount * per_year[year]
        _add_components(components, members, present, size)
    return Sums(npv, yearly, _in_model_order(components), tuple(groups))


def present_value_sum(terms: Sequence[Term], discount: FloatArray, size: int) -> float:
    """The terms' NPV summed over the draws (the full-rate price, say)."""
    components: dict[str, float] = {}
    for group, members in grouped(terms, size):
        _add_components(components, members, _unit_sums(group, discount)[1], size)
    return float(sum(components.values()))


def _add_components(
    components: dict[str, float], members: Sequence[Term], present: FloatArray, size: int
) -> None:
    for term in members:
        value = float(np.sum(np.broadcast_to(term.amount * present, (size,))))
        components[term.component] = components.get(term.component, 0.0) + value


def _in_model_order(components: dict[str, float]) -> dict[str, float]:
    order = {name: i for i, name in enumerate(COMPONENTS)}
    return dict(sorted(components.items(), key=lambda item: order.get(item[0], len(order))))


def _steady_years(groups: Sequence[Group], years: int) -> npt.NDArray[np.bool_]:
    """Years in which every group costs the same each month: cumulative savings move in a
    straight line through them."""
    steady = np.ones(years, dtype=bool)
    for g in groups:
        if g.exchange is not None:
            return np.zeros(years, dtype=bool)
        by_year = g.profile.reshape(years, 12)
        steady &= np.all(by_year == by_year[:, :1], axis=1)
    return steady


def running_total(values: FloatArray) -> FloatArray:
    """``np.cumsum(values, axis=0)``, the same additions, row by row: several times faster on
    a few long rows, where numpy's cumsum walks each column on its own."""
    total = values.copy()
    for row in range(1, total.shape[0]):
        total[row] += total[row - 1]
    return total


def _last_negative(
    groups: Sequence[Group], year: int, rows: npt.NDArray[np.intp] | slice, before: FloatArray
) -> npt.NDArray[np.intp]:
    """For each row, the last month of ``year`` (0–11) whose cumulative saving is negative, or
    −1; ``before`` is the cumulative saving at the end of the previous year."""
    months = slice(12 * year, 12 * year + 12)
    paid = [g for g in groups if g.profile[months].any()]
    plain = [g for g in paid if g.exchange is None]
    # The months' savings, (12, draws): profiles × scales as one small product, in numpy's own
    # loop rather than BLAS (whose threads only contend for the cores here). Where today's
    # cost and the parallel running cancel (profiles 1), the products are exact, so the
    # saving is exactly 0 there, as month by month.
    monthly = np.zeros((12, before.size))
    if plain:
        profiles = np.stack([g.profile[months] for g in plain])
        scales = np.stack([g.scale_in_year(year, rows) for g in plain])
        monthly = np.einsum("gk,gn->kn", profiles, scales)
    for group in paid:
        if group.exchange is not None:
            scale = group.scale_in_year(year, rows)
            monthly += group.profile[months, np.newaxis] * scale * group.exchange[rows, months].T
    cumulative = running_total(monthly)
    negative = (cumulative + before) < 0.0
    last: npt.NDArray[np.intp] = np.where(
        negative.any(axis=0), 11 - np.argmax(negative[::-1], axis=0), -1
    )
    return last


def break_even(saving_groups: Sequence[Group], yearly_savings: FloatArray) -> FloatArray:
    """Per draw, the first month from which cumulative savings stay ≥ 0; NaN if never.

    The month one finds in the cumulative monthly savings, found from the last year back: a
    year that ends below zero ends the search at its last month. In a year where every group
    costs the same each month the cumulative saving moves in a straight line, so when the year
    ends at or above zero it dips below only if it starts below (a crossing: only those draws
    need their twelve months). Other years (the handover, one-offs, exchange-rate paths) look
    at every month of the draws still undecided.
    """
    years, size = yearly_savings.shape
    cumulative = running_total(yearly_savings)
    ends_below = cumulative < 0.0
    may_dip = ends_below.copy()
    may_dip[1:] |= ends_below[:-1]  # starts below: the previous year ended below
    may_dip[~_steady_years(saving_groups, years)] = True
    last = np.full(size, -1, dtype=np.intp)
    pending = np.ones(size, dtype=bool)
    for year in range(years - 1, -1, -1):
        here = pending & may_dip[year]
        if not here.any():
            continue
        below = here & ends_below[year]
        last[below] = 12 * year + 11
        pending &= ~below
        check = here & ~below
        rows = np.flatnonzero(check)
        if rows.size:
            every = rows.size == size  # slices instead of gathers
            before = cumulative[year - 1, check] if year else np.zeros(rows.size)
            found = _last_negative(saving_groups, year, slice(None) if every else rows, before)
            dips = rows[found >= 0]
            last[dips] = 12 * year + found[found >= 0]
            pending[dips] = False
    month = last + 2.0
    return np.where(last == 12 * years - 1, np.nan, month)


def savings_groups(status_quo: Sums, option: Sums) -> list[Group]:
    """The monthly saving as groups: today's cost, less what the option costs."""
    negated = [Group(-g.amount, g.profile, g.growth, g.exchange) for g in option.groups]
    return [*status_quo.groups, *negated]
