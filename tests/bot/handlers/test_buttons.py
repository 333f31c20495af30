"""The buttons under an answer: «المزيد» after a restart, and an expired button."""

from __future__ import annotations

from bot import keyboards, texts
from tests.bot.handlers.harness import (
    BOT_USER,
    PRIVATE,
    USER,
    Harness,
    ids,
    message_update,
)


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
            "update_id": next(ids),
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
            "update_id": next(ids),
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
