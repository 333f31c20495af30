"""The shared state: one assignment swaps the engine, and article positions follow it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.state import BotData
from retrieval import RecencyPreference
from tests.bot import fakes


def test_swapping_the_engine_is_one_assignment_and_positions_follow() -> None:
    data = BotData()
    with pytest.raises(RuntimeError):
        _ = data.engine  # not built yet
    first = fakes.StubEngine(articles=(fakes.article("a", "خبر."), fakes.article("b", "خبر.")))
    data.engine = first
    key = data.questions.remember("سؤال")
    assert data.position("b") == 1 and data.article_at(1) == first.articles[1]
    second = fakes.StubEngine(articles=(fakes.article("c", "خبر."), *first.articles))
    data.engine = second
    assert data.engine is second
    assert data.position("b") == 2 and data.article_at(0) == second.articles[0]
    assert data.article_at(3) is None and data.article_at(-1) is None
    assert data.questions.recall(key) == "سؤال"  # the "more" buttons survive a swap


def test_answers_are_asked_as_of_todays_date_with_the_recency_preference() -> None:
    engine = fakes.StubEngine(articles=(fakes.article("a", "نص."),))
    preference = RecencyPreference()
    data = BotData(top_k=2, today=lambda: date(2024, 11, 28), recency=preference)
    data.engine = engine
    data.answer("ماذا حدث أمس؟")
    assert engine.calls == [("ماذا حدث أمس؟", 2, 0)] and engine.days == [date(2024, 11, 28)]
    assert engine.preferences == [preference]
