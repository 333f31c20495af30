"""The error handler: every error logged once, the user (if any) told that the request failed."""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, TelegramError

from bot import render, texts
from bot.state import Context

logger = logging.getLogger(__name__)

# A second poller makes every getUpdates fail; say so once a minute, not on every retry.
CONFLICT_REPORT_SECONDS = 60.0


async def on_error(update: object, context: Context) -> None:
    """Log every error (with its traceback) and tell the user, if there is one, that it failed."""
    error = context.error
    if isinstance(error, Conflict):
        data = context.bot_data
        now = time.monotonic()
        last = data.conflict_reported_at
        if last is None or now - last >= CONFLICT_REPORT_SECONDS:
            data.conflict_reported_at = now
            logger.error(
                "409 Conflict: another bot instance is polling with this token; stop it (retrying meanwhile)"
            )
        return
    if update is None and isinstance(error, NetworkError):
        # Polling errors (timeouts, 5xx, dropped connections): python-telegram-bot retries them.
        logger.warning("polling failed, retrying: %s", error)
        return
    logger.error("error while handling an update", exc_info=error)
    if isinstance(error, InvalidToken | Forbidden) or not isinstance(update, Update):
        return
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await context.bot.send_message(chat.id, render.rtl(texts.ERROR))
    except TelegramError as send_error:
        logger.warning("could not tell the user about the error: %s", send_error)
