"""Sending to a chat: the "typing…" hint, answers split over several messages, button presses acknowledged.

A part whose answer was lost after it was written (``transport.may_have_been_delivered``) is
probably on the reader's screen: it is neither sent again nor apologised for, and the parts after
it still go out, so a multi-message answer is never cut short by one slow reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.transport import answered_too_late, edit_changed_nothing, may_have_been_delivered

logger = logging.getLogger(__name__)

# Telegram shows "typing…" for about five seconds; renew it while the engine works.
TYPING_RENEW_SECONDS = 4.0


async def send_typing(message: Message) -> None:
    """Show "typing…" in the chat of ``message``; a failure only costs the hint."""
    try:
        await message.get_bot().send_chat_action(message.chat_id, ChatAction.TYPING)
    except TelegramError as error:
        logger.debug("typing action failed: %s", error)


@contextlib.asynccontextmanager
async def typing(message: Message) -> AsyncIterator[None]:
    """Show "typing…" before the block runs and renew it until the block ends."""

    async def renew() -> None:
        while True:
            await asyncio.sleep(TYPING_RENEW_SECONDS)
            await send_typing(message)

    await send_typing(message)
    task = asyncio.create_task(renew())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press (stops the client's spinner; ``text`` shows as a short notice).

    A press answered too late ("query is too old": the bot was busy or restarting) lost only its
    spinner; the caller goes on and does what the button asks. Other failures propagate.
    """
    try:
        await query.answer(text)
    except TelegramError as error:
        if not answered_too_late(error):
            raise
        logger.info("a press of %r was answered too late (%s); acting on it anyway", query.data, error)


async def send_chunks(
    message: Message, chunks: Sequence[str], markup: InlineKeyboardMarkup | None, *, reply_to: int | None
) -> list[int]:
    """Send ``chunks`` in order to the chat of ``message``, replying to ``reply_to``; buttons go last.

    Returns the ids of the messages sent, in order (a part that may have been delivered has no
    known id and is left out).
    """
    bot = message.get_bot()
    sent = []
    for index, chunk in enumerate(chunks):
        buttons = markup if index == len(chunks) - 1 else None
        message_id = await _send_part(bot, message.chat_id, chunk, buttons, reply_to, index, len(chunks))
        if message_id is not None:
            sent.append(message_id)
    return sent


async def _send_part(
    bot: Bot,
    chat_id: int,
    chunk: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
    index: int,
    total: int,
) -> int | None:
    """Send one part of an answer; its message id, or None when it may have been delivered."""
    try:
        reply = await bot.send_message(
            chat_id,
            chunk,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to is not None else None
            ),
            reply_markup=markup,
        )
    except NetworkError as error:
        if not may_have_been_delivered(error):
            raise
        logger.warning(
            "chat %s: part %d of %d got no answer after it was sent (%s); it may have been delivered, "
            "so no apology and no second copy",
            chat_id,
            index + 1,
            total,
            error,
        )
        return None
    return reply.message_id


async def rewrite(
    bot: Bot,
    chat_id: int,
    message_ids: Sequence[int],
    chunks: Sequence[str],
    markup: InlineKeyboardMarkup | None,
    *,
    reply_to: int | None,
) -> list[int]:
    """Show ``chunks`` in the messages ``message_ids`` (edited in place), buttons on the last one.

    More chunks than messages: the rest are sent as new replies to ``reply_to``; fewer: the
    surplus messages are deleted, so no stale quotes stay under a rewritten answer. A message
    the user deleted is replaced by a new one. Returns the ids now holding the chunks.
    """
    shown: list[int] = []
    for index, chunk in enumerate(chunks):
        buttons = markup if index == len(chunks) - 1 else None
        if index < len(message_ids) and await _edit(bot, chat_id, message_ids[index], chunk, buttons):
            shown.append(message_ids[index])
            continue
        message_id = await _send_part(bot, chat_id, chunk, buttons, reply_to, index, len(chunks))
        if message_id is not None:
            shown.append(message_id)
    for message_id in message_ids[len(chunks) :]:
        try:
            await bot.delete_message(chat_id, message_id)
        except TelegramError as error:
            # Too old to delete (48 h) or already gone; the rewritten messages still hold the whole page.
            logger.info("could not delete a surplus answer message: %s", error)
    return shown


async def _edit(
    bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Edit one message; False when it no longer exists (the user deleted it)."""
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, reply_markup=markup)
    except BadRequest as error:
        if edit_changed_nothing(error):
            return True  # a double press: it already shows this
        if "not found" in error.message.lower():
            return False
        raise
    return True
