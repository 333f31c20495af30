"""Fixtures: the Bot API stand-in, and the real Application polling it in-process."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from telegram.ext import Application

from bot.app import build_application, polling_options
from bot.library import NewsLibrary, default_corpus_path
from config import Settings
from retrieval import AnswerEngine
from tests.e2e.fake_bot_api import FakeBotApi, FakeChat, FakeUser

TOKEN = "123456:TEST-TOKEN"
ALICE = FakeUser(1001, "ليلى", "laila")
BOB = FakeUser(1002, "سامي", "sami")
ALICE_CHAT = FakeChat(ALICE.id)
BOB_CHAT = FakeChat(BOB.id)
GROUP = FakeChat(-100500, "supergroup", "نقاش الأخبار")


@pytest.fixture(scope="session")
def seeds_engine() -> AnswerEngine:
    return NewsLibrary.from_settings(
        Settings(telegram_token=None, corpus=default_corpus_path())
    ).build_engine()


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as server:
        yield server


def bot_settings(api: FakeBotApi, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_token": api.token,
        "telegram_api_url": api.base_url,
        "poll_timeout": 5,
    }
    values.update(overrides)
    return Settings(**values)


@contextlib.asynccontextmanager
async def polling(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> AsyncIterator[None]:
    """What ``run_polling`` does, minus signal handling and owning the event loop."""
    assert application.updater is not None

    def forward_error(error: Exception) -> None:
        # run_polling's error_callback: polling errors reach the application's error handlers.
        application.create_task(application.process_error(update=None, error=error))

    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.updater.start_polling(**polling_options(settings), error_callback=forward_error)
    await application.start()
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


@pytest.fixture
async def running_bot(api: FakeBotApi, seeds_engine: AnswerEngine) -> AsyncIterator[FakeBotApi]:
    """The real Application polling the stand-in; yields the stand-in to drive and inspect."""
    settings = bot_settings(api)
    application = build_application(settings, seeds_engine)
    async with polling(application, settings):
        yield api


@pytest.fixture(autouse=True)
def _quiet_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
