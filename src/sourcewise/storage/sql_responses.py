"""SQL repository for providers' responses to service credits and audit findings (appended,
never updated)."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from sourcewise.governance.responses import CreditResponse, CreditVerdict, FindingResponse
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import NotFoundError, ResponseRepository
from sourcewise.storage.sql_engagements import engagement_id
from sourcewise.storage.types import aware_utc, naive_utc


class SqlResponses(ResponseRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_credit_response(self, response: CreditResponse) -> int:
        ident = self.connection.execute(
            insert(t.credit_responses)
            .values(
                engagement_id=engagement_id(self.connection, response.engagement),
                month=response.month,
                verdict=response.verdict.value,
                comment=response.comment,
                amount=response.amount,
                currency=response.currency,
                actor=response.actor,
                at=naive_utc(response.at),
            )
            .returning(t.credit_responses.c.id)
        ).scalar_one()
        return int(ident)

    def credit_responses(self, engagement: str) -> list[CreditResponse]:
        c = t.credit_responses.c
        rows = self.connection.execute(
            select(t.credit_responses)
            .where(c.engagement_id == engagement_id(self.connection, engagement))
            .order_by(c.at, c.id)
        ).mappings()
        return [
            CreditResponse(
                engagement=engagement,
                month=row["month"],
                verdict=CreditVerdict(row["verdict"]),
                comment=row["comment"],
                amount=row["amount"],
                currency=row["currency"],
                actor=row["actor"],
                at=aware_utc(row["at"]),
                id=row["id"],
            )
            for row in rows
        ]

    def add_finding_response(self, response: FindingResponse) -> int:
        a = t.audits.c
        audit_id = self.connection.execute(
            select(a.id).where(
                a.engagement_id == engagement_id(self.connection, response.engagement),
                a.title == response.audit_title,
                a.held_on == response.audit_held_on,
            )
        ).scalar_one_or_none()
        if audit_id is None:
            raise NotFoundError(f"no audit '{response.audit_title}' of {response.audit_held_on}")
        ident = self.connection.execute(
            insert(t.finding_responses)
            .values(
                audit_id=audit_id,
                reference=response.reference,
                answer=response.answer,
                actor=response.actor,
                at=naive_utc(response.at),
            )
            .returning(t.finding_responses.c.id)
        ).scalar_one()
        return int(ident)

    def finding_responses(self, engagement: str) -> list[FindingResponse]:
        a, f = t.audits.c, t.finding_responses.c
        rows = self.connection.execute(
            select(t.finding_responses, a.title, a.held_on)
            .join(t.audits, a.id == f.audit_id)
            .where(a.engagement_id == engagement_id(self.connection, engagement))
            .order_by(f.at, f.id)
        ).mappings()
        return [
            FindingResponse(
                engagement=engagement,
                audit_title=row["title"],
                audit_held_on=row["held_on"],
                reference=row["reference"],
                answer=row["answer"],
                actor=row["actor"],
                at=aware_utc(row["at"]),
                id=row["id"],
            )
            for row in rows
        ]
