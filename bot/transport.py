"""The HTTP layer under python-telegram-bot: retries, rate limiting, and what a failure means.

python-telegram-bot retries 429 (through ``AIORateLimiter``) and failed polls (its updater),
but a reply that meets a 5xx, a refused connection or a connect/pool timeout is simply lost.
These are retried here, below the rate limiter, with a short backoff: in each case the request
never reached Telegram (or Telegram answered before acting on it). Read/write timeouts and
connections dropped after the request was written are *not* retried: Telegram may have delivered
the message, and a retry would send it twice (``may_have_been_delivered``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import httpx
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import AIORateLimiter
from telegram.request import BaseRequest, HTTPXRequest, RequestData

logger = logging.getLogger(__name__)

# 500 and 502-504 mean the request was not processed (Telegram answers 5xx before acting on it).
RETRIABLE_STATUS = frozenset({500, 502, 503, 504})
RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0)
# Failures before a single byte of the request left: no connection, or none free in the pool.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def was_not_sent(error: NetworkError) -> bool:
    """True when the request behind ``error`` never reached Telegram (safe to retry)."""
    return isinstance(error.__cause__, NOT_SENT)


def may_have_been_delivered(error: NetworkError) -> bool:
    """True when the request was written but its answer was lost (read timeout, dropped connection).

    Telegram may well have acted on it (sent the message), so neither a retry nor an apology
    follows. An error Telegram answered (5xx, 4xx) or one raised before sending is not ambiguous.
    """
    return isinstance(error.__cause__, httpx.TransportError) and not was_not_sent(error)


# Telegram's description of a callback or inline query answered after its ~15 s window (or twice).
_QUERY_EXPIRED_MARKERS = ("query is too old", "query id is invalid")


def answered_too_late(error: TelegramError) -> bool:
    """True when ``error`` says a callback or inline query could no longer be answered.

    Only the answer (the spinner on the button) is lost: the press itself still stands.
    """
    reason = error.message.lower()
    return isinstance(error, BadRequest) and any(marker in reason for marker in _QUERY_EXPIRED_MARKERS)


# Telegram's description of an edit that would leave the message as it is (a repeated press).
_NOT_MODIFIED_MARKER = "message is not modified"


def edit_changed_nothing(error: TelegramError) -> bool:
    """True when ``error`` refused an edit because the message already reads so: nothing is lost."""
    return isinstance(error, BadRequest) and _NOT_MODIFIED_MARKER in error.message.lower()


class RetryingRequest(HTTPXRequest):
    """``HTTPXRequest`` that retries 5xx answers and requests that were never sent, a few times.

    ``retry_delays=()`` turns retries off: the getUpdates connection uses that, because the
    updater already retries polls, and a shutdown during an outage must not wait out our delays.
    """

    def __init__(self, *args: Any, retry_delays: Sequence[float] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._retry_delays = retry_delays

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        # The URL holds the token: only its last segment, the API method, is ever logged.
        api_method = url.rsplit("/", 1)[-1]
        # Read at call time, so tests can shorten the module's delays.
        delays = RETRY_DELAYS if self._retry_delays is None else self._retry_delays
        for delay in (*delays, None):
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
                )
            except NetworkError as error:
                if delay is None or not was_not_sent(error):
                    raise
                logger.warning("%s: Bot API unreachable (%s); retrying in %.2fs", api_method, error, delay)
            else:
                if code not in RETRIABLE_STATUS or delay is None:
                    return code, payload
                logger.warning("%s: Bot API answered %d; retrying in %.2fs", api_method, code, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


class MessageRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` for messages only: typing actions skip the queue.

    Telegram's limits (about 30 messages per second, 20 per minute in a group) are about
    messages; counting the typing action too would halve throughput and delay every reply by a
    slot. A typing action that meets flood control is simply dropped (``handlers.send_typing``).
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint == "sendChatAction":
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
