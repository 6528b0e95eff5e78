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
    """Threads of this server running background decisions and simulations; 0: only separate
    ``sourcewise worker`` processes run them (``SOURCEWISE_JOB_WORKERS``)."""
    max_jobs: int = 8
    """Background jobs queued or running at once, in all."""
    max_jobs_per_user: int = 2
    """Background jobs one user may have queued or running at once."""
    trusted_origins: tuple[str, ...] = ()
    """Origins (``https://sourcewise.example``) besides the one a request was sent to that
    forms may be posted from: a proxy in front that changes the host name."""
    db_pool_size: int = 5
    """Connections to the database each server process keeps open (``SOURCEWISE_DB_POOL_SIZE``);
    up to 10 more are opened at a peak."""
    monitor_every: timedelta | None = None
    """Run the monitoring of every engagement this often (``SOURCEWISE_MONITOR_EVERY_MINUTES``);
    None: only cron or a timer runs it (``sourcewise monitor run --all``)."""

    @classmethod
    def from_environment(cls, database_url: str | None = None) -> WebSettings:
        secure = os.environ.get("SOURCEWISE_SECURE_COOKIES", "") in ("1", "true", "yes")
        limit = os.environ.get("SOURCEWISE_MAX_UPLOAD_MIB")
        origins = os.environ.get("SOURCEWISE_TRUSTED_ORIGINS", "")
        workers = os.environ.get("SOURCEWISE_JOB_WORKERS")
        pool = os.environ.get("SOURCEWISE_DB_POOL_SIZE")
        every = os.environ.get("SOURCEWISE_MONITOR_EVERY_MINUTES")
        return cls(
            database_url=database_url,
            secure_cookies=secure,
            max_upload_bytes=int(limit) * MIB if limit else 20 * MIB,
            trusted_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
            job_workers=int(workers) if workers else 2,
            db_pool_size=int(pool) if pool else 5,
            monitor_every=timedelta(minutes=float(every)) if every and float(every) else None,
        )

    def to_environment(self) -> dict[str, str]:
        """The variables from which ``from_environment`` gives these settings back (those a
        command sets: the database, Secure cookies, job threads, pool size and the monitoring
        schedule), for the
        server's worker processes."""
        found = {
            "SOURCEWISE_SECURE_COOKIES": "1" if self.secure_cookies else "0",
            "SOURCEWISE_JOB_WORKERS": str(self.job_workers),
            "SOURCEWISE_DB_POOL_SIZE": str(self.db_pool_size),
        }
        if self.database_url:
            found["SOURCEWISE_DATABASE_URL"] = self.database_url
        if self.monitor_every is not None:
            minutes = self.monitor_every.total_seconds() / 60
            found["SOURCEWISE_MONITOR_EVERY_MINUTES"] = f"{minutes:g}"
        return found
