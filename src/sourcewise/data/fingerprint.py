"""The version of the packaged reference data: a digest of every file a decision reads.

A decision run records it beside the software version, so that a run can be told apart from
one made on other data (a rebuilt indicator snapshot, new exchange rates) even when the
software version did not change.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

FILES = (
    "countries.csv",
    "indicators.csv",
    "fx_monthly.csv",
    "eu_gdpr_transfer_regime.csv",
    "sources.csv",
)


@cache
def data_version() -> str:
    """``data-`` and the first 16 hex digits of a SHA-256 over the packaged data files."""
    digest = hashlib.sha256()
    folder = resources.files("sourcewise.data")
    for name in FILES:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update(folder.joinpath(name).read_bytes())
    return f"data-{digest.hexdigest()[:16]}"
