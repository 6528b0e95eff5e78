"""Accounts: users, sign-in with throttling, web sessions and API tokens.

Sign-in failures are counted per username and per client address; after
``MAX_FAILURES_PER_USER`` failures in ``THROTTLE_WINDOW`` (or ``MAX_FAILURES_PER_CLIENT``
from one address) further attempts are refused until the window has passed, whether or not
the password is right. Unknown usernames take as long as known ones (a dummy hash is checked).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sourcewise.security.secrets import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    new_token,
    token_hash,
    verify_password,
)
from sourcewise.security.users import (
    ApiToken,
    Principal,
    Role,
    User,
    WebSession,
    check_password,
    check_username,
)
from sourcewise.services.governance_store import UowFactory, log_change
from sourcewise.storage.repositories import NotFoundError

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20
SESSION_LIFETIME = timedelta(hours=8)


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why."""


class SignInError(PermissionError):
    """Wrong username or password (deliberately not saying which)."""


class ThrottledError(PermissionError):
    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after = retry_after
        minutes = max(1, int(retry_after.total_seconds() // 60) + 1)
        super().__init__(f"too many failed sign-ins; try again in {minutes} minutes")


def _now() -> datetime:
    return datetime.now(UTC)


def add_user(
    make_uow: UowFactory,
    username: str,
    password: str,
    role: Role,
    provider: str | None = None,
    actor: str | None = None,
) -> User:
    problems = [p for p in (check_username(username), check_password(password)) if p]
    if role is Role.PROVIDER and not provider:
        problems.append("a provider user needs --provider NAME (whose data it may see)")
    if role is not Role.PROVIDER and provider:
        problems.append("only provider users are tied to a provider")
    if problems:
        raise AccountError("; ".join(problems))
    user = User(username, role, hash_password(password), provider, created_at=_now())
    with make_uow() as uow:
        if uow.accounts.user(username) is not None:
            raise AccountError(f"a user named '{username}' exists already")
        if provider is not None and uow.engagements.get_provider(provider) is None:
            names = ", ".join(p.name for p in uow.engagements.providers()) or "none yet"
            raise AccountError(f"no provider named '{provider}' (providers: {names})")
        uow.accounts.add_user(user)
        log_change(uow, "user", username, None, {"role": role.value, "provider": provider}, actor)
        uow.commit()
    return user


def set_password(
    make_uow: UowFactory, username: str, password: str, actor: str | None = None
) -> None:
    problem = check_password(password)
    if problem:
        raise AccountError(problem)
    with make_uow() as uow:
        user = uow.accounts.user(username)
        if user is None:
            raise AccountError(f"no user named '{username}'")
        uow.accounts.update_user(replace(user, password_hash=hash_password(password)))
        log_change(uow, "user", username, {"password": "…"}, {"password": "changed"}, actor)
        uow.commit()


def authenticate(
    make_uow: UowFactory, username: str, password: str, client: str, now: datetime | None = None
) -> Principal:
    """The principal for a right username and password; throttled after repeated failures."""
    now = now or _now()
    since = now - THROTTLE_WINDOW
    user_key, client_key = f"user:{username}", f"client:{client}"
    with make_uow() as uow:
        if (
            uow.accounts.failures_since(user_key, since) >= MAX_FAILURES_PER_USER
            or uow.accounts.failures_since(client_key, since) >= MAX_FAILURES_PER_CLIENT
        ):
            raise ThrottledError(THROTTLE_WINDOW)
        user = uow.accounts.user(username)
        valid = verify_password(user.password_hash if user else DUMMY_HASH, password)
        if user is None or not valid or user.disabled:
            uow.accounts.record_failure(user_key, now)
            uow.accounts.record_failure(client_key, now)
            uow.commit()
            raise SignInError("wrong username or password")
        # A successful sign-in writes only when it must: a read-then-write transaction on
        # SQLite fails at once ("database is locked") if another writer committed meanwhile.
        changed = False
        if uow.accounts.failures_since(user_key, since) > 0:
            uow.accounts.clear_failures(user_key)
            changed = True
        if needs_rehash(user.password_hash):
            uow.accounts.update_user(replace(user, password_hash=hash_password(password)))
            changed = True
        if changed:
            uow.commit()
        return user.principal


def start_session(
    make_uow: UowFactory, username: str, lifetime: timedelta = SESSION_LIFETIME
) -> tuple[str, WebSession]:
    """A new session: the raw token for the cookie, and the stored record (hash, CSRF token)."""
    raw = new_token("s_")
    now = _now()
    session = WebSession(token_hash(raw), username, new_token("c_"), now, now + lifetime)
    with make_uow() as uow:
        uow.accounts.delete_expired_sessions(now)
        uow.accounts.add_session(session)
        uow.commit()
    return raw, session


def session_principal(
    make_uow: UowFactory, raw: str, now: datetime | None = None
) -> tuple[Principal, WebSession] | None:
    now = now or _now()
    with make_uow() as uow:
        session = uow.accounts.session(token_hash(raw))
        if session is None or session.expires_at <= now:
            return None
        user = uow.accounts.user(session.username)
    if user is None or user.disabled:
        return None
    return user.principal, session


def end_session(make_uow: UowFactory, raw: str) -> None:
    with make_uow() as uow:
        uow.accounts.delete_session(token_hash(raw))
        uow.commit()


def create_token(
    make_uow: UowFactory,
    username: str,
    name: str,
    days: int | None = None,
    actor: str | None = None,
) -> str:
    """A new API token for ``username``; the raw value is shown once and stored hashed."""
    if not name.strip() or len(name) > 100:
        raise AccountError("give the token a name of 1–100 characters")
    raw = new_token()
    now = _now()
    token = ApiToken(
        name.strip(),
        username,
        token_hash(raw),
        now,
        None if days is None else now + timedelta(days=days),
    )
    with make_uow() as uow:
        if uow.accounts.user(username) is None:
            raise AccountError(f"no user named '{username}'")
        if any(t.name == token.name for t in uow.accounts.tokens(username)):
            raise AccountError(f"'{username}' has a token named '{token.name}' already")
        uow.accounts.add_token(token)
        log_change(uow, "api_token", f"{username}/{token.name}", None, {"created": "yes"}, actor)
        uow.commit()
    return raw


def token_principal(
    make_uow: UowFactory, raw: str, now: datetime | None = None
) -> Principal | None:
    now = now or _now()
    with make_uow() as uow:
        token = uow.accounts.token(token_hash(raw))
        if token is None or token.revoked:
            return None
        if token.expires_at is not None and token.expires_at <= now:
            return None
        user = uow.accounts.user(token.username)
    if user is None or user.disabled:
        return None
    return user.principal


def revoke_token(make_uow: UowFactory, username: str, name: str, actor: str | None = None) -> None:
    with make_uow() as uow:
        try:
            revoked = uow.accounts.revoke_token(username, name)
        except NotFoundError:  # no such user (an admin's ?username=): no such token either
            revoked = False
        if not revoked:
            raise AccountError(f"'{username}' has no token named '{name}'")
        log_change(
            uow, "api_token", f"{username}/{name}", {"revoked": False}, {"revoked": True}, actor
        )
        uow.commit()
