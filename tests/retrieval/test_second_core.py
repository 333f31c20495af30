"""The helper thread runs a question's second task beside the caller's, or the caller runs it when
the helper is taken; either way both have ended when ``both`` returns or raises."""

from __future__ import annotations

import threading

import pytest

from retrieval.second_core import SecondCore


def test_both_results_come_back_the_second_from_the_helper_thread() -> None:
    core = SecondCore()
    here, beside = core.both(threading.get_ident, threading.get_ident)
    assert here == threading.get_ident() and beside != here
    # The same helper thread serves the next question.
    assert core.both(threading.get_ident, threading.get_ident)[1] == beside


def test_a_busy_helper_leaves_both_tasks_to_the_caller() -> None:
    core = SecondCore()
    inner: list[tuple[int, int]] = []
    # The helper runs a task that itself asks for the helper: taken, so that task runs both itself.
    core.both(lambda: None, lambda: inner.append(core.both(threading.get_ident, threading.get_ident)))
    ((here, beside),) = inner
    assert here == beside


def test_when_the_callers_task_fails_the_helpers_has_ended_before_the_error_comes_back() -> None:
    core = SecondCore()
    release = threading.Event()
    ended: list[bool] = []

    def slow() -> None:
        release.wait(5)
        ended.append(True)

    def failing() -> None:
        release.set()
        raise ValueError("here")

    with pytest.raises(ValueError, match="here"):
        core.both(failing, slow)
    assert ended == [True]


def test_the_helpers_error_comes_back_to_the_caller() -> None:
    def failing() -> None:
        raise KeyError("beside")

    with pytest.raises(KeyError, match="beside"):
        SecondCore().both(lambda: 1, failing)
