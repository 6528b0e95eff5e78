"""Accounts on the in-memory twin: users, sign-in throttling, sessions and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from governance_factories import PROVIDER
from sourcewise.security import secrets
from sourcewise.security.secrets import token_hash
from sourcewise.security.users import Role
from sourcewise.services import accounts
from sourcewise.services.accounts import (
    AccountError,
    SignInError,
    ThrottledError,
    add_user,
    authenticate,
    create_token,
    end_session,
    revoke_token,
    session_principal,
    set_approver,
    start_session,
    token_principal,
)
from sourcewise.storage.memory import MemoryUnitOfWork

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its cheapest: these tests count dozens of attempts, not the cost of each."""
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(secrets, "_HASHER", cheap)
    monkeypatch.setattr(accounts, "DUMMY_HASH", cheap.hash("not a real password"))


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


def test_the_approver_grant_is_logged_and_never_a_provider_users(uow: MemoryUnitOfWork) -> None:
    make = lambda: uow  # noqa: E731
    cfo = add_user(make, "cfo", PASSWORD, Role.VIEWER, approver=True)
    assert cfo.principal.can_approve
    assert not set_approver(make, "cfo", False, actor="admin").approver
    assert set_approver(make, "cfo", False).approver is False  # nothing to change: not logged
    with pytest.raises(AccountError, match="cannot approve"):
        add_user(make, "pat", PASSWORD, Role.PROVIDER, PROVIDER.name, approver=True)
    add_user(make, "pat", PASSWORD, Role.PROVIDER, PROVIDER.name)
    with pytest.raises(AccountError, match="'pat' is a provider user"):
        set_approver(make, "pat", True)
    with pytest.raises(AccountError, match="no user named 'nobody'"):
        set_approver(make, "nobody", True)
    with uow:
        changes = [(e.actor, e.before, e.after) for e in uow.audit_log.entries(entity="user")]
    assert ("admin", {"approver": True}, {"approver": False}) in changes
    assert sum(1 for _, before, _ in changes if before and "approver" in before) == 1


NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)
HOME, ATTACKER = "10.0.0.2", "203.0.113.66"


def sign_in(
    uow: MemoryUnitOfWork, password: str, at: datetime, client: str = HOME, user: str = "ana"
) -> str:
    """'ok', 'wrong' or the wait in seconds, e.g. 'wait 2'."""
    try:
        authenticate(lambda: uow, user, password, client, at)
    except SignInError:
        return "wrong"
    except ThrottledError as throttled:
        return f"wait {throttled.retry_after.total_seconds():g}"
    return "ok"


def test_sign_in_with_the_right_password(uow: MemoryUnitOfWork) -> None:
    assert authenticate(lambda: uow, "ana", PASSWORD, HOME, NOW).role is Role.ANALYST
    assert sign_in(uow, "wrong password!", NOW) == "wrong"
    assert sign_in(uow, PASSWORD, NOW, user="nobody") == "wrong"


def test_failures_from_one_address_never_lock_the_user_out_of_another(
    uow: MemoryUnitOfWork,
) -> None:
    for n in range(40):
        sign_in(uow, "wrong password!", NOW + timedelta(seconds=n), client=ATTACKER)
    assert sign_in(uow, PASSWORD, NOW + timedelta(seconds=40), client=HOME) == "ok"
    assert sign_in(uow, PASSWORD, NOW + timedelta(seconds=40), client=ATTACKER).startswith("wait")


def test_each_failure_past_five_doubles_the_wait_up_to_fifteen_minutes(
    uow: MemoryUnitOfWork,
) -> None:
    at = NOW
    assert [sign_in(uow, "wrong password!", at) for _ in range(5)] == ["wrong"] * 5
    waits = []
    for _ in range(12):
        # Refused during the wait even with the right password (no oracle for a guesser).
        answer = sign_in(uow, PASSWORD, at)
        waits.append(answer)
        at += timedelta(seconds=float(answer.split()[1]))
        assert sign_in(uow, "wrong password!", at) == "wrong"
    assert waits == [f"wait {s}" for s in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900)]


