"""Within ``short_switches`` the GIL switch interval is short; the caller's interval comes back when
the last of overlapping scopes ends, and an engine's add runs inside one."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from retrieval import AnswerEngine, Article
from retrieval.search import SentenceIndex
from retrieval.short_switches import SHORT_INTERVAL, short_switches


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


def test_an_engines_add_runs_with_short_switches(interval: float, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = AnswerEngine.from_articles([Article(id="a", title="خبر", text="زار الوزير مصنع الحديد.")])
    seen: list[float] = []
    add = SentenceIndex.added

    def watched(index: SentenceIndex, articles: list[Article]) -> SentenceIndex:
        seen.append(sys.getswitchinterval())
        return add(index, articles)

    monkeypatch.setattr(SentenceIndex, "added", watched)
    engine.added([Article(id="b", title="خبر", text="ارتفعت أسعار النفط في السوق.")])
    assert seen == [pytest.approx(SHORT_INTERVAL)]
    assert sys.getswitchinterval() == pytest.approx(interval)
