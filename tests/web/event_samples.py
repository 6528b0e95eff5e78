"""Monitoring events for the web tests: one each user may see on the own engagement, and two
a provider's user must never be shown (a risk trigger, the other provider's breach)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from api_samples import HIDDEN_FROM_PROVIDERS, OTHER, OWN

from sourcewise.governance.alerts import Condition, EventKind, Severity
from sourcewise.services.monitor_events import record_conditions
from sourcewise.storage.memory import MemoryUnitOfWork

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
_runs = itertools.count(1)


def seed_events(store: MemoryUnitOfWork, *_: object) -> dict[str, str]:
    """Three new events (new keys on every call); gives the shared one's id as ``event_id``."""
    n = next(_runs)
    risk = HIDDEN_FROM_PROVIDERS["risks"][0]
    conditions = [
        Condition(EventKind.SLA_BREACH, Severity.CRITICAL, OWN, f"Availability {n}", "2026-10",
                  f"Availability {n} breached"),
        Condition(EventKind.RISK_TRIGGER, Severity.CRITICAL, OWN, f"R-001 {n}", "",
                  f"Risk R-001 ({risk}) fired"),
        Condition(EventKind.SLA_BREACH, Severity.CRITICAL, OTHER, f"Availability {n}", "2026-10",
                  f"Other BPO breached on {OTHER}"),
    ]  # fmt: skip
    outcome = record_conditions(lambda: store, conditions, set(), NOW)
    return {"event_id": str(outcome.new[0].id)}
