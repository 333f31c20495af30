"""The HTTP layer under python-telegram-bot: retry what provably did not reach the Bot API.

python-telegram-bot retries 429 (through ``AIORateLimiter``) and failed polls (its updater),
but a reply that meets a 5xx or a refused connection is simply lost. These are retried here,
below the rate limiter, with a short backoff. Timeouts and connections dropped after the
request was written are *not* retried: Telegram may have delivered the message, and a retry
would send it twice.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

logger = logging.getLogger(__name__)

# 500 and 502-504 mean the request was not processed (Telegram answers 5xx before acting on it).
RETRIABLE_STATUS = frozenset({500, 502, 503, 504})
RETRY_DELAYS = (0.25, 0.5, 1.0, 2.0)


class RetryingRequest(HTTPXRequest):
    """``HTTPXRequest`` that retries 5xx answers and refused connections a few times."""

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
        for delay in (*RETRY_DELAYS, None):
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
                )
            except NetworkError as error:
                if delay is None or not isinstance(error.__cause__, httpx.ConnectError):
                    raise
                logger.warning("%s: Bot API unreachable (%s); retrying in %.2fs", api_method, error, delay)
            else:
                if code not in RETRIABLE_STATUS or delay is None:
                    return code, payload
                logger.warning("%s: Bot API answered %d; retrying in %.2fs", api_method, code, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")
