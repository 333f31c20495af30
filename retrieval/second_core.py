"""One persistent helper thread, so one question can use a second core.

The compiled kernels release the GIL (``nogil=True``): while the asking thread scatters one half of
the positions, the helper scatters the other. The helper is started once and kept; a question that
finds it busy (another question is using it) does both halves itself rather than wait in line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


class SecondCore:
    """Runs a second task beside the caller's on a persistent helper thread when it is free."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._free = threading.Lock()  # held while a question's task is on the helper
        self._start = threading.Lock()

    def both(self, here: Callable[[], A], beside: Callable[[], B]) -> tuple[A, B]:
        """``(here(), beside())``, ``beside`` on the helper thread when it is free (else after
        ``here``, on this thread). Both have run to their end when this returns or raises."""
        if not self._free.acquire(blocking=False):
            return here(), beside()
        try:
            future: Future[B] = self._helper().submit(beside)
            try:
                mine = here()
            finally:
                # Wait even when ``here`` failed: the caller may reset what ``beside`` writes.
                wait([future])
            return mine, future.result()  # the helper's error, if any, raised here
        finally:
            self._free.release()

    def _helper(self) -> ThreadPoolExecutor:
        with self._start:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-helper")
            return self._pool


SECOND_CORE = SecondCore()
