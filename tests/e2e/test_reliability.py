"""Reliability through the real Application polling the Bot API stand-in (issue 11, Telegram side).

Routine trouble (a blocked bot, a dropped or slow send, an outage at shutdown) is one log line and
never a traceback; a thanks in a group, a double press and an outsider's messages cost the chat
no extra messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot import texts
from bot.app import build_application
from bot.layout import RLM
from retrieval import AnswerEngine
from tests.bot import fakes
from tests.e2e.conftest import ALICE, ALICE_CHAT, BOB, BOB_CHAT, GROUP, bot_settings, polling
from tests.e2e.fake_bot_api import MESSAGE_NOT_MODIFIED, QUERY_TOO_OLD, BotMessage, FakeBotApi
from tests.e2e.test_polling_bot import PAGED_QUESTION, QUESTION, _button, quotes_of, reply_to, settle

OTHER_QUESTION = "لماذا طردت موسكو الصحافيين الألمان؟"


class Clock:
    """A clock the test moves by hand, for the once-an-hour notice (never sleep an hour)."""

    def __init__(self) -> None:
        self.now = 50_000.0

    def __call__(self) -> float:
        return self.now


@contextlib.asynccontextmanager
async def bot_on(
    api: FakeBotApi, engine: AnswerEngine, *, clock: Clock | None = None, **overrides: Any
) -> AsyncIterator[FakeBotApi]:
    settings = bot_settings(api, **overrides)
    application = build_application(settings, engine)
    if clock is not None:
        application.bot_data.clock = clock
    async with polling(application, settings):
        yield api


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Records at INFO or above from our loggers or python-telegram-bot's that carry a traceback."""
    return [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.INFO
        and r.exc_info is not None
        and r.name.split(".")[0] in ("bot", "telegram")
    ]


def apologies(api: FakeBotApi) -> list[BotMessage]:
    return [message for message in api.sent() if texts.ERROR in message.text]


async def answer_with_buttons(api: FakeBotApi, chat: Any = ALICE_CHAT, user: Any = ALICE) -> BotMessage:
    question = api.send_text(chat, user, PAGED_QUESTION if chat is not GROUP else f"/ask {PAGED_QUESTION}")
    [answer] = await reply_to(api, chat, question["message_id"])
    return answer


# ----------------------------------------------------------------------- Telegram errors by kind


@pytest.mark.parametrize(
    ("fault", "seconds"),
    [
        # Held past python-telegram-bot's 5 s read timeout, as a 12 s answer from Telegram would be.
        (lambda api: api.delay_next("sendMessage", 12, chat_id=ALICE_CHAT.id), 5.0),
        (lambda api: api.drop_after("sendMessage", chat_id=ALICE_CHAT.id), 0.0),
    ],
    ids=["slow-answer", "dropped-after-delivery"],
)
async def test_an_answer_whose_send_fails_after_delivery_gets_no_apology(
    running_bot: FakeBotApi, caplog: pytest.LogCaptureFixture, fault: Any, seconds: float
) -> None:
    api = running_bot
    fault(api)
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    assert quotes_of(answer.html)
    await api.wait_until(lambda: warnings_from_bot(caplog) != [], timeout=seconds + 5)
    await settle(api)
    assert len(api.sent(ALICE_CHAT.id)) == 1 and apologies(api) == []
    [line] = warnings_from_bot(caplog)
    assert "may have been delivered" in line.getMessage()
    assert tracebacks(caplog) == []


def warnings_from_bot(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("bot.") and r.levelno >= logging.WARNING]


