"""What a provider answers the client: its response to a month's service credit (acknowledged
or disputed, with a comment) and its answer to an audit finding of its engagement.

Responses are appended, never edited: the latest is the one in force and the earlier ones are
the history (who said what, when). A credit response records the credit it answered, so a
credit that changes later (late KPI data) shows that the answer was about another amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

MAX_COMMENT = 4000


class CreditVerdict(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    """The provider accepts the month's credit."""
    DISPUTED = "disputed"
    """The provider contests it; the comment says why."""


@dataclass(frozen=True, slots=True)
class CreditResponse:
    engagement: str
    month: date
    """The month of the credit (its first day)."""
    verdict: CreditVerdict
    comment: str
    amount: Decimal
    """The month's net credit when the provider answered, in ``currency``."""
    currency: str
    actor: str
    at: datetime
    id: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class FindingResponse:
    engagement: str
    audit_title: str
    audit_held_on: date
    reference: str
    """The finding's reference within its audit."""
    answer: str
    actor: str
    at: datetime
    id: int | None = field(default=None, compare=False)
