"""Service credits: what a provider owes for breached critical service levels, month by month.

Conventions:

* **At-risk amount**: ``at_risk_pct`` of the month's fees. Each critical service level carries
  an ``allocation_pct`` of it; allocations may total more than 100 % (a 250 % pool is common)
  because the monthly cap, not the pool, limits the total.
* **Credit line**: a breached critical service level owes at-risk × allocation × factor, the
  factor being 1, or min(1, shortfall / full_credit_shortfall) when the service level is
  prorated. Key measurements never produce lines.
* **Rounding**: every amount is computed in ``Decimal`` from the fees, without intermediate
  rounding, and rounded once, half up, to the currency's minor unit (babel's precision: 2 for
  EUR, 0 for JPY). Caps are rounded the same way and applied to sums of rounded lines.
* **Monthly cap**: ``monthly_cap_pct`` of the month's fees, or the at-risk amount when None.
* **Annual cap**: ``annual_cap_pct`` of the fees invoiced so far in the contract year (this
  month included). A month gets at most the headroom left under it: once the credits granted
  reach the cap, each later month of that year gets at most ``annual_cap_pct`` of its own
  fees (0 when it has none), marked "contract year". Contract years run from the month
  containing ``contract_start``. Earn-back does not restore headroom: the cap bounds credits
  granted, not credits kept.
* **Month-count cap**: credits in at most ``max_credit_months`` months of any contract year
  (the clause "service credits are payable in respect of no more than 4 months in any contract
  year"). It applies after both money caps: a month counts when it is granted a credit, that
  is when its credit after the monthly and annual caps is above 0; a month without a breach,
  or whose credit the money caps leave at 0, does not use one up. The first
  ``max_credit_months`` such months of a contract year, in calendar order, keep their credit;
  in each later month of that year with a credit due, the credit is waived: ``credit`` is 0,
  ``waived`` is what the money caps would have granted, and ``credit_months`` lists the months
  that used the allowance up. A waived credit is not granted, so it takes no annual headroom.
  Contract years are the annual cap's; earn-back does not give a month back (the cap bounds
  the months credits are granted in, not those they are kept in).
* ``capped_by`` names the cap that set the month's credit: "month count" when the month-count
  cap waived it, else "contract year" when the annual headroom was the lower limit, else
  "month" when the monthly cap was, else None.
* **Pro rata shares**: a capped credit is split over the month's lines in proportion to their
  amounts, each share rounded down to the minor unit and the remaining minor units given to the
  lines with the largest remainders (earliest line first on ties), so the shares sum exactly to
  the credit. A line's share is what was actually credited for it.
* **Earn-back**: the credited share of a line for service level s in month m is returned to
  the provider, in full, in month m + n when s meets its target in every month m + 1 … m + n
  (n = ``earn_back_months``). A month in that span without a met result for s (breach, no
  data, insufficient sample) makes the credit final; past the last month given it is pending.
* Only the months given are known: pass the contract's history from a contract-year start so
  that the annual and month-count caps see the year's fees and credits, and earn-back sees the
  months after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from itertools import pairwise

from babel.numbers import get_currency_precision, is_currency

from sourcewise.governance.service_levels import (
    ServiceLevel,
    ServiceLevelKind,
    Status,
    WindowResult,
)

__all__ = [
    "CONTRACT_YEAR",
    "MONTH",
    "MONTH_COUNT",
    "CreditLine",
    "CreditTerms",
    "MonthCredits",
    "MonthInput",
    "assess_credits",
    "at_risk_amount",
    "minor_unit",
]

MONTH = "month"
CONTRACT_YEAR = "contract year"
MONTH_COUNT = "month count"

_HUNDRED = Decimal(100)
_WARNINGS = (Status.WARNING_50, Status.WARNING_75)


def _check_pct(value: object, name: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise ValueError(f"{name} must be a positive Decimal percentage, got {value!r}")


@dataclass(frozen=True, slots=True)
class CreditTerms:
    """A contract's service-credit regime; percentages are of fees (12 means 12 %)."""

    at_risk_pct: Decimal
    currency: str
    contract_start: date
    monthly_cap_pct: Decimal | None = None
    annual_cap_pct: Decimal | None = None
    max_credit_months: int | None = None
    """Credits in at most this many months of any contract year (1 to 12); None: no limit."""

    def __post_init__(self) -> None:
        _check_pct(self.at_risk_pct, "at_risk_pct")
        if self.at_risk_pct > _HUNDRED:
            raise ValueError(f"at_risk_pct must be ≤ 100, got {self.at_risk_pct}")
        _check_pct(self.monthly_cap_pct, "monthly_cap_pct", optional=True)
        _check_pct(self.annual_cap_pct, "annual_cap_pct", optional=True)
        months = self.max_credit_months
        if months is not None and (
            not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 12
        ):
            raise ValueError(f"max_credit_months must be a whole number 1 to 12, got {months!r}")
        currency = self.currency
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isupper():
            raise ValueError(f"currency must be an ISO 4217 code, got {currency!r}")
        if not is_currency(currency):
            raise ValueError(f"currency {currency!r} is not a known ISO 4217 code")
        if not isinstance(self.contract_start, date):
            raise ValueError(f"contract_start must be a date, got {self.contract_start!r}")


