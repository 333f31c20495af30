"""The «تابِع» button under an answer: /follow's rules, acknowledged with a callback notice."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot import keyboards, texts
from bot.app import build_application
from bot.follows import MAX_FOLLOWS_PER_CHAT, FollowStore
from bot.library import default_corpus_path
from bot.numbers import arabic_number
from bot.state import BotData
from config import Settings
from config.storage import StorageSettings
from tests.bot import fakes
from tests.bot.handlers.harness import ARTICLE, QUOTES, USER, bot_message, callback_update, message_update
from tests.bot.offline import RecordingRequest

QUESTION = "متى وصل الرئيس؟"
App = Application[Any, Any, Any, Any, BotData, Any]


@contextlib.asynccontextmanager
async def bot(*, answers: bool = True, **settings: Any) -> AsyncIterator[tuple[App, RecordingRequest]]:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES, answerable=lambda question: answers)
    app = build_application(Settings(telegram_token="1:offline", **settings), engine, request=request)
    async with app:
        yield app, request


def storage(tmp_path: Path) -> StorageSettings:
    return StorageSettings(db=tmp_path / "articles.sqlite3", index_cache=tmp_path / "index")


async def feed(app: App, body: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(body, app.bot))


def buttons(params: dict[str, Any]) -> list[str]:
    return [button["callback_data"] for row in params["reply_markup"]["inline_keyboard"] for button in row]


async def press_follow(app: App, request: RecordingRequest, message_id: int, question: str = QUESTION) -> str:
    """Press «تابِع» under the answer ``message_id`` (a different message each time: not a repeat)."""
    data = keyboards.follow_data(keyboards.question_key(question))
    await feed(app, callback_update(data, bot_message(message_id)))
    return str(request.sent("answerCallbackQuery")[-1].get("text"))


async def test_the_button_follows_the_answers_question_for_the_chat_and_says_so(tmp_path: Path) -> None:
    async with bot(storage=storage(tmp_path)) as (app, request):
        await feed(app, message_update(QUESTION))
        [answer] = request.sent()
        follow = keyboards.follow_data(keyboards.question_key(QUESTION))
        assert follow in buttons(answer)
        assert await press_follow(app, request, 500) == texts.FOLLOW_BUTTON_ADDED
        assert await press_follow(app, request, 501) == texts.FOLLOW_ALREADY
    with FollowStore.open(tmp_path / "articles.sqlite3") as store:
        [followed] = store.all()
    assert (followed.chat_id, followed.question, followed.user_id) == (USER["id"], QUESTION, USER["id"])
    assert request.sent() == [answer]  # notices only: nothing posted to the chat


async def test_the_button_respects_the_limit_per_chat(tmp_path: Path) -> None:
    with FollowStore.open(tmp_path / "articles.sqlite3") as store:
        for number in range(MAX_FOLLOWS_PER_CHAT):
            store.add(USER["id"], f"سؤال رقم {number}")
    async with bot(storage=storage(tmp_path)) as (app, request):
        await feed(app, message_update(QUESTION))
        notice = await press_follow(app, request, 500)
    assert notice == texts.FOLLOW_FULL.format(limit=arabic_number(MAX_FOLLOWS_PER_CHAT))


async def test_a_forgotten_question_is_an_expired_button(tmp_path: Path) -> None:
    async with bot(storage=storage(tmp_path)) as (app, request):
        assert await press_follow(app, request, 500, "سؤال لم يُطرح") == texts.EXPIRED_BUTTON
    with FollowStore.open(tmp_path / "articles.sqlite3") as store:
        assert store.all() == ()


async def test_with_a_fixed_corpus_there_is_no_button_and_an_old_one_is_refused(tmp_path: Path) -> None:
    async with bot(corpus=default_corpus_path(), storage=storage(tmp_path)) as (app, request):
        await feed(app, message_update(QUESTION))
        [answer] = request.sent()
        assert not any(data.startswith(keyboards.FOLLOW) for data in buttons(answer))
        assert any(data.startswith(keyboards.MORE) for data in buttons(answer))
        assert await press_follow(app, request, 500) == texts.FOLLOW_FIXED
    assert not (tmp_path / "articles.sqlite3").exists()


async def test_a_question_nothing_answers_yet_can_be_followed(tmp_path: Path) -> None:
    async with bot(answers=False, storage=storage(tmp_path)) as (app, request):
        await feed(app, message_update(QUESTION))
        [reply] = request.sent()
        assert texts.NO_ANSWER.split("\n")[0] in reply["text"] and "«تابِع»" in reply["text"]
        assert buttons(reply) == [keyboards.follow_data(keyboards.question_key(QUESTION))]
        assert await press_follow(app, request, 500) == texts.FOLLOW_BUTTON_ADDED
    with FollowStore.open(tmp_path / "articles.sqlite3") as store:
        assert [followed.question for followed in store.all()] == [QUESTION]


async def test_with_a_fixed_corpus_a_question_nothing_answers_gets_no_button(tmp_path: Path) -> None:
    async with bot(answers=False, corpus=default_corpus_path(), storage=storage(tmp_path)) as (app, request):
        await feed(app, message_update(QUESTION))
        [reply] = request.sent()
    assert "reply_markup" not in reply and "«تابِع»" not in reply["text"]