async def test_a_long_answer_whose_first_part_may_have_been_delivered_still_sends_the_rest(
    api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    # The real engine keeps quotes short; a stub with 1,500-character quotes forces a split.
    articles = [fakes.article(f"long{n}", f"بدأت الحكومة خطة الطاقة رقم {n} " * 60 + ".") for n in range(4)]
    quotes = tuple(fakes.quote(a, a.text[:1500], bold=("الطاقة",)) for a in articles)
    engine = fakes.StubEngine(articles=tuple(articles), quotes=quotes)
    settings = bot_settings(api, top_k=4)
    async with polling(build_application(settings, engine), settings):
        api.drop_after("sendMessage", chat_id=ALICE_CHAT.id)  # the first part arrives, its answer does not
        question = api.send_text(ALICE_CHAT, ALICE, "ما هي خطة الحكومة للطاقة؟")
        await api.wait_until(lambda: api.sent(ALICE_CHAT.id) and api.sent(ALICE_CHAT.id)[-1].reply_markup)
        await settle(api)
    parts = api.replies_to(ALICE_CHAT.id, question["message_id"])
    assert len(parts) >= 2 and len(api.calls("sendMessage")) == len(parts)  # none sent twice
    assert sum(len(quotes_of(part.html)) for part in parts) == 4 and apologies(api) == []
    [warning] = warnings_from_bot(caplog)
    assert "part 1 of" in warning.getMessage() and "may have been delivered" in warning.getMessage()
    assert tracebacks(caplog) == []


async def test_a_chat_that_blocked_the_bot_is_one_line_without_traceback(
    running_bot: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = running_bot
    api.send_text(ALICE_CHAT, ALICE, "/start")
    await api.wait_until(lambda: len(api.sent(ALICE_CHAT.id)) == 1)
    api.block_bot(ALICE_CHAT)
    api.send_text(ALICE_CHAT, ALICE, QUESTION)
    await api.wait_until(lambda: 403 in [r.status for r in api.calls("sendMessage")])
    await settle(api)
    assert tracebacks(caplog) == []
    lines = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert [r.levelno for r in lines] == [logging.INFO] and "blocked" in lines[0].getMessage()
    assert len(api.calls("sendMessage")) == 2  # the welcome, then the refused answer: no apology tried


async def test_a_press_answered_too_late_still_acts_with_one_info_line(
    running_bot: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = running_bot
    answer = await answer_with_buttons(api)
    first_page = quotes_of(answer.html)
    api.fail_next("answerCallbackQuery", 400, description=QUERY_TOO_OLD)
    api.press_button(answer, _button(answer, "more:"), ALICE)
    # The spinner's answer is lost; the page of further quotes still comes.
    edited = await api.wait_for_edit(answer)
    await settle(api)
    assert quotes_of(edited.html) and quotes_of(edited.html) != first_page
    assert 400 in [r.status for r in api.calls("answerCallbackQuery")]
    assert tracebacks(caplog) == [] and apologies(api) == []
    [line] = [r for r in caplog.records if "answered too late" in r.getMessage()]
    assert line.levelno == logging.INFO and line.name == "bot.sending"
    assert [r for r in caplog.records if r.name == "bot.handlers.errors"] == []


async def test_an_edit_that_changes_nothing_is_not_logged_as_a_problem(
    running_bot: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = running_bot
    answer = await answer_with_buttons(api)
    api.fail_next("editMessageText", 400, description=MESSAGE_NOT_MODIFIED)
    api.press_button(answer, _button(answer, "more:"), ALICE)
    await api.wait_until(lambda: 400 in [r.status for r in api.calls("editMessageText")])
    await settle(api)
    assert tracebacks(caplog) == [] and apologies(api) == []
    # «المزيد» itself takes it as a double press.
    assert [r for r in caplog.records if r.name == "bot.handlers.errors"] == []


async def test_a_shutdown_during_an_outage_logs_no_traceback(
    api: FakeBotApi, seeds_engine: AnswerEngine, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot_on(api, seeds_engine):
        question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
        await reply_to(api, ALICE_CHAT, question["message_id"])
        api.stop()  # the Bot API goes away: polls fail, and so will the last poll at shutdown
        await asyncio.sleep(0.5)
    assert tracebacks(caplog) == []
    assert any("could not confirm the last updates" in r.getMessage() for r in caplog.records)


# ----------------------------------------------------------------------- groups


async def test_a_thanks_in_reply_to_the_bot_in_a_group_gets_no_message(running_bot: FakeBotApi) -> None:
    api = running_bot
    answer = await answer_with_buttons(api, GROUP, ALICE)
    for text in ("شكرا 👍", "ما شاء الله", "تمام"):
        api.send_text(GROUP, BOB, text, reply_to=answer.message_id)
    api.send_sticker(GROUP, BOB)
    await settle(api, 0.5)
    assert len(api.sent(GROUP.id)) == 1
    question = api.send_text(GROUP, BOB, "ومتى غادر؟", reply_to=answer.message_id)
    [second] = await reply_to(api, GROUP, question["message_id"])
    assert second.text


# ----------------------------------------------------------------------- buttons


async def test_a_double_press_acts_once(running_bot: FakeBotApi) -> None:
    api = running_bot
    answer = await answer_with_buttons(api)
    context_button = _button(answer, "ctx:")
    api.press_button(answer, context_button, ALICE)
    api.press_button(answer, context_button, ALICE)
    await api.wait_until(lambda: len(api.callback_answers) == 2)  # both presses answered
    await reply_to(api, ALICE_CHAT, answer.message_id)
    await settle(api, 0.5)
    assert len(api.replies_to(ALICE_CHAT.id, answer.message_id)) == 1


# ----------------------------------------------------------------------- allow-list


async def test_an_outsider_gets_one_polite_line_an_hour_and_empty_inline_answers(
    api: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    clock = Clock()
    async with bot_on(api, seeds_engine, clock=clock, allowed_ids=frozenset({ALICE.id})):
        for text in (QUESTION, OTHER_QUESTION, "/start"):
            api.send_text(BOB_CHAT, BOB, text)
        await api.wait_until(lambda: len(api.sent(BOB_CHAT.id)) == 1)
        api.inline_query(BOB, QUESTION)
        await api.wait_until(lambda: len(api.inline_answers) == 1)
        assert api.inline_answers[0]["results"] == []
        await settle(api)
        assert [m.text for m in api.sent(BOB_CHAT.id)] == [RLM + texts.NOT_ALLOWED]

        clock.now += 3600
        api.send_text(BOB_CHAT, BOB, QUESTION)
        await api.wait_until(lambda: len(api.sent(BOB_CHAT.id)) == 2)

        allowed = api.send_text(ALICE_CHAT, ALICE, QUESTION)
        [answer] = await reply_to(api, ALICE_CHAT, allowed["message_id"])
        assert quotes_of(answer.html)


# ----------------------------------------------------------------------- question rate limit


async def test_past_the_question_limit_one_polite_line_then_silence(
    api: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    async with bot_on(api, seeds_engine, questions_per_minute=2):
        for _ in range(5):
            api.send_text(ALICE_CHAT, ALICE, QUESTION)
        await api.wait_until(lambda: len(api.sent(ALICE_CHAT.id)) >= 3)
        await settle(api, 0.5)
        texts_sent = [m.text for m in api.sent(ALICE_CHAT.id)]
        assert len(texts_sent) == 3 and texts_sent.count(RLM + texts.RATE_LIMITED) == 1
        # Another user is not held back by Alice's questions.
        other = api.send_text(BOB_CHAT, BOB, QUESTION)
        await reply_to(api, BOB_CHAT, other["message_id"])


async def test_pages_and_inline_searches_share_the_question_limit_and_are_refused_politely(
    api: FakeBotApi, seeds_engine: AnswerEngine, caplog: pytest.LogCaptureFixture
) -> None:
    async with bot_on(api, seeds_engine, questions_per_minute=2):
        answer = await answer_with_buttons(api)  # one token
        first = api.press_button(answer, _button(answer, "more:"), ALICE)  # the second
        await api.wait_for_edit(answer)
        search = api.inline_query(ALICE, OTHER_QUESTION)
        await api.wait_until(lambda: api.inline_answer(search) is not None)
        back = api.press_button(answer, answer.button(texts.BUTTON_BACK), ALICE)
        await api.wait_until(lambda: api.callback_answer(back) is not None)
        await settle(api)
        searched, refused, pressed = (
            api.inline_answer(search),
            api.callback_answer(back),
            api.callback_answer(first),
        )
        assert searched is not None and searched["results"] == []
        assert refused is not None and refused["text"] == texts.RATE_LIMITED_PRESS
        assert pressed is not None and pressed.get("text") is None
        assert len(answer.versions) == 2  # the refused «السابق» left the page as it was
        # Only Alice's bucket is empty: Bob's inline search is answered.
        other = api.inline_query(BOB, OTHER_QUESTION)
        await api.wait_until(lambda: api.inline_answer(other) is not None)
        answered = api.inline_answer(other)
        assert answered is not None and answered["results"]
    assert len(api.sent(ALICE_CHAT.id)) == 1  # no notice posted to the chat
    assert tracebacks(caplog) == [] and apologies(api) == []
