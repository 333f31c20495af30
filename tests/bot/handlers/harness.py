"""Handler tests' harness: the real Application with a stub engine and an offline Bot API, updates fed in-process."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.state import BotData
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
# Bot API JSON objects, as they arrive in an update.
USER: dict[str, Any] = {"id": 7, "is_bot": False, "first_name": "ليلى"}
PRIVATE: dict[str, Any] = {"id": 7, "type": "private", "first_name": "ليلى"}
GROUP: dict[str, Any] = {"id": -100, "type": "supergroup", "title": "مجموعة"}
ids = itertools.count(1)


def message_update(
    text: str | None,
    *,
    chat: dict[str, Any] = PRIVATE,
    sender: dict[str, Any] = USER,  # the message's "from", a Python keyword
    edited: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    message: dict[str, Any] = {"message_id": next(ids), "from": sender, "chat": chat, "date": 0, **extra}
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": next(ids), "edited_message" if edited else "message": message}


class Harness:
    def __init__(
        self,
        app: Application[Any, Any, Any, Any, BotData, Any],
        request: RecordingRequest,
        engine: fakes.StubEngine,
    ) -> None:
        self.app, self.request, self.engine = app, request, engine

    async def feed(self, body: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(body, self.app.bot))

    async def replies_after(self, count: int, *, timeout: float = 5.0) -> list[str]:
        """The replies once there are ``count`` (handlers with block=False finish after process_update)."""
        for _ in range(int(timeout / 0.01)):
            if len(self.replies()) >= count:
                break
            await asyncio.sleep(0.01)
        return self.replies()

    def replies(self) -> list[str]:
        return [str(params["text"]) for params in self.request.sent()]


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES)
    settings = Settings(telegram_token="1:offline", top_k=3)
    app = build_application(settings, engine, request=request)
    async with app:
        yield Harness(app, request, engine)


def callback_update(data: str, message: dict[str, Any]) -> dict[str, Any]:
    """A press of a button carrying ``data`` under ``message``."""
    query = {"id": f"q{next(ids)}", "from": USER, "chat_instance": "c", "message": message, "data": data}
    return {"update_id": next(ids), "callback_query": query}


def bot_message(message_id: int, *, chat: dict[str, Any] = PRIVATE, **extra: Any) -> dict[str, Any]:
    """A message the bot sent (an answer a button sits under)."""
    return {"message_id": message_id, "from": BOT_USER, "chat": chat, "date": 0, "text": "…", **extra}
