"""The allow-list: updates from anyone else stop before any handler."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.app import build_application
from config import Settings
from tests.bot import fakes
from tests.bot.handlers.harness import (
    ARTICLE,
    GROUP,
    QUOTES,
    message_update,
)
from tests.bot.offline import RecordingRequest


async def test_allow_list_stops_everyone_else(caplog: pytest.LogCaptureFixture) -> None:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES)
    settings = Settings(telegram_token="1:offline", allowed_ids=frozenset({99, -100}))
    async with build_application(settings, engine, request=request) as app:
        await app.process_update(Update.de_json(message_update("متى وصل الرئيس؟"), app.bot))
        assert engine.calls == [] and request.sent() == []
        await app.process_update(Update.de_json(message_update("/ask متى وصل الرئيس؟", chat=GROUP), app.bot))
        assert len(engine.calls) == 1