def test_the_right_password_after_the_wait_signs_in_and_starts_afresh(
    uow: MemoryUnitOfWork,
) -> None:
    for _ in range(5):
        sign_in(uow, "wrong password!", NOW)
    assert sign_in(uow, PASSWORD, NOW + timedelta(seconds=0.5)) == "wait 0.5"
    later = NOW + timedelta(seconds=1)
    assert sign_in(uow, PASSWORD, later) == "ok"
    assert [sign_in(uow, "wrong password!", later) for _ in range(5)] == ["wrong"] * 5


def test_an_address_is_slowed_never_locked(uow: MemoryUnitOfWork) -> None:
    """Twenty failures from one address, whichever usernames, cost nothing; then each attempt
    from it waits 1 s, 2 s, … at most a minute after the last failure, and may then try."""
    at = NOW
    for n in range(20):
        assert sign_in(uow, "wrong password!", at, ATTACKER, f"guess{n}") == "wrong"
    waits = []
    for n in range(20, 30):
        answer = sign_in(uow, PASSWORD, at, ATTACKER)  # a real user behind the same address
        waits.append(answer)
        at += timedelta(seconds=float(answer.split()[1]))
        assert sign_in(uow, "wrong password!", at, ATTACKER, f"guess{n}") == "wrong"
    assert waits[:7] == [f"wait {s}" for s in (1, 2, 4, 8, 16, 32, 60)]
    assert set(waits[7:]) == {"wait 60"}
    assert sign_in(uow, PASSWORD, at, HOME) == "ok"  # other addresses are not slowed at all
    assert sign_in(uow, PASSWORD, at + timedelta(minutes=1), ATTACKER) == "ok"


def test_signing_in_does_not_clear_the_address(uow: MemoryUnitOfWork) -> None:
    """An attacker with an account of their own cannot reset their address's count with it."""
    for n in range(20):
        sign_in(uow, "wrong password!", NOW, ATTACKER, f"guess{n}")
    assert sign_in(uow, "wrong password!", NOW + timedelta(seconds=1), ATTACKER) == "wrong"
    at = NOW + timedelta(seconds=3)
    assert sign_in(uow, PASSWORD, at, ATTACKER) == "ok"
    # The address has 22 failures now, not 1: its next wait is 4 s.
    assert sign_in(uow, "wrong password!", at, ATTACKER, "x") == "wrong"
    assert sign_in(uow, "wrong password!", at, ATTACKER, "y") == "wait 4"


def test_failures_are_forgotten_after_a_day(uow: MemoryUnitOfWork) -> None:
    for _ in range(8):
        sign_in(uow, "wrong password!", NOW)
    tomorrow = NOW + timedelta(days=1, seconds=1)
    assert [sign_in(uow, "wrong password!", tomorrow) for _ in range(5)] == ["wrong"] * 5
    kept = uow.committed.failures
    assert kept, "the new failures are kept"
    assert all(at == tomorrow for _, at in kept), "a day-old failure is kept"


def test_the_refusal_says_how_long_to_wait() -> None:
    assert str(ThrottledError(timedelta(seconds=0.2))).endswith("try again in 1 second")
    assert str(ThrottledError(timedelta(seconds=64))).endswith("try again in 64 seconds")
    assert str(ThrottledError(timedelta(minutes=15))).endswith("try again in 15 minutes")
    assert ThrottledError(timedelta(seconds=1.5)).retry_seconds == 2


def test_sign_in_writes_only_when_it_must(uow: MemoryUnitOfWork) -> None:
    """A right password with no failures to clear, or a refusal during a wait, commits
    nothing: on SQLite every needless write would contend with the others for the lock."""
    before = uow.commits
    assert sign_in(uow, PASSWORD, NOW) == "ok"
    assert uow.commits == before
    for _ in range(5):
        sign_in(uow, "wrong password!", NOW)
    before = uow.commits
    assert sign_in(uow, PASSWORD, NOW) == "wait 1"
    assert uow.commits == before


def test_an_outdated_hash_is_upgraded_on_sign_in(
    uow: MemoryUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(secrets, "_HASHER", stronger)
    assert sign_in(uow, PASSWORD, NOW) == "ok"
    with uow:
        user = uow.accounts.user("ana")
    assert user is not None
    assert "m=16,t=2,p=1" in user.password_hash
    assert sign_in(uow, PASSWORD, NOW) == "ok"


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
