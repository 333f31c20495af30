"""Sending to a chat: the "typing…" hint while work runs, and answers split over several messages."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction
from telegram.error import TelegramError

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


async def send_chunks(
    message: Message, chunks: Sequence[str], markup: InlineKeyboardMarkup | None, *, reply_to: int | None
) -> None:
    """Send ``chunks`` in order to the chat of ``message``, replying to ``reply_to``; buttons go last."""
    for index, chunk in enumerate(chunks):
        await message.get_bot().send_message(
            message.chat_id,
            chunk,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to is not None else None
            ),
            reply_markup=markup if index == len(chunks) - 1 else None,
        )
