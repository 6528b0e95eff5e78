"""Who does the work and where: the articles' 2×2 of sourcing arrangements.

Two independent questions decide the arrangement. *Who* employs the workers (own company or a
third party) decides whether it is outsourcing; *where* they work (home country or abroad)
decides whether it is offshoring. Classification is a pure function of those facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

NEARSHORE_MAX_GAP_HOURS = 3.0
"""Abroad but within this many hours of home time counts as nearshore (PRODUCT.md)."""


class Employer(StrEnum):
    """The legal employer of the people doing the work."""

    OWN = "own"
    THIRD_PARTY = "third_party"


class Arrangement(StrEnum):
    IN_HOUSE = "in-house"
    DOMESTIC_OUTSOURCING = "domestic outsourcing"
    CAPTIVE_OFFSHORING = "captive offshoring"
    OFFSHORE_OUTSOURCING = "offshore outsourcing"
    HYBRID = "hybrid"

    @property
    def is_outsourcing(self) -> bool:
        return self in (Arrangement.DOMESTIC_OUTSOURCING, Arrangement.OFFSHORE_OUTSOURCING)

    @property
    def is_offshoring(self) -> bool:
        return self in (Arrangement.CAPTIVE_OFFSHORING, Arrangement.OFFSHORE_OUTSOURCING)

    @property
    def cell(self) -> tuple[int, int]:
        """Row and column on the 2×2 (``GRID``): abroad or not, a third party or not. A hybrid
        spans cells: each of its parts has one."""
        if self is Arrangement.HYBRID:
            raise ValueError("a hybrid arrangement has no one cell: place each of its parts")
        return int(self.is_offshoring), int(self.is_outsourcing)


WHERE = ("home country", "another country")
"""The 2×2's rows: where the work is done."""
WHO = ("own staff", "third party")
"""The 2×2's columns: who employs the workers."""
GRID: tuple[tuple[Arrangement, Arrangement], tuple[Arrangement, Arrangement]] = (
    (Arrangement.IN_HOUSE, Arrangement.DOMESTIC_OUTSOURCING),
    (Arrangement.CAPTIVE_OFFSHORING, Arrangement.OFFSHORE_OUTSOURCING),
)
"""The articles' 2×2 by row (``WHERE``) and column (``WHO``); ``Arrangement.cell`` places each."""


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """The facts that decide an arrangement for one site doing (part of) a function.

    ``facility_owner`` is who owns the premises; it defaults to the employer. A third-party
    employer with ``transfer_month`` set is build-operate-transfer: the vendor builds and runs
    the centre, and it becomes the buyer's own captive centre in that month.
    ``timezone_gap_hours`` and ``neighbouring`` only matter abroad, to flag nearshore.
    """

    employer: Employer
    work_country: str
    home_country: str
    facility_owner: Employer | None = None
    transfer_month: int | None = None
    timezone_gap_hours: float | None = None
    neighbouring: bool = False

    @property
    def abroad(self) -> bool:
        return self.work_country.upper() != self.home_country.upper()


@dataclass(frozen=True, slots=True)
class Classification:
    arrangement: Arrangement
    reason: str
    nearshore: bool = False
    build_operate_transfer: bool = False
    becomes: Arrangement | None = None
    """For build-operate-transfer: the arrangement after the transfer."""
    parts: tuple[tuple[float, Classification], ...] = ()
    """For hybrid: (share of the work, classification) per part."""

    @property
    def label(self) -> str:
        """A short label such as 'offshore outsourcing (nearshore)'."""
        flags = [flag for flag, on in (("nearshore", self.nearshore),) if on]
        if self.build_operate_transfer:
            flags.append("build-operate-transfer")
        return f"{self.arrangement} ({', '.join(flags)})" if flags else str(self.arrangement)


def _base_arrangement(employer: Employer, abroad: bool) -> Arrangement:
    match (employer, abroad):
        case (Employer.OWN, False):
            return Arrangement.IN_HOUSE
        case (Employer.THIRD_PARTY, False):
            return Arrangement.DOMESTIC_OUTSOURCING
        case (Employer.OWN, True):
            return Arrangement.CAPTIVE_OFFSHORING
        case _:
            return Arrangement.OFFSHORE_OUTSOURCING


