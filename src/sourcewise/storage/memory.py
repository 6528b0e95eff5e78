"""The in-memory twin of the SQL storage, for fast unit tests of the services.

State lives in a ``MemoryState``; a unit of work edits a copy and swaps it in on commit, so
rollback semantics match the database's. One unit at a time holds the state (a lock from
``with`` to its end), so threads sharing the twin, as the web app's job workers and requests
do, see each other's commits as they would a database's.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sourcewise.governance.benefits import PlannedMonth
from sourcewise.governance.corrective_actions import CorrectiveActionPlan
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
from sourcewise.governance.risks import Risk, RiskChange
from sourcewise.security.users import ApiToken, User, WebSession
from sourcewise.storage.memory_corrective_actions import MemoryCorrectiveActions
from sourcewise.storage.memory_jobs import MemoryJobs
from sourcewise.storage.memory_monitor import MemoryMonitor, MonitorState
from sourcewise.storage.memory_responses import MemoryResponses, ResponseState
from sourcewise.storage.repositories import (
    AccountRepository,
    AuditLogRepository,
    DuplicateError,
    EngagementRepository,
    IngestOutcome,
    KpiRepository,
    LedgerRepository,
    MeasurementRepository,
    NotFoundError,
    RecordRepository,
    RiskRepository,
    Staged,
    WorkspaceRepository,
    as_batch,
    in_file_conflict,
    same_values,
    stored_conflict,
)
from sourcewise.storage.unit_of_work import UnitOfWork
from sourcewise.workspace.jobs import Job
from sourcewise.workspace.records import (
    DecisionRun,
    EngagementCase,
    Review,
    RunStatus,
    SavedScenario,
    ScenarioVersion,
    Visibility,
)

MeasurementKey = tuple[str, str, datetime, str]


@dataclass
class MemoryState:
    providers: dict[str, Provider] = field(default_factory=dict)
    engagements: dict[str, Engagement] = field(default_factory=dict)
    kpis: dict[str, KpiDefinition] = field(default_factory=dict)
    measurements: dict[MeasurementKey, Measurement] = field(default_factory=dict)
    costs: dict[tuple[str, date], MonthlyCost] = field(default_factory=dict)
    plans: dict[str, list[PlannedMonth]] = field(default_factory=dict)
    risks: dict[str, Risk] = field(default_factory=dict)
    risk_history: dict[str, list[RiskChange]] = field(default_factory=dict)
    playbooks: list[PlaybookRecord] = field(default_factory=list)
    audits: list[Audit] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    pilots: list[Pilot] = field(default_factory=list)
    audit_log: list[AuditLogEntry] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)
    failures: list[tuple[str, datetime]] = field(default_factory=list)
    scenarios: dict[str, SavedScenario] = field(default_factory=dict)
    versions: dict[str, list[ScenarioVersion]] = field(default_factory=dict)
    runs: dict[int, DecisionRun] = field(default_factory=dict)
    cases: dict[str, EngagementCase] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    monitor: MonitorState = field(default_factory=MonitorState)
    action_plans: dict[int, CorrectiveActionPlan] = field(default_factory=dict)
    responses: ResponseState = field(default_factory=ResponseState)


def _require_engagement(state: MemoryState, name: str) -> None:
    if name not in state.engagements:
        raise NotFoundError(f"no engagement named '{name}'")


def _replaced(records: list[Any], new: Any, same_key: Callable[[Any], bool]) -> list[Any]:
    if not any(same_key(r) for r in records):
        raise NotFoundError(f"no such record to replace: {new!r}"[:300])
    return [new if same_key(r) else r for r in records]


class _Part:
    def __init__(self, owner: MemoryUnitOfWork) -> None:
        self._owner = owner

    @property
    def state(self) -> MemoryState:
        return self._owner.working


class MemoryEngagements(_Part, EngagementRepository):
    def add_provider(self, provider: Provider) -> None:
        if provider.name in self.state.providers:
            raise DuplicateError(f"a provider named '{provider.name}' exists already")
        self.state.providers[provider.name] = provider

    def get_provider(self, name: str) -> Provider | None:
        return self.state.providers.get(name)

    def providers(self) -> list[Provider]:
        return sorted(self.state.providers.values(), key=lambda p: p.name)

    def add(self, engagement: Engagement) -> None:
        if engagement.name in self.state.engagements:
            raise DuplicateError(f"an engagement named '{engagement.name}' exists already")
        if engagement.provider not in self.state.providers:
            raise NotFoundError(f"no provider named '{engagement.provider}'")
        self.state.engagements[engagement.name] = engagement

    def replace(self, engagement: Engagement) -> None:
        _require_engagement(self.state, engagement.name)
        if engagement.provider not in self.state.providers:
            raise NotFoundError(f"no provider named '{engagement.provider}'")
        self.state.engagements[engagement.name] = engagement

    def get(self, name: str) -> Engagement | None:
        return self.state.engagements.get(name)

    def lock(self, name: str) -> None:
        # One unit at a time holds the whole twin already.
        _require_engagement(self.state, name)

    def all(self) -> list[Engagement]:
        return sorted(self.state.engagements.values(), key=lambda e: e.name)


class MemoryKpis(_Part, KpiRepository):
    def put(self, definition: KpiDefinition) -> None:
        self.state.kpis[definition.code] = definition

    def all(self) -> list[KpiDefinition]:
        return sorted(self.state.kpis.values(), key=lambda k: k.code)


class MemoryMeasurements(_Part, MeasurementRepository):
    def ingest(self, batches: Iterable[Staged], replace: bool) -> IngestOutcome:
        outcome = IngestOutcome()
        seen: dict[MeasurementKey, tuple[str, Measurement]] = {}
        for batch in map(as_batch, batches):
            for row, measurement in batch.rows():
                _require_engagement(self.state, measurement.engagement)
                key = measurement.key
                earlier = seen.get(key)
                if earlier is not None:
                    if same_values(earlier[1], measurement):
                        outcome.unchanged += 1
                    else:
                        outcome.conflict(row, in_file_conflict(earlier[1], earlier[0]))
                    continue
                seen[key] = (row, measurement)
                stored = self.state.measurements.get(key)
                if stored is None:
                    self.state.measurements[key] = measurement
                    outcome.inserted += 1
                elif same_values(stored, measurement):
                    outcome.unchanged += 1
                elif replace:
                    self.state.measurements[key] = measurement
                    outcome.replaced += 1
                else:
                    outcome.conflict(row, stored_conflict(stored))
        return outcome

    def series(
        self, engagement: str, kpi: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[Measurement]:
        found = [
            m
            for m in self.state.measurements.values()
            if m.engagement == engagement
            and m.kpi == kpi
            and (start is None or m.period >= start)
            and (end is None or m.period < end)
        ]
        return sorted(found, key=lambda m: (m.period, m.series))

    def kpis(self, engagement: str) -> list[str]:
        return sorted(
            {m.kpi for m in self.state.measurements.values() if m.engagement == engagement}
        )

    def count(self, engagement: str | None = None) -> int:
        if engagement is None:
            return len(self.state.measurements)
        return sum(1 for m in self.state.measurements.values() if m.engagement == engagement)


class MemoryLedger(_Part, LedgerRepository):
    def put_costs(self, costs: Sequence[MonthlyCost]) -> None:
        for cost in costs:
            _require_engagement(self.state, cost.engagement)
            self.state.costs[(cost.engagement, cost.month)] = cost

    def costs(self, engagement: str) -> list[MonthlyCost]:
        found = [c for (name, _), c in self.state.costs.items() if name == engagement]
        return sorted(found, key=lambda c: c.month)

    def put_plan(self, engagement: str, months: Sequence[PlannedMonth]) -> None:
        _require_engagement(self.state, engagement)
        self.state.plans[engagement] = sorted(months, key=lambda m: m.month)

    def plan(self, engagement: str) -> list[PlannedMonth]:
        return list(self.state.plans.get(engagement, []))


class MemoryRisks(_Part, RiskRepository):
    def add(self, risk: Risk) -> None:
        if risk.code in self.state.risks:
            raise DuplicateError(f"a risk with code '{risk.code}' exists already")
        if risk.engagement is not None:
            _require_engagement(self.state, risk.engagement)
        self.state.risks[risk.code] = risk

    def update(self, risk: Risk, changes: Sequence[RiskChange]) -> None:
        if risk.code not in self.state.risks:
            raise NotFoundError(f"no risk with code '{risk.code}'")
        self.state.risks[risk.code] = risk
        self.state.risk_history.setdefault(risk.code, []).extend(changes)

    def get(self, code: str) -> Risk | None:
        return self.state.risks.get(code)

    def all(self, engagement: str | None = None) -> list[Risk]:
        found = [r for r in self.state.risks.values() if engagement in (None, r.engagement)]
        return sorted(found, key=lambda r: r.code)

    def history(self, code: str) -> list[RiskChange]:
        return list(self.state.risk_history.get(code, []))

    def lock(self, code: str) -> None:
        if code not in self.state.risks:
            raise NotFoundError(f"no risk with code '{code}'")

    def update_playbook(self, run: PlaybookRecord) -> None:
        self.state.playbooks = _replaced(
            self.state.playbooks,
            run,
            lambda p: (p.risk, p.opened_at) == (run.risk, run.opened_at),
        )

    def add_playbook(self, run: PlaybookRecord) -> None:
        if run.risk not in self.state.risks:
            raise NotFoundError(f"no risk with code '{run.risk}'")
        self.state.playbooks.append(run)

    def playbooks(self, code: str | None = None) -> list[PlaybookRecord]:
        found = [p for p in self.state.playbooks if code in (None, p.risk)]
        return sorted(found, key=lambda p: (p.opened_at, p.risk))


class MemoryRecords(_Part, RecordRepository):
    def add_audit(self, audit: Audit) -> None:
        _require_engagement(self.state, audit.engagement)
        key = (audit.engagement, audit.title, audit.held_on)
        if any((a.engagement, a.title, a.held_on) == key for a in self.state.audits):
            raise DuplicateError(f"audit '{audit.title}' of {audit.held_on} exists already")
        self.state.audits.append(audit)

    def audits(self, engagement: str) -> list[Audit]:
        found = [a for a in self.state.audits if a.engagement == engagement]
        return sorted(found, key=lambda a: (a.held_on, a.title))

    def add_survey(self, survey: Survey) -> None:
        _require_engagement(self.state, survey.engagement)
        key = (survey.engagement, survey.name, survey.period)
        if any((s.engagement, s.name, s.period) == key for s in self.state.surveys):
            raise DuplicateError(f"survey '{survey.name}' of {survey.period} exists already")
        self.state.surveys.append(survey)

    def surveys(self, engagement: str) -> list[Survey]:
        found = [s for s in self.state.surveys if s.engagement == engagement]
        return sorted(found, key=lambda s: (s.period, s.name))

    def replace_audit(self, audit: Audit) -> None:
        key = (audit.engagement, audit.title, audit.held_on)
        self.state.audits = _replaced(
            self.state.audits, audit, lambda a: (a.engagement, a.title, a.held_on) == key
        )

    def replace_meeting(self, meeting: Meeting) -> None:
        key = (meeting.engagement, meeting.kind, meeting.held_on, meeting.title)
        self.state.meetings = _replaced(
            self.state.meetings,
            meeting,
            lambda m: (m.engagement, m.kind, m.held_on, m.title) == key,
        )

    def add_meeting(self, meeting: Meeting) -> None:
        _require_engagement(self.state, meeting.engagement)
        key = (meeting.engagement, meeting.kind, meeting.held_on, meeting.title)
        if any((m.engagement, m.kind, m.held_on, m.title) == key for m in self.state.meetings):
            raise DuplicateError(f"meeting '{meeting.title}' of {meeting.held_on} exists already")
        self.state.meetings.append(meeting)

    def meetings(self, engagement: str) -> list[Meeting]:
        found = [m for m in self.state.meetings if m.engagement == engagement]
        return sorted(found, key=lambda m: (m.held_on, m.title))

    def add_pilot(self, pilot: Pilot) -> None:
        _require_engagement(self.state, pilot.engagement)
        if any((p.engagement, p.name) == (pilot.engagement, pilot.name) for p in self.state.pilots):
            raise DuplicateError(f"pilot '{pilot.name}' exists already")
        self.state.pilots.append(pilot)

    def pilots(self, engagement: str) -> list[Pilot]:
        return [p for p in self.state.pilots if p.engagement == engagement]


class MemoryAuditLog(_Part, AuditLogRepository):
    def append(self, entry: AuditLogEntry) -> None:
        self.state.audit_log.append(replace(entry, id=len(self.state.audit_log) + 1))

    def entries(
        self, entity: str | None = None, since: date | None = None, limit: int = 1000
    ) -> list[AuditLogEntry]:
        found = [
            e
            for e in self.state.audit_log
            if entity in (None, e.entity) and (since is None or e.at.date() >= since)
        ]
        return list(reversed(found))[:limit]

    def version(self) -> int | None:
        return len(self.state.audit_log)


class MemoryAccounts(_Part, AccountRepository):
    def add_user(self, user: User) -> None:
        if user.username in self.state.users:
            raise DuplicateError(f"a user named '{user.username}' exists already")
        if user.provider is not None and user.provider not in self.state.providers:
            raise NotFoundError(f"no provider named '{user.provider}'")
        self.state.users[user.username] = user

    def update_user(self, user: User) -> None:
        if user.username not in self.state.users:
            raise NotFoundError(f"no user named '{user.username}'")
        self.state.users[user.username] = user

    def user(self, username: str) -> User | None:
        return self.state.users.get(username)

    def users(self) -> list[User]:
        return sorted(self.state.users.values(), key=lambda u: u.username)

    def add_token(self, token: ApiToken) -> None:
        if token.username not in self.state.users:
            raise NotFoundError(f"no user named '{token.username}'")
        if any(
            (t.username, t.name) == (token.username, token.name) for t in self.state.tokens.values()
        ):
            raise DuplicateError(f"'{token.username}' has a token named '{token.name}' already")
        self.state.tokens[token.token_hash] = token

    def token(self, token_hash: str) -> ApiToken | None:
        return self.state.tokens.get(token_hash)

    def tokens(self, username: str) -> list[ApiToken]:
        found = [t for t in self.state.tokens.values() if t.username == username]
        return sorted(found, key=lambda t: t.created_at)

    def revoke_token(self, username: str, name: str) -> bool:
        for key, token in self.state.tokens.items():
            if (token.username, token.name) == (username, name):
                self.state.tokens[key] = replace(token, revoked=True)
                return True
        return False

    def add_session(self, session: WebSession) -> None:
        self.state.sessions[session.token_hash] = session

    def session(self, token_hash: str) -> WebSession | None:
        return self.state.sessions.get(token_hash)

    def delete_session(self, token_hash: str) -> None:
        self.state.sessions.pop(token_hash, None)

    def delete_expired_sessions(self, now: datetime) -> int:
        expired = [k for k, s in self.state.sessions.items() if s.expires_at <= now]
        for key in expired:
            del self.state.sessions[key]
        return len(expired)

    def record_failure(self, key: str, at: datetime) -> None:
        self.state.failures.append((key, at))

    def recent_failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        found = [at for k, at in self.state.failures if k == key and at >= since]
        return len(found), max(found, default=None)

    def clear_failures(self, key: str) -> None:
        self.state.failures = [(k, at) for k, at in self.state.failures if k != key]

    def forget_failures(self, before: datetime) -> int:
        kept = [(k, at) for k, at in self.state.failures if at >= before]
        forgotten = len(self.state.failures) - len(kept)
        self.state.failures = kept
        return forgotten


class MemoryWorkspace(_Part, WorkspaceRepository):
    def add_scenario(self, scenario: SavedScenario) -> None:
        if scenario.name in self.state.scenarios:
            raise DuplicateError(f"a scenario named '{scenario.name}' exists already")
        self.state.scenarios[scenario.name] = replace(scenario, latest_version=0)
        self.state.versions[scenario.name] = []

    def scenario(self, name: str) -> SavedScenario | None:
        found = self.state.scenarios.get(name)
        if found is None:
            return None
        return replace(found, latest_version=len(self.state.versions[name]))

    def scenarios(self) -> list[SavedScenario]:
        return [s for n in sorted(self.state.scenarios) if (s := self.scenario(n)) is not None]

    def set_visibility(self, name: str, visibility: Visibility) -> None:
        found = self.state.scenarios.get(name)
        if found is None:
            raise NotFoundError(f"no saved scenario named '{name}'")
        self.state.scenarios[name] = replace(found, visibility=visibility)

    def add_version(self, version: ScenarioVersion) -> None:
        if version.scenario not in self.state.scenarios:
            raise NotFoundError(f"no saved scenario named '{version.scenario}'")
        kept = self.state.versions[version.scenario]
        if any(v.version == version.version for v in kept):
            raise DuplicateError(f"{version.label} exists already")
        kept.append(version)
        kept.sort(key=lambda v: v.version)

    def version(self, name: str, number: int | None = None) -> ScenarioVersion | None:
        kept = self.state.versions.get(name, [])
        if number is None:
            return kept[-1] if kept else None
        return next((v for v in kept if v.version == number), None)

    def versions(self, name: str) -> list[ScenarioVersion]:
        return list(self.state.versions.get(name, []))

    def add_run(self, run: DecisionRun) -> int:
        if self.version(run.scenario, run.version) is None:
            raise NotFoundError(f"no version {run.version} of scenario '{run.scenario}'")
        ident = max(self.state.runs, default=0) + 1
        self.state.runs[ident] = replace(run, id=ident)
        return ident

    def run(self, run_id: int) -> DecisionRun | None:
        return self.state.runs.get(run_id)

    def runs(self, scenario: str | None = None, with_result: bool = False) -> list[DecisionRun]:
        found = [
            r if with_result else replace(r, result={})
            for r in self.state.runs.values()
            if scenario is None or r.scenario == scenario
        ]
        return sorted(found, key=lambda r: -r.id)

    def set_review(self, run_id: int, status: RunStatus, review: Review) -> None:
        found = self.state.runs.get(run_id)
        if found is None:
            raise NotFoundError(f"no decision run {run_id}")
        self.state.runs[run_id] = replace(found, status=status, review=review)

    def link_case(self, case: EngagementCase) -> None:
        if case.engagement not in self.state.engagements:
            raise NotFoundError(f"no engagement named '{case.engagement}'")
        self.state.cases[case.engagement] = case

    def case(self, engagement: str) -> EngagementCase | None:
        return self.state.cases.get(engagement)

    def cases(self, run_id: int | None = None) -> list[EngagementCase]:
        return [
            c for _, c in sorted(self.state.cases.items()) if run_id is None or c.run_id == run_id
        ]


class MemoryUnitOfWork(UnitOfWork):
    def __init__(self, state: MemoryState | None = None) -> None:
        self.committed = state if state is not None else MemoryState()
        self.working = self.committed
        self.commits = 0
        self.engagements = MemoryEngagements(self)
        self.kpis = MemoryKpis(self)
        self.measurements = MemoryMeasurements(self)
        self.ledger = MemoryLedger(self)
        self.risks = MemoryRisks(self)
        self.records = MemoryRecords(self)
        self.audit_log = MemoryAuditLog(self)
        self.accounts = MemoryAccounts(self)
        self.workspace = MemoryWorkspace(self)
        self.jobs = MemoryJobs(self)
        self.monitor = MemoryMonitor(self)
        self.corrective_actions = MemoryCorrectiveActions(self)
        self.responses = MemoryResponses(self)
        self._lock = threading.RLock()

    def _begin(self) -> None:
        self._lock.acquire()
        self.working = copy.deepcopy(self.committed)

    def _end(self) -> None:
        self.working = self.committed
        self._lock.release()

    def commit(self) -> None:
        self.committed = self.working
        self.working = copy.deepcopy(self.committed)
        self.commits += 1

    def rollback(self) -> None:
        self.working = copy.deepcopy(self.committed)
