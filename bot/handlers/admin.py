"""Admin-only commands: /add URL… and /refresh put news into the store and make it searchable at once;
/remove ID|URL… takes articles out of the store and the answers for good.

Not in the public command menu; only user ids in NEWSBOT_ADMIN_IDS may use them (``bot.access``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Message, Update

from bot import render, texts
from bot.layout import rtl
from bot.live import IngestAction, count, refresh_feeds, remove_articles, update_news
from bot.sending import send_chunks, typing
from bot.state import Context
from retrieval.ingest import Ingestor, Outcome, Status

logger = logging.getLogger(__name__)


async def admin_request(update: Update, context: Context) -> Message | None:
    """The message when an admin may ingest now; otherwise reply why not and return None."""
    message = update.effective_message
    if message is None:
        return None
    data = context.bot_data
    if not data.access.is_admin(update.effective_user):
        user = update.effective_user
        logger.info("refused an admin command from user %s", user.id if user else None)
        await message.reply_text(rtl(texts.ADMIN_ONLY))
        return None
    if data.live is None:
        await message.reply_text(rtl(texts.FIXED_CORPUS))
        return None
    return message


async def add_command(update: Update, context: Context) -> None:
    """/add URL… (admins): store the articles at these pages and answer from them right away."""
    message = await admin_request(update, context)
    if message is None:
        return
    urls = list(context.args or ())
    if not urls:
        await message.reply_text(rtl(texts.ADD_USAGE))
        return

    def add_urls(ingestor: Ingestor) -> Sequence[Outcome]:
        # URLs only: a path would read files on the bot's machine.
        return tuple(ingestor.add_url(url) for url in urls)

    await ingest_and_report(message, context, add_urls)


async def refresh_command(update: Update, context: Context) -> None:
    """/refresh (admins): fetch followed feeds now instead of waiting for the schedule."""
    message = await admin_request(update, context)
    if message is not None:
        await ingest_and_report(message, context, refresh_feeds)


async def remove_command(update: Update, context: Context) -> None:
    """/remove ID|URL… (admins): remove stored articles; they are no longer quoted and never stored again."""
    message = await admin_request(update, context)
    if message is None:
        return
    keys = list(context.args or ())
    if not keys:
        await message.reply_text(rtl(texts.REMOVE_USAGE))
        return
    async with typing(message):
        try:
            outcomes = await update_news(context.bot_data, remove_articles(keys))
        except Exception:
            logger.exception("removal from an admin command failed; still serving the previous articles")
            await message.reply_text(rtl(texts.INGEST_ERROR))
            return
    logger.info("admin removal: %d removed of %d", count(outcomes, Status.REMOVED), len(outcomes))
    await send_chunks(message, render.render_removal(outcomes), None, reply_to=message.message_id)


async def ingest_and_report(message: Message, context: Context, action: IngestAction) -> None:
    """Run ``action`` off the event loop and reply with what was added, skipped and why items failed."""
    async with typing(message):
        try:
            outcomes = await update_news(context.bot_data, action)
        except Exception:
            logger.exception("ingestion from an admin command failed; still serving the previous articles")
            await message.reply_text(rtl(texts.INGEST_ERROR))
            return
    if not outcomes:
        await message.reply_text(rtl(texts.INGEST_NO_FEEDS))
        return
    logger.info("admin ingestion: %d added of %d", count(outcomes, Status.ADDED), len(outcomes))
    await send_chunks(message, render.render_ingest(outcomes), None, reply_to=message.message_id)
