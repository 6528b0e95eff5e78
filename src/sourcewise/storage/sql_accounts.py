"""SQL repository for users, API tokens, web sessions and failed sign-ins."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from sourcewise.security.users import ApiToken, Role, User, WebSession
from sourcewise.storage import tables as t
from sourcewise.storage.repositories import AccountRepository, DuplicateError, NotFoundError
from sourcewise.storage.types import aware_utc, naive_utc


class SqlAccounts(AccountRepository):
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _provider_id(self, name: str | None) -> int | None:
        if name is None:
            return None
        found = self.connection.execute(
            select(t.providers.c.id).where(t.providers.c.name == name)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no provider named '{name}'")
        return int(found)

    def _user_id(self, username: str) -> int:
        found = self.connection.execute(
            select(t.users.c.id).where(t.users.c.username == username)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"no user named '{username}'")
        return int(found)

    def _values(self, user: User) -> dict[str, Any]:
        return {
            "username": user.username,
            "password_hash": user.password_hash,
            "role": user.role.value,
            "provider_id": self._provider_id(user.provider),
            "disabled": user.disabled,
            "approver": user.approver,
            "created_at": naive_utc(user.created_at or datetime.now(UTC)),
        }

    def add_user(self, user: User) -> None:
        if self.user(user.username) is not None:
            raise DuplicateError(f"a user named '{user.username}' exists already")
        self.connection.execute(insert(t.users).values(**self._values(user)))

    def update_user(self, user: User) -> None:
        ident = self._user_id(user.username)
        self.connection.execute(
            update(t.users).where(t.users.c.id == ident).values(**self._values(user))
        )

    def _select_users(self) -> Any:
        return select(t.users, t.providers.c.name.label("provider_name")).outerjoin(
            t.providers, t.providers.c.id == t.users.c.provider_id
        )

    @staticmethod
    def _user(row: RowMapping) -> User:
        return User(
            username=row["username"],
            role=Role(row["role"]),
            password_hash=row["password_hash"],
            provider=row["provider_name"],
            disabled=bool(row["disabled"]),
            created_at=aware_utc(row["created_at"]),
            approver=bool(row["approver"]),
        )

    def user(self, username: str) -> User | None:
        row = (
            self.connection.execute(self._select_users().where(t.users.c.username == username))
            .mappings()
            .one_or_none()
        )
        return None if row is None else self._user(row)

    def users(self) -> list[User]:
        rows = self.connection.execute(self._select_users().order_by(t.users.c.username))
        return [self._user(row) for row in rows.mappings()]

    def add_token(self, token: ApiToken) -> None:
        ident = self._user_id(token.username)
        taken = self.connection.execute(
            select(t.api_tokens.c.id).where(
                t.api_tokens.c.user_id == ident, t.api_tokens.c.name == token.name
            )
        ).first()
        if taken is not None:
            raise DuplicateError(f"'{token.username}' has a token named '{token.name}' already")
        self.connection.execute(
            insert(t.api_tokens).values(
                user_id=ident,
                name=token.name,
                token_hash=token.token_hash,
                created_at=naive_utc(token.created_at),
                expires_at=naive_utc(token.expires_at),
                revoked=token.revoked,
            )
        )

    def _select_tokens(self) -> Any:
        return select(t.api_tokens, t.users.c.username).join(
            t.users, t.users.c.id == t.api_tokens.c.user_id
        )

    @staticmethod
    def _token(row: RowMapping) -> ApiToken:
        return ApiToken(
            name=row["name"],
            username=row["username"],
            token_hash=row["token_hash"],
            created_at=row["created_at"].replace(tzinfo=UTC),
            expires_at=aware_utc(row["expires_at"]),
            revoked=bool(row["revoked"]),
        )

    def token(self, token_hash: str) -> ApiToken | None:
        row = (
            self.connection.execute(
                self._select_tokens().where(t.api_tokens.c.token_hash == token_hash)
            )
            .mappings()
            .one_or_none()
        )
        return None if row is None else self._token(row)

    def tokens(self, username: str) -> list[ApiToken]:
        rows = self.connection.execute(
            self._select_tokens()
            .where(t.users.c.username == username)
            .order_by(t.api_tokens.c.created_at)
        )
        return [self._token(row) for row in rows.mappings()]

    def revoke_token(self, username: str, name: str) -> bool:
        ident = self._user_id(username)
        result = self.connection.execute(
            update(t.api_tokens)
            .where(t.api_tokens.c.user_id == ident, t.api_tokens.c.name == name)
            .values(revoked=True)
        )
        return bool(result.rowcount)

    def add_session(self, session: WebSession) -> None:
        self.connection.execute(
            insert(t.web_sessions).values(
                token_hash=session.token_hash,
                user_id=self._user_id(session.username),
                csrf_token=session.csrf_token,
                created_at=naive_utc(session.created_at),
                expires_at=naive_utc(session.expires_at),
            )
        )

    def session(self, token_hash: str) -> WebSession | None:
        row = (
            self.connection.execute(
                select(t.web_sessions, t.users.c.username)
                .join(t.users, t.users.c.id == t.web_sessions.c.user_id)
                .where(t.web_sessions.c.token_hash == token_hash)
            )
            .mappings()
            .one_or_none()
        )
        if row is None:
            return None
        return WebSession(
            row["token_hash"],
            row["username"],
            row["csrf_token"],
            row["created_at"].replace(tzinfo=UTC),
            row["expires_at"].replace(tzinfo=UTC),
        )

    def delete_session(self, token_hash: str) -> None:
        self.connection.execute(
            delete(t.web_sessions).where(t.web_sessions.c.token_hash == token_hash)
        )

    def delete_expired_sessions(self, now: datetime) -> int:
        result = self.connection.execute(
            delete(t.web_sessions).where(t.web_sessions.c.expires_at <= naive_utc(now))
        )
        return int(result.rowcount)

    def record_failure(self, key: str, at: datetime) -> None:
        self.connection.execute(insert(t.login_failures).values(key=key, at=naive_utc(at)))

    def recent_failures(self, key: str, since: datetime) -> tuple[int, datetime | None]:
        failures = t.login_failures
        count, newest = self.connection.execute(
            select(func.count(), func.max(failures.c.at)).where(
                failures.c.key == key, failures.c.at >= naive_utc(since)
            )
        ).one()
        return int(count), aware_utc(newest)

    def clear_failures(self, key: str) -> None:
        self.connection.execute(delete(t.login_failures).where(t.login_failures.c.key == key))

    def forget_failures(self, before: datetime) -> int:
        result = self.connection.execute(
            delete(t.login_failures).where(t.login_failures.c.at < naive_utc(before))
        )
        return int(result.rowcount)
