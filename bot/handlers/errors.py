"""The error handler: each failure logged by kind, the user told only when a retry would help.

A traceback in the log means a bug in our code. Everything Telegram or the network does in the
normal course of things is one line without a traceback:

* a reply that may have been delivered (read timeout, connection dropped after the request was
  written): WARNING, and no apology, since the answer may be on the user's screen already;
* a reply that never left (the API unreachable after the transport's retries): WARNING, then
  the apology, which is accurate advice here;
* a chat that blocked the bot (403), an edit that changes nothing, a button answered too late:
  INFO, nothing to tell anyone;
* polling failures and a second poller (409): WARNING / one ERROR line a minute.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import (
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot import texts
from bot.layout import rtl
from bot.state import Context
from bot.transport import answered_too_late, edit_changed_nothing, may_have_been_delivered

logger = logging.getLogger(__name__)


def routine_reason(error: object) -> str | None:
    """Why ``error`` is a routine event (said in one INFO line), or None when it is not one."""
    if isinstance(error, Forbidden):
        return "the user blocked the bot or removed it from the chat"
    if isinstance(error, ChatMigrated):
        return "the group became a supergroup"
    if isinstance(error, TelegramError) and answered_too_late(error):
        return "a button or inline query answered too late"
    if isinstance(error, TelegramError) and edit_changed_nothing(error):
        return "a repeated edit"
    return None


def describe(update: object) -> str:
    """Where an update came from, for a log line: the chat id, or the user of an inline query."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return f"chat {update.effective_chat.id}"
        if update.effective_user is not None:
            return f"user {update.effective_user.id}"
    return "no chat"


async def on_error(update: object, context: Context) -> None:
    """Log ``context.error`` by kind; apologise only when the request failed and a retry may help."""
    error = context.error
    if isinstance(error, Conflict):
        report_conflict(context)
        return
    if update is None and isinstance(error, NetworkError):
        # Polling errors (timeouts, 5xx, dropped connections): python-telegram-bot retries them.
        logger.warning("polling failed, retrying: %s", error)
        return
    where = describe(update)
    reason = routine_reason(error)
    if reason is not None:
        logger.info("%s: %s (%s)", where, reason, error)
        return
    if isinstance(error, RetryAfter):
        # Flood control outlasted the rate limiter's retries; an apology would meet it too.
        logger.warning("%s: a reply was not sent, flood control lasted too long (%s)", where, error)
        return
    if isinstance(error, InvalidToken):
        logger.error("%s: Telegram no longer accepts the token (%s)", where, error)
        return
    if isinstance(error, NetworkError):
        if may_have_been_delivered(error):
            logger.warning(
                "%s: a request got no answer after it was sent (%s); it may have been delivered, "
                "so no apology",
                where,
                error,
            )
            return
        logger.warning("%s: a request could not reach the Bot API (%s)", where, error)
    else:
        logger.error("error while handling an update (%s)", where, exc_info=error)
    await apologize(update, context)


def report_conflict(context: Context) -> None:
    """Log a 409 Conflict (another poller with our token) at most once per ``CONFLICT_REPORT_SECONDS``."""
    data = context.bot_data
    if data.conflict_reports.first("409 Conflict", data.clock()):
        logger.error(
            "409 Conflict: another bot instance is polling with this token; stop it (retrying meanwhile)"
        )


async def apologize(update: object, context: Context) -> None:
    """Tell the chat the request failed (it may not be reachable either: then say so in the log)."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, rtl(texts.ERROR))
    except TelegramError as send_error:
        logger.warning("could not tell %s about the error: %s", describe(update), send_error)
