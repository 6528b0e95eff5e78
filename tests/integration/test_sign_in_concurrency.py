"""Concurrent sign-ins on a SQLite file: no "database is locked", and a burst of parallel
guesses at one account from one address earns no more tries than the same guesses in a row."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sourcewise.security.users import Role
from sourcewise.services.accounts import SignInError, ThrottledError, add_user, authenticate
from sourcewise.services.governance_store import UowFactory, open_store, upgrade_store

PASSWORD = "correct horse battery"
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def store(folder: Path) -> UowFactory:
    url = f"sqlite:///{folder / 'governance.db'}"
    upgrade_store(url)
    make_uow = open_store(url)
    add_user(make_uow, "ana", PASSWORD, Role.ANALYST)
    return make_uow


def at_once(attempts: list[tuple[str, str]], make_uow: UowFactory) -> Counter[str]:
    """Every (password, address) attempt at ana on its own thread, released together; what
    each was answered ('ok', 'wrong', 'wait', or the unexpected exception's name)."""
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(attempts))

    def attempt(password: str, client: str) -> None:
        start.wait()
        try:
            authenticate(make_uow, "ana", password, client, NOW)
            outcome = "ok"
        except SignInError:
            outcome = "wrong"
        except ThrottledError:
            outcome = "wait"
        except Exception as error:  # the test reports whatever it was
            outcome = f"{type(error).__name__}: {error}"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=attempt, args=a) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_a_burst_of_guesses_gets_five_tries_and_the_real_user_still_signs_in(
    tmp_path: Path,
) -> None:
    make_uow = store(tmp_path)
    guesses = [("wrong password!", "203.0.113.66")] * 12
    users = [(PASSWORD, f"10.0.0.{n}") for n in range(1, 5)]
    outcomes = at_once(guesses + users, make_uow)
    assert outcomes == Counter({"wrong": 5, "wait": 7, "ok": 4})
