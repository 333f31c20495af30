"""Questions: what reaches the engine (cleaned, cut), what is ignored, and how the answer is sent."""

from __future__ import annotations

from typing import Any

import pytest

from bot.handlers import questions
from retrieval import MAX_QUESTION_CHARS
from tests.bot.handlers.harness import (
    BOT_USER,
    GROUP,
    USER,
    Harness,
    message_update,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  متى   وصل\nالرئيس؟ ", "متى وصل الرئيس؟"),
        ("كلمة " * 500, ("كلمة " * 500)[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]),
        ("ا" * 3000, "ا" * MAX_QUESTION_CHARS),
    ],
    ids=["whitespace", "cut-at-word", "cut-hard"],
)
def test_clean_question(text: str, expected: str) -> None:
    assert questions.clean_question(text) == expected
    assert len(questions.clean_question(text)) <= MAX_QUESTION_CHARS


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
    assert len(question) <= MAX_QUESTION_CHARS


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


@pytest.mark.parametrize(
    "reply",
    [
        {"text": "شكرا 👍"},
        {"text": "ما شاء الله"},
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            }
        },
    ],
    ids=["thanks", "praise", "sticker"],
)
async def test_group_reply_to_the_bot_that_asks_nothing_gets_silence(
    harness: Harness, reply: dict[str, Any]
) -> None:
    bot_message = {"message_id": 3, "from": BOT_USER, "chat": GROUP, "date": 0, "text": "…"}
    body = message_update(None, chat=GROUP, reply_to_message=bot_message)
    body["message"].update(reply)
    await harness.feed(body)
    assert harness.engine.calls == [] and harness.request.sent() == []
