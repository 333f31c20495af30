"""The retrying HTTP layer: 5xx and refused connections retried, everything ambiguous not."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot import transport

URL = "http://127.0.0.1:1/bot123:SECRET/sendMessage"


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport, "RETRY_DELAYS", (0.0, 0.0, 0.0))


def request_answering(
    *outcomes: int | type[httpx.RequestError], **options: Any
) -> tuple[transport.RetryingRequest, list[int]]:
    """A RetryingRequest whose server gives ``outcomes`` in turn (status codes or httpx errors)."""
    seen: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        outcome = outcomes[min(len(seen), len(outcomes) - 1)]
        seen.append(1)
        if isinstance(outcome, int):
            return httpx.Response(outcome, json={"ok": outcome == 200, "result": True})
        raise outcome("boom", request=request)

    mock = httpx.MockTransport(handler)
    return transport.RetryingRequest(httpx_kwargs={"transport": mock}, **options), seen


@pytest.mark.parametrize(
    ("outcomes", "status", "attempts"),
    [
        ((200,), 200, 1),
        ((502, 200), 200, 2),
        ((500, 503, 504, 200), 200, 4),
        ((httpx.ConnectError, 200), 200, 2),
        ((httpx.ConnectTimeout, 200), 200, 2),  # timed out before a byte was sent
        ((httpx.PoolTimeout, httpx.PoolTimeout, 200), 200, 3),
        ((502,), 502, 4),  # gives up after the last delay and lets the caller see the 502
        ((400,), 400, 1),
        ((429,), 429, 1),  # flood control belongs to the rate limiter, which knows retry_after
    ],
)
async def test_failures_before_telegram_acted_are_retried_and_others_returned(
    outcomes: tuple[int | type[httpx.RequestError], ...], status: int, attempts: int
) -> None:
    request, seen = request_answering(*outcomes)
    await request.initialize()
    try:
        code, _ = await request.do_request(URL, "POST")
    finally:
        await request.shutdown()
    assert (code, len(seen)) == (status, attempts)


@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (httpx.ReadTimeout, TimedOut),
        (httpx.WriteTimeout, TimedOut),
        (httpx.RemoteProtocolError, NetworkError),
        (httpx.ReadError, NetworkError),
    ],
    ids=["read-timeout", "write-timeout", "dropped-after-sending", "read-error"],
)
async def test_ambiguous_failures_are_not_retried(
    error: type[httpx.RequestError], raised: type[Exception]
) -> None:
    # The message may have been delivered: a retry could send it twice.
    request, seen = request_answering(error, 200)
    await request.initialize()
    try:
        with pytest.raises(raised):
            await request.do_request(URL, "POST")
    finally:
        await request.shutdown()
    assert len(seen) == 1


async def test_retry_logs_name_the_method_not_the_url(caplog: pytest.LogCaptureFixture) -> None:
    request, _ = request_answering(502, 200)
    await request.initialize()
    try:
        await request.do_request(URL, "POST")
    finally:
        await request.shutdown()
    assert "sendMessage" in caplog.text and "SECRET" not in caplog.text


async def test_without_retry_delays_nothing_is_retried() -> None:
    # The getUpdates connection: the updater retries polls itself, and a shutdown must not wait.
    request, seen = request_answering(httpx.ConnectError, 200, retry_delays=())
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.do_request(URL, "POST")
    finally:
        await request.shutdown()
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("cause", "delivered"),
    [
        (httpx.ReadTimeout("x"), True),
        (httpx.WriteTimeout("x"), True),
        (httpx.RemoteProtocolError("x"), True),
        (httpx.ReadError("x"), True),
        (httpx.ConnectError("x"), False),
        (httpx.ConnectTimeout("x"), False),
        (httpx.PoolTimeout("x"), False),
        (None, False),  # Telegram answered (a 5xx after retries): it did not act
    ],
)
def test_which_failures_may_have_been_delivered(cause: Exception | None, delivered: bool) -> None:
    error = TimedOut() if isinstance(cause, httpx.TimeoutException) else NetworkError("x")
    error.__cause__ = cause
    assert transport.may_have_been_delivered(error) is delivered


@pytest.mark.parametrize(
    ("error", "moot"),
    [
        (
            BadRequest(
                "Message is not modified: specified new message content and reply markup are the same"
            ),
            True,
        ),
        (BadRequest("Message to edit not found"), False),
        (NetworkError("message is not modified"), False),  # only Telegram's answer to the edit says so
    ],
)
def test_an_edit_to_what_the_message_already_shows_changed_nothing(error: TelegramError, moot: bool) -> None:
    assert transport.edit_changed_nothing(error) is moot
