"""What the contracts are worth and how much of it has been spent: the value is entered with
the contracts, the spend is the provider's fees recorded month by month (``costs add``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sourcewise.governance.records import Contract, ContractKind, MonthlyCost


def committed_value(contracts: Sequence[Contract]) -> Decimal | None:
    """The engagement's contract value: the total values stated, except a statement of work's
    whose master agreement states one (the master's value covers its statements of work).
    None when no contract states a value."""
    valued_masters = {
        c.reference
        for c in contracts
        if c.kind is ContractKind.MASTER_AGREEMENT and c.total_value is not None
    }
    values = [
        c.total_value
        for c in contracts
        if c.total_value is not None and c.parent not in valued_masters
    ]
    return sum(values, start=Decimal(0)) if values else None


def spend_to_date(costs: Iterable[MonthlyCost], today: date) -> Decimal:
    """The provider's fees recorded for the months up to ``today``'s."""
    month = today.replace(day=1)
    return sum((c.fees for c in costs if c.month <= month), start=Decimal(0))


@dataclass(frozen=True, slots=True)
class Spend:
    value: Decimal | None
    spent: Decimal

    @property
    def share(self) -> float | None:
        """The part of the value spent (0.25: a quarter; None without a value)."""
        if not self.value:
            return None
        return float(self.spent / self.value)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.value is None else self.value - self.spent


def spend(contracts: Sequence[Contract], costs: Iterable[MonthlyCost], today: date) -> Spend:
    return Spend(committed_value(contracts), spend_to_date(costs, today))
