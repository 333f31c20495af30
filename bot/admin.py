"""Admin-only commands: /add URL… and /refresh put news into the store and make it searchable at once.

Not in the public command menu; only user ids in NEWSBOT_ADMIN_IDS may use them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import render, texts
from bot.handlers import send_chunks, typing
from bot.live import ADMIN_IDS_KEY, LIVE_KEY, IngestAction, LiveNews, is_admin, refresh_feeds, update_news
from retrieval.ingest import Ingestor, Outcome, Status

logger = logging.getLogger(__name__)


async def admin_request(
    update: Update, context: ContextTypes.DEFAULT_TYPE
) -> tuple[Message, LiveNews] | None:
    """The message and live-news services when an admin may ingest now; otherwise reply why not."""
    message = update.effective_message
    if message is None:
        return None
    user = update.effective_user
    if not is_admin(user.id if user else None, context.bot_data.get(ADMIN_IDS_KEY, frozenset())):
        logger.info("refused an admin command from user %s", user.id if user else None)
        await message.reply_text(render.rtl(texts.ADMIN_ONLY))
        return None
    live = context.bot_data.get(LIVE_KEY)
    if not isinstance(live, LiveNews):
        await message.reply_text(render.rtl(texts.FIXED_CORPUS))
        return None
    return message, live


async def add_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/add URL… (admins): store the articles at these pages and answer from them right away."""
    request = await admin_request(update, context)
    if request is None:
        return
    message, live = request
    urls = list(context.args or ())
    if not urls:
        await message.reply_text(render.rtl(texts.ADD_USAGE))
        return

    def add_urls(ingestor: Ingestor) -> Sequence[Outcome]:
        # URLs only: a path would read files on the bot's machine.
        return tuple(ingestor.add_url(url) for url in urls)

    await ingest_and_report(message, context, live, add_urls)


async def refresh_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/refresh (admins): fetch followed feeds now instead of waiting for the schedule."""
    request = await admin_request(update, context)
    if request is None:
        return
    message, live = request
    await ingest_and_report(message, context, live, refresh_feeds)


async def ingest_and_report(
    message: Message,
    context: ContextTypes.DEFAULT_TYPE,
    live: LiveNews,
    action: IngestAction,
) -> None:
    """Run ``action`` off the event loop and reply with what was added, skipped and why items failed."""
    async with typing(message):
        try:
            outcomes = await update_news(context.bot_data, live, action)
        except Exception:
            logger.exception("ingestion from an admin command failed; still serving the previous articles")
            await message.reply_text(render.rtl(texts.INGEST_ERROR))
            return
    if not outcomes:
        await message.reply_text(render.rtl(texts.INGEST_NO_FEEDS))
        return
    logger.info(
        "admin ingestion: %d added of %d",
        sum(1 for outcome in outcomes if outcome.status is Status.ADDED),
        len(outcomes),
    )
    await send_chunks(message, render.render_ingest(outcomes), None, reply_to=message.message_id)
