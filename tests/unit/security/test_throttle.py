"""Sign-in back-off: the waits a number of failures earns, and what is left of one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sourcewise.security.throttle import ADDRESS, PAIR, Backoff

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


def seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def test_a_pair_has_five_free_failures_then_doubling_waits_up_to_fifteen_minutes() -> None:
    assert [PAIR.delay(n) for n in range(5)] == [timedelta(0)] * 5
    doubling = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert [PAIR.delay(n).total_seconds() for n in range(5, 17)] == doubling
    assert PAIR.delay(10_000) == timedelta(minutes=15)


def test_an_address_is_slowed_to_one_attempt_a_minute_at_most() -> None:
    assert ADDRESS.delay(19) == timedelta(0)
    doubling = [1, 2, 4, 8, 16, 32, 60, 60]
    assert [ADDRESS.delay(n).total_seconds() for n in range(20, 28)] == doubling
    assert ADDRESS.delay(10**6) == timedelta(minutes=1)


def test_the_wait_runs_from_the_newest_failure() -> None:
    rule = Backoff(free=1, first=seconds(10), cap=seconds(100), memory=timedelta(hours=1))
    assert rule.wait(0, None, NOW) == timedelta(0)
    assert rule.wait(1, NOW, NOW) == seconds(10)
    assert rule.wait(2, NOW - seconds(5), NOW) == seconds(15)
    assert rule.wait(2, NOW - seconds(30), NOW) == timedelta(0)
