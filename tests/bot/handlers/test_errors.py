"""The error handler: a failure is logged with its traceback and the user told."""

from __future__ import annotations

import logging

import pytest

from bot import texts
from bot.render import RLM
from tests.bot.handlers.harness import (
    Harness,
    message_update,
)


async def test_an_engine_failure_is_logged_with_traceback_and_the_user_told(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.engine.fail = True
    caplog.set_level(logging.ERROR, logger="bot")
    await harness.feed(message_update("متى وصل الرئيس؟"))
    [record] = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert record.exc_info is not None
    assert harness.replies()[-1] == RLM + texts.ERROR
