"""Optimistic concurrency for edits: every editable record has a version, an edit names the
version it started from, and a stale one is refused with nothing written.

The version is a **content hash**: the SHA-256 of the record's canonical JSON (the same
``as_json`` form the audit log stores), not a counter column. Why:

- every writer changes it without knowing about it: a file loaded with ``--replace``, the
  CLI, another server or a future code path cannot forget to increment a column, so no
  change can slip past the check;
- it needs no column or migration per table (engagements, service levels, audits, meetings,
  risks and playbooks all get one), and the in-memory twin behaves exactly as SQL does;
- a version may cover just what a form shows (one service level, not the whole engagement),
  so two people editing different parts of one engagement do not block each other.

The known cost of hashing is the "ABA" case: a record changed from A to B and back to A
accepts an edit started from A. That overwrites nothing its author has not seen, which is
what the check is for. The check and the write happen in one unit of work begun
``for_writing`` that locks the engagement (``EngagementRepository.lock``), so two concurrent
saves of the same version cannot both pass.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sourcewise.services.governance_store import as_json
from sourcewise.storage.unit_of_work import UnitOfWork

VERSION_LENGTH = 32
"""Hex digits kept of the hash: 128 bits, ample against accidental equality."""


class StaleEditError(Exception):
    """The record changed after the editor loaded it; nothing was written."""

    def __init__(self, what: str, current: str, changed_by: str | None, at: datetime | None):
        self.what = what
        self.current = current
        self.changed_by = changed_by
        self.changed_at = at
        by = f" by {changed_by}" if changed_by else ""
        when = f" at {at:%Y-%m-%d %H:%M} UTC" if at else ""
        super().__init__(
            f"{what} was changed{by}{when} after you opened it, so your change was not saved "
            "(nothing was overwritten). Reload to see the current values and make your "
            "change again."
        )


def version_of(record: Any) -> str:
    """The record's version: a hash of its canonical JSON (keys sorted)."""
    text = json.dumps(as_json(record), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_LENGTH]


def normalise(given: str | None) -> str:
    """A version as a form or an ``If-Match`` header gives it: quotes and a weak ``W/``
    prefix removed."""
    text = (given or "").strip()
    text = text.removeprefix("W/")
    return text.strip('"')


def check_version(
    uow: UnitOfWork, record: Any, given: str, what: str, entity: str, key: str
) -> None:
    """``StaleEditError`` unless ``given`` is ``record``'s version; the error names who made
    the last logged change of (``entity``, ``key``), and when."""
    current = version_of(record)
    if normalise(given) == current:
        return
    last = next((e for e in uow.audit_log.entries(entity=entity, limit=200) if e.key == key), None)
    raise StaleEditError(what, current, last.actor if last else None, last.at if last else None)
