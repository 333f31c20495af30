"""The policies before any work: the allow-list, repeated presses, the question rate limit."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot import keyboards, texts
from bot.app import build_application
from bot.layout import RLM
from bot.state import BotData
from config import Settings
from tests.bot import fakes
from tests.bot.handlers.harness import (
    ARTICLE,
    GROUP,
    PRIVATE,
    QUOTES,
    USER,
    Harness,
    bot_message,
    callback_update,
    ids,
    message_update,
)
from tests.bot.offline import RecordingRequest

OUTSIDER = {"id": 8, "is_bot": False, "first_name": "غريب"}
OUTSIDER_CHAT = {"id": 8, "type": "private", "first_name": "غريب"}


class Clock:
    """A clock the test moves by hand (seconds)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextlib.asynccontextmanager
async def bot(**settings: Any) -> AsyncIterator[tuple[Application[Any, Any, Any, Any, BotData, Any], Clock]]:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES)
    app = build_application(Settings(telegram_token="1:offline", **settings), engine, request=request)
    clock = Clock()
    app.bot_data.clock = clock
    async with app:
        yield app, clock


async def feed(app: Application[Any, Any, Any, Any, BotData, Any], body: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(body, app.bot))


def sent(
    app: Application[Any, Any, Any, Any, BotData, Any], method: str = "sendMessage"
) -> list[dict[str, Any]]:
    request = app.bot.request
    assert isinstance(request, RecordingRequest)
    return request.sent(method)


def engine_calls(app: Application[Any, Any, Any, Any, BotData, Any]) -> list[tuple[str, int, int]]:
    engine = app.bot_data.engine
    assert isinstance(engine, fakes.StubEngine)
    return engine.calls


# ----------------------------------------------------------------------- allow-list


async def test_an_outsider_is_told_once_per_chat_per_hour() -> None:
    async with bot(allowed_ids=frozenset({7})) as (app, clock):
        for _ in range(3):
            await feed(app, message_update("متى وصل الرئيس؟", chat=OUTSIDER_CHAT, sender=OUTSIDER))
        assert [m["text"] for m in sent(app)] == [RLM + texts.NOT_ALLOWED]
        clock.now += 3599
        await feed(app, message_update("/start", chat=OUTSIDER_CHAT, sender=OUTSIDER))
        assert len(sent(app)) == 1
        clock.now += 1
        await feed(app, message_update("/start", chat=OUTSIDER_CHAT, sender=OUTSIDER))
        assert len(sent(app)) == 2
        assert engine_calls(app) == []


async def test_allowed_users_and_chats_pass() -> None:
    async with bot(allowed_ids=frozenset({7, -100})) as (app, _):
        await feed(app, message_update("متى وصل الرئيس؟"))
        await feed(app, message_update("/ask متى وصل الرئيس؟", chat=GROUP, sender=OUTSIDER))
        assert len(engine_calls(app)) == 2
        assert texts.NOT_ALLOWED not in " ".join(m["text"] for m in sent(app))


async def test_an_outsiders_inline_query_is_answered_at_once_with_nothing_personal() -> None:
    async with bot(allowed_ids=frozenset({7})) as (app, _):
        query = {"id": "iq", "from": OUTSIDER, "query": "متى وصل الرئيس؟", "offset": ""}
        await feed(app, {"update_id": next(ids), "inline_query": query})
        [answer] = sent(app, "answerInlineQuery")
        assert answer["results"] == [] and answer["is_personal"] is True
        assert engine_calls(app) == [] and sent(app) == []


async def test_an_outsiders_button_press_is_answered_silently() -> None:
    async with bot(allowed_ids=frozenset({7})) as (app, _):
        press = callback_update("ctx:0:0:0:0000", bot_message(50, chat=OUTSIDER_CHAT))
        press["callback_query"]["from"] = OUTSIDER
        await feed(app, press)
        [answer] = sent(app, "answerCallbackQuery")
        assert "text" not in answer and sent(app) == []


# ----------------------------------------------------------------------- repeated presses


async def test_the_same_button_pressed_twice_within_seconds_acts_once(harness: Harness) -> None:
    answer = bot_message(60)
    data = f"ctx:0:0:0:{keyboards.article_check(ARTICLE.id)}"
    await harness.feed(callback_update(data, answer))
    await harness.feed(callback_update(data, answer))
    assert len(harness.request.sent()) == 1  # one context message
    assert len(harness.request.sent("answerCallbackQuery")) == 2  # both presses answered
    harness.app.bot_data.clock = lambda: 10**9  # much later: the button works again
    await harness.feed(callback_update(data, answer))
    assert len(harness.request.sent()) == 2


