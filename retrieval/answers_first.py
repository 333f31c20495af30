"""Answers go first while an index grows in the process that serves it.

An add (``AnswerEngine.added``) runs in one thread while others answer questions, and its Python
steps (tokenizing and analysing in the serving process, numbering a batch's words, folding their
analyses) hold the GIL. Two things keep answers from queueing behind it:

* A short switch interval while an add runs (``short_switches``). A thread waiting for the GIL
  gets it only once the running thread has run for the interpreter's switch interval (5 ms by
  default); an answer releases the GIL many times (compiled kernels, reads, large numpy
  operations), and each release cost it up to 5 ms to get the GIL back, 100-300 ms an answer. At
  1M sentences, 100 articles added in the serving process, six adds each way interleaved in one
  process (idle answer p95 ~36 ms): answer p95 meanwhile 251 ms at 5 ms, 103 ms at 0.5 ms, 84 ms at
  0.2 ms, 71 ms at 0.1 ms; the add took as long (0.82-0.84 s). The interval only matters when two
  threads want the GIL, so nothing changes while no add runs.
* The add's Python loops stop between pieces while an answer is in flight (``let_answers_run``;
  answers are counted by ``answering``): even with short switches, an answer sharing the GIL with
  an add's Python ran at about half speed. A call waits at most ``MOST_WAITED``, so a steady stream
  of questions slows an add but cannot stall it.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Final, ParamSpec, TypeVar

SHORT_INTERVAL: Final = 0.0002
# The longest an add's piece waits for answers in flight (an answer at 1M sentences: ~20-50 ms).
MOST_WAITED = 0.1

P = ParamSpec("P")
R = TypeVar("R")


class _Scopes:
    """Counts the scopes open at once: the first shortens the interval, the last restores it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = 0
        self._saved = 0.0

    def enter(self) -> None:
        with self._lock:
            if self._open == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SHORT_INTERVAL))
            self._open += 1

    def leave(self) -> None:
        with self._lock:
            self._open -= 1
            if self._open == 0:
                sys.setswitchinterval(self._saved)


class _Answers:
    """Answers in flight in this process; ``idle`` is set while there are none."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0
        self.idle = threading.Event()
        self.idle.set()

    def start(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.idle.clear()

    def end(self) -> None:
        with self._lock:
            self.in_flight -= 1
            if self.in_flight == 0:
                self.idle.set()


_SCOPES: Final = _Scopes()
_ANSWERS: list[_Answers] = [_Answers()]


def _forget_answers() -> None:
    # A forked child (a build's worker) answers nothing: the parent's answers in flight at the
    # fork are not its own.
    _ANSWERS[0] = _Answers()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_answers)


@contextmanager
def short_switches() -> Iterator[None]:
    """Within, the switch interval is at most ``SHORT_INTERVAL``; the caller's comes back after
    the last of any overlapping scopes (adds in several threads) ends."""
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
    """Wait while answers are in flight (at most ``MOST_WAITED``): an add's Python loops call this
    between pieces of a few milliseconds."""
    answers = _ANSWERS[0]
    if answers.in_flight:
        answers.idle.wait(MOST_WAITED)
