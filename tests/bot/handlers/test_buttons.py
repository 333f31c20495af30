"""The buttons under an answer: paging back and forth (one message or several), after a restart, expired."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot import keyboards, texts
from tests.bot import fakes
from tests.bot.handlers.harness import (
    PRIVATE,
    QUOTES,
    USER,
    Harness,
    bot_message,
    callback_update,
    ids,
    message_update,
)
from tests.bot.handlers.test_errors import faulty_harness
from tests.bot.offline import BOT_USER


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


def buttons_of(params: dict[str, Any]) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for row in params["reply_markup"]["inline_keyboard"] for b in row}


async def test_paging_goes_forward_and_back_in_the_same_message(harness: Harness) -> None:
    asked = message_update("متى وصل الرئيس؟")
    await harness.feed(asked)
    [first] = harness.request.sent()
    answer = {"message_id": 500, "from": BOT_USER, "chat": PRIVATE, "date": 0, "text": "…"}
    assert texts.BUTTON_BACK not in buttons_of(first)
    await harness.feed(callback_update(buttons_of(first)[texts.BUTTON_MORE], answer))
    [second] = harness.request.sent("editMessageText")
    assert second["message_id"] == 500 and "٤." in second["text"]
    assert texts.BUTTON_MORE not in buttons_of(second)  # four quotes: the second page is the last
    await harness.feed(callback_update(buttons_of(second)[texts.BUTTON_BACK], answer))
    back = harness.request.sent("editMessageText")[-1]
    assert back["message_id"] == 500 and back["text"] == first["text"]
    assert buttons_of(back).keys() == buttons_of(first).keys()
    again, before = (keyboards.parse(buttons_of(m)[texts.BUTTON_MORE]) for m in (back, first))
    assert isinstance(again, keyboards.MoreRequest) and isinstance(before, keyboards.MoreRequest)
    assert again.offset == before.offset == 3
    # A newer page's button never repeats the data pressed moments ago (a repeat would be dropped).
    assert again.version > before.version
    assert len(harness.request.sent()) == 1  # every page in the one answer message


async def test_paging_rewrites_every_message_of_a_long_answer(harness: Harness) -> None:
    long = "وصل الرئيس " + "كلمة " * 550 + "."
    article = fakes.article("long", long + " " + long)
    harness.engine.articles = (article,)
    harness.app.bot_data.engine = harness.engine
    harness.engine.quotes = (
        fakes.quote(article, long),
        fakes.quote(article, long, sentence=1),
        fakes.quote(article, long, sentence=2),
        fakes.quote(article, long, sentence=3),
    )
    await harness.feed(message_update("متى وصل الرئيس؟"))
    first_page = harness.request.sent()
    assert len(first_page) == 3  # three long quotes: three messages, the buttons under the last
    answer = {"message_id": 502, "from": BOT_USER, "chat": PRIVATE, "date": 0, "text": "…"}
    await harness.feed(callback_update(buttons_of(first_page[-1])[texts.BUTTON_MORE], answer))
    # One quote on page two: the first message shows it, the other two are deleted.
    [edit] = harness.request.sent("editMessageText")
    assert edit["message_id"] == 500 and "٤." in edit["text"] and texts.BUTTON_BACK in buttons_of(edit)
    assert sorted(int(p["message_id"]) for p in harness.request.sent("deleteMessage")) == [501, 502]
    await harness.feed(callback_update(buttons_of(edit)[texts.BUTTON_BACK], {**answer, "message_id": 500}))
    # Back: page one needs three messages again; the first is edited, two are sent anew.
    assert harness.request.sent("editMessageText")[-1]["text"] == first_page[0]["text"]
    again = harness.request.sent()[3:]
    assert [p["text"] for p in again] == [p["text"] for p in first_page[1:]]
    assert texts.BUTTON_MORE in buttons_of(again[-1])


TOO_OLD = (400, "Bad Request: query is too old and response timeout expired or query ID is invalid")


@pytest.mark.parametrize(
    ("data", "acted"),
    [
        (keyboards.context_data(0, QUOTES[1]), "sendMessage"),  # «السياق»: the context is sent
        ("news:0", "editMessageText"),  # a page of /latest: the listing is edited
    ],
    ids=["context", "latest-page"],
)
async def test_a_press_answered_too_late_still_does_what_the_button_asks(
    data: str, acted: str, caplog: pytest.LogCaptureFixture
) -> None:
    harness = faulty_harness("answerCallbackQuery", TOO_OLD)
    caplog.set_level(logging.INFO)
    async with harness.app:
        await harness.feed(callback_update(data, bot_message(600)))
    assert any(name == "failed:answerCallbackQuery" for name, _ in harness.request.calls)
    assert harness.request.sent(acted)
    [line] = [r for r in caplog.records if r.name.startswith("bot.")]
    assert line.levelno == logging.INFO and "answered too late" in line.getMessage()
