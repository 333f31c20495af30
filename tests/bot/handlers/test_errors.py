"""The error handler: failures logged by kind; a traceback only for our bugs; an apology only when it helps."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData

from bot import texts
from bot.app import build_application
from bot.handlers import errors
from bot.layout import RLM
from bot.state import BotData
from config import Settings
from tests.bot import fakes
from tests.bot.handlers.harness import (
    ARTICLE,
    QUOTES,
    USER,
    Harness,
    message_update,
)
from tests.bot.offline import RecordingRequest

QUESTION = "متى وصل الرئيس؟"


class FaultyRequest(RecordingRequest):
    """Fails the first call of ``method`` with ``fault``: an exception (as HTTPXRequest raises it) or a status."""

    def __init__(self, method: str, fault: BaseException | tuple[int, str]) -> None:
        super().__init__()
        self.method = method
        self.fault: BaseException | tuple[int, str] | None = fault

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        if url.endswith("/" + self.method) and self.fault is not None:
            fault, self.fault = self.fault, None
            name = url.rsplit("/", 1)[-1]
            self.calls.append((f"failed:{name}", dict(request_data.parameters) if request_data else {}))
            if isinstance(fault, BaseException):
                raise fault
            code, description = fault
            return code, json.dumps({"ok": False, "error_code": code, "description": description}).encode()
        return await super().do_request(url, method, request_data, *args, **kwargs)


def raised_from(error: NetworkError, cause: BaseException) -> NetworkError:
    error.__cause__ = cause
    return error


def faulty_harness(method: str, fault: BaseException | tuple[int, str]) -> Harness:
    request = FaultyRequest(method, fault)
    engine = fakes.StubEngine(articles=(ARTICLE,), quotes=QUOTES)
    app = build_application(Settings(telegram_token="1:offline"), engine, request=request)
    return Harness(app, request, engine)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info is not None and r.levelno >= logging.INFO]


async def feed_once(harness: Harness, body: dict[str, Any]) -> None:
    async with harness.app:
        await harness.feed(body)


async def test_an_engine_failure_is_logged_with_traceback_and_the_user_told(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.engine.fail = True
    caplog.set_level(logging.ERROR, logger="bot")
    await harness.feed(message_update(QUESTION))
    [record] = [r for r in caplog.records if r.name == "bot.handlers.errors"]
    assert record.exc_info is not None
    assert harness.replies()[-1] == RLM + texts.ERROR


@pytest.mark.parametrize(
    "fault",
    [
        raised_from(TimedOut(), httpx.ReadTimeout("timed out")),
        raised_from(NetworkError("httpx.RemoteProtocolError: disconnected"), httpx.RemoteProtocolError("x")),
        raised_from(NetworkError("httpx.ReadError: "), httpx.ReadError("x")),
        raised_from(TimedOut(), httpx.WriteTimeout("timed out")),
    ],
    ids=["read-timeout", "dropped-after-sending", "read-error", "write-timeout"],
)
async def test_a_reply_that_may_have_been_delivered_gets_one_warning_and_no_apology(
    fault: NetworkError, logs: pytest.LogCaptureFixture
) -> None:
    harness = faulty_harness("sendMessage", fault)
    await feed_once(harness, message_update(QUESTION))
    assert harness.replies() == []  # no apology after the (possibly delivered) answer, nor a second copy
    [warning] = [r for r in logs.records if r.name.startswith("bot.") and r.levelno >= logging.WARNING]
    assert warning.levelno == logging.WARNING and "may have been delivered" in warning.getMessage()
    assert tracebacks(logs) == []


async def test_a_reply_that_never_left_gets_a_warning_and_the_apology(logs: pytest.LogCaptureFixture) -> None:
    # The transport already retried the refused connection; the last failure reaches the handler.
    harness = faulty_harness(
        "sendMessage", raised_from(NetworkError("httpx.ConnectError"), httpx.ConnectError("x"))
    )
    await feed_once(harness, message_update(QUESTION))
    assert harness.replies() == [RLM + texts.ERROR]
    assert [r.levelno for r in logs.records if r.name == "bot.handlers.errors"] == [logging.WARNING]
    assert tracebacks(logs) == []


@pytest.mark.parametrize(
    ("method", "fault", "body"),
    [
        ("sendMessage", (403, "Forbidden: bot was blocked by the user"), message_update(QUESTION)),
        (
            "answerInlineQuery",
            (400, "Bad Request: query is too old and response timeout expired or query ID is invalid"),
            {"update_id": 9001, "inline_query": {"id": "iq1", "from": USER, "query": QUESTION, "offset": ""}},
        ),
        (
            "sendMessage",
            (400, "Bad Request: message is not modified: specified new message content is the same"),
            message_update(QUESTION),
        ),
    ],
    ids=["blocked", "query-too-old", "not-modified"],
)
async def test_routine_telegram_refusals_are_one_info_line(
    method: str, fault: tuple[int, str], body: dict[str, Any], logs: pytest.LogCaptureFixture
) -> None:
    harness = faulty_harness(method, fault)
    await feed_once(harness, body)
    assert any(name == f"failed:{method}" for name, _ in harness.request.calls)
    [line] = [r for r in logs.records if r.name == "bot.handlers.errors"]
    assert line.levelno == logging.INFO and "\n" not in line.getMessage()
    assert tracebacks(logs) == []
    assert RLM + texts.ERROR not in harness.replies()


def test_a_second_poller_is_reported_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    context = SimpleNamespace(bot_data=BotData(clock=lambda: now[0]))
    reported_at = []
    for now[0] in (0.0, 1.0, 59.0, 60.0, 61.0):
        caplog.clear()
        errors.report_conflict(context)  # type: ignore[arg-type]
        if any("409 Conflict" in record.getMessage() for record in caplog.records):
            reported_at.append(now[0])
    assert reported_at == [0.0, 60.0]
