"""The per-user question rate limit: a token bucket per user, and one notice when a user hits it.

A question costs CPU that every chat shares (the engine runs in worker threads under one GIL), so
one user may ask ``per_minute`` questions in a burst, then one more each ``60 / per_minute``
seconds. Time is passed in (``now``, seconds on a monotonic clock), so tests need no sleeping.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

# Refills added in steps (2.9 s, then 0.1 s) must make a whole token as one 3 s step does.
_ROUNDING = 1e-9


@dataclass(slots=True)
class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``per_second``; full when created."""

    capacity: float
    per_second: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, capacity: float, per_second: float, now: float) -> TokenBucket:
        return cls(capacity=capacity, per_second=per_second, tokens=capacity, updated=now)

    def refill(self, now: float) -> None:
        # A clock that steps back (it should not: monotonic) never removes tokens.
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.updated = max(self.updated, now)

    def take(self, now: float) -> bool:
        """Spend one token if there is one."""
        self.refill(now)
        if self.tokens < 1.0 - _ROUNDING:
            return False
        self.tokens -= 1.0
        return True

    def is_full(self, now: float) -> bool:
        self.refill(now)
        return self.tokens >= self.capacity - _ROUNDING


class Admission(enum.Enum):
    """What to do with a user's question."""

    ANSWER = "answer"
    REFUSE_AND_SAY = "refuse-and-say"  # the first refusal since the user's bucket ran dry
    REFUSE_QUIETLY = "refuse-quietly"  # already told; silence until tokens return


# Forget users whose bucket is full again (it holds nothing a new bucket would not) this often.
PRUNE_SECONDS = 60.0


class QuestionLimiter:
    """Token buckets per user id; ``per_minute=0`` turns the limit off."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[int, TokenBucket] = {}
        self._told: set[int] = set()
        self._pruned_at: float | None = None

    def admit(self, user_id: int, now: float) -> Admission:
        """Whether ``user_id`` may ask now; the refusal is to be said once per dry spell."""
        if self.per_minute <= 0:
            return Admission.ANSWER
        self._prune(now)
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = TokenBucket.full(self.per_minute, self.per_minute / 60.0, now)
        if bucket.take(now):
            self._told.discard(user_id)
            return Admission.ANSWER
        if user_id in self._told:
            return Admission.REFUSE_QUIETLY
        self._told.add(user_id)
        return Admission.REFUSE_AND_SAY

    def tracked_users(self) -> int:
        return len(self._buckets)

    def _prune(self, now: float) -> None:
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_SECONDS:
            return
        self._pruned_at = now
        for user_id in [user for user, bucket in self._buckets.items() if bucket.is_full(now)]:
            del self._buckets[user_id]
            self._told.discard(user_id)
