"""The contract's remedies an engagement's repeated breaches call for, as of a month: each
service level's monthly results (``services.sla``) against the remedies of the engagement's
file (``governance.remedies``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sourcewise.governance.remedies import ProposedRemedy, Remedy, propose_remedies
from sourcewise.services.engagements import engagement_or_error
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.sla import sla_report, status_history


@dataclass(frozen=True, slots=True)
class RemedyReport:
    engagement: str
    month: date
    """The last month judged."""
    remedies: tuple[Remedy, ...]
    """Every remedy the contract grants (from the engagement's file)."""
    proposed: tuple[ProposedRemedy, ...]


def remedy_report(make_uow: UowFactory, engagement: str, month: date) -> RemedyReport:
    """The remedies the breaches up to ``month`` call for (none before the engagement
    started, or without remedies in its file)."""
    found = engagement_or_error(make_uow, engagement)
    month = month.replace(day=1)
    if not found.remedies or month < found.start.replace(day=1):
        return RemedyReport(found.name, month, found.remedies, ())
    history = status_history(sla_report(make_uow, found.name, month))
    proposed = propose_remedies(found.remedies, found.service_levels, history)
    return RemedyReport(found.name, month, found.remedies, proposed)
