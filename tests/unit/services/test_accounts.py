"""Accounts on the in-memory twin: users, sign-in throttling, sessions and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from governance_factories import PROVIDER
from sourcewise.security.secrets import token_hash
from sourcewise.security.users import Role
from sourcewise.services.accounts import (
    MAX_FAILURES_PER_USER,
    THROTTLE_WINDOW,
    AccountError,
    SignInError,
    ThrottledError,
    add_user,
    authenticate,
    create_token,
    end_session,
    revoke_token,
    session_principal,
    start_session,
    token_principal,
)
from sourcewise.storage.memory import MemoryUnitOfWork

PASSWORD = "correct horse battery"


@pytest.fixture
def uow() -> MemoryUnitOfWork:
    memory = MemoryUnitOfWork()
    with memory:
        memory.engagements.add_provider(PROVIDER)
        memory.commit()
    add_user(lambda: memory, "ana", PASSWORD, Role.ANALYST)
    return memory


def test_passwords_are_stored_as_argon2_hashes(uow: MemoryUnitOfWork) -> None:
    with uow:
        user = uow.accounts.user("ana")
        entries = uow.audit_log.entries(entity="user")
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PASSWORD not in str(entries[0].after)


@pytest.mark.parametrize(
    ("username", "password", "role", "provider", "message"),
    [
        ("Ana Maria", PASSWORD, Role.VIEWER, None, "lower-case"),
        ("bo", "short", Role.VIEWER, None, "at least 12"),
        ("bo", PASSWORD, Role.PROVIDER, None, "needs --provider"),
        ("bo", PASSWORD, Role.VIEWER, PROVIDER.name, "only provider users"),
        ("bo", PASSWORD, Role.PROVIDER, "Nobody", "no provider named 'Nobody'"),
        ("ana", PASSWORD, Role.VIEWER, None, "exists already"),
    ],
)
def test_bad_users_are_refused(
    uow: MemoryUnitOfWork,
    username: str,
    password: str,
    role: Role,
    provider: str | None,
    message: str,
) -> None:
    with pytest.raises(AccountError, match=message):
        add_user(lambda: uow, username, password, role, provider)


def test_sign_in_and_throttling_per_user(uow: MemoryUnitOfWork) -> None:
    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    assert authenticate(lambda: uow, "ana", PASSWORD, "10.0.0.1", now).role is Role.ANALYST
    for _ in range(MAX_FAILURES_PER_USER):
        with pytest.raises(SignInError):
            authenticate(lambda: uow, "ana", "wrong password!", "10.0.0.1", now)
    # Locked even with the right password, from another address too, until the window passes.
    with pytest.raises(ThrottledError):
        authenticate(lambda: uow, "ana", PASSWORD, "10.0.0.2", now)
    later = now + THROTTLE_WINDOW + timedelta(seconds=1)
    assert authenticate(lambda: uow, "ana", PASSWORD, "10.0.0.2", later).username == "ana"


def test_sessions_expire_and_end(uow: MemoryUnitOfWork) -> None:
    raw, session = start_session(lambda: uow, "ana", timedelta(hours=1))
    with uow:
        stored = uow.accounts.session(token_hash(raw))
    assert stored == session
    assert raw not in str(stored)  # only the hash is stored
    found = session_principal(lambda: uow, raw)
    assert found is not None
    assert found[0].username == "ana"
    assert session_principal(lambda: uow, raw, session.expires_at) is None
    end_session(lambda: uow, raw)
    assert session_principal(lambda: uow, raw) is None


def test_tokens_expire_and_can_be_revoked(uow: MemoryUnitOfWork) -> None:
    raw = create_token(lambda: uow, "ana", "nightly upload", days=30)
    principal = token_principal(lambda: uow, raw)
    assert principal is not None
    assert principal.role is Role.ANALYST
    in_31_days = datetime.now(UTC) + timedelta(days=31)
    assert token_principal(lambda: uow, raw, in_31_days) is None
    with pytest.raises(AccountError, match="already"):
        create_token(lambda: uow, "ana", "nightly upload")
    revoke_token(lambda: uow, "ana", "nightly upload")
    assert token_principal(lambda: uow, raw) is None
    assert token_principal(lambda: uow, "sw_not-a-token") is None