@dataclass(frozen=True, slots=True)
class MonthInput:
    """One month to assess: its first day, its fees and its service-level results."""

    month: date
    fees: Decimal
    results: Sequence[WindowResult]

    def __post_init__(self) -> None:
        if not isinstance(self.month, date) or self.month.day != 1:
            raise ValueError(f"month must be the first day of a month, got {self.month!r}")
        if not isinstance(self.fees, Decimal) or not self.fees.is_finite() or self.fees < 0:
            raise ValueError(f"fees must be a Decimal ≥ 0, got {self.fees!r}")
        object.__setattr__(self, "results", tuple(self.results))


@dataclass(frozen=True, slots=True)
class CreditLine:
    """The credit one breached critical service level owes for one month.

    ``amount`` is before caps; ``credited`` is the line's pro rata share of the month's credit
    after caps, which is what an earn-back returns.
    """

    service_level: str
    month: date
    status: Status
    allocation_pct: Decimal
    factor: Decimal
    amount: Decimal
    credited: Decimal


@dataclass(frozen=True, slots=True)
class MonthCredits:
    """A month's service credits: assessed, capped, earned back and net; plus its warnings.

    ``returned`` lists the earlier lines whose credit is earned back this month. ``waived`` is
    the credit the month-count cap took away (after the money caps), and ``credit_months`` the
    months of the contract year granted a credit so far, this one included when it was: for a
    waived month, the months that used the allowance up.
    """

    month: date
    fees: Decimal
    at_risk: Decimal
    lines: tuple[CreditLine, ...]
    assessed: Decimal
    capped_by: str | None
    credit: Decimal
    earned_back: Decimal
    net: Decimal
    warnings: tuple[WindowResult, ...]
    returned: tuple[CreditLine, ...] = field(default=())
    waived: Decimal = Decimal(0)
    credit_months: tuple[date, ...] = ()


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest amount: Decimal("0.01") for EUR, Decimal("1") for JPY."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def _money(amount: Decimal, quantum: Decimal) -> Decimal:
    return amount.quantize(quantum, rounding=ROUND_HALF_UP)


def at_risk_amount(terms: CreditTerms, fees: Decimal) -> Decimal:
    """The month's at-risk amount: ``at_risk_pct`` of ``fees``, rounded to the minor unit."""
    return _money(fees * terms.at_risk_pct / _HUNDRED, minor_unit(terms.currency))


def _month_index(month: date) -> int:
    return 12 * month.year + month.month - 1


def _contract_year(terms: CreditTerms, month: date) -> int:
    offset = _month_index(month) - _month_index(terms.contract_start)
    if offset < 0:
        raise ValueError(f"months must not start before contract_start ({terms.contract_start})")
    return offset // 12


def _factor(result: WindowResult) -> Decimal:
    level = result.service_level
    if not level.prorated or level.full_credit_shortfall is None:
        return Decimal(1)
    ratio = Decimal(str(result.shortfall)) / Decimal(str(level.full_credit_shortfall))
    return min(Decimal(1), ratio)


def _money_caps(
    assessed: Decimal, monthly_cap: Decimal, headroom: Decimal | None
) -> tuple[Decimal, str | None]:
    """The monthly cap, then the annual headroom (None: no annual cap); and which one bit."""
    credit, capped_by = assessed, None
    if credit > monthly_cap:
        credit, capped_by = monthly_cap, MONTH
    if headroom is not None and credit > headroom:
        # A credit already granted is never clawed back: headroom floors at 0.
        credit, capped_by = max(headroom, Decimal(0)), CONTRACT_YEAR
    return credit, capped_by


def _month_count_cap(terms: CreditTerms, credit: Decimal, months_credited: int) -> bool:
    """Whether a month's credit, after the money caps, is waived because ``months_credited``
    earlier months of its contract year were granted one and the contract allows no more."""
    limit = terms.max_credit_months
    return credit > 0 and limit is not None and months_credited >= limit


def _shares(amounts: Sequence[Decimal], total: Decimal, quantum: Decimal) -> list[Decimal]:
    """Split ``total`` over ``amounts`` pro rata by largest remainder, in whole minor units."""
    assessed = sum(amounts, Decimal(0))
    if total == assessed or not assessed:
        return list(amounts)
    exact = [amount * total / assessed for amount in amounts]
    floors = [share.quantize(quantum, rounding=ROUND_DOWN) for share in exact]
    spare = int((total - sum(floors, Decimal(0))) / quantum)
    # Largest remainder first; Python's sort is stable, so ties keep line order.
    order = sorted(range(len(amounts)), key=lambda i: exact[i] - floors[i], reverse=True)
    for i in order[:spare]:
        floors[i] += quantum
    return floors


