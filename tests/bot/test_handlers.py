"""Handlers with a stub engine and an offline Bot API: what each update makes the bot call."""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot import handlers, keyboards, texts
from bot.app import build_application
from bot.render import RLM
from config import Settings
from tests.bot import fakes
from tests.bot.offline import BOT_USER, RecordingRequest

TEXT = (
    "وصل الرئيس إلى العاصمة صباح الأربعاء. وعقد اجتماعًا مع رئيس الوزراء. "
    "وناقش الجانبان التعاون في مجال الطاقة. ثم غادر مساء الخميس."
)
ARTICLE = fakes.article("a1", TEXT, title="زيارة رسمية", source="BBC", url="https://bbc.test/a1")
QUOTES = (
    fakes.quote(ARTICLE, "وصل الرئيس إلى العاصمة صباح الأربعاء.", bold=("الرئيس",)),
    fakes.quote(ARTICLE, "وعقد اجتماعًا مع رئيس الوزراء.", bold=("اجتماعًا",), sentence=1),
    fakes.quote(ARTICLE, "وناقش الجانبان التعاون في مجال الطاقة.", bold=("الطاقة",), sentence=2),
    fakes.quote(ARTICLE, "ثم غادر مساء الخميس.", bold=("غادر",), sentence=3),
)
USER = {"id": 7, "is_bot": False, "first_name": "ليلى"}
PRIVATE = {"id": 7, "type": "private", "first_name": "ليلى"}
GROUP = {"id": -100, "type": "supergroup", "title": "مجموعة"}
_ids = itertools.count(1)


def message_update(
    text: str | None, *, chat: dict[str, Any] = PRIVATE, edited: bool = False, **extra: Any
) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": next(_ids), "from": USER, "chat": chat, "date": 0, **extra}
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": next(_ids), "edited_message" if edited else "message": message}


class Harness:
    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        request: RecordingRequest,
        engine: fakes.StubEngine,
    ) -> None:
        self.app, self.request, self.engine = app, request, engine

    async def feed(self, body: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(body, self.app.bot))

    def replies(self) -> list[str]:
        return [str(params["text"]) for params in self.request.sent()]


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES)
    settings = Settings(telegram_token="1:offline", top_k=3)
    app = build_application(settings, engine, request=request)  # type: ignore[arg-type]
    async with app:
        yield Harness(app, request, engine)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  متى   وصل\nالرئيس؟ ", "متى وصل الرئيس؟"),
        ("كلمة " * 200, ("كلمة " * 200)[: handlers.MAX_QUESTION_CHARS].rsplit(" ", 1)[0]),
        ("ا" * 1000, "ا" * handlers.MAX_QUESTION_CHARS),
    ],
    ids=["whitespace", "cut-at-word", "cut-hard"],
)
def test_clean_question(text: str, expected: str) -> None:
    assert handlers.clean_question(text) == expected
    assert len(handlers.clean_question(text)) <= handlers.MAX_QUESTION_CHARS


