"""Named read queries: what the pages, the API and the CLI display, each in one unit of work.

The entrypoints read the governance store through these (never through a repository), so a
query has one name and one place to change; writes go through the use-case services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sourcewise.governance.benefits import add_months
from sourcewise.governance.kpis import BUILT_IN_KPIS, KpiDefinition
from sourcewise.governance.records import AuditLogEntry, Engagement, Measurement, Pilot
from sourcewise.security.users import ApiToken, User
from sourcewise.services.governance_store import UowFactory
from sourcewise.services.kpi_ingest import catalogue


def engagement(make_uow: UowFactory, name: str) -> Engagement | None:
    """The engagement named ``name``, if there is one."""
    with make_uow() as uow:
        return uow.engagements.get(name)


def engagements(make_uow: UowFactory) -> list[Engagement]:
    """Every engagement, by name."""
    with make_uow() as uow:
        return uow.engagements.all()


def engagements_with_counts(make_uow: UowFactory) -> list[tuple[Engagement, int]]:
    """Every engagement with how many measurements are stored for it."""
    with make_uow() as uow:
        return [(e, uow.measurements.count(e.name)) for e in uow.engagements.all()]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    kpi: KpiDefinition
    origin: str
    """``built-in`` or ``user`` (defined with ``sourcewise kpi add``)."""


def kpi_catalogue(make_uow: UowFactory) -> list[CatalogueEntry]:
    """The KPI catalogue: the built-in definitions, then the users' own."""
    with make_uow() as uow:
        own = uow.kpis.all()
    return [CatalogueEntry(k, "built-in") for k in BUILT_IN_KPIS.values()] + [
        CatalogueEntry(k, "user") for k in own
    ]


def measured_kpis(make_uow: UowFactory, engagement: str) -> list[str]:
    """The KPI codes measured for ``engagement``, sorted."""
    with make_uow() as uow:
        return uow.measurements.kpis(engagement)


def kpi_measurements(
    make_uow: UowFactory,
    engagement: str,
    kpi: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[Measurement]:
    """One KPI's measurements with ``start <= period < end``, by period then series."""
    with make_uow() as uow:
        return uow.measurements.series(engagement, kpi, start, end)


def measured_series(
    make_uow: UowFactory, engagement: str
) -> tuple[dict[str, KpiDefinition], dict[str, list[Measurement]]]:
    """Every KPI the engagement's measurements may name, and each measured KPI's series."""
    with make_uow() as uow:
        definitions = catalogue(uow)
        measured = {
            code: uow.measurements.series(engagement, code)
            for code in uow.measurements.kpis(engagement)
        }
    return definitions, measured


def is_measured(make_uow: UowFactory, engagement: str) -> bool:
    """Whether any KPI of the engagement has a measurement yet."""
    with make_uow() as uow:
        return bool(uow.measurements.kpis(engagement))


def latest_measured_month(make_uow: UowFactory, engagement: Engagement, today: date) -> date:
    """The latest month with a measurement of a service level's metric (or any KPI); the
    engagement's first month when nothing is measured. Looks back in growing steps, so
    recent data costs small queries."""
    first = engagement.start.replace(day=1)
    this_month = today.replace(day=1)
    with make_uow() as uow:
        metrics = sorted({s.metric for s in engagement.service_levels})
        metrics = metrics or uow.measurements.kpis(engagement.name)
        for back in (1, 3, 12, 36, None):
            start = None if back is None else _utc(add_months(this_month, 1 - back))
            found = [
                s[-1].period
                for metric in metrics
                if (s := uow.measurements.series(engagement.name, metric, start))
            ]
            if found:
                return max(first, max(found).date().replace(day=1))
    return first


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def pilots(make_uow: UowFactory, engagement: str) -> list[Pilot]:
    """The engagement's pilots as stored, with their criteria."""
    with make_uow() as uow:
        return uow.records.pilots(engagement)


def audit_log(
    make_uow: UowFactory, entity: str | None = None, since: date | None = None, limit: int = 50
) -> list[AuditLogEntry]:
    """The newest ``limit`` changes (of ``entity`` records, on or after ``since``), newest
    first."""
    with make_uow() as uow:
        return uow.audit_log.entries(entity=entity, since=since, limit=limit)


def tokens(make_uow: UowFactory, username: str) -> list[ApiToken]:
    """The user's API tokens (never their values)."""
    with make_uow() as uow:
        return uow.accounts.tokens(username)


def users_with_tokens(make_uow: UowFactory) -> list[tuple[User, list[ApiToken]]]:
    """Every user with their API tokens."""
    with make_uow() as uow:
        return [(u, uow.accounts.tokens(u.username)) for u in uow.accounts.users()]