def _check_months(months: Sequence[MonthInput], levels: dict[str, ServiceLevel]) -> None:
    for previous, current in pairwise(months):
        if _month_index(current.month) != _month_index(previous.month) + 1:
            raise ValueError(
                f"months must be consecutive and sorted: {current.month} follows {previous.month}"
            )
    for month in months:
        seen: set[str] = set()
        for result in month.results:
            name = result.service_level.name
            if levels.get(name) != result.service_level:
                raise ValueError(
                    f"results for {month.month}: service level {name!r} is not one of "
                    "service_levels (or its definition differs)"
                )
            if name in seen:
                raise ValueError(f"results for {month.month}: {name!r} appears twice")
            seen.add(name)


def _met_by_month(months: Sequence[MonthInput]) -> list[frozenset[str]]:
    return [frozenset(r.service_level.name for r in m.results if r.met) for m in months]


def assess_credits(
    terms: CreditTerms,
    months: Sequence[MonthInput],
    service_levels: Sequence[ServiceLevel],
) -> tuple[MonthCredits, ...]:
    """Assess service credits month by month, with caps and earn-back (see module docstring).

    ``months`` must be consecutive and sorted; each month's results must be for service levels
    in ``service_levels`` (equal definitions), at most one result per service level.
    """
    levels = {level.name: level for level in service_levels}
    if len(levels) != len(service_levels):
        raise ValueError("service_levels must have unique names")
    _check_months(months, levels)
    quantum = minor_unit(terms.currency)
    met = _met_by_month(months)

    assessed_months: list[MonthCredits] = []
    returns: list[list[CreditLine]] = [[] for _ in months]
    year: int | None = None
    year_fees = year_credit = Decimal(0)
    year_months: tuple[date, ...] = ()
    for index, month in enumerate(months):
        if (contract_year := _contract_year(terms, month.month)) != year:
            year, year_fees, year_credit, year_months = contract_year, Decimal(0), Decimal(0), ()
        year_fees += month.fees

        breached = [
            r
            for r in month.results
            if r.status is Status.BREACH and r.service_level.kind is ServiceLevelKind.CRITICAL
        ]
        amounts = [
            _money(
                month.fees
                * terms.at_risk_pct
                / _HUNDRED
                * r.service_level.allocation_pct
                / _HUNDRED
                * _factor(r),
                quantum,
            )
            for r in breached
        ]
        assessed = sum(amounts, Decimal(0))
        at_risk = at_risk_amount(terms, month.fees)
        monthly_cap = (
            at_risk
            if terms.monthly_cap_pct is None
            else _money(month.fees * terms.monthly_cap_pct / _HUNDRED, quantum)
        )
        headroom = (
            None
            if terms.annual_cap_pct is None
            else _money(year_fees * terms.annual_cap_pct / _HUNDRED, quantum) - year_credit
        )
        credit, capped_by = _money_caps(assessed, monthly_cap, headroom)
        waived = Decimal(0)
        if _month_count_cap(terms, credit, len(year_months)):
            credit, waived, capped_by = Decimal(0), credit, MONTH_COUNT
        elif credit > 0:
            year_months += (month.month,)
        year_credit += credit

        lines = tuple(
            CreditLine(
                service_level=r.service_level.name,
                month=month.month,
                status=r.status,
                allocation_pct=r.service_level.allocation_pct,
                factor=_factor(r),
                amount=amount,
                credited=share,
            )
            for r, amount, share in zip(
                breached, amounts, _shares(amounts, credit, quantum), strict=True
            )
        )
        for line in lines:
            span = levels[line.service_level].earn_back_months
            due = index + span
            if not (span and line.credited and due < len(months)):
                continue  # no earn-back, nothing credited, or still pending at the end
            if all(line.service_level in met[i] for i in range(index + 1, due + 1)):
                returns[due].append(line)

        assessed_months.append(
            MonthCredits(
                month=month.month,
                fees=month.fees,
                at_risk=at_risk,
                lines=lines,
                assessed=assessed,
                capped_by=capped_by,
                credit=credit,
                earned_back=Decimal(0),
                net=credit,
                warnings=tuple(r for r in month.results if r.status in _WARNINGS),
                waived=waived,
                credit_months=year_months,
            )
        )

    return tuple(_with_returns(m, tuple(r)) for m, r in zip(assessed_months, returns, strict=True))


def _with_returns(month: MonthCredits, returned: tuple[CreditLine, ...]) -> MonthCredits:
    if not returned:
        return month
    earned_back = sum((line.credited for line in returned), Decimal(0))
    return replace(
        month, earned_back=earned_back, net=month.credit - earned_back, returned=returned
    )
