"""Answers go first while an index grows in the process that serves it.

An add (``AnswerEngine.added``) runs in one thread while others answer questions, and its Python
steps (tokenizing and analysing in the serving process, numbering a batch's words, folding their
analyses) hold the GIL. Two things keep answers from queueing behind it:

* A short switch interval while an add runs (``adding``). A thread waiting for the GIL
  gets it only once the running thread has run for the interpreter's switch interval (5 ms by
  default); an answer releases the GIL many times (compiled kernels, reads, large numpy
  operations), and each release cost it up to 5 ms to get the GIL back, 100-300 ms an answer. At
  1M sentences, 100 articles added in the serving process, six adds each way interleaved in one
  process (idle answer p95 ~36 ms): answer p95 meanwhile 251 ms at 5 ms, 103 ms at 0.5 ms, 84 ms at
  0.2 ms, 71 ms at 0.1 ms; the add took as long (0.82-0.84 s). The interval only matters when two
  threads want the GIL, so nothing changes while no add runs.
* The add's loops stop between pieces while an answer is in flight (``let_answers_run``; answers
  are counted by ``answering``): even with short switches, an answer sharing the GIL with an add's
  Python ran at about half speed. The add's forked workers stop too (the count is kept in memory
  they share): a worker on one of two cores beside an answer that uses both (``SECOND_CORE``) made
  it about twice as slow. Running the workers at idle priority instead did as well on an idle
  machine, but starved them beside other busy processes (a 1,000-article add took 14.8 s, bar 15 s).
  A call waits at most ``MOST_WAITED``, and an add at most ``ADD_WAIT_BUDGET`` in all (each worker
  too), so a steady stream of questions slows an add by about half a second at most.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final, ParamSpec, TypeVar

SHORT_INTERVAL: Final = 0.0002
# The longest an add's piece waits for answers in flight (an answer at 1M sentences: ~20-50 ms),
# and the longest an add (and each of its workers) waits in all: adds of 100 and 1,000 articles
# must be answered from within 3 and 15 s, and take about 1 and 4 s at 1M sentences (2-3 and 8 s
# on a machine busy with other work).
MOST_WAITED = 0.1
ADD_WAIT_BUDGET = 0.5
_POLL: Final = 0.001  # a forked worker reads its parent's answers in flight this often

P = ParamSpec("P")
R = TypeVar("R")


class _Scopes:
    """Counts the adds running at once: the first shortens the interval and opens the budget of
    waits for answers (``wait_left``, seconds), the last restores the interval."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._saved = 0.0
        self.wait_left = ADD_WAIT_BUDGET

    def enter(self) -> None:
        with self._lock:
            if self._open == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SHORT_INTERVAL))
                self.wait_left = ADD_WAIT_BUDGET
            self._open += 1

    def leave(self) -> None:
        with self._lock:
            self._open -= 1
            if self._open == 0:
                sys.setswitchinterval(self._saved)


class _Answers:
    """Answers in flight in this process (``idle`` is set while there are none), counted in memory
    that processes forked later share; ``parent`` is the count of the process this one was forked
    from, if any."""

    def __init__(self, parent: ctypes.c_int64 | None = None) -> None:
        self._lock = threading.Lock()
        self._shared = mmap.mmap(-1, ctypes.sizeof(ctypes.c_int64))
        self.count = ctypes.c_int64.from_buffer(self._shared)
        self.parent = parent
        self.idle = threading.Event()
        self.idle.set()

    @property
    def in_flight(self) -> int:
        return self.count.value

    def start(self) -> None:
        with self._lock:
            self.count.value += 1
            self.idle.clear()

    def end(self) -> None:
        with self._lock:
            self.count.value -= 1
            if self.count.value == 0:
                self.idle.set()

    def wait(self, most: float) -> None:
        """Until this process's answers, else its parent's, are done, or ``most`` seconds."""
        if self.in_flight:
            self.idle.wait(most)
            return
        parent = self.parent
        if parent is None or not parent.value:
            return
        # Another process's answers: no event to wait on, so the count is read every millisecond.
        end = time.monotonic() + most
        while parent.value and time.monotonic() < end:
            time.sleep(_POLL)


_SCOPES: Final = _Scopes()
_ANSWERS: list[_Answers] = [_Answers()]


def _forked() -> None:
    # A forked child (an add's worker) counts its own answers (none) and defers to its parent's.
    _ANSWERS[0] = _Answers(parent=_ANSWERS[0].count)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


@contextmanager
def adding() -> Iterator[None]:
    """An add runs within: the switch interval is at most ``SHORT_INTERVAL`` (the caller's comes
    back after the last of any overlapping adds ends), and its pieces may wait for answers in
    flight for ``ADD_WAIT_BUDGET`` in all."""
    _SCOPES.enter()
    try:
        yield
    finally:
        _SCOPES.leave()


def answering(answer: Callable[P, R]) -> Callable[P, R]:
    """``answer``, counted as an answer in flight while it runs."""

    @functools.wraps(answer)
    def counted(*args: P.args, **kwargs: P.kwargs) -> R:
        answers = _ANSWERS[0]
        answers.start()
        try:
            return answer(*args, **kwargs)
        finally:
            answers.end()

    return counted


def let_answers_run() -> None:
    """Wait while answers are in flight in this process or, in a forked worker, in its parent (at
    most ``MOST_WAITED``, and ``ADD_WAIT_BUDGET`` an add): an add's loops call this between pieces
    of a few milliseconds."""
    left = _SCOPES.wait_left
    if left <= 0:
        return
    answers = _ANSWERS[0]
    if answers.in_flight or (answers.parent is not None and answers.parent.value):
        start = time.monotonic()
        answers.wait(min(MOST_WAITED, left))
        _SCOPES.wait_left = left - (time.monotonic() - start)