async def test_private_question_is_answered_as_a_reply_with_buttons(harness: Harness) -> None:
    update = message_update("متى وصل الرئيس إلى العاصمة؟")
    await harness.feed(update)
    assert harness.engine.calls == [("متى وصل الرئيس إلى العاصمة؟", 3, 0)]
    assert [name for name, _ in harness.request.calls][-2:] == ["sendChatAction", "sendMessage"]
    [sent] = harness.request.sent()
    assert sent["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert sent["parse_mode"] == "HTML"
    buttons = [b["callback_data"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[-1].startswith("more:") and sum(b.startswith("ctx:") for b in buttons) == 3


async def test_long_input_reaches_the_engine_cut(harness: Harness) -> None:
    await harness.feed(message_update("متى وصل الرئيس " * 500))
    [(question, _, _)] = harness.engine.calls
    assert len(question) <= handlers.MAX_QUESTION_CHARS


async def test_more_works_after_a_restart_from_the_replied_question(harness: Harness) -> None:
    question = "متى وصل الرئيس؟"
    key = keyboards.question_key(question)  # the store is empty, as after a restart
    asked = message_update(question)["message"]
    answer = {
        "message_id": 900,
        "from": BOT_USER,
        "chat": PRIVATE,
        "date": 0,
        "text": "…",
        "reply_to_message": asked,
    }
    await harness.feed(
        {
            "update_id": next(_ids),
            "callback_query": {
                "id": "q1",
                "from": USER,
                "chat_instance": "c",
                "message": answer,
                "data": f"more:{key}:3",
            },
        }
    )
    assert harness.engine.calls == [(question, 3, 3)]
    [edit] = harness.request.sent("editMessageText")
    assert edit["message_id"] == 900 and "٤." in str(edit["text"])
    assert harness.request.sent("answerCallbackQuery")


async def test_more_with_an_unknown_question_says_the_button_expired(harness: Harness) -> None:
    answer = {"message_id": 901, "from": BOT_USER, "chat": PRIVATE, "date": 0, "text": "…"}
    await harness.feed(
        {
            "update_id": next(_ids),
            "callback_query": {
                "id": "q2",
                "from": USER,
                "chat_instance": "c",
                "message": answer,
                "data": "more:abc:3",
            },
        }
    )
    assert harness.engine.calls == []
    assert texts.EXPIRED_BUTTON in harness.replies()[0]


@pytest.mark.parametrize(
    "update",
    [
        message_update("متى وصل الرئيس؟", edited=True),
        message_update("متى وصل الرئيس؟", chat=GROUP),
        message_update(
            "متى وصل الرئيس؟",
            chat=GROUP,
            reply_to_message={"message_id": 3, "from": USER, "chat": GROUP, "date": 0, "text": "x"},
        ),
        message_update("/ask@some_other_bot متى وصل الرئيس؟", chat=GROUP),
    ],
    ids=["edited", "group-chatter", "group-reply-to-a-person", "other-bots-command"],
)
async def test_updates_not_meant_for_the_bot_are_ignored(harness: Harness, update: dict[str, Any]) -> None:
    await harness.feed(update)
    assert harness.engine.calls == [] and harness.request.sent() == []


async def test_group_reply_to_the_bot_is_a_question(harness: Harness) -> None:
    bot_message = {"message_id": 3, "from": BOT_USER, "chat": GROUP, "date": 0, "text": "…"}
    await harness.feed(message_update("ومتى غادر؟", chat=GROUP, reply_to_message=bot_message))
    assert harness.engine.calls == [("ومتى غادر؟", 3, 0)]


async def test_allow_list_stops_everyone_else(caplog: pytest.LogCaptureFixture) -> None:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES)
    settings = Settings(telegram_token="1:offline", allowed_ids=frozenset({99, -100}))
    async with build_application(settings, engine, request=request) as app:  # type: ignore[arg-type]
        await app.process_update(Update.de_json(message_update("متى وصل الرئيس؟"), app.bot))
        assert engine.calls == [] and request.sent() == []
        await app.process_update(Update.de_json(message_update("/ask متى وصل الرئيس؟", chat=GROUP), app.bot))
        assert len(engine.calls) == 1


async def test_an_engine_failure_is_logged_with_traceback_and_the_user_told(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.engine.fail = True
    caplog.set_level(logging.ERROR, logger="bot")
    await harness.feed(message_update("متى وصل الرئيس؟"))
    [record] = [r for r in caplog.records if r.name == "bot.handlers"]
    assert record.exc_info is not None
    assert harness.replies()[-1] == RLM + texts.ERROR


async def test_inline_query_offers_each_quote_once(harness: Harness) -> None:
    await harness.feed(
        {
            "update_id": next(_ids),
            "inline_query": {"id": "iq", "from": USER, "query": "متى وصل الرئيس؟", "offset": ""},
        }
    )
    [answer] = harness.request.sent("answerInlineQuery")
    results = answer["results"]
    assert len(results) == len(QUOTES) and len({r["id"] for r in results}) == len(QUOTES)
    assert all("<blockquote>" in r["input_message_content"]["message_text"] for r in results)
    assert harness.engine.calls == [("متى وصل الرئيس؟", handlers.INLINE_RESULTS, 0)]
