"""How much one feed refresh may do, and how long a feed or entry that keeps failing waits.

A refresh is bounded three ways: at most ``max_new_entries`` new pages per feed (a feed that suddenly
lists 5,000 items is worked through over several refreshes, newest first), a total time budget (the
feeds refreshed least recently go first, so a budget that runs out does not starve the same ones),
and exponential back-off for what keeps failing (a dead link is not downloaded on every refresh).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["RefreshLimits", "utc_now"]

# 2**40 half-hours is far beyond any cap; the exponent is bounded so the float never overflows.
_MAX_DOUBLINGS = 40


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class RefreshLimits:
    """The bounds of one refresh of the followed feeds."""

    max_new_entries: int = 50
    """New entries (not stored, not removed, not backing off) fetched per feed per refresh."""
    budget_seconds: float = 300.0
    """Wall time for the whole refresh; what is left over waits for the next one."""
    backoff_seconds: float = 1800.0
    """The wait after the first failure; it doubles with each further failure in a row."""
    max_backoff_seconds: float = 7 * 24 * 3600.0
    """The longest wait: a dead source is still tried once a week."""

    def __post_init__(self) -> None:
        if self.max_new_entries < 1 or self.budget_seconds <= 0 or self.backoff_seconds <= 0:
            raise ValueError(f"refresh limits must be positive: {self}")

    def retry_after(self, failures: int, now: datetime) -> datetime:
        """When to try again after ``failures`` failures in a row (1 for the first)."""
        doublings = min(max(failures - 1, 0), _MAX_DOUBLINGS)
        delay = min(self.backoff_seconds * 2**doublings, self.max_backoff_seconds)
        return now + timedelta(seconds=delay)
