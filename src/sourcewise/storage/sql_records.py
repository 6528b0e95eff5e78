"""SQL repositories for the risk register (with history and playbooks), audits, surveys,
meetings, pilots and the append-only audit log."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.governance.pilot import CriterionKind
from sourcewise.governance.playbook import PlaybookRecord
from sourcewise.governance.records import (
    Audit,
    AuditLogEntry,
    ChangeAction,
    Finding,
    ItemKind,
    Meeting,
    MeetingItem,
    MeetingKind,
    Pilot,
    PilotCriterionSpec,
    Severity,
    Survey,
    SurveyQuestion,
)
from sourcewise.governance.risks import Assessment, Risk, RiskCategory, RiskChange, RiskStatus
from sourcewise.governance.surveys import QuestionKind
from sourcewise.governance.triggers import trigger_from_dict, trigger_to_dict
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import (
    AuditLogRepository,
    DuplicateError,
    NotFoundError,
    RecordRepository,
    RiskRepository,
)
from sourcewise.storage.sql_engagements import engagement_id, engagement_names
from sourcewise.storage.types import aware_utc, naive_utc


class SqlRisks(RiskRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _values(self, risk: Risk) -> dict[str, Any]:
        ident = None
        if risk.engagement is not None:
            ident = engagement_id(self.connection, risk.engagement)
        return {
            "code": risk.code,
            "engagement_id": ident,
            "title": risk.title,
            "category": risk.category.value,
            "owner": risk.owner,
            "inherent_likelihood": risk.inherent.likelihood,
            "inherent_impact": risk.inherent.impact,
            "residual_likelihood": risk.residual.likelihood,
            "residual_impact": risk.residual.impact,
            "status": risk.status.value,
            "mitigations": list(risk.mitigations),
            "triggers": [trigger_to_dict(trigger) for trigger in risk.triggers],
        }

    def _id(self, code: str) -> int:
        found = self.connection.execute(
            select(t.risks.c.id).where(t.risks.c.code == code)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no risk with code '{code}'")
        return int(found)

    def add(self, risk: Risk) -> None:
        if self.get(risk.code) is not None:
            raise DuplicateError(f"a risk with code '{risk.code}' exists already")
        self.connection.execute(insert(t.risks).values(**self._values(risk)))

    def update(self, risk: Risk, changes: Sequence[RiskChange]) -> None:
        ident = self._id(risk.code)
        self.connection.execute(
            t.risks.update().where(t.risks.c.id == ident).values(**self._values(risk))
        )
        if changes:
            self.connection.execute(
                insert(t.risk_history),
                [
                    {
                        "risk_id": ident,
                        "at": naive_utc(c.at),
                        "actor": c.actor,
                        "field": c.field,
                        "before": c.before,
                        "after": c.after,
                    }
                    for c in changes
                ],
            )

    def get(self, code: str) -> Risk | None:
        row = (
            self.connection.execute(select(t.risks).where(t.risks.c.code == code))
            .mappings()
            .one_or_none()
        )
        return None if row is None else self._risk(row, engagement_names(self.connection))

    def all(self, engagement: str | None = None) -> list[Risk]:
        query = select(t.risks).order_by(t.risks.c.code)
        if engagement is not None:
            query = query.where(
                t.risks.c.engagement_id == engagement_id(self.connection, engagement)
            )
        names = engagement_names(self.connection)
        return [self._risk(row, names) for row in self.connection.execute(query).mappings()]

    @staticmethod
    def _risk(row: RowMapping, names: dict[int, str]) -> Risk:
        return Risk(
            code=row["code"],
            title=row["title"],
            category=RiskCategory(row["category"]),
            engagement=names.get(row["engagement_id"]),
            owner=row["owner"],
            inherent=Assessment(row["inherent_likelihood"], row["inherent_impact"]),
            residual=Assessment(row["residual_likelihood"], row["residual_impact"]),
            mitigations=tuple(row["mitigations"]),
            status=RiskStatus(row["status"]),
            triggers=tuple(trigger_from_dict(d) for d in row["triggers"]),
        )

    def history(self, code: str) -> list[RiskChange]:
        h = t.risk_history
        rows = self.connection.execute(
            select(h).where(h.c.risk_id == self._id(code)).order_by(h.c.at, h.c.id)
        ).mappings()
        return [
            RiskChange(aware_utc(r["at"]), r["actor"], r["field"], r["before"], r["after"])
            for r in rows
        ]

    def lock(self, code: str) -> None:
        found = self.connection.execute(
            select(t.risks.c.id).where(t.risks.c.code == code).with_for_update()
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no risk with code '{code}'")

    def update_playbook(self, run: PlaybookRecord) -> None:
        runs, actions = t.playbook_runs, t.playbook_actions
        ident = self.connection.execute(
            select(runs.c.id).where(
                runs.c.risk_id == self._id(run.risk), runs.c.opened_at == naive_utc(run.opened_at)
            )
        ).scalar_one_or_none()
        if ident is None:
            raise NotFoundError(f"no playbook of '{run.risk}' opened at {run.opened_at}")
        resolved = None if run.resolved_at is None else naive_utc(run.resolved_at)
        self.connection.execute(update(runs).where(runs.c.id == ident).values(resolved_at=resolved))
        rows = (
            self.connection.execute(
                select(actions.c.id).where(actions.c.run_id == ident).order_by(actions.c.id)
            )
            .scalars()
            .all()
        )
        for row, (_, _, _, done) in zip(rows, run.actions, strict=True):
            done_at = None if done is None else naive_utc(done)
            self.connection.execute(
                update(actions).where(actions.c.id == row).values(done_at=done_at)
            )

    def add_playbook(self, run: PlaybookRecord) -> None:
        run_id = self.connection.execute(
            insert(t.playbook_runs)
            .values(
                risk_id=self._id(run.risk),
                trigger=run.trigger,
                reason=run.reason,
                opened_at=naive_utc(run.opened_at),
                resolved_at=None if run.resolved_at is None else naive_utc(run.resolved_at),
            )
            .returning(t.playbook_runs.c.id)
        ).scalar_one()
        if run.actions:
            self.connection.execute(
                insert(t.playbook_actions),
                [
                    {
                        "run_id": run_id,
                        "action": action,
                        "owner_role": owner,
                        "due_at": naive_utc(due),
                        "done_at": None if done is None else naive_utc(done),
                    }
                    for action, owner, due, done in run.actions
                ],
            )

    def playbooks(self, code: str | None = None) -> list[PlaybookRecord]:
        runs, risks = t.playbook_runs, t.risks
        query = (
            select(runs, risks.c.code)
            .join(risks, risks.c.id == runs.c.risk_id)
            .order_by(runs.c.opened_at, risks.c.code, runs.c.id)
        )
        if code is not None:
            query = query.where(risks.c.code == code)
        found = []
        for row in self.connection.execute(query).mappings().all():
            a = t.playbook_actions
            actions = self.connection.execute(
                select(a).where(a.c.run_id == row["id"]).order_by(a.c.id)
            ).mappings()
            found.append(
                PlaybookRecord(
                    risk=row["code"],
                    trigger=row["trigger"],
                    reason=row["reason"],
                    opened_at=aware_utc(row["opened_at"]),
                    actions=tuple(
                        (
                            x["action"],
                            x["owner_role"],
                            aware_utc(x["due_at"]),
                            aware_utc(x["done_at"]),
                        )
                        for x in actions
                    ),
                    resolved_at=aware_utc(row["resolved_at"]),
                )
            )
        return found


class SqlRecords(RecordRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _insert(self, table: Any, values: dict[str, Any], what: str) -> int:
        unique = [c for c in table.constraints if c.name and c.name.startswith("uq_")]
        for constraint in unique:
            where = [table.c[col.name] == values[col.name] for col in constraint.columns]
            if self.connection.execute(select(table.c.id).where(*where)).first() is not None:
                raise DuplicateError(f"{what} exists already")
        return int(
            self.connection.execute(
                insert(table).values(**values).returning(table.c.id)
            ).scalar_one()
        )

    def _key_id(self, table: Any, values: dict[str, Any], what: str) -> int:
        where = [table.c[name] == value for name, value in values.items()]
        found = self.connection.execute(select(table.c.id).where(*where)).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no {what}")
        return int(found)

    def replace_audit(self, audit: Audit) -> None:
        key = {
            "engagement_id": engagement_id(self.connection, audit.engagement),
            "title": audit.title,
            "held_on": audit.held_on,
        }
        ident = self._key_id(t.audits, key, f"audit '{audit.title}' of {audit.held_on}")
        self.connection.execute(
            update(t.audits)
            .where(t.audits.c.id == ident)
            .values(auditor=audit.auditor, scope=audit.scope)
        )
        findings = t.audit_findings
        self.connection.execute(delete(findings).where(findings.c.audit_id == ident))
        self._add_findings(ident, audit)

    def replace_meeting(self, meeting: Meeting) -> None:
        key = {
            "engagement_id": engagement_id(self.connection, meeting.engagement),
            "kind": meeting.kind.value,
            "held_on": meeting.held_on,
            "title": meeting.title,
        }
        ident = self._key_id(t.meetings, key, f"meeting '{meeting.title}' of {meeting.held_on}")
        self.connection.execute(
            update(t.meetings)
            .where(t.meetings.c.id == ident)
            .values(
                milestone=meeting.milestone,
                milestone_status=meeting.milestone_status,
                attendees=list(meeting.attendees),
            )
        )
        items = t.meeting_items
        self.connection.execute(delete(items).where(items.c.meeting_id == ident))
        self._add_items(ident, meeting)

    def add_audit(self, audit: Audit) -> None:
        ident = self._insert(
            t.audits,
            {
                "engagement_id": engagement_id(self.connection, audit.engagement),
                "title": audit.title,
                "auditor": audit.auditor,
                "held_on": audit.held_on,
                "scope": audit.scope,
            },
            f"audit '{audit.title}' of {audit.held_on}",
        )
        self._add_findings(ident, audit)

    def _add_findings(self, ident: int, audit: Audit) -> None:
        if audit.findings:
            self.connection.execute(
                insert(t.audit_findings),
                [
                    {"audit_id": ident, **dataclasses.asdict(f), "severity": f.severity.value}
                    for f in audit.findings
                ],
            )

    def audits(self, engagement: str) -> list[Audit]:
        a, f = t.audits, t.audit_findings
        rows = (
            self.connection.execute(
                select(a)
                .where(a.c.engagement_id == engagement_id(self.connection, engagement))
                .order_by(a.c.held_on, a.c.title)
            )
            .mappings()
            .all()
        )
        found = []
        for row in rows:
            findings = self.connection.execute(
                select(f).where(f.c.audit_id == row["id"]).order_by(f.c.id)
            ).mappings()
            found.append(
                Audit(
                    engagement=engagement,
                    title=row["title"],
                    auditor=row["auditor"],
                    held_on=row["held_on"],
                    scope=row["scope"],
                    findings=tuple(
                        Finding(
                            reference=x["reference"],
                            description=x["description"],
                            severity=Severity(x["severity"]),
                            action=x["action"],
                            owner=x["owner"],
                            due_on=x["due_on"],
                            closed_on=x["closed_on"],
                        )
                        for x in findings
                    ),
                )
            )
        return found

    def add_survey(self, survey: Survey) -> None:
        ident = self._insert(
            t.surveys,
            {
                "engagement_id": engagement_id(self.connection, survey.engagement),
                "name": survey.name,
                "period": survey.period,
                "audience": survey.audience,
            },
            f"survey '{survey.name}' of {survey.period}",
        )
        if survey.questions:
            self.connection.execute(
                insert(t.survey_questions),
                [
                    {
                        "survey_id": ident,
                        "code": q.code,
                        "text": q.text,
                        "kind": q.kind.value,
                        "scale_max": q.scale_max,
                        "responses": list(q.responses),
                    }
                    for q in survey.questions
                ],
            )

    def surveys(self, engagement: str) -> list[Survey]:
        s, q = t.surveys, t.survey_questions
        rows = (
            self.connection.execute(
                select(s)
                .where(s.c.engagement_id == engagement_id(self.connection, engagement))
                .order_by(s.c.period, s.c.name)
            )
            .mappings()
            .all()
        )
        found = []
        for row in rows:
            questions = self.connection.execute(
                select(q).where(q.c.survey_id == row["id"]).order_by(q.c.id)
            ).mappings()
            found.append(
                Survey(
                    engagement=engagement,
                    name=row["name"],
                    period=row["period"],
                    audience=row["audience"],
                    questions=tuple(
                        SurveyQuestion(
                            x["code"],
                            x["text"],
                            QuestionKind(x["kind"]),
                            x["scale_max"],
                            tuple(x["responses"]),
                        )
                        for x in questions
                    ),
                )
            )
        return found

    def add_meeting(self, meeting: Meeting) -> None:
        ident = self._insert(
            t.meetings,
            {
                "engagement_id": engagement_id(self.connection, meeting.engagement),
                "kind": meeting.kind.value,
                "held_on": meeting.held_on,
                "title": meeting.title,
                "milestone": meeting.milestone,
                "milestone_status": meeting.milestone_status,
                "attendees": list(meeting.attendees),
            },
            f"meeting '{meeting.title}' of {meeting.held_on}",
        )
        self._add_items(ident, meeting)

    def _add_items(self, ident: int, meeting: Meeting) -> None:
        if meeting.items:
            self.connection.execute(
                insert(t.meeting_items),
                [
                    {"meeting_id": ident, **dataclasses.asdict(item), "kind": item.kind.value}
                    for item in meeting.items
                ],
            )

    def meetings(self, engagement: str) -> list[Meeting]:
        m, i = t.meetings, t.meeting_items
        rows = (
            self.connection.execute(
                select(m)
                .where(m.c.engagement_id == engagement_id(self.connection, engagement))
                .order_by(m.c.held_on, m.c.title)
            )
            .mappings()
            .all()
        )
        found = []
        for row in rows:
            items = self.connection.execute(
                select(i).where(i.c.meeting_id == row["id"]).order_by(i.c.id)
            ).mappings()
            found.append(
                Meeting(
                    engagement=engagement,
                    kind=MeetingKind(row["kind"]),
                    held_on=row["held_on"],
                    title=row["title"],
                    attendees=tuple(row["attendees"]),
                    milestone=row["milestone"],
                    milestone_status=row["milestone_status"],
                    items=tuple(
                        MeetingItem(
                            ItemKind(x["kind"]), x["text"], x["owner"], x["due_on"], x["done_on"]
                        )
                        for x in items
                    ),
                )
            )
        return found

    def add_pilot(self, pilot: Pilot) -> None:
        self._insert(
            t.pilots,
            {
                "engagement_id": engagement_id(self.connection, pilot.engagement),
                "name": pilot.name,
                "start_date": pilot.start,
                "end_date": pilot.end,
                "criteria": [_criterion_dict(c) for c in pilot.criteria],
            },
            f"pilot '{pilot.name}'",
        )

    def pilots(self, engagement: str) -> list[Pilot]:
        p = t.pilots
        rows = self.connection.execute(
            select(p)
            .where(p.c.engagement_id == engagement_id(self.connection, engagement))
            .order_by(p.c.id)
        ).mappings()
        return [
            Pilot(
                engagement=engagement,
                name=r["name"],
                start=r["start_date"],
                end=r["end_date"],
                criteria=tuple(_criterion(c) for c in r["criteria"]),
            )
            for r in rows
        ]


def _criterion_dict(c: PilotCriterionSpec) -> dict[str, Any]:
    data = dataclasses.asdict(c)
    data["kind"] = c.kind.value
    for name in ("values", "baseline_values"):
        if data[name] is not None:
            data[name] = list(data[name])
    return data


def _criterion(data: dict[str, Any]) -> PilotCriterionSpec:
    values = dict(data)
    values["kind"] = CriterionKind(values["kind"])
    for name in ("values", "baseline_values"):
        if values[name] is not None:
            values[name] = tuple(values[name])
    return PilotCriterionSpec(**values)


class SqlAuditLog(AuditLogRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, entry: AuditLogEntry) -> None:
        self.connection.execute(
            insert(t.audit_log).values(
                at=naive_utc(entry.at),
                actor=entry.actor,
                entity=entry.entity,
                entity_key=entry.key,
                action=entry.action.value,
                before=entry.before,
                after=entry.after,
            )
        )

    def entries(
        self, entity: str | None = None, since: date | None = None, limit: int = 1000
    ) -> list[AuditLogEntry]:
        log = t.audit_log
        query = select(log).order_by(log.c.id.desc()).limit(limit)
        if entity is not None:
            query = query.where(log.c.entity == entity)
        if since is not None:
            query = query.where(log.c.at >= datetime(since.year, since.month, since.day))
        return [
            AuditLogEntry(
                at=aware_utc(r["at"]),
                actor=r["actor"],
                entity=r["entity"],
                key=r["entity_key"],
                action=ChangeAction(r["action"]),
                before=r["before"],
                after=r["after"],
                id=r["id"],
            )
            for r in self.connection.execute(query).mappings()
        ]

    def version(self) -> int | None:
        if self.connection.dialect.name != "postgresql":
            # SQLite writers take turns holding the lock from their first write to commit, so
            # ids become visible in order.
            return int(self.connection.execute(_NEWEST).scalar_one())
        found, busy = self.connection.execute(_NEWEST_UNLESS_WRITING).one()
        return None if busy else int(found)


_NEWEST = select(func.coalesce(func.max(t.audit_log.c.id), 0))
# A transaction holds a lock on its own id from its first write until it ends; while any in
# this database does (or a prepared one, which has no session), an entry below the newest may
# still land. Read-only transactions hold none, so readers do not unsettle each other. (A
# snapshot's in-progress list would not do: it leaves out running transactions newer than the
# last one to finish.)
_NEWEST_UNLESS_WRITING = select(
    _NEWEST.scalar_subquery(),
    text(
        "EXISTS (SELECT 1 FROM pg_locks AS l LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid "
        "WHERE l.locktype = 'transactionid' AND l.granted "
        "AND (a.pid IS NULL OR a.datname = current_database()))"
    ),
)
