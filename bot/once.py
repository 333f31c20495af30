"""Once per window: a key acts the first time, then is ignored until ``window`` seconds have passed.

Three policies share it: a button pressed twice in a few seconds acts once (key: chat, message and
button data), a user outside the allow-list is told so once an hour per chat (key: chat id), and a
409 Conflict (a second poller) is logged once a minute.
Time is passed in (``now``, seconds on a monotonic clock), so tests need no sleeping.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class OncePerWindow:
    """Remembers when each key last acted; keys older than ``window`` are forgotten."""

    def __init__(self, window: float) -> None:
        self.window = window
        # Insertion order is time order (``now`` never goes back), so expiry pops from the front.
        self._acted: OrderedDict[Hashable, float] = OrderedDict()

    def first(self, key: Hashable, now: float) -> bool:
        """True when ``key`` has not acted within the window (and records that it acts now)."""
        while self._acted and next(iter(self._acted.values())) <= now - self.window:
            self._acted.popitem(last=False)
        if key in self._acted:
            return False
        self._acted[key] = now
        return True

    def __len__(self) -> int:
        return len(self._acted)
