"""Accounts: users, sign-in with throttling, web sessions and API tokens.

Sign-in failures are counted per (username, address) pair and per address, and each count
earns a growing wait (``security.throttle``: the rules and their numbers). During a wait every
attempt is refused, whether or not the password is right; a right password after it signs in
and clears that pair's failures (not the address's). Unknown usernames take as long as known
ones (a dummy hash is checked).

Attempts at one pair are checked one at a time in this process, so a burst of parallel guesses
earns no more tries than the same guesses in a row. Sign-in writes only when it must: a
failure, or a success that clears failures or upgrades the hash, each in a short write
transaction of its own (on SQLite one begun IMMEDIATE, which waits for the lock instead of
failing with "database is locked").
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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
from sourcewise.security.throttle import ADDRESS, MEMORY, PAIR
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

SESSION_LIFETIME = timedelta(hours=8)
NO_PROVIDER_APPROVER = "a provider user cannot approve business cases"
PAIR_TURN_TIMEOUT = 10.0
"""Seconds an attempt waits for an earlier one at the same pair before it is refused."""


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why."""


class SignInError(PermissionError):
    """Wrong username or password (deliberately not saying which)."""


class ThrottledError(PermissionError):
    """Too many failed sign-ins lately: wait ``retry_after`` before the next attempt."""

    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after = retry_after
        seconds = self.retry_seconds
        if seconds < 120:
            when = "1 second" if seconds == 1 else f"{seconds} seconds"
        else:
            when = f"{math.ceil(seconds / 60)} minutes"
        super().__init__(f"too many failed sign-ins; try again in {when}")

    @property
    def retry_seconds(self) -> int:
        """The wait in whole seconds, rounded up (for ``Retry-After``)."""
        return max(1, math.ceil(self.retry_after.total_seconds()))


class _Turns:
    """One lock per key, made on demand and dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextmanager
    def take(self, key: str, timeout: float) -> Iterator[bool]:
        """Hold ``key``'s lock (True), or give up after ``timeout`` seconds (False)."""
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        held = lock.acquire(timeout=timeout)
        try:
            yield held
        finally:
            if held:
                lock.release()
            with self._guard:
                lock, users = self._locks[key]
                if users == 1:
                    del self._locks[key]
                else:
                    self._locks[key] = (lock, users - 1)


_TURNS = _Turns()


def _now() -> datetime:
    return datetime.now(UTC)


def add_user(
    make_uow: UowFactory,
    username: str,
    password: str,
    role: Role,
    provider: str | None = None,
    actor: str | None = None,
    *,
    approver: bool = False,
) -> User:
    """A new user; ``approver`` grants approving business cases (never to a provider user)."""
    problems = [p for p in (check_username(username), check_password(password)) if p]
    if role is Role.PROVIDER and not provider:
        problems.append("a provider user needs --provider NAME (whose data it may see)")
    if role is not Role.PROVIDER and provider:
        problems.append("only provider users are tied to a provider")
    if role is Role.PROVIDER and approver:
        problems.append(NO_PROVIDER_APPROVER)
    if problems:
        raise AccountError("; ".join(problems))
    user = User(
        username, role, hash_password(password), provider, created_at=_now(), approver=approver
    )
    with make_uow() as uow:
        if uow.accounts.user(username) is not None:
            raise AccountError(f"a user named '{username}' exists already")
        if provider is not None and uow.engagements.get_provider(provider) is None:
            names = ", ".join(p.name for p in uow.engagements.providers()) or "none yet"
            raise AccountError(f"no provider named '{provider}' (providers: {names})")
        uow.accounts.add_user(user)
        after = {"role": role.value, "provider": provider, "approver": approver}
        log_change(uow, "user", username, None, after, actor)
        uow.commit()
    return user


def set_approver(
    make_uow: UowFactory, username: str, grant: bool, actor: str | None = None
) -> User:
    """Grant or revoke approving business cases (``workspace.approval``); a provider user
    never approves. Granting what is already granted changes nothing and logs nothing."""
    with make_uow() as uow:
        user = uow.accounts.user(username)
        if user is None:
            raise AccountError(f"no user named '{username}'")
        if grant and user.role is Role.PROVIDER:
            raise AccountError(f"'{username}' is a provider user: {NO_PROVIDER_APPROVER}")
        if user.approver is grant:
            return user
        changed = replace(user, approver=grant)
        uow.accounts.update_user(changed)
        log_change(uow, "user", username, {"approver": user.approver}, {"approver": grant}, actor)
        uow.commit()
    return changed


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
    """The principal for a right username and password from address ``client``;
    ``ThrottledError`` while that pair or that address must wait (see the module)."""
    pair = f"pair:{client} {username}"
    with _TURNS.take(pair, PAIR_TURN_TIMEOUT) as held:
        if not held:
            raise ThrottledError(timedelta(seconds=1))
        return _authenticate(make_uow, username, password, pair, client, now or _now())


def _authenticate(
    make_uow: UowFactory, username: str, password: str, pair: str, client: str, now: datetime
) -> Principal:
    address = f"client:{client}"
    with make_uow() as uow:
        pair_failures = uow.accounts.recent_failures(pair, now - PAIR.memory)
        address_failures = uow.accounts.recent_failures(address, now - ADDRESS.memory)
        user = uow.accounts.user(username)
    wait = max(PAIR.wait(*pair_failures, now), ADDRESS.wait(*address_failures, now))
    if wait > timedelta(0):
        raise ThrottledError(wait)
    valid = verify_password(user.password_hash if user else DUMMY_HASH, password)
    if user is None or not valid or user.disabled:
        with make_uow().for_writing() as uow:
            uow.accounts.record_failure(pair, now)
            uow.accounts.record_failure(address, now)
            uow.accounts.forget_failures(now - MEMORY)
            uow.commit()
        raise SignInError("wrong username or password")
    # A successful sign-in writes only when it must: most have nothing to clear or upgrade.
    upgraded = hash_password(password) if needs_rehash(user.password_hash) else None
    if pair_failures[0] or upgraded:
        with make_uow().for_writing() as uow:
            uow.accounts.clear_failures(pair)
            current = uow.accounts.user(username)
            if upgraded and current is not None and current.password_hash == user.password_hash:
                uow.accounts.update_user(replace(current, password_hash=upgraded))
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