async def test_different_buttons_or_messages_are_not_repeats(harness: Harness) -> None:
    check = keyboards.article_check(ARTICLE.id)
    await harness.feed(callback_update(f"ctx:0:0:0:{check}", bot_message(61)))
    await harness.feed(callback_update(f"ctx:0:1:1:{check}", bot_message(61)))
    await harness.feed(callback_update(f"ctx:0:0:0:{check}", bot_message(62)))
    assert len(harness.request.sent()) == 3


# ----------------------------------------------------------------------- question rate limit


async def test_past_the_limit_one_polite_line_then_silence_until_tokens_return() -> None:
    async with bot(questions_per_minute=3) as (app, clock):
        for _ in range(6):
            await feed(app, message_update("متى وصل الرئيس؟"))
        assert len(engine_calls(app)) == 3
        replies = [m["text"] for m in sent(app)]
        assert len(replies) == 4 and replies[-1] == RLM + texts.RATE_LIMITED
        clock.now += 20  # one token back (3 a minute)
        await feed(app, message_update("متى وصل الرئيس؟"))
        assert len(engine_calls(app)) == 4


async def test_the_limit_is_per_user() -> None:
    async with bot(questions_per_minute=1) as (app, _):
        await feed(app, message_update("متى وصل الرئيس؟"))
        other = {"id": 9, "type": "private", "first_name": "سامي"}
        await feed(app, message_update("متى وصل الرئيس؟", chat=other, sender={**USER, "id": 9}))
        assert len(engine_calls(app)) == 2


@pytest.mark.parametrize("chat", [PRIVATE, GROUP], ids=["private", "group"])
async def test_ask_counts_as_a_question(chat: dict[str, Any]) -> None:
    async with bot(questions_per_minute=1) as (app, _):
        await feed(app, message_update("/ask متى وصل الرئيس؟", chat=chat))
        await feed(app, message_update("/ask متى غادر؟", chat=chat))
        assert len(engine_calls(app)) == 1
        assert sent(app)[-1]["text"] == RLM + texts.RATE_LIMITED


async def test_only_questions_that_reach_the_engine_spend_a_token() -> None:
    async with bot(questions_per_minute=1) as (app, _):
        for text in ("hello", "what is new?", "مرحبا", "شكرا"):
            await feed(app, message_update(text))
        assert engine_calls(app) == []
        await feed(app, message_update("متى وصل الرئيس؟"))
        assert len(engine_calls(app)) == 1  # the hint and the small talk cost nothing
        assert texts.RATE_LIMITED not in sent(app)[-1]["text"]


def inline_update(query: str, *, offset: str = "") -> dict[str, Any]:
    inline = {"id": f"iq{next(ids)}", "from": USER, "query": query, "offset": offset}
    return {"update_id": next(ids), "inline_query": inline}


async def test_inline_searches_spend_tokens_and_past_the_limit_get_an_empty_personal_answer() -> None:
    async with bot(questions_per_minute=2) as (app, clock):
        await feed(app, message_update("متى وصل الرئيس؟"))
        await feed(app, inline_update("متى وصل الرئيس؟"))
        await feed(app, inline_update("متى وصل الرئيس؟", offset="10"))
        assert len(engine_calls(app)) == 2
        first, limited = sent(app, "answerInlineQuery")
        assert first["results"] and limited["results"] == [] and limited["is_personal"] is True
        # The newest headlines (an empty query) do not search: they are still offered.
        await feed(app, inline_update(""))
        assert sent(app, "answerInlineQuery")[-1]["results"]
        clock.now += 30  # one token back (2 a minute)
        await feed(app, inline_update("متى وصل الرئيس؟"))
        assert len(engine_calls(app)) == 3 and sent(app, "answerInlineQuery")[-1]["results"]


async def test_more_presses_spend_tokens_and_past_the_limit_get_a_short_notice() -> None:
    async with bot(questions_per_minute=2) as (app, clock):
        await feed(app, message_update("متى وصل الرئيس؟"))
        key = keyboards.question_key("متى وصل الرئيس؟")
        answer = bot_message(500)
        await feed(app, callback_update(keyboards.more_data(key, 3, 0), answer))
        await feed(app, callback_update(keyboards.more_data(key, 0, 1), answer))
        assert len(engine_calls(app)) == 2  # the question, one page; the third request is refused
        assert sent(app, "answerCallbackQuery")[-1]["text"] == texts.RATE_LIMITED_PRESS
        assert len(sent(app, "editMessageText")) == 1 and not any(
            texts.RATE_LIMITED in m["text"] for m in sent(app)
        )
        # «السياق» does not search: it still works.
        await feed(app, callback_update(keyboards.context_data(0, QUOTES[0]), answer))
        assert "سياق" in sent(app)[-1]["text"]
        clock.now += 30
        await feed(app, callback_update(keyboards.more_data(key, 0, 2), answer))
        assert len(engine_calls(app)) == 3 and len(sent(app, "editMessageText")) == 2
