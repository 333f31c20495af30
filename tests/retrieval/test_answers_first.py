"""Answers go first while an add runs: within ``adding`` the GIL switch interval is short
(the caller's comes back when the last overlapping add ends), answers are counted while they run,
and ``let_answers_run`` waits while one is in flight, at most ``MOST_WAITED`` a call and
``ADD_WAIT_BUDGET`` an add."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest

from retrieval import AnswerEngine, Article, answers_first
from retrieval.answers_first import SHORT_INTERVAL, adding, answering, let_answers_run
from retrieval.search import SentenceIndex


@pytest.fixture(autouse=True)
def full_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with the waits of a fresh add left (a test that spends them restores them)."""
    monkeypatch.setattr(answers_first._SCOPES, "wait_left", answers_first.ADD_WAIT_BUDGET)


@pytest.fixture
def interval() -> Iterator[float]:
    saved = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    yield 0.004
    sys.setswitchinterval(saved)


def test_the_interval_is_short_within_and_restored_after(interval: float) -> None:
    with adding():
        assert sys.getswitchinterval() == pytest.approx(SHORT_INTERVAL)
    assert sys.getswitchinterval() == pytest.approx(interval)


def test_overlapping_scopes_restore_only_when_the_last_ends(interval: float) -> None:
    outer = adding()
    inner = adding()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # the first to end is not the last open
    assert sys.getswitchinterval() == pytest.approx(SHORT_INTERVAL)
    inner.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(interval)


def test_an_error_within_still_restores(interval: float) -> None:
    with pytest.raises(RuntimeError), adding():
        raise RuntimeError
    assert sys.getswitchinterval() == pytest.approx(interval)


def engine() -> AnswerEngine:
    return AnswerEngine.from_articles([Article(id="a", title="خبر", text="زار الوزير مصنع الحديد.")])


def test_an_engines_add_runs_with_short_switches(interval: float, monkeypatch: pytest.MonkeyPatch) -> None:
    served = engine()
    seen: list[float] = []
    add = SentenceIndex.added

    def watched(index: SentenceIndex, articles: list[Article]) -> SentenceIndex:
        seen.append(sys.getswitchinterval())
        return add(index, articles)

    monkeypatch.setattr(SentenceIndex, "added", watched)
    served.added([Article(id="b", title="خبر", text="ارتفعت أسعار النفط في السوق.")])
    assert seen == [pytest.approx(SHORT_INTERVAL)]
    assert sys.getswitchinterval() == pytest.approx(interval)


def in_flight() -> int:
    return answers_first._ANSWERS[0].in_flight


@contextmanager
def an_answer_in_flight(order: list[str] | None = None) -> Iterator[threading.Event]:
    """An answer running in another thread (it appends "answer" to ``order`` as it ends) until the
    yielded event is set; set and joined when the block ends."""
    started, release = threading.Event(), threading.Event()

    @answering
    def answer() -> None:
        started.set()
        release.wait(5)
        if order is not None:
            order.append("answer")

    asking = threading.Thread(target=answer)
    asking.start()
    started.wait(5)
    try:
        yield release
    finally:
        release.set()
        asking.join()


def test_an_answer_is_in_flight_while_it_runs_even_when_it_fails() -> None:
    seen: list[int] = []

    @answering
    def failing() -> None:
        seen.append(in_flight())
        raise ValueError

    with pytest.raises(ValueError):
        failing()
    assert seen == [1] and in_flight() == 0


def test_the_engines_answers_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    served = engine()
    seen: list[int] = []
    search = SentenceIndex.search

    def watched(index: SentenceIndex, *args: Any, **kwargs: Any) -> Any:
        seen.append(in_flight())
        return search(index, *args, **kwargs)

    monkeypatch.setattr(SentenceIndex, "search", watched)
    served.answer("من زار مصنع الحديد؟")
    assert seen and set(seen) == {1} and in_flight() == 0


def test_an_add_waits_for_the_answer_in_flight_to_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers_first, "MOST_WAITED", 5.0)  # longer than the answer takes
    order: list[str] = []
    with an_answer_in_flight(order) as release:
        threading.Timer(0.05, release.set).start()
        let_answers_run()
        order.append("add")
    assert order == ["answer", "add"]


def test_a_long_answer_holds_an_add_back_at_most_most_waited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers_first, "MOST_WAITED", 0.01)
    order: list[str] = []
    with an_answer_in_flight(order):
        let_answers_run()
        order.append("add")
    assert order == ["add", "answer"]


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_child_forked_during_an_answer_has_no_answer_in_flight() -> None:
    seen: list[int] = []

    @answering
    def answer() -> None:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            seen.append(pool.submit(in_flight).result())
        seen.append(in_flight())

    answer()
    assert seen == [0, 1]


def test_an_add_stops_waiting_once_its_budget_is_spent_and_the_next_add_has_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(answers_first, "MOST_WAITED", 5.0)
    monkeypatch.setattr(answers_first, "ADD_WAIT_BUDGET", 0.01)
    order: list[str] = []
    with an_answer_in_flight(order), adding():
        let_answers_run()  # waits the budget out, not the answer
        let_answers_run()
        order.append("add")
        assert answers_first._SCOPES.wait_left <= 0
    assert order == ["add", "answer"]
    with adding():
        assert answers_first._SCOPES.wait_left == pytest.approx(0.01)


_CHILD_WAITING = (
    multiprocessing.get_context("fork").Event() if "fork" in multiprocessing.get_all_start_methods() else None
)


def _parents_answers_around_a_wait() -> tuple[int, int]:
    """In a forked worker: the parent's answers in flight before and after ``let_answers_run``."""
    parent = answers_first._ANSWERS[0].parent
    assert parent is not None and _CHILD_WAITING is not None
    before = parent.value
    _CHILD_WAITING.set()
    let_answers_run()
    return before, parent.value


@pytest.mark.skipif(_CHILD_WAITING is None, reason="needs fork")
def test_a_forked_worker_waits_for_its_parents_answer_in_flight(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _CHILD_WAITING is not None
    monkeypatch.setattr(answers_first, "MOST_WAITED", 5.0)  # longer than the answer takes
    _CHILD_WAITING.clear()
    with (
        an_answer_in_flight() as release,
        ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool,
    ):
        waited = pool.submit(_parents_answers_around_a_wait)
        _CHILD_WAITING.wait(5)  # the worker is waiting: the answer may end
        release.set()
        assert waited.result() == (1, 0)
