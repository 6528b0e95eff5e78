"""Sign-in back-off: how long failed sign-ins make the next attempt wait.

Failures are counted twice, and an attempt waits for whichever count asks longer:

* per **account and address** (``PAIR``): 5 failures cost nothing; after the 5th the next
  attempt waits 1 s, after the 6th 2 s, then 4, 8, … up to 15 minutes. Only that pair waits:
  the same account signs in from any other address at once, so nobody can lock a real user
  out, while a guesser at one account gets about 15 tries in its first half hour and four an
  hour after that;
* per **address** (``ADDRESS``), whatever the accounts: 20 failures in an hour cost nothing;
  then 1 s, 2 s, … at most one minute. An address is slowed, never locked: everyone behind a
  shared address may still try once a minute, and a password sprayer gets sixty tries an hour.

A wait runs from the newest failure, and failures older than the rule's ``memory`` are
forgotten. These are pure functions of the counts; ``services.accounts`` keeps the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class Backoff:
    free: int
    """Failures that cost nothing."""
    first: timedelta
    """The wait after the first failure past the free ones; each further one doubles it."""
    cap: timedelta
    """The longest wait."""
    memory: timedelta
    """How long a failure counts."""

    def delay(self, failures: int) -> timedelta:
        """The wait that ``failures`` failures earn, from the newest of them."""
        if failures < self.free:
            return ZERO
        doublings = failures - self.free
        if doublings >= 64:  # the cap was reached long before; keep the numbers small
            return self.cap
        return min(self.first * (1 << doublings), self.cap)

    def wait(self, failures: int, newest: datetime | None, now: datetime) -> timedelta:
        """What is left at ``now`` of the wait earned by ``failures`` (the newest at ``newest``)."""
        if newest is None:
            return ZERO
        return max(newest + self.delay(failures) - now, ZERO)


PAIR = Backoff(
    free=5, first=timedelta(seconds=1), cap=timedelta(minutes=15), memory=timedelta(days=1)
)
ADDRESS = Backoff(
    free=20, first=timedelta(seconds=1), cap=timedelta(minutes=1), memory=timedelta(hours=1)
)
MEMORY = max(PAIR.memory, ADDRESS.memory)
"""Failures older than this count for no rule and can be deleted."""
