"""The contract's remedies for repeated breaches, and which of them a service level's record of
breaches calls for.

An engagement file lists the remedies its contract grants (``remedies:``), each with the clause
that grants it and the breaches that trigger it:

* ``after_breaches`` breached months of one service level of the kinds in ``applies_to``,
* counted ``consecutive``: in a row up to the month judged last (a met month starts the count
  again), or else within the ``within_months`` months ending with that month.

The usual ladder: an improvement plan after the first breach of a critical service level, an
escalation to a named level after two months in a row, withholding a share of the fees after
three, and a right to terminate after a number of breaches in twelve months. Months without a
verdict (no data, sample too small) neither count nor break a run: nothing was judged.
A remedy applies or not; proposing it is a decision for the people named in the contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sourcewise.governance.benefits import add_months
from sourcewise.governance.service_levels import ServiceLevel, ServiceLevelKind, Status

UNJUDGED = frozenset({Status.NO_DATA, Status.INSUFFICIENT_SAMPLE})


class RemedyKind(StrEnum):
    IMPROVEMENT_PLAN = "improvement_plan"
    ESCALATION = "escalation"
    FEE_WITHHOLDING = "fee_withholding"
    TERMINATION_RIGHT = "termination_right"


REMEDY_TEXT = {
    RemedyKind.IMPROVEMENT_PLAN: "Service improvement plan",
    RemedyKind.ESCALATION: "Escalation",
    RemedyKind.FEE_WITHHOLDING: "Fee withholding",
    RemedyKind.TERMINATION_RIGHT: "Right to terminate",
}


@dataclass(frozen=True, slots=True)
class Remedy:
    """One remedy of the contract and the clause that grants it."""

    kind: RemedyKind
    clause: str
    """Where the contract grants it, as the parties cite it (``MSA-2025-014 §14.2``)."""
    after_breaches: int
    consecutive: bool = False
    within_months: int = 12
    applies_to: tuple[ServiceLevelKind, ...] = (ServiceLevelKind.CRITICAL,)
    level: str | None = None
    """Who an escalation goes to (a named level of the escalation path)."""
    withhold_pct: Decimal | None = None
    """The share of the month's fees withheld."""
    note: str = ""

    def __post_init__(self) -> None:
        if self.after_breaches < 1:
            raise ValueError(f"after_breaches must be at least 1, got {self.after_breaches}")
        if not 1 <= self.within_months <= 36:
            raise ValueError(f"within_months must be 1 to 36, got {self.within_months}")
        if not self.applies_to:
            raise ValueError("applies_to needs at least one kind of service level")
        if self.kind is RemedyKind.ESCALATION and not self.level:
            raise ValueError("an escalation names the level it goes to (level)")
        if self.kind is RemedyKind.FEE_WITHHOLDING and not (
            self.withhold_pct is not None and 0 < self.withhold_pct <= 100
        ):
            raise ValueError("a fee withholding gives withhold_pct, more than 0 and at most 100")

    @property
    def title(self) -> str:
        """What the remedy is, in a line: "Escalation to the executive steering committee"."""
        text = REMEDY_TEXT[self.kind]
        if self.kind is RemedyKind.ESCALATION:
            return f"{text} to {self.level}"
        if self.kind is RemedyKind.FEE_WITHHOLDING:
            return f"{text} of {self.withhold_pct:f} % of the month's fees"
        return text

    @property
    def trigger(self) -> str:
        """The condition in words: "after 3 consecutive months of breach"."""
        months = "month" if self.after_breaches == 1 else "months"
        if self.consecutive:
            return f"after {self.after_breaches} consecutive {months} of breach"
        return f"after {self.after_breaches} {months} of breach within {self.within_months} months"


@dataclass(frozen=True, slots=True)
class ProposedRemedy:
    """A remedy a service level's breaches call for, with the months that count."""

    remedy: Remedy
    service_level: str
    breached_months: tuple[date, ...]
    as_of: date
    """The month judged last."""

    @property
    def record(self) -> str:
        """The breaches that count, in words: "breached 4 months in a row"."""
        n = len(self.breached_months)
        if self.remedy.consecutive:
            return f"breached {n} month{'s' * (n != 1)} in a row"
        return f"breached in {n} of the last {self.remedy.within_months} months"


def consecutive_breaches(history: Sequence[tuple[date, Status]]) -> tuple[date, ...]:
    """The breached months in a row ending with the last judged month (empty if it was met)."""
    run: list[date] = []
    for month, status in sorted(history, reverse=True):
        if status in UNJUDGED:
            continue
        if status is not Status.BREACH:
            break
        run.append(month)
    return tuple(sorted(run))


def breaches_within(
    history: Sequence[tuple[date, Status]], last: date, months: int
) -> tuple[date, ...]:
    """The breached months among the ``months`` ending with ``last``."""
    first = add_months(last.replace(day=1), -(months - 1))
    return tuple(
        sorted(m for m, s in history if s is Status.BREACH and first <= m <= last.replace(day=1))
    )


def counted_breaches(remedy: Remedy, history: Sequence[tuple[date, Status]]) -> tuple[date, ...]:
    """The months that count towards ``remedy`` (see the module docstring)."""
    judged = [(m, s) for m, s in history if s not in UNJUDGED]
    if not judged:
        return ()
    if remedy.consecutive:
        return consecutive_breaches(judged)
    return breaches_within(judged, max(m for m, _ in judged), remedy.within_months)


def propose_remedies(
    remedies: Sequence[Remedy],
    levels: Sequence[ServiceLevel],
    history: dict[str, list[tuple[date, Status]]],
) -> tuple[ProposedRemedy, ...]:
    """Every remedy each service level's history calls for, by service level then by the
    order of the file. ``history``: each level's monthly statuses (``services.sla``)."""
    proposed = []
    for level in levels:
        statuses = history.get(level.name, [])
        judged = [m for m, s in statuses if s not in UNJUDGED]
        if not judged:
            continue
        for remedy in remedies:
            if level.kind not in remedy.applies_to:
                continue
            months = counted_breaches(remedy, statuses)
            if len(months) >= remedy.after_breaches:
                proposed.append(ProposedRemedy(remedy, level.name, months, max(judged)))
    return tuple(proposed)
