"""Who am I, the caller's API tokens, and the audit log (not for provider users)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from sourcewise.security.users import Principal, Role
from sourcewise.services import views
from sourcewise.services.accounts import AccountError, create_token, revoke_token
from sourcewise.web.api.pagination import SORTABLE, Page, Pagination
from sourcewise.web.auth import User, require_admin, require_internal, uow_factory
from sourcewise.web.problems import ApiError

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class Me(BaseModel):
    """The signed-in identity and what its role may do (docs/web.md, "Roles")."""

    username: str
    role: Role
    provider: str | None = Field(description="A provider user's provider; null for the client's.")
    can_write: bool = Field(description="May add and change governance records.")
    sees_everything: bool = Field(description="Sees every part of every engagement.")
    can_approve: bool = Field(
        description="May approve or reject business cases others propose (the approver grant)."
    )


class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(default=None, ge=1, le=3650, description="Expiry; none: never.")
    username: str | None = Field(default=None, description="Another user's (admins only).")


class TokenCreated(BaseModel):
    name: str
    username: str
    token: str = Field(description="Shown once: only its hash is stored.")


class TokenInfo(BaseModel):
    """An API token, without its secret."""

    name: str
    created_at: datetime = Field(description="ISO 8601, UTC.")
    expires_at: datetime | None = Field(description="ISO 8601, UTC; null: never.")
    revoked: bool


class AuditEntry(BaseModel):
    """One change to the store, with the record before and after it."""

    id: int | None
    at: datetime = Field(description="When (ISO 8601, UTC).")
    actor: str = Field(description="Who made the change.")
    entity: str = Field(description="The kind of record changed, e.g. engagement, api_token.")
    key: str = Field(description="Which record of that kind.")
    action: str = Field(description="What was done: insert, update or delete.")
    # Any JSON: each kind of record has its own fields.
    before: Any = Field(description="The record before, as JSON; null on insert.")
    after: Any = Field(description="The record after, as JSON; null on delete.")


def _owner(user: Principal, username: str | None) -> str:
    """Whose tokens: the caller's own, or (admins) another user's."""
    if username is None or username == user.username:
        return user.username
    require_admin(user)
    return username


@router.get("/me", response_model=Me)
def me(user: User) -> Me:
    """The signed-in identity and what its role may do."""
    return Me(
        username=user.username,
        role=user.role,
        provider=user.provider,
        can_write=user.can_write,
        sees_everything=user.sees_everything,
        can_approve=user.can_approve,
    )


@router.get("/tokens", response_model=list[TokenInfo])
def list_tokens(
    request: Request, user: User, page: Pagination, username: str | None = None
) -> list[TokenInfo]:
    """The caller's API tokens (never their values)."""
    owner = _owner(user, username)
    return page.window(
        [
            TokenInfo(
                name=t.name, created_at=t.created_at, expires_at=t.expires_at, revoked=t.revoked
            )
            for t in views.tokens(uow_factory(request), owner)
        ]
    )


@router.post("/tokens", status_code=201, response_model=TokenCreated)
def post_token(request: Request, user: User, body: TokenRequest) -> TokenCreated:
    """A new API token for scripts: send it as ``Authorization: Bearer <token>``."""
    owner = _owner(user, body.username)
    try:
        raw = create_token(uow_factory(request), owner, body.name, body.days, user.username)
    except AccountError as error:
        raise ApiError(
            422, "Invalid request", str(error), [{"field": "body.name", "message": str(error)}]
        ) from None
    return TokenCreated(name=body.name.strip(), username=owner, token=raw)


@router.delete("/tokens/{name:segment}", status_code=204)
def delete_token(request: Request, user: User, name: str, username: str | None = None) -> Response:
    """Revoke one of the caller's tokens (admins: anyone's, with ``?username=``)."""
    owner = _owner(user, username)
    try:
        revoke_token(uow_factory(request), owner, name, user.username)
    except AccountError as error:
        raise ApiError(404, "Not found", str(error)) from None
    return Response(status_code=204)


# Read newest first only as far as the page: no other order (``x-sortable``).
@router.get("/audit-log", response_model=Page[AuditEntry], openapi_extra={SORTABLE: []})
def audit_log(
    request: Request,
    user: User,
    page: Pagination,
    entity: Annotated[str | None, Query(description="Only this kind of record.")] = None,
    since: Annotated[date | None, Query(description="Changes on or after this day.")] = None,
) -> Page[AuditEntry]:
    """Every change, who made it, when, before and after, newest first. ``total`` is null:
    the log is only read as far as the page needs."""
    require_internal(user)
    entries = views.audit_log(uow_factory(request), entity, since, page.offset + page.limit)
    return page.read_page(
        [
            AuditEntry(
                id=e.id,
                at=e.at,
                actor=e.actor,
                entity=e.entity,
                key=e.key,
                action=e.action.value,
                before=e.before,
                after=e.after,
            )
            for e in entries
        ]
    )
