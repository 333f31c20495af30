"""Questions: what reaches the engine (cleaned, cut), what is ignored, and how the answer is sent."""

from __future__ import annotations

from typing import Any

import pytest

from bot import keyboards, texts
from bot.conversation import LastQuestions
from bot.handlers import questions
from retrieval import MAX_QUESTION_CHARS
from tests.bot.handlers.harness import (
    ARTICLE,
    GROUP,
    USER,
    Harness,
    message_update,
)
from tests.bot.offline import BOT_USER


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  متى   وصل\nالرئيس؟ ", "متى وصل الرئيس؟"),
        ("كلمة " * 500, ("كلمة " * 500)[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]),
        ("ا" * 3000, "ا" * MAX_QUESTION_CHARS),
    ],
    ids=["whitespace", "cut-at-word", "cut-hard"],
)
def test_a_question_is_folded_to_single_spaces_and_cut_to_what_the_engine_reads(
    text: str, expected: str
) -> None:
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
    assert (
        sum(b.startswith("more:") for b in buttons) == 1 and sum(b.startswith("ctx:") for b in buttons) == 3
    )
    # New articles can reach this bot (no fixed corpus), so the question can be followed from here.
    assert buttons[-1] == keyboards.follow_data(keyboards.question_key("متى وصل الرئيس إلى العاصمة؟"))


async def test_long_input_reaches_the_engine_cut(harness: Harness) -> None:
    await harness.feed(message_update("متى وصل الرئيس " * 500))
    [(question, _, _)] = harness.engine.calls
    assert len(question) <= MAX_QUESTION_CHARS


@pytest.mark.parametrize(
    "update",
    [
        message_update("متى وصل الرئيس؟", chat=GROUP),
        message_update(
            "متى وصل الرئيس؟",
            chat=GROUP,
            reply_to_message={"message_id": 3, "from": USER, "chat": GROUP, "date": 0, "text": "x"},
        ),
        message_update("/ask@some_other_bot متى وصل الرئيس؟", chat=GROUP),
    ],
    ids=["group-chatter", "group-reply-to-a-person", "other-bots-command"],
)
async def test_updates_not_meant_for_the_bot_are_ignored(harness: Harness, update: dict[str, Any]) -> None:
    await harness.feed(update)
    assert harness.engine.calls == [] and harness.request.sent() == []


async def test_group_reply_to_the_bot_is_a_question(harness: Harness) -> None:
    bot_message = {"message_id": 3, "from": BOT_USER, "chat": GROUP, "date": 0, "text": "…"}
    await harness.feed(message_update("ومتى غادر؟", chat=GROUP, reply_to_message=bot_message))
    assert harness.engine.calls == [("ومتى غادر؟", 3, 0)]


async def test_an_edited_question_is_answered_again_by_editing_the_answer(harness: Harness) -> None:
    asked = message_update("متى وصل الرئيس؟")
    await harness.feed(asked)
    [first] = harness.request.sent()
    answer_id = 500  # RecordingRequest numbers the bot's messages from 500
    edited = {"update_id": 9000, "edited_message": {**asked["message"], "text": "متى غادر الرئيس؟"}}
    await harness.feed(edited)
    assert harness.engine.calls[-1] == ("متى غادر الرئيس؟", 3, 0)
    assert len(harness.request.sent()) == 1  # no second answer
    [edit] = harness.request.sent("editMessageText")
    assert edit["message_id"] == answer_id and edit["text"] == first["text"]
    [more] = [
        button["callback_data"]
        for button in edit["reply_markup"]["inline_keyboard"][-1]
        if button["callback_data"].startswith("more:")
    ]
    assert more == keyboards.more_data(keyboards.question_key("متى غادر الرئيس؟"), 3, version=1)


async def test_an_edit_with_no_earlier_answer_gets_a_new_one(harness: Harness) -> None:
    await harness.feed(message_update("متى وصل الرئيس؟", edited=True))
    assert harness.engine.calls == [("متى وصل الرئيس؟", 3, 0)] and len(harness.request.sent()) == 1


async def test_a_photo_caption_is_a_question(harness: Harness) -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]
    await harness.feed(message_update(None, photo=photo, caption="متى وصل الرئيس؟"))
    assert harness.engine.calls == [("متى وصل الرئيس؟", 3, 0)]


async def test_a_photo_without_caption_gets_the_written_questions_hint(harness: Harness) -> None:
    photo = [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}]
    await harness.feed(message_update(None, photo=photo))
    assert harness.engine.calls == [] and texts.NOT_TEXT in harness.replies()[0]


async def test_a_followup_is_asked_with_the_previous_topic_and_the_reading_shown(harness: Harness) -> None:
    await harness.feed(message_update("متى وصل الرئيس إلى العاصمة؟"))
    await harness.feed(message_update("وماذا عن الطاقة؟"))
    assert harness.engine.calls[-1] == ("الطاقة (الرئيس، العاصمة)؟", 3, 0)
    assert texts.UNDERSTOOD_AS.split(":")[0].removeprefix("<i>") in harness.replies()[-1]
    assert "الطاقة (الرئيس، العاصمة)؟" in harness.replies()[-1]


async def test_a_short_reply_to_an_answer_leans_on_that_answers_question(harness: Harness) -> None:
    await harness.feed(message_update("/ask متى وصل الرئيس إلى العاصمة؟", chat=GROUP))
    answer = {"message_id": 500, "from": BOT_USER, "chat": GROUP, "date": 0, "text": "…"}
    await harness.feed(message_update("الطاقة؟", chat=GROUP, reply_to_message=answer))
    assert harness.engine.calls[-1] == ("الطاقة (الرئيس، العاصمة)؟", 3, 0)


async def test_a_new_question_is_taken_as_written(harness: Harness) -> None:
    await harness.feed(message_update("متى وصل الرئيس إلى العاصمة؟"))
    await harness.feed(message_update("ما هي عاصمة البرازيل؟"))
    assert harness.engine.calls[-1] == ("ما هي عاصمة البرازيل؟", 3, 0)
    assert "سؤالك كما فهمته" not in harness.replies()[-1]


async def test_a_followup_that_finds_nothing_is_asked_as_written(harness: Harness) -> None:
    harness.engine.answerable = lambda question: "(" not in question
    await harness.feed(message_update("متى وصل الرئيس إلى العاصمة؟"))
    await harness.feed(message_update("وماذا عن الطاقة؟"))
    assert [call[0] for call in harness.engine.calls[-2:]] == [
        "الطاقة (الرئيس، العاصمة)؟",
        "وماذا عن الطاقة؟",
    ]
    assert "سؤالك كما فهمته" not in harness.replies()[-1] and "<blockquote>" in harness.replies()[-1]


async def test_followups_expire(harness: Harness) -> None:
    harness.app.bot_data.last_questions = LastQuestions(0.0)
    await harness.feed(message_update("متى وصل الرئيس إلى العاصمة؟"))
    await harness.feed(message_update("وماذا عن الطاقة؟"))
    assert harness.engine.calls[-1] == ("وماذا عن الطاقة؟", 3, 0)


@pytest.mark.parametrize(
    ("text", "reply"), [("مرحبا", texts.GREETING_REPLY), ("شكراً جزيلاً", texts.THANKS_REPLY)]
)
async def test_small_talk_gets_a_friendly_reply_and_headlines_to_ask_about(
    harness: Harness, text: str, reply: str
) -> None:
    await harness.feed(message_update(text))
    assert harness.engine.calls == []
    [sent] = harness.replies()
    assert reply in sent and texts.ASK_ABOUT in sent and f"<code>{ARTICLE.title}</code>" in sent


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
