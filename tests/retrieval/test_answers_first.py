"""Answers go first while an add runs: within ``short_switches`` the GIL switch interval is short
(the caller's comes back when the last overlapping scope ends), answers are counted while they run,
and ``let_answers_run`` waits while one is in flight, at most ``MOST_WAITED``."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from retrieval import AnswerEngine, Article, answers_first
from retrieval.answers_first import SHORT_INTERVAL, answering, let_answers_run, short_switches
from retrieval.search import SentenceIndex


@pytest.fixture
def interval() -> Iterator[float]:
    saved = sys.getswitchinterval()
    sys.setswitchinterval(0.004)
    yield 0.004
    sys.setswitchinterval(saved)


def test_the_interval_is_short_within_and_restored_after(interval: float) -> None:
    with short_switches():
        assert sys.getswitchinterval() == pytest.approx(SHORT_INTERVAL)
    assert sys.getswitchinterval() == pytest.approx(interval)


def test_overlapping_scopes_restore_only_when_the_last_ends(interval: float) -> None:
    outer = short_switches()
    inner = short_switches()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # the first to end is not the last open
    assert sys.getswitchinterval() == pytest.approx(SHORT_INTERVAL)
    inner.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(interval)


def test_an_error_within_still_restores(interval: float) -> None:
    with pytest.raises(RuntimeError), short_switches():
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
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    @answering
    def answer() -> None:
        started.set()
        release.wait(5)
        order.append("answer")

    asking = threading.Thread(target=answer)
    asking.start()
    started.wait(5)
    threading.Timer(0.05, release.set).start()
    let_answers_run()
    order.append("add")
    asking.join()
    assert order == ["answer", "add"]


def test_a_long_answer_holds_an_add_back_at_most_most_waited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers_first, "MOST_WAITED", 0.01)
    started, release = threading.Event(), threading.Event()
    order: list[str] = []

    @answering
    def answer() -> None:
        started.set()
        release.wait(5)
        order.append("answer")

    asking = threading.Thread(target=answer)
    asking.start()
    started.wait(5)
    let_answers_run()
    order.append("add")
    release.set()
    asking.join()
    assert order == ["add", "answer"]


def _answers_in_flight() -> int:
    return answers_first._ANSWERS[0].in_flight


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_child_forked_during_an_answer_has_no_answer_in_flight() -> None:
    seen: list[int] = []

    @answering
    def answer() -> None:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            seen.append(pool.submit(_answers_in_flight).result())
        seen.append(in_flight())

    answer()
    assert seen == [0, 1]