_REASONS = {
    Arrangement.IN_HOUSE: (
        "Your own staff do the work in {home}, so it is neither outsourced nor offshored: "
        "the in-house status quo."
    ),
    Arrangement.DOMESTIC_OUTSOURCING: (
        "A third-party provider's workers do the work inside {home}: outsourcing does not need "
        "to take place in a separate country to occur, so this is domestic (onshore) outsourcing."
    ),
    Arrangement.CAPTIVE_OFFSHORING: (
        "Your own employees do the work in {work}, outside {home}: activities handled by in-house "
        "employees abroad are offshoring without outsourcing, a captive centre."
    ),
    Arrangement.OFFSHORE_OUTSOURCING: (
        "A third-party provider's workers do the work in {work}, outside {home}: hiring a firm "
        "abroad means outsourcing and offshoring occur simultaneously, offshore outsourcing."
    ),
}


def is_nearshore(facts: SiteFacts) -> bool:
    """Abroad but close: a neighbouring country, or a small working-time gap."""
    if not facts.abroad:
        return False
    close_in_time = (
        facts.timezone_gap_hours is not None
        and abs(facts.timezone_gap_hours) <= NEARSHORE_MAX_GAP_HOURS
    )
    return facts.neighbouring or close_in_time


def classify(facts: SiteFacts) -> Classification:
    """Classify one site by who employs the workers and where they work."""
    arrangement = _base_arrangement(facts.employer, facts.abroad)
    reason = _REASONS[arrangement].format(home=facts.home_country, work=facts.work_country)
    nearshore = is_nearshore(facts)
    if nearshore:
        why = (
            "a neighbouring country"
            if facts.neighbouring
            else f"only {abs(facts.timezone_gap_hours or 0.0):g} h from home time"
        )
        reason += f" It is nearshore: {why}."
    if facts.facility_owner is not None and facts.facility_owner != facts.employer:
        owner = "you own" if facts.facility_owner is Employer.OWN else "a third party owns"
        reason += (
            f" The facility is one {owner}, but the legal employer of the workers decides who "
            "does the work."
        )
    if facts.transfer_month is not None and facts.employer is Employer.THIRD_PARTY:
        becomes = _base_arrangement(Employer.OWN, facts.abroad)
        reason += (
            f" Build-operate-transfer: the provider builds and runs it, and in month "
            f"{facts.transfer_month} it transfers to you and becomes {becomes}."
        )
        return Classification(arrangement, reason, nearshore, True, becomes)
    return Classification(arrangement, reason, nearshore)


def classify_split(parts: Sequence[tuple[float, SiteFacts]]) -> Classification:
    """Classify a function split across sites: hybrid unless every part is the same cell."""
    return combine_split([(share, classify(facts)) for share, facts in parts])


def combine_split(parts: Sequence[tuple[float, Classification]]) -> Classification:
    """The classification of a split from its parts' own, each site classified once."""
    if not parts:
        raise ValueError("a split needs at least one part")
    total = sum(share for share, _ in parts)
    # Written so that NaN fails: every comparison with NaN is False.
    if not (all(share > 0 for share, _ in parts) and abs(total - 1.0) <= 1e-6):
        raise ValueError(f"split shares must be positive and total 1, got {total:g}")
    classified = tuple(parts)
    kinds = {c.arrangement for _, c in classified}
    if len(kinds) == 1:
        single = classified[0][1]
        every_transfer = all(c.build_operate_transfer for _, c in classified)
        return Classification(
            single.arrangement,
            single.reason,
            nearshore=all(c.nearshore for _, c in classified),
            build_operate_transfer=every_transfer,
            becomes=single.becomes if every_transfer else None,
            parts=classified,
        )
    pieces = ", ".join(f"{share:.0%} {c.label}" for share, c in classified)
    reason = (
        f"The work is split across arrangements ({pieces}): a hybrid approach, blending "
        "outsourcing for specialized functions with offshoring for core operations."
    )
    return Classification(Arrangement.HYBRID, reason, parts=classified)
