"""What the services may ask of storage: one repository per aggregate, the same for the SQL
implementation and its in-memory twin (``tests`` run the same contract tests on both)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sourcewise.governance.alerts import (
    Delivery,
    DeliveryStatus,
    EventState,
    MonitorEvent,
    ScheduledRun,
    Subscription,
)
from sourcewise.governance.benefits import PlannedMonth
from sourcewise.governance.corrective_actions import CorrectiveActionPlan, PlanState
from sourcewise.governance.kpis import KpiDefinition
from sourcewise.governance.playbook import PlaybookRecord
from sourcewise.governance.records import (
    Audit,
    AuditLogEntry,
    Engagement,
    Measurement,
    Meeting,
    MonthlyCost,
    Pilot,
    Provider,
    Survey,
)
from sourcewise.governance.responses import CreditResponse, FindingResponse
from sourcewise.governance.risks import Risk, RiskChange
from sourcewise.security.users import ApiToken, User, WebSession
from sourcewise.workspace.jobs import Job, JobLimits
from sourcewise.workspace.records import (
    DecisionRun,
    EngagementCase,
    Review,
    RunStatus,
    SavedScenario,
    ScenarioVersion,
    Visibility,
)

MAX_REPORTED_CONFLICTS = 1000
"""Conflicting rows beyond this many are counted, not listed."""


class DuplicateError(ValueError):
    """A record with the same natural key exists already."""


class NotFoundError(LookupError):
    """No record with that key."""


@dataclass(frozen=True, slots=True)
class Conflict:
    row: str
    """Where the row sits in its file (``line 12``, ``Sheet!row 5``, ``item 3``)."""
    message: str


@dataclass(slots=True)
class IngestOutcome:
    inserted: int = 0
    unchanged: int = 0
    replaced: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_count: int = 0

    def conflict(self, row: str, message: str) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < MAX_REPORTED_CONFLICTS:
            self.conflicts.append(Conflict(row, message))


StagedRow = tuple[str, Measurement]
"""A measurement and where it sits in its file."""


@dataclass(frozen=True, slots=True)
class StagedBatch:
    """Measurements to load, column by column (a million rows need no object each), with
    ``refs``: where each sits in its file (digits for a line)."""

    refs: Sequence[str]
    engagements: Sequence[str]
    kpis: Sequence[str]
    periods: Sequence[datetime]
    series: Sequence[str]
    values: Sequence[float]
    sample_sizes: Sequence[int | None]

    @classmethod
    def of(cls, rows: Iterable[StagedRow]) -> StagedBatch:
        staged = list(rows)
        found = [m for _, m in staged]
        return cls(
            [ref for ref, _ in staged],
            [m.engagement for m in found],
            [m.kpi for m in found],
            [m.period for m in found],
            [m.series for m in found],
            [m.value for m in found],
            [m.sample_size for m in found],
        )

    def __len__(self) -> int:
        return len(self.refs)

    def rows(self) -> Iterator[StagedRow]:
        columns = (self.engagements, self.kpis, self.periods, self.series)
        for ref, engagement, kpi, period, series, value, sample_size in zip(
            self.refs, *columns, self.values, self.sample_sizes, strict=True
        ):
            yield ref, Measurement(engagement, kpi, period, value, sample_size, series)


Staged = StagedBatch | Sequence[StagedRow]
"""A batch to ingest: columns (a file's load), or a few rows as pairs (a test, a form)."""


def as_batch(staged: Staged) -> StagedBatch:
    return staged if isinstance(staged, StagedBatch) else StagedBatch.of(staged)


def same_values(a: Measurement, b: Measurement) -> bool:
    """Two measurements of one natural key that say the same thing."""
    return a.value == b.value and a.sample_size == b.sample_size


def _value(m: Measurement) -> tuple[str, str]:
    sample = f" (sample {m.sample_size})" if m.sample_size is not None else ""
    return f"{m.kpi} for {m.period:%Y-%m-%d %H:%M}", f"{m.value:g}{sample}"


def stored_conflict(stored: Measurement) -> str:
    """Why a row that contradicts a stored measurement is refused."""
    what, value = _value(stored)
    return f"{what} is already recorded as {value}; load it with --replace to correct it"


def in_file_conflict(earlier: Measurement, row: str = "") -> str:
    """Why a row that contradicts an earlier row of its file (at ``row``, if known) is refused."""
    what, value = _value(earlier)
    where = f" (line {row})" if row.isdigit() else f" ({row})" if row else ""
    return f"{what} was given as {value} earlier in the file{where}"


class EngagementRepository(ABC):
    @abstractmethod
    def add_provider(self, provider: Provider) -> None: ...
    @abstractmethod
    def get_provider(self, name: str) -> Provider | None: ...
    @abstractmethod
    def providers(self) -> list[Provider]: ...
    @abstractmethod
    def add(self, engagement: Engagement) -> None:
        """Add with its contracts and service levels; ``DuplicateError`` if the name is taken."""

    @abstractmethod
    def replace(self, engagement: Engagement) -> None:
        """Replace an engagement's definition, keeping its measurements and other records."""

    @abstractmethod
    def get(self, name: str) -> Engagement | None: ...
    @abstractmethod
    def all(self) -> list[Engagement]: ...
    @abstractmethod
    def lock(self, name: str) -> None:
        """Hold the engagement until the unit ends, so that an edit of it or of its records
        checks the version and writes with no concurrent edit in between (a row lock on
        PostgreSQL; SQLite's writer lock comes from ``for_writing``). ``NotFoundError`` if
        there is no such engagement."""


class KpiRepository(ABC):
    """User-defined KPIs; the built-in catalogue lives in the domain."""

    @abstractmethod
    def put(self, definition: KpiDefinition) -> None: ...
    @abstractmethod
    def all(self) -> list[KpiDefinition]: ...


class MeasurementRepository(ABC):
    @abstractmethod
    def ingest(self, batches: Iterable[Staged], replace: bool) -> IngestOutcome:
        """Insert rows whose natural key is new; an identical row already stored is unchanged.

        A row that contradicts a stored one (another value or sample size) is a conflict, or
        with ``replace`` overwrites it; a row that contradicts an earlier row of the same file
        is always a conflict. Nothing is committed here: the caller rolls back on conflicts.
        """

    @abstractmethod
    def series(
        self, engagement: str, kpi: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[Measurement]:
        """Measurements with ``start <= period < end``, by period then series."""

    @abstractmethod
    def kpis(self, engagement: str) -> list[str]:
        """The KPI codes measured for ``engagement``, sorted."""

    @abstractmethod
    def count(self, engagement: str | None = None) -> int: ...


class LedgerRepository(ABC):
    """Actual monthly costs and the business case's planned months."""

    @abstractmethod
    def put_costs(self, costs: Sequence[MonthlyCost]) -> None:
        """Insert or overwrite by (engagement, month)."""

    @abstractmethod
    def costs(self, engagement: str) -> list[MonthlyCost]: ...
    @abstractmethod
    def put_plan(self, engagement: str, months: Sequence[PlannedMonth]) -> None:
        """Replace the engagement's plan."""

    @abstractmethod
    def plan(self, engagement: str) -> list[PlannedMonth]: ...


class RiskRepository(ABC):
    @abstractmethod
    def add(self, risk: Risk) -> None: ...
    @abstractmethod
    def update(self, risk: Risk, changes: Sequence[RiskChange]) -> None:
        """Store the new state and append its changes to the risk's history."""

    @abstractmethod
    def get(self, code: str) -> Risk | None: ...
    @abstractmethod
    def all(self, engagement: str | None = None) -> list[Risk]: ...
    @abstractmethod
    def history(self, code: str) -> list[RiskChange]: ...
    @abstractmethod
    def lock(self, code: str) -> None:
        """Hold the risk until the unit ends (see ``EngagementRepository.lock``);
        ``NotFoundError`` if there is none."""

    @abstractmethod
    def update_playbook(self, run: PlaybookRecord) -> None:
        """Store when each action of the run opened for ``run.risk`` at ``run.opened_at`` was
        done, and when the run was resolved; ``NotFoundError`` if there is no such run."""

    @abstractmethod
    def add_playbook(self, run: PlaybookRecord) -> None: ...
    @abstractmethod
    def playbooks(self, code: str | None = None) -> list[PlaybookRecord]: ...


class RecordRepository(ABC):
    """Audits, stakeholder surveys, committee meetings and pilots of an engagement."""

    @abstractmethod
    def add_audit(self, audit: Audit) -> None: ...
    @abstractmethod
    def audits(self, engagement: str) -> list[Audit]: ...
    @abstractmethod
    def add_survey(self, survey: Survey) -> None: ...
    @abstractmethod
    def surveys(self, engagement: str) -> list[Survey]: ...
    @abstractmethod
    def replace_audit(self, audit: Audit) -> None:
        """Store the audit over the one with its key (engagement, title, date), findings
        included; ``NotFoundError`` if there is none."""

    @abstractmethod
    def replace_meeting(self, meeting: Meeting) -> None:
        """Store the meeting over the one with its key (engagement, kind, date, title), items
        included; ``NotFoundError`` if there is none."""

    @abstractmethod
    def add_meeting(self, meeting: Meeting) -> None: ...
    @abstractmethod
    def meetings(self, engagement: str) -> list[Meeting]: ...
    @abstractmethod
    def add_pilot(self, pilot: Pilot) -> None: ...
    @abstractmethod
    def pilots(self, engagement: str) -> list[Pilot]: ...


class ResponseRepository(ABC):
    """Providers' responses to service credits and audit findings: appended, never changed."""

    @abstractmethod
    def add_credit_response(self, response: CreditResponse) -> int:
        """``NotFoundError`` if the engagement does not exist."""

    @abstractmethod
    def credit_responses(self, engagement: str) -> list[CreditResponse]:
        """Oldest first."""

    @abstractmethod
    def add_finding_response(self, response: FindingResponse) -> int:
        """``NotFoundError`` if the audit does not exist."""

    @abstractmethod
    def finding_responses(self, engagement: str) -> list[FindingResponse]:
        """Oldest first."""


class AuditLogRepository(ABC):
    """Append-only: there is no update or delete (the database refuses them too)."""

    @abstractmethod
    def append(self, entry: AuditLogEntry) -> None: ...
    @abstractmethod
    def entries(
        self, entity: str | None = None, since: date | None = None, limit: int = 1000
    ) -> list[AuditLogEntry]:
        """Newest first."""

    @abstractmethod
    def version(self) -> int | None:
        """The newest entry's id (0 while there is none): a data version, since every change
        appends an entry in its own transaction. None while a change may be committing under
        it: PostgreSQL hands out ids before commit, so a change can become visible after one
        with a higher id, and a version read meanwhile would not move when it lands."""


class AccountRepository(ABC):
    """Users, API tokens, web sessions and failed sign-ins (for throttling).

    ``recent_failures(key, since)`` is how many failures ``key`` has at or after ``since`` and
    when the newest was; ``forget_failures(before)`` deletes every key's older ones and says
    how many."""

    @abstractmethod
    def add_user(self, user: User) -> None: ...
    @abstractmethod
    def update_user(self, user: User) -> None: ...
    @abstractmethod
    def user(self, username: str) -> User | None: ...
    @abstractmethod
    def users(self) -> list[User]: ...
    @abstractmethod
    def add_token(self, token: ApiToken) -> None: ...
    @abstractmethod
    def token(self, token_hash: str) -> ApiToken | None: ...
    @abstractmethod
    def tokens(self, username: str) -> list[ApiToken]: ...
    @abstractmethod
    def revoke_token(self, username: str, name: str) -> bool: ...
    @abstractmethod
    def add_session(self, session: WebSession) -> None: ...
    @abstractmethod
    def session(self, token_hash: str) -> WebSession | None: ...
    @abstractmethod
    def delete_session(self, token_hash: str) -> None: ...
    @abstractmethod
    def delete_expired_sessions(self, now: datetime) -> int: ...
    @abstractmethod
    def record_failure(self, key: str, at: datetime) -> None: ...
    @abstractmethod
    def recent_failures(self, key: str, since: datetime) -> tuple[int, datetime | None]: ...
    @abstractmethod
    def clear_failures(self, key: str) -> None: ...
    @abstractmethod
    def forget_failures(self, before: datetime) -> int: ...


class WorkspaceRepository(ABC):
    """Saved scenarios and their immutable versions, decision runs with their review, and the
    approved case each engagement is governed against. Versions and runs are never deleted;
    a run changes only by its review (``set_review``)."""

    @abstractmethod
    def add_scenario(self, scenario: SavedScenario) -> None:
        """``DuplicateError`` if the name is taken."""

    @abstractmethod
    def scenario(self, name: str) -> SavedScenario | None: ...
    @abstractmethod
    def scenarios(self) -> list[SavedScenario]:
        """By name, each with its latest version number."""

    @abstractmethod
    def set_visibility(self, name: str, visibility: Visibility) -> None: ...
    @abstractmethod
    def add_version(self, version: ScenarioVersion) -> None:
        """``DuplicateError`` if the scenario has that version number already."""

    @abstractmethod
    def version(self, name: str, number: int | None = None) -> ScenarioVersion | None:
        """Version ``number`` of the scenario, or its latest."""

    @abstractmethod
    def versions(self, name: str) -> list[ScenarioVersion]:
        """Oldest first."""

    @abstractmethod
    def add_run(self, run: DecisionRun) -> int:
        """Store a run of a stored version (``run.id`` is ignored); returns its id."""

    @abstractmethod
    def run(self, run_id: int) -> DecisionRun | None: ...
    @abstractmethod
    def runs(self, scenario: str | None = None, with_result: bool = False) -> list[DecisionRun]:
        """Newest first; without ``with_result`` each run's ``result`` is left empty."""

    @abstractmethod
    def set_review(self, run_id: int, status: RunStatus, review: Review) -> None: ...
    @abstractmethod
    def link_case(self, case: EngagementCase) -> None:
        """Govern the engagement against the case, replacing any earlier link."""

    @abstractmethod
    def case(self, engagement: str) -> EngagementCase | None: ...
    @abstractmethod
    def cases(self, run_id: int | None = None) -> list[EngagementCase]: ...


class JobRepository(ABC):
    """Background jobs, shared by every server and worker process.

    A worker's writes (``heartbeat``, ``finish``, ``fail``, ``release``) name the worker and
    change the job only while that worker still holds it running: a job reaped from a silent
    worker and started again elsewhere is not overwritten when the first one wakes up. Each
    returns whether it changed the job."""

    @abstractmethod
    def submit(self, job: Job, limits: JobLimits) -> None:
        """Store ``job`` queued if ``limits`` allow its owner one more, counting and inserting
        so that no concurrent submission, from any server, slips in between (the caller's
        unit began ``for_writing``); ``JobQuotaError`` or ``JobsBusyError`` otherwise."""

    @abstractmethod
    def get(self, job_id: str) -> Job | None: ...
    @abstractmethod
    def queued(self) -> int:
        """How many jobs wait: an idle worker asks this before taking the write lock."""

    @abstractmethod
    def claim(self, worker: str, now: datetime) -> Job | None:
        """The queued job whose turn it is (``workspace.jobs.next_in_turn``), now running for
        ``worker``, one more attempt; None when nothing is queued. Two claimers, in any
        processes, never get the same job."""

    @abstractmethod
    def heartbeat(self, job_id: str, worker: str, now: datetime, done: int | None = None) -> bool:
        """``worker`` is alive and running the job; with ``done``, the units of work done."""

    @abstractmethod
    def finish(
        self,
        job_id: str,
        worker: str,
        now: datetime,
        result: dict[str, Any],
        run_id: int | None = None,
    ) -> bool: ...
    @abstractmethod
    def fail(self, job_id: str, worker: str, now: datetime, error: str) -> bool: ...
    @abstractmethod
    def release(self, job_id: str, worker: str) -> bool:
        """Back to the queue, its attempt not counted: the worker is stopping cleanly."""

    @abstractmethod
    def reap(self, stale_before: datetime, now: datetime, max_attempts: int) -> list[Job]:
        """Running jobs whose last heartbeat is before ``stale_before`` (their worker stopped):
        queued again while they have had fewer than ``max_attempts``, else failed with
        ``stopped_error``. Returns them as they are now."""

    @abstractmethod
    def prune(self, finished_before: datetime) -> int:
        """Delete the jobs that finished before ``finished_before``; how many."""


class MonitorRepository(ABC):
    """Monitoring events (one per condition key), notification subscriptions and the delivery
    log. ``add_event`` and ``add_delivery`` refuse a second row for the same key or the same
    (event, subscription) pair with ``DuplicateError``: the database's unique constraints, so
    two concurrent runs cannot store a condition or tell a subscriber twice."""

    @abstractmethod
    def add_event(self, event: MonitorEvent) -> int: ...
    @abstractmethod
    def update_event(self, event: MonitorEvent) -> None:
        """Store the event's ``last_seen``, severity, summary, evidence and state (by id)."""

    @abstractmethod
    def event(self, event_id: int) -> MonitorEvent | None: ...
    @abstractmethod
    def event_by_key(self, key: str) -> MonitorEvent | None: ...
    @abstractmethod
    def events(
        self, engagement: str | None = None, states: Sequence[EventState] | None = None
    ) -> list[MonitorEvent]:
        """Newest first (last seen, then id)."""

    @abstractmethod
    def add_subscription(self, subscription: Subscription) -> int: ...
    @abstractmethod
    def subscriptions(self, username: str | None = None) -> list[Subscription]:
        """Every subscription, or ``username``'s own: not the role subscriptions the user set
        up, which are the role's (a team's address), not a filter or channel of theirs."""

    @abstractmethod
    def remove_subscription(self, subscription_id: int) -> bool: ...
    @abstractmethod
    def add_delivery(self, delivery: Delivery) -> int: ...
    @abstractmethod
    def update_delivery(self, delivery: Delivery) -> None: ...
    @abstractmethod
    def claim_delivery(self, delivery: Delivery, now: datetime, until: datetime) -> bool:
        """Take a due pending delivery for sending: its next attempt moves to ``until`` (a
        lease: if the sender dies, it is due again then) only if it is still pending, due at
        ``now`` and at ``delivery.attempts``; False when another run took it first."""

    @abstractmethod
    def deliveries(
        self, status: DeliveryStatus | None = None, subscription_id: int | None = None
    ) -> list[Delivery]:
        """Oldest first (by id)."""

    @abstractmethod
    def delivered_pairs(self) -> set[tuple[int, int]]:
        """Every (event id, subscription id) that has a delivery, sent or pending."""

    @abstractmethod
    def scheduled_run(self, name: str) -> ScheduledRun | None: ...
    @abstractmethod
    def claim_scheduled_run(self, name: str, now: datetime, next_due: datetime) -> bool:
        """Start the run ``name`` if it is due at ``now`` (or has never run): its next due time
        moves to ``next_due`` and its start is recorded, in one conditional update, so that of
        two servers claiming it at once one gets it. False when it is not due or was taken."""

    @abstractmethod
    def finish_scheduled_run(
        self, name: str, finished_at: datetime, summary: str | None, error: str | None
    ) -> None:
        """Record how a run ended (a run started outside the schedule too: it is added, due
        at once, if it has no row yet)."""


class CorrectiveActionRepository(ABC):
    """Corrective-action plans. ``add`` refuses a second plan for the same engagement, service
    level and first breached month with ``DuplicateError`` (a unique constraint), so two
    concurrent monitoring runs cannot open the same plan twice."""

    @abstractmethod
    def add(self, plan: CorrectiveActionPlan) -> int: ...
    @abstractmethod
    def update(self, plan: CorrectiveActionPlan) -> None:
        """Store the plan's last breach, state and closing (by id)."""

    @abstractmethod
    def get(self, plan_id: int) -> CorrectiveActionPlan | None: ...
    @abstractmethod
    def plans(
        self, engagement: str | None = None, states: Sequence[PlanState] | None = None
    ) -> list[CorrectiveActionPlan]:
        """By engagement, then opening time and id (oldest first)."""
