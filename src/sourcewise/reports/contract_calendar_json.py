"""The contract calendar and an engagement's contract outlook as JSON-able data (money as exact
decimal strings, dates in ISO 8601)."""

from __future__ import annotations

from typing import Any

from sourcewise.governance.contract_calendar import Deadline
from sourcewise.reports.governance_json import money
from sourcewise.services.contract_calendar import ContractCalendar, ContractOutlook


def calendar_json(calendar: ContractCalendar) -> dict[str, Any]:
    return {
        "from": calendar.first.isoformat(),
        "to": calendar.last.isoformat(),
        "today": calendar.today.isoformat(),
        "lead_days": calendar.lead_days,
        "dates": [
            {
                "date": e.due.on.isoformat(),
                "kind": e.due.kind.value,
                "state": e.state.value,
                "engagement": e.due.engagement,
                "provider": e.provider,
                "contract": e.due.contract,
                "title": e.due.title,
                "summary": e.due.summary,
                "term_end": None if e.due.term_end is None else e.due.term_end.isoformat(),
                "decision": None if e.due.decision is None else e.due.decision.value,
            }
            for e in calendar.entries
        ],
    }


def _deadline(deadline: Deadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "date": deadline.on.isoformat(),
        "contract": deadline.contract,
        "overdue": deadline.overdue,
    }


def outlook_json(outlook: ContractOutlook) -> dict[str, Any]:
    spend = outlook.spend
    return {
        "contract_end": _deadline(outlook.end),
        "notice_deadline": _deadline(outlook.notice),
        "contract_value": money(spend.value),
        "spend_to_date": money(spend.spent),
        "spent_share": spend.share,
    }
