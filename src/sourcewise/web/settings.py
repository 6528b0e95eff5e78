"""Settings of the web application, from arguments or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class WebSettings:
    database_url: str | None = None
    """None: ``SOURCEWISE_DATABASE_URL`` or the default SQLite file (see storage.database)."""
    secure_cookies: bool = False
    """Mark cookies Secure and send HSTS: set when served over https (``--https``)."""
    max_upload_bytes: int = 20 * MIB
    session_lifetime: timedelta = timedelta(hours=8)
    page_size: int = 50
    max_page_size: int = 500
    job_workers: int = 2
    """Threads running background decisions and simulations."""
    max_jobs: int = 8
    """Background jobs queued or running at once, in all."""
    max_jobs_per_user: int = 2
    """Background jobs one user may have queued or running at once."""
    trusted_origins: tuple[str, ...] = ()
    """Origins (``https://sourcewise.example``) besides the one a request was sent to that
    forms may be posted from: a proxy in front that changes the host name."""

    @classmethod
    def from_environment(cls, database_url: str | None = None) -> WebSettings:
        secure = os.environ.get("SOURCEWISE_SECURE_COOKIES", "") in ("1", "true", "yes")
        limit = os.environ.get("SOURCEWISE_MAX_UPLOAD_MIB")
        origins = os.environ.get("SOURCEWISE_TRUSTED_ORIGINS", "")
        return cls(
            database_url=database_url,
            secure_cookies=secure,
            max_upload_bytes=int(limit) * MIB if limit else 20 * MIB,
            trusted_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        )
